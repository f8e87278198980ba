// Ingest(): the corpus folder -> STATE_DIR/ingest/.
//
//   1. Lock STATE_DIR/ingest.lock (another ingest on the same state: Busy).
//   2. Load the previous run's output, if any, for incremental work: its
//      documents, its passages (as JSON lines, grouped by document) and its
//      report. It is reusable only when its format version and limits match.
//   3. Walk the corpus (walk.h). Sidecars (*.meta.json) and the manifest are
//      metadata, not documents; a sidecar naming no document is a failure.
//   4. For each document, in path order: read it, resolve its given metadata
//      (sidecar, else manifest), and
//        - if its bytes, given metadata and the format are those of the
//          previous run: copy the previous passages (status "unchanged");
//        - else parse it (ParseDocument); on failure keep the previous
//          version's passages if there are any, and report "failed".
//   5. Documents of the previous run that are gone are reported "removed".
//   6. Write documents.jsonl, passages.jsonl and ingest-report.json into
//      STATE_DIR/ingest.new/, then swap that folder with STATE_DIR/ingest in
//      one rename (renameat2 RENAME_EXCHANGE; two renames where the file system
//      cannot exchange) and delete the old one.
#include "ingest/ingest.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/jsonl.h"
#include "ingest/metadata.h"
#include "ingest/walk.h"

namespace samrad::ingest {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kIngestDir = "ingest";
constexpr const char* kDocumentsFile = "documents.jsonl";
constexpr const char* kPassagesFile = "passages.jsonl";
constexpr const char* kReportFile = "ingest-report.json";
constexpr std::uintmax_t kMaxSidecarBytes = 1 << 20;

std::string Dump(const OrderedJson& json) {
  return json.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

// Holds an exclusive flock on STATE_DIR/ingest.lock for the object's life.
class StateLock {
 public:
  ~StateLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Acquire(const fs::path& state_dir) {
    const fs::path path = state_dir / "ingest.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IOError(path.string() + ": cannot open: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return Status::Busy(state_dir.string() + ": another samrad ingest is using this state");
      }
      return Status::IOError(path.string() + ": cannot lock: " + std::strerror(errno));
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

struct Previous {
  bool reusable = false;  // same format version and limits
  std::map<std::string, Document> documents;
  std::map<std::string, std::vector<std::string>> passage_lines;  // doc id -> JSON lines
  std::map<std::string, FileReport> files;
};

FileReport FileReportFromJson(const Json& j) {
  FileReport f;
  f.path = j.value("path", "");
  f.status = j.value("status", "");
  f.reason = j.value("reason", "");
  f.format = j.value("format", "");
  f.encoding = j.value("encoding", "");
  f.passages = j.value("passages", 0);
  if (auto it = j.find("redactions"); it != j.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (v.is_number_integer()) f.redactions[k] = v.get<int>();
    }
  }
  if (auto it = j.find("warnings"); it != j.end() && it->is_array()) {
    for (const auto& w : *it) {
      if (w.is_string()) f.warnings.push_back(w.get<std::string>());
    }
  }
  return f;
}

// Step 2. Any problem with the old files just means "parse everything".
Previous LoadPrevious(const fs::path& dir, const std::map<std::string, std::uintmax_t>& limits) {
  Previous prev;
  Result<std::string> report = ReadFile(dir / kReportFile);
  if (!report.ok()) return prev;
  try {
    const Json j = Json::parse(*report);
    bool same_limits = j.contains("limits") && j["limits"].is_object();
    if (same_limits) {
      for (const auto& [name, value] : limits) {
        const auto it = j["limits"].find(name);
        same_limits = same_limits && it != j["limits"].end() && it->is_number_unsigned() &&
                      it->get<std::uintmax_t>() == value;
      }
    }
    prev.reusable = j.value("format_version", 0) == kIngestFormatVersion && same_limits;
    if (auto it = j.find("files"); it != j.end() && it->is_array()) {
      for (const auto& f : *it) {
        if (f.is_object()) {
          FileReport fr = FileReportFromJson(f);
          prev.files[fr.path] = std::move(fr);
        }
      }
    }
  } catch (const Json::exception&) {
    return Previous();
  }
  std::ifstream docs(dir / kDocumentsFile);
  std::string line;
  while (std::getline(docs, line)) {
    try {
      Result<Document> d = DocumentFromJson(OrderedJson::parse(line));
      if (!d.ok()) return Previous();
      prev.documents[d->id] = std::move(*d);
    } catch (const Json::exception&) {
      return Previous();
    }
  }
  std::ifstream passages(dir / kPassagesFile);
  while (std::getline(passages, line)) {
    try {
      const Json j = Json::parse(line);
      prev.passage_lines[j.at("doc_id").get<std::string>()].push_back(line);
    } catch (const Json::exception&) {
      prev.reusable = false;
      break;
    }
  }
  return prev;
}

// Status messages from file helpers name absolute paths; reports name the
// corpus-relative path.
std::string Reason(const Status& status, const fs::path& path, const std::string& rel) {
  std::string message = status.message();
  const std::string abs = path.string();
  for (size_t at = 0; !abs.empty() && (at = message.find(abs, at)) != std::string::npos;) {
    message.replace(at, abs.size(), rel);
    at += rel.size();
  }
  if (message.rfind(rel + ": ", 0) == 0) message.erase(0, rel.size() + 2);
  return message;
}

std::string FormatOf(const std::string& rel) {
  const size_t slash = rel.rfind('/');
  const std::string name = rel.substr(slash == std::string::npos ? 0 : slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string ext = name.substr(dot + 1);
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return ext;
}

bool IsSidecar(const std::string& rel) {
  return rel.size() > kSidecarSuffix.size() &&
         rel.compare(rel.size() - kSidecarSuffix.size(), kSidecarSuffix.size(), kSidecarSuffix) ==
             0;
}

// Step 6: exchange STATE_DIR/ingest.new and STATE_DIR/ingest.
Status Publish(const fs::path& fresh, const fs::path& target) {
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
      fs::remove_all(fresh, ec);  // now the old output
      return Status::Ok();
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
      return Status::IOError(target.string() +
                             ": cannot swap in the new output: " + std::strerror(errno));
    }
    // No RENAME_EXCHANGE on this file system: two renames, with a short window
    // in which the folder is missing (never half-written).
    const fs::path old = target.string() + ".old";
    fs::remove_all(old, ec);
    if (std::rename(target.c_str(), old.c_str()) != 0) {
      return Status::IOError(target.string() + ": cannot move aside: " + std::strerror(errno));
    }
    if (std::rename(fresh.c_str(), target.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      std::rename(old.c_str(), target.c_str());
      return Status::IOError(target.string() + ": cannot publish: " + why);
    }
    fs::remove_all(old, ec);
    return Status::Ok();
  }
  if (std::rename(fresh.c_str(), target.c_str()) != 0) {
    return Status::IOError(target.string() + ": cannot publish: " + std::strerror(errno));
  }
  return Status::Ok();
}

OrderedJson FileReportToJson(const FileReport& f) {
  OrderedJson j;
  j["path"] = f.path;
  j["status"] = f.status;
  j["reason"] = f.reason;
  j["format"] = f.format;
  j["encoding"] = f.encoding;
  j["passages"] = f.passages;
  OrderedJson red = OrderedJson::object();
  for (const auto& [k, v] : f.redactions) red[k] = v;
  j["redactions"] = std::move(red);
  j["warnings"] = f.warnings;
  return j;
}

}  // namespace

std::string ReportToJson(const IngestReport& report) {
  OrderedJson j;
  j["format_version"] = kIngestFormatVersion;
  OrderedJson limits = OrderedJson::object();
  for (const auto& [k, v] : report.limits) limits[k] = v;
  j["limits"] = std::move(limits);
  OrderedJson summary;
  summary["files"] = report.files.size();
  summary["ingested"] = report.ingested;
  summary["unchanged"] = report.unchanged;
  summary["skipped"] = report.skipped;
  summary["failed"] = report.failed;
  summary["removed"] = report.removed;
  summary["passages"] = report.passages;
  j["summary"] = std::move(summary);
  OrderedJson files = OrderedJson::array();
  for (const FileReport& f : report.files) files.push_back(FileReportToJson(f));
  j["files"] = std::move(files);
  return j.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

Result<IngestReport> Ingest(const IngestOptions& options) {
  auto read_file = options.read_file;
  if (!read_file) {
    read_file = [](const fs::path& p, std::uintmax_t max) { return ReadFile(p, max); };
  }
  std::error_code ec;
  fs::create_directories(options.state_dir, ec);
  if (ec) return Status::IOError(options.state_dir.string() + ": cannot create: " + ec.message());
  StateLock lock;
  SAMRAD_RETURN_IF_ERROR(lock.Acquire(options.state_dir));

  IngestReport report;
  report.limits = {{"max_file_bytes", options.max_file_bytes},
                   {"max_passage_bytes", options.max_passage_bytes},
                   {"max_unpacked_bytes", options.max_unpacked_bytes}};
  const fs::path out_dir = options.state_dir / kIngestDir;
  const fs::path old_aside = out_dir.string() + ".old";
  if (!fs::exists(out_dir, ec) && fs::exists(old_aside, ec)) {
    fs::rename(old_aside, out_dir, ec);  // an interrupted two-rename publish
  }
  Previous prev = LoadPrevious(out_dir, report.limits);

  Result<std::vector<CorpusEntry>> walked = WalkCorpus(options.corpus_dir);
  if (!walked.ok()) return walked.status();

  // Step 3: documents, sidecars, manifest.
  std::vector<const CorpusEntry*> documents;
  std::map<std::string, const CorpusEntry*> sidecars;  // target doc id -> sidecar
  const CorpusEntry* manifest_entry = nullptr;
  std::set<std::string> document_ids;
  for (const CorpusEntry& e : *walked) {
    if (e.kind == CorpusEntry::Kind::kFile && IsSidecar(e.rel_path)) {
      sidecars[e.rel_path.substr(0, e.rel_path.size() - kSidecarSuffix.size())] = &e;
    } else if (e.kind == CorpusEntry::Kind::kFile && e.rel_path == kManifestName) {
      manifest_entry = &e;
    } else {
      documents.push_back(&e);
      document_ids.insert(e.rel_path);
    }
  }

  std::map<std::string, FileReport> files;  // by path
  std::map<std::string, Json> manifest;
  if (manifest_entry != nullptr) {
    FileReport f;
    f.path = manifest_entry->rel_path;
    f.format = "json";
    f.status = "failed";
    Result<std::string> bytes = read_file(manifest_entry->path, options.max_file_bytes);
    if (!bytes.ok()) {
      f.reason = Reason(bytes.status(), manifest_entry->path, f.path);
      files[f.path] = f;
    } else if (Result<std::map<std::string, Json>> m = ParseManifest(*bytes); !m.ok()) {
      f.reason = m.status().message();
      files[f.path] = f;
    } else {
      manifest = std::move(*m);
      std::vector<std::string> unknown;
      for (const auto& [id, meta] : manifest) {
        if (document_ids.count(id) == 0) unknown.push_back(id);
      }
      if (!unknown.empty()) {
        f.reason =
            "documents." + std::string("\"") + unknown.front() + "\" names no existing document";
        if (unknown.size() > 1) {
          f.reason += " (and " + std::to_string(unknown.size() - 1) + " more)";
        }
        files[f.path] = f;
      }
    }
  }
  for (const auto& [target, sidecar] : sidecars) {
    if (document_ids.count(target) == 0) {
      FileReport f;
      f.path = sidecar->rel_path;
      f.status = "failed";
      f.format = "json";
      f.reason = "sidecar names no existing document (" + target + ")";
      files[f.path] = f;
    }
  }

  // Step 4.
  struct Output {
    Document document;
    std::vector<Passage> passages;          // when parsed
    const std::vector<std::string>* lines;  // when carried over
  };
  std::map<std::string, Output> outputs;
  size_t done = 0;
  for (const CorpusEntry* e : documents) {
    if (options.progress) options.progress(done, documents.size());
    ++done;
    FileReport f;
    f.path = e->rel_path;
    f.format = FormatOf(e->rel_path);
    if (e->kind == CorpusEntry::Kind::kFailed) {
      f.status = "failed";
      f.reason = e->reason;
      files[f.path] = std::move(f);
      continue;
    }
    if (e->kind == CorpusEntry::Kind::kSkipped) {
      f.status = "skipped";
      f.reason = e->reason;
      files[f.path] = std::move(f);
      continue;
    }
    if (!IsSupportedFormat(f.format)) {
      f.status = "skipped";
      f.reason = f.format.empty() ? "no file extension; not a known format"
                                  : "unknown extension ." + f.format + "; not a known format";
      files[f.path] = std::move(f);
      continue;
    }
    const Document* previous = nullptr;
    if (auto it = prev.documents.find(f.path); it != prev.documents.end()) previous = &it->second;
    auto carried_lines = [&]() -> const std::vector<std::string>* {
      if (!prev.reusable || previous == nullptr) return nullptr;
      static const std::vector<std::string> kNone;
      auto it = prev.passage_lines.find(f.path);
      const std::vector<std::string>* lines = it == prev.passage_lines.end() ? &kNone : &it->second;
      if (static_cast<int>(lines->size()) != previous->passage_count) return nullptr;
      return lines;
    };
    auto fail = [&](std::string reason) {
      f.status = "failed";
      f.reason = std::move(reason);
      if (const std::vector<std::string>* lines = carried_lines()) {
        f.warnings.push_back("kept the " + std::to_string(lines->size()) +
                             " passages of the previous version");
        outputs[f.path] = Output{*previous, {}, lines};
      }
      files[f.path] = std::move(f);
    };

    Result<std::string> bytes = read_file(e->path, options.max_file_bytes);
    if (!bytes.ok()) {
      fail(Reason(bytes.status(), e->path, f.path));
      continue;
    }
    // Given metadata: sidecar, else manifest entry.
    std::optional<DocumentMeta> given;
    if (auto it = sidecars.find(f.path); it != sidecars.end()) {
      Result<std::string> sidecar_bytes = read_file(it->second->path, kMaxSidecarBytes);
      if (!sidecar_bytes.ok()) {
        fail(Reason(sidecar_bytes.status(), it->second->path, it->second->rel_path));
        continue;
      }
      Result<DocumentMeta> meta = ParseSidecar(*sidecar_bytes, it->second->rel_path);
      if (!meta.ok()) {
        fail(meta.status().message());
        continue;
      }
      given = std::move(*meta);
    } else if (auto m = manifest.find(f.path); m != manifest.end()) {
      Result<DocumentMeta> meta = MetaFromSidecarJson(
          m->second, std::string(kManifestName) + ": documents.\"" + f.path + "\"");
      if (!meta.ok()) {
        fail(meta.status().message());
        continue;
      }
      given = std::move(*meta);
    }

    const std::string hash = ContentHash(*bytes);
    const DocumentMeta given_meta = given ? *given : DocumentMeta();
    if (previous != nullptr && previous->source_hash == hash &&
        GivenPart(previous->meta) == given_meta) {
      if (const std::vector<std::string>* lines = carried_lines()) {
        f.status = "unchanged";
        f.reason = "same content and metadata as the last run; not parsed again";
        f.encoding = previous->source_encoding;
        f.passages = previous->passage_count;
        f.redactions = previous->redactions;
        if (auto it = prev.files.find(f.path); it != prev.files.end()) {
          f.warnings = it->second.warnings;
        }
        outputs[f.path] = Output{*previous, {}, lines};
        files[f.path] = std::move(f);
        continue;
      }
    }

    ParseOptions parse_options;
    parse_options.kind = given ? given->kind : "other";
    parse_options.max_passage_bytes = options.max_passage_bytes;
    parse_options.max_unpacked_bytes = options.max_unpacked_bytes;
    Result<ParsedDocument> parsed = ParseDocument(*bytes, f.format, f.path, parse_options);
    if (!parsed.ok()) {
      fail(parsed.status().message());
      continue;
    }
    Document doc;
    doc.id = f.path;
    doc.format = f.format;
    doc.source_hash = hash;
    doc.source_encoding = parsed->encoding;
    doc.meta = ResolveMeta(given ? &*given : nullptr, *parsed);
    doc.passage_count = static_cast<int>(parsed->passages.size());
    doc.redactions = parsed->redactions;

    f.status = "ingested";
    f.reason = previous == nullptr                       ? "new file"
               : previous->source_hash != hash           ? "content changed since the last run"
               : GivenPart(previous->meta) != given_meta ? "metadata changed since the last run"
                                                         : "ingest format or limits changed";
    f.encoding = doc.source_encoding;
    f.passages = doc.passage_count;
    f.redactions = doc.redactions;
    f.warnings = std::move(parsed->warnings);
    if (!given) {
      std::string inferred;
      for (const std::string& field : doc.meta.inferred) {
        inferred += (inferred.empty() ? "" : ", ") + field;
      }
      f.warnings.push_back("no metadata (no " + f.path + std::string(kSidecarSuffix) +
                           " and no manifest entry); inferred: " + inferred);
    }
    outputs[f.path] = Output{std::move(doc), std::move(parsed->passages), nullptr};
    files[f.path] = std::move(f);
  }
  if (options.progress) options.progress(documents.size(), documents.size());

  // Step 5.
  for (const auto& [id, doc] : prev.documents) {
    if (document_ids.count(id) > 0 || files.count(id) > 0) continue;
    FileReport f;
    f.path = id;
    f.status = "removed";
    f.reason = "no longer in the corpus; its " + std::to_string(doc.passage_count) +
               " passages were dropped";
    f.format = doc.format;
    files[id] = std::move(f);
  }

  // Step 6.
  std::string documents_jsonl, passages_jsonl;
  for (const auto& [id, out] : outputs) {
    documents_jsonl += Dump(ToJson(out.document)) + "\n";
    if (out.lines != nullptr) {
      for (const std::string& line : *out.lines) passages_jsonl += line + "\n";
    } else {
      for (const Passage& p : out.passages) passages_jsonl += Dump(ToJson(p)) + "\n";
    }
    report.passages += out.document.passage_count;
  }
  for (auto& [path, f] : files) {
    if (f.status == "ingested") ++report.ingested;
    if (f.status == "unchanged") ++report.unchanged;
    if (f.status == "skipped") ++report.skipped;
    if (f.status == "failed") ++report.failed;
    if (f.status == "removed") ++report.removed;
    report.files.push_back(std::move(f));
  }

  const fs::path fresh = out_dir.string() + ".new";
  fs::remove_all(fresh, ec);
  Status written = WriteFileAtomically(fresh / kDocumentsFile, documents_jsonl);
  if (written.ok()) written = WriteFileAtomically(fresh / kPassagesFile, passages_jsonl);
  if (written.ok()) written = WriteFileAtomically(fresh / kReportFile, ReportToJson(report));
  if (written.ok()) written = Publish(fresh, out_dir);
  if (!written.ok()) {
    fs::remove_all(fresh, ec);
    return written;
  }
  return report;
}

Result<std::vector<Document>> LoadDocuments(const fs::path& state_dir) {
  const fs::path path = state_dir / kIngestDir / kDocumentsFile;
  std::ifstream in(path);
  if (!in) {
    return Status::NotFound(path.string() + ": no ingested documents (run samrad ingest first)");
  }
  std::vector<Document> documents;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    try {
      Result<Document> d = DocumentFromJson(OrderedJson::parse(line));
      if (!d.ok()) return d.status().WithContext(path.string() + ":" + std::to_string(n));
      documents.push_back(std::move(*d));
    } catch (const Json::exception&) {
      return Status::DataError(path.string() + ":" + std::to_string(n) + ": not valid JSON");
    }
  }
  return documents;
}

Status ForEachPassage(const fs::path& state_dir, const std::function<Status(const Passage&)>& fn) {
  const fs::path path = state_dir / kIngestDir / kPassagesFile;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound(path.string() + ": no ingested passages (run samrad ingest first)");
  }
  // Lines are parsed on several threads, passages handed over in file order
  // (#11: every later stage reads this file).
  auto parse = [&](std::string_view line, int n, Passage* out) -> Status {
    Result<Passage> p = Status::Ok();
    try {
      p = PassageFromJson(OrderedJson::parse(line));
    } catch (const Json::exception&) {
      return Status::DataError(path.string() + ":" + std::to_string(n) + ": not valid JSON");
    }
    if (!p.ok()) return p.status().WithContext(path.string() + ":" + std::to_string(n));
    *out = std::move(*p);
    return Status::Ok();
  };
  return ForEachLineInParallel<Passage>(path, parse, [&](Passage&& p, int) { return fn(p); });
}

}  // namespace samrad::ingest
