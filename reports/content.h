// Internal to samrad_reports: what a report says, as plain data.
//
// build.cc computes these from the ingested passages, their documents and the
// theme model; render_{markdown,html,json}.cc turn the same values into the
// three formats, so the formats cannot disagree. Every list here is already
// in its final, deterministic order.
#ifndef SAMRAD_REPORTS_CONTENT_H_
#define SAMRAD_REPORTS_CONTENT_H_

#include <string>
#include <vector>

#include "base/id_list.h"

namespace samrad::reports::internal {

// One row of a breakdown: a metadata value (actor group, sub-region, kind)
// and how many of the topic's passages carry it.
struct CountRow {
  std::string key;    // the value as stored ("näringsliv", "remiss", "" when unknown)
  std::string label;  // what planners read ("näringsliv", "Remissvar", "(okänd)")
  int passages = 0;
  int documents = 0;
};

// Where a quote comes from: enough to find it in the source document.
struct Citation {
  std::string passage_id;
  std::string doc_id;
  std::string organisation;
  std::string actor_group;
  std::string subregion;
  std::string kind;
  std::string title;
  std::string date;
  std::string speaker;  // "Kommunchef, Lidköping" for speaker turns, else ""
  std::string section;  // the nearest heading above the passage, "" if none
  int line_start = 0;
  int line_end = 0;
  int page = 0;
  int ordinal = 0;      // 0-based passage number in the document
  std::string where;    // "rad 12–14", "sida 3" or "stycke 8"
};

struct Quote {
  std::string text;         // a verbatim substring of the passage text
  bool whole_passage = false;
  std::size_t byte_start = 0;  // of `text` inside the passage text
  std::size_t byte_end = 0;
  int subtopic = -1;        // index into TopicReport::subtopics, -1 if none
  double relevance = 0;     // cosine to the topic centroid, 4 decimals
  Citation cite;
};

struct Phrase {
  std::string phrase;
  int passages = 0;   // passages of the topic that contain it
  int documents = 0;
  double score = 0;
};

struct SubTopic {
  int id = 0;
  std::string label;               // "bredband, fiber, mobiltäckning"
  std::vector<std::string> terms;
  IdList passage_ids;  // sorted
  std::vector<CountRow> actor_groups;
};

// One actor group's side of a disagreement.
struct Side {
  std::string actor_group;
  int passages = 0;        // in the unit (sub-topic or whole topic)
  int documents = 0;
  int topic_passages = 0;  // the group's passages in the whole topic
  int share_permille = 0;  // passages / topic_passages
  // Stance words (after negation) in the side's sentences that mention a
  // contested word; 0 when the disagreement is only about share.
  int support = 0;
  int objection = 0;
  double stance = 0;       // (support - objection) / (support + objection)
  std::vector<std::string> distinctive;  // words this side uses more than the other
  std::vector<Quote> quotes;
};

struct Disagreement {
  int subtopic = -1;           // -1: the whole topic
  std::string unit_label;      // the sub-topic's label, "" for the whole topic
  bool by_stance = false;      // contested words were found
  std::vector<std::string> contested;  // the words, strongest first
  bool by_share = false;       // the share gap passed its threshold
  double stance_gap = 0;       // of the strongest contested word
  double strength = 0;         // what ranks disagreements
  Side a, b;                   // a: the supportive side (stance), else the larger share
};

// An area of the framework or one emergent theme.
struct TopicReport {
  std::string kind;            // "area" | "theme"
  std::string id;              // area id, or the theme number
  std::string name;            // area name, or "Tema 3: bostäder, hyresrätter"
  std::string description;     // from the framework; "" for themes
  std::string parent_id, parent_name;
  std::vector<std::pair<std::string, std::string>> children;  // (id, name)
  std::vector<std::string> terms;  // themes: the label terms from the analysis
  int passages = 0;
  int documents = 0;
  int organisations = 0;
  int overridden = 0;          // passages whose areas an analyst set
  std::vector<CountRow> by_actor_group;
  std::vector<CountRow> by_subregion;
  std::vector<CountRow> by_kind;
  std::vector<Phrase> key_phrases;
  std::vector<SubTopic> subtopics;
  std::vector<Quote> quotes;
  std::vector<Disagreement> disagreements;
  IdList passage_ids;  // sorted
};

struct AreaRow {
  std::string id, name, parent;
  int depth = 0;  // 0 for top-level areas
  int passages = 0, documents = 0, organisations = 0;
};

struct ThemeRow {
  std::string id, label;
  int passages = 0, documents = 0;
};

struct Overview {
  std::string framework_id, framework_name;
  std::string as_of;  // ReportOptions::as_of, "" for none
  int passages = 0, documents = 0, organisations = 0;
  int in_some_area = 0;
  int no_area = 0;
  int no_area_in_theme = 0;   // of no_area: in an emergent theme
  int overridden = 0;
  std::vector<CountRow> by_kind;
  std::vector<AreaRow> areas;           // framework order, children after their parent
  std::vector<CountRow> actor_groups;   // heat-map columns, all passages per group
  std::vector<std::vector<int>> matrix; // [area][actor group] passages
  std::vector<int> least;               // indexes into `areas`, least input first
  std::vector<ThemeRow> themes;
  std::vector<std::string> area_files;  // "omrade-<id>" per area, or "" if not written
  bool themes_file = true;
};

}  // namespace samrad::reports::internal

#endif  // SAMRAD_REPORTS_CONTENT_H_
