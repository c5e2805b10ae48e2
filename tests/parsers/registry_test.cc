// The parser registry. The expected list names every parser the project ships: a registration the
// linker dropped, or a parser added without a test, shows up here.
#include <gtest/gtest.h>

#include <algorithm>

#include "parsers/parser.h"

namespace custos {
namespace {

TEST(ParserRegistry, HoldsExactlyTheShippedParsers) {
  std::vector<std::string> names = ParserRegistry::Global().names();
  std::sort(names.begin(), names.end());
  const std::vector<std::string> expected = {"browser.chromium.bookmarks",
                                             "browser.chromium.cookies",
                                             "browser.chromium.history",
                                             "browser.chromium.login_data",
                                             "browser.chromium.top_sites",
                                             "browser.chromium.web_data",
                                             "browser.firefox.cookies",
                                             "browser.firefox.downloads",
                                             "browser.firefox.formhistory",
                                             "browser.firefox.places",
                                             "browser.ie.index_dat",
                                             "browser.ie.webcache",
                                             "browser.safari.bookmarks",
                                             "browser.safari.downloads",
                                             "browser.safari.history",
                                             "document.ole",
                                             "document.ooxml",
                                             "document.pdf",
                                             "mail.eml",
                                             "mail.mbox",
                                             "mail.pst",
                                             "media.exif",
                                             "mobile.android.contacts",
                                             "mobile.android.sms",
                                             "mobile.imessage",
                                             "mobile.ios.accounts",
                                             "mobile.ios.address_book",
                                             "mobile.ios.call_history",
                                             "mobile.ios.notes",
                                             "mobile.kik",
                                             "mobile.skype",
                                             "mobile.tango",
                                             "mobile.twitter",
                                             "mobile.viber",
                                             "mobile.whatsapp",
                                             "windows.activities_cache",
                                             "windows.evtx",
                                             "windows.jumplist",
                                             "windows.lnk",
                                             "windows.prefetch",
                                             "windows.recycle_bin",
                                             "windows.registry.amcache",
                                             "windows.registry.hive",
                                             "windows.registry.ntuser",
                                             "windows.registry.sam",
                                             "windows.registry.software",
                                             "windows.registry.system",
                                             "windows.registry.usrclass"};
  EXPECT_EQ(names, expected);
}

class LinesParser : public Parser {
 public:
  std::string name() const override { return "test.lines"; }
  std::string version() const override { return "1"; }
  std::vector<KindDecl> kinds() const override {
    return {{"test.line", "a line of text", {{"text", FieldType::kText, "the line"}}}};
  }
  bool Wants(const FileRecord& file, std::string_view head) const override {
    return file.extension == "txt" && head.find('\0') == std::string_view::npos;
  }
  Status Parse(const ParserInput& input, ParseOutput& out) const override {
    size_t start = 0;
    while (start < input.bytes.size()) {
      size_t end = input.bytes.find('\n', start);
      if (end == std::string_view::npos) end = input.bytes.size();
      ArtefactRow row;
      row.kind = "test.line";
      row.summary = std::string(input.bytes.substr(start, end - start));
      row.values.push_back(row.summary);
      out.rows.push_back(std::move(row));
      start = end + 1;
    }
    return Status::Ok();
  }
};

TEST(ParserRegistry, MatchingAsksEachParser) {
  ParserRegistry registry;
  registry.Register(std::make_unique<LinesParser>());
  FileRecord txt;
  txt.extension = "txt";
  FileRecord jpg;
  jpg.extension = "jpg";
  EXPECT_EQ(registry.Matching(txt, "hello").size(), 1u);
  EXPECT_TRUE(registry.Matching(jpg, "hello").empty());
  EXPECT_TRUE(registry.Matching(txt, std::string_view("\0bin", 4)).empty());
  ParseOutput out;
  ASSERT_TRUE(registry.parsers()[0]->Parse(ParserInput{txt, "a\nb", {}}, out).ok());
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.rows[1].summary, "b");
}

}  // namespace
}  // namespace custos
