// The lines a strategy decides from, as series over candles, for a chart: the moving averages of
// the crossovers (in price), the momentum's percent change, the RSI. Computed by the very
// indicator classes (trading/indicators.hpp) and formulas the strategies use, fed the same closes.
#pragma once

#include <string>
#include <vector>

#include "trading/candles.hpp"
#include "trading/strategy.hpp"

namespace ct::trading {

struct indicator_line {
  std::string name;      // "sma_fast", "rsi", ...
  bool overlay = false;  // in the candles' price (true), or on its own scale
  /// One value per candle; NaN while the indicator warms up.
  std::vector<double> values;
};

/// The lines of `spec`'s strategy over `candles` (oldest first), dropping the first `skip`
/// values (the warm-up history the caller fetched before the candles it shows).
std::vector<indicator_line> indicator_lines(const strategy_spec& spec,
                                            const std::vector<candle>& candles, std::size_t skip);

}  // namespace ct::trading
