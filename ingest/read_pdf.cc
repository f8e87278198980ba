// .pdf -> blocks, with poppler-cpp (the only file that includes it).
//
// A PDF has no paragraphs, only positioned words, so they are rebuilt:
//   1. Load; a password-protected (locked) or unreadable file is a DataError.
//      Poppler's own error messages are silenced (they would go to stderr).
//   2. Per page, words (with font size) are grouped into lines by vertical
//      position and ordered left to right within a line (pages are taken to
//      have one column, as letters do).
//   3. The body font size is the most common one (weighted by characters);
//      larger lines are headings, their level by size rank. Lines of bold
//      body text that are short and end without a period are headings too.
//   4. A page number alone on the first or last line of a page is dropped.
//   5. Lines join into paragraphs unless: the vertical gap is more than 1.3
//      times the usual line pitch; the heading status or size changes; the line
//      starts with a bullet glyph; or the line above ended a sentence well short of the
//      right margin. A paragraph runs on over a page break when it did not end a
//      sentence and the next page starts in lower case.
//   6. Joining lines: a line ending in a soft hyphen joins without it; one
//      ending in '-' after a letter joins without a space (FoU-satsning),
//      unless the next word is a conjunction ("el- och vätgas"); else a space.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <memory>

#include "ingest/blocks.h"

namespace samrad::ingest {
namespace {

struct Word {
  std::string text;
  double x0, y0, x1, y1;
  double size;
  bool bold;
  bool space_after;
};

struct Line {
  std::string text;
  double x0 = 0, top = 0, x1 = 0, bottom = 0;
  double size = 0;
  bool bold = true;
  int page = 0;
  size_t chars = 0;
};

void SilencePoppler() {
  static const bool done = [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    return true;
  }();
  (void)done;
}

std::string ToUtf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

bool EndsSentence(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  const char c = text.back();
  return c == '.' || c == '!' || c == '?' || c == ':';
}

bool StartsLowercase(std::string_view text) {
  if (text.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(text[0]);
  if (c >= 'a' && c <= 'z') return true;
  // å ä ö é (UTF-8: C3 A5, C3 A4, C3 B6, C3 A9)
  return c == 0xC3 && text.size() > 1 &&
         (static_cast<unsigned char>(text[1]) >= 0xA0 &&
          static_cast<unsigned char>(text[1]) <= 0xBF);
}

bool IsPageNumber(std::string_view text) {
  size_t digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '(' && c != ')' && c != '/') {
      // "Sida 3 av 5"
      if (text.rfind("Sida ", 0) == 0 || text.rfind("sida ", 0) == 0) continue;
      if (text.find(" av ") != std::string_view::npos) continue;
      return false;
    }
  }
  return digits > 0 && digits <= 6 && text.size() <= 16;
}

std::string_view BulletPrefix(std::string_view text) {
  // Only bullet glyphs: a dash at the start of a line may continue a sentence.
  for (std::string_view bullet : {"• ", "◦ ", "▪ ", "● ", "· ", "•", "▪", "●"}) {
    if (text.rfind(bullet, 0) == 0 && text.size() > bullet.size())
      return text.substr(0, bullet.size());
  }
  return {};
}

void AppendLine(std::string* paragraph, std::string_view next) {
  if (paragraph->empty()) {
    paragraph->append(next);
    return;
  }
  static const std::string_view kSoftHyphen = "\xC2\xAD";
  if (paragraph->size() >= 2 &&
      std::string_view(*paragraph).substr(paragraph->size() - 2) == kSoftHyphen) {
    paragraph->resize(paragraph->size() - 2);
    paragraph->append(next);
    return;
  }
  if (paragraph->back() == '-' && paragraph->size() >= 2 &&
      (*paragraph)[paragraph->size() - 2] != ' ') {
    const size_t space = next.find(' ');
    const std::string_view first_word = next.substr(0, space);
    for (std::string_view conjunction : {"och", "eller", "samt", "till", "som", "resp."}) {
      if (first_word == conjunction) {
        paragraph->push_back(' ');
        paragraph->append(next);
        return;
      }
    }
    paragraph->append(next);
    return;
  }
  paragraph->push_back(' ');
  paragraph->append(next);
}

std::vector<Line> LinesOfPage(const std::vector<poppler::text_box>& boxes, int page) {
  std::vector<Word> words;
  for (const poppler::text_box& box : boxes) {
    Word w;
    w.text = ToUtf8(box.text());
    if (w.text.empty()) continue;
    const poppler::rectf r = box.bbox();
    w.x0 = r.left();
    w.x1 = r.right();
    w.y0 = r.top();
    w.y1 = r.bottom();
    w.size = box.has_font_info() ? box.get_font_size() : (w.y1 - w.y0);
    const std::string font = box.has_font_info() ? box.get_font_name() : "";
    w.bold = font.find("Bold") != std::string::npos || font.find("bold") != std::string::npos;
    w.space_after = box.has_space_after();
    words.push_back(std::move(w));
  }
  // Single-column pages: lines are bands of vertical position, and poppler's
  // reading order may put a list's bullets before its text, so sort instead.
  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return (a.y0 + a.y1) < (b.y0 + b.y1); });
  std::vector<std::vector<const Word*>> bands;
  double band_center = 0, band_half = 0;
  for (const Word& w : words) {
    const double center = (w.y0 + w.y1) / 2;
    if (bands.empty() || std::abs(center - band_center) >= std::max(band_half, (w.y1 - w.y0) / 2)) {
      bands.emplace_back();
      band_center = center;
      band_half = (w.y1 - w.y0) / 2;
    }
    bands.back().push_back(&w);
  }
  std::vector<Line> lines;
  for (std::vector<const Word*>& band : bands) {
    std::stable_sort(band.begin(), band.end(),
                     [](const Word* a, const Word* b) { return a->x0 < b->x0; });
    Line line;
    line.page = page;
    line.x0 = band.front()->x0;
    line.top = band.front()->y0;
    line.bottom = band.front()->y1;
    const Word* prev = nullptr;
    for (const Word* w : band) {
      if (prev != nullptr &&
          (prev->space_after || w->x0 - prev->x1 > 0.15 * std::max(w->size, 1.0)) &&
          !line.text.empty() && line.text.back() != ' ') {
        line.text.push_back(' ');
      }
      line.text += w->text;
      line.x1 = std::max(line.x1, w->x1);
      line.top = std::min(line.top, w->y0);
      line.bottom = std::max(line.bottom, w->y1);
      line.size = std::max(line.size, w->size);
      line.bold = line.bold && w->bold;
      line.chars += w->text.size();
      prev = w;
    }
    while (!line.text.empty() && line.text.back() == ' ') line.text.pop_back();
    if (!line.text.empty()) lines.push_back(std::move(line));
  }
  // Step 4: page numbers.
  if (!lines.empty() && IsPageNumber(lines.back().text)) lines.pop_back();
  if (!lines.empty() && IsPageNumber(lines.front().text)) lines.erase(lines.begin());
  return lines;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

Result<ReaderOutput> ReadPdf(std::string_view bytes) {
  SilencePoppler();
  if (bytes.empty()) return Status::DataError("empty file (0 bytes)");
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return Status::DataError("PDF too large");
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    return Status::DataError("not a PDF (no %PDF- header)");
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (doc == nullptr) return Status::DataError("not a readable PDF: corrupt or truncated");
  if (doc->is_locked()) {
    return Status::DataError("PDF is password-protected (encrypted with a user password)");
  }
  ReaderOutput output;
  output.encoding = "binary";
  if (doc->is_encrypted()) {
    output.warnings.push_back("PDF is encrypted without a user password; read anyway");
  }
  const int pages = doc->pages();
  if (pages <= 0) return Status::DataError("PDF has no pages");

  std::vector<Line> lines;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (page == nullptr) {
      output.warnings.push_back("page " + std::to_string(i + 1) + " could not be read");
      continue;
    }
    std::vector<Line> page_lines =
        LinesOfPage(page->text_list(poppler::page::text_list_include_font), i + 1);
    for (Line& l : page_lines) lines.push_back(std::move(l));
  }
  if (lines.empty()) {
    return Status::DataError("PDF has no text layer (a scanned image?); text is not recognised");
  }

  // Step 3: body size and heading sizes.
  std::map<long, size_t> chars_by_size;
  for (const Line& l : lines) chars_by_size[std::lround(l.size * 2)] += l.chars;
  long body_key = 0;
  size_t best = 0;
  for (const auto& [key, chars] : chars_by_size) {
    if (chars > best) {
      best = chars;
      body_key = key;
    }
  }
  const double body = static_cast<double>(body_key) / 2;
  std::vector<long> heading_keys;
  for (const auto& [key, chars] : chars_by_size) {
    if (static_cast<double>(key) / 2 >= body * 1.12) heading_keys.push_back(key);
  }
  std::sort(heading_keys.rbegin(), heading_keys.rend());
  auto heading_level = [&](const Line& l) {
    const long key = std::lround(l.size * 2);
    const auto it = std::find(heading_keys.begin(), heading_keys.end(), key);
    if (it != heading_keys.end()) return static_cast<int>(it - heading_keys.begin()) + 1;
    if (l.bold && l.text.size() <= 100 && !EndsSentence(l.text) &&
        l.text.find(", ") == std::string::npos) {
      return static_cast<int>(heading_keys.size()) + 1;
    }
    return 0;
  };

  std::vector<double> pitches;
  std::map<int, double> right_margin;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (heading_level(l) == 0) right_margin[l.page] = std::max(right_margin[l.page], l.x1);
    if (i + 1 < lines.size() && lines[i + 1].page == l.page && heading_level(l) == 0 &&
        heading_level(lines[i + 1]) == 0) {
      const double pitch = lines[i + 1].top - l.top;
      if (pitch > 0 && pitch < 3 * std::max(l.size, 1.0)) pitches.push_back(pitch);
    }
  }
  const double pitch = pitches.empty() ? body * 1.2 : Median(pitches);

  // Step 5.
  Block current;
  bool open = false;
  auto flush = [&] {
    if (open && !current.text.empty()) output.blocks.push_back(std::move(current));
    current = Block();
    open = false;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    const int level = heading_level(l);
    std::string_view text = l.text;
    const std::string_view bullet = level == 0 ? BulletPrefix(text) : std::string_view();
    bool new_block = !open || !bullet.empty();
    if (open && i > 0) {
      const Line& prev = lines[i - 1];
      const int prev_level = heading_level(prev);
      if (prev_level != level) new_block = true;
      if (prev.page != l.page) {
        if (level != 0 || EndsSentence(current.text) || !StartsLowercase(text)) new_block = true;
      } else {
        const double gap = l.top - prev.top;
        // Headings have a larger pitch, in proportion to their font size.
        const double scale = body > 0 ? std::max(1.0, l.size / body) : 1.0;
        if (gap < 0 || gap > pitch * scale * 1.3) new_block = true;
        const double width = right_margin[l.page] - prev.x0;
        if (level == 0 && EndsSentence(prev.text) &&
            prev.x1 < right_margin[l.page] - 0.15 * width) {
          new_block = true;
        }
      }
    }
    if (new_block) {
      flush();
      open = true;
      current.page = l.page;
      if (level > 0) {
        current.kind = Block::Kind::kHeading;
        current.level = level;
      } else if (!bullet.empty()) {
        current.kind = Block::Kind::kListItem;
        text.remove_prefix(bullet.size());
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      }
    }
    AppendLine(&current.text, text);
  }
  flush();
  return output;
}

}  // namespace samrad::ingest
