#include "reports/text.h"

#include <cmath>
#include <cstdio>

namespace samrad::reports::internal {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string MarkdownEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      space = true;
      continue;
    }
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      space = false;
    }
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '&': case '#': case '~':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

int PerMille(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 0;
  return static_cast<int>((part * 1000 + whole / 2) / whole);
}

std::string PercentSv(std::int64_t part, std::int64_t whole) {
  const int pm = PerMille(part, whole);
  return std::to_string(pm / 10) + "," + std::to_string(pm % 10) + " %";
}

std::string FixedDot(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    // "-0.000" is not a different number from "0.000"; keep one form.
    bool all_zero = true;
    for (char c : s.substr(1)) all_zero = all_zero && (c == '0' || c == '.');
    if (all_zero) s = s.substr(1);
  }
  return s;
}

std::string FixedSv(double x, int decimals) {
  std::string s = FixedDot(x, decimals);
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  if (!s.empty() && s[0] == '-') s = "\u2212" + s.substr(1);  // typographic minus
  return s;
}

double Rounded(double x, int decimals) { return std::stod(FixedDot(x, decimals)); }

std::string TruncateUtf8(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) {
      std::string out(text.substr(0, i));
      while (!out.empty() && out.back() == ' ') out.pop_back();
      return out + "\u2026";
    }
    ++chars;
  }
  return std::string(text);
}

}  // namespace samrad::reports::internal
