#include "base/id_list.h"

#include <algorithm>
#include <cstdint>

#include "base/binary.h"

namespace samrad {

IdList IdList::From(std::vector<std::string_view> ids) {
  // Topics list their members in passage order, which is mostly id order
  // already: checked in one pass first, as sorting compares ids at random,
  // each one read from the spill file (#11).
  if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
  IdList list;
  for (std::string_view id : ids) list.Append(id);
  // Appending more would only share less: the list keeps no copy of its
  // last id, and no spare capacity.
  list.last_ = std::string();
  list.data_.shrink_to_fit();
  return list;
}

void IdList::Append(std::string_view id) {
  const std::size_t limit = std::min(id.size(), last_.size());
  std::size_t shared = 0;
  while (shared < limit && id[shared] == last_[shared]) ++shared;
  PutVarint(shared, &data_);
  PutVarint(id.size() - shared, &data_);
  data_.append(id.substr(shared));
  last_.assign(id);
  ++size_;
}

std::vector<std::string> IdList::ToVector() const {
  std::vector<std::string> out;
  out.reserve(size_);
  ForEach([&](std::string_view id) { out.emplace_back(id); });
  return out;
}

std::size_t IdPositions::Find(std::string_view id) const {
  std::call_once(made_, [this] {
    std::size_t k = 0;
    list_.ForEach([&](std::string_view listed) { position_[std::string(listed)] = k++; });
  });
  auto it = position_.find(std::string(id));
  return it == position_.end() ? npos : it->second;
}

std::size_t IdList::Varint(std::size_t* pos) const {
  std::uint64_t v = 0;
  GetVarint(data_, pos, &v);  // Append wrote it
  return static_cast<std::size_t>(v);
}

}  // namespace samrad
