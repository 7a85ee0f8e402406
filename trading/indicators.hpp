// Incremental technical indicators: each takes one value (or one candle) at a time in O(1) time
// and memory and answers once it has seen enough. Conventions are the usual ones (TA-Lib's,
// StockCharts'): EMA seeded with the SMA of its first `period` values; RSI and ATR with Wilder's
// smoothing, seeded with the plain mean of the first `period` changes or true ranges; Bollinger
// bands with the population standard deviation. Doubles: indicators steer decisions, they are
// never booked.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace ct::trading {

/// The last `capacity` values, oldest dropped first. Stored in a power-of-two buffer, so that
/// an index is a mask: no division and no wrap-around branch. Inline: it runs once per candle per
/// indicator, and a backtest's budget is a few nanoseconds per candle.
class ring {
public:
  explicit ring(std::size_t capacity);
  /// Adds `x`; returns the value it pushed out, if the ring was full.
  std::optional<double> push(double x) {
    std::optional<double> out;
    if (full())
      out = data_[(pushed_ - capacity_) & mask_];
    data_[pushed_ & mask_] = x;
    ++pushed_;
    return out;
  }
  bool full() const { return pushed_ >= capacity_; }
  /// The value pushed `age` pushes ago (0: the newest); age < size.
  double back(std::size_t age) const { return data_[(pushed_ - 1 - age) & mask_]; }
  std::size_t size() const { return full() ? capacity_ : pushed_; }

private:
  std::vector<double> data_;
  std::size_t capacity_;
  std::size_t mask_;
  std::size_t pushed_ = 0;  // values pushed ever
};

/// Simple moving average of the last `period` values.
class sma {
public:
  explicit sma(std::size_t period);
  std::optional<double> update(double x);

private:
  ring window_;
  double sum_ = 0;
};

/// Exponential moving average, alpha = 2 / (period + 1), seeded with the SMA of the first
/// `period` values.
class ema {
public:
  explicit ema(std::size_t period);
  std::optional<double> update(double x);

private:
  std::size_t period_;
  std::size_t seen_ = 0;
  double alpha_;
  double value_ = 0;
};

/// Relative strength index (0..100) over `period` changes, Wilder's smoothing.
class rsi {
public:
  explicit rsi(std::size_t period = 14);
  std::optional<double> update(double x);

private:
  std::size_t period_;
  std::size_t changes_ = 0;
  std::optional<double> last_;
  double gain_ = 0;
  double loss_ = 0;
};

struct bands {
  double lower = 0;
  double middle = 0;
  double upper = 0;
};

/// Bollinger bands: the SMA of `period` values, plus and minus `k` population standard
/// deviations.
class bollinger {
public:
  bollinger(std::size_t period = 20, double k = 2.0);
  std::optional<bands> update(double x);

private:
  ring window_;
  double k_;
  double sum_ = 0;
  double sum_sq_ = 0;
};

/// Average true range over `period` candles, Wilder's smoothing. The first candle's true range
/// is its high minus its low; later ones also reach to the previous close.
class atr {
public:
  explicit atr(std::size_t period = 14);
  std::optional<double> update(double high, double low, double close);

private:
  std::size_t period_;
  std::size_t seen_ = 0;
  std::optional<double> prev_close_;
  double value_ = 0;
};

/// Percent change over the last `period` values: (x / x[period ago] - 1) x 100.
class momentum {
public:
  explicit momentum(std::size_t period = 10);
  std::optional<double> update(double x);

private:
  ring window_;  // period + 1 values
};

}  // namespace ct::trading
