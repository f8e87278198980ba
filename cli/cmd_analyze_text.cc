// `samrad analyze-text`: shows how samrad analyses a piece of Swedish text,
// like Elasticsearch's _analyze API, so an analyst can see why a search
// matched (or did not).
//
// Output is JSON Lines, keys in a fixed order:
//   {"type":"token","text":"Kunskapsregionen","norm":"kunskapsregionen",
//    "stem":"kunskapsregion","kind":"word","stop":false,
//    "parts":["kunskap","regionen"],"start":0,"end":16}
//   ... one line per token, then
//   {"type":"sentence","start":0,"end":42,"text":"..."}
//   ... one line per sentence, then
//   {"type":"phrase","phrase":"fullföljda studier","score":4.0,"count":2,"doc_count":1}
//   ... the key phrases of the text (phrases occurring at least twice).
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/analysis.h"
#include "cli/commands.h"

namespace samrad::cli {
namespace {

struct AnalyzeTextFlags {
  std::string text;
  bool text_given = false;
  bool no_compounds = false;
  std::string lexicon;
  std::string hunspell;
  std::string stopwords;
  int phrases = 10;
};

int RunAnalyzeText(const AnalyzeTextFlags& f) {
  analysis::AnalyzerOptions options;
  if (!f.lexicon.empty()) options.lexicon_path = f.lexicon;
  if (!f.hunspell.empty()) options.hunspell_path = f.hunspell == "none" ? "" : f.hunspell;
  options.stopwords_path = f.stopwords;
  options.split_compounds = !f.no_compounds;
  Result<std::unique_ptr<analysis::Analyzer>> analyzer = analysis::Analyzer::Create(options);
  if (!analyzer.ok()) return ReportFailure(analyzer.status());

  std::string text = f.text;
  if (!f.text_given) {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return ReportFailure(Status::IOError("stdin: read failed"));
  }
  // Invalid UTF-8 is analysed without crashing but cannot be echoed as JSON
  // text: replace it in the output rather than fail.
  auto dump = [](const nlohmann::ordered_json& j) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  };

  std::vector<analysis::Token> tokens = (*analyzer)->Tokenize(text);
  for (const analysis::Token& t : tokens) {
    nlohmann::ordered_json j;
    j["type"] = "token";
    j["text"] = t.text;
    j["norm"] = t.norm;
    j["stem"] = t.stem;
    j["kind"] = std::string(analysis::TokenKindName(t.kind));
    j["stop"] = t.stop;
    j["parts"] = t.parts;
    j["start"] = t.byte_start;
    j["end"] = t.byte_end;
    dump(j);
  }
  for (const analysis::Sentence& s : (*analyzer)->Sentences(text)) {
    nlohmann::ordered_json j;
    j["type"] = "sentence";
    j["start"] = s.byte_start;
    j["end"] = s.byte_end;
    j["text"] = text.substr(s.byte_start, s.byte_end - s.byte_start);
    dump(j);
  }
  analysis::KeyPhraseOptions kp;
  kp.max_phrases = f.phrases;
  for (const analysis::KeyPhrase& p : analysis::ExtractKeyPhrases({tokens}, kp)) {
    nlohmann::ordered_json j;
    j["type"] = "phrase";
    j["phrase"] = p.phrase;
    j["score"] = p.score;
    j["count"] = p.count;
    j["doc_count"] = p.doc_count;
    dump(j);
  }
  std::cout.flush();
  if (!std::cout) return ReportFailure(Status::IOError("stdout: write failed"));
  return kExitOk;
}

void RegisterAnalyzeText(CLI::App& app, Action* action) {
  auto flags = std::make_shared<AnalyzeTextFlags>();
  CLI::App* cmd = app.add_subcommand(
      "analyze-text",
      "Show the analysis of Swedish text (stdin, or --text) as JSON Lines: tokens with "
      "norm, stem, kind, stop flag, compound parts and byte offsets; then sentences; then "
      "key phrases");
  cmd->add_option("--text", flags->text, "Text to analyse instead of reading stdin");
  cmd->add_flag("--no-compounds", flags->no_compounds, "Do not split compounds");
  cmd->add_option("--lexicon", flags->lexicon, "Word list (default /usr/share/dict/swedish)");
  cmd->add_option("--hunspell", flags->hunspell,
                  "Hunspell dictionary without extension, or 'none' "
                  "(default /usr/share/hunspell/sv_SE)");
  cmd->add_option("--stopwords", flags->stopwords,
                  "Stop word file in Snowball format (default: the built-in Snowball list)");
  cmd->add_option("--phrases", flags->phrases, "Number of key phrases to print")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->callback([flags, cmd, action] {
    flags->text_given = cmd->count("--text") > 0;
    AnalyzeTextFlags f = *flags;
    *action = [f] { return RunAnalyzeText(f); };
  });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(25, RegisterAnalyzeText);

}  // namespace samrad::cli
