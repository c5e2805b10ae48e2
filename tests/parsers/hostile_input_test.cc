// Every shipped parser against damaged input: for each corpus sample a parser wants, copies cut at
// several points and copies whose tail is replaced by random bytes; the corrupted SYSTEM hive; and
// random bytes alone. A parser may fail (a Status, problems) but must return, keep its rows within its
// declared kinds (ParseBytes checks that) and never produce more rows from a damaged copy than from the
// whole file. A crash or a hang fails the whole suite, which is the point.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <utility>

#include "tests/parsers/parse_support.h"
#include "tests/support/test_support.h"

namespace custos::testing {
namespace {

struct Sample {
  std::string path;           // on disk
  std::string evidence_path;  // as a parser would see it
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The Windows and document samples as they are, and the registry hives decompressed into `dir`.
std::vector<Sample> Samples(const TempDir& dir) {
  std::vector<Sample> out;
  const auto root = CorpusDir();
  for (const auto& e : std::filesystem::recursive_directory_iterator(root / "artefacts/windows")) {
    if (e.is_regular_file()) out.push_back({e.path().string(), "/" + e.path().filename().string()});
  }
  for (const auto& e : std::filesystem::directory_iterator(root / "artefacts/documents")) {
    if (e.is_regular_file()) out.push_back({e.path().string(), "/" + e.path().filename().string()});
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(root / "artefacts/mobile")) {
    if (e.is_regular_file()) out.push_back({e.path().string(), "/" + e.path().filename().string()});
  }
  // Browser databases at the paths their browsers keep them (the parsers want them by path and name).
  const std::pair<const char*, const char*> browser[] = {
      {"chrome/History", "/Users/x/AppData/Local/Google/Chrome/User Data/Default/History"},
      {"chrome/History-57.0.2987.133", "/Users/x/AppData/Local/Google/Chrome/User Data/Profile 1/History"},
      {"chrome/History-59.0.3071.86", "/home/x/.config/google-chrome/Default/History"},
      {"chrome/Cookies-68.0.3440.106", "/Users/x/AppData/Local/Google/Chrome/User Data/Default/Cookies"},
      {"firefox/places.sqlite", "/home/x/.mozilla/firefox/a.default/places.sqlite"},
      {"firefox/downloads.sqlite", "/home/x/.mozilla/firefox/a.default/downloads.sqlite"},
      {"firefox/firefox_10_cookies.sqlite", "/home/x/.mozilla/firefox/a.default/cookies.sqlite"},
      {"safari/History.db", "/Users/x/Library/Safari/History.db"},
      {"msiecf/History.IE5/index.dat", "/Users/x/AppData/Local/Microsoft/Windows/History/History.IE5/index.dat"},
      {"msiecf/Content.IE5/index.dat", "/Users/x/AppData/Local/Microsoft/Windows/INetCache/Content.IE5/index.dat"},
      // The corpus has no WebCacheV01.dat; its other ESE database, under that name, takes libesedb through
      // the cut and scrambled copies (the parser finds no Containers table in it).
      {"../windows/Catalog1.edb", "/Users/x/AppData/Local/Microsoft/Windows/WebCache/WebCacheV01.dat"}};
  for (const auto& [file, evidence_path] : browser) {
    const auto path = root / "artefacts/browser" / file;
    if (std::filesystem::exists(path)) out.push_back({path.string(), evidence_path});
  }
  for (const auto& e : std::filesystem::directory_iterator(root / "artefacts/registry")) {
    const std::string plain = Unxz(e.path().string(), dir.path().string());
    out.push_back({plain, "/" + std::filesystem::path(plain).filename().string()});
  }
  return out;
}

TEST(HostileInput, EveryParserSurvivesCutAndScrambledCopiesOfItsSamples) {
  if (CorpusDir().empty()) GTEST_SKIP() << "../shared/corpus is absent";
  TempDir dir;
  const auto samples = Samples(dir);
  std::mt19937_64 rng(20261123);
  int exercised = 0;
  for (const auto& parser : ParserRegistry::Global().parsers()) {
    int wanted = 0;
    for (const auto& sample : samples) {
      const std::string bytes = Slurp(sample.path);
      if (ParseBytes(parser->name(), bytes, sample.evidence_path).wanted == false) continue;
      ++wanted;
      const size_t full = ParseBytes(parser->name(), bytes, sample.evidence_path).out.rows.size();
      for (size_t cut : {size_t{0}, size_t{1}, size_t{64}, size_t{512}, size_t{4096}, bytes.size() / 3,
                         bytes.size() / 2, bytes.size() - 1}) {
        if (cut > bytes.size()) continue;
        const Parsed p = ParseBytes(parser->name(), bytes.substr(0, cut), sample.evidence_path);
        EXPECT_LE(p.out.rows.size(), full) << parser->name() << " on " << sample.path << " cut at " << cut;
      }
      // Keep the first 4 KiB (headers pass their checks), scramble the rest.
      std::string scrambled = bytes;
      for (size_t i = std::min<size_t>(4096, scrambled.size()); i < scrambled.size(); ++i) {
        scrambled[i] = static_cast<char>(rng());
      }
      ParseBytes(parser->name(), scrambled, sample.evidence_path);
      ++exercised;
    }
    // The corpus has no SOFTWARE hive; registry_software_test cuts and scrambles the hive it writes.
    // Nor any picture with EXIF; exif_test cuts the JPEG it makes (the noise below still reaches it).
    // Nor Chromium Login Data, Web Data or Bookmarks, nor a Firefox formhistory.sqlite: browser_chromium_test
    // and browser_firefox_test write them and cut the Bookmarks JSON.
    // Nor any WhatsApp database; whatsapp_test writes them (the noise below still reaches the parser).
    // Nor any PDF; pdf_test writes them and cuts them.
    // Nor any mail: mime_mail_test writes an mbox and an .eml and cuts them; no PST or OST can be made
    // here (pst_test checks what can be checked without one), the noise below still reaches mail.pst.
    // Nor an iOS call history or address book: ios_contacts_calls_test writes them and cuts them.
    // Nor Chromium Top Sites (browser_chromium_test writes both layouts), nor Safari's Downloads.plist and
    // Bookmarks.plist: browser_safari_plists_test writes them with plistlib and cuts them.
    static const std::set<std::string> kNoCorpusSample = {"windows.registry.software",
                                                          "media.exif",
                                                          "browser.chromium.login_data",
                                                          "browser.chromium.web_data",
                                                          "browser.chromium.bookmarks",
                                                          "browser.firefox.formhistory",
                                                          "mobile.whatsapp",
                                                          "document.pdf",
                                                          "mail.mbox",
                                                          "mail.eml",
                                                          "mail.pst",
                                                          "mobile.ios.call_history",
                                                          "mobile.ios.address_book",
                                                          "browser.chromium.top_sites",
                                                          "browser.safari.downloads",
                                                          "browser.safari.bookmarks"};
    if (kNoCorpusSample.count(parser->name()) == 0) {
      EXPECT_GT(wanted, 0) << parser->name() << " wants none of the corpus samples: it is untested here";
    }
    std::string noise(1 << 20, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    const Parsed p = ParseBytes(parser->name(), noise, "/noise.bin");
    EXPECT_TRUE(p.out.rows.empty()) << parser->name() << " made rows from random bytes";
  }
  EXPECT_GT(exercised, 20);
}

}  // namespace
}  // namespace custos::testing
