// Parser: PDF documents' Info dictionary (title, author, creator program, producer library, created and
// modified dates, page count), read through poppler-cpp. The XMP metadata stream is not read.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "parsers/common/windows_time.h"
#include "parsers/documents/document_fields.h"
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

class PdfParser : public Parser {
 public:
  std::string name() const override { return "document.pdf"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override { return {DocumentKind()}; }
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
    return Status::Ok();
  }
};

}  // namespace

CUSTOS_REGISTER_PARSER(PdfParser);

}  // namespace custos
