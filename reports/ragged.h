// Internal to samrad_reports: one array per passage, stored flat (#11).
#ifndef SAMRAD_REPORTS_RAGGED_H_
#define SAMRAD_REPORTS_RAGGED_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <vector>

#include "base/spill.h"

namespace samrad::reports::internal {

// Rows of T of different lengths, appended in order and then read by row
// number. A std::vector<std::vector<T>> costs a 24-byte header and a heap
// allocation (with its malloc overhead) a row; the reports keep several such
// arrays per passage of the corpus, and at N=20,000 (278,000 passages) that
// overhead alone was ~60 MB. Here a row costs 4 bytes beside its elements:
//
//  1. Rows are grouped in blocks of kRowsPerBlock; a block is one vector of
//     elements and one vector of where each of its rows ends.
//  2. Row i is block i / kRowsPerBlock, from the end of the row before it in
//     that block (0 for the first) to its own end.
//  3. A full block is shrunk to fit, so storage grows a block at a time and
//     never copies more than one block (a single flat vector would need its
//     old and new copies at once when it grows). Reserve sizes the block
//     being filled when the caller knows what its rows will hold.
//  4. With SpillTo(file), each full block (and the last one at Seal()) is
//     moved into the file (base/spill.h) and read from its mapping, so the
//     rows stay on the heap only while their block is filled (#11). A block
//     the file cannot take stays on the heap. The row ends go with the
//     elements, in the same allocation: at N=100,000 the ends of all the
//     reports' arrays were 39 MB of heap (10 million rows).
template <typename T>
class RaggedArray {
 public:
  static constexpr std::size_t kRowsPerBlock = 4096;

  // Appends a row: the elements of [first, last).
  template <typename It>
  void Append(It first, It last) {
    Block& b = BlockOfNextRow();
    b.data.insert(b.data.end(), first, last);
    b.ends.push_back(static_cast<std::uint32_t>(b.data.size()));
    ++b.rows;
    ++rows_;
  }
  void Append(std::span<const T> row) { Append(row.begin(), row.end()); }

  std::size_t size() const { return rows_; }
  bool empty() const { return rows_ == 0; }

  std::span<const T> operator[](std::size_t i) const {
    const Block& b = blocks_[i / kRowsPerBlock];
    const std::size_t r = i % kRowsPerBlock;
    const std::uint32_t* ends = b.Ends();
    const std::size_t begin = r == 0 ? 0 : ends[r - 1];
    return {b.Data() + begin, ends[r] - begin};
  }
  std::span<T> operator[](std::size_t i) {
    Block& b = blocks_[i / kRowsPerBlock];
    const std::size_t r = i % kRowsPerBlock;
    const std::uint32_t* ends = b.Ends();
    const std::size_t begin = r == 0 ? 0 : ends[r - 1];
    return {b.Data() + begin, ends[r] - begin};
  }

  // Full blocks go into `file` from now on (null: none do).
  void SpillTo(std::shared_ptr<SpillFile> file) { spill_ = std::move(file); }
  // No more rows: the last block goes into the file too.
  void Seal() {
    if (!blocks_.empty()) Spill(blocks_.back());
  }

  // Makes room for `elements` more elements in the block that the next row
  // goes to, so that appending the block's rows does not grow it step by
  // step (each step a copy, and the old copy's memory left behind).
  void Reserve(std::size_t elements) {
    Block& b = BlockOfNextRow();
    b.data.reserve(b.data.size() + elements);
  }

  // Elements in all rows.
  std::size_t elements() const {
    std::size_t n = 0;
    for (const Block& b : blocks_) n += b.Elements();
    return n;
  }
  // Bytes on the heap (blocks in the spill file not counted).
  std::size_t MemoryBytes() const {
    std::size_t n = blocks_.capacity() * sizeof(Block);
    for (const Block& b : blocks_)
      n += b.data.capacity() * sizeof(T) + b.ends.capacity() * sizeof(std::uint32_t);
    return n;
  }

 private:
  struct Block {
    std::vector<T> data;
    std::vector<std::uint32_t> ends;  // per row of the block: the end of its elements in data
    // Once moved into the spill file: the elements, and the row ends before them.
    T* spilled = nullptr;
    const std::uint32_t* spilled_ends = nullptr;
    std::uint32_t rows = 0;
    T* Data() { return spilled != nullptr ? spilled : data.data(); }
    const T* Data() const { return spilled != nullptr ? spilled : data.data(); }
    const std::uint32_t* Ends() const { return spilled != nullptr ? spilled_ends : ends.data(); }
    std::size_t Elements() const { return rows == 0 ? 0 : Ends()[rows - 1]; }
  };
  // Where the elements start in a spilled block: after the row ends, aligned for T.
  static std::size_t ElementsOffset(std::size_t rows) {
    const std::size_t bytes = rows * sizeof(std::uint32_t);
    return (bytes + alignof(T) - 1) / alignof(T) * alignof(T);
  }
  Block& BlockOfNextRow() {
    if (blocks_.size() <= rows_ / kRowsPerBlock) {
      // A full block moves into the spill file, else is shrunk to fit.
      if (!blocks_.empty() && !Spill(blocks_.back())) blocks_.back().data.shrink_to_fit();
      blocks_.emplace_back();
      blocks_.back().ends.reserve(kRowsPerBlock);
    }
    Block& b = blocks_.back();
    if (b.spilled != nullptr) {  // rows after Seal(): the block comes back to the heap
      b.data.assign(b.spilled, b.spilled + b.Elements());
      b.ends.assign(b.spilled_ends, b.spilled_ends + b.rows);
      b.ends.reserve(kRowsPerBlock);
      b.spilled = nullptr;
      b.spilled_ends = nullptr;
    }
    return b;
  }
  // Whether the block's elements are in the spill file now.
  bool Spill(Block& b) {
    if (b.spilled != nullptr) return true;
    if (spill_ == nullptr || b.data.empty()) return false;
    const std::size_t offset = ElementsOffset(b.ends.size());
    char* memory = static_cast<char*>(spill_->Allocate(offset + b.data.size() * sizeof(T)));
    if (memory == nullptr) return false;  // stays on the heap
    b.spilled_ends = std::uninitialized_copy(b.ends.begin(), b.ends.end(), reinterpret_cast<std::uint32_t*>(memory)) -
                     b.ends.size();
    b.spilled = std::uninitialized_copy(b.data.begin(), b.data.end(), reinterpret_cast<T*>(memory + offset)) -
                b.data.size();
    b.data = std::vector<T>();
    b.ends = std::vector<std::uint32_t>();
    return true;
  }

  std::vector<Block> blocks_;
  std::size_t rows_ = 0;
  std::shared_ptr<SpillFile> spill_;
};

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_RAGGED_H_
