#include "trading/engine.hpp"

#include <algorithm>
#include <utility>

namespace ct::trading {

std::optional<exit_order> engine::walk(std::size_t i, const std::vector<candle>& closed,
                                       std::int64_t step_ms, std::int64_t since_ms) {
  auto& sl = (*slots_[i]);
  if (sl.state != holding::open)
    return std::nullopt;
  if (sl.walked_ms == never) {  // restored: it lived through what closed since the scan asked
    sl.walked_ms = since_ms;
    sl.entry_ms = sl.entry_ms > 0 ? std::min(sl.entry_ms, since_ms) : since_ms;
  }
  for (const auto& c : closed) {
    if (c.open_time_ms < sl.walked_ms)
      continue;  // walked at an earlier scan
    if (auto hit = gap(sl, c.open_time_ms, c.open)) {
      sl.walked_ms = c.open_time_ms + step_ms;
      return hit;
    }
    sl.walked_ms = c.open_time_ms + step_ms;
    if (auto hit = along(i, c, sl.walked_ms))
      return hit;
  }
  return std::nullopt;
}

void engine::restore_position(std::size_t i, price entry, std::optional<price> stop,
                              std::int64_t entry_ms) {
  auto& sl = (*slots_[i]);
  if (sl.state == holding::flat)
    ++taken_;
  sl.state = holding::open;
  sl.levels =
      exit_levels{entry, rules_.stop_loss_ppm, rules_.take_profit_ppm, rules_.trailing_stop_ppm};
  if (stop)
    sl.levels.resume_stop(*stop);
  sl.entry_ms = entry_ms;
  sl.walked_ms = never;
}

void engine::rank_candidates() {
  auto stronger = [this](std::size_t a, std::size_t b) {
    return (*slots_[a]).score > (*slots_[b]).score;
  };
  for (std::size_t k = 1; k < candidates_.size(); ++k)
    for (std::size_t j = k; j > 0 && stronger(candidates_[j], candidates_[j - 1]); --j)
      std::swap(candidates_[j], candidates_[j - 1]);
}

}  // namespace ct::trading
