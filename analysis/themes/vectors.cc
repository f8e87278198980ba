#include "analysis/themes/vectors.h"

#include <utility>

namespace samrad::themes::internal {

std::uint32_t TermSpace::Id(const std::string& term) {
  auto [it, inserted] = ids_.try_emplace(term, static_cast<std::uint32_t>(terms_.size()));
  if (inserted) {
    terms_.push_back(term);
    if (sealed_) {
      best_surface_.emplace_back();
    } else {
      surfaces_.emplace_back();
    }
  }
  return it->second;
}

void TermSpace::SealSurfaces() {
  if (sealed_) return;
  best_surface_.reserve(terms_.size());
  for (std::uint32_t id = 0; id < surfaces_.size(); ++id) {
    best_surface_.push_back(surfaces_[id].empty() ? std::string() : Surface(id));
    std::map<std::string, int>().swap(surfaces_[id]);  // freed as we go
  }
  surfaces_ = decltype(surfaces_)();
  sealed_ = true;
}

std::vector<std::string> TermSpace::TakeTerms() {
  ids_ = decltype(ids_)();
  return std::exchange(terms_, {});
}

std::vector<std::string> TermSpace::TakeSurfaces() {
  SealSurfaces();
  return std::exchange(best_surface_, {});
}

std::int64_t TermSpace::Find(const std::string& term) const {
  auto it = ids_.find(term);
  return it == ids_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

void TermSpace::SeeSurface(std::uint32_t id, const std::string& surface, int times) {
  if (sealed_) return;  // never called then (see SealSurfaces); kept memory-safe
  surfaces_[id][surface] += times;
}

std::string TermSpace::Surface(std::uint32_t id) const {
  if (sealed_) return best_surface_[id].empty() ? terms_[id] : best_surface_[id];
  const auto& m = surfaces_[id];
  std::string best;
  int best_count = -1;
  for (const auto& [s, c] : m) {  // std::map: ties keep the smallest string
    if (c > best_count) {
      best = s;
      best_count = c;
    }
  }
  return best.empty() ? terms_[id] : best;
}

TermCounts CountTerms(const std::vector<analysis::Token>& tokens,
                      const analysis::Analyzer& analyzer,
                      std::vector<std::pair<std::string, std::string>>* surfaces) {
  TermCounts counts;
  for (const analysis::Token& t : tokens) {
    if (t.stop) continue;
    // Numbers, e-mail addresses, URLs and abbreviations say little about
    // what a passage is about.
    if (t.kind != analysis::TokenKind::kWord && t.kind != analysis::TokenKind::kAlphanumeric) {
      continue;
    }
    if (t.norm.size() < 3) continue;
    counts[t.stem] += 1.0f;
    if (surfaces != nullptr) surfaces->emplace_back(t.stem, t.norm);  // a whole word: a label candidate
    // A compound also speaks of its parts: "bostadsbristen" is about
    // "bostad". Parts count half, so the whole word stays the stronger cue.
    for (const std::string& part : t.parts) {
      if (part.size() < 3 || analyzer.IsStopWord(part)) continue;
      std::string stem = analyzer.Stem(part);
      if (stem == t.stem) continue;
      counts[stem] += 0.5f;
    }
  }
  return counts;
}

}  // namespace samrad::themes::internal
