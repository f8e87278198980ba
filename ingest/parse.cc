// ParseDocument: format dispatch; pure (no I/O), what the fuzzers call.
#include <algorithm>
#include <array>

#include "ingest/blocks.h"
#include "ingest/ingest.h"
#include "ingest/segment.h"

namespace samrad::ingest {

bool IsSupportedFormat(std::string_view format) {
  static constexpr std::array<std::string_view, 6> kFormats = {"txt",  "md",  "html",
                                                               "docx", "pdf", "json"};
  return std::find(kFormats.begin(), kFormats.end(), format) != kFormats.end();
}

Result<ParsedDocument> ParseDocument(std::string_view bytes, std::string_view format,
                                     std::string_view doc_id, const ParseOptions& options) {
  Result<ReaderOutput> output =
      Status::InvalidArgument("unsupported format \"" + std::string(format) + "\"");
  if (format == "txt") {
    output = ReadPlainText(bytes, /*markdown=*/false);
  } else if (format == "md") {
    output = ReadPlainText(bytes, /*markdown=*/true);
  } else if (format == "html") {
    output = ReadHtml(bytes);
  } else if (format == "docx") {
    output = ReadDocx(bytes, options.max_unpacked_bytes);
  } else if (format == "pdf") {
    output = ReadPdf(bytes);
  } else if (format == "json") {
    output = ReadJsonForm(bytes);
  }
  if (!output.ok()) return output.status();
  return BuildPassages(std::move(*output), doc_id, options);
}

}  // namespace samrad::ingest
