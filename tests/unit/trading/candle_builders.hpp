// Hand-made candles for the trading tests: whole prices in units, five-minute steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trading/candles.hpp"

namespace ct::test {

inline constexpr std::int64_t step_5m = 300'000;

inline trading::candle bar(std::int64_t at_ms, std::int64_t open, std::int64_t high,
                           std::int64_t low, std::int64_t close) {
  using trading::price;
  return {at_ms,
          price::from_units(open),
          price::from_units(high),
          price::from_units(low),
          price::from_units(close),
          trading::quantity::from_units(100)};
}

/// Flat candles at the given closes: open = high = low = close.
inline trading::candle_series flat_series(const std::string& symbol,
                                          const std::vector<std::int64_t>& closes,
                                          std::int64_t start_ms = 1'500'000'000'000) {
  trading::candle_series s;
  s.symbol = symbol;
  s.step_ms = step_5m;
  for (std::size_t i = 0; i < closes.size(); ++i)
    s.candles.push_back(bar(start_ms + static_cast<std::int64_t>(i) * step_5m, closes[i], closes[i],
                            closes[i], closes[i]));
  return s;
}

}  // namespace ct::test
