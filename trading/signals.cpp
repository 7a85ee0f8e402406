#include "trading/signals.hpp"

#include <algorithm>
#include <limits>

namespace ct::trading {

const char* to_string(action a) {
  return a == action::buy ? "buy" : "sell";
}

signal_tracker::signal_tracker(std::unique_ptr<strategy> prototype)
    : prototype_(std::move(prototype)) {}

void signal_tracker::on_batch(const ticker_batch& batch) {
  if (!prototype_)
    return;
  // Where this batch's candles start for a new symbol: all of them in a first batch (a warm-up).
  const std::int64_t from = next_ms_.value_or(std::numeric_limits<std::int64_t>::min());
  if (!next_ms_)
    next_ms_ = batch.candle_ms;
  for (const auto& t : batch.tickers) {
    auto [it, added] = symbols_.try_emplace(t.symbol);
    auto& s = it->second;
    if (added) {
      s.strat = prototype_->fresh();
      s.next_ms = from;
    }
    for (const auto& c : t.closed) {
      if (c.open_time_ms < s.next_ms)
        continue;
      s.last = s.strat->on_candle(c);
      s.signal_ms = c.open_time_ms + batch.step_ms;
      s.next_ms = s.signal_ms;
      next_ms_ = std::max(*next_ms_, s.next_ms);
    }
  }
}

std::vector<opportunity> signal_tracker::opportunities(const ticker_batch& batch,
                                                       const std::set<std::string>& enabled) const {
  std::vector<opportunity> out;
  for (const auto& t : batch.tickers) {
    if (!enabled.empty() && enabled.count(t.symbol) == 0)
      continue;
    auto it = symbols_.find(t.symbol);
    if (it == symbols_.end() || it->second.last.signal == signal::none)
      continue;
    const auto& s = it->second;
    out.push_back({t.symbol, s.last.signal == signal::buy ? action::buy : action::sell,
                   s.last.score, t.q.last, s.strat->name(), s.strat->explain(s.last), s.signal_ms});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const opportunity& a, const opportunity& b) { return a.score > b.score; });
  return out;
}

}  // namespace ct::trading
