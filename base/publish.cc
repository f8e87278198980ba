#include "base/publish.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace samrad {
namespace {

namespace fs = std::filesystem;

constexpr char kGenPrefix[] = "gen-";

std::vector<fs::path> Generations(const fs::path& state_dir) {
  std::vector<fs::path> gens;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(state_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kGenPrefix, 0) == 0 && e.is_directory(ec)) gens.push_back(e.path());
  }
  std::sort(gens.begin(), gens.end());  // zero-padded numbers sort as names
  return gens;
}

}  // namespace

fs::path PublishedDir(const fs::path& state_dir) { return state_dir / "published"; }

fs::path CurrentGeneration(const fs::path& state_dir) {
  std::error_code ec;
  const fs::path link = PublishedDir(state_dir);
  if (!fs::is_symlink(link, ec)) return {};
  fs::path target = fs::read_symlink(link, ec);
  if (ec) return {};
  target = state_dir / target;
  return fs::is_directory(target, ec) ? target : fs::path{};
}

Result<fs::path> NewGeneration(const fs::path& state_dir) {
  std::error_code ec;
  fs::create_directories(state_dir, ec);
  if (ec) return Status::IOError(state_dir.string() + ": " + ec.message());
  const fs::path current = CurrentGeneration(state_dir);
  int max = 0;
  for (const fs::path& g : Generations(state_dir)) {
    max = std::max(max, std::atoi(g.filename().string().c_str() + sizeof(kGenPrefix) - 1));
    // Newer than the published one and not published: a killed run's leftover.
    if (!current.empty() && g.filename() > current.filename()) fs::remove_all(g, ec);
  }
  char name[32];
  std::snprintf(name, sizeof name, "%s%06d", kGenPrefix, max + 1);
  const fs::path gen = state_dir / name;
  fs::create_directory(gen, ec);
  if (ec) return Status::IOError(gen.string() + ": " + ec.message());
  return gen;
}

Status PublishGeneration(const fs::path& state_dir, const fs::path& generation) {
  const fs::path link = PublishedDir(state_dir);
  const fs::path tmp = state_dir / ("published.tmp." + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove(tmp, ec);
  // A relative target keeps the state directory movable.
  fs::create_directory_symlink(generation.filename(), tmp, ec);
  if (ec) return Status::IOError(tmp.string() + ": cannot create symlink: " + ec.message());
  fs::rename(tmp, link, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return Status::IOError(link.string() + ": cannot publish: " + ec.message());
  }
  return Status::Ok();
}

void PruneGenerations(const fs::path& state_dir, int keep) {
  const fs::path current = CurrentGeneration(state_dir);
  std::vector<fs::path> old;
  for (const fs::path& g : Generations(state_dir)) {
    if (!current.empty() && g.filename() < current.filename()) old.push_back(g);
  }
  std::error_code ec;
  while (static_cast<int>(old.size()) > keep) {
    fs::remove_all(old.front(), ec);
    old.erase(old.begin());
  }
}

}  // namespace samrad
