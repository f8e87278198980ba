#include "tests/testing.h"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace samrad::testing {

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  TempDir dir;
  const std::string err_path = (dir.path() / "stderr").string();
  const std::string full = command + " 2>'" + err_path + "'";
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.out.append(buf, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream err(err_path, std::ios::binary);
  std::stringstream ss;
  ss << err.rdbuf();
  result.err = ss.str();
  return result;
}

}  // namespace samrad::testing
