// Time of a thumbnail (MakeThumbnail: decode, shrink, JPEG encode) per picture file: each FILE is read once,
// thumbnailed REPEAT times, and the median and fastest times are printed with the picture's size and the
// peak resident memory so far. Figures, not pass/fail: see bench/run-picture-bench.sh and "Performance".
// Usage: custos-bench-picture REPEAT FILE...
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "triage/picture/thumbnail.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: custos-bench-picture REPEAT FILE...\n");
    return 2;
  }
  const int repeat = std::max(1, std::atoi(argv[1]));
  std::printf("%-28s %12s %10s %10s %12s\n", "file", "size", "median ms", "best ms", "peak RSS MB");
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<double> ms;
    custos::Thumbnail t;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      t = custos::MakeThumbnail(bytes);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const std::string name = std::string(argv[i]).substr(std::string(argv[i]).rfind('/') + 1);
    const std::string size = std::to_string(t.width) + "x" + std::to_string(t.height);
    if (!t.error.empty()) {
      std::printf("%-28s %12s  error: %s\n", name.c_str(), size.c_str(), t.error.c_str());
      continue;
    }
    std::printf("%-28s %12s %10.1f %10.1f %12ld\n", name.c_str(), size.c_str(), ms[ms.size() / 2], ms.front(),
                usage.ru_maxrss / 1024);
  }
  return 0;
}
