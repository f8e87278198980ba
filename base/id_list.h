// Passage ids, front-coded: the sorted ids a report topic lists, and the
// analysis' ids the index checks its passages against (#11).
#ifndef SAMRAD_BASE_ID_LIST_H_
#define SAMRAD_BASE_ID_LIST_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace samrad {

// Ids front-coded the way LevelDB stores the keys of a block: each id is the
// length of the prefix it shares with the id before it, the length of the
// rest (both varints), and the rest. Any order works; ids in ascending order
// share the most. The passages of
// one document differ only in their ordinal ("doc/a.md#0007"), so an id
// costs ~3 bytes rather than a std::string (32 bytes and a heap block):
// every topic and sub-topic lists all its passages, and at N=100,000 the
// lists of std::strings were ~0.4 GB of the report stage.
class IdList {
 public:
  IdList() = default;
  // The ids, sorted here.
  static IdList From(std::vector<std::string_view> ids);

  // Appends an id.
  void Append(std::string_view id);

  // Reads the ids one after the other.
  class Reader {
   public:
    explicit Reader(const IdList& list) : list_(list) {}
    // The next id (valid until the next call); false after the last.
    bool Next(std::string_view* id) {
      if (pos_ >= list_.data_.size()) return false;
      const std::size_t shared = list_.Varint(&pos_), rest = list_.Varint(&pos_);
      id_.resize(shared);
      id_.append(list_.data_, pos_, rest);
      pos_ += rest;
      *id = id_;
      return true;
    }

   private:
    const IdList& list_;
    std::size_t pos_ = 0;
    std::string id_;
  };

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Bytes of the coded ids.
  std::size_t MemoryBytes() const { return data_.capacity() + last_.capacity(); }
  // fn(std::string_view) for each id, in order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    Reader reader(*this);
    for (std::string_view id; reader.Next(&id);) fn(id);
  }
  std::vector<std::string> ToVector() const;

 private:
  std::size_t Varint(std::size_t* pos) const;
  std::string data_;
  std::string last_;  // the last id appended
  std::size_t size_ = 0;
};

// Where the ids of another stream are in an IdList written in (mostly) the
// same order: the analysis' passages against the ingested ones, in the index
// and the reports (#11). A Cursor checks each id against the list's next
// one; after the first that differs, it looks ids up in a map of the list's
// positions, made the first time any cursor needs it. The list must not
// change while this is used.
class IdPositions {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  explicit IdPositions(const IdList& list) : list_(list) {}

  // The position of `id` in the list (the last, for an id listed twice), or
  // npos. Thread-safe.
  std::size_t Find(std::string_view id) const;

  // For one reader of the stream; cursors of one IdPositions may be used on
  // different threads.
  class Cursor {
   public:
    explicit Cursor(const IdPositions& positions) : positions_(positions), next_id_(positions.list_) {}
    // The position of `id`, the stream's id after the one asked before.
    std::size_t Next(std::string_view id) {
      std::string_view expected;
      if (in_order_ && next_id_.Next(&expected) && expected == id) return next_++;
      in_order_ = false;
      return positions_.Find(id);
    }

   private:
    const IdPositions& positions_;
    IdList::Reader next_id_;
    std::size_t next_ = 0;
    bool in_order_ = true;
  };

 private:
  const IdList& list_;
  mutable std::once_flag made_;
  mutable std::unordered_map<std::string, std::size_t> position_;
};

}  // namespace samrad

#endif  // SAMRAD_BASE_ID_LIST_H_
