// The live bot's signals: the same strategies the backtester runs (strategy.hpp), one instance
// per symbol, fed each candle once it has closed. A scan reports each symbol's standing signal,
// the decision on its last closed candle; whoever acts on it does so once, at the next candle,
// as the backtester acts at the next candle's open. The first batch's candles (a warm-up: the
// last candles before the one forming) are fed too. A replay that wraps around goes on: its
// candles come again later in market time, which only moves forward, and are fed as any others
// (the jump from the data's last price to its first is a gap, as markets have).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "trading/exchange.hpp"
#include "trading/money.hpp"
#include "trading/strategy.hpp"

namespace ct::trading {

enum class action { buy, sell };

const char* to_string(action a);

/// What a scan found worth doing about one symbol.
struct opportunity {
  std::string symbol;
  trading::action action = action::buy;
  double score = 0;  // the signal's strength (for momentum: the change in percent)
  price px;          // the last price when it was reported
  std::string strategy;
  std::string reason;
  std::int64_t signal_ms = 0;  // close of the candle that gave the signal (market time)
};

/// One strategy instance per symbol, and what each last decided.
class signal_tracker {
public:
  signal_tracker() = default;
  explicit signal_tracker(std::unique_ptr<strategy> prototype);

  /// Feeds each symbol's closed candles it has not seen yet, oldest first.
  void on_batch(const ticker_batch& batch);

  /// The standing signals of the symbols in `enabled` (all when empty), strongest first, ties
  /// in the batch's symbol order.
  std::vector<opportunity> opportunities(const ticker_batch& batch,
                                         const std::set<std::string>& enabled) const;

  /// The open of the first candle not yet seen, for the next fetch; empty before the first
  /// batch (the next fetch asks for a warm-up).
  std::optional<std::int64_t> since_ms() const { return next_ms_; }

  const char* strategy_name() const { return prototype_ ? prototype_->name() : ""; }

private:
  struct symbol_state {
    std::unique_ptr<strategy> strat;
    std::int64_t next_ms = 0;  // open of the next candle to feed
    decision last;
    std::int64_t signal_ms = 0;
  };

  std::unique_ptr<strategy> prototype_;
  std::map<std::string, symbol_state> symbols_;
  std::optional<std::int64_t> next_ms_;
};

}  // namespace ct::trading
