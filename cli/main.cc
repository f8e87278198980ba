// samrad: the command-line entry point. See `samrad --help`.
#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>
#include <iostream>

#include "base/memory.h"
#include "cli/commands.h"

#ifndef SAMRAD_VERSION
#error "SAMRAD_VERSION must be defined by the build"
#endif
#ifndef SAMRAD_SOURCE_DIR
#error "SAMRAD_SOURCE_DIR must be defined by the build"
#endif

namespace samrad::cli {

int ReportFailure(const Status& status) {
  if (status.ok()) return kExitOk;
  std::cerr << "samrad: " << status.message() << "\n";
  switch (status.code()) {
    case Status::Code::kInvalidArgument: return kExitUsage;
    case Status::Code::kDataError:
    case Status::Code::kNotFound: return kExitDataFailure;
    case Status::Code::kBusy: return kExitBusy;
    default: return kExitFailed;
  }
}

void AddStateOption(CLI::App* command, std::string* state_dir) {
  const char* env = std::getenv("SAMRAD_STATE");
  *state_dir = (env != nullptr && *env != '\0') ? env : "samrad-data";
  command->add_option("--state", *state_dir,
                      "State directory (default: $SAMRAD_STATE, else ./samrad-data)")
      ->capture_default_str();
}

namespace {
std::vector<std::pair<int, Registrar>>& Registry() {
  static std::vector<std::pair<int, Registrar>> registry;
  return registry;
}
}  // namespace

bool AddCommand(int order, Registrar registrar) {
  Registry().emplace_back(order, registrar);
  return true;
}

void RegisterAllCommands(CLI::App& app, Action* action) {
  auto registry = Registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, registrar] : registry) registrar(app, action);
}

std::filesystem::path BundledCorpusDir() {
  return std::filesystem::path(SAMRAD_SOURCE_DIR) / "corpus" / "documents";
}

}  // namespace samrad::cli

int main(int argc, char** argv) {
  using namespace samrad::cli;
  CLI::App app{
      "samrad: turns what stakeholders said in a regional strategy consultation into\n"
      "something planners can search, count and quote.\n\n"
      "Exit codes: 0 ok; 1 done, but some input data failed; 2 bad usage;\n"
      "3 another run holds the state lock; 4 the run failed (nothing published).",
      "samrad"};
  app.set_version_flag("--version", std::string("samrad ") + SAMRAD_VERSION + " (allocator: " + samrad::AllocatorName() + ")");
  app.require_subcommand(0, 1);
  app.fallthrough(false);

  Action action;
  RegisterAllCommands(app, &action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);  // Prints help, returns 0.
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "samrad: " << e.what() << "\nRun 'samrad --help' for usage.\n";
    return kExitUsage;
  }
  if (!action) {
    std::cerr << "samrad: no subcommand given\nRun 'samrad --help' for usage.\n";
    return kExitUsage;
  }
  try {
    return action();
  } catch (const std::exception& e) {
    // Stages report errors as values; reaching here is a bug, but the user
    // still gets one line instead of a crash.
    std::cerr << "samrad: internal error: " << e.what() << "\n";
    return kExitFailed;
  }
}
