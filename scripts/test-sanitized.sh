#!/usr/bin/env bash
# The tests built with AddressSanitizer and UndefinedBehaviorSanitizer (GCC), in build-asan/: the CI option
# to run after any change to a parser or an evidence reader. Any ASan/UBSan report fails the test it
# happens in (-fno-sanitize-recover=all). Usage: scripts/test-sanitized.sh [CTEST_REGEX]
# e.g. scripts/test-sanitized.sh 'HostileInput|FuzzRegressions|Lnk' for the parser tests only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUSTOS_WERROR=ON \
  -DCUSTOS_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$(nproc)"
# Leak checks stay on. Leaks inside Debian's libraries on their own error paths (found by fuzzing, each named
# in the file) are suppressed, as in tests/fuzz/run-fuzz.sh; any other leak fails the test.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan-suppressions.txt:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" ${1:+-R "$1"}
