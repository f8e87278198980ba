#include "ingest/passage_lines.h"

#include <climits>

#include <cstdint>

#include <nlohmann/json.hpp>

#include "base/json_line.h"

namespace samrad::ingest {
namespace {

// Takes the first three keys of the top-level object, then reads the rest of
// the line only to check it: returning false from a handler ends nlohmann's
// parse there, which it does at once when the head is not as written.
class LineReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::string doc_id;
  long ordinal = -1;
  bool has_doc_id = false;

  bool key(string_t& k) override {
    if (head_read_) return true;
    ++keys_;
    key_ = k;
    return depth_ == 1 && keys_ <= 3;
  }
  bool string(string_t& s) override {
    if (head_read_) return true;
    if (depth_ != 1) return false;
    if (keys_ == 1 && key_ == "id") {
      id_ = true;
      return true;
    }
    if (keys_ == 2 && key_ == "doc_id" && id_) {
      doc_id = s;
      has_doc_id = true;
      return true;
    }
    return false;
  }
  bool number_integer(number_integer_t v) override { return head_read_ || Ordinal(v); }
  bool number_unsigned(number_unsigned_t v) override {
    return head_read_ || (v <= static_cast<number_unsigned_t>(LONG_MAX) && Ordinal(static_cast<long>(v)));
  }
  bool start_object(std::size_t) override { return ++depth_ == 1 || head_read_; }
  bool null() override { return head_read_; }
  bool boolean(bool) override { return head_read_; }
  bool number_float(number_float_t, const string_t&) override { return head_read_; }
  bool binary(binary_t&) override { return head_read_; }
  bool end_object() override {
    --depth_;
    return head_read_;
  }
  bool start_array(std::size_t) override { return head_read_; }
  bool end_array() override { return head_read_; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool Ordinal(long v) {
    if (depth_ != 1 || keys_ != 3 || key_ != "ordinal" || !has_doc_id) return false;
    ordinal = v;
    head_read_ = true;
    return true;
  }
  int depth_ = 0;
  int keys_ = 0;  // top-level keys seen while reading the head
  bool id_ = false;
  bool head_read_ = false;
  std::string key_;
};

}  // namespace

bool ReadPassageLine(std::string_view line, std::string& doc_id, long& ordinal, bool& valid) {
  // A whole line with the head as written, read fast (base/json_line.h);
  // anything else by the SAX reader below, which says how far it got.
  simdjson::dom::object object;
  if (ParseJsonLine(line).get_object().get(object) == simdjson::SUCCESS) {
    auto field = object.begin();
    std::string_view id_value, doc_id_value;
    std::int64_t ordinal_value = -1;
    if (field != object.end() && field.key() == "id" && field.value().get_string().get(id_value) == simdjson::SUCCESS &&
        ++field != object.end() && field.key() == "doc_id" &&
        field.value().get_string().get(doc_id_value) == simdjson::SUCCESS && ++field != object.end() &&
        field.key() == "ordinal" && field.value().is_int64() &&
        field.value().get_int64().get(ordinal_value) == simdjson::SUCCESS && ordinal_value >= 0) {
      doc_id.assign(doc_id_value);
      ordinal = static_cast<long>(ordinal_value);
      valid = true;
      return true;
    }
  }
  LineReader reader;
  const bool parsed = nlohmann::json::sax_parse(line, &reader, nlohmann::json::input_format_t::json, /*strict=*/true);
  if (!reader.has_doc_id) return false;
  doc_id = std::move(reader.doc_id);
  ordinal = reader.ordinal;
  valid = parsed && ordinal >= 0;
  return true;
}

}  // namespace samrad::ingest
