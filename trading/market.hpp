// A replayed market: several candle series on one clock. Prices move inside each candle along
// open -> low -> high -> close (open -> high -> low -> close when it fell), so a replay at any
// speed sees the candle's whole range; bid and ask straddle that price by a spread, and 24 h
// change and volume come from the candles. Immutable after construction; thread-safe to read.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "trading/candles.hpp"
#include "trading/money.hpp"
#include "trading/result.hpp"
#include "trading/time.hpp"

namespace ct::trading {

inline constexpr std::int64_t day_ms = 86'400'000;

/// What a market shows for one symbol at one moment.
struct quote {
  price last;
  price bid;
  price ask;
  double change_24h_pct = 0;
  double volume_24h = 0;
};

/// Series sharing one candle step, replayed over the time all of them cover.
class market_data {
public:
  /// Checks that symbols are unique, steps equal and time ranges overlap.
  static result<std::shared_ptr<const market_data>> make(std::vector<candle_series> series);

  std::size_t size() const { return series_.size(); }
  const std::string& symbol(std::size_t i) const { return series_[i].symbol; }
  /// Index of `symbol`, or size() when unknown.
  std::size_t find(const std::string& symbol) const;
  const candle_series& series(std::size_t i) const { return series_[i]; }
  std::int64_t step_ms() const { return step_ms_; }
  /// First moment every series has a candle.
  std::int64_t start_ms() const { return start_ms_; }
  /// End of the last candle every series still has.
  std::int64_t end_ms() const { return end_ms_; }

  /// The open of the candle interval holding `market_ms`, on the series' grid.
  std::int64_t candle_open_ms(std::int64_t market_ms) const;
  /// Series i's candles opening in [since_ms, until_ms), oldest first, at most `max`.
  std::vector<candle> closed_candles(std::size_t i, std::int64_t since_ms, std::int64_t until_ms,
                                     std::size_t max) const;
  /// Series i's last `n` candles opening before `until_ms`, oldest first.
  std::vector<candle> last_candles(std::size_t i, std::int64_t until_ms, std::size_t n) const;

  /// Series i's candle holding `market_ms` as it stands then: open, the high and low the price
  /// has reached along its path so far, the price now as close, and the volume traded so far
  /// (in a gap of the data: flat at the last price, no volume).
  candle forming_candle(std::size_t i, std::int64_t market_ms) const;

  /// The traded price of series i at market time t (within [start_ms, end_ms)).
  price last_at(std::size_t i, std::int64_t market_ms) const;
  /// Bid, ask, last and 24 h figures; `spread_ppm` is the full spread around the last price.
  quote quote_at(std::size_t i, std::int64_t market_ms, std::int64_t spread_ppm) const;

private:
  std::size_t candle_index(std::size_t i, std::int64_t market_ms) const;

  std::vector<candle_series> series_;
  std::vector<std::vector<double>> volume_prefix_;  // volume_prefix_[i][k]: sum of the first k
  std::int64_t step_ms_ = 0;
  std::int64_t start_ms_ = 0;
  std::int64_t end_ms_ = 0;
};

/// Where a replay is. Market time only moves forward: each time the replay wraps around to the
/// start of its loop, the candles come again shifted by the loop's length, so `market_ms` is
/// `data_ms` (the moment of the data shown) plus `epoch` loop lengths.
struct replay_position {
  std::int64_t market_ms = 0;
  std::int64_t data_ms = 0;
  std::uint64_t epoch = 0;  // laps completed
};

/// Maps wall time to market time at `speed` times real time, replaying the data's
/// [loop_start, loop_end) over and over (a whole number of candles), shifted forward each lap.
/// A plain value: the market feed keeps it and hands it to the exchange.
struct replay_clock {
  std::int64_t loop_start_ms = 0;
  std::int64_t loop_end_ms = 1;
  timestamp wall_origin{};
  double origin_offset_ms = 0;  // market offset from loop start at wall_origin
  double speed = 1;

  /// The loop for a market: it starts a day in (or half-way, for short data, on a candle
  /// boundary), so that 24 h figures are real from the first tick.
  static replay_clock for_market(const market_data& m, timestamp wall_origin, double speed);

  replay_position at(timestamp wall) const;
  /// The same replay continuing from `wall` at another speed.
  replay_clock with_speed(timestamp wall, double new_speed) const;
  /// The same loop, at market time `market_ms` at `wall` (a restart resuming where the store
  /// says the market was); a time before the loop's start starts it at the start.
  replay_clock resumed_at(std::int64_t market_ms, timestamp wall) const;

  std::int64_t loop_ms() const { return std::max<std::int64_t>(loop_end_ms - loop_start_ms, 1); }
  /// The moment of the data that market time `market_ms` shows (before the loop: itself).
  std::int64_t data_ms(std::int64_t market_ms) const;
};

/// Series i's candles as the replay shows them (their open times in market time, shifted each
/// lap): those opening in [since_ms, until_ms), oldest first, at most `max`.
std::vector<candle> replayed_candles(const market_data& m, const replay_clock& c, std::size_t i,
                                     std::int64_t since_ms, std::int64_t until_ms, std::size_t max);
/// Series i's last `n` candles as the replay shows them, opening before `until_ms` (market
/// time), oldest first.
std::vector<candle> last_replayed_candles(const market_data& m, const replay_clock& c,
                                          std::size_t i, std::int64_t until_ms, std::size_t n);

}  // namespace ct::trading
