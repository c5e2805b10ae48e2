// The libyal libraries in `custos-parse` each run on their own bundled helpers (libfdata, libcdata,
// libuna...): libpff, libesedb and libmsiecf are loaded in link namespaces of their own
// (parsers/common/isolated_library.h). Linked normally (custos-parse as it was before), this test saw 869
// of their bindings go to libregf's or libevtx's copies (libfdata, libfwnt...: other versions, loaded
// first) and none of libpff's to its own helpers. The independent witness is the
// dynamic linker itself: custos-parse is started by the pipeline's ParserProcess with LD_DEBUG=bindings
// and LD_BIND_NOW=1, so glibc's ld.so writes every symbol binding it makes, with the namespace of each
// side, and the test reads them back. In the same process libregf parses a corpus NTUSER.DAT first, then
// libpff, libmsiecf and libesedb are called; each must bind only to itself, its own libbfio and the C
// library, in a namespace other than libregf's, and still read its files (index.dat counted against
// msiecfexport, the corpus's Catalog1.edb opened by libesedb down to its table catalogue, which
// esedbinfo lists without a Containers table).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/test_support.h"
#include "triage/pipeline/parser_process.h"

namespace custos::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

FileRecord FileAt(const std::string& path, int64_t size) {
  FileRecord f;
  f.path = path;
  f.name = path.substr(path.rfind('/') + 1);
  f.kind = "file";
  f.size = size;
  return f;
}

struct Binding {
  std::string from, to;  // library file names ("libpff.so.1")
  int from_ns = 0, to_ns = 0;
  std::string symbol;
};

// "   123:\tbinding file /lib/x86_64-linux-gnu/libpff.so.1 [1] to /lib/.../libc.so.6 [1]: normal symbol `malloc'"
std::vector<Binding> ReadBindings(const std::filesystem::path& dir) {
  static const std::regex kLine(R"(binding file (\S+) \[(\d+)\] to (\S+) \[(\d+)\]: \S+ symbol `([^'\[]+))");
  std::vector<Binding> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::istringstream in(ReadAll(entry.path().string()));
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (!std::regex_search(line, m, kLine)) continue;
      out.push_back({std::filesystem::path(m[1].str()).filename().string(),
                     std::filesystem::path(m[3].str()).filename().string(), std::stoi(m[2].str()),
                     std::stoi(m[4].str()), m[5].str()});
    }
  }
  return out;
}

TEST(ParserIsolation, EachLibyalLibraryBindsToItsOwnHelpersBesideLibregf) {
  CUSTOS_REQUIRE_CORPUS(ntuser, "artefacts/windows/NTUSER.DAT");
  CUSTOS_REQUIRE_CORPUS(index_dat, "artefacts/browser/msiecf/History.IE5/index.dat");
  CUSTOS_REQUIRE_CORPUS(catalog, "artefacts/windows/Catalog1.edb");

  TempDir dir;
  std::filesystem::create_directory(dir.path() / "ld");
  // The child inherits the environment ParserProcess starts it with; restored before any check can fail.
  setenv("LD_DEBUG", "bindings", 1);
  setenv("LD_BIND_NOW", "1", 1);
  setenv("LD_DEBUG_OUTPUT", (dir.path() / "ld" / "bindings").c_str(), 1);
  std::map<std::string, Result<ParseReply>> replies;
  {
    ParserProcess process;
    const auto parse = [&](const std::string& parser, const std::string& evidence_path, const std::string& bytes) {
      replies.emplace(parser, process.Parse(parser, FileAt(evidence_path, static_cast<int64_t>(bytes.size())), bytes,
                                            {}, std::chrono::minutes(2)));
    };
    parse("windows.registry.ntuser", "/Users/u/NTUSER.DAT", ReadAll(ntuser));
    // A PST header with noise where its B-trees should be (libpff refuses it: the corpus holds no PST).
    std::string pst = std::string("!BDN\0\0\0\0SM\x17\0\x13\0\x01\x01", 16);
    pst.resize(70000, '\x5a');
    parse("mail.pst", "/Users/u/Documents/Outlook Files/u.pst", pst);
    parse("browser.ie.index_dat", "/Users/u/History.IE5/index.dat", ReadAll(index_dat));
    parse("browser.ie.webcache", "/Users/u/WebCacheV01.dat", ReadAll(catalog));
  }  // the child exits here, and ld.so has flushed its log
  unsetenv("LD_DEBUG");
  unsetenv("LD_BIND_NOW");
  unsetenv("LD_DEBUG_OUTPUT");

  // What the parsers read, in the process where libregf had run first.
  for (const auto& [parser, reply] : replies) ASSERT_TRUE(reply.ok()) << parser << ": " << reply.status().ToString();
  const ParseReply& hive = *replies.at("windows.registry.ntuser");
  EXPECT_TRUE(hive.status.ok()) << hive.status.ToString();
  EXPECT_FALSE(hive.output.rows.empty());
  const ParseReply& pst_reply = *replies.at("mail.pst");
  EXPECT_FALSE(pst_reply.status.ok());
  EXPECT_NE(pst_reply.status.message().find("libpff cannot open the mailbox"), std::string::npos)
      << pst_reply.status.ToString();
  const ParseReply& ie = *replies.at("browser.ie.index_dat");
  EXPECT_TRUE(ie.status.ok()) << ie.status.ToString();
  // msiecfexport prints one "Record type" line per record, recovered ones included, as the parser reads.
  const auto exported = Shell("msiecfexport -m all " + ShellQuote(index_dat) + " 2>/dev/null | grep -c '^Record type'");
  ASSERT_EQ(exported.exit_code, 0);
  EXPECT_EQ(std::to_string(ie.output.rows.size()) + "\n", exported.out);
  const ParseReply& ese = *replies.at("browser.ie.webcache");
  EXPECT_EQ(ese.status.message(), "no Containers table: not a WebCache database") << ese.status.ToString();
  const auto tables = Shell("esedbinfo " + ShellQuote(catalog) + " 2>/dev/null | grep -c '^Table:'");
  EXPECT_EQ(tables.out, "10\n");
  EXPECT_NE(Shell("esedbinfo " + ShellQuote(catalog) + " | grep -q '^Table:.*\\bContainers\\b'").exit_code, 0);

  // What ld.so bound.
  const std::vector<Binding> bindings = ReadBindings(dir.path() / "ld");
  const std::set<std::string> isolated = {"libpff.so.1", "libesedb.so.1", "libmsiecf.so.1"};
  const std::set<std::string> allowed_others = {"libbfio.so.1", "libc.so.6", "libz.so.1", "libpthread.so.0",
                                                "ld-linux-x86-64.so.2"};
  int regf_namespace = -1;
  std::map<std::string, int> own_helper_bindings;  // library -> its libfdata/libcdata... calls bound to itself
  std::map<std::string, int> namespace_of;
  int foreign_count = 0;  // bindings to another library's copy (or across namespaces)
  std::string foreign;    // the first of them
  for (const Binding& b : bindings) {
    if (b.from == "libregf.so.1") regf_namespace = b.from_ns;
    if (!isolated.contains(b.from)) continue;
    namespace_of[b.from] = b.from_ns;
    if (!(b.to == b.from || allowed_others.contains(b.to)) || b.from_ns != b.to_ns) {
      if (foreign_count < 10) foreign += "\n  " + b.from + " bound " + b.symbol + " to " + b.to;
      ++foreign_count;
    }
    if (b.to == b.from && (b.symbol.starts_with("libfdata_") || b.symbol.starts_with("libcdata_") ||
                           b.symbol.starts_with("libuna_") || b.symbol.starts_with("libcerror_")))
      ++own_helper_bindings[b.from];
  }
  EXPECT_EQ(foreign_count, 0) << "bindings to another library's copies, the first:" << foreign;
  ASSERT_GE(regf_namespace, 0) << "no binding of libregf seen: did LD_DEBUG reach custos-parse?";
  EXPECT_EQ(regf_namespace, 0);
  std::set<int> namespaces;
  for (const std::string& lib : isolated) {
    ASSERT_TRUE(namespace_of.contains(lib)) << lib << " was never loaded";
    EXPECT_NE(namespace_of[lib], regf_namespace) << lib;
    namespaces.insert(namespace_of[lib]);
    EXPECT_GT(own_helper_bindings[lib], 0) << lib << " should call its own bundled helpers";
  }
  EXPECT_EQ(namespaces.size(), 3u) << "each isolated library needs a namespace of its own";
}

}  // namespace
}  // namespace custos::testing
