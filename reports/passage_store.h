// Internal to samrad_reports: the passages as the reports read them.
#ifndef SAMRAD_REPORTS_PASSAGE_STORE_H_
#define SAMRAD_REPORTS_PASSAGE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/model.h"
#include "base/spill.h"
#include "reports/strings.h"

namespace samrad::reports::internal {

// Every passage of the corpus, compact (#11). A Passage is eight strings and
// a locator, ~300 bytes and up to eight heap allocations before its text; at
// N=20,000 (278,000 passages) the reports held ~240 MB of them. Here a
// passage is a 56-byte record; its id and text are copied into arenas,
// and the strings that many passages share (document id, section, speaker
// role and organisation) are stored once. What the reports never read (type,
// question, byte span) is not kept.
class PassageStore {
 public:
  // `n` empty passages, to be filled by Set in any order. With `spill`, the
  // records, ids and texts go into that file (base/spill.h), and the term
  // index built over these passages puts its rows there too (#11).
  explicit PassageStore(std::size_t n = 0, std::shared_ptr<SpillFile> spill = nullptr);
  // The passages in this order.
  static PassageStore From(const std::vector<Passage>& passages);

  // Passage i becomes `p` (the store keeps copies; set each passage once:
  // setting one again leaves the old copy unused in the arena).
  void Set(std::size_t i, const Passage& p);

  std::size_t size() const { return records_.size(); }
  std::string_view id(std::size_t i) const { return {records_[i].id, records_[i].id_size}; }
  std::string_view text(std::size_t i) const { return {records_[i].text, records_[i].text_size}; }
  std::string_view doc_id(std::size_t i) const { return shared_[records_[i].doc_id]; }
  std::string_view section(std::size_t i) const { return shared_[records_[i].section]; }
  std::string_view speaker_role(std::size_t i) const { return shared_[records_[i].speaker_role]; }
  std::string_view speaker_org(std::size_t i) const { return shared_[records_[i].speaker_org]; }
  int ordinal(std::size_t i) const { return records_[i].ordinal; }
  int line_start(std::size_t i) const { return records_[i].line_start; }
  int line_end(std::size_t i) const { return records_[i].line_end; }
  int page(std::size_t i) const { return records_[i].page; }

  // Bytes held on the heap (records, arena, shared strings roughly).
  std::size_t MemoryBytes() const;

  const std::shared_ptr<SpillFile>& spill() const { return texts_.spill(); }
  // Hands the spill file's pages back to the page cache (base/spill.h):
  // between passes over the passages.
  void ReleasePages() const {
    if (spill() != nullptr) spill()->ReleasePages();
  }

 private:
  struct Record {
    const char* id = nullptr;    // in ids_
    const char* text = nullptr;  // in texts_
    std::uint32_t id_size = 0, text_size = 0;
    // Ids in shared_; 0 is "".
    std::uint32_t doc_id = 0, section = 0, speaker_role = 0, speaker_org = 0;
    std::int32_t ordinal = 0, line_start = 0, line_end = 0, page = 0;
  };
  // In the spill file when there is one (#11: 56 bytes a passage, 78 MB at
  // N=100,000 held on the heap through the whole stage).
  SpillVector<Record> records_;
  // Ids apart from texts: the reports read the ids of every passage of a
  // topic, and each read maps the 64 KB of the spill file around it (see
  // PagePacer). Among the texts that was most of the file for a large
  // topic (#11: 180 MB of it resident at once at N=100,000); the ids alone
  // are ~25 bytes a passage.
  StringArena ids_;
  StringArena texts_;
  StringIds shared_;
};

// Hands a store's spill file pages back as a thread's passes read passages
// (#11), so that what they hold resident does not grow with the topic or the
// corpus. A read fault maps ~64 KB of the file around the page (the kernel's
// fault-around), so what a pass maps depends less on how many passages it
// reads than on how many stretches of the corpus they fall in: a pass over a
// large topic reads neighbours, one over a small topic scattered over the
// corpus maps ~64 KB a passage. The pacer counts the stretches of
// kStretchPassages passages a thread reads in, and hands the pages back every
// kStretches of them. Call Next(p) once per passage p read.
class PagePacer {
 public:
  static constexpr std::size_t kStretchPassages = 256;
  static constexpr std::size_t kStretches = 512;
  explicit PagePacer(const PassageStore* store) : store_(store) {}
  void Next(std::size_t passage) {
    thread_local std::size_t last_stretch = ~std::size_t{0};
    thread_local std::size_t stretches = 0;
    const std::size_t stretch = passage / kStretchPassages;
    if (stretch == last_stretch) return;
    last_stretch = stretch;
    if (++stretches % kStretches == 0 && store_ != nullptr) store_->ReleasePages();
  }

 private:
  const PassageStore* store_;
};

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_PASSAGE_STORE_H_
