// Shared helpers for the test suites: where the corpus is, scratch folders, running the independent
// tools (fls, icat, ewfinfo, sqlite3...) that give the expected values, and hashing files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace custos::testing {

// ../shared/corpus as seen from the source tree; empty path if it is absent.
std::filesystem::path CorpusDir();
// Path of a corpus file, or "" when the corpus (or the file) is absent. Use with CUSTOS_REQUIRE_CORPUS.
std::string CorpusFile(const std::string& relative);

// A fresh scratch folder, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout (stderr goes to the test log)
};
// Runs a shell command line and captures stdout.
CommandResult Shell(const std::string& command_line);
// Quotes a string for the shell.
std::string ShellQuote(const std::string& s);

std::string Sha256OfFile(const std::string& path);
// The whole content of a file ("" if it cannot be read).
std::string FileBytes(const std::string& path);
std::string Md5OfBytes(const std::string& bytes);

// Unzips a DFTT zip from the corpus into dir (once per dir); returns the folder it made.
std::filesystem::path UnzipCorpus(const std::string& relative_zip, const std::filesystem::path& dir);

std::vector<std::string> SplitLines(const std::string& text);

// The value after "label:" in ewfinfo's output for an image, e.g. "Case number" or "MD5"; "" if absent.
std::string EwfinfoValue(const std::string& image, const std::string& label);

}  // namespace custos::testing

// Skips the test with a message when a corpus file is absent.
#define CUSTOS_REQUIRE_CORPUS(var, relative)                 \
  std::string var = ::custos::testing::CorpusFile(relative); \
  if (var.empty()) GTEST_SKIP() << "corpus file absent: ../shared/corpus/" << relative
