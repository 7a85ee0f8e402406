#include "trading/momentum.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ct::trading {

const char* to_string(action a) {
  return a == action::buy ? "buy" : "sell";
}

momentum_window::momentum_window(std::size_t lookback) : ring_(lookback + 1, 0.0) {}

void momentum_window::push(double value) {
  ring_[head_] = value;
  head_ = (head_ + 1) % ring_.size();
  count_ = std::min(count_ + 1, ring_.size());
}

void momentum_window::clear() {
  head_ = 0;
  count_ = 0;
}

void momentum_window::set_lookback(std::size_t lookback) {
  const std::size_t capacity = lookback + 1;
  if (capacity == ring_.size())
    return;
  // Oldest first, then keep the newest `capacity`.
  std::vector<double> ordered;
  for (std::size_t k = 0; k < count_; ++k)
    ordered.push_back(ring_[(head_ + ring_.size() - count_ + k) % ring_.size()]);
  if (ordered.size() > capacity)
    ordered.erase(ordered.begin(),
                  ordered.begin() + static_cast<std::ptrdiff_t>(ordered.size() - capacity));
  ring_.assign(capacity, 0.0);
  std::copy(ordered.begin(), ordered.end(), ring_.begin());
  count_ = ordered.size();
  head_ = count_ % capacity;
}

std::optional<double> momentum_window::change_pct() const {
  if (count_ < ring_.size())
    return std::nullopt;
  // Full: the oldest sits at head_, the newest just before it.
  const double oldest = ring_[head_];
  const double newest = ring_[(head_ + ring_.size() - 1) % ring_.size()];
  if (oldest <= 0)
    return std::nullopt;
  return (newest / oldest - 1.0) * 100.0;
}

std::optional<action> momentum_action(double change_pct, double threshold_pct) {
  if (change_pct > threshold_pct)
    return action::buy;
  if (change_pct < -threshold_pct)
    return action::sell;
  return std::nullopt;
}

momentum_strategy::momentum_strategy(momentum_params p) : params_(p) {}

void momentum_strategy::configure(momentum_params p) {
  if (p.lookback != params_.lookback)
    for (auto& [symbol, window] : windows_)
      window.set_lookback(p.lookback);
  params_ = p;
}

std::vector<opportunity> momentum_strategy::on_tickers(const ticker_batch& batch,
                                                       const std::set<std::string>& enabled) {
  if (epoch_ && *epoch_ != batch.epoch)
    for (auto& [symbol, window] : windows_)
      window.clear();  // the replay jumped back: old prices say nothing about the new ones
  epoch_ = batch.epoch;
  std::vector<opportunity> out;
  for (const auto& t : batch.tickers) {
    auto it = windows_.try_emplace(t.symbol, params_.lookback).first;
    it->second.push(t.q.last.to_double());
    if (!enabled.empty() && enabled.count(t.symbol) == 0)
      continue;
    const auto change = it->second.change_pct();
    if (!change)
      continue;
    const auto act = momentum_action(*change, params_.threshold_pct);
    if (!act)
      continue;
    char reason[128];
    std::snprintf(reason, sizeof reason, "momentum %+.4f%% over %zu ticks %s %s%.4f%%", *change,
                  params_.lookback, *act == action::buy ? ">" : "<",
                  *act == action::buy ? "+" : "-", params_.threshold_pct);
    out.push_back({t.symbol, *act, *change, t.q.last, "momentum", reason});
  }
  std::stable_sort(out.begin(), out.end(), [](const opportunity& a, const opportunity& b) {
    return std::fabs(a.score) > std::fabs(b.score);
  });
  return out;
}

}  // namespace ct::trading
