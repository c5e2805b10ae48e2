// Helpers for the end-to-end suites: run the real `custos` program, and read its case file with the
// sqlite3 command-line shell (an independent reader of the case file).
#pragma once

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace custos::testing {

struct CustosRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `custos <args>` (args already shell-quoted where needed).
CustosRun Custos(const std::string& args);

// Rows of a query, each row's columns joined by '|', via `sqlite3 -readonly`.
std::vector<std::string> Sql(const std::string& case_path, const std::string& query);
std::string SqlOne(const std::string& case_path, const std::string& query);

// A folder of `count` files with pseudo-random content (fixed seed), sizes from 1 KiB to ~200 KiB.
void MakeTree(const std::string& dir, int count, unsigned seed);

}  // namespace custos::testing
