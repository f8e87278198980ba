// Internal to samrad_index: term prefixes, value slots and the normalisation
// of filter values, shared by the builder and the searcher so both agree.
#ifndef SAMRAD_INDEX_TERMS_H_
#define SAMRAD_INDEX_TERMS_H_

#include <xapian.h>

#include <iterator>
#include <string>
#include <string_view>

#include "base/files.h"

namespace samrad::index::internal {

inline constexpr char kKind[] = "XK";
inline constexpr char kOrganisation[] = "XO";
inline constexpr char kActor[] = "XA";
inline constexpr char kRegion[] = "XR";
inline constexpr char kForum[] = "XF";
inline constexpr char kArea[] = "XT";
inline constexpr char kOverridden[] = "XV";
inline constexpr char kTheme[] = "XE";
inline constexpr char kDocument[] = "XD";
inline constexpr char kPassageId[] = "Q";
inline constexpr char kStemmed[] = "Z";

enum Slot : Xapian::valueno {
  kSlotDate = 0,
  kSlotDocument = 1,
  kSlotFacets = 2,  // FacetValues, joined (slots 3-6 were one facet each until samrad-index-3)
  kSlotHash = 7,
};

// Separates the values of a multi-valued slot (areas).
inline constexpr char kValueSeparator = '\x1f';

// What the search counts per passage for its facets, all in one value slot:
// Xapian reads a value with a B-tree lookup and a copy of its chunk, about
// 3 us each, so five slots cost five times one (#11: 18 ms of a search that
// matched 1,200 passages at N=100,000).
struct FacetValues {
  std::string actor, region, kind, theme;
  std::string areas;  // kValueSeparator between areas

  bool operator==(const FacetValues&) const = default;
};
inline constexpr char kFacetSeparator = '\x1e';

inline std::string JoinFacets(const FacetValues& f) {
  std::string v;
  for (const std::string* part : {&f.actor, &f.region, &f.kind, &f.theme}) {
    v += *part;
    v += kFacetSeparator;
  }
  v += f.areas;
  return v;
}

// The inverse of JoinFacets; fields missing from a short value are "".
inline FacetValues SplitFacets(std::string_view v) {
  FacetValues f;
  std::string* parts[] = {&f.actor, &f.region, &f.kind, &f.theme, &f.areas};
  size_t i = 0;
  while (i < std::size(parts)) {
    const size_t end = i + 1 < std::size(parts) ? v.find(kFacetSeparator) : std::string_view::npos;
    *parts[i++] = std::string(v.substr(0, end));
    if (end == std::string_view::npos) break;
    v.remove_prefix(end + 1);
  }
  return f;
}

// Filter values are matched case-insensitively: "Skaraborg", "skaraborg" and
// " SKARABORG " are one value. å/ä/ö are kept (they are different letters).
inline std::string NormaliseValue(std::string_view v) {
  size_t b = 0, e = v.size();
  while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
  while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
  return Xapian::Unicode::tolower(std::string(v.substr(b, e - b)));
}

// Bumped whenever what a passage's Xapian document holds changes, so an
// incremental update rewrites every passage after an upgrade.
// samrad-index-5: lemma stems from Hunspell without its compounding, and a
// compound's from its head (index/lemmas.h).
// samrad-index-6: a document's fields (title, organisation, ...) once per
// document in the metadata (DocumentFieldsKey), not in every passage's data.
inline constexpr char kIndexFormat[] = "samrad-index-6";
// The Xapian metadata key that holds kIndexFormat. An update whose base
// index has another format (or none: written before the key) builds from
// scratch instead, as every passage would be rewritten anyway, and a
// rewrite by replace_document costs about twice a build from scratch.
inline constexpr char kFormatKey[] = "samrad-format";

// Xapian refuses terms over 245 bytes; such a token is not worth indexing.
inline constexpr size_t kMaxTermBytes = 240;

// The metadata key of a source document's fields (its meta as ingest writes
// it, a JSON object; the index keeps title, organisation, date, kind, actor
// group, sub-region and forum). Every passage of a
// document shows them, and they were 31 % of the passages' data, which Xapian
// compresses and writes per passage (#11). Xapian's keys are limited like
// its terms: a longer document id is keyed by its hash.
inline constexpr char kDocumentFieldsPrefix[] = "samrad-document:";
inline std::string DocumentFieldsKey(std::string_view doc_id) {
  std::string key(kDocumentFieldsPrefix);
  if (key.size() + doc_id.size() <= kMaxTermBytes) return key.append(doc_id);
  return key.append("#").append(ContentHash(doc_id));
}

}  // namespace samrad::index::internal

#endif  // SAMRAD_INDEX_TERMS_H_
