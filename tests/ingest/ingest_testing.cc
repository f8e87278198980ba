#include "tests/ingest/ingest_testing.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <fstream>
#include <sstream>

#include "tests/testing.h"

namespace samrad::ingest::testing {

namespace fs = std::filesystem;

fs::path Testdata(std::string_view name) { return fs::path(SAMRAD_INGEST_TESTDATA) / name; }

void WriteBytes(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string AllBytesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::string all;
  for (const fs::path& f : files) all += ReadBytes(f) + "\n";
  return all;
}

std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  samrad::testing::TempDir dir;
  const fs::path path = dir.path() / "archive.zip";
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  if (zip == nullptr) return "";
  for (const auto& [name, data] : entries) {
    zip_source_t* source = zip_source_buffer(zip, data.data(), data.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);
  return ReadBytes(path);
}

std::string MakeDocx(const std::string& body_xml) {
  const std::string document =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:body>" +
      body_xml + "</w:body></w:document>";
  const std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:style w:type=\"paragraph\" w:styleId=\"Rubrik1\"><w:name w:val=\"heading 1\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
      "</w:styles>";
  return MakeZip({{"[Content_Types].xml", "<Types/>"},
                  {"word/document.xml", document},
                  {"word/styles.xml", styles}});
}

std::string ToWindows1252(std::string_view utf8) {
  static const std::vector<std::pair<std::string, char>> kMap = {
      {"å", '\xE5'}, {"ä", '\xE4'}, {"ö", '\xF6'}, {"Å", '\xC5'}, {"Ä", '\xC4'}, {"Ö", '\xD6'},
      {"é", '\xE9'}, {"–", '\x96'}, {"”", '\x94'}, {"“", '\x93'}, {"’", '\x92'}};
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    bool mapped = false;
    for (const auto& [from, to] : kMap) {
      if (utf8.substr(i, from.size()) == from) {
        out.push_back(to);
        i += from.size();
        mapped = true;
        break;
      }
    }
    if (!mapped) out.push_back(utf8[i++]);
  }
  return out;
}

const FileReport* Find(const IngestReport& report, std::string_view path) {
  for (const FileReport& f : report.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

ParsedDocument Parse(std::string_view text, std::string_view format, std::string_view kind) {
  ParseOptions options;
  options.kind = std::string(kind);
  Result<ParsedDocument> parsed =
      ParseDocument(text, format, "test/doc." + std::string(format), options);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : ParsedDocument();
}

std::string Sidecar(std::string_view kind, std::string_view title, std::string_view date) {
  return "{\"kind\": \"" + std::string(kind) + "\", \"title\": \"" + std::string(title) +
         "\", \"date\": \"" + std::string(date) +
         "\", \"organisation\": \"Västra Götalandsregionen\", \"actor_group\": \"blandat\", "
         "\"subregion\": \"Fyrbodal\", \"forum\": \"Klimat2030\"}\n";
}

}  // namespace samrad::ingest::testing
