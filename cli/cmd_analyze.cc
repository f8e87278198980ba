// `samrad analyze` and `samrad eval`: theme sorting and its measurement.
#include <cstdio>
#include <iostream>
#include <memory>

#include "analysis/analysis.h"
#include "analysis/themes/themes.h"
#include "cli/commands.h"
#include "index/index.h"

namespace samrad::cli {
namespace {

namespace fs = std::filesystem;

struct AnalyzeFlags {
  std::string state;
  std::string framework;
  std::string overrides;
  themes::SortOptions sort;
  themes::ClusterOptions cluster;
  bool refit = false;
};

fs::path DefaultFramework() {
  return BundledCorpusDir().parent_path() / "framework" / "vg2030.json";
}

Result<std::unique_ptr<analysis::Analyzer>> MakeAnalyzer() {
  return analysis::Analyzer::Create(analysis::AnalyzerOptions{});
}

int RunAnalyze(const AnalyzeFlags& f) {
  auto analyzer = MakeAnalyzer();
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  themes::AnalyzeOptions o;
  o.state_dir = f.state;
  o.framework_path = f.framework.empty() ? DefaultFramework() : fs::path(f.framework);
  o.overrides_path = f.overrides;
  o.sort = f.sort;
  o.cluster = f.cluster;
  o.refit = f.refit;
  Result<themes::AnalyzeSummary> s = themes::Analyze(o, **analyzer);
  if (!s.ok()) return ReportFailure(s.status());
  std::cout << "analyze: " << s->passages << " passages, " << s->assigned << " in an area, "
            << s->no_area << " in none, " << s->overridden << " overridden, " << s->themes
            << " emergent themes -> " << (fs::path(f.state) / "analysis").string() << "\n";
  if (s->mode == "incremental") {
    std::cout << "analyze: incremental: " << s->kept << " kept, " << s->placed
              << " placed with the saved model (drift since its fit: " << s->drift_added << " added, "
              << s->drift_changed << " changed, " << s->drift_removed << " removed of " << s->fitted
              << ")\n";
  } else {
    std::cout << "analyze: full fit: " << s->reason << "\n";
  }
  return kExitOk;
}

void PrintMetrics(const char* name, const themes::MethodMetrics& m) {
  std::printf("%-22s micro P %.3f R %.3f F1 %.3f   macro F1 %.3f\n", name, m.micro_precision,
              m.micro_recall, m.micro_f1, m.macro_f1);
}

int RunQueryEval(const AnalyzeFlags& f, const std::string& queries,
                 const analysis::Analyzer& analyzer) {
  auto searcher = index::Searcher::Open(f.state, analyzer);
  if (!searcher.ok()) return ReportFailure(searcher.status());
  auto r = index::EvaluateQueries(queries, f.state, **searcher);
  if (!r.ok()) return ReportFailure(r.status());
  int relevant = 0;
  for (const auto& item : r->items) {
    relevant += item.relevant;
    if (item.found < item.relevant) {
      std::printf("  missed %d/%d  %-32s", item.relevant - item.found, item.relevant, item.query.c_str());
      for (const auto& m : item.missed) std::printf(" %s", m.c_str());
      std::printf("\n");
    }
  }
  std::printf("queries: %zu, relevant passages: %d, gold quotes not matched to one passage: %d\n",
              r->items.size(), relevant, r->unmatched_quotes);
  std::printf("recall@%d overall %.3f\n", r->k, r->recall);
  for (const auto& [tag, rec] : r->recall_by_tag) std::printf("recall@%d %-10s %.3f\n", r->k, tag.c_str(), rec);
  return kExitOk;
}

int RunEval(const AnalyzeFlags& f, const std::string& gold, const std::string& queries) {
  auto analyzer = MakeAnalyzer();
  if (!analyzer.ok()) return ReportFailure(analyzer.status());
  if (gold.empty() && queries.empty()) {
    return ReportFailure(Status::InvalidArgument("eval needs --gold FILE, --queries FILE, or both"));
  }
  if (!queries.empty()) {
    const int rc = RunQueryEval(f, queries, **analyzer);
    if (rc != kExitOk || gold.empty()) return rc;
    std::printf("\n");
  }
  Result<themes::Framework> fw =
      themes::LoadFramework(f.framework.empty() ? DefaultFramework() : fs::path(f.framework));
  if (!fw.ok()) return ReportFailure(fw.status());
  auto passages = themes::LoadPassageInputs(f.state);
  if (!passages.ok()) return ReportFailure(passages.status());
  auto model = themes::LoadThemeModel(f.state);
  if (!model.ok()) return ReportFailure(model.status());
  auto r = themes::EvaluateAreas(gold, *passages, *model, *fw, **analyzer);
  if (!r.ok()) return ReportFailure(r.status());
  std::printf("gold labels: %d, matched to a passage: %d\n", r->gold_items, r->matched);
  for (const auto& u : r->unmatched) std::printf("  unmatched: %s\n", u.c_str());
  std::printf("\n%-22s %-25s %-25s\n", "area", "method P / R / F1", "keyword baseline P / R / F1");
  for (size_t i = 0; i < r->method.areas.size(); ++i) {
    const auto& a = r->method.areas[i];
    const auto& b = r->baseline.areas[i];
    std::printf("%-22s %.3f / %.3f / %.3f     %.3f / %.3f / %.3f\n", a.area.c_str(), a.precision,
                a.recall, a.f1, b.precision, b.recall, b.f1);
  }
  std::printf("\n");
  PrintMetrics("method", r->method);
  PrintMetrics("keyword baseline", r->baseline);
  std::printf("\nconfusion (rows gold, columns predicted; last = none):\n%-22s", "");
  for (size_t c = 0; c < r->confusion.size(); ++c) std::printf("%4zu", c);
  std::printf("\n");
  for (size_t g = 0; g < r->confusion.size(); ++g) {
    const std::string name = g < fw->areas.size() ? fw->areas[g].id : "none";
    std::printf("%2zu %-19s", g, name.c_str());
    for (int v : r->confusion[g]) std::printf("%4d", v);
    std::printf("\n");
  }
  return kExitOk;
}

void RegisterAnalyze(CLI::App& app, Action* action) {
  auto flags = std::make_shared<AnalyzeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Sort every ingested passage against the strategy areas and cluster what no area takes.\n"
      "Writes STATE/analysis/passages.jsonl and STATE/analysis/themes.json (docs/themes.md).");
  AddStateOption(cmd, &flags->state);
  cmd->add_option("--framework", flags->framework,
                  "Strategy framework JSON (default: the bundled corpus/framework/vg2030.json)");
  cmd->add_option("--overrides", flags->overrides,
                  "Analyst overrides, JSON Lines: {\"passage\": ID, \"areas\": [...]} or "
                  "{\"doc\": ID, \"quote\": TEXT, \"areas\": [...]}; they win over the machine");
  cmd->add_option("--min-score", flags->sort.min_score,
                  "An area needs at least this cosine score; negative: mean + 1 sd of all scores (docs/themes.md)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--relative-to-best", flags->sort.relative_to_best,
                  "...and at least this fraction of the passage's best area score")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--max-themes", flags->cluster.k_max, "Largest number of emergent themes tried")
      ->check(CLI::Range(2, 100))
      ->capture_default_str();
  cmd->add_flag("--refit", flags->refit,
                "Fit anew over all passages even when the saved model could place the new ones\n"
                "(docs/themes.md, \"Incremental runs\")");
  cmd->callback([flags, action] { *action = [flags] { return RunAnalyze(*flags); }; });

  auto gold = std::make_shared<std::string>();
  CLI::App* eval = app.add_subcommand(
      "eval", "Measure quality against gold data. --gold: area sorting (per-area precision/recall/F1,\n"
              "micro- and macro-F1, the confusion between areas, and a seed-term keyword baseline).\n"
              "--queries: search recall@10, overall and per tag (inflected, compound).");
  AddStateOption(eval, &flags->state);
  eval->add_option("--framework", flags->framework, "Strategy framework JSON (default: bundled)");
  auto queries = std::make_shared<std::string>();
  eval->add_option("--gold", *gold, "Gold area labels, JSON Lines {doc, quote, areas}");
  eval->add_option("--queries", *queries,
                   "Gold search queries, JSON Lines {query, relevant: [{doc, quote}], tags}: prints recall@10");
  eval->callback([flags, gold, queries, action] {
    *action = [flags, gold, queries] { return RunEval(*flags, *gold, *queries); };
  });
}

}  // namespace

SAMRAD_REGISTER_COMMAND(30, RegisterAnalyze);

}  // namespace samrad::cli
