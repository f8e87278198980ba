#include "ingest/passage_lines.h"

#include <climits>

#include <nlohmann/json.hpp>

namespace samrad::ingest {
namespace {

// Takes the first three keys of the top-level object and stops: returning
// false from a handler ends nlohmann's parse there.
class HeadReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::string doc_id;
  long ordinal = -1;
  int keys = 0;      // top-level keys seen
  bool id = false, has_doc_id = false;

  bool key(string_t& k) override {
    ++keys;
    key_ = k;
    return depth_ == 1 && keys <= 3;
  }
  bool string(string_t& s) override {
    if (depth_ != 1) return false;
    if (keys == 1 && key_ == "id") {
      id = true;
      return true;
    }
    if (keys == 2 && key_ == "doc_id" && id) {
      doc_id = s;
      has_doc_id = true;
      return true;
    }
    return false;
  }
  bool number_integer(number_integer_t v) override { return Ordinal(v); }
  bool number_unsigned(number_unsigned_t v) override {
    return v <= static_cast<number_unsigned_t>(LONG_MAX) && Ordinal(static_cast<long>(v));
  }
  bool start_object(std::size_t) override { return ++depth_ == 1; }
  bool null() override { return false; }
  bool boolean(bool) override { return false; }
  bool number_float(number_float_t, const string_t&) override { return false; }
  bool binary(binary_t&) override { return false; }
  bool end_object() override { return false; }
  bool start_array(std::size_t) override { return false; }
  bool end_array() override { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool Ordinal(long v) {
    if (depth_ == 1 && keys == 3 && key_ == "ordinal" && has_doc_id) ordinal = v;
    return false;  // the head is read: stop
  }
  int depth_ = 0;
  std::string key_;
};

}  // namespace

bool ReadPassageHead(std::string_view line, std::string& doc_id, long& ordinal) {
  HeadReader head;
  nlohmann::json::sax_parse(line, &head, nlohmann::json::input_format_t::json, /*strict=*/false);
  if (!head.has_doc_id) return false;
  doc_id = std::move(head.doc_id);
  ordinal = head.ordinal;
  return true;
}

}  // namespace samrad::ingest
