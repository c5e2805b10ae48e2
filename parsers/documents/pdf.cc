// Parser: PDF documents' Info dictionary (title, author, creator program, producer library, created and
// modified dates, page count), read through poppler-cpp, and their XMP metadata packet (poppler-cpp hands
// it over; libxml2 parses it with no entity expansion or network) as a document.xmp row: XMP is written
// by the editing programs beside Info and is often left behind when Info is changed or stripped, and
// its xmpMM:History lists each save with its program and time.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "parsers/common/windows_time.h"
#include "parsers/documents/document_fields.h"
#include "parsers/documents/xml_support.h"
#include "parsers/parser.h"

namespace custos {
namespace {

constexpr size_t kHeaderWindow = 1024;  // readers accept "%PDF-" anywhere in the first KiB

bool HasPdfHeader(std::string_view head) {
  const size_t at = head.find("%PDF-");
  return at != std::string_view::npos && at < kHeaderWindow;
}

void Quiet(const std::string&, void*) {}

std::optional<std::string> Utf8(const poppler::ustring& u) {
  const poppler::byte_array bytes = u.to_utf8();
  std::string s(bytes.begin(), bytes.end());
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  if (s.empty()) return std::nullopt;
  return s;
}

// A PDF date ("D:20200102030405+02'00'") as UTC; poppler applies the offset, and takes a date without
// one as UTC. `zoned` says whether the text carried a zone (Z or an offset).
std::optional<UtcMicros> PdfDate(const poppler::document& doc, const std::string& key, bool& zoned) {
  const auto raw = Utf8(doc.info_key(key));
  if (!raw) return std::nullopt;
  const time_t t = doc.info_date_t(key);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  std::string_view digits(*raw);
  if (digits.substr(0, 2) == "D:") digits.remove_prefix(2);
  zoned = digits.size() > 14 && (digits[14] == 'Z' || digits[14] == '+' || digits[14] == '-');
  return FromUnixSeconds(static_cast<int64_t>(t));
}

constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr const char* kDc = "http://purl.org/dc/elements/1.1/";
constexpr const char* kXmp = "http://ns.adobe.com/xap/1.0/";
constexpr const char* kPdfNs = "http://ns.adobe.com/pdf/1.3/";
constexpr const char* kXmpMM = "http://ns.adobe.com/xap/1.0/mm/";
constexpr const char* kStEvt = "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#";
constexpr size_t kMaxXmpBytes = 4u << 20;  // packets are a few KiB, with padding
constexpr int kMaxDepth = 32;
constexpr size_t kMaxHistory = 200;

KindDecl XmpKind() {
  return {"document.xmp",
          "a PDF's XMP metadata: who made it, with which programs and when, as the editing programs wrote it "
          "(kept beside the Info dictionary, and often left behind when that is changed)",
          {
              {"title", FieldType::kText, "dc:title"},
              {"creators", FieldType::kText, "dc:creator: the authors, '; '-separated"},
              {"description", FieldType::kText, "dc:description"},
              {"keywords", FieldType::kText, "pdf:Keywords, else dc:subject"},
              {"creator_tool", FieldType::kText, "xmp:CreatorTool: the program the document was made in"},
              {"producer", FieldType::kText, "pdf:Producer: the program that wrote the PDF"},
              {"created", FieldType::kTime, "xmp:CreateDate, in UTC (converted from its offset)"},
              {"modified", FieldType::kTime, "xmp:ModifyDate, in UTC"},
              {"metadata_date", FieldType::kTime, "xmp:MetadataDate: when the metadata was last changed, in UTC"},
              {"document_id", FieldType::kText, "xmpMM:DocumentID: the same for every version of one document"},
              {"instance_id", FieldType::kText, "xmpMM:InstanceID: this saved version"},
              {"history", FieldType::kText,
               "xmpMM:History: each recorded action as 'when action (program)', oldest first, '; '-separated"},
          }};
}

std::string Attr(const xmlNode* n, const char* ns, const char* local) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->ns != nullptr && a->ns->href != nullptr &&
        std::strcmp(reinterpret_cast<const char*>(a->ns->href), ns) == 0 &&
        std::strcmp(reinterpret_cast<const char*>(a->name), local) == 0 && a->children != nullptr &&
        a->children->content != nullptr)
      return reinterpret_cast<const char*>(a->children->content);
  }
  return "";
}

// The items of an rdf:Alt, rdf:Seq or rdf:Bag under n; n's own text when it has none.
std::vector<std::string> Values(const xmlNode* n) {
  std::vector<std::string> out;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (!Is(c, kRdf, "Alt") && !Is(c, kRdf, "Seq") && !Is(c, kRdf, "Bag")) continue;
    for (const xmlNode* li = c->children; li != nullptr; li = li->next) {
      if (!Is(li, kRdf, "li")) continue;
      if (auto t = OwnText(li)) out.push_back(*t);
    }
  }
  if (out.empty()) {
    if (auto t = OwnText(n)) out.push_back(*t);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

struct Xmp {
  std::optional<std::string> title, creators, description, keywords, subject, creator_tool, producer, created, modified,
      metadata_date, document_id, instance_id;
  std::vector<std::string> history;
  bool any() const {
    return title || creators || description || keywords || subject || creator_tool || producer || created || modified ||
           metadata_date || document_id || instance_id || !history.empty();
  }
};

// A property given as an attribute of rdf:Description or as a child element (both are valid RDF/XML).
void Take(const xmlNode* desc, const char* ns, const char* local, std::optional<std::string>& into) {
  if (into) return;
  const std::string a = Attr(desc, ns, local);
  if (!a.empty()) into = a;
}

// One stEvt event, "2026-01-02T10:00:00Z saved (Acrobat)": its fields on the rdf:li itself
// (rdf:parseType="Resource") or on an rdf:Description inside it, as attributes or child elements.
std::string HistoryEvent(const xmlNode* li) {
  std::optional<std::string> when, action, agent;
  std::vector<const xmlNode*> holders = {li};
  for (const xmlNode* c = li->children; c != nullptr; c = c->next) {
    if (Is(c, kRdf, "Description")) holders.push_back(c);
  }
  for (const xmlNode* h : holders) {
    Take(h, kStEvt, "when", when);
    Take(h, kStEvt, "action", action);
    Take(h, kStEvt, "softwareAgent", agent);
    for (const xmlNode* c = h->children; c != nullptr; c = c->next) {
      if (Is(c, kStEvt, "when") && !when) when = OwnText(c);
      if (Is(c, kStEvt, "action") && !action) action = OwnText(c);
      if (Is(c, kStEvt, "softwareAgent") && !agent) agent = OwnText(c);
    }
  }
  std::string out = when.value_or("?") + " " + action.value_or("?");
  if (agent) out += " (" + *agent + ")";
  return out;
}

void ReadDescription(const xmlNode* desc, Xmp& x) {
  Take(desc, kXmp, "CreatorTool", x.creator_tool);
  Take(desc, kXmp, "CreateDate", x.created);
  Take(desc, kXmp, "ModifyDate", x.modified);
  Take(desc, kXmp, "MetadataDate", x.metadata_date);
  Take(desc, kPdfNs, "Producer", x.producer);
  Take(desc, kPdfNs, "Keywords", x.keywords);
  Take(desc, kXmpMM, "DocumentID", x.document_id);
  Take(desc, kXmpMM, "InstanceID", x.instance_id);
  for (const xmlNode* c = desc->children; c != nullptr; c = c->next) {
    const auto text = [&] {
      const std::string j = Joined(Values(c));
      return j.empty() ? std::nullopt : std::optional<std::string>(j);
    };
    if (Is(c, kDc, "title") && !x.title) x.title = text();
    if (Is(c, kDc, "creator") && !x.creators) x.creators = text();
    if (Is(c, kDc, "description") && !x.description) x.description = text();
    if (Is(c, kDc, "subject") && !x.subject) x.subject = text();
    if (Is(c, kXmp, "CreatorTool") && !x.creator_tool) x.creator_tool = OwnText(c);
    if (Is(c, kXmp, "CreateDate") && !x.created) x.created = OwnText(c);
    if (Is(c, kXmp, "ModifyDate") && !x.modified) x.modified = OwnText(c);
    if (Is(c, kXmp, "MetadataDate") && !x.metadata_date) x.metadata_date = OwnText(c);
    if (Is(c, kPdfNs, "Producer") && !x.producer) x.producer = OwnText(c);
    if (Is(c, kPdfNs, "Keywords") && !x.keywords) x.keywords = OwnText(c);
    if (Is(c, kXmpMM, "DocumentID") && !x.document_id) x.document_id = OwnText(c);
    if (Is(c, kXmpMM, "InstanceID") && !x.instance_id) x.instance_id = OwnText(c);
    if (Is(c, kXmpMM, "History")) {
      for (const xmlNode* seq = c->children; seq != nullptr; seq = seq->next) {
        if (!Is(seq, kRdf, "Seq")) continue;
        for (const xmlNode* li = seq->children; li != nullptr && x.history.size() < kMaxHistory; li = li->next) {
          if (Is(li, kRdf, "li")) x.history.push_back(HistoryEvent(li));
        }
      }
    }
  }
}

void FindDescriptions(const xmlNode* n, int depth, Xmp& x) {
  if (depth > kMaxDepth) return;
  for (; n != nullptr; n = n->next) {
    if (Is(n, kRdf, "Description")) ReadDescription(n, x);
    FindDescriptions(n->children, depth + 1, x);
  }
}

// The XMP packet as a document.xmp row; a packet that is not XML is a problem, not a failure.
void ReadXmp(const poppler::document& doc, ParseOutput& out) {
  const poppler::byte_array bytes = doc.metadata().to_utf8();
  std::string packet(bytes.begin(), bytes.end());
  while (!packet.empty() && packet.back() == '\0') packet.pop_back();
  if (packet.find_first_not_of(" \t\r\n") == std::string::npos) return;
  if (packet.size() > kMaxXmpBytes) {
    out.problems.push_back("the XMP metadata is larger than 4 MiB: not read");
    return;
  }
  XmlDoc xml;
  if (!ParseXml(packet, xml)) {
    out.problems.push_back("the XMP metadata is not well-formed XML: not read");
    return;
  }
  Xmp x;
  FindDescriptions(xmlDocGetRootElement(xml.doc), 0, x);
  if (!x.any()) return;
  ArtefactRow row;
  row.kind = "document.xmp";
  const auto created = W3cdtf(x.created), modified = W3cdtf(x.modified), metadata = W3cdtf(x.metadata_date);
  row.time = modified ? modified : created;
  row.location = "XMP metadata stream";
  row.summary = "PDF XMP";
  if (x.title) row.summary += ": \"" + *x.title + "\"";
  if (x.creators) row.summary += " by " + *x.creators;
  if (x.creator_tool) row.summary += ", made with " + *x.creator_tool;
  const auto text = [](const std::optional<std::string>& v) { return TextOrNull(v); };
  row.values = {text(x.title),        text(x.creators),
                text(x.description),  text(x.keywords ? x.keywords : x.subject),
                text(x.creator_tool), text(x.producer),
                IntOrNull(created),   IntOrNull(modified),
                IntOrNull(metadata),  text(x.document_id),
                text(x.instance_id),  x.history.empty() ? FieldValue() : FieldValue(Joined(x.history))};
  out.rows.push_back(std::move(row));
}

class PdfParser : public Parser {
 public:
  std::string name() const override { return "document.pdf"; }
  std::string version() const override { return "2"; }  // 2: XMP
  std::vector<KindDecl> kinds() const override { return {DocumentKind(), XmpKind()}; }
  bool Wants(const FileRecord&, std::string_view head) const override { return HasPdfHeader(head); }
  int64_t max_bytes() const override { return 1LL << 30; }  // poppler takes an int length

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    if (!HasPdfHeader(input.bytes.substr(0, kHeaderWindow))) return Status::Corruption("no %PDF- header");
    static std::once_flag quiet;  // poppler reports every damaged object on stderr otherwise
    std::call_once(quiet, [] { poppler::set_debug_error_function(Quiet, nullptr); });
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(input.bytes.data(), static_cast<int>(input.bytes.size())));
    if (doc == nullptr) return Status::Corruption("poppler cannot open the PDF");
    if (doc->is_locked()) out.problems.push_back("the PDF is encrypted with a user password: its Info is unreadable");
    DocumentMetadata m;
    int major = 0, minor = 0;
    doc->get_pdf_version(&major, &minor);
    m.format = "PDF " + std::to_string(major) + "." + std::to_string(minor);
    m.title = Utf8(doc->info_key("Title"));
    m.subject = Utf8(doc->info_key("Subject"));
    m.keywords = Utf8(doc->info_key("Keywords"));
    m.author = Utf8(doc->info_key("Author"));
    m.application = Utf8(doc->info_key("Creator"));
    m.producer = Utf8(doc->info_key("Producer"));
    bool created_zoned = true, modified_zoned = true;
    m.created = PdfDate(*doc, "CreationDate", created_zoned);
    m.modified = PdfDate(*doc, "ModDate", modified_zoned);
    const bool both_zoned = (!m.created || created_zoned) && (!m.modified || modified_zoned);
    m.time_zone_note = both_zoned ? "UTC (PDF dates converted from their recorded offset)"
                                  : "a PDF date without a zone: its local time stored as if UTC";
    if (!IsEmpty(m)) {
      const int pages = doc->pages();  // only worth saying beside other metadata
      if (pages > 0) m.pages = pages;
      out.rows.push_back(DocumentRow(m));
    }
    if (!doc->is_locked()) ReadXmp(*doc, out);
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(PdfParser);

}  // namespace custos
