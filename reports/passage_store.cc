#include "reports/passage_store.h"

namespace samrad::reports::internal {

PassageStore::PassageStore(std::size_t n, std::shared_ptr<SpillFile> spill)
    : records_(n, Record{}, SpillAllocator<Record>(spill)) {
  shared_.Intern("");
  if (spill != nullptr) {
    ids_.SpillTo(spill);
    texts_.SpillTo(std::move(spill));
  }
}

PassageStore PassageStore::From(const std::vector<Passage>& passages) {
  PassageStore s(passages.size());
  for (std::size_t i = 0; i < passages.size(); ++i) s.Set(i, passages[i]);
  return s;
}

void PassageStore::Set(std::size_t i, const Passage& p) {
  Record& r = records_[i];
  const std::string_view id = ids_.Store(p.id);
  const std::string_view text = texts_.Store(p.text);
  r.id = id.data();
  r.id_size = static_cast<std::uint32_t>(id.size());
  r.text = text.data();
  r.text_size = static_cast<std::uint32_t>(text.size());
  r.doc_id = shared_.Intern(p.doc_id);
  r.section = shared_.Intern(p.section);
  r.speaker_role = shared_.Intern(p.speaker_role);
  r.speaker_org = shared_.Intern(p.speaker_org);
  r.ordinal = p.ordinal;
  r.line_start = p.locator.line_start;
  r.line_end = p.locator.line_end;
  r.page = p.locator.page;
}

std::size_t PassageStore::MemoryBytes() const {
  std::size_t n = ids_.MemoryBytes() + texts_.MemoryBytes();
  const std::size_t record_bytes = records_.capacity() * sizeof(Record);
  const bool spilled =
      records_.get_allocator().file() != nullptr && record_bytes >= SpillAllocator<Record>::kMinBytes;
  if (!spilled) n += record_bytes;
  return n + shared_.MemoryBytes();
}

}  // namespace samrad::reports::internal
