#include "analysis/lexicon.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "analysis/utf8.h"
#include "base/files.h"

namespace samrad::analysis::internal {

void LowerLatin(std::string* s) {
  for (size_t i = 0; i < s->size(); ++i) {
    unsigned char c = static_cast<unsigned char>((*s)[i]);
    if (c >= 'A' && c <= 'Z') {
      (*s)[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < s->size()) {
      // U+00C0..U+00DE (except U+00D7, the multiplication sign) lower-case
      // by adding 0x20 to the second byte: Å -> å, Ä -> ä, Ö -> ö, É -> é.
      unsigned char d = static_cast<unsigned char>((*s)[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) (*s)[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

namespace {

uint64_t HashKey(std::string_view s) { return std::hash<std::string_view>{}(s); }

// Whether a dictionary word is a single word of letters: ASCII letters and
// any non-ASCII character (å, ä, ö, é, ü ...). Entries with digits, dots,
// hyphens, colons or spaces ("t.h.", "ad hoc") are not compound material.
bool IsLetterWord(std::string_view w) {
  if (w.empty()) return false;
  for (char ch : w) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

// A Hunspell affix condition: a sequence of single characters, "." (any) and
// bracket classes "[abc]" / "[^abc]", matched against the end of a stem.
struct Condition {
  struct Item {
    bool any = false;
    bool negated = false;
    std::u32string chars;
  };
  std::vector<Item> items;

  static Condition Parse(std::u32string_view text) {
    Condition c;
    for (size_t i = 0; i < text.size(); ++i) {
      Item item;
      if (text[i] == U'.') {
        item.any = true;
      } else if (text[i] == U'[') {
        size_t j = i + 1;
        if (j < text.size() && text[j] == U'^') {
          item.negated = true;
          ++j;
        }
        while (j < text.size() && text[j] != U']') item.chars.push_back(text[j++]);
        i = j;
      } else {
        item.chars.push_back(text[i]);
      }
      c.items.push_back(std::move(item));
    }
    return c;
  }

  bool MatchesEndOf(const std::u32string& word) const {
    if (items.size() > word.size()) return false;
    size_t start = word.size() - items.size();
    for (size_t k = 0; k < items.size(); ++k) {
      const Item& it = items[k];
      if (it.any) continue;
      bool in = it.chars.find(word[start + k]) != std::u32string::npos;
      if (in == it.negated) return false;
    }
    return true;
  }
};

struct SuffixRule {
  std::string strip;            // removed from the end of the stem
  std::string add;              // appended
  std::u32string continuation;  // flags of the generated form
  Condition condition;
};

struct AffixFile {
  std::unordered_map<char32_t, std::vector<SuffixRule>> suffixes;
  char32_t begin = 0, middle = 0, end = 0, only_in_compound = 0, need_affix = 0, forbidden = 0;
};

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

char32_t FirstCodePoint(std::string_view s) {
  std::u32string u = DecodeUtf8(s);
  return u.empty() ? 0 : u[0];
}

}  // namespace

// A missing dictionary is NotFound with a hint; other failures as ReadFile says.
Result<std::string> ReadDictionaryFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(path +
                            ": no such file (scripts/setup installs the Swedish word "
                            "lists: wswedish, hunspell-sv)");
  }
  return ReadFile(path);
}

namespace {

Result<AffixFile> ReadAffixFile(const std::string& path) {
  Result<std::string> text = ReadDictionaryFile(path);
  if (!text.ok()) return text.status();
  AffixFile aff;
  std::string_view rest = *text;
  int line_no = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    std::vector<std::string_view> f = SplitFields(line);
    if (f.empty() || f[0][0] == '#') continue;
    if (f[0] == "SET" && f.size() >= 2 && f[1] != "UTF-8") {
      return Status::DataError(path + ": only SET UTF-8 Hunspell dictionaries are supported, not " +
                               std::string(f[1]));
    }
    if (f[0] == "FLAG" && f.size() >= 2 && f[1] != "UTF-8") {
      return Status::DataError(path + ": FLAG " + std::string(f[1]) +
                               " is not supported (single-character flags only)");
    }
    if (f.size() < 2) continue;
    char32_t flag = FirstCodePoint(f[1]);
    if (f[0] == "COMPOUNDBEGIN") aff.begin = flag;
    if (f[0] == "COMPOUNDMIDDLE") aff.middle = flag;
    if (f[0] == "COMPOUNDEND") aff.end = flag;
    if (f[0] == "ONLYINCOMPOUND") aff.only_in_compound = flag;
    if (f[0] == "NEEDAFFIX") aff.need_affix = flag;
    if (f[0] == "FORBIDDENWORD") aff.forbidden = flag;
    // "SFX flag cross count" is a group header; "SFX flag strip add cond" a rule.
    if (f[0] == "SFX" && f.size() >= 5) {
      SuffixRule rule;
      rule.strip = f[2] == "0" ? "" : std::string(f[2]);
      std::string_view add = f[3];
      size_t slash = add.find('/');
      if (slash != std::string_view::npos) {
        rule.continuation = DecodeUtf8(add.substr(slash + 1));
        add = add.substr(0, slash);
      }
      rule.add = add == "0" ? "" : std::string(add);
      LowerLatin(&rule.strip);
      LowerLatin(&rule.add);
      rule.condition = Condition::Parse(DecodeUtf8(f[4]));
      aff.suffixes[flag].push_back(std::move(rule));
    }
  }
  return aff;
}

bool HasFlag(const std::u32string& flags, char32_t f) {
  return f != 0 && flags.find(f) != std::u32string::npos;
}

// Whether a (first-part candidate) string looks like something that can begin
// a compound, for the productivity counts: a Hunspell compounding form, a word,
// a word plus a linking letter, or a word minus its final -a/-e ("skol").
bool FirstLike(const Lexicon& lex, std::string_view a, std::string* scratch) {
  constexpr uint16_t kWord = Lexicon::kStemWord | Lexicon::kListed;
  uint16_t fl = lex.Flags(a);
  if (fl & (Lexicon::kBegin | kWord)) return true;
  if (CountChars(a) < 3) return false;
  char last = a.back();
  if ((last == 's' || last == 'e' || last == 'a' || last == 'u' || last == 'o') &&
      (lex.Flags(a.substr(0, a.size() - 1)) & kWord)) {
    return true;
  }
  for (char v : {'a', 'e'}) {
    scratch->assign(a);
    scratch->push_back(v);
    if (lex.Flags(*scratch) & kWord) return true;
  }
  return false;
}

}  // namespace

// Builds a Lexicon; a friend so that it can intern entries and set flags.
class LexiconBuilder {
 public:
  static Status ReadHunspell(Lexicon* lex, const std::string& base,
                             const std::vector<std::string_view>& suffixes);
  static Status ReadWordList(Lexicon* lex, const std::string& path);
};

uint32_t Lexicon::Intern(std::string_view word) {
  if ((entries_.size() + 1) * 10 > slots_.size() * 7) Reserve(entries_.size() * 2 + 1024);
  uint64_t h = HashKey(word);
  uint64_t tag = h >> 32;
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t s = slots_[i];
    if (s == 0) {
      Entry e;
      e.key_offset = static_cast<uint32_t>(arena_.size());
      e.key_size = static_cast<uint16_t>(word.size());
      arena_.append(word);
      entries_.push_back(e);
      slots_[i] = (tag << 32) | entries_.size();
      return static_cast<uint32_t>(entries_.size() - 1);
    }
    if ((s >> 32) == tag) {
      uint32_t index = static_cast<uint32_t>(s & 0xFFFFFFFFu) - 1;
      if (Key(entries_[index]) == word) return index;
    }
  }
}

int64_t Lexicon::Lookup(std::string_view word, uint64_t hash) const {
  if (slots_.empty()) return -1;
  uint64_t tag = hash >> 32;
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t s = slots_[i];
    if (s == 0) return -1;
    if ((s >> 32) != tag) continue;
    uint32_t index = static_cast<uint32_t>(s & 0xFFFFFFFFu) - 1;
    const Entry& e = entries_[index];
    if (e.key_size == word.size() && Key(e) == word) return index;
  }
}

const Lexicon::Entry* Lexicon::Find(std::string_view word) const {
  if (word.size() > UINT16_MAX) return nullptr;
  int64_t i = Lookup(word, HashKey(word));
  return i < 0 ? nullptr : &entries_[static_cast<size_t>(i)];
}

void Lexicon::Reserve(size_t entries) {
  size_t cap = 1024;
  while (cap * 7 < entries * 10) cap *= 2;
  if (cap <= slots_.size()) return;
  std::vector<uint64_t> slots(cap, 0);
  size_t mask = cap - 1;
  for (size_t k = 0; k < entries_.size(); ++k) {
    uint64_t h = HashKey(Key(entries_[k]));
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots[i] == 0) {
        slots[i] = ((h >> 32) << 32) | (k + 1);
        break;
      }
    }
  }
  slots_ = std::move(slots);
  entries_.reserve(entries);
}

Status LexiconBuilder::ReadWordList(Lexicon* lex, const std::string& path) {
  Result<std::string> text = ReadDictionaryFile(path);
  if (!text.ok()) return text.status();
  // wswedish is ISO-8859-1; a user's list may well be UTF-8.
  std::string utf8 = IsValidUtf8(*text) ? std::move(*text) : Latin1ToUtf8(*text);
  std::string_view rest = utf8;
  std::string word;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!IsLetterWord(line) || line.size() > 64) continue;
    word.assign(line);
    LowerLatin(&word);
    uint32_t id = lex->Intern(word);
    lex->entries_[id].flags |= Lexicon::kListed;
  }
  return Status::Ok();
}

Status LexiconBuilder::ReadHunspell(Lexicon* lex, const std::string& base,
                                    const std::vector<std::string_view>& suffixes) {
  Result<AffixFile> aff = ReadAffixFile(base + ".aff");
  if (!aff.ok()) return aff.status();
  Result<std::string> dic = ReadDictionaryFile(base + ".dic");
  if (!dic.ok()) return dic.status();
  if (!IsValidUtf8(*dic)) return Status::DataError(base + ".dic: not valid UTF-8");

  std::vector<uint32_t> stems;                           // entry index of every stem
  std::vector<std::pair<uint32_t, uint32_t>> form_stem;  // generated form -> its stem
  std::string_view rest = *dic;
  bool first_line = true;
  std::string stem, form;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (first_line) {  // the approximate entry count
      first_line = false;
      continue;
    }
    size_t ws = line.find_first_of(" \t\r");
    if (ws != std::string_view::npos) {
      // "word/flags<TAB>morphology" is fine; "ad hoc" is a multi-word entry.
      std::string_view tail = line.substr(ws);
      if (tail.find_first_not_of(" \t\r") != std::string_view::npos && line[ws] == ' ') continue;
      line = line.substr(0, ws);
    }
    size_t slash = line.find('/');
    std::string_view word = line.substr(0, slash);
    std::u32string flags =
        slash == std::string_view::npos ? std::u32string() : DecodeUtf8(line.substr(slash + 1));
    if (!IsLetterWord(word) || word.size() > 64 || HasFlag(flags, aff->forbidden)) continue;
    stem.assign(word);
    LowerLatin(&stem);
    std::u32string stem32 = DecodeUtf8(stem);

    uint32_t sid = lex->Intern(stem);
    bool bound = HasFlag(flags, aff->only_in_compound) || HasFlag(flags, aff->need_affix);
    uint16_t sf = Lexicon::kForm | Lexicon::kStem;
    if (!bound) sf |= Lexicon::kStemWord | Lexicon::kHunspellWord;
    if (HasFlag(flags, aff->begin)) sf |= Lexicon::kBegin;
    if (HasFlag(flags, aff->middle)) sf |= Lexicon::kMiddle;
    if (HasFlag(flags, aff->end)) sf |= Lexicon::kEnd;
    lex->entries_[sid].flags |= sf;
    stems.push_back(sid);

    for (char32_t flag : flags) {
      auto group = aff->suffixes.find(flag);
      if (group == aff->suffixes.end()) continue;
      for (const SuffixRule& rule : group->second) {
        if (rule.strip.size() > stem.size() ||
            stem.compare(stem.size() - rule.strip.size(), rule.strip.size(), rule.strip) != 0 ||
            !rule.condition.MatchesEndOf(stem32)) {
          continue;
        }
        form.assign(stem, 0, stem.size() - rule.strip.size());
        form += rule.add;
        if (form.empty() || form.size() > 64) continue;
        uint16_t ff = Lexicon::kForm;
        bool compounding = false;
        if (HasFlag(rule.continuation, aff->begin)) ff |= Lexicon::kBegin, compounding = true;
        if (HasFlag(rule.continuation, aff->middle)) ff |= Lexicon::kMiddle, compounding = true;
        // Suffixes are allowed on the last part of a compound.
        if (HasFlag(flags, aff->end)) ff |= Lexicon::kEnd;
        if (!HasFlag(rule.continuation, aff->only_in_compound)) ff |= Lexicon::kHunspellWord;
        uint32_t fid = lex->Intern(form);
        Lexicon::Entry& fe = lex->entries_[fid];
        fe.flags |= ff;
        if (compounding && fe.lemma == Lexicon::kNoLemma && fid != sid) fe.lemma = sid;
        if (fid != sid) form_stem.emplace_back(fid, sid);
      }
    }
  }

  // Productivity counts over the dictionary's own stems (step 4 above).
  std::vector<uint16_t> head_raw;
  std::string scratch;
  std::sort(stems.begin(), stems.end());
  stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
  // Most of the ~1.2 million suffixes tried below are not stems. A small
  // table of stem hashes (a few MB, cache-resident) rejects those without a
  // cache miss in the big table.
  std::vector<uint64_t> stem_hashes(1);
  while (stem_hashes.size() < stems.size() * 2) stem_hashes.resize(stem_hashes.size() * 2);
  std::fill(stem_hashes.begin(), stem_hashes.end(), 0);
  const size_t stem_mask = stem_hashes.size() - 1;
  for (uint32_t sid : stems) {
    uint64_t h = HashKey(lex->Key(lex->entries_[sid])) | 1;  // never 0 (= empty)
    size_t i = h & stem_mask;
    while (stem_hashes[i] != 0 && stem_hashes[i] != h) i = (i + 1) & stem_mask;
    stem_hashes[i] = h;
  }
  auto maybe_stem = [&](std::string_view w) {
    uint64_t h = HashKey(w) | 1;
    for (size_t i = h & stem_mask; stem_hashes[i] != 0; i = (i + 1) & stem_mask) {
      if (stem_hashes[i] == h) return true;
    }
    return false;
  };
  for (uint32_t sid : stems) {
    std::string s(lex->Key(lex->entries_[sid]));
    std::vector<size_t> starts;  // byte offset of each character
    for (size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
    }
    // A first part of k >= 1 characters and a head of at least 3.
    for (size_t k = 1; k + 3 <= starts.size(); ++k) {
      std::string_view a(s.data(), starts[k]), b(s.data() + starts[k], s.size() - starts[k]);
      if (!maybe_stem(b)) continue;
      const Lexicon::Entry* be = lex->Find(b);
      if (be == nullptr || !(be->flags & Lexicon::kStem)) continue;
      if (!FirstLike(*lex, a, &scratch)) continue;
      uint32_t bid = static_cast<uint32_t>(be - lex->entries_.data());
      uint32_t aid = lex->Intern(a);  // may reallocate entries_: use indices only
      if (lex->entries_[aid].first_productivity < UINT16_MAX)
        ++lex->entries_[aid].first_productivity;
      if (head_raw.size() < lex->entries_.size()) head_raw.resize(lex->entries_.size(), 0);
      if (head_raw[bid] < UINT16_MAX) ++head_raw[bid];
    }
  }
  head_raw.resize(lex->entries_.size(), 0);
  for (size_t i = 0; i < head_raw.size(); ++i) lex->entries_[i].head_productivity = head_raw[i];
  auto is_suffix = [&](std::string_view w) {
    return std::find(suffixes.begin(), suffixes.end(), w) != suffixes.end();
  };
  for (uint32_t sid : stems) {
    if (is_suffix(lex->Key(lex->entries_[sid]))) lex->entries_[sid].flags |= Lexicon::kSuffixLike;
  }
  for (auto [fid, sid] : form_stem) {
    Lexicon::Entry& fe = lex->entries_[fid];
    fe.head_productivity = std::max(fe.head_productivity, head_raw[sid]);
    if (lex->entries_[sid].flags & Lexicon::kSuffixLike) fe.flags |= Lexicon::kSuffixLike;
  }
  lex->has_hunspell_ = true;
  return Status::Ok();
}

Result<Lexicon> Lexicon::Load(const std::string& word_list_path, const std::string& hunspell_path,
                              const std::vector<std::string_view>& suffixes) {
  Lexicon lex;
  // One allocation for the expected size (sv_SE expands to ~0.8 million
  // forms): growing step by step costs a rehash of everything each time.
  lex.Reserve(hunspell_path.empty() ? 1 << 18 : 1 << 20);
  lex.arena_.reserve(hunspell_path.empty() ? 2 << 20 : 12 << 20);
  // The word list first, so that FirstLike sees it while counting productivity.
  if (!word_list_path.empty()) {
    SAMRAD_RETURN_IF_ERROR(LexiconBuilder::ReadWordList(&lex, word_list_path));
  }
  if (!hunspell_path.empty()) {
    SAMRAD_RETURN_IF_ERROR(LexiconBuilder::ReadHunspell(&lex, hunspell_path, suffixes));
  }
  for (std::string_view s : suffixes) {
    const Entry* e = lex.Find(s);
    if (e != nullptr)
      lex.entries_[static_cast<size_t>(e - lex.entries_.data())].flags |= kSuffixLike;
  }
  return lex;
}

}  // namespace samrad::analysis::internal
