#include "trading/exits.hpp"

namespace ct::trading {

void exit_levels::resume_stop(price stop) {
  if (has_stop_ && stop <= stop_.at)
    return;
  const bool fixed = fixed_stop_ && stop <= *fixed_stop_;
  stop_ = exit_hit{fixed ? exit_reason::stop_loss : exit_reason::trailing_stop, stop};
  has_stop_ = true;
}

std::optional<timed_exit> follow(exit_watch& w, const std::vector<candle>& closed,
                                 std::int64_t step_ms, std::int64_t forming_ms, price forming_open,
                                 std::int64_t time_limit_ms) {
  for (const auto& c : closed) {
    if (c.open_time_ms < w.next_ms)
      continue;
    w.next_ms = c.open_time_ms + step_ms;
    if (c.open_time_ms > w.entry_ms)
      if (auto hit = w.levels.at_jump(c.open))
        return timed_exit{*hit, c.open_time_ms, true};
    if (auto hit = walk_path(w.levels, c))
      return timed_exit{*hit, w.next_ms};
    if (past_time_limit(w.entry_ms, w.next_ms, time_limit_ms))
      return timed_exit{{exit_reason::time_limit, c.close}, w.next_ms};
  }
  if (forming_ms >= w.next_ms && forming_ms > w.entry_ms)
    if (auto hit = w.levels.at_jump(forming_open))
      return timed_exit{*hit, forming_ms, true};
  return std::nullopt;
}

}  // namespace ct::trading
