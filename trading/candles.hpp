// Candle series and their parsers: Freqtrade's JSON array of [timestamp_ms, open, high, low,
// close, volume] and the CSV with the header timestamp_ms,open,high,low,close,volume. Parsers
// take the text (the caller reads the file) and name the source and line in every error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trading/money.hpp"
#include "trading/result.hpp"

namespace ct::trading {

/// One candle; `open_time_ms` is when its interval starts (UTC, ms since the epoch).
struct candle {
  std::int64_t open_time_ms = 0;
  price open;
  price high;
  price low;
  price close;
  quantity volume;
};

/// A run of missing candles: `missing` intervals with no candle, starting at `from_ms`.
struct candle_gap {
  std::int64_t from_ms = 0;
  std::int64_t missing = 0;
};

/// The candles of one symbol, strictly ascending on one grid of `step_ms`.
struct candle_series {
  std::string symbol;
  std::int64_t step_ms = 0;
  std::vector<candle> candles;
  std::vector<candle_gap> gaps;
};

/// Parses CSV text; `source` names the file in errors ("ADA_BTC-5m.csv:12: high < low").
result<candle_series> parse_candles_csv(std::string_view text, std::string_view source);

/// Parses Freqtrade's JSON array text.
result<candle_series> parse_candles_json(std::string_view text, std::string_view source);

/// Checks a candle file's name before it is read: a symbol (BASE_QUOTE-…) and .csv or .json.
std::optional<error> check_candle_file_name(std::string_view file_name);

/// Picks the parser from the file name's extension (.csv or .json) and the symbol from the name.
result<candle_series> parse_candle_file(std::string_view text, std::string_view file_name);

}  // namespace ct::trading
