// PackedWordMemo: the analyzer's shared memo of analysed words, packed so
// that it can be kept from one stage of a run to the next (#11).
#include "analysis/word_memo.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace samrad::analysis::internal {
namespace {

size_t HashOf(std::string_view s) { return std::hash<std::string_view>{}(s); }

// Word -> info pairs with every field set in some row: long strings (a
// length over 127 takes two bytes), empty strings inside the lists, å/ä/ö,
// a head part index past one byte's worth of 7 bits.
std::vector<std::pair<std::string, WordInfo>> Rows() {
  return {
      {"och", {"och", {}, {}, true, 0}},
      {"regionen", {"region", {}, {}, false, 0}},
      {"kunskapsregionen", {"kunskapsregion", {"kunskap", "regionen"}, {"kunskaps", "regionen"}, false, 1}},
      {"lastbilstrafiken",
       {"lastbilstrafik", {"last", "bil", "trafiken"}, {"last", "bils", "trafiken"}, false, 2}},
      {"åäöåäö", {"åäöå", {"", "ö"}, {"åäöåä", "ö"}, false, 300}},
      {std::string(200, 'x'), {std::string(150, 'y'), {std::string(129, 'z'), "a"}, {std::string(128, 'w')}, true, 1}},
      {"", {"", {}, {}, false, 0}},
  };
}

TEST(PackedWordMemo, RoundTripsEveryField) {
  PackedWordMemo memo;
  const auto rows = Rows();
  for (const auto& [word, info] : rows) memo.Insert(word, HashOf(word), info);
  EXPECT_EQ(memo.size(), rows.size());
  for (const auto& [word, info] : rows) {
    WordInfo out;
    out.parts = {"stale"};  // Find replaces what is there
    ASSERT_TRUE(memo.Find(word, HashOf(word), &out)) << word;
    EXPECT_EQ(out, info) << word;
  }
  WordInfo out;
  EXPECT_FALSE(memo.Find("kunskapsregion", HashOf("kunskapsregion"), &out));
  EXPECT_FALSE(PackedWordMemo().Find("och", HashOf("och"), &out));
}

// A word's info never changes, so the first insert stands.
TEST(PackedWordMemo, InsertingAWordTwiceKeepsTheFirst) {
  PackedWordMemo memo;
  memo.Insert("skola", HashOf("skola"), {"skol", {}, {}, false, 0});
  memo.Insert("skola", HashOf("skola"), {"other", {"a", "b"}, {}, true, 1});
  EXPECT_EQ(memo.size(), 1u);
  WordInfo out;
  ASSERT_TRUE(memo.Find("skola", HashOf("skola"), &out));
  EXPECT_EQ(out.stem, "skol");
  EXPECT_TRUE(out.parts.empty());
}

// Words whose hashes are equal (here: forced) are told apart by their bytes.
TEST(PackedWordMemo, EqualHashesAreToldApartByTheWord) {
  PackedWordMemo memo;
  constexpr size_t kHash = 0x123456789abcdef0u;
  memo.Insert("buss", kHash, {"buss", {}, {}, false, 0});
  memo.Insert("tåg", kHash, {"tåg", {}, {}, true, 0});
  WordInfo out;
  ASSERT_TRUE(memo.Find("tåg", kHash, &out));
  EXPECT_EQ(out.stem, "tåg");
  EXPECT_TRUE(out.stop);
  ASSERT_TRUE(memo.Find("buss", kHash, &out));
  EXPECT_EQ(out.stem, "buss");
  EXPECT_FALSE(memo.Find("bil", kHash, &out));
}

// Checked against a std::map on seeded words, through many rehashes; and
// packed: compound-like words cost well under the ~250 bytes a word of the
// node-based map it replaced.
TEST(PackedWordMemo, AgreesWithAMapThroughGrowth) {
  std::mt19937 rng(11);
  const std::string letters = "abcdefghijklmnoprstuvyåäö";
  auto word = [&](int chars) {
    std::string w;
    for (int i = 0; i < chars; ++i) {
      const size_t k = rng() % 25;
      // å, ä and ö are two bytes: the letters string holds them last.
      w += k < 22 ? std::string(1, letters[k]) : letters.substr(22 + (k - 22) * 2, 2);
    }
    return w;
  };
  std::map<std::string, WordInfo> reference;
  PackedWordMemo memo;
  constexpr int kWords = 60000;
  for (int i = 0; i < kWords; ++i) {
    const std::string w = word(4 + static_cast<int>(rng() % 14));
    WordInfo info{w.substr(0, w.size() / 2 + 1), {}, {}, rng() % 7 == 0, 0};
    if (rng() % 3 == 0) {
      info.parts = {w.substr(0, 3), w.substr(3)};
      info.surface_parts = info.parts;
      info.head_part = 1;
    }
    reference.emplace(w, info);  // the first insert stands in both
    memo.Insert(w, HashOf(w), info);
  }
  ASSERT_EQ(memo.size(), reference.size());
  for (const auto& [w, info] : reference) {
    WordInfo out;
    ASSERT_TRUE(memo.Find(w, HashOf(w), &out)) << w;
    ASSERT_EQ(out, info) << w;
  }
  for (int i = 0; i < 1000; ++i) {
    const std::string w = word(20);  // longer than any word held
    WordInfo out;
    EXPECT_FALSE(memo.Find(w, HashOf(w), &out)) << w;
  }
  // Bytes a word: the records (~30 bytes here) and the slots (8 bytes, at
  // most 70 % full, so up to ~23 after a doubling), plus the last 256 KiB
  // chunk's unused part.
  const double per_word = static_cast<double>(memo.MemoryBytes()) / static_cast<double>(memo.size());
  EXPECT_LT(per_word, 100.0) << memo.MemoryBytes() << " bytes for " << memo.size() << " words";
}

}  // namespace
}  // namespace samrad::analysis::internal
