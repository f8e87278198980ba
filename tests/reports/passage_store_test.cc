// PassageStore (reports/passage_store.h): what is set is what is read, in
// any order, and shared strings are stored once.
#include "reports/passage_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/spill.h"
#include "tests/testing.h"

namespace samrad::reports::internal {
namespace {

Passage Make(int i) {
  Passage p;
  p.doc_id = "seminar/s" + std::to_string(i / 10) + ".md";
  p.id = p.doc_id + "#" + std::to_string(i % 10);
  p.ordinal = i % 10;
  p.type = "turn";
  p.section = i % 3 == 0 ? "" : "Avsnitt " + std::to_string(i % 7);
  p.speaker_role = i % 2 == 0 ? "Kommunchef" : "";
  p.speaker_org = i % 5 == 0 ? "Högskolan Väst" : "";
  p.text = "Text nummer " + std::to_string(i) + std::string(static_cast<size_t>(i % 50), 'x');
  p.locator.line_start = i + 1;
  p.locator.line_end = i + 2;
  p.locator.page = i % 4;
  return p;
}

void ExpectSame(const PassageStore& s, size_t i, const Passage& p) {
  EXPECT_EQ(s.id(i), p.id);
  EXPECT_EQ(s.text(i), p.text);
  EXPECT_EQ(s.doc_id(i), p.doc_id);
  EXPECT_EQ(s.section(i), p.section);
  EXPECT_EQ(s.speaker_role(i), p.speaker_role);
  EXPECT_EQ(s.speaker_org(i), p.speaker_org);
  EXPECT_EQ(s.ordinal(i), p.ordinal);
  EXPECT_EQ(s.line_start(i), p.locator.line_start);
  EXPECT_EQ(s.line_end(i), p.locator.line_end);
  EXPECT_EQ(s.page(i), p.locator.page);
}

TEST(PassageStore, Issue11WithASpillFileTheRecordsLeaveTheHeap) {
  // Enough passages for the records to be a spilled block (56 bytes each,
  // blocks of at least 1 MB), read back after the file's pages are handed
  // back; on the heap they are counted, in the file they are not.
  const size_t n = 40000;
  testing::TempDir dir;
  std::shared_ptr<SpillFile> file = SpillFile::Create(dir.path(), 0);  // every hand-back taken
  ASSERT_NE(file, nullptr);
  PassageStore spilled(n, file);
  PassageStore heap(n);
  for (size_t i = 0; i < n; ++i) {
    const Passage p = Make(static_cast<int>(i));
    spilled.Set(i, p);
    heap.Set(i, p);
  }
  spilled.ReleasePages();
  for (size_t i = 0; i < n; i += 7) ExpectSame(spilled, i, Make(static_cast<int>(i)));
  // The records, ids and texts leave the heap; the shared strings (doc ids,
  // sections, speakers: read for every passage cited) stay.
  EXPECT_GT(heap.MemoryBytes(), n * 56);
  EXPECT_GT(heap.MemoryBytes() - spilled.MemoryBytes(), n * 56);
}

TEST(PassageStore, ReadsBackWhatWasSetInAnyOrder) {
  const size_t n = 5000;
  std::vector<Passage> passages;
  for (size_t i = 0; i < n; ++i) passages.push_back(Make(static_cast<int>(i)));
  PassageStore s(n);
  // Set from the middle outwards, as the analysis' order may differ from
  // the ingested one.
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (k * 7919) % n;  // 7919 is prime: a permutation of [0, n)
    s.Set(i, passages[i]);
  }
  ASSERT_EQ(s.size(), n);
  for (size_t i = 0; i < n; ++i) ExpectSame(s, i, passages[i]);

  const PassageStore same = PassageStore::From(passages);
  ASSERT_EQ(same.size(), n);
  for (size_t i = 0; i < n; i += 13) ExpectSame(same, i, passages[i]);
}

TEST(PassageStore, UnsetPassagesAreEmpty) {
  PassageStore s(2);
  s.Set(1, Make(1));
  EXPECT_EQ(s.id(0), "");
  EXPECT_EQ(s.text(0), "");
  EXPECT_EQ(s.doc_id(0), "");
  EXPECT_EQ(s.ordinal(0), 0);
  ExpectSame(s, 1, Make(1));
}

// A shared string is one copy: the same bytes for every passage with it.
TEST(PassageStore, StoresSharedStringsOnce) {
  const PassageStore s = PassageStore::From({Make(10), Make(11), Make(20)});
  EXPECT_EQ(s.doc_id(0).data(), s.doc_id(1).data());
  EXPECT_NE(s.doc_id(0).data(), s.doc_id(2).data());
  EXPECT_EQ(s.speaker_role(0).data(), s.speaker_role(2).data());
}

}  // namespace
}  // namespace samrad::reports::internal
