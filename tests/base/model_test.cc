#include "base/model.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace samrad
