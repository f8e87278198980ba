#include "ingest/metadata.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace samrad::ingest {
namespace {

TEST(Metadata, ValidSidecar) {
  Result<DocumentMeta> meta = ParseSidecar(
      R"({"kind": "seminar", "title": "Klimat2030", "date": "2019-03-14",
          "organisation": "Västra Götalandsregionen", "actor_group": "blandat",
          "subregion": "Fyrbodal", "forum": "Klimat2030", "municipality": "Uddevalla"})",
      "s.md.meta.json");
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_EQ(meta->kind, "seminar");
  EXPECT_EQ(meta->subregion, "Fyrbodal");
  EXPECT_TRUE(meta->inferred.empty());
}

TEST(Metadata, ErrorsNameTheFileAndTheField) {
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"kind": "seminar", "speaker": "x"})", "s.md.meta.json: unknown field \"speaker\""},
      {R"({"kind": "seminar", "date": 20190314})",
       "s.md.meta.json: field \"date\" must be a string, not number"},
      {R"({"kind": "protokoll"})", "s.md.meta.json: field \"kind\": \"protokoll\" is not one of"},
      {R"({"kind": "remiss", "date": "2019-02-30"})",
       "field \"date\": \"2019-02-30\" is not a date"},
      {R"({"kind": "remiss", "date": "14 mars 2019"})", "field \"date\""},
      {R"({"kind": "remiss", "subregion": "Bohuslän"})", "field \"subregion\": \"Bohuslän\""},
      {R"({"kind": "remiss", "actor_group": "företag"})", "field \"actor_group\""},
      {R"({"title": "x"})", "s.md.meta.json: missing field \"kind\""},
      {R"(["kind"])", "s.md.meta.json: expected a JSON object"},
      {R"({"kind": )", "s.md.meta.json: not valid JSON"},
      {R"({"kind": "remiss", "n": 1e99999})", "s.md.meta.json: not valid JSON (a number out of range)"},
  };
  for (const auto& c : cases) {
    Result<DocumentMeta> meta = ParseSidecar(c.json, "s.md.meta.json");
    ASSERT_FALSE(meta.ok()) << c.json;
    EXPECT_NE(meta.status().message().find(c.message), std::string::npos)
        << meta.status().message();
  }
}

TEST(Metadata, InferredFieldsAreMarked) {
  ParsedDocument parsed;
  parsed.title = "Yttrande";
  parsed.date = "2020-04-28";
  const DocumentMeta none = ResolveMeta(nullptr, parsed);
  EXPECT_EQ(none.kind, "other");
  EXPECT_EQ(none.title, "Yttrande");
  EXPECT_EQ(none.inferred, (std::vector<std::string>{"date", "kind", "title"}));
  EXPECT_EQ(GivenPart(none), DocumentMeta());

  DocumentMeta given;
  given.kind = "remiss";
  given.title = "Given titel";
  const DocumentMeta some = ResolveMeta(&given, parsed);
  EXPECT_EQ(some.title, "Given titel");
  EXPECT_EQ(some.inferred, std::vector<std::string>{"date"});
  EXPECT_EQ(GivenPart(some), given);
}

TEST(Metadata, Manifest) {
  auto m = ParseManifest(R"({"documents": {"a/b.md": {"kind": "remiss"}, "c.md": {"kind": 1},
                                          "d.md": []}})");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->count("a/b.md"), 1u);
  ASSERT_TRUE(m->at("a/b.md").ok());
  EXPECT_EQ(m->at("a/b.md")->kind, "remiss");
  EXPECT_EQ(m->at("c.md").status().message(),
            "samrad-manifest.json: documents.\"c.md\": field \"kind\" must be a string, not number");
  EXPECT_EQ(m->at("d.md").status().message(),
            "samrad-manifest.json: documents.\"d.md\": expected a JSON object, got array");
  EXPECT_EQ(ParseManifest(R"({"documents": {"a.md": {"kind": "remiss"}}, "x": 1})").status().message(),
            "samrad-manifest.json: unknown field \"x\"");
  EXPECT_EQ(ParseManifest(R"({"documents": {"a.md": {"kind": "remiss"})").status().message(),
            "samrad-manifest.json: not valid JSON (syntax error at byte 42)");
  // A number too large for a double: an error, not an uncaught exception.
  EXPECT_EQ(ParseManifest(R"({"documents": {"a.md": {"kind": 1e400}}})").status().message(),
            "samrad-manifest.json: not valid JSON (a number out of range)");
  EXPECT_FALSE(ParseManifest(R"({"docs": {}})").ok());
  EXPECT_FALSE(ParseManifest(R"({"documents": []})").ok());
}

}  // namespace
}  // namespace samrad::ingest
