#include "analysis/themes/saved.h"

#include <cstdio>

#include "base/binary.h"
#include "analysis/themes/corpus.h"
#include "base/files.h"

namespace samrad::themes::internal {
namespace {

namespace fs = std::filesystem;

// Bump when the fit, the placing of passages or a record format changes:
// a model or index of another format is refused and a full fit done.
constexpr std::string_view kModelFormat = "samrad-model 1\n";
constexpr std::string_view kOutputFormat = "samrad-output-index 1\n";

// Writes a sealed file as it is made: the format line, the payload, then the
// FNV-1a of both. The payload is appended to buffer() and handed to the file
// a megabyte at a time (#11: the model and the output index built whole in
// memory, then copied with their seal, were 168 MB of the analyze stage's
// 900 MB peak at N=100,000).
class SealedFileWriter {
 public:
  static Result<SealedFileWriter> Open(const fs::path& path, std::string_view format) {
    Result<std::unique_ptr<AtomicFileWriter>> file = AtomicFileWriter::Open(path);
    if (!file.ok()) return file.status();
    SealedFileWriter w(std::move(*file));
    w.buffer_.assign(format);
    return w;
  }

  std::string* buffer() { return &buffer_; }

  // Called after each record: hands the buffer over once it is large.
  void MaybeFlush() {
    if (buffer_.size() >= kFlushBytes) Flush();
  }

  // Appends the seal and commits; returns the seal.
  Result<std::uint64_t> Commit() {
    Flush();
    const std::uint64_t seal = hash_;
    PutU64(seal, &buffer_);
    file_->Write(buffer_);
    SAMRAD_RETURN_IF_ERROR(file_->Commit());
    return seal;
  }

 private:
  static constexpr size_t kFlushBytes = size_t{1} << 20;
  explicit SealedFileWriter(std::unique_ptr<AtomicFileWriter> file) : file_(std::move(file)) {}
  void Flush() {
    hash_ = Fnv1a64Continue(hash_, buffer_);
    file_->Write(buffer_);
    buffer_.clear();
  }

  std::unique_ptr<AtomicFileWriter> file_;
  std::string buffer_;
  std::uint64_t hash_ = kFnv1a64Offset;
};

// The payload of a sealed file, or a DataError naming it.
Result<std::string> Unseal(const fs::path& path, std::string_view format, std::uint64_t* seal = nullptr) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path.string() + ": not found");
  Result<std::string> bytes = ReadFile(path, std::uintmax_t{8} << 30);
  if (!bytes.ok()) return bytes.status();
  if (bytes->compare(0, format.size(), format) != 0) {
    return Status::DataError(path.string() + ": not a " +
                             std::string(format.substr(0, format.size() - 1)) + " file");
  }
  if (bytes->size() < format.size() + 8) return Status::DataError(path.string() + ": truncated");
  size_t pos = bytes->size() - 8;
  std::uint64_t sum = 0;
  GetU64(*bytes, &pos, &sum);
  if (sum != Fnv1a64(std::string_view(*bytes).substr(0, bytes->size() - 8))) {
    return Status::DataError(path.string() + ": checksum mismatch (corrupt or truncated)");
  }
  if (seal != nullptr) *seal = sum;
  bytes->resize(bytes->size() - 8);
  bytes->erase(0, format.size());
  return bytes;
}

void PutSparse(const SparseVector& v, std::string* out) {
  PutVarint(v.size(), out);
  std::uint32_t prev = 0;
  for (const auto& [id, w] : v) {
    PutVarint(id - prev, out);  // ascending: deltas
    prev = id;
    PutF32(w, out);
  }
}

SparseVector GetSparse(ByteReader* r, std::uint64_t dims) {
  SparseVector v;
  const std::uint64_t n = r->Below(dims + 1);
  v.reserve(n);
  std::uint64_t id = 0;
  for (std::uint64_t i = 0; i < n && r->ok(); ++i) {
    id += r->Varint();
    if (id >= dims) {
      r->Below(0);  // clears ok()
      break;
    }
    v.emplace_back(static_cast<std::uint32_t>(id), r->F32());
  }
  return v;
}

void PutKey(const PassageKey& k, std::string* out) {
  PutString(k.id, out);
  PutU64(k.text_hash, out);
  PutVarint(k.text_length, out);
}

// The key's id is copied into `ids`.
PassageKey GetKey(ByteReader* r, StringArena* ids) {
  PassageKey k;
  k.id = ids->Store(r->String());
  k.text_hash = r->U64();
  k.text_length = r->Varint();
  return k;
}

std::string Num(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

}  // namespace

std::string FitFingerprint(const std::string& framework_bytes, const std::string& overrides_bytes,
                           const analysis::Analyzer& analyzer, const SortOptions& so,
                           const ClusterOptions& co) {
  std::string s = std::string(kModelFormat);
  s += "framework " + ContentHash(framework_bytes) + "\n";
  s += "overrides " + (overrides_bytes.empty() ? std::string("-") : ContentHash(overrides_bytes)) + "\n";
  s += "analyzer " + TermCacheHeader(analyzer);
  s += "sort " + Num(so.min_score) + " " + Num(so.min_score_sd) + " " + Num(so.relative_to_best) + " " +
       Num(so.seed_weight) + " " + std::to_string(so.feedback_rounds) + " " +
       std::to_string(so.feedback_passages) + " " + Num(so.feedback_weight) + " " +
       std::to_string(so.reason_terms) + "\n";
  s += "cluster " + std::to_string(co.min_terms) + " " + Num(co.generic_doc_ratio) + " " +
       std::to_string(co.generic_min_documents) + " " + std::to_string(co.k_min) + " " +
       std::to_string(co.k_max) + " " + std::to_string(co.restarts) + " " +
       std::to_string(co.max_iterations) + " " + std::to_string(co.seed) + " " +
       std::to_string(co.k_selection_sample) + " " + std::to_string(co.silhouette_sample) + " " +
       std::to_string(co.label_terms) + "\n";
  return ContentHash(s);
}

std::uint64_t OverrideHash(const std::vector<std::uint32_t>& areas) {
  std::string s = "override";
  for (std::uint32_t a : areas) {
    s += ' ';
    s += std::to_string(a);
  }
  const std::uint64_t h = Fnv1a64(s);
  return h == 0 ? 1 : h;
}

Result<std::uint64_t> WriteSavedModel(const fs::path& path, const SavedModel& m) {
  Result<SealedFileWriter> w = SealedFileWriter::Open(path, kModelFormat);
  if (!w.ok()) return w.status();
  std::string* p = w->buffer();
  PutString(m.fingerprint, p);
  PutVarint(m.terms.size(), p);
  for (size_t t = 0; t < m.terms.size(); ++t) {
    PutString(m.terms[t], p);
    PutF32(m.idf[t], p);
    PutString(m.surfaces[t], p);
    p->push_back(static_cast<char>(m.generic[t] ? 1 : 0));
    w->MaybeFlush();
  }
  PutVarint(m.prototypes.size(), p);
  for (const SparseVector& v : m.prototypes) {
    PutSparse(v, p);
    w->MaybeFlush();
  }
  PutF64(m.min_score, p);
  PutF64(m.silhouette, p);
  PutVarint(m.themes.size(), p);
  for (const SavedTheme& t : m.themes) {
    PutVarint(static_cast<std::uint64_t>(t.id), p);
    PutString(t.label, p);
    PutVarint(t.terms.size(), p);
    for (const std::string& s : t.terms) PutString(s, p);
    PutSparse(t.centre, p);
    w->MaybeFlush();
  }
  PutVarint(m.passages.size(), p);
  for (const PassageKey& k : m.passages) {
    PutKey(k, p);
    w->MaybeFlush();
  }
  return w->Commit();
}

Result<SavedModel> ReadSavedModel(const fs::path& path, size_t n_areas) {
  SavedModel m;
  Result<std::string> payload = Unseal(path, kModelFormat, &m.seal);
  if (!payload.ok()) return payload.status();
  ByteReader r(*payload);
  m.fingerprint = std::string(r.String());
  const std::uint64_t n_terms = r.Below(payload->size() + 1);
  m.terms.reserve(n_terms);
  m.idf.reserve(n_terms);
  m.surfaces.reserve(n_terms);
  m.generic.reserve(n_terms);
  for (std::uint64_t t = 0; t < n_terms && r.ok(); ++t) {
    m.terms.emplace_back(r.String());
    m.idf.push_back(r.F32());
    m.surfaces.emplace_back(r.String());
    m.generic.push_back(static_cast<std::uint8_t>(r.Below(2)));
  }
  if (r.Below(n_areas + 1) != n_areas || !r.ok()) {
    return Status::DataError(path.string() + ": malformed, or for another framework");
  }
  for (size_t a = 0; a < n_areas; ++a) m.prototypes.push_back(GetSparse(&r, n_terms));
  m.min_score = r.F64();
  m.silhouette = r.F64();
  const std::uint64_t n_themes = r.Below(payload->size() + 1);
  for (std::uint64_t i = 0; i < n_themes && r.ok(); ++i) {
    SavedTheme t;
    t.id = static_cast<int>(r.Below(1u << 30));
    t.label = std::string(r.String());
    const std::uint64_t n = r.Below(payload->size() + 1);
    for (std::uint64_t j = 0; j < n && r.ok(); ++j) t.terms.emplace_back(r.String());
    t.centre = GetSparse(&r, n_terms);
    m.themes.push_back(std::move(t));
  }
  const std::uint64_t n_passages = r.Below(payload->size() + 1);
  m.passages.reserve(n_passages);
  for (std::uint64_t i = 0; i < n_passages && r.ok(); ++i) m.passages.push_back(GetKey(&r, &m.id_bytes));
  if (!r.ok() || !r.at_end()) return Status::DataError(path.string() + ": malformed");
  return m;
}

void PackedOutputRecords::Add(const OutputRecord& rec) {
  thread_local std::string record;
  record.clear();
  PutU64(rec.override_hash, &record);
  PutVarint(rec.offset, &record);
  PutVarint(rec.length, &record);
  PutVarint(static_cast<std::uint64_t>(rec.theme + 1), &record);
  record.push_back(static_cast<char>(rec.overridden ? 1 : 0));
  PutVarint(rec.areas.size(), &record);
  for (std::uint32_t a : rec.areas) PutVarint(a, &record);
  AddBytes(record);
}

void PackedOutputRecords::AddBytes(std::string_view bytes) {
  starts_.push_back(bytes_.size());
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

std::string_view PackedOutputRecords::Bytes(size_t i) const {
  const size_t end = i + 1 < starts_.size() ? starts_[i + 1] : bytes_.size();
  return std::string_view(bytes_.data() + starts_[i], end - starts_[i]);
}

namespace {

// Reads one stored record; the reader's ok() is cleared when it is malformed
// or names an area at or past n_areas.
OutputRecord GetRecord(ByteReader* r, size_t n_areas) {
  OutputRecord o;
  o.override_hash = r->U64();
  o.offset = r->Varint();
  o.length = r->Varint();
  o.theme = static_cast<int>(r->Below(1u << 30)) - 1;
  o.overridden = r->Below(2) != 0;
  const std::uint64_t n_in = r->Below(n_areas + 1);
  for (std::uint64_t j = 0; j < n_in && r->ok(); ++j) {
    o.areas.push_back(static_cast<std::uint32_t>(r->Below(n_areas)));
  }
  return o;
}

}  // namespace

OutputRecord PackedOutputRecords::Get(size_t i) const {
  ByteReader r(Bytes(i));
  // Every record was made by Add or checked before AddBytes: any area is
  // below 2^32.
  return GetRecord(&r, std::uint64_t{1} << 32);
}

Status WriteOutputIndex(const fs::path& path, const OutputIndex& index) {
  if (index.keys.size() != index.records.size()) {
    return Status::Internal(path.string() + ": " + std::to_string(index.keys.size()) + " keys for " +
                            std::to_string(index.records.size()) + " records");
  }
  Result<SealedFileWriter> w = SealedFileWriter::Open(path, kOutputFormat);
  if (!w.ok()) return w.status();
  std::string* p = w->buffer();
  PutU64(index.model_seal, p);
  PutVarint(index.file_size, p);
  PutVarint(index.keys.size(), p);
  for (size_t i = 0; i < index.keys.size(); ++i) {
    PutKey(index.keys[i], p);
    p->append(index.records.Bytes(i));
    w->MaybeFlush();
  }
  Result<std::uint64_t> sealed = w->Commit();
  return sealed.ok() ? Status::Ok() : sealed.status();
}

Result<OutputIndex> ReadOutputIndex(const fs::path& path, size_t n_areas) {
  Result<std::string> payload = Unseal(path, kOutputFormat);
  if (!payload.ok()) return payload.status();
  ByteReader r(*payload);
  OutputIndex index;
  index.model_seal = r.U64();
  index.file_size = r.Varint();
  const std::uint64_t n = r.Below(payload->size() + 1);
  index.keys.reserve(n);
  index.records.reserve(n);
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    index.keys.push_back(GetKey(&r, &index.id_bytes));
    const size_t start = r.pos();
    const OutputRecord o = GetRecord(&r, n_areas);
    if (o.offset > index.file_size || o.length > index.file_size - o.offset) r.Below(0);
    if (!r.ok()) break;
    index.records.AddBytes(std::string_view(*payload).substr(start, r.pos() - start));
  }
  if (!r.ok() || !r.at_end()) return Status::DataError(path.string() + ": malformed");
  return index;
}

}  // namespace samrad::themes::internal
