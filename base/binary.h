// The little binary encoding of samrad's caches and saved models (the
// analysis' term cache and model, the reports' scan cache): little-endian
// fixed-width integers, LEB128 varints, and a reader that never reads past
// the end.
#ifndef SAMRAD_BASE_BINARY_H_
#define SAMRAD_BASE_BINARY_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace samrad {

inline void PutVarint(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline bool GetVarint(std::string_view bytes, size_t* pos, std::uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < bytes.size(); shift += 7) {
    const auto b = static_cast<unsigned char>(bytes[(*pos)++]);
    *v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

inline void PutU64(std::uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

inline bool GetU64(std::string_view bytes, size_t* pos, std::uint64_t* v) {
  if (*pos + 8 > bytes.size()) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) {
    *v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[*pos + i])) << (8 * i);
  }
  *pos += 8;
  return true;
}

// Floats and doubles travel as their bits, so a value reads back exactly.
inline void PutF32(float f, std::string* out) {
  std::uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

inline void PutF64(double d, std::string* out) {
  std::uint64_t u = 0;
  std::memcpy(&u, &d, sizeof u);
  PutU64(u, out);
}

inline void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

// Reads what the Put functions wrote. The first read past the end (or a
// malformed varint) clears ok(); every later read returns zeros.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes, size_t pos = 0) : b_(bytes), pos_(pos) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == b_.size(); }
  size_t pos() const { return pos_; }

  std::uint64_t Varint() {
    std::uint64_t v = 0;
    if (ok_ && !GetVarint(b_, &pos_, &v)) ok_ = false;
    return ok_ ? v : 0;
  }
  // A varint that must be below `limit` (a count or an index).
  std::uint64_t Below(std::uint64_t limit) {
    const std::uint64_t v = Varint();
    if (v >= limit) ok_ = false;
    return ok_ ? v : 0;
  }
  std::uint64_t U64() {
    std::uint64_t v = 0;
    if (ok_ && !GetU64(b_, &pos_, &v)) ok_ = false;
    return ok_ ? v : 0;
  }
  float F32() {
    if (!ok_ || pos_ + 4 > b_.size()) {
      ok_ = false;
      return 0;
    }
    std::uint32_t u = 0;
    for (int i = 0; i < 4; ++i) u |= static_cast<std::uint32_t>(static_cast<unsigned char>(b_[pos_ + i])) << (8 * i);
    pos_ += 4;
    float f = 0;
    std::memcpy(&f, &u, sizeof f);
    return f;
  }
  double F64() {
    const std::uint64_t u = U64();
    double d = 0;
    std::memcpy(&d, &u, sizeof d);
    return d;
  }
  std::string_view String() {
    const std::uint64_t n = Varint();
    if (!ok_ || n > b_.size() - pos_) {
      ok_ = false;
      return {};
    }
    const std::string_view s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  std::string_view b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace samrad

#endif  // SAMRAD_BASE_BINARY_H_
