// libFuzzer target for one ingest reader: SAMRAD_FUZZ_FORMAT ("md", "pdf", ...)
// is set by the build, one executable per format.
//
// Feeds arbitrary bytes to ParseDocument and checks what must hold for any
// input: no crash, no sanitizer report, and for a parsed document:
//   - passage ids, ordinals and doc ids are consistent;
//   - every passage's text is non-empty, valid UTF-8 without line breaks or
//     leading/trailing spaces;
//   - byte spans are ordered;
//   - nothing that the redaction patterns would still replace is left.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/encoding.h"
#include "ingest/ingest.h"
#include "ingest/redact.h"

#ifndef SAMRAD_FUZZ_FORMAT
#error "SAMRAD_FUZZ_FORMAT must name the reader to fuzz"
#endif

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samrad::ingest;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  // Small limits keep each run fast; the first byte picks the kind.
  options.max_passage_bytes = 512;
  options.max_unpacked_bytes = 8 << 20;
  options.kind = size > 0 && (data[0] & 1) ? "remiss" : "seminar";
  samrad::Result<ParsedDocument> doc =
      ParseDocument(bytes, SAMRAD_FUZZ_FORMAT, "fuzz/doc." SAMRAD_FUZZ_FORMAT, options);
  if (!doc.ok()) return 0;
  int ordinal = 0;
  for (const samrad::Passage& p : doc->passages) {
    Check(p.ordinal == ordinal++);
    Check(p.doc_id == "fuzz/doc." SAMRAD_FUZZ_FORMAT);
    Check(p.id.rfind(p.doc_id + "#", 0) == 0);
    Check(!p.text.empty());
    Check(p.text.front() != ' ' && p.text.back() != ' ');
    Check(p.text.find('\n') == std::string::npos);
    Check(DecodeUtf8(p.text).warnings.empty());
    Check(p.locator.byte_start <= p.locator.byte_end);
    Check(p.locator.line_start <= p.locator.line_end);
    RedactionCounts counts;
    Check(RedactPatterns(p.text, &counts) == p.text);
  }
  return 0;
}
