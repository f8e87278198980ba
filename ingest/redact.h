// Internal to samrad_ingest: personal-data redaction (RE2).
//
// Rules (docs/ingest.md, "Redaction", says the same for users):
//  - e-mail addresses -> "[e-post]";
//  - personnummer and samordningsnummer (YYMMDD-NNNN, YYYYMMDD-NNNN, with '-',
//    '+' or nothing between) -> "[personnummer]", but only when the date part is
//    a date (day + 60 for samordningsnummer) and the Luhn check digit is right:
//    a number that fails the check is left alone;
//  - Swedish phone numbers ("031-345 67 89", "0510-77 12 34", "070-123 45 67",
//    "+46 70 123 45 67", "0702-123456", ...) -> "[telefon]": a leading 0 or +46,
//    then 7-9 digits in groups separated by single spaces or hyphens;
//  - personal names -> "[namn]" where a letter or label carries them: see
//    LeadingPersonalName, RedactContactLine and segment.cc.
// Counts go to a map keyed by the placeholder's type ("e-post", "telefon",
// "personnummer", "namn"). Nothing here logs the text it redacts.
#ifndef SAMRAD_INGEST_REDACT_H_
#define SAMRAD_INGEST_REDACT_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace samrad::ingest {

inline constexpr std::string_view kNameType = "namn";
inline constexpr std::string_view kEmailType = "e-post";
inline constexpr std::string_view kPhoneType = "telefon";
inline constexpr std::string_view kPersonnummerType = "personnummer";

// "[namn]", "[e-post]", ...
std::string Placeholder(std::string_view type);

using RedactionCounts = std::map<std::string, int>;

// Replaces e-mail addresses, personnummer (Luhn-checked) and phone numbers.
std::string RedactPatterns(std::string_view text, RedactionCounts* counts);

// True when the 10 digits (YYMMDDNNNN) pass the Luhn check.
bool LuhnValid(std::string_view ten_digits);

// Byte length of a personal name at the start of `text`, 0 when there is none.
// A name is 2 or 3 capitalised words ("Anna Berg", "Lars-Göran Wiik",
// "Eva von Platen"), none of them a place or organisation word from a fixed
// list (Västra, Göteborg, Stad, Region, Högskolan, ...-kommun, ...), followed by
// the end of the text or by ',', ';', ')', " (", " –", " och ", " samt ".
size_t LeadingPersonalName(std::string_view text);

// True when all of `text` is a personal name in the sense above.
bool IsPersonalName(std::string_view text);

// "Kontaktperson: Anna Berg, 031-..." -> "Kontaktperson: [namn], 031-...":
// lines that start with a contact label (Kontaktperson, Kontaktperson i
// sakfrågor, Handläggare, Föredragande, Undertecknad, Avsändare, Från,
// Ansvarig, Sekreterare, Ordförande, Frågor besvaras av) and a colon get every
// name at the start of the value or after "; ", " och ", " samt " replaced.
// Returns the text unchanged otherwise.
// The names it replaced are appended to `names` when that is not null.
std::string RedactContactLine(std::string_view text, RedactionCounts* counts,
                              std::vector<std::string>* names = nullptr);

// A personal name anywhere in running text: 2 or 3 capitalised words (a
// final genitive -s allowed) as in LeadingPersonalName, starting a word and
// followed by punctuation, the end, or a word in lower case. A role word that
// opens a sentence ("Samhällsplanerare Jesper Lundkvist har ...") is not part
// of the name.
struct NameRun {
  size_t start;
  size_t length;
};
std::vector<NameRun> FindNameRuns(std::string_view text);

// Names in the same sentence as a (redacted) personnummer: "Lovisa Törnqvists
// lantbruk (enskild firma, org.nr [personnummer])". Run after RedactPatterns.
std::string RedactNamesNearPersonnummer(std::string_view text, RedactionCounts* counts,
                                        std::vector<std::string>* names = nullptr);

// True for the closing statement of a decision by an authority ("Beslut i
// detta ärende har fattats av ... med ... som föredragande", "... har deltagit").
bool IsDecisionStatement(std::string_view text);

// In a decision statement every personal name (FindNameRuns) is replaced.
std::string RedactNamesInDecisionStatement(std::string_view text, RedactionCounts* counts,
                                           std::vector<std::string>* names = nullptr);

// Replaces every whole-word occurrence of the given names (found by the rules
// above elsewhere in the same document) with "[namn]".
void ReplaceKnownNames(std::string* text, const std::vector<std::string>& names,
                       RedactionCounts* counts);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_REDACT_H_
