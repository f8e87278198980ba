#include "base/model.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace samrad {
namespace {

TEST(Model, PassageRoundTripsThroughJson) {
  Passage p;
  p.id = "seminar/s01.md#0003";
  p.doc_id = "seminar/s01.md";
  p.ordinal = 3;
  p.type = "turn";
  p.section = "Samtal";
  p.speaker_role = "Kommunchef";
  p.speaker_org = "Lidköping";
  p.text = "Vi behöver fler bostäder – och snabbt.";
  p.locator = {12, 12, 0, 340, 392};
  const auto json = ToJson(p);
  Result<Passage> back = PassageFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p);
  // Key order is part of the format: same data, same bytes.
  EXPECT_EQ(json.dump().rfind("{\"id\":", 0), 0u);
}

TEST(Model, DocumentRoundTripsThroughJson) {
  Document d;
  d.id = "remiss/r01.md";
  d.format = "md";
  d.source_hash = "0123456789abcdef";
  d.source_encoding = "UTF-8";
  d.meta.kind = "remiss";
  d.meta.title = "Yttrande";
  d.meta.inferred = {"date"};
  d.passage_count = 9;
  d.redactions = {{"e-post", 2}, {"telefon", 1}};
  Result<Document> back = DocumentFromJson(ToJson(d));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, d);
}

// (#11) What the index and the reports keep of a document: the id and the
// seven metadata fields they show, nothing else.
TEST(Model, DisplayFieldsKeepWhatIsShownAndDropTheRest) {
  Document d;
  d.id = "seminarier/s03.txt";
  d.format = "txt";
  d.source_hash = "0123456789abcdef";
  d.source_encoding = "windows-1252";
  d.meta = {"seminar", "Dialog om kompetensförsörjning", "2019-03-14", "Skövde kommun", "kommun",
            "Skaraborg", "Skaraborgs kommunalförbund", "Skövde", {"title"}};
  d.passage_count = 12;
  d.redactions = {{"namn", 3}};
  Document want;
  want.id = d.id;
  want.meta = d.meta;
  want.meta.municipality.clear();
  want.meta.inferred.clear();
  EXPECT_EQ(DisplayFields(Document(d)), want);
}

TEST(Model, WrongTypesNameTheField) {
  auto json = ToJson(Passage{});
  json["ordinal"] = "three";
  Result<Passage> r = PassageFromJson(json);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"ordinal\""), std::string::npos) << r.status().message();

  nlohmann::ordered_json doc = {{"id", "x"}, {"format", "md"}, {"source_hash", "h"}};
  Result<Document> d = DocumentFromJson(doc);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("meta"), std::string::npos);
}

// The fast reader of passages.jsonl lines (ReadPassageLineFast) takes the
// form samrad writes and gives what PassageFromJson gives; any other line
// it leaves to PassageFromJson, so results and errors are the same.
TEST(Model, FastPassageReaderAgreesWithTheJsonReader) {
  struct Case {
    std::string line;
    bool fast;  // read by the fast reader
  };
  const std::string canonical = ToJson(Passage{"d.md#0001", "d.md", 1, "turn", "Samtal", "Kommunchef", "Lidköping",
                                               "", "Vi behöver \"fler\" bostäder\n– och snabbt.",
                                               {12, 13, 0, 340, 18446744073709551615ull}})
                                    .dump();
  const std::vector<Case> cases = {
      {canonical, true},
      {"  " + canonical + "  ", true},
      {R"({"text":"\u00e5 \ud83d\ude00 tab\t","ordinal":0,"doc_id":"a","id":"a#0000"})", true},  // no locator, other order
      {R"({"id":"a#0","doc_id":"a","ordinal":-3,"text":"","locator":{"page":2}})", true},
      {R"({"id":"a#0","doc_id":"a","ordinal":1.0,"text":"x"})", false},           // nlohmann converts
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x","type":null})", false},  // null: absent
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x","extra":[1,{}]})", false},
      {R"({"id":"a#0","id":"b#0","doc_id":"a","ordinal":1,"text":"x"})", false},   // a key twice
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x","locator":[]})", false},
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x","locator":{"page":1,"page":2}})", false},
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x","locator":{"byte_start":-1}})", false},
      {R"({"id":"a#0","doc_id":"a","ordinal":2147483648,"text":"x"})", false},
      {R"({"id":"a#0","doc_id":"a","ordinal":true,"text":"x"})", false},
      {R"({"id":"a#0","doc_id":"a","text":"x"})", false},  // no ordinal
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x"} {})", false},
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"x")", false},
      {R"({"id":"a#0","doc_id":"a","ordinal":1,"text":"\x"})", false},
      {"{\"id\":\"a#0\",\"doc_id\":\"a\",\"ordinal\":1,\"text\":\"\xff\"}", false},
      {R"(["id"])", false},
      {"", false},
  };
  for (const Case& c : cases) {
    Passage fast;
    const bool read = ReadPassageLineFast(c.line, &fast);
    EXPECT_EQ(read, c.fast) << c.line;
    const nlohmann::ordered_json json = nlohmann::ordered_json::parse(c.line, nullptr, /*allow_exceptions=*/false);
    if (!read) continue;
    ASSERT_FALSE(json.is_discarded()) << c.line;
    Result<Passage> slow = PassageFromJson(json);
    ASSERT_TRUE(slow.ok()) << c.line << ": " << slow.status().ToString();
    EXPECT_EQ(fast, *slow) << c.line;
  }
}

}  // namespace
}  // namespace samrad
