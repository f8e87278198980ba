// Where actor groups disagree, and how it is found.
//
//  1. Units: the whole topic, and each of its sub-topics when it has more
//     than one. Sides: actor groups, except mixed audiences, with at least
//     min_side_passages passages from min_side_documents documents in the
//     unit.
//  2. Stance words are matched by Snowball stem; a negation among the two
//     words before or after, in the same clause, flips the sign (Negated()).
//  3. Contested words: for each side, every content word of a sentence that
//     carries stance words is credited with that sentence's supportive and
//     critical words. A word is contested between two sides when both have at
//     least min_stance_words stance words around it, one side leans
//     supportive and the other critical, and their stances differ by at least
//     min_stance_gap. Only the unit's subject words can be contested (see
//     Subjects()): "särskilt" or "regionen" are no subject. The strongest contested words pointing the same way
//     make a stance disagreement; each side is quoted with sentences that
//     contain them and lean its way.
//  4. Share (sub-topics of at least min_unit_passages_for_share passages):
//     both groups have min_topic_passages_for_share passages in the topic, and one puts at least min_share_ratio times as
//     large a share of them in the sub-topic as the other, and at least
//     min_share_gap_permille more.
//  5. Each side's distinctive words: log-odds ratio with an informative
//     Dirichlet prior (Monroe, Colaresi and Quinn 2008), the unit's own word
//     counts as the prior, z >= distinctive_min_z.
//  6. One disagreement per pair of groups (the strongest), at most
//     max_disagreements per topic, strongest first.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "reports/method.h"
#include "reports/text.h"

namespace samrad::reports::internal {
namespace {

// Words that mark a sentence as supportive or critical of what it is about,
// whatever the topic: the evaluative language of consultation answers
// ("tillstyrker", "avstyrker", "ser med oro på"). Words of growth or cutting
// back ("fler", "minska") are deliberately absent: in this genre they as often
// describe what the writer argues against. Neither list names an area or a
// subject.
constexpr std::string_view kSupportWords[] = {
    "stödjer",    "stöder",      "stödja",      "tillstyrker", "välkomnar",  "välkomna",   "positiv",
    "positiva",   "positivt",    "bejakar",     "instämmer",   "uppskattar", "bra",        "utmärkt",
    "angeläget",  "angelägen",   "nödvändigt",  "nödvändig",   "viktigt",    "viktig",     "viktiga",
    "viktigaste", "fördel",      "fördelar",    "möjlighet",   "möjligheter", "glädjande", "framgångsrik",
    "stärker",    "stärka",      "lyckad",      "gynnar",      "förenligt",  "förenlig",   "rimligt",
    "rimlig",     "klokt",       "avgörande",   "självklar",   "självklart"};
constexpr std::string_view kObjectionWords[] = {
    "emot",        "motsätter",   "avstyrker",    "kritisk",     "kritiska",    "kritiskt",   "ifrågasätter",
    "oroar",       "oro",         "orolig",       "oroliga",     "oroande",     "tveksam",    "tveksamma",
    "tveksamhet",  "invänder",    "invändning",   "varnar",      "riskerar",    "risk",       "risker",
    "problem",     "problematiskt", "olyckligt",  "saknar",      "saknas",      "brist",      "bristande",
    "nackdel",     "nackdelar",   "negativ",      "negativa",    "negativt",    "nej",        "stoppa",
    "motstånd",    "orättvist",   "orimligt",     "orimlig",     "otillräcklig", "otillräckligt", "urholka",
    "missgynnar",  "hinder",      "hindrar",      "försvårar",   "ohållbart",   "sämre",      "hotar",
    "skadar",      "felaktigt",   "svårt"};
constexpr std::string_view kNegations[] = {"inte", "ej", "icke", "aldrig", "knappast", "varken"};

StanceTally SentenceTally(std::span<const StanceMark> marks, std::uint32_t begin, std::uint32_t end) {
  StanceTally t;
  for (const StanceMark& m : marks) {
    if (m.byte_start >= begin && m.byte_start < end) ++(m.sign > 0 ? t.support : t.objection);
  }
  return t;
}

// The content words and compound parts of [begin, end) of passage p for
// which among(term) holds, without the stance words themselves, into `terms`
// (sorted, each once). Every caller asks about a few words (a unit's
// subjects, the contested words), so the others are not collected.
template <typename Among>
void SentenceTerms(const Corpus& c, size_t p, std::uint32_t begin, std::uint32_t end, const Among& among,
                   std::vector<std::uint32_t>* terms) {
  terms->clear();
  const std::span<const StanceMark> marks = c.index.stance[p];
  for (const Occurrence& o : c.index.occurrences[p]) {
    if (o.byte_start < begin || o.byte_start >= end || !among(o.term)) continue;
    const bool stance_word = std::any_of(marks.begin(), marks.end(),
                                         [&](const StanceMark& m) { return m.byte_start == o.byte_start; });
    if (!stance_word) terms->push_back(o.term);
  }
  std::sort(terms->begin(), terms->end());
  terms->erase(std::unique(terms->begin(), terms->end()), terms->end());
}

void SentenceTerms(const Corpus& c, size_t p, std::uint32_t begin, std::uint32_t end,
                   const std::set<std::uint32_t>& among, std::vector<std::uint32_t>* terms) {
  SentenceTerms(c, p, begin, end, [&](std::uint32_t t) { return among.count(t) > 0; }, terms);
}

bool IsSubject(const SubjectWords& s, std::uint32_t term) { return std::binary_search(s.begin(), s.end(), term); }

struct GroupStats {
  std::vector<size_t> passages;
  std::set<std::uint32_t> documents;
  // Per subject word of the unit: the stance words of the side's sentences
  // that contain it (UnitStances). Only subjects can be contested
  // (Contested() looks at no other word), so no other word is tallied (#11:
  // with every word of a side's sentences in a std::map, this was 8.2 % of
  // the samples of `samrad report` at N=20,000; 5.6 % with the subjects only).
  std::map<std::uint32_t, StanceTally> words;
};

std::map<std::string, GroupStats> StatsByGroup(const Corpus& c, const std::vector<size_t>& passages,
                                               const MethodOptions& o) {
  std::map<std::string, GroupStats> m;
  for (size_t p : passages) {
    const std::string& g = GroupOf(c, p);
    if (g.empty() ||
        std::find(o.mixed_actor_groups.begin(), o.mixed_actor_groups.end(), g) != o.mixed_actor_groups.end()) {
      continue;
    }
    m[g].passages.push_back(p);
    m[g].documents.insert(c.doc_of[p]);
  }
  return m;
}

// Per-term word counts (compound parts count half) of a unit's passages into
// `all`, and of those of actor groups `a` and `b` (ids; another value: none)
// into `in_a` and `in_b`, in one pass (#11: a pass each was 5 % of the
// samples of `samrad report` at N=20,000). The totals go to `n` (all, a, b).
void CountWords(const Corpus& c, const std::vector<size_t>& unit, std::uint32_t a, std::uint32_t b,
                Accumulator* all, Accumulator* in_a, Accumulator* in_b, double n[3]) {
  for (Accumulator* x : {all, in_a, in_b}) x->Reset(c.index.terms.size());
  n[0] = n[1] = n[2] = 0;
  PagePacer pacer(c.passages);
  for (size_t p : unit) {
    pacer.Next(p);
    const std::uint32_t group = c.group_of[p];
    Accumulator* side = group == a ? in_a : group == b ? in_b : nullptr;
    double* side_n = group == a ? &n[1] : &n[2];
    for (const Occurrence& occ : c.index.occurrences[p]) {
      all->Add(occ.term, occ.weight());
      n[0] += occ.weight();
      if (side != nullptr) {
        side->Add(occ.term, occ.weight());
        *side_n += occ.weight();
      }
    }
  }
}

// Log-odds ratio with an informative Dirichlet prior: the words side `a` uses
// more than side `b`, strongest first. `prior`: the unit's word counts, n0
// their total; ya, yb: the sides' counts, na, nb their totals (CountWords).
std::vector<std::string> Distinctive(const Corpus& c, const Accumulator& ya, double na, const Accumulator& yb,
                                     double nb, const Accumulator& prior, double n0, const MethodOptions& o) {
  if (n0 <= 0) return {};
  const double alpha0 = 100.0;
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (std::uint32_t id : ya.ids) {
    const double y = ya.value[id];
    if (y < 2) continue;
    const double alpha = alpha0 * prior.value[id] / n0;
    const double y2 = yb.value[id];  // 0 when b never uses it
    const double delta =
        std::log((y + alpha) / (na + alpha0 - y - alpha)) - std::log((y2 + alpha) / (nb + alpha0 - y2 - alpha));
    const double z = delta / std::sqrt(1.0 / (y + alpha) + 1.0 / (y2 + alpha));
    if (z >= o.distinctive_min_z) ranked.emplace_back(z, id);
  }
  // A total order (z, then the term), so the order of ya.ids is no matter.
  std::sort(ranked.begin(), ranked.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return c.index.terms[x.second] < c.index.terms[y.second];
  });
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& [z, id] : ranked) {
    if (static_cast<int>(out.size()) >= o.distinctive_words) break;
    if (seen.insert(c.index.surface[id]).second) out.push_back(c.index.surface[id]);
  }
  return out;
}

struct Contest {
  std::uint32_t term;
  StanceTally a, b;
  double gap;
  double score;
};

// Adds 1 to `out` (and to `also`, when given) for each term passage p has
// as a word of its own, not only as a compound part. `last`: per term, the
// last passage (+ 1) counted for it, so that a passage counts a term once
// without sorting its words (the passages counted are distinct).
void CountOwnWords(const Corpus& c, size_t p, std::vector<std::uint32_t>* last, Accumulator* out,
                   Accumulator* also) {
  const auto mark = static_cast<std::uint32_t>(p + 1);
  for (const Occurrence& occ : c.index.occurrences[p]) {
    if (occ.weight() < 1.0f || (*last)[occ.term] == mark) continue;
    (*last)[occ.term] = mark;
    out->Add(occ.term, 1.0);
    if (also != nullptr) also->Add(occ.term, 1.0);
  }
}

// The words a unit is about, which alone can be contested: the heaviest
// terms of its centroid that are not too common in the whole corpus; a
// compound part ("flyg" of "flygresor") only when the unit also has it as a
// word of its own in at least min_side_passages passages. `as_word`: per
// term, the unit's passages that have it as a word of their own
// (CountOwnWords).
SubjectWords Subjects(const Corpus& c, const Accumulator& as_word, const DenseVector& centroid,
                      const MethodOptions& o) {
  const double max_df = o.max_anchor_df * static_cast<double>(c.size());
  std::vector<std::pair<double, std::uint32_t>> ranked;
  for (std::uint32_t term : as_word.ids) {
    if (c.index.df[term] > max_df || as_word.value[term] < o.min_side_passages) continue;
    ranked.emplace_back(centroid[term], term);
  }
  // A total order (weight, then the term), so the order of the ids is no matter.
  std::sort(ranked.begin(), ranked.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return c.index.terms[x.second] < c.index.terms[y.second];
  });
  SubjectWords out;
  for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < o.subject_words; ++i) out.push_back(ranked[i].second);
  std::sort(out.begin(), out.end());
  return out;
}

// Contested words between sides a and b, strongest first, all pointing the
// same way as the strongest (a supportive and b critical, or the reverse).
std::vector<Contest> Contested(const Corpus& c, const std::map<std::uint32_t, StanceTally>& sa,
                               const std::map<std::uint32_t, StanceTally>& sb, const SubjectWords& subjects,
                               const MethodOptions& o) {
  std::vector<Contest> out;
  for (const auto& [term, ta] : sa) {
    auto it = sb.find(term);
    if (it == sb.end() || !IsSubject(subjects, term)) continue;
    const StanceTally& tb = it->second;
    if (ta.Words() < o.min_stance_words || tb.Words() < o.min_stance_words) continue;
    if (ta.Stance() * tb.Stance() >= 0) continue;
    const double gap = std::fabs(ta.Stance() - tb.Stance());
    if (gap < o.min_stance_gap - 1e-12) continue;
    out.push_back({term, ta, tb, gap, gap * std::min(ta.Words(), tb.Words())});
  }
  std::sort(out.begin(), out.end(), [&](const Contest& x, const Contest& y) {
    if (x.score != y.score) return x.score > y.score;
    return c.index.terms[x.term] < c.index.terms[y.term];
  });
  if (out.empty()) return out;
  const bool a_supports = out[0].a.Stance() > 0;
  std::vector<Contest> same;
  std::set<std::string> seen;
  for (const Contest& k : out) {
    if ((k.a.Stance() > 0) != a_supports) continue;
    if (!seen.insert(c.index.surface[k.term]).second) continue;
    same.push_back(k);
    if (static_cast<int>(same.size()) >= o.contested_words) break;
  }
  return same;
}

// The side's stance words in sentences that mention a contested word.
StanceTally SideTally(const Corpus& c, const std::vector<size_t>& passages, const std::set<std::uint32_t>& words) {
  StanceTally total;
  std::vector<std::uint32_t> terms;
  PagePacer pacer(c.passages);
  for (size_t p : passages) {
    pacer.Next(p);
    for (const auto& [b, e] : c.index.sentences[p]) {
      const StanceTally t = SentenceTally(c.index.stance[p], b, e);
      if (t.Words() == 0) continue;
      SentenceTerms(c, p, b, e, words, &terms);
      if (!terms.empty()) total.Add(t);
    }
  }
  return total;
}

// Sentences of the side that mention a contested word and lean the side's
// way (`sign`), most decided first; one per document.
std::vector<Quote> StanceQuotes(const Corpus& c, const std::vector<size_t>& passages,
                                const std::set<std::uint32_t>& words, int sign, const DenseVector& centroid,
                                const MethodOptions& o) {
  struct Candidate {
    int lean;
    double relevance;
    size_t passage;
    std::uint32_t begin, end;
  };
  std::vector<Candidate> candidates;
  std::vector<std::uint32_t> terms;
  PagePacer pacer(c.passages);
  for (size_t p : passages) {
    pacer.Next(p);
    const double relevance = Dot(c.index.vectors[p], centroid);
    for (const auto& [b, e] : c.index.sentences[p]) {
      const StanceTally t = SentenceTally(c.index.stance[p], b, e);
      const int lean = (t.support - t.objection) * sign;
      if (lean <= 0) continue;
      SentenceTerms(c, p, b, e, words, &terms);
      if (terms.empty()) continue;
      candidates.push_back({lean, relevance, p, b, e});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.lean != y.lean) return x.lean > y.lean;
    if (x.relevance != y.relevance) return x.relevance > y.relevance;
    if (x.passage != y.passage) return x.passage < y.passage;
    return x.begin < y.begin;
  });
  std::vector<Quote> out;
  std::set<std::uint32_t> docs;
  for (const Candidate& k : candidates) {
    if (static_cast<int>(out.size()) >= o.quotes_per_side) break;
    if (!docs.insert(c.doc_of[k.passage]).second) continue;
    out.push_back(MakeSpanQuote(c, k.passage, k.begin, k.end, centroid));
  }
  return out;
}

// The side's passages closest to the unit's centroid, one per document.
std::vector<Quote> CentralQuotes(const Corpus& c, const std::vector<size_t>& passages,
                                 const DenseVector& centroid, const MethodOptions& o) {
  std::vector<std::pair<double, size_t>> ranked;
  PagePacer pacer(c.passages);
  for (size_t p : passages) {
    pacer.Next(p);
    if (c.index.distinct_terms[p] >= o.min_quote_terms) ranked.emplace_back(Dot(c.index.vectors[p], centroid), p);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return x.second < y.second;
  });
  std::vector<Quote> out;
  std::set<std::uint32_t> docs;
  for (const auto& [s, p] : ranked) {
    if (static_cast<int>(out.size()) >= o.quotes_per_side) break;
    if (!docs.insert(c.doc_of[p]).second) continue;
    out.push_back(MakeQuote(c, p, centroid, o));
  }
  return out;
}

Side MakeSide(const std::string& group, const GroupStats& unit, const GroupStats& topic) {
  Side s;
  s.actor_group = group;
  s.passages = static_cast<int>(unit.passages.size());
  s.documents = static_cast<int>(unit.documents.size());
  s.topic_passages = static_cast<int>(topic.passages.size());
  s.share_permille = PerMille(s.passages, s.topic_passages);
  return s;
}

// True when a negation stands among the two words before tokens[i] ("inte
// positiva") or the two after it ("det stödjer vi inte": Swedish puts the
// negation after the verb), within the same clause. "inte minst" and "inte
// bara" are intensifiers, not negations.
bool Negated(const std::vector<analysis::Token>& tokens, size_t i, const StanceLexicon& lexicon) {
  auto negation = [&](size_t j) {
    if (!lexicon.negation.count(tokens[j].norm)) return false;
    const bool intensifier = j + 1 < tokens.size() && !tokens[j + 1].clause_start &&
                             (tokens[j + 1].norm == "minst" || tokens[j + 1].norm == "bara");
    return !intensifier;
  };
  for (size_t k = 1; k <= 2 && k <= i; ++k) {
    if (tokens[i - k + 1].clause_start) break;  // a boundary between tokens[i - k] and tokens[i]
    if (negation(i - k)) return true;
  }
  for (size_t k = 1; k <= 2 && i + k < tokens.size(); ++k) {
    if (tokens[i + k].clause_start) break;
    if (negation(i + k)) return true;
  }
  return false;
}

}  // namespace

StanceLexicon MakeStanceLexicon(const analysis::Analyzer& analyzer) {
  StanceLexicon l;
  for (std::string_view w : kSupportWords) l.support.insert(analyzer.Stem(w));
  for (std::string_view w : kObjectionWords) l.objection.insert(analyzer.Stem(w));
  for (std::string_view w : kNegations) l.negation.insert(std::string(w));
  return l;
}

std::vector<StanceMark> FindStanceMarks(const std::vector<analysis::Token>& tokens, const StanceLexicon& lexicon) {
  std::vector<StanceMark> marks;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const analysis::Token& t = tokens[i];
    if (t.kind != analysis::TokenKind::kWord) continue;
    const bool support = lexicon.support.count(t.stem) > 0, objection = lexicon.objection.count(t.stem) > 0;
    if (support == objection) continue;  // neither, or (never) both
    marks.push_back({t.byte_start, support != Negated(tokens, i, lexicon) ? 1 : -1});
  }
  return marks;
}

std::vector<SubjectWords> UnitSubjects(const Corpus& c, const TopicUnits& units, const MethodOptions& o) {
  // The sub-topics partition the topic, so the topic's counts are theirs
  // summed, and each passage's words are counted once (#11).
  const size_t terms = c.index.terms.size();
  std::vector<SubjectWords> out(units.size());
  Accumulator topic_words, unit_words;
  topic_words.Reset(terms);
  std::vector<std::uint32_t> last_counted(terms, 0);  // CountOwnWords' `last`
  DenseVector unit_centroid;
  for (size_t v = 1; v < units.size(); ++v) {
    unit_words.Reset(terms);
    PagePacer pacer(c.passages);
    for (size_t p : units.unit(v)) {
      pacer.Next(p);
      CountOwnWords(c, p, &last_counted, &unit_words, &topic_words);
    }
    Expand(units.subtopic_centroids[v - 1], terms, &unit_centroid);
    out[v] = Subjects(c, unit_words, unit_centroid, o);
  }
  if (units.size() == 1) {
    PagePacer pacer(c.passages);
    for (size_t p : units.members) {
      pacer.Next(p);
      CountOwnWords(c, p, &last_counted, &topic_words, nullptr);
    }
  }
  out[0] = Subjects(c, topic_words, units.centroid, o);
  return out;
}

std::vector<std::map<std::uint32_t, WordStances>> UnitStances(const Corpus& c, const TopicUnits& units,
                                                              const std::vector<SubjectWords>& subjects,
                                                              const std::vector<std::vector<bool>>& tally) {
  std::vector<std::map<std::uint32_t, WordStances>> out(units.size());
  // Per unit, per actor group id: where its stances go (nullptr: not tallied).
  std::vector<std::vector<WordStances*>> into(units.size(), std::vector<WordStances*>(c.groups.size(), nullptr));
  for (size_t v = 0; v < units.size(); ++v) {
    if (subjects[v].empty()) continue;
    for (size_t g = 0; g < c.groups.size() && g < tally[v].size(); ++g) {
      if (tally[v][g]) into[v][g] = &out[v][static_cast<std::uint32_t>(g)];
    }
  }
  // Each passage is in the topic and, with sub-topics, in one of them: one
  // pass over the topic tallies both.
  std::vector<std::uint32_t> sentence_terms;
  auto add = [&](size_t p, size_t v) {
    WordStances* in_topic = into[0][c.group_of[p]];
    WordStances* in_unit = v > 0 ? into[v][c.group_of[p]] : nullptr;
    const std::span<const StanceMark> marks = c.index.stance[p];
    if ((in_topic == nullptr && in_unit == nullptr) || marks.empty()) return;
    auto among = [&](std::uint32_t t) {
      return (in_topic != nullptr && IsSubject(subjects[0], t)) || (in_unit != nullptr && IsSubject(subjects[v], t));
    };
    for (const auto& [b, e] : c.index.sentences[p]) {
      const StanceTally t = SentenceTally(marks, b, e);
      if (t.Words() == 0) continue;
      SentenceTerms(c, p, b, e, among, &sentence_terms);
      for (std::uint32_t term : sentence_terms) {
        if (in_topic != nullptr && IsSubject(subjects[0], term)) (*in_topic)[term].Add(t);
        if (in_unit != nullptr && IsSubject(subjects[v], term)) (*in_unit)[term].Add(t);
      }
    }
  };
  for (size_t v = units.size() == 1 ? 0 : 1; v < units.size(); ++v) {
    PagePacer pacer(c.passages);
    for (size_t p : units.unit(v)) {
      pacer.Next(p);
      add(p, v);
    }
  }
  return out;
}

std::vector<Disagreement> FindDisagreements(const Corpus& c, const TopicUnits& units,
                                            const std::vector<SubTopic>& subtopics, const MethodOptions& o) {
  const std::map<std::string, GroupStats> topic_stats = StatsByGroup(c, units.members, o);
  auto solid = [&](const GroupStats& g) {
    return static_cast<int>(g.passages.size()) >= o.min_side_passages &&
           static_cast<int>(g.documents.size()) >= o.min_side_documents;
  };
  static const GroupStats kNone;
  const size_t terms = c.index.terms.size();

  // Every unit's sides, subject words, and the solid sides' stances on them.
  std::vector<std::map<std::string, GroupStats>> unit_stats(units.size());
  std::vector<std::vector<bool>> solid_side(units.size(), std::vector<bool>(c.groups.size(), false));
  for (size_t v = 0; v < units.size(); ++v) {
    unit_stats[v] = StatsByGroup(c, units.unit(v), o);
    for (const auto& [group, g] : unit_stats[v]) {
      if (solid(g)) solid_side[v][c.group_of[g.passages.front()]] = true;
    }
  }
  const std::vector<SubjectWords> subjects = UnitSubjects(c, units, o);
  {
    std::vector<std::map<std::uint32_t, WordStances>> stances = UnitStances(c, units, subjects, solid_side);
    for (size_t v = 0; v < units.size(); ++v) {
      for (auto& [group, g] : unit_stats[v]) {
        auto it = stances[v].find(c.group_of[g.passages.front()]);
        if (it != stances[v].end()) g.words = std::move(it->second);
      }
    }
  }

  // First every pair of groups in every unit is judged and ranked; only the
  // disagreements shown get their tallies, quotes and distinctive words
  // (which need a pass over the unit each), so the work per topic does not
  // grow with the number of pairs that pass.
  struct Found {
    Disagreement d;
    size_t unit;                         // 0: the whole topic
    const GroupStats* ga = nullptr;      // side a's and b's passages in the unit
    const GroupStats* gb = nullptr;
    std::set<std::uint32_t> words;       // the contested words
  };
  std::vector<Found> found;
  for (size_t v = 0; v < units.size(); ++v) {
    const std::vector<size_t>& unit = units.unit(v);
    const std::map<std::string, GroupStats>& stats = unit_stats[v];
    for (auto ia = topic_stats.begin(); ia != topic_stats.end(); ++ia) {
      for (auto ib = std::next(ia); ib != topic_stats.end(); ++ib) {
        const auto fa = stats.find(ia->first), fb = stats.find(ib->first);
        const GroupStats& a = fa == stats.end() ? kNone : fa->second;
        const GroupStats& b = fb == stats.end() ? kNone : fb->second;
        Disagreement d;
        d.subtopic = static_cast<int>(v) - 1;
        d.unit_label = v == 0 ? std::string() : subtopics[v - 1].label;
        Side sa = MakeSide(ia->first, a, ia->second), sb = MakeSide(ib->first, b, ib->second);

        std::vector<Contest> contests;
        if (solid(a) && solid(b)) contests = Contested(c, a.words, b.words, subjects[v], o);
        d.by_stance = !contests.empty();
        if (v > 0 && static_cast<int>(unit.size()) >= o.min_unit_passages_for_share &&
            static_cast<int>(ia->second.passages.size()) >= o.min_topic_passages_for_share &&
            static_cast<int>(ib->second.passages.size()) >= o.min_topic_passages_for_share) {
          const int hi = std::max(sa.share_permille, sb.share_permille);
          const int lo = std::min(sa.share_permille, sb.share_permille);
          d.by_share = solid(sa.share_permille >= sb.share_permille ? a : b) &&
                       hi - lo >= o.min_share_gap_permille && hi >= o.min_share_ratio * lo;
        }
        if (!d.by_stance && !d.by_share) continue;

        // Side a: the supportive one, or the one that puts the larger share here.
        Found f;
        bool swap = sb.share_permille > sa.share_permille;
        if (d.by_stance) {
          swap = contests[0].a.Stance() < 0;
          for (const Contest& k : contests) {
            f.words.insert(k.term);
            d.contested.push_back(c.index.surface[k.term]);
          }
          d.stance_gap = contests[0].gap;
        }
        if (swap) std::swap(sa, sb);
        f.ga = swap ? &b : &a;
        f.gb = swap ? &a : &b;
        const int evidence = d.by_stance ? std::min(contests[0].a.Words(), contests[0].b.Words()) : 0;
        d.strength = (d.by_stance ? d.stance_gap / 2 * std::min(1.0, evidence / 4.0) : 0.0) +
                     (d.by_share ? std::abs(sa.share_permille - sb.share_permille) / 1000.0 : 0.0);
        d.a = std::move(sa);
        d.b = std::move(sb);
        f.d = std::move(d);
        f.unit = v;
        found.push_back(std::move(f));
      }
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Found& x, const Found& y) { return x.d.strength > y.d.strength + 1e-12; });

  std::vector<Disagreement> out;
  std::set<std::pair<std::string, std::string>> pairs;
  DenseVector unit_centroid;
  Accumulator prior, ya, yb;
  for (Found& f : found) {
    if (static_cast<int>(out.size()) >= o.max_disagreements) break;
    if (!pairs.insert(std::minmax(f.d.a.actor_group, f.d.b.actor_group)).second) continue;
    Disagreement& d = f.d;
    if (f.unit > 0) Expand(units.subtopic_centroids[f.unit - 1], terms, &unit_centroid);
    const DenseVector& centroid = f.unit == 0 ? units.centroid : unit_centroid;
    if (d.by_stance) {
      const StanceTally ta = SideTally(c, f.ga->passages, f.words), tb = SideTally(c, f.gb->passages, f.words);
      d.a.support = ta.support;
      d.a.objection = ta.objection;
      d.a.stance = Rounded(ta.Stance(), 4);
      d.b.support = tb.support;
      d.b.objection = tb.objection;
      d.b.stance = Rounded(tb.Stance(), 4);
      d.a.quotes = StanceQuotes(c, f.ga->passages, f.words, 1, centroid, o);
      d.b.quotes = StanceQuotes(c, f.gb->passages, f.words, -1, centroid, o);
    } else {
      d.a.quotes = CentralQuotes(c, f.ga->passages, centroid, o);
      d.b.quotes = CentralQuotes(c, f.gb->passages, centroid, o);
    }
    // A side with no passages in the unit (one by share only) counts none.
    constexpr std::uint32_t kNoGroup = 0xFFFFFFFFu;
    const std::uint32_t group_a = f.ga->passages.empty() ? kNoGroup : c.group_of[f.ga->passages.front()];
    const std::uint32_t group_b = f.gb->passages.empty() ? kNoGroup : c.group_of[f.gb->passages.front()];
    double n[3];
    CountWords(c, units.unit(f.unit), group_a, group_b, &prior, &ya, &yb, n);
    d.a.distinctive = Distinctive(c, ya, n[1], yb, n[2], prior, n[0], o);
    d.b.distinctive = Distinctive(c, yb, n[2], ya, n[1], prior, n[0], o);
    d.stance_gap = Rounded(d.stance_gap, 4);
    d.strength = Rounded(d.strength, 4);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace samrad::reports::internal
