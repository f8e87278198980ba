// Ingest(): the corpus folder -> STATE_DIR/ingest/.
//
//   1. Lock STATE_DIR/ingest.lock (another ingest on the same state: Busy).
//   2. Load the previous run's output, if any, for incremental work: its
//      documents, its report and its passages file as raw bytes, with each
//      document's lines found by one scan of their heads (no JSON parsing; see
//      IndexPreviousPassages). It is reusable only when its format version and
//      limits match; a document whose lines are damaged is parsed again.
//   3. Walk the corpus (walk.h). Sidecars (*.meta.json) and the manifest are
//      metadata, not documents; a sidecar naming no document is a failure.
//   4. For each document, in path order: read it, resolve its given metadata
//      (sidecar, else manifest), and
//        - if its bytes, given metadata and the format are those of the
//          previous run: copy the previous passages (status "unchanged");
//        - else parse it (ParseDocument); on failure keep the previous
//          version's passages if there are any, and report "failed".
//   5. Documents of the previous run that are gone are reported "removed".
//   6. Write documents.jsonl, passages.jsonl (carried-over documents as byte
//      ranges of the previous file) and ingest-report.json into
//      STATE_DIR/ingest.new/, then swap that folder with STATE_DIR/ingest in
//      one rename (renameat2 RENAME_EXCHANGE; two renames where the file system
//      cannot exchange) and delete the old one.
#include "ingest/ingest.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/jsonl.h"
#include "base/parallel.h"
#include "ingest/metadata.h"
#include "ingest/passage_lines.h"
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

// An open file descriptor, closed with the object.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// The previous passages.jsonl is read and copied through one buffer of this
// size: fresh memory costs a page fault per 4 KiB (expensive on virtual
// machines), so the file is never held in memory as a whole.
constexpr size_t kCopyBuffer = 1 << 20;

// read() that retries on EINTR; returns the bytes read, 0 at the end, -1 on
// an error (errno set).
ssize_t ReadSome(int fd, char* data, size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd, data, size);
    if (n >= 0 || errno != EINTR) return n;
  }
}

// Where one document's passages are in the previous passages.jsonl: the whole
// lines at byte offsets [begin, end), each ending in '\n'.
struct PassageSpan {
  std::uint64_t begin = 0, end = 0;
  int count = 0;
  // A line of this document is not in the shape Ingest() writes, its ordinals
  // are not 0, 1, 2, ..., or its lines are not together: never copied.
  bool damaged = false;
};

struct Previous {
  bool reusable = false;  // same format version and limits, passages readable
  bool passages_damaged = false;  // passages.jsonl has a line naming no document
  std::map<std::string, Document> documents;
  Fd passages;  // the previous passages.jsonl, open for copying spans
  std::map<std::string, PassageSpan, std::less<>> passage_spans;  // by doc id
  std::map<std::string, std::vector<std::string>> warnings;  // by path; only non-empty
};

// Reads what an incremental run needs from the previous ingest-report.json
// without building its JSON tree (20,000 files are ~25 MB of nodes): the
// format version, the limits and each file's warnings. The same file as
// before is accepted: valid JSON, "format_version" a number if present,
// "path" a string where present, "warnings" string elements kept.
class ReportReader : public nlohmann::json_sax<Json> {
 public:
  int format_version = 0;
  std::map<std::string, std::optional<std::uintmax_t>> limits;  // nullopt: not unsigned
  bool has_limits = false;
  std::map<std::string, std::vector<std::string>> warnings;  // by path; only non-empty
  bool valid = true;

  bool null() override { return Scalar(); }
  bool boolean(bool) override { return Scalar(); }
  bool number_integer(number_integer_t v) override { return Number(static_cast<double>(v), {}); }
  bool number_unsigned(number_unsigned_t v) override {
    return Number(static_cast<double>(v), static_cast<std::uintmax_t>(v));
  }
  bool number_float(number_float_t v, const string_t&) override { return Number(v, {}); }
  bool binary(binary_t&) override { return Scalar(); }
  bool string(string_t& v) override {
    if (In(kFileField) && key_ == "path") {
      path_ = std::move(v);
    } else if (In(kWarnings)) {
      file_warnings_.push_back(std::move(v));
    } else {
      return Scalar();
    }
    return true;
  }
  bool start_object(std::size_t) override { return Open(false); }
  bool start_array(std::size_t) override { return Open(true); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    valid = false;
    return false;
  }

 private:
  // Where the reader is: the containers it is in, and the key of each.
  enum Where { kTop, kLimits, kFiles, kFileField, kWarnings, kElsewhere };
  struct Level {
    bool array;
    Where where;
  };

  bool In(Where where) const { return !stack_.empty() && Here() == where; }
  Where Here() const { return stack_.back().where; }

  // A scalar value at the current position: a "path" that is not a string,
  // or a "format_version" that is not a number, makes the report unusable.
  bool Scalar() {
    if (stack_.empty()) return valid = false;  // the report is not an object
    if (In(kFileField) && key_ == "path") return valid = false;
    if (stack_.size() == 1 && key_ == "format_version") return valid = false;
    return true;
  }
  bool Number(double value, std::optional<std::uintmax_t> unsigned_value) {
    if (stack_.empty()) return valid = false;
    if (stack_.size() == 1 && key_ == "format_version") {
      format_version = static_cast<int>(value);
    } else if (In(kLimits)) {
      limits[key_] = unsigned_value;
    } else if (In(kFileField) && key_ == "path") {
      return valid = false;
    }
    return true;
  }
  bool Open(bool array) {
    if (stack_.size() == 1 && key_ == "format_version") return valid = false;
    if (In(kFileField) && key_ == "path") return valid = false;
    Where where = kElsewhere;
    if (stack_.empty()) {
      if (array) return valid = false;
      where = kTop;
    } else if (stack_.size() == 1 && key_ == "limits") {
      where = array ? kElsewhere : kLimits;
      if (!array) {
        has_limits = true;
        limits.clear();
      }
    } else if (stack_.size() == 1 && key_ == "files") {
      where = array ? kFiles : kElsewhere;
      if (array) warnings.clear();
    } else if (In(kFiles) && !array) {
      where = kFileField;  // one file's object: its fields are read
      path_.clear();
      file_warnings_.clear();
    } else if (In(kFileField) && array && key_ == "warnings") {
      where = kWarnings;
    }
    stack_.push_back({array, where});
    return true;
  }
  bool Close() {
    const Where where = Here();
    stack_.pop_back();
    if (where == kFileField) {
      if (file_warnings_.empty()) {
        warnings.erase(path_);
      } else {
        warnings[path_] = std::move(file_warnings_);
      }
      file_warnings_.clear();
    }
    return true;
  }

  std::vector<Level> stack_;
  std::string key_;
  std::string path_;
  std::vector<std::string> file_warnings_;
};

// Step 2 for passages.jsonl: one pass over the raw bytes, in pieces, no JSON
// objects built. Lines are grouped by document into spans; a damaged document
// (see PassageSpan) is parsed again, and a line that names no document makes
// the whole file unusable (every document is parsed again), as a torn file
// would. A last line without its '\n' counts as damaged (a cut file).
void IndexPreviousPassages(Previous& prev) {
  std::string buffer(kCopyBuffer, '\0');
  size_t filled = 0;       // bytes in buffer
  std::uint64_t base = 0;  // file offset of buffer[0]
  std::string doc_id, current_id;
  PassageSpan* current = nullptr;
  auto unusable = [&]() {
    prev.reusable = false;
    prev.passages_damaged = true;
    prev.passage_spans.clear();
    prev.passages = Fd();
  };
  for (bool at_end = false; !at_end;) {
    if (filled == buffer.size()) buffer.resize(buffer.size() * 2);  // a very long line
    const ssize_t n = ReadSome(prev.passages.get(), buffer.data() + filled, buffer.size() - filled);
    if (n < 0) return unusable();
    at_end = n == 0;
    filled += static_cast<size_t>(n);
    size_t begin = 0;
    for (;;) {
      const size_t newline =
          std::string_view(buffer.data(), filled).find('\n', begin);
      if (newline == std::string_view::npos) {
        if (!at_end) break;
        if (begin == filled) break;  // the file ends in '\n', as written
        // The cut line's document is damaged; a cut line naming none is a
        // line naming no document.
        long ordinal = -1;
        bool valid = false;
        const std::string_view rest(buffer.data() + begin, filled - begin);
        if (!ReadPassageLine(rest, doc_id, ordinal, valid)) return unusable();
        prev.passage_spans[doc_id].damaged = true;
        break;
      }
      const std::string_view line(buffer.data() + begin, newline - begin);
      const std::uint64_t line_begin = base + begin, line_end = base + newline + 1;
      long ordinal = -1;
      bool valid = false;
      if (line.empty() || !ReadPassageLine(line, doc_id, ordinal, valid)) return unusable();
      if (current == nullptr || doc_id != current_id) {
        auto [it, inserted] = prev.passage_spans.try_emplace(doc_id);
        current = &it->second;
        current_id = doc_id;
        if (!inserted) current->damaged = true;  // its lines are not together
        current->begin = current->end = line_begin;
      }
      if (!valid || ordinal != current->count || current->end != line_begin) {
        current->damaged = true;
      }
      current->end = line_end;
      ++current->count;
      begin = newline + 1;
    }
    // Keep the unfinished line for the next read.
    std::memmove(buffer.data(), buffer.data() + begin, filled - begin);
    base += begin;
    filled -= begin;
  }
}

// Step 2. Any problem with the old files just means "parse everything" (or,
// for a damaged document in passages.jsonl, "parse it again").
Previous LoadPrevious(const fs::path& dir, const std::map<std::string, std::uintmax_t>& limits) {
  Previous prev;
  Result<std::string> report = ReadFile(dir / kReportFile);
  if (!report.ok()) return prev;
  ReportReader reader;
  if (!Json::sax_parse(*report, &reader) || !reader.valid) return Previous();
  bool same_limits = reader.has_limits;
  for (const auto& [name, value] : limits) {
    const auto it = reader.limits.find(name);
    same_limits = same_limits && it != reader.limits.end() && it->second == value;
  }
  prev.reusable = reader.format_version == kIngestFormatVersion && same_limits;
  prev.warnings = std::move(reader.warnings);
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
  if (!prev.reusable) return prev;  // nothing will be copied
  prev.passages = Fd(::open((dir / kPassagesFile).c_str(), O_RDONLY | O_CLOEXEC));
  // Without a passages file (or with an unreadable one) documents that had
  // passages are parsed again: they have no span, so their count differs.
  if (prev.passages.get() >= 0) IndexPreviousPassages(prev);
  return prev;
}

// The default IngestOptions::read_file: samrad::ReadFile's checks and
// messages, word for word, with fewer system calls (one stat, no stream
// buffer), into `*out` (whose memory is reused from file to file: fresh
// memory costs page faults). It runs once per corpus file on every nightly run.
Status ReadCorpusFile(const fs::path& path, std::uintmax_t max_bytes, std::string* out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::IOError(path.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::DataError(path.string() + ": not a regular file");
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > max_bytes) {
    return Status::DataError(path.string() + ": file is " + std::to_string(size) +
                             " bytes, over the limit of " + std::to_string(max_bytes));
  }
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return Status::IOError(path.string() + ": cannot open: " + std::strerror(errno));
  }
  out->resize(static_cast<size_t>(size));
  size_t have = 0;
  while (have < out->size()) {
    const ssize_t n = ReadSome(fd.get(), out->data() + have, out->size() - have);
    if (n <= 0) break;
    have += static_cast<size_t>(n);
  }
  if (have != out->size()) return Status::IOError(path.string() + ": short read");
  return Status::Ok();
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

// The passages as lines of passages.jsonl.
std::string PassageLines(const std::vector<Passage>& passages) {
  std::string lines;
  for (const Passage& p : passages) {
    lines += Dump(ToJson(p));
    lines += '\n';
  }
  return lines;
}

// The lines of the documents parsed in this run, written to an unnamed
// temporary file in the state folder as each document is parsed, and copied
// into passages.jsonl at the end like the previous run's lines (#11: holding
// every parsed passage until then cost ~840 bytes a passage, 1.17 GB of
// memory for a first run at N=100,000). The file has no name, so nothing is
// left behind by a run that is killed.
class PassageSpill {
 public:
  Status Open(const fs::path& dir) {
    dir_ = dir;
    fd_ = Fd(OpenUnnamedFile(dir));
    return fd_.get() < 0 ? Error("cannot create") : Status::Ok();
  }
  int fd() const { return fd_.get(); }
  std::string Name() const { return dir_.string() + " (temporary file of parsed passages)"; }

  // Appends passages' lines (PassageLines); [*begin, *end) is where they are.
  Status Append(std::string_view lines, std::uint64_t* begin, std::uint64_t* end) {
    *begin = written_ + buffer_.size();
    buffer_ += lines;
    *end = written_ + buffer_.size();
    return buffer_.size() >= kCopyBuffer ? Flush() : Status::Ok();
  }
  Status Flush() {
    for (size_t done = 0; done < buffer_.size();) {
      const ssize_t n = ::write(fd_.get(), buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error("cannot write");
      done += static_cast<size_t>(n);
    }
    written_ += buffer_.size();
    buffer_.clear();
    return Status::Ok();
  }

 private:
  Status Error(const char* what) const {
    return Status::IOError(dir_.string() + ": " + what + " the temporary file of parsed passages: " +
                           std::strerror(errno));
  }
  fs::path dir_;
  Fd fd_;
  std::string buffer_;
  std::uint64_t written_ = 0;  // bytes of the file before buffer_
};

// One document of the new output.
struct Output {
  // Carried over: the previous run's document and its lines in the previous
  // passages.jsonl.
  const Document* kept = nullptr;
  const PassageSpan* span = nullptr;
  // Parsed in this run (on the heap: most documents of a nightly run are
  // carried over), its lines at [spill_begin, spill_end) of the spill file.
  std::unique_ptr<Document> parsed;
  std::uint64_t spill_begin = 0, spill_end = 0;

  const Document& document() const { return kept != nullptr ? *kept : *parsed; }
};

// Step 6: documents.jsonl, written in pieces rather than built whole.
Status WriteDocuments(const fs::path& path, const std::map<std::string, Output>& outputs) {
  Result<std::unique_ptr<AtomicFileWriter>> opened = AtomicFileWriter::Open(path);
  if (!opened.ok()) return opened.status();
  std::string buffer;
  for (const auto& [id, o] : outputs) {
    buffer += Dump(ToJson(o.document()));
    buffer += '\n';
    if (buffer.size() >= kCopyBuffer) {
      (*opened)->Write(buffer);
      buffer.clear();
    }
  }
  (*opened)->Write(buffer);
  return (*opened)->Commit();
}

// Step 6: passages.jsonl in document order, every document's lines a byte
// range of the previous file (carried over) or of the spill file (parsed in
// this run), copied through one buffer; neighbouring ranges of one file are
// joined, so an unchanged stretch of the corpus is one sequential copy.
Status WritePassages(const fs::path& path, const fs::path& previous_path, int previous,
                     const PassageSpill& spill, const std::map<std::string, Output>& outputs) {
  Result<std::unique_ptr<AtomicFileWriter>> opened = AtomicFileWriter::Open(path);
  if (!opened.ok()) return opened.status();
  AtomicFileWriter& out = **opened;
  int copy_from = -1;                          // the file of the range not yet written
  std::uint64_t copy_begin = 0, copy_end = 0;  // the range
  std::string copy_buffer;
  auto flush_copy = [&]() -> Status {
    if (copy_end > copy_begin && copy_buffer.empty()) copy_buffer.resize(kCopyBuffer);
    while (copy_begin < copy_end) {
      const size_t want =
          static_cast<size_t>(std::min<std::uint64_t>(copy_end - copy_begin, copy_buffer.size()));
      const ssize_t n = ::pread(copy_from, copy_buffer.data(), want, static_cast<off_t>(copy_begin));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string name = copy_from == previous ? previous_path.string() : spill.Name();
        return Status::IOError(name + ": cannot copy passages: " +
                               (n < 0 ? std::strerror(errno) : "the file became shorter"));
      }
      out.Write(std::string_view(copy_buffer.data(), static_cast<size_t>(n)));
      copy_begin += static_cast<std::uint64_t>(n);
    }
    copy_begin = copy_end = 0;
    return Status::Ok();
  };
  auto add = [&](int from, std::uint64_t begin, std::uint64_t end) -> Status {
    if (begin == end) return Status::Ok();
    if (from != copy_from || copy_end != begin || copy_end == copy_begin) {
      SAMRAD_RETURN_IF_ERROR(flush_copy());
      copy_from = from;
      copy_begin = begin;
    }
    copy_end = end;
    return Status::Ok();
  };
  for (const auto& [id, o] : outputs) {
    if (o.span != nullptr) {
      SAMRAD_RETURN_IF_ERROR(add(previous, o.span->begin, o.span->end));
    } else if (o.parsed != nullptr) {
      SAMRAD_RETURN_IF_ERROR(add(spill.fd(), o.spill_begin, o.spill_end));
    }
  }
  SAMRAD_RETURN_IF_ERROR(flush_copy());
  return out.Commit();
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

// A JSON string exactly as nlohmann's dump() writes it (no \u escapes for
// non-ASCII, invalid UTF-8 replaced by U+FFFD): plain ASCII as it is, the rest
// through nlohmann.
void AppendJsonString(std::string& out, std::string_view s) {
  bool plain = true;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7F) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += Dump(OrderedJson(std::string(s)));
  }
}

// `"key": ` at `indent` spaces.
void AppendKey(std::string& out, int indent, std::string_view key) {
  out.append(static_cast<size_t>(indent), ' ');
  AppendJsonString(out, key);
  out += ": ";
}

// {"key": number, ...} as dump(2) writes it at `indent` (its closing brace).
template <typename Map>
void AppendNumberObject(std::string& out, int indent, const Map& map) {
  if (map.empty()) {
    out += "{}";
    return;
  }
  out += "{\n";
  bool first = true;
  for (const auto& [k, v] : map) {
    if (!first) out += ",\n";
    first = false;
    AppendKey(out, indent + 2, k);
    out += std::to_string(v);
  }
  out += '\n';
  out.append(static_cast<size_t>(indent), ' ');
  out += '}';
}

}  // namespace

// Written directly rather than through a JSON tree (20,000 files would be
// ~25 MB of nodes), in the layout of nlohmann's dump(2): the bytes are the
// same (tests/ingest/incremental_test.cc checks against the tree version).
std::string ReportToJson(const IngestReport& report) {
  std::string out;
  out.reserve(256 + report.files.size() * 256);
  out += "{\n";
  AppendKey(out, 2, "format_version");
  out += std::to_string(kIngestFormatVersion);
  out += ",\n";
  AppendKey(out, 2, "limits");
  AppendNumberObject(out, 2, report.limits);
  out += ",\n";
  AppendKey(out, 2, "summary");
  const std::pair<const char*, std::uintmax_t> summary[] = {
      {"files", report.files.size()},
      {"ingested", static_cast<std::uintmax_t>(report.ingested)},
      {"unchanged", static_cast<std::uintmax_t>(report.unchanged)},
      {"skipped", static_cast<std::uintmax_t>(report.skipped)},
      {"failed", static_cast<std::uintmax_t>(report.failed)},
      {"removed", static_cast<std::uintmax_t>(report.removed)},
      {"passages", static_cast<std::uintmax_t>(report.passages)}};
  out += "{\n";
  for (const auto& [k, v] : summary) {
    AppendKey(out, 4, k);
    out += std::to_string(v);
    out += k == std::string_view("passages") ? "\n" : ",\n";
  }
  out += "  },\n";
  AppendKey(out, 2, "files");
  if (report.files.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (size_t i = 0; i < report.files.size(); ++i) {
      const FileReport& f = report.files[i];
      out += "    {\n";
      const std::pair<const char*, const std::string*> strings[] = {
          {"path", &f.path},     {"status", &f.status},     {"reason", &f.reason},
          {"format", &f.format}, {"encoding", &f.encoding}};
      for (const auto& [k, v] : strings) {
        AppendKey(out, 6, k);
        AppendJsonString(out, *v);
        out += ",\n";
      }
      AppendKey(out, 6, "passages");
      out += std::to_string(f.passages);
      out += ",\n";
      AppendKey(out, 6, "redactions");
      AppendNumberObject(out, 6, f.redactions);
      out += ",\n";
      AppendKey(out, 6, "warnings");
      if (f.warnings.empty()) {
        out += "[]";
      } else {
        out += "[\n";
        for (size_t w = 0; w < f.warnings.size(); ++w) {
          out.append(8, ' ');
          AppendJsonString(out, f.warnings[w]);
          out += w + 1 < f.warnings.size() ? ",\n" : "\n";
        }
        out += "      ]";
      }
      out += i + 1 < report.files.size() ? "\n    },\n" : "\n    }\n";
    }
    out += "  ]";
  }
  out += "\n}\n";
  return out;
}

Result<IngestReport> Ingest(const IngestOptions& options) {
  auto read_file = options.read_file;
  if (!read_file) {
    read_file = [](const fs::path& p, std::uintmax_t max) -> Result<std::string> {
      std::string bytes;
      SAMRAD_RETURN_IF_ERROR(ReadCorpusFile(p, max, &bytes));
      return bytes;
    };
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
  std::map<std::string, Result<DocumentMeta>> manifest;
  if (manifest_entry != nullptr) {
    FileReport f;
    f.path = manifest_entry->rel_path;
    f.format = "json";
    f.status = "failed";
    Result<std::string> bytes = read_file(manifest_entry->path, options.max_file_bytes);
    if (!bytes.ok()) {
      f.reason = Reason(bytes.status(), manifest_entry->path, f.path);
      files[f.path] = f;
    } else if (auto m = ParseManifest(*bytes); !m.ok()) {
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

  // Step 4. What becomes of each document is decided on several threads,
  // a chunk of documents at a time (reading, hashing, parsing and writing its
  // passages' lines are most of the stage: #11), and applied in corpus order
  // on this one, so the outputs are the same whatever the threads. PDFs are
  // parsed on this thread only (Poppler's global state), and so is every
  // document when a test injects read_file.
  std::map<std::string, Output> outputs;
  PassageSpill spill;
  SAMRAD_RETURN_IF_ERROR(spill.Open(options.state_dir));
  static const PassageSpan kNoPassages;
  struct Outcome {
    FileReport f;
    // Carried over from the previous run (unchanged, or failed with its
    // previous passages kept).
    const Document* kept = nullptr;
    const PassageSpan* span = nullptr;
    // Parsed in this run, with its passages' lines.
    std::unique_ptr<Document> parsed;
    std::string lines;
  };
  auto decide = [&](const CorpusEntry* e, std::string& document_bytes) -> Outcome {
    Outcome out;
    FileReport& f = out.f;
    f.path = e->rel_path;
    f.format = FormatOf(e->rel_path);
    if (e->kind == CorpusEntry::Kind::kFailed) {
      f.status = "failed";
      f.reason = e->reason;
      return out;
    }
    if (e->kind == CorpusEntry::Kind::kSkipped) {
      f.status = "skipped";
      f.reason = e->reason;
      return out;
    }
    if (!IsSupportedFormat(f.format)) {
      f.status = "skipped";
      f.reason = f.format.empty() ? "no file extension; not a known format"
                                  : "unknown extension ." + f.format + "; not a known format";
      return out;
    }
    const Document* previous = nullptr;
    if (auto it = prev.documents.find(f.path); it != prev.documents.end()) previous = &it->second;
    // The previous version's passages, when they can be copied.
    auto carried_span = [&]() -> const PassageSpan* {
      if (!prev.reusable || previous == nullptr) return nullptr;
      auto it = prev.passage_spans.find(f.path);
      const PassageSpan* span = it == prev.passage_spans.end() ? &kNoPassages : &it->second;
      if (span->damaged || span->count != previous->passage_count) return nullptr;
      return span;
    };
    // True when the previous version's passages cannot be copied although
    // the format and limits are the same: they are damaged or missing.
    auto damaged_previous = [&]() -> bool {
      return previous != nullptr && carried_span() == nullptr &&
             (prev.passages_damaged || prev.reusable);
    };
    auto fail = [&](std::string reason) {
      f.status = "failed";
      f.reason = std::move(reason);
      if (const PassageSpan* span = carried_span()) {
        f.warnings.push_back("kept the " + std::to_string(span->count) +
                             " passages of the previous version");
        out.kept = previous;
        out.span = span;
      } else if (damaged_previous()) {
        f.warnings.push_back("could not keep the passages of the previous version: they are "
                             "damaged or missing in the last run's " +
                             std::string(kPassagesFile));
      }
      return std::move(out);
    };

    Status read;
    if (!options.read_file) {
      read = ReadCorpusFile(e->path, options.max_file_bytes, &document_bytes);
    } else if (Result<std::string> bytes = options.read_file(e->path, options.max_file_bytes); bytes.ok()) {
      document_bytes = std::move(*bytes);
    } else {
      read = bytes.status();
    }
    if (!read.ok()) return fail(Reason(read, e->path, f.path));
    // Given metadata: sidecar, else manifest entry.
    std::optional<DocumentMeta> given;
    if (auto it = sidecars.find(f.path); it != sidecars.end()) {
      Result<std::string> sidecar_bytes = read_file(it->second->path, kMaxSidecarBytes);
      if (!sidecar_bytes.ok()) return fail(Reason(sidecar_bytes.status(), it->second->path, it->second->rel_path));
      Result<DocumentMeta> meta = ParseSidecar(*sidecar_bytes, it->second->rel_path);
      if (!meta.ok()) return fail(meta.status().message());
      given = std::move(*meta);
    } else if (auto m = manifest.find(f.path); m != manifest.end()) {
      if (!m->second.ok()) return fail(m->second.status().message());
      given = *m->second;
    }

    const std::string_view bytes = document_bytes;
    const std::string hash = ContentHash(bytes);
    const DocumentMeta given_meta = given ? *given : DocumentMeta();
    if (previous != nullptr && previous->source_hash == hash &&
        GivenPart(previous->meta) == given_meta) {
      if (const PassageSpan* span = carried_span()) {
        f.status = "unchanged";
        f.reason = "same content and metadata as the last run; not parsed again";
        f.encoding = previous->source_encoding;
        f.passages = previous->passage_count;
        f.redactions = previous->redactions;
        if (auto it = prev.warnings.find(f.path); it != prev.warnings.end()) {
          f.warnings = it->second;
        }
        out.kept = previous;
        out.span = span;
        return out;
      }
    }

    ParseOptions parse_options;
    parse_options.kind = given ? given->kind : "other";
    parse_options.max_passage_bytes = options.max_passage_bytes;
    parse_options.max_unpacked_bytes = options.max_unpacked_bytes;
    Result<ParsedDocument> parsed = ParseDocument(bytes, f.format, f.path, parse_options);
    if (!parsed.ok()) return fail(parsed.status().message());
    auto doc = std::make_unique<Document>();
    doc->id = f.path;
    doc->format = f.format;
    doc->source_hash = hash;
    doc->source_encoding = parsed->encoding;
    doc->meta = ResolveMeta(given ? &*given : nullptr, *parsed);
    doc->passage_count = static_cast<int>(parsed->passages.size());
    doc->redactions = parsed->redactions;

    f.status = "ingested";
    f.reason = previous == nullptr                       ? "new file"
               : previous->source_hash != hash           ? "content changed since the last run"
               : GivenPart(previous->meta) != given_meta ? "metadata changed since the last run"
               : damaged_previous() ? "its passages in the last run's " + std::string(kPassagesFile) +
                                          " are damaged or missing; parsed again"
                                    : "ingest format or limits changed";
    f.encoding = doc->source_encoding;
    f.passages = doc->passage_count;
    f.redactions = doc->redactions;
    f.warnings = std::move(parsed->warnings);
    if (!given) {
      std::string inferred;
      for (const std::string& field : doc->meta.inferred) {
        inferred += (inferred.empty() ? "" : ", ") + field;
      }
      f.warnings.push_back("no metadata (no " + f.path + std::string(kSidecarSuffix) +
                           " and no manifest entry); inferred: " + inferred);
    }
    out.lines = PassageLines(parsed->passages);
    out.parsed = std::move(doc);
    return out;
  };

  const size_t workers = options.read_file ? 1 : WorkerCount(documents.size());
  // Small enough that a chunk's texts and lines are little memory, large
  // enough that the threads seldom wait for the slowest document.
  constexpr size_t kChunk = 256;
  std::vector<Outcome> chunk;
  std::vector<std::string> buffers(workers);  // a document's bytes, one per thread
  size_t done = 0;
  for (size_t start = 0; start < documents.size(); start += kChunk) {
    const size_t end = std::min(documents.size(), start + kChunk);
    chunk.clear();
    chunk.resize(end - start);
    auto is_pdf = [&](size_t i) { return FormatOf(documents[i]->rel_path) == "pdf"; };
    std::atomic<size_t> next{start};
    // Worker w takes the next document; only this thread (w == 0) parses
    // PDFs. What a worker throws is thrown again here, as when it all ran on
    // one thread.
    RunOnWorkers(workers, [&](size_t w) {
      try {
        for (size_t i = next++; i < end; i = next++) {
          if (w == 0 || !is_pdf(i)) chunk[i - start] = decide(documents[i], buffers[w]);
        }
      } catch (...) {
        next = end;  // the others stop too
        throw;
      }
    });
    // The PDFs the other threads left.
    for (size_t i = start; i < end; ++i) {
      if (workers > 1 && is_pdf(i)) chunk[i - start] = decide(documents[i], buffers[0]);
    }
    for (size_t i = start; i < end; ++i) {
      if (options.progress) options.progress(done, documents.size());
      ++done;
      Outcome& o = chunk[i - start];
      if (o.span != nullptr) outputs[o.f.path] = Output{o.kept, o.span, nullptr, 0, 0};
      if (o.parsed) {
        Output& out = outputs[o.f.path];
        SAMRAD_RETURN_IF_ERROR(spill.Append(o.lines, &out.spill_begin, &out.spill_end));
        out.parsed = std::move(o.parsed);
      }
      files[o.f.path] = std::move(o.f);
    }
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

  manifest.clear();  // not needed any more: less memory in use while writing
  report.files.reserve(files.size());
  for (auto& [path, f] : files) {
    if (f.status == "ingested") ++report.ingested;
    if (f.status == "unchanged") ++report.unchanged;
    if (f.status == "skipped") ++report.skipped;
    if (f.status == "failed") ++report.failed;
    if (f.status == "removed") ++report.removed;
    report.files.push_back(std::move(f));
  }

  // Step 6. Carried-over passages are copied from the previous file as byte
  // ranges (neighbouring documents' ranges joined into one write); only
  // parsed documents are serialised.
  const fs::path fresh = out_dir.string() + ".new";
  fs::remove_all(fresh, ec);
  for (const auto& [id, out] : outputs) report.passages += out.document().passage_count;
  Status written = WriteDocuments(fresh / kDocumentsFile, outputs);
  if (written.ok()) written = spill.Flush();
  if (written.ok()) written = WritePassages(fresh / kPassagesFile, out_dir / kPassagesFile,
                                            prev.passages.get(), spill, outputs);
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
    if (ReadPassageLineFast(line, out)) return Status::Ok();
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
