// .docx -> blocks, with libzip and pugixml (the only file that includes them).
//
//   1. Open the bytes as a zip archive; an OLE2 file (what Word writes for a
//      password-protected document) and a truncated archive are DataErrors.
//   2. Zip-bomb guard: add up the uncompressed sizes the archive declares and
//      refuse it past max_unpacked_bytes before inflating anything; while
//      inflating, never accept more bytes than an entry declared.
//   3. Read word/styles.xml (optional) to know which styles are headings
//      ("heading N", "Title", outline levels) and lists.
//   4. Walk word/document.xml's body in order: each w:p is a block (also inside
//      tables and content controls); w:t is text, w:tab a tab, w:br/w:cr a line
//      break, w:noBreakHyphen '-'; deleted text, field codes and properties are
//      not text. Paragraphs in text boxes follow the paragraph holding them.
#include <zip.h>
#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <memory>

#include "ingest/blocks.h"

namespace samrad::ingest {
namespace {

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The attribute `local` (any namespace prefix) of `node`.
std::string_view Attr(const pugi::xml_node& node, std::string_view local) {
  for (const pugi::xml_attribute& a : node.attributes()) {
    std::string_view name = a.name();
    const size_t colon = name.find(':');
    if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) {
      return a.value();
    }
  }
  return {};
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (const pugi::xml_node& c : node.children()) {
    if (LocalName(c) == local) return c;
  }
  return {};
}

class Archive {
 public:
  ~Archive() {
    if (zip_ != nullptr) zip_discard(zip_);
  }

  Status Open(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      const std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      return Status::Internal("libzip: " + why);
    }
    zip_ = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (zip_ == nullptr) {
      zip_source_free(source);
      const std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      return Status::DataError("not a .docx: not a readable zip archive, truncated or corrupt (" +
                               why + ")");
    }
    zip_error_fini(&error);
    return Status::Ok();
  }

  // Total declared uncompressed size of all entries.
  Result<std::uintmax_t> DeclaredSize() const {
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    std::uintmax_t total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0) {
        return Status::DataError(std::string("corrupt zip entry: ") + zip_strerror(zip_));
      }
      if ((st.valid & ZIP_STAT_SIZE) != 0) total += st.size;
    }
    return total;
  }

  // Reads an entry, refusing more than min(declared size, budget) bytes.
  // Returns NotFound when the entry does not exist.
  Result<std::string> Read(const char* name, std::uintmax_t budget) const {
    const zip_int64_t index = zip_name_locate(zip_, name, 0);
    if (index < 0) return Status::NotFound(std::string("no ") + name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
        (st.valid & ZIP_STAT_SIZE) == 0) {
      return Status::DataError(std::string(name) + ": cannot read its size in the zip directory");
    }
    if (st.size > budget) {
      return Status::DataError(std::string(name) + " would unpack to " + std::to_string(st.size) +
                               " bytes, over the limit of " + std::to_string(budget) +
                               " (max_unpacked_bytes)");
    }
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(
        zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0), zip_fclose);
    if (file == nullptr) {
      return Status::DataError(std::string(name) + ": cannot open in the zip archive (" +
                               zip_strerror(zip_) + ")");
    }
    std::string data;
    data.reserve(static_cast<size_t>(std::min<zip_uint64_t>(st.size, 16 << 20)));
    char buffer[64 * 1024];
    while (true) {
      const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
      if (n < 0) {
        return Status::DataError(std::string(name) + ": corrupt compressed data (" +
                                 zip_file_strerror(file.get()) + ")");
      }
      if (n == 0) break;
      if (data.size() + static_cast<size_t>(n) > st.size) {
        return Status::DataError(std::string(name) + " inflates past the " +
                                 std::to_string(st.size) + " bytes its zip header declares");
      }
      data.append(buffer, static_cast<size_t>(n));
    }
    return data;
  }

 private:
  zip_t* zip_ = nullptr;
};

struct StyleInfo {
  int heading_level = 0;  // 0: not a heading
  bool list = false;
};

int HeadingLevelFromName(std::string name) {
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (name == "title" || name == "titel") return 1;
  for (std::string_view prefix : {"heading ", "heading", "rubrik ", "rubrik"}) {
    if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size()) {
      const char d = name[prefix.size()];
      if (d >= '1' && d <= '9') return d - '0';
    }
  }
  return 0;
}

std::map<std::string, StyleInfo, std::less<>> ReadStyles(std::string_view xml) {
  std::map<std::string, StyleInfo, std::less<>> styles;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default)) return styles;
  const pugi::xml_node root = doc.document_element();
  for (const pugi::xml_node& style : root.children()) {
    if (LocalName(style) != "style" || Attr(style, "type") != "paragraph") continue;
    StyleInfo info;
    const std::string id(Attr(style, "styleId"));
    info.heading_level = HeadingLevelFromName(std::string(Attr(Child(style, "name"), "val")));
    if (info.heading_level == 0) info.heading_level = HeadingLevelFromName(id);
    const pugi::xml_node ppr = Child(style, "pPr");
    if (info.heading_level == 0) {
      const std::string_view outline = Attr(Child(ppr, "outlineLvl"), "val");
      if (!outline.empty() && outline[0] >= '0' && outline[0] <= '8') {
        info.heading_level = outline[0] - '0' + 1;
      }
    }
    info.list = Child(ppr, "numPr") || Attr(Child(style, "name"), "val").substr(0, 4) == "List";
    styles[id] = info;
  }
  return styles;
}

class BodyWalker {
 public:
  BodyWalker(const std::map<std::string, StyleInfo, std::less<>>& styles, std::vector<Block>* out)
      : styles_(styles), out_(out) {}

  void WalkContainer(const pugi::xml_node& node, int depth = 0) {
    if (depth > kMaxDepth) return;  // pathological nesting: not a real document
    for (const pugi::xml_node& child : node.children()) {
      const std::string_view name = LocalName(child);
      if (name == "p") {
        Paragraph(child, depth);
      } else if (name == "sectPr" || name == "del" || name == "moveFrom") {
        continue;
      } else if (child.type() == pugi::node_element) {
        WalkContainer(child, depth + 1);  // tbl, tr, tc, sdt, sdtContent, ins, customXml, ...
      }
    }
  }

 private:
  static constexpr int kMaxDepth = 256;

  void Paragraph(const pugi::xml_node& p, int depth) {
    Block block;
    const pugi::xml_node ppr = Child(p, "pPr");
    const std::string_view style = Attr(Child(ppr, "pStyle"), "val");
    if (auto it = styles_.find(style); it != styles_.end()) {
      block.level = it->second.heading_level;
      if (it->second.list) block.kind = Block::Kind::kListItem;
    } else {
      block.level = HeadingLevelFromName(std::string(style));
    }
    const std::string_view outline = Attr(Child(ppr, "outlineLvl"), "val");
    if (!outline.empty() && outline[0] >= '0' && outline[0] <= '8') {
      block.level = outline[0] - '0' + 1;
    }
    if (block.level > 0) {
      block.kind = Block::Kind::kHeading;
    } else if (Child(ppr, "numPr")) {
      block.kind = Block::Kind::kListItem;
    }
    std::vector<pugi::xml_node> nested;
    CollectText(p, &block.text, &nested, depth);
    if (block.text.find_first_not_of(" \t\n") != std::string::npos) {
      out_->push_back(std::move(block));
    }
    for (const pugi::xml_node& inner : nested) WalkContainer(inner, depth + 1);
  }

  void CollectText(const pugi::xml_node& node, std::string* text,
                   std::vector<pugi::xml_node>* nested, int depth) {
    if (depth > kMaxDepth) return;
    for (const pugi::xml_node& child : node.children()) {
      const std::string_view name = LocalName(child);
      if (name == "t") {
        text->append(child.text().get());
      } else if (name == "tab") {
        text->push_back('\t');
      } else if (name == "br" || name == "cr") {
        text->push_back('\n');
      } else if (name == "noBreakHyphen") {
        text->push_back('-');
      } else if (name == "txbxContent") {
        nested->push_back(child);
      } else if (name == "pPr" || name == "rPr" || name == "del" || name == "delText" ||
                 name == "instrText" || name == "moveFrom" || name == "footnoteReference" ||
                 name == "commentReference") {
        continue;
      } else if (child.type() == pugi::node_element) {
        CollectText(child, text, nested, depth + 1);
      }
    }
  }

  const std::map<std::string, StyleInfo, std::less<>>& styles_;
  std::vector<Block>* out_;
};

}  // namespace

Result<ReaderOutput> ReadDocx(std::string_view bytes, std::uintmax_t max_unpacked_bytes) {
  if (bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    return Status::DataError(
        "not a .docx: an OLE2 compound file (a password-protected Word document or an old .doc)");
  }
  if (bytes.empty()) return Status::DataError("empty file (0 bytes)");
  Archive archive;
  SAMRAD_RETURN_IF_ERROR(archive.Open(bytes));
  Result<std::uintmax_t> declared = archive.DeclaredSize();
  if (!declared.ok()) return declared.status();
  if (*declared > max_unpacked_bytes) {
    return Status::DataError("zip archive would unpack to " + std::to_string(*declared) +
                             " bytes, over the limit of " + std::to_string(max_unpacked_bytes) +
                             " (max_unpacked_bytes); refused as a possible zip bomb");
  }
  Result<std::string> document = archive.Read("word/document.xml", max_unpacked_bytes);
  if (!document.ok()) {
    if (document.status().code() == Status::Code::kNotFound) {
      return Status::DataError("not a .docx: the zip archive has no word/document.xml");
    }
    return document.status();
  }
  std::map<std::string, StyleInfo, std::less<>> styles;
  Result<std::string> styles_xml = archive.Read("word/styles.xml", max_unpacked_bytes);
  if (styles_xml.ok()) {
    styles = ReadStyles(*styles_xml);
  } else if (styles_xml.status().code() != Status::Code::kNotFound) {
    return styles_xml.status();
  }

  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(
      document->data(), document->size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed) {
    return Status::DataError(std::string("word/document.xml: XML error: ") + parsed.description() +
                             " at byte " + std::to_string(parsed.offset));
  }
  const pugi::xml_node body = Child(doc.document_element(), "body");
  if (!body) return Status::DataError("word/document.xml has no w:body");

  ReaderOutput output;
  output.encoding = "binary";
  BodyWalker walker(styles, &output.blocks);
  walker.WalkContainer(body);
  return output;
}

}  // namespace samrad::ingest
