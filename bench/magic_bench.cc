// CPU time libmagic takes to type files the way triage types them (ContentAnalyzer: the first 64 KiB,
// MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING | MAGIC_NO_CHECK_TEXT), per answer, so that a setting can be judged by
// what it saves and by whether any answer changes. Prints "path<TAB>answer" on stdout (diff two runs) and the
// CPU seconds on stderr. Used for "Performance" in README.md.
// Usage: custos-bench-magic LIST_OF_PATHS [HEAD_BYTES=65536] [EXTRA_FLAGS_HEX=0] [PARAM=VALUE...]
//   PARAM is a MAGIC_PARAM_* number (0 indir, 1 name, 5 regex, 6 bytes, 7 encoding), e.g. 0=5.
#include <magic.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace {

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s LIST_OF_PATHS [HEAD_BYTES] [EXTRA_FLAGS_HEX] [PARAM=VALUE...]\n", argv[0]);
    return 2;
  }
  const size_t head = argc > 2 ? std::strtoul(argv[2], nullptr, 0) : 65536;
  const int flags = MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING | MAGIC_NO_CHECK_TEXT | MAGIC_ERROR |
                    (argc > 3 ? static_cast<int>(std::strtol(argv[3], nullptr, 0)) : 0);
  std::ifstream list(argv[1]);
  std::vector<std::pair<std::string, std::string>> files;  // path, its first `head` bytes
  for (std::string path; std::getline(list, path);) {
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    std::string bytes(head, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(head));
    bytes.resize(static_cast<size_t>(in.gcount()));
    files.emplace_back(path, std::move(bytes));
  }
  magic_t magic = magic_open(flags);
  if (!magic || magic_load(magic, nullptr) != 0) {
    std::fprintf(stderr, "libmagic cannot load its database: install libmagic-mgc\n");
    return 1;
  }
  for (int i = 4; i < argc; ++i) {
    const char* eq = std::strchr(argv[i], '=');
    if (!eq) continue;
    const size_t value = std::strtoul(eq + 1, nullptr, 0);
    if (magic_setparam(magic, std::atoi(argv[i]), &value) != 0) std::fprintf(stderr, "cannot set %s\n", argv[i]);
  }
  std::map<std::string, std::pair<int, double>> by_answer;
  double total = 0;
  for (const auto& [path, bytes] : files) {
    if (bytes.empty()) continue;
    const double start = ThreadCpuSeconds();
    const char* answer = magic_buffer(magic, bytes.data(), bytes.size());
    const double spent = ThreadCpuSeconds() - start;
    total += spent;
    auto& entry = by_answer[answer ? answer : "(error)"];
    ++entry.first;
    entry.second += spent;
    std::printf("%s\t%s\n", path.c_str(), answer ? answer : "(error)");
  }
  magic_close(magic);
  std::fprintf(stderr, "%zu files, %.2f CPU s in magic_buffer\n", files.size(), total);
  for (const auto& [answer, entry] : by_answer) {
    std::fprintf(stderr, "  %6d files %7.2f s %7.1f us/file  %s\n", entry.first, entry.second,
                 entry.second / entry.first * 1e6, answer.c_str());
  }
  return 0;
}
