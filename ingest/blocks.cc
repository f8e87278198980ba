#include "ingest/blocks.h"

#include "ingest/encoding.h"

namespace samrad::ingest {

void AssignSpans(ReaderOutput* output) {
  std::uint64_t offset = 0;
  for (Block& block : output->blocks) {
    // Text from XML, HTML, JSON and PDF libraries: still check it is valid
    // UTF-8 and bring it to NFC, as DecodeText does for text files.
    DecodedText decoded = DecodeUtf8(block.text);
    block.text = std::move(decoded.text);
    for (std::string& w : decoded.warnings) output->warnings.push_back(std::move(w));
    if (!block.question.empty()) block.question = DecodeUtf8(block.question).text;
    block.byte_start = offset;
    block.byte_end = offset + block.text.size();
    offset = block.byte_end + 2;  // "\n\n" between blocks
  }
  output->spans_assigned = true;
}

}  // namespace samrad::ingest
