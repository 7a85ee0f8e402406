#include "trading/engine.hpp"

#include <algorithm>
#include <utility>

namespace ct::trading {

std::optional<exit_order> engine::walk(std::size_t i, const std::vector<candle>& closed,
                                       std::int64_t step_ms, std::int64_t since_ms) {
  auto& sl = slot(i);
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
  auto& sl = slot(i);
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

bool engine::mark_scaled(int128 equity) {
  if (equity > peak_ || !has_peak_) {
    peak_ = equity;
    has_peak_ = true;
    return false;
  }
  if (halted_ || rules_.max_drawdown_ppm <= 0 ||
      (peak_ - equity) * ppm_scale < peak_ * rules_.max_drawdown_ppm)
    return false;
  halted_ = true;
  return true;
}

void engine::entered(std::size_t i, price px, std::int64_t at_ms) {
  auto& sl = slot(i);
  if (sl.state == holding::flat)  // not decided here (a test's, an order of another source)
    ++taken_;
  sl.state = holding::open;
  sl.levels =
      exit_levels{px, rules_.stop_loss_ppm, rules_.take_profit_ppm, rules_.trailing_stop_ppm};
  sl.entry_ms = at_ms;
  sl.walked_ms = at_ms;
}

std::optional<exit_order> engine::exit_now(std::size_t i, std::int64_t ms) {
  auto& sl = slot(i);
  if (sl.state != holding::open)
    return std::nullopt;
  return begin_exit(sl, exit_order{static_cast<std::uint32_t>(i), exit_reason::manual, {}, ms});
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
