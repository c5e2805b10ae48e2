// custos: the command line. Subcommands are added in triage/cli/*.cc.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Custos: digital forensics triage"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
