// End-to-end helpers (see e2e_support.h).
#include "tests/e2e/e2e_support.h"

#include <filesystem>
#include <fstream>
#include <random>

namespace custos::testing {

CustosRun Custos(const std::string& args) {
  TempDir scratch;
  const std::string err_path = scratch.File("stderr.txt");
  CommandResult r = Shell(std::string(CUSTOS_EXE) + " " + args + " 2>" + ShellQuote(err_path));
  CustosRun out;
  out.exit_code = r.exit_code;
  out.out = r.out;
  std::ifstream in(err_path);
  out.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return out;
}

std::vector<std::string> Sql(const std::string& case_path, const std::string& query) {
  return SplitLines(Shell("sqlite3 -readonly -batch " + ShellQuote(case_path) + " " + ShellQuote(query)).out);
}

std::string SqlOne(const std::string& case_path, const std::string& query) {
  auto rows = Sql(case_path, query);
  return rows.empty() ? "" : rows.front();
}

void MakeTree(const std::string& dir, int count, unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    const std::filesystem::path sub = std::filesystem::path(dir) / ("d" + std::to_string(i % 20));
    std::filesystem::create_directories(sub);
    const size_t size = 1024 + rng() % (200 * 1024);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    std::ofstream(sub / ("f" + std::to_string(i) + ".bin"), std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
}

}  // namespace custos::testing
