// samrad ingest: corpus files -> documents and passages.
//
// Ingest() walks a corpus folder, reads every .txt, .md, .html, .docx, .pdf and
// .json file, decodes it to UTF-8 NFC, reads its metadata (sidecar or corpus
// manifest), splits it into passages (speaker turns, paragraphs, list items,
// form answers), redacts personal data and writes three files atomically:
//
//   STATE_DIR/ingest/documents.jsonl    one Document per line, sorted by id
//   STATE_DIR/ingest/passages.jsonl     one Passage per line, by (doc id, ordinal)
//   STATE_DIR/ingest/ingest-report.json one entry per input file and why
//
// docs/ingest.md documents the folder layout, both JSON Lines schemas with a
// worked example, the metadata schema, the limits and the redaction rules.
//
// Example:
//
//   samrad::ingest::IngestOptions options;
//   options.corpus_dir = "corpus/documents";
//   options.state_dir = "samrad-data";
//   Result<IngestReport> report = samrad::ingest::Ingest(options);
//   if (!report.ok()) return report.status();        // nothing was written
//   if (report->failed > 0) ...                      // some files were bad
//
//   SAMRAD_RETURN_IF_ERROR(samrad::ingest::ForEachPassage(
//       "samrad-data", [](const Passage& p) { Use(p); return Status::Ok(); }));
//
// Guarantees:
//   - A bad file never stops the others: it becomes a "failed" report entry
//     with a reason naming the file. Ingest() itself fails only when the corpus
//     folder cannot be read at all or the state cannot be written; then the
//     previous output is left untouched.
//   - The three files are swapped in together: a reader (or a killed run)
//     sees the previous set or the new one, never a mix.
//   - Same input, same options -> byte-identical output.
//   - Incremental: a file whose bytes, metadata and the ingest format are the
//     same as in the previous run is not parsed again; its passages are copied.
//   - No personal data (e-mail, phone numbers, personnummer, names in speaker
//     labels, signature blocks, contact lines and form contact fields) reaches
//     any written byte, including the report's warnings.
#ifndef SAMRAD_INGEST_INGEST_H_
#define SAMRAD_INGEST_INGEST_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/files.h"
#include "base/model.h"
#include "base/status.h"

namespace samrad::ingest {

// Bumped whenever the output for the same input would change; a run whose
// previous output has another version re-parses every file.
inline constexpr int kIngestFormatVersion = 1;

// How one file is parsed. Pure data; defaults are the documented limits.
struct ParseOptions {
  // The document's kind ("seminar" | "remiss" | "other"). Speaker turns are
  // recognised in every kind except "remiss"; signature-block name redaction
  // applies to every kind except "seminar".
  std::string kind = "other";
  // A paragraph longer than this (bytes of decoded text) is split into several
  // passages at sentence or word boundaries, with a warning.
  std::size_t max_passage_bytes = 8 << 10;
  // .docx: refuse an archive whose entries would inflate to more than this.
  std::uintmax_t max_unpacked_bytes = 256 << 20;
};

// The result of parsing one file's bytes.
struct ParsedDocument {
  std::vector<Passage> passages;  // ids, ordinals and doc_id filled in
  std::string encoding;           // "UTF-8", "UTF-8 (BOM)", "windows-1252", "binary", ...
  std::string title;              // candidate for an inferred title (first heading), redacted
  std::string date;               // candidate for an inferred date (YYYY-MM-DD), or ""
  std::string organisation;       // web-form exports: the submitting organisation
  std::map<std::string, int> redactions;  // placeholder type ("e-post") -> count
  std::vector<std::string> warnings;      // never contain document text
};

// Bytes of one file -> its passages: decoded, normalised, segmented, redacted.
// `format` is the extension without the dot ("md", "pdf", ...). Pure: no I/O,
// safe on any byte sequence (this is what the fuzzers call). A DataError says
// why the bytes are not a readable document of that format.
Result<ParsedDocument> ParseDocument(std::string_view bytes, std::string_view format,
                                     std::string_view doc_id, const ParseOptions& options);

// The formats ParseDocument understands: "txt", "md", "html", "docx", "pdf", "json".
bool IsSupportedFormat(std::string_view format);

struct IngestOptions {
  std::filesystem::path corpus_dir;                         // folder walked recursively
  std::filesystem::path state_dir;                          // output goes to state_dir/ingest/
  std::uintmax_t max_file_bytes = 64 << 20;                 // larger files fail unread
  std::uintmax_t max_unpacked_bytes = 256 << 20;            // docx zip-bomb guard
  std::size_t max_passage_bytes = 8 << 10;                  // see ParseOptions
  std::function<void(size_t done, size_t total)> progress;  // optional
  // Reads one file; tests inject failures here. Default: samrad::ReadFile.
  std::function<Result<std::string>(const std::filesystem::path&, std::uintmax_t max_bytes)>
      read_file;
};

// What became of one input file.
struct FileReport {
  std::string path;    // relative to corpus_dir, '/'-separated (= document id)
  std::string status;  // "ingested" | "unchanged" | "skipped" | "failed" | "removed"
  std::string reason;  // always set: why this status
  std::string format;  // "md", "pdf", ... ("" when unknown)
  std::string encoding;
  int passages = 0;
  std::map<std::string, int> redactions;
  std::vector<std::string> warnings;
};

struct IngestReport {
  std::vector<FileReport> files;  // sorted by path
  int ingested = 0, unchanged = 0, skipped = 0, failed = 0, removed = 0;
  int passages = 0;  // passages in the written output (all documents)
  // The limits the run used ("max_file_bytes", "max_passage_bytes",
  // "max_unpacked_bytes"); a later run with other limits re-parses everything.
  std::map<std::string, std::uintmax_t> limits;
};

// Runs ingest; see the file comment. Writes state_dir/ingest/ atomically.
Result<IngestReport> Ingest(const IngestOptions& options);

// The documents of the last successful run, sorted by id.
Result<std::vector<Document>> LoadDocuments(const std::filesystem::path& state_dir);

// Streams passages in (doc id, ordinal) order without loading all into memory.
// Stops at, and returns, the first non-OK Status that `fn` returns.
Status ForEachPassage(const std::filesystem::path& state_dir,
                      const std::function<Status(const Passage&)>& fn);

// The JSON form of a report, as written to ingest-report.json.
std::string ReportToJson(const IngestReport& report);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_INGEST_H_
