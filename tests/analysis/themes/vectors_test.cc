// TermSpace (analysis/themes/vectors.h): sealing the surface forms keeps
// what Surface() and SeenWhole() say, and the strings can be taken out.
#include "analysis/themes/vectors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace samrad::themes::internal {
namespace {

TermSpace SpaceWithSurfaces() {
  TermSpace space;
  const std::uint32_t bostad = space.Id("bostad");
  const std::uint32_t skar = space.Id("skar");  // only ever a compound part: no surface
  const std::uint32_t region = space.Id("region");
  space.SeeSurface(bostad, "bostäder", 2);
  space.SeeSurface(bostad, "bostaden", 3);
  space.SeeSurface(bostad, "bostad", 3);  // a tie with "bostaden": the smaller string wins
  space.SeeSurface(region, "regionen");
  EXPECT_EQ(space.Id("skar"), skar);
  return space;
}

TEST(TermSpace, SealedSurfacesAnswerAsBefore) {
  TermSpace open = SpaceWithSurfaces();
  TermSpace sealed = SpaceWithSurfaces();
  sealed.SealSurfaces();
  ASSERT_EQ(open.size(), 3u);
  ASSERT_EQ(sealed.size(), 3u);
  for (std::uint32_t id = 0; id < open.size(); ++id) {
    EXPECT_EQ(sealed.Term(id), open.Term(id)) << id;
    EXPECT_EQ(sealed.SeenWhole(id), open.SeenWhole(id)) << id;
    EXPECT_EQ(sealed.Surface(id), open.Surface(id)) << id;
  }
  EXPECT_EQ(sealed.Surface(0), "bostad");
  EXPECT_FALSE(sealed.SeenWhole(1));
  EXPECT_EQ(sealed.Surface(1), "skar");  // the term itself
  // Terms can still be added after sealing, not seen whole.
  const std::uint32_t ny = sealed.Id("ny");
  EXPECT_EQ(ny, 3u);
  EXPECT_FALSE(sealed.SeenWhole(ny));
  EXPECT_EQ(sealed.Find("region"), 2);
}

TEST(TermSpace, TakenStringsAreTheTermsAndTheirSurfaces) {
  TermSpace space = SpaceWithSurfaces();
  const std::vector<std::string> surfaces = space.TakeSurfaces();
  const std::vector<std::string> terms = space.TakeTerms();
  EXPECT_EQ(terms, (std::vector<std::string>{"bostad", "skar", "region"}));
  EXPECT_EQ(surfaces, (std::vector<std::string>{"bostad", "", "regionen"}));
  EXPECT_EQ(space.size(), 0u);
  EXPECT_EQ(space.Find("bostad"), -1);
}

}  // namespace
}  // namespace samrad::themes::internal
