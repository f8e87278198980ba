// .txt and .md -> blocks, with line and byte spans into the decoded text.
//
//   1. Decode (encoding.h): the byte spans refer to this decoded text.
//   2. Blank lines end blocks. A line joins the block above only when the line
//      above is long (>= kWrappedLineBytes, i.e. the text was hard-wrapped) and
//      the line does not start like a label ("Telefon: ..."): letters often put
//      signature lines on consecutive lines, and those must stay apart.
//   3. Markdown: ATX (#) and setext (===, ---) headings, list items (-, *, +,
//      1.), block quotes (>), fenced code, thematic breaks; inline markup is
//      stripped later (Block::markdown).
//   4. Plain text: list items start with -, *, • or –; a heading is a short
//      single line on its own with no final punctuation that is not a name,
//      an address or a field ("Datum: ...").
#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <optional>

#include "ingest/blocks.h"
#include "ingest/encoding.h"
#include "ingest/redact.h"

namespace samrad::ingest {
namespace {

using re2::RE2;
using re2::StringPiece;

constexpr size_t kWrappedLineBytes = 50;
constexpr size_t kMaxHeadingBytes = 100;

struct Line {
  size_t start;  // byte offset in the decoded text
  size_t end;    // exclusive, without the '\n'
};

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

size_t LeadingSpaces(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] == ' ') ++n;
  return n;
}

bool LooksLikeLabelLine(std::string_view line) {
  const size_t colon = line.find(": ");
  return colon != std::string_view::npos && colon < 60;
}

// Plain-text heading heuristic (step 4).
bool LooksLikeTxtHeading(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  line = line.substr(first);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.empty() || line.size() > kMaxHeadingBytes) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(line.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, static_cast<int32_t>(line.size()), c);
  if (c < 0 || !(u_isupper(c) || u_isdigit(c))) return false;
  const char last = line.back();
  if (std::string_view(".,:;!?)").find(last) != std::string_view::npos) return false;
  if (line.find(": ") != std::string_view::npos || line.find(", ") != std::string_view::npos ||
      line.find('@') != std::string_view::npos) {
    return false;
  }
  int letters = 0, words = 1;
  for (char ch : line) {
    if (ch == ' ') ++words;
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch & 0x80)) ++letters;
  }
  if (letters < 2 || words > 12) return false;
  if (LeadingPersonalName(line) > 0) return false;
  return true;
}

class TextBlockBuilder {
 public:
  TextBlockBuilder(std::string_view text, bool markdown, std::vector<Block>* out)
      : text_(text), markdown_(markdown), out_(out) {}

  void Close() {
    if (!current_) return;
    out_->push_back(std::move(*current_));
    current_.reset();
  }

  void Open(Block::Kind kind, size_t line_index, const Line& line, size_t content_start) {
    Close();
    Block b;
    b.kind = kind;
    b.markdown = markdown_;
    b.line_start = b.line_end = static_cast<int>(line_index) + 1;
    b.byte_start = content_start;
    b.byte_end = line.end;
    b.text = std::string(text_.substr(content_start, line.end - content_start));
    current_ = std::move(b);
    last_line_bytes_ = line.end - line.start;
  }

  void Append(size_t line_index, const Line& line, size_t content_start) {
    current_->text += '\n';
    current_->text += text_.substr(content_start, line.end - content_start);
    current_->line_end = static_cast<int>(line_index) + 1;
    current_->byte_end = line.end;
    last_line_bytes_ = line.end - line.start;
  }

  bool open() const { return current_.has_value(); }
  Block& current() { return *current_; }
  size_t last_line_bytes() const { return last_line_bytes_; }

 private:
  std::string_view text_;
  bool markdown_;
  std::vector<Block>* out_;
  std::optional<Block> current_;
  size_t last_line_bytes_ = 0;
};

}  // namespace

Result<ReaderOutput> ReadPlainText(std::string_view bytes, bool markdown) {
  Result<DecodedText> decoded = DecodeText(bytes);
  if (!decoded.ok()) return decoded.status();
  ReaderOutput output;
  output.encoding = decoded->encoding;
  output.warnings = std::move(decoded->warnings);
  output.spans_assigned = true;
  const std::string& text = decoded->text;

  std::vector<Line> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back({start, end});
    start = end + 1;
  }

  static const RE2 kAtxHeading("^( {0,3})(#{1,6})(?:[ \\t]+|$)");
  static const RE2 kSetext(" {0,3}(=+|-+)[ \\t]*");
  static const RE2 kThematicBreak(" {0,3}(?:(?:-[ \\t]*){3,}|(?:\\*[ \\t]*){3,}|(?:_[ \\t]*){3,})");
  static const RE2 kMdListItem("^( {0,3}(?:[-*+•]|\\d{1,3}[.)])[ \\t]+)\\S");
  static const RE2 kTxtListItem("^([ \\t]*(?:[-*•]|–)[ \\t]+)\\S");
  static const RE2 kFence(" {0,3}(?:```|~~~).*");

  TextBlockBuilder builder(text, markdown, &output.blocks);
  bool in_fence = false;
  for (size_t li = 0; li < lines.size(); ++li) {
    const Line& line = lines[li];
    const std::string_view content(text.data() + line.start, line.end - line.start);
    const StringPiece piece(content.data(), content.size());
    if (markdown && RE2::FullMatch(piece, kFence)) {
      builder.Close();
      in_fence = !in_fence;
      continue;
    }
    if (IsBlank(content)) {
      builder.Close();
      continue;
    }
    if (in_fence) {
      if (builder.open()) {
        builder.Append(li, line, line.start);
      } else {
        builder.Open(Block::Kind::kParagraph, li, line, line.start);
      }
      continue;
    }
    if (markdown) {
      StringPiece indent, hashes;
      if (RE2::PartialMatch(piece, kAtxHeading, &indent, &hashes)) {
        builder.Close();
        const size_t prefix = indent.size() + hashes.size();
        std::string_view heading = content.substr(prefix);
        // Drop a closing sequence of #s.
        while (!heading.empty() && (heading.back() == ' ' || heading.back() == '\t'))
          heading.remove_suffix(1);
        while (!heading.empty() && heading.back() == '#') heading.remove_suffix(1);
        const size_t lead = heading.find_first_not_of(" \t");
        const size_t content_start =
            line.start + prefix + (lead == std::string_view::npos ? heading.size() : lead);
        builder.Open(Block::Kind::kHeading, li, line, content_start);
        builder.current().level = static_cast<int>(hashes.size());
        builder.current().text =
            std::string(lead == std::string_view::npos ? std::string_view() : heading.substr(lead));
        builder.Close();
        continue;
      }
      if (builder.open() && builder.current().kind == Block::Kind::kParagraph &&
          RE2::FullMatch(piece, kSetext)) {
        builder.current().kind = Block::Kind::kHeading;
        builder.current().level = content.find('=') != std::string_view::npos ? 1 : 2;
        builder.Close();
        continue;
      }
      if (RE2::FullMatch(piece, kThematicBreak)) {
        builder.Close();
        continue;
      }
    }
    StringPiece marker;
    if (RE2::PartialMatch(piece, markdown ? kMdListItem : kTxtListItem, &marker)) {
      builder.Open(Block::Kind::kListItem, li, line, line.start + marker.size());
      continue;
    }
    size_t content_start = line.start + LeadingSpaces(content);
    if (markdown) {
      std::string_view rest = content.substr(LeadingSpaces(content));
      while (!rest.empty() && rest.front() == '>') {  // block quote markers
        rest.remove_prefix(1);
        if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      }
      content_start = line.end - rest.size();
      if (rest.empty()) {
        builder.Close();
        continue;
      }
    }
    const std::string_view rest(text.data() + content_start, line.end - content_start);
    if (builder.open() && builder.current().kind != Block::Kind::kHeading &&
        builder.last_line_bytes() >= kWrappedLineBytes && !LooksLikeLabelLine(rest)) {
      builder.Append(li, line, content_start);
    } else {
      builder.Open(Block::Kind::kParagraph, li, line, content_start);
    }
  }
  builder.Close();

  if (!markdown) {
    // Plain-text headings: single-line paragraphs that look like one, with
    // something after them.
    for (size_t i = 0; i + 1 < output.blocks.size(); ++i) {
      Block& b = output.blocks[i];
      if (b.kind == Block::Kind::kParagraph && b.line_start == b.line_end &&
          LooksLikeTxtHeading(b.text)) {
        b.kind = Block::Kind::kHeading;
        b.level = 1;
      }
    }
  }
  return output;
}

}  // namespace samrad::ingest
