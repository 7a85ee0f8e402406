// The original service's momentum strategy: the percent change of each symbol's price over the
// last `lookback` ticks; above +threshold it is a buy, below -threshold a sell. A symbol signals
// only once it has lookback + 1 prices, and a replay that wraps around starts afresh.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "trading/exchange.hpp"
#include "trading/money.hpp"

namespace ct::trading {

enum class action { buy, sell };

const char* to_string(action a);

/// What a scan found worth doing about one symbol.
struct opportunity {
  std::string symbol;
  trading::action action = action::buy;
  double score = 0;  // the signal's strength: here the momentum in percent
  price px;          // the last price it was computed from
  std::string strategy;
  std::string reason;
};

struct momentum_params {
  std::size_t lookback = 10;
  double threshold_pct = 0.6;
};

/// The last lookback + 1 prices of one symbol, in O(1) per tick.
class momentum_window {
public:
  explicit momentum_window(std::size_t lookback = 10);
  void push(double value);
  void clear();
  /// Keeps the newest prices that still fit.
  void set_lookback(std::size_t lookback);
  /// Percent change over the window; empty until it is full.
  std::optional<double> change_pct() const;
  std::size_t size() const { return count_; }

private:
  std::vector<double> ring_;
  std::size_t head_ = 0;  // where the next price goes
  std::size_t count_ = 0;
};

/// Momentum over many symbols: feed it each tick batch, get the opportunities strongest first.
class momentum_strategy {
public:
  explicit momentum_strategy(momentum_params p = {});
  void configure(momentum_params p);
  const momentum_params& params() const { return params_; }

  /// Scores the symbols of `batch` that are in `enabled` (all when empty).
  std::vector<opportunity> on_tickers(const ticker_batch& batch,
                                      const std::set<std::string>& enabled);

private:
  momentum_params params_;
  std::map<std::string, momentum_window> windows_;
  std::optional<std::uint64_t> epoch_;
};

/// Buy above +threshold, sell below -threshold, else nothing.
std::optional<action> momentum_action(double change_pct, double threshold_pct);

}  // namespace ct::trading
