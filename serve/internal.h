// Internal to samrad_serve (not part of its public surface, serve/serve.h):
// the pure pieces of the server that the tests check directly — escaping,
// request parameters, and where a /reports/ path may lead.
#ifndef SAMRAD_SERVE_INTERNAL_H_
#define SAMRAD_SERVE_INTERNAL_H_

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace samrad::serve::internal {

// Escapes & < > " ' for HTML text and attribute values (always quoted).
std::string HtmlEscape(std::string_view s);

// Percent-encodes everything but RFC 3986 unreserved characters (and '/'
// when keep_slash), for query values and path segments.
std::string UrlEncode(std::string_view s, bool keep_slash = false);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// "2019-04-24" -> "24 april 2019"; anything else is returned as it is.
std::string SwedishDate(std::string_view iso);

// True for a real calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view s);

// The parameters shared by the page and the API (docs/api.md).
struct Params {
  std::string q;
  std::vector<std::string> areas, themes, actors, regions, kinds;
  std::string from, to;  // YYYY-MM-DD or ""
  bool per_document = false;
  int page = 1;
  int per_page = 10;

  // No query and no filter: the page shows its start view.
  bool Empty() const;
  // The query string that reproduces these parameters ("q=...&area=..."),
  // without page when `with_page` is false. Never starts with '?'.
  std::string ToQueryString(bool with_page = true) const;
};

struct ParamLimits {
  std::size_t max_query_bytes = 1000;
  int default_per_page = 10;
  int max_per_page = 100;
  // The deepest hit a request may ask for (page * per_page).
  int max_depth = 10000;
};

// Checks and converts decoded request parameters (a multimap, as HTTP
// allows repeated keys). Unknown keys, repeated single-valued keys, invalid
// UTF-8, control characters, over-long values, bad numbers and bad dates are
// InvalidArgument with a Swedish message for the page.
Result<Params> ParseParams(const std::multimap<std::string, std::string>& raw,
                           const ParamLimits& limits);

// Resolves the part of a request path after "/reports/" to a file inside
// `root`. `raw` is that part as it came on the wire (percent-encoded),
// `decoded` the same decoded. Refuses (InvalidArgument) "..", "." and empty
// segments, encoded dots, slashes, backslashes and NULs, absolute paths; and
// (NotFound) anything that does not exist or resolves, through symlinks,
// outside root. A directory means its index.html.
Result<std::filesystem::path> ResolveReportPath(const std::filesystem::path& root,
                                                std::string_view raw, std::string_view decoded);

// The Content-Type for a file served from /reports/.
std::string ContentTypeFor(const std::filesystem::path& file);

}  // namespace samrad::serve::internal

#endif  // SAMRAD_SERVE_INTERNAL_H_
