// Sharded index builds and the shard list (shards.h), and opening a shard
// set for search (shard_set.h).
//
// A sharded build:
//  1. Reads the live generation's shard list, if any: its shards are the
//     bases of an incremental build when their number is unchanged.
//  2. Builds shard K with BuildIndex restricted to the documents whose id
//     hashes to K, on a small pool of threads (each build also tokenises in
//     parallel, so the pool is no larger than the machine).
//  3. Writes the shard list; on any failure removes everything it wrote.
#include "index/shards.h"

#include <algorithm>
#include <thread>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/publish.h"
#include "index/parallel_build.h"
#include "index/shard_set.h"

namespace samrad::index {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr char kFormat[] = "samrad-shards-1";

std::string ShardName(int k) { return "shard-" + std::to_string(k); }

// "host:port" (host may be a name, an IPv4 address or [IPv6]).
bool ParseHostPort(const std::string& s, std::string* host, int* port) {
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= s.size()) return false;
  std::string h = s.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  int p = 0;
  for (size_t i = colon + 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9' || p > 65535) return false;
    p = p * 10 + (s[i] - '0');
  }
  if (p < 1 || p > 65535 || h.empty()) return false;
  *host = h;
  *port = p;
  return true;
}

}  // namespace

int ShardOf(std::string_view doc_id, int shards) {
  if (shards <= 1) return 0;
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : doc_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<int>(h % static_cast<std::uint64_t>(shards));
}

std::string ShardEntry::Describe() const {
  if (!host.empty()) return name + " (" + host + ":" + std::to_string(port) + ")";
  return name + " (" + path.string() + ")";
}

Result<ShardList> ReadShardList(const fs::path& file) {
  Result<std::string> text = ReadFile(file, 16 << 20);
  if (!text.ok()) return text.status();
  const Json j = Json::parse(*text, nullptr, false);
  auto bad = [&](const std::string& what) {
    return Status::DataError(file.string() + ": not a shard list: " + what + " (docs/scaling.md)");
  };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j.contains("shards") || !j["shards"].is_array() || j["shards"].empty()) {
    return bad("\"shards\" must be a non-empty array");
  }
  ShardList list;
  const fs::path base = fs::absolute(file).parent_path();
  for (size_t i = 0; i < j["shards"].size(); ++i) {
    const Json& s = j["shards"][i];
    const std::string where = "shard " + std::to_string(i);
    if (!s.is_object()) return bad(where + " is not an object");
    ShardEntry e;
    e.name = s.contains("name") && s["name"].is_string() ? s["name"].get<std::string>()
                                                         : ShardName(static_cast<int>(i));
    const bool has_path = s.contains("path") && s["path"].is_string();
    const bool has_remote = s.contains("remote") && s["remote"].is_string();
    if (has_path == has_remote) return bad(where + " needs exactly one of \"path\" and \"remote\"");
    if (has_path) {
      e.path = s["path"].get<std::string>();
      if (e.path.is_relative()) e.path = base / e.path;
    } else if (!ParseHostPort(s["remote"].get<std::string>(), &e.host, &e.port)) {
      return bad(where + ": \"remote\" must be host:port, not \"" + s["remote"].get<std::string>() +
                 "\"");
    }
    list.shards.push_back(std::move(e));
  }
  for (const char* key : {"timeout_ms", "connect_timeout_ms"}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_number_integer() || j[key].get<int>() < 1)
      return bad(std::string(key) + " must be a positive integer");
    (std::string(key) == "timeout_ms" ? list.timeout_ms : list.connect_timeout_ms) =
        j[key].get<int>();
  }
  if (j.contains("allow_partial")) {
    if (!j["allow_partial"].is_boolean()) return bad("allow_partial must be true or false");
    list.allow_partial = j["allow_partial"].get<bool>();
  }
  return list;
}

std::string ShardListJson(const ShardList& list) {
  Json j;
  j["format"] = kFormat;
  Json shards = Json::array();
  for (const ShardEntry& e : list.shards) {
    Json s;
    s["name"] = e.name;
    if (e.host.empty()) {
      s["path"] = e.path.string();
    } else {
      s["remote"] = e.host + ":" + std::to_string(e.port);
    }
    shards.push_back(std::move(s));
  }
  j["shards"] = std::move(shards);
  if (list.timeout_ms) j["timeout_ms"] = *list.timeout_ms;
  if (list.connect_timeout_ms) j["connect_timeout_ms"] = *list.connect_timeout_ms;
  if (list.allow_partial) j["allow_partial"] = *list.allow_partial;
  return j.dump(2) + "\n";
}

fs::path PublishedShardListPath(const fs::path& state_dir) {
  return PublishedDir(state_dir) / kShardsDirName / kShardListName;
}

Result<IndexSummary> BuildShardedIndex(const IndexOptions& options, int shards,
                                       const analysis::Analyzer& analyzer) {
  if (shards < 1 || shards > kMaxShards) {
    return Status::InvalidArgument("--shards must be 1.." + std::to_string(kMaxShards));
  }
  std::error_code ec;
  if (fs::exists(options.db_dir, ec)) {
    return Status::InvalidArgument(options.db_dir.string() +
                                   ": already exists; the index is built into a new directory");
  }
  // Start from the live shards only when they were cut the same way.
  bool incremental = false;
  if (!options.base_db.empty()) {
    Result<ShardList> base = ReadShardList(options.base_db / kShardListName);
    incremental = base.ok() && static_cast<int>(base->shards.size()) == shards;
  }
  // Each shard's base: the live shard, or none (from scratch) when there is
  // none or it has an older format, as BuildIndex decides for one database.
  // A live shard that cannot be opened is an error now, before anything is
  // built, as it is for one database.
  std::vector<fs::path> bases(static_cast<size_t>(shards));
  for (int k = 0; incremental && k < shards; ++k) {
    fs::path base = options.base_db / ShardName(k);
    if (!fs::is_directory(base, ec)) continue;
    Result<std::string> mismatch = internal::BaseIndexMismatch(base);
    if (!mismatch.ok()) return mismatch.status();
    if (mismatch->empty()) bases[static_cast<size_t>(k)] = std::move(base);
  }
  fs::create_directories(options.db_dir, ec);
  if (ec) return Status::IOError(options.db_dir.string() + ": cannot create: " + ec.message());

  std::vector<Result<IndexSummary>> results = internal::BuildDatabasesAtOnce(
      options, shards,
      [&](int k) {
        IndexOptions o = options;
        o.db_dir = options.db_dir / ShardName(k);
        o.base_db = bases[static_cast<size_t>(k)];
        return o;
      },
      analyzer);

  IndexSummary total;
  ShardList list;
  for (int k = 0; k < shards; ++k) {
    const Result<IndexSummary>& r = results[static_cast<size_t>(k)];
    if (!r.ok()) {
      fs::remove_all(options.db_dir, ec);
      return r.status().WithContext(ShardName(k));
    }
    total.passages += r->passages;
    total.documents += r->documents;
    total.added += r->added;
    total.replaced += r->replaced;
    total.rethemed += r->rethemed;
    total.deleted += r->deleted;
    total.unchanged += r->unchanged;
    total.bytes += r->bytes;
    list.shards.push_back({ShardName(k), ShardName(k), "", 0});
  }
  if (Status s = WriteFileAtomically(options.db_dir / kShardListName, ShardListJson(list));
      !s.ok()) {
    fs::remove_all(options.db_dir, ec);
    return s;
  }
  return total;
}

Result<IndexSummary> IndexAndPublishSharded(const fs::path& state_dir,
                                            const fs::path& synonyms_path, int shards,
                                            const analysis::Analyzer& analyzer) {
  const fs::path current = CurrentGeneration(state_dir);
  Result<fs::path> gen = NewGeneration(state_dir);
  if (!gen.ok()) return gen.status();
  IndexOptions o;
  o.state_dir = state_dir;
  o.db_dir = *gen / kShardsDirName;
  o.synonyms_path = synonyms_path;
  std::error_code ec;
  if (!current.empty() && fs::is_directory(current / kShardsDirName, ec))
    o.base_db = current / kShardsDirName;
  Result<IndexSummary> s = BuildShardedIndex(o, shards, analyzer);
  if (s.ok() && !current.empty() && fs::is_directory(current / "reports", ec)) {
    fs::copy(current / "reports", *gen / "reports", fs::copy_options::recursive, ec);
    if (ec)
      s = Status::IOError((current / "reports").string() + ": cannot carry over: " + ec.message());
  }
  if (!s.ok()) {
    fs::remove_all(*gen, ec);
    return s;
  }
  if (Status p = PublishGeneration(state_dir, *gen); !p.ok()) {
    fs::remove_all(*gen, ec);
    return p;
  }
  PruneGenerations(state_dir, 2);
  return s;
}

namespace internal {

ShardSetOptions ResolveShardSetOptions(const ShardList& list, const SearcherOptions& options) {
  ShardSetOptions o;
  o.timeout_ms = options.timeout_ms.value_or(list.timeout_ms.value_or(o.timeout_ms));
  o.connect_timeout_ms =
      options.connect_timeout_ms.value_or(list.connect_timeout_ms.value_or(o.connect_timeout_ms));
  o.allow_partial = options.allow_partial.value_or(list.allow_partial.value_or(o.allow_partial));
  return o;
}

Result<OpenedShards> OpenShardSet(const ShardList& list, const ShardSetOptions& options) {
  const size_t n = list.shards.size();
  std::vector<Xapian::Database> dbs(n);
  std::vector<std::string> errors(n);
  auto open_one = [&](size_t i) {
    const ShardEntry& e = list.shards[i];
    try {
      if (e.host.empty()) {
        dbs[i] = Xapian::Database(e.path.string());
      } else {
        dbs[i] = Xapian::Remote::open(e.host, static_cast<unsigned>(e.port),
                                      static_cast<unsigned>(options.timeout_ms),
                                      static_cast<unsigned>(options.connect_timeout_ms));
        dbs[i].keep_alive();  // one round trip: a server that accepts but never answers fails here
      }
    } catch (const Xapian::Error& err) {
      errors[i] = e.Describe() + ": " + err.get_description();
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < n; ++i) {
    if (list.shards[i].host.empty()) {
      open_one(i);
    } else {
      threads.emplace_back(open_one, i);
    }
  }
  for (std::thread& t : threads) t.join();

  OpenedShards out;
  std::string first_error;
  for (size_t i = 0; i < n; ++i) {
    if (!errors[i].empty()) {
      if (first_error.empty()) first_error = errors[i];
      out.missing.push_back(list.shards[i].Describe());
      continue;
    }
    out.all.add_database(dbs[i]);
    out.each.push_back(dbs[i]);
    if (list.shards[i].host.empty()) out.lexicon.add_database(dbs[i]);
  }
  if (!first_error.empty() && (!options.allow_partial || out.missing.size() == n)) {
    std::string msg = "shard " + first_error;
    if (out.missing.size() > 1)
      msg += " (and " + std::to_string(out.missing.size() - 1) + " more shards)";
    return Status::IOError(msg);
  }
  return out;
}

}  // namespace internal
}  // namespace samrad::index
