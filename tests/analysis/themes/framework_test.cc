#include "analysis/themes/framework.h"

#include <gtest/gtest.h>

#include "tests/testing.h"

namespace samrad::themes {
namespace {

TEST(Framework, BundledFrameworkLoadsWithHierarchy) {
  Result<Framework> fw = LoadFramework(testing::SourceDir() / "corpus/framework/vg2030.json");
  ASSERT_OK(fw.status());
  EXPECT_EQ(fw->areas.size(), 9u);
  // Every area with a parent resolves to an ancestor chain of top-level areas.
  int children = 0;
  for (size_t i = 0; i < fw->areas.size(); ++i) {
    if (fw->areas[i].parent.empty()) {
      EXPECT_TRUE(fw->Ancestors(static_cast<int>(i)).empty());
    } else {
      ++children;
      ASSERT_EQ(fw->Ancestors(static_cast<int>(i)).size(), 1u);
    }
  }
  EXPECT_EQ(children, 5);
}

struct BadFramework {
  const char* name;
  const char* json;
  const char* expected;  // must occur in the message
};

class FrameworkRefuses : public ::testing::TestWithParam<BadFramework> {};

TEST_P(FrameworkRefuses, WithMessageNamingTheField) {
  Result<Framework> fw = ParseFramework(GetParam().json, "fw.json");
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.status().code(), Status::Code::kDataError);
  EXPECT_NE(fw.status().message().find(GetParam().expected), std::string::npos)
      << fw.status().message();
  EXPECT_EQ(fw.status().message().rfind("fw.json", 0), 0u) << fw.status().message();
}

#define AREA(id, extra) \
  "{\"id\": " id ", \"name\": \"N\", \"description\": \"D\", \"seed_terms\": [\"s\"]" extra "}"

INSTANTIATE_TEST_SUITE_P(
    Cases, FrameworkRefuses,
    ::testing::Values(
        BadFramework{"NotJson", "{areas: ", "not valid JSON"},
        BadFramework{"NoAreas", "{\"name\": \"x\"}", "missing field \"areas\""},
        BadFramework{"AreasNotArray", "{\"areas\": {}}", "\"areas\" must be an array"},
        BadFramework{"EmptyAreas", "{\"areas\": []}", "\"areas\" is empty"},
        BadFramework{"MissingId", "{\"areas\": [{\"name\": \"N\", \"description\": \"D\", \"seed_terms\": [\"s\"]}]}",
                     "missing field \"id\""},
        BadFramework{"IdWrongType", "{\"areas\": [" AREA("7", "") "]}", "field \"id\" must be a string"},
        BadFramework{"IdBadChars", "{\"areas\": [" AREA("\"Bad Id\"", "") "]}", "may only hold"},
        BadFramework{"DuplicateId", "{\"areas\": [" AREA("\"a\"", "") ", " AREA("\"a\"", "") "]}",
                     "duplicate area id \"a\""},
        BadFramework{"EmptySeeds", "{\"areas\": [{\"id\": \"a\", \"name\": \"N\", \"description\": \"D\", \"seed_terms\": []}]}",
                     "\"seed_terms\" is empty"},
        BadFramework{"SeedsWrongType", "{\"areas\": [{\"id\": \"a\", \"name\": \"N\", \"description\": \"D\", \"seed_terms\": \"s\"}]}",
                     "\"seed_terms\" must be an array"},
        BadFramework{"SeedNotString", "{\"areas\": [{\"id\": \"a\", \"name\": \"N\", \"description\": \"D\", \"seed_terms\": [1]}]}",
                     "non-empty strings"},
        BadFramework{"MissingDescription", "{\"areas\": [{\"id\": \"a\", \"name\": \"N\", \"seed_terms\": [\"s\"]}]}",
                     "missing field \"description\""},
        BadFramework{"UnknownParent", "{\"areas\": [" AREA("\"a\"", ", \"parent\": \"zz\"") "]}",
                     "\"parent\" names no other area"},
        BadFramework{"ParentCycle", "{\"areas\": [" AREA("\"a\"", ", \"parent\": \"b\"") ", " AREA("\"b\"", ", \"parent\": \"a\"") "]}",
                     "cycle"}),
    [](const ::testing::TestParamInfo<BadFramework>& param_info) { return param_info.param.name; });

TEST(Framework, MissingFileNamesThePath) {
  Result<Framework> fw = LoadFramework("/nonexistent/fw.json");
  ASSERT_FALSE(fw.ok());
  EXPECT_NE(fw.status().message().find("/nonexistent/fw.json"), std::string::npos);
}

}  // namespace
}  // namespace samrad::themes
