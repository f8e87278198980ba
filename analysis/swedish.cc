#include "analysis/swedish.h"

#include <algorithm>
#include <array>

namespace samrad::analysis::internal {

const std::vector<std::string_view>& SnowballSwedishStopWords() {
  // clang-format off
  static const std::vector<std::string_view> kWords = {
      "och",    "det",    "att",    "i",      "en",     "jag",    "hon",    "som",
      "han",    "på",     "den",    "med",    "var",    "sig",    "för",    "så",
      "till",   "är",     "men",    "ett",    "om",     "hade",   "de",     "av",
      "icke",   "mig",    "du",     "henne",  "då",     "sin",    "nu",     "har",
      "inte",   "hans",   "honom",  "skulle", "hennes", "där",    "min",    "man",
      "ej",     "vid",    "kunde",  "något",  "från",   "ut",     "när",    "efter",
      "upp",    "vi",     "dem",    "vara",   "vad",    "över",   "än",     "dig",
      "kan",    "sina",   "här",    "ha",     "mot",    "alla",   "under",  "någon",
      "eller",  "allt",   "mycket", "sedan",  "ju",     "denna",  "själv",  "detta",
      "åt",     "utan",   "varit",  "hur",    "ingen",  "mitt",   "ni",     "bli",
      "blev",   "oss",    "din",    "dessa",  "några",  "deras",  "blir",   "mina",
      "samma",  "vilken", "er",     "sådan",  "vår",    "blivit", "dess",   "inom",
      "mellan", "sådant", "varför", "varje",  "vilka",  "ditt",   "vem",    "vilket",
      "sitta",  "sådana", "vart",   "dina",   "vars",   "vårt",   "våra",   "ert",
      "era",    "vilkas"};
  // clang-format on
  return kWords;
}

namespace {

// Sorted by key for binary search (checked by a test).
// clang-format off
constexpr std::array<Abbreviation, 48> kAbbreviations = {{
    {"ang", "ang.", true, false, false},        // angående
    {"bl.a", "bl.a.", true, true, false},      // bland annat
    {"ca", "ca", true, true, false},           // cirka
    {"d.v.s", "d.v.s.", true, true, false},    // det vill säga
    {"dvs", "dvs.", true, true, false},
    {"e.d", "e.d.", true, true, true},         // eller dylikt
    {"e.kr", "e.kr.", false, true, true},      // efter Kristus
    {"enl", "enl.", true, false, false},        // enligt
    {"etc", "etc.", true, true, true},         // etcetera
    {"ev", "ev.", true, false, false},          // eventuellt
    {"exkl", "exkl.", true, false, false},      // exklusive
    {"f.d", "f.d.", true, true, false},        // före detta
    {"f.kr", "f.kr.", false, true, true},      // före Kristus
    {"f.n", "f.n.", true, true, false},        // för närvarande
    {"f.ö", "f.ö.", true, true, false},        // för övrigt
    {"fr.a", "fr.a.", true, true, false},      // framför allt
    {"fr.o.m", "fr.o.m.", true, true, false},  // från och med
    {"i.o.m", "i.o.m.", true, true, false},    // i och med
    {"inkl", "inkl.", true, false, false},      // inklusive
    {"jfr", "jfr", true, true, false},         // jämför
    {"kl", "kl.", true, false, false},          // klockan
    {"kr", "kr", false, true, true},           // kronor
    {"m.a.o", "m.a.o.", true, true, false},    // med andra ord
    {"m.fl", "m.fl.", true, true, true},       // med flera
    {"m.h.a", "m.h.a.", true, true, false},    // med hjälp av
    {"m.m", "m.m.", true, true, true},         // med mera
    {"mdkr", "mdkr", false, true, true},       // miljarder kronor
    {"milj", "milj.", false, false, false},     // miljoner
    {"mkr", "mkr", false, true, true},         // miljoner kronor
    {"nr", "nr", false, true, false},          // nummer
    {"o.d", "o.d.", true, true, true},         // och dylikt
    {"o.s.v", "o.s.v.", true, true, true},     // och så vidare
    {"osv", "osv.", true, true, true},
    {"p.g.a", "p.g.a.", true, true, false},    // på grund av
    {"pga", "pga.", true, true, false},
    {"prof", "prof.", false, false, false},     // professor
    {"resp", "resp.", true, false, false},      // respektive
    {"s.a.s", "s.a.s.", true, true, false},    // så att säga
    {"s.k", "s.k.", true, true, false},        // så kallad
    {"s:a", "s:a", false, true, false},        // summa
    {"s:t", "s:t", false, true, false},        // sankt
    {"st", "st.", false, false, false},         // stycken
    {"t.ex", "t.ex.", true, true, false},      // till exempel
    {"t.o.m", "t.o.m.", true, true, false},    // till och med
    {"t.v", "t.v.", true, true, false},        // tills vidare, till vänster
    {"tel", "tel.", false, false, false},       // telefon
    {"tf", "tf.", false, false, false},         // tillförordnad
    {"tkr", "tkr", false, true, true},         // tusen kronor
}};
// clang-format on

}  // namespace

const Abbreviation* FindAbbreviation(std::string_view lower_key) {
  auto it = std::lower_bound(kAbbreviations.begin(), kAbbreviations.end(), lower_key,
                             [](const Abbreviation& a, std::string_view k) { return a.key < k; });
  if (it == kAbbreviations.end() || it->key != lower_key) return nullptr;
  return &*it;
}

const std::vector<std::string_view>& DerivationalSuffixes() {
  static const std::vector<std::string_view> kSuffixes = {
      "dom",  "het", "skap", "bar", "lek",  "else", "sam", "lig", "ig",   "isk", "ande",
      "ende", "are", "ning", "ing", "tion", "itet", "ism", "ist", "inna", "ska"};
  return kSuffixes;
}

}  // namespace samrad::analysis::internal
