// Helpers shared by the ingest tests.
#ifndef SAMRAD_TESTS_INGEST_INGEST_TESTING_H_
#define SAMRAD_TESTS_INGEST_INGEST_TESTING_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/ingest.h"

namespace samrad::ingest::testing {

// tests/ingest/testdata/<name>
std::filesystem::path Testdata(std::string_view name);

// Writes `bytes` to `path`, creating folders.
void WriteBytes(const std::filesystem::path& path, std::string_view bytes);
std::string ReadBytes(const std::filesystem::path& path);

// Every byte of every file under `dir`, concatenated (for "no PII anywhere").
std::string AllBytesUnder(const std::filesystem::path& dir);

// A zip archive holding the entries (name, data), built with libzip.
std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries);

// A minimal .docx whose w:body holds `body_xml` (w: prefix bound).
std::string MakeDocx(const std::string& body_xml);

// UTF-8 Swedish text -> windows-1252 bytes (å ä ö Å Ä Ö é – ” “ ’ only).
std::string ToWindows1252(std::string_view utf8);

// The report entry for `path`, or nullptr.
const FileReport* Find(const IngestReport& report, std::string_view path);

// Parses `text` as `format` with default options and the given kind.
ParsedDocument Parse(std::string_view text, std::string_view format,
                     std::string_view kind = "other");

// A sidecar JSON for a document of `kind`.
std::string Sidecar(std::string_view kind, std::string_view title = "Titel",
                    std::string_view date = "2019-03-14");

}  // namespace samrad::ingest::testing

#endif  // SAMRAD_TESTS_INGEST_INGEST_TESTING_H_
