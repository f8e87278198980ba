// .html -> blocks, with libxml2's HTML parser (the only file that includes it).
//
//   1. Decode the bytes like any text file (BOM, charset detection); the
//      document's own <meta charset> is then ignored (HTML_PARSE_IGNORE_ENC).
//   2. Parse leniently (libxml2 recovers from broken markup; entities decoded).
//   3. Choose the content: the <main> elements (or role="main") if any, else
//      the <article> elements, else <body>.
//   4. Walk it in document order, dropping what is not the answer: script,
//      style, noscript, template, nav, footer, aside, form, button, svg,
//      iframe, elements whose role is navigation/banner/contentinfo/search, and
//      elements whose id or class mentions cookies.
//   5. Block elements (p, h1-h6, li, dd, dt, td, th, blockquote, pre, div, ...)
//      and <br> end the current block; h1-h6 make headings, li list items.
//      Line numbers are those of the HTML source. Elements nested deeper than
//      256 levels are ignored (no real page does that; recursion stays bounded).
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>

#include "ingest/blocks.h"
#include "ingest/encoding.h"

namespace samrad::ingest {
namespace {

std::string_view Name(const xmlNode* node) {
  return node->name != nullptr ? reinterpret_cast<const char*>(node->name) : "";
}

std::string Attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsElement(const xmlNode* node) { return node->type == XML_ELEMENT_NODE; }

bool IsDropped(const xmlNode* node) {
  static const std::set<std::string_view> kDropped = {
      "script", "style", "noscript", "template", "nav",    "footer", "aside",  "form",
      "button", "svg",   "iframe",   "head",     "select", "option", "object", "canvas"};
  if (kDropped.count(Name(node)) > 0) return true;
  const std::string role = Attribute(node, "role");
  if (role == "navigation" || role == "banner" || role == "contentinfo" || role == "search") {
    return true;
  }
  if (Attribute(node, "id").find("cookie") != std::string::npos ||
      Attribute(node, "class").find("cookie") != std::string::npos) {
    return true;
  }
  return false;
}

bool IsBlockElement(std::string_view name) {
  static const std::set<std::string_view> kBlocks = {
      "p",       "h1",     "h2",         "h3",      "h4",    "h5",     "h6",      "li",
      "dt",      "dd",     "blockquote", "pre",     "td",    "th",     "caption", "figcaption",
      "address", "div",    "section",    "article", "main",  "header", "ul",      "ol",
      "dl",      "table",  "tr",         "tbody",   "thead", "tfoot",  "hr",      "body",
      "html",    "figure", "details",    "summary", "center"};
  return kBlocks.count(name) > 0;
}

int HeadingLevel(std::string_view name) {
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
    return name[1] - '0';
  }
  return 0;
}

class Walker {
 public:
  explicit Walker(std::vector<Block>* out) : out_(out) {}

  void Walk(const xmlNode* node, int depth = 0) {
    if (depth > kMaxDepth) return;  // pathological nesting: not a real page
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      Visit(child, depth);
    }
  }

  void Flush() {
    if (text_.find_first_not_of(" \t\n\r") != std::string::npos) {
      Block b;
      if (heading_level_ > 0) {
        b.kind = Block::Kind::kHeading;
        b.level = heading_level_;
      } else if (list_depth_ > 0) {
        b.kind = Block::Kind::kListItem;
      }
      b.text = std::move(text_);
      b.line_start = line_start_;
      b.line_end = std::max(line_end_, line_start_);
      out_->push_back(std::move(b));
    }
    text_.clear();
    line_start_ = line_end_ = 0;
  }

 private:
  static constexpr int kMaxDepth = 256;

  void Visit(const xmlNode* node, int depth) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content == nullptr) return;
      const std::string_view content(reinterpret_cast<const char*>(node->content));
      const int line = static_cast<int>(xmlGetLineNo(node));
      if (content.find_first_not_of(" \t\n\r") != std::string_view::npos && line > 0) {
        if (line_start_ == 0) line_start_ = line;
        line_end_ = std::max(
            line_end_, line + static_cast<int>(std::count(content.begin(), content.end(), '\n')));
      }
      text_.append(content);
      return;
    }
    if (!IsElement(node) || IsDropped(node)) return;
    const std::string_view name = Name(node);
    if (name == "br") {
      Flush();
      return;
    }
    if (!IsBlockElement(name)) {
      Walk(node, depth + 1);
      return;
    }
    Flush();
    const int level = HeadingLevel(name);
    const bool list_item = name == "li";
    const int saved_level = heading_level_;
    if (level > 0) heading_level_ = level;
    if (list_item) ++list_depth_;
    Walk(node, depth + 1);
    Flush();
    if (list_item) --list_depth_;
    heading_level_ = saved_level;
  }

  std::vector<Block>* out_;
  std::string text_;
  int line_start_ = 0;
  int line_end_ = 0;
  int heading_level_ = 0;
  int list_depth_ = 0;
};

// Collects the outermost elements satisfying `pred` under `node`.
template <typename Pred>
void FindOutermost(const xmlNode* node, Pred pred, std::vector<const xmlNode*>* found,
                   int depth = 0) {
  if (depth > 256) return;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (!IsElement(child)) continue;
    if (pred(child)) {
      found->push_back(child);
    } else {
      FindOutermost(child, pred, found, depth + 1);
    }
  }
}

std::string TitleOf(const xmlNode* root) {
  std::vector<const xmlNode*> titles;
  FindOutermost(
      root, [](const xmlNode* n) { return Name(n) == "title"; }, &titles);
  if (titles.empty()) return "";
  xmlChar* text = xmlNodeGetContent(titles.front());
  if (text == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(text));
  xmlFree(text);
  return out;
}

}  // namespace

Result<ReaderOutput> ReadHtml(std::string_view bytes) {
  Result<DecodedText> decoded = DecodeText(bytes);
  if (!decoded.ok()) return decoded.status();
  ReaderOutput output;
  output.encoding = decoded->encoding;
  output.warnings = std::move(decoded->warnings);
  const std::string& text = decoded->text;
  if (text.size() > static_cast<size_t>(INT32_MAX)) return Status::DataError("HTML too large");

  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
  std::unique_ptr<xmlDoc, void (*)(xmlDoc*)> doc(
      htmlReadMemory(text.data(), static_cast<int>(text.size()), nullptr, "UTF-8", options),
      xmlFreeDoc);
  if (doc == nullptr) return Status::DataError("not readable as HTML");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return Status::DataError("HTML without any element");
  output.title = TitleOf(root);

  std::vector<const xmlNode*> content;
  FindOutermost(
      root, [](const xmlNode* n) { return Name(n) == "main" || Attribute(n, "role") == "main"; },
      &content);
  if (content.empty()) {
    FindOutermost(
        root, [](const xmlNode* n) { return Name(n) == "article"; }, &content);
  }
  if (content.empty()) content.push_back(root);

  Walker walker(&output.blocks);
  for (const xmlNode* node : content) {
    if (IsDropped(node)) continue;
    walker.Walk(node);
    walker.Flush();
  }
  return output;
}

}  // namespace samrad::ingest
