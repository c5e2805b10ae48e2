// Test helpers (see test_support.h).
#include "tests/support/test_support.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

namespace custos::testing {
namespace fs = std::filesystem;

fs::path CorpusDir() {
  fs::path p = fs::path(CUSTOS_CORPUS_DIR);
  std::error_code ec;
  if (fs::is_directory(p, ec)) return fs::weakly_canonical(p);
  return {};
}

std::string CorpusFile(const std::string& relative) {
  fs::path dir = CorpusDir();
  if (dir.empty()) return "";
  fs::path p = dir / relative;
  std::error_code ec;
  return fs::exists(p, ec) ? p.string() : "";
}

TempDir::TempDir() {
  std::random_device rd;
  fs::path base = fs::temp_directory_path();
  for (int i = 0; i < 100; ++i) {
    fs::path p = base / ("custos-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

CommandResult Shell(const std::string& command_line) {
  CommandResult result;
  FILE* pipe = popen(command_line.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.out.append(buf.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

static std::string Hex(const unsigned char* d, unsigned n) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < n; ++i) {
    s += k[d[i] >> 4];
    s += k[d[i] & 15];
  }
  return s;
}

static std::string Digest(const EVP_MD* md, std::istream& in) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, md, nullptr);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), buf.size());
    if (in.gcount() > 0) EVP_DigestUpdate(ctx, buf.data(), in.gcount());
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, out, &len);
  EVP_MD_CTX_free(ctx);
  return Hex(out, len);
}

std::string Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  return Digest(EVP_sha256(), in);
}

std::string Md5OfBytes(const std::string& bytes) {
  std::istringstream in(bytes);
  return Digest(EVP_md5(), in);
}

fs::path UnzipCorpus(const std::string& relative_zip, const fs::path& dir) {
  std::string zip = CorpusFile(relative_zip);
  if (zip.empty()) return {};
  Shell("unzip -q -o " + ShellQuote(zip) + " -d " + ShellQuote(dir.string()) + " >&2");
  return dir;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string EwfinfoValue(const std::string& image, const std::string& label) {
  for (const auto& line : SplitLines(Shell("ewfinfo " + ShellQuote(image)).out)) {
    const size_t at = line.find(label + ":");
    if (at == std::string::npos) continue;
    std::string v = line.substr(at + label.size() + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    return v;
  }
  return "";
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace custos::testing
