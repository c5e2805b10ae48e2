// Parser: Office Open XML documents (.docx, .xlsx, .pptx and their macro/template variants). Their
// metadata sits in two zip members, docProps/core.xml (author, last saved by, dates, revision) and
// docProps/app.xml (program, company, pages, words), read with libarchive and parsed with libxml2.
#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>

#include "parsers/documents/document_fields.h"
#include "parsers/documents/xml_support.h"
#include "parsers/parser.h"

namespace custos {
namespace {

constexpr size_t kMaxPartBytes = 1 << 20;  // core.xml and app.xml are a few KiB; more is a bomb
constexpr int kMaxEntries = 100000;

constexpr const char* kDc = "http://purl.org/dc/elements/1.1/";
constexpr const char* kCp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
constexpr const char* kDcTerms = "http://purl.org/dc/terms/";
constexpr const char* kExtended = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";

struct ArchiveHandle {
  archive* a = nullptr;
  ArchiveHandle() = default;
  ArchiveHandle(const ArchiveHandle&) = delete;
  ArchiveHandle& operator=(const ArchiveHandle&) = delete;
  ~ArchiveHandle() {
    if (a != nullptr) archive_read_free(a);
  }
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsOoxmlExtension(const std::string& ext) {
  static const char* const kExts[] = {"docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm",
                                      "pptx", "pptm", "potx", "potm", "ppsx", "ppsm", "vsdx"};
  return std::any_of(std::begin(kExts), std::end(kExts), [&](const char* e) { return ext == e; });
}

std::optional<int64_t> Number(const std::optional<std::string>& text) {
  if (!text || text->empty() || text->size() > 18) return std::nullopt;
  int64_t n = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

void ReadCore(const std::string& xml, DocumentMetadata& m, std::vector<std::string>& problems) {
  XmlDoc doc;
  if (!ParseXml(xml, doc)) {
    problems.push_back("docProps/core.xml is not well-formed XML");
    return;
  }
  for (const xmlNode* n = xmlDocGetRootElement(doc.doc)->children; n != nullptr; n = n->next) {
    if (Is(n, kDc, "title")) m.title = OwnText(n);
    if (Is(n, kDc, "subject")) m.subject = OwnText(n);
    if (Is(n, kDc, "creator")) m.author = OwnText(n);
    if (Is(n, kCp, "keywords")) m.keywords = OwnText(n);
    if (Is(n, kCp, "lastModifiedBy")) m.last_modified_by = OwnText(n);
    if (Is(n, kCp, "revision")) m.revision = OwnText(n);
    if (Is(n, kCp, "lastPrinted")) m.last_printed = W3cdtf(OwnText(n));
    if (Is(n, kDcTerms, "created")) m.created = W3cdtf(OwnText(n));
    if (Is(n, kDcTerms, "modified")) m.modified = W3cdtf(OwnText(n));
  }
}

void ReadApp(const std::string& xml, DocumentMetadata& m, std::vector<std::string>& problems) {
  XmlDoc doc;
  if (!ParseXml(xml, doc)) {
    problems.push_back("docProps/app.xml is not well-formed XML");
    return;
  }
  for (const xmlNode* n = xmlDocGetRootElement(doc.doc)->children; n != nullptr; n = n->next) {
    if (Is(n, kExtended, "Application")) m.application = OwnText(n);
    if (Is(n, kExtended, "Company")) m.company = OwnText(n);
    if (Is(n, kExtended, "Template")) m.template_name = OwnText(n);
    if (Is(n, kExtended, "Pages")) m.pages = Number(OwnText(n));
    if (Is(n, kExtended, "Slides") && !m.pages) m.pages = Number(OwnText(n));
    if (Is(n, kExtended, "Words")) m.words = Number(OwnText(n));
    if (Is(n, kExtended, "TotalTime")) m.edit_minutes = Number(OwnText(n));
  }
}

// Reads the current entry's data up to kMaxPartBytes; nullopt (and a problem) when larger or unreadable.
std::optional<std::string> ReadPart(archive* a, const std::string& name, std::vector<std::string>& problems) {
  std::string data;
  char buf[16384];
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      problems.push_back(name +
                         " cannot be decompressed: " + (archive_error_string(a) ? archive_error_string(a) : "?"));
      return std::nullopt;
    }
    if (data.size() + static_cast<size_t>(n) > kMaxPartBytes) {
      problems.push_back(name + " decompresses to more than 1 MiB: not read");
      return std::nullopt;
    }
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

class OfficeOpenXmlParser : public Parser {
 public:
  std::string name() const override { return "document.ooxml"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {DocumentKind()}; }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    if (head.substr(0, 4) != std::string_view("PK\3\4", 4)) return false;
    // By extension, or by the package's first member when renamed ("[Content_Types].xml" at offset 30).
    return IsOoxmlExtension(Lower(file.extension)) ||
           (head.size() >= 49 && head.substr(30, 19) == "[Content_Types].xml");
  }
  int64_t max_bytes() const override { return 1LL << 30; }

  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    if (input.bytes.substr(0, 4) != std::string_view("PK\3\4", 4)) return Status::Corruption("not a zip package");
    ArchiveHandle ar;
    ar.a = archive_read_new();
    if (ar.a == nullptr) return Status::Internal("libarchive cannot allocate a reader");
    archive_read_support_format_zip(ar.a);
    if (archive_read_open_memory(ar.a, input.bytes.data(), input.bytes.size()) != ARCHIVE_OK) {
      return Status::Corruption(std::string("libarchive cannot open the zip: ") +
                                (archive_error_string(ar.a) ? archive_error_string(ar.a) : "?"));
    }
    DocumentMetadata m;
    const std::string ext = Lower(input.file.extension);
    m.format = "Office Open XML" + (ext.empty() ? std::string() : " (" + ext + ")");
    m.time_zone_note = "UTC (W3CDTF times, Office writes them in UTC)";
    bool core = false, app = false;
    Status status = Status::Ok();
    archive_entry* entry = nullptr;
    for (int i = 0; i < kMaxEntries && !(core && app); ++i) {
      const int r = archive_read_next_header(ar.a, &entry);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        status = Status::Corruption(std::string("the zip is damaged: ") +
                                    (archive_error_string(ar.a) ? archive_error_string(ar.a) : "?"));
        break;
      }
      const char* path = archive_entry_pathname(entry);
      const std::string name = path ? path : "";
      if (name == "docProps/core.xml" && !core) {
        core = true;
        if (auto xml = ReadPart(ar.a, name, out.problems)) ReadCore(*xml, m, out.problems);
      } else if (name == "docProps/app.xml" && !app) {
        app = true;
        if (auto xml = ReadPart(ar.a, name, out.problems)) ReadApp(*xml, m, out.problems);
      }
    }
    if (!IsEmpty(m)) out.rows.push_back(DocumentRow(m));
    if (status.ok() && !core && !app) status = Status::NotFound("the package has no docProps/core.xml or app.xml");
    return status;
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(OfficeOpenXmlParser);

}  // namespace custos
