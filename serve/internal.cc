#include "serve/internal.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <system_error>

namespace samrad::serve::internal {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxValueBytes = 200;   // a filter value
constexpr std::size_t kMaxValuesPerKey = 50;  // values of one filter

constexpr const char* kMonths[] = {"januari",   "februari", "mars",     "april",
                                   "maj",       "juni",     "juli",     "augusti",
                                   "september", "oktober",  "november", "december"};

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Control characters would end up in log lines and pages; tab and line
// breaks (a pasted query) become spaces instead.
Result<std::string> CleanText(std::string_view key, std::string_view v) {
  if (!IsValidUtf8(v))
    return Status::InvalidArgument("Parametern " + std::string(key) + " är inte giltig UTF-8.");
  std::string out;
  out.reserve(v.size());
  for (unsigned char c : v) {
    if (c == '\t' || c == '\n' || c == '\r') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("Parametern " + std::string(key) +
                                     " innehåller otillåtna tecken.");
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Result<int> ParseInt(std::string_view key, std::string_view v, int lo, int hi) {
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi) {
    return Status::InvalidArgument("Parametern " + std::string(key) + " ska vara ett heltal från " +
                                   std::to_string(lo) + " till " + std::to_string(hi) + ".");
  }
  return n;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char c : s) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n + 1;
  }
  return true;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int m = (s[5] - '0') * 10 + (s[6] - '0');
  const int d = (s[8] - '0') * 10 + (s[9] - '0');
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
}

std::string SwedishDate(std::string_view iso) {
  if (!IsIsoDate(iso)) return std::string(iso);
  const int m = (iso[5] - '0') * 10 + (iso[6] - '0');
  const int d = (iso[8] - '0') * 10 + (iso[9] - '0');
  return std::to_string(d) + " " + kMonths[m - 1] + " " + std::string(iso.substr(0, 4));
}

bool Params::Empty() const {
  return q.find_first_not_of(' ') == std::string::npos && areas.empty() && themes.empty() &&
         actors.empty() && regions.empty() && kinds.empty() && from.empty() && to.empty();
}

std::string Params::ToQueryString(bool with_page) const {
  std::string out;
  auto add = [&out](std::string_view key, std::string_view value) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += UrlEncode(value);
  };
  if (!q.empty()) add("q", q);
  for (const auto& v : areas) add("area", v);
  for (const auto& v : themes) add("theme", v);
  for (const auto& v : actors) add("actor", v);
  for (const auto& v : regions) add("region", v);
  for (const auto& v : kinds) add("kind", v);
  if (!from.empty()) add("from", from);
  if (!to.empty()) add("to", to);
  if (per_document) add("per_document", "1");
  if (with_page && page != 1) add("page", std::to_string(page));
  if (per_page != 10) add("per_page", std::to_string(per_page));
  return out;
}

Result<Params> ParseParams(const std::multimap<std::string, std::string>& raw,
                           const ParamLimits& limits) {
  Params p;
  p.per_page = limits.default_per_page;
  std::map<std::string, int> seen;
  for (const auto& [key, value] : raw) {
    const int n = ++seen[key];
    std::vector<std::string>* list = nullptr;
    if (key == "area") list = &p.areas;
    if (key == "theme") list = &p.themes;
    if (key == "actor") list = &p.actors;
    if (key == "region") list = &p.regions;
    if (key == "kind") list = &p.kinds;
    if (list != nullptr) {
      if (static_cast<std::size_t>(n) > kMaxValuesPerKey) {
        return Status::InvalidArgument("För många värden för " + key + " (högst " +
                                       std::to_string(kMaxValuesPerKey) + ").");
      }
      // An empty value is what a form sends for "no choice": skip it.
      if (value.empty()) continue;
      if (value.size() > kMaxValueBytes) {
        return Status::InvalidArgument("Ett värde för " + key + " är för långt (högst " +
                                       std::to_string(kMaxValueBytes) + " byte).");
      }
      Result<std::string> v = CleanText(key, value);
      if (!v.ok()) return v.status();
      if (key == "theme") {
        Result<int> t = ParseInt(key, *v, 0, 1000000);
        if (!t.ok())
          return Status::InvalidArgument("Tema ska anges med sitt nummer, t.ex. theme=2.");
      }
      if (std::find(list->begin(), list->end(), *v) == list->end()) list->push_back(std::move(*v));
      continue;
    }
    const bool known = key == "q" || key == "from" || key == "to" || key == "per_document" ||
                       key == "page" || key == "per_page";
    if (!known) {
      // Keys are echoed in the message: keep it printable and short.
      std::string shown = IsValidUtf8(key) && key.size() <= 40 ? key : "(ogiltig)";
      return Status::InvalidArgument("Okänd parameter: " + shown + ".");
    }
    if (n > 1) return Status::InvalidArgument("Parametern " + key + " får bara anges en gång.");
    if (key == "q") {
      if (value.size() > limits.max_query_bytes) {
        return Status::InvalidArgument("Sökfrågan är för lång: " + std::to_string(value.size()) +
                                       " byte, högst " + std::to_string(limits.max_query_bytes) +
                                       " byte.");
      }
      Result<std::string> v = CleanText(key, value);
      if (!v.ok()) return v.status();
      p.q = std::move(*v);
    } else if (key == "from" || key == "to") {
      if (value.empty()) continue;
      if (!IsIsoDate(value)) {
        return Status::InvalidArgument(
            std::string(key == "from" ? "Från-datumet" : "Till-datumet") +
            " ska skrivas ÅÅÅÅ-MM-DD, t.ex. 2019-03-01.");
      }
      (key == "from" ? p.from : p.to) = value;
    } else if (key == "per_document") {
      if (value == "1" || value == "true" || value == "on" || value == "ja") {
        p.per_document = true;
      } else if (value.empty() || value == "0" || value == "false" || value == "nej") {
        p.per_document = false;
      } else {
        return Status::InvalidArgument("Parametern per_document ska vara 1 eller 0.");
      }
    } else if (key == "page") {
      Result<int> v = ParseInt(key, value, 1, limits.max_depth);
      if (!v.ok()) return v.status();
      p.page = *v;
    } else if (key == "per_page") {
      Result<int> v = ParseInt(key, value, 1, limits.max_per_page);
      if (!v.ok()) return v.status();
      p.per_page = *v;
    }
  }
  if (!p.from.empty() && !p.to.empty() && p.from > p.to) {
    return Status::InvalidArgument("Från-datumet ligger efter till-datumet.");
  }
  if (static_cast<long long>(p.page) * p.per_page > limits.max_depth) {
    return Status::InvalidArgument("Så långt bak i träfflistan går det inte att bläddra (högst " +
                                   std::to_string(limits.max_depth) +
                                   " träffar). Förfina sökningen.");
  }
  return p;
}

Result<fs::path> ResolveReportPath(const fs::path& root, std::string_view raw,
                                   std::string_view decoded) {
  // 1. What the wire says: encoded dots, slashes, backslashes and NULs have
  //    no business in a report's name, so they are refused before decoding
  //    can turn them into something else.
  std::string lower(raw);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* bad : {"%2e", "%2f", "%5c", "%00"}) {
    if (lower.find(bad) != std::string::npos) {
      return Status::InvalidArgument("Otillåten sökväg.");
    }
  }
  // 2. The decoded path, segment by segment.
  std::string rel(decoded);
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos ||
      (!rel.empty() && rel[0] == '/')) {
    return Status::InvalidArgument("Otillåten sökväg.");
  }
  if (!IsValidUtf8(rel)) return Status::InvalidArgument("Otillåten sökväg.");
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    const std::string_view seg(rel.data() + start, end - start);
    if (seg.empty() || seg == "." || seg == "..")
      return Status::InvalidArgument("Otillåten sökväg.");
    start = end + 1;
  }
  // 3. Where it really leads, symlinks resolved, must stay inside root.
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec) return Status::NotFound("Det finns inga publicerade rapporter.");
  fs::path target = fs::canonical(base / rel, ec);
  if (ec) return Status::NotFound("Filen finns inte.");
  if (fs::is_directory(target, ec)) {
    target = fs::canonical(target / "index.html", ec);
    if (ec) return Status::NotFound("Filen finns inte.");
  }
  auto [b, t] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
  if (b != base.end() || t == target.end()) return Status::NotFound("Filen finns inte.");
  if (!fs::is_regular_file(target, ec)) return Status::NotFound("Filen finns inte.");
  return target;
}

std::string ContentTypeFor(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".css", "text/css; charset=utf-8"},
      {".jsonl", "application/json; charset=utf-8"},
  };
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace samrad::serve::internal
