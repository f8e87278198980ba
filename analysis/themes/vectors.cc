#include "analysis/themes/vectors.h"

#include <utility>

namespace samrad::themes::internal {

std::uint32_t TermSpace::Id(std::string_view term) {
  const auto next = static_cast<std::uint32_t>(terms_.size());
  const std::uint32_t id = terms_.Intern(term);
  if (id == next) {
    if (sealed_) {
      best_surface_.emplace_back();
    } else {
      surfaces_.emplace_back();
    }
  }
  return id;
}

void TermSpace::SealSurfaces() {
  if (sealed_) return;
  best_surface_.reserve(terms_.size());
  for (std::uint32_t id = 0; id < surfaces_.size(); ++id) {
    best_surface_.push_back(surfaces_[id].empty() ? std::string() : Surface(id));
    SurfaceCounts().swap(surfaces_[id]);  // freed as we go
  }
  surfaces_ = decltype(surfaces_)();
  surface_strings_ = StringIds();
  sealed_ = true;
}

std::vector<std::string> TermSpace::TakeTerms() {
  std::vector<std::string> terms;
  terms.reserve(terms_.size());
  for (std::uint32_t id = 0; id < terms_.size(); ++id) terms.emplace_back(terms_[id]);
  terms_ = StringIds();
  return terms;
}

std::vector<std::string> TermSpace::TakeSurfaces() {
  SealSurfaces();
  return std::exchange(best_surface_, {});
}

std::int64_t TermSpace::Find(std::string_view term) const {
  const std::uint32_t id = terms_.Find(term);
  return id == StringIds::kNoId ? -1 : static_cast<std::int64_t>(id);
}

void TermSpace::SeeSurface(std::uint32_t id, std::string_view surface, int times) {
  if (sealed_) return;  // never called then (see SealSurfaces); kept memory-safe
  const std::uint32_t surface_id = surface_strings_.Intern(surface);
  for (auto& [seen, count] : surfaces_[id]) {
    if (seen == surface_id) {
      count += times;
      return;
    }
  }
  surfaces_[id].emplace_back(surface_id, times);
}

std::string TermSpace::Surface(std::uint32_t id) const {
  if (sealed_) return best_surface_[id].empty() ? std::string(terms_[id]) : best_surface_[id];
  std::string_view best;
  int best_count = -1;
  for (const auto& [surface_id, count] : surfaces_[id]) {
    const std::string_view s = surface_strings_[surface_id];
    if (count > best_count || (count == best_count && s < best)) {  // ties: the smallest string
      best = s;
      best_count = count;
    }
  }
  return std::string(best.empty() ? terms_[id] : best);
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
