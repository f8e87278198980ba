// The samrad command line: each subcommand lives in its own cmd_*.cc file and
// registers itself here. The CLI holds no pipeline logic: it parses flags,
// calls one stage's public function and turns a Status into a message and an
// exit code (see ExitCode below).
#ifndef SAMRAD_CLI_COMMANDS_H_
#define SAMRAD_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "base/status.h"

namespace samrad::cli {

// Exit codes, documented in README.md and `samrad --help`.
enum ExitCode : int {
  kExitOk = 0,          // Done.
  kExitDataFailure = 1, // Done, but the data had a problem (a bad file, a failed check).
  kExitUsage = 2,       // Bad usage: unknown flag, bad value, bad query.
  kExitBusy = 3,        // Another samrad run holds the state directory's lock.
  kExitFailed = 4,      // The run failed (I/O error, internal error); nothing was published.
};

// Maps a Status to the exit code above and prints "samrad: <message>" on stderr.
int ReportFailure(const Status& status);

// The state directory: --state, else $SAMRAD_STATE, else ./samrad-data.
void AddStateOption(CLI::App* command, std::string* state_dir);

// The bundled corpus folder (the default input of ingest and run).
std::filesystem::path BundledCorpusDir();

// A subcommand sets this callback; main() runs it after parsing.
using Action = std::function<int()>;

// A registration function adds one subcommand to `app` and, from the
// subcommand's callback, sets *action to what main() should run.
using Registrar = void (*)(CLI::App& app, Action* action);

// Called once per cmd_*.cc through SAMRAD_REGISTER_COMMAND; `order` places the
// subcommand in `samrad --help` (pipeline order: ingest 10, analyze 30, ...).
bool AddCommand(int order, Registrar registrar);

// Adds every registered subcommand to `app`, in order.
void RegisterAllCommands(CLI::App& app, Action* action);

}  // namespace samrad::cli

#define SAMRAD_REGISTER_COMMAND(order, registrar) \
  static const bool samrad_registered_##registrar = ::samrad::cli::AddCommand(order, registrar)

namespace samrad::cli {

}  // namespace samrad::cli

#endif  // SAMRAD_CLI_COMMANDS_H_
