// Binance's spot REST API as data: the timeframes, the symbol mapping through exchangeInfo
// (BTC-USDT is the symbol whose baseAsset is BTC and quoteAsset USDT, BTCUSDT today), the
// request-weight limit, klines and error bodies. Pure functions of the answers' text: every
// parser checks shapes and sizes, and an error says what was wrong.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "trading/lot_rules.hpp"
#include "trading/result.hpp"

namespace ct::exchange {

/// A timeframe Binance serves (1m 3m 5m 15m 30m 1h 4h 1d) in milliseconds.
result<std::int64_t> binance_timeframe_ms(const std::string& timeframe);

/// What exchangeInfo says that matters here.
struct exchange_info {
  std::map<std::string, std::string> symbols;       // "BTC-USDT" -> "BTCUSDT", every listed pair
  std::map<std::string, trading::lot_rules> rules;  // "BTCUSDT" -> its order-size filters
  std::map<std::string, std::string> status;        // "BTCUSDT" -> "TRADING", "BREAK", ...
  int weight_per_minute = 1200;                     // REQUEST_WEIGHT per minute
};

result<exchange_info> parse_exchange_info(const std::string& body);

/// Binance's names of `wanted` ("BTC-USDT"), in order; an error names the first unknown one.
result<std::vector<std::string>> map_symbols(const exchange_info& info,
                                             const std::vector<std::string>& wanted);

/// A decimal as Binance writes its numbers: digits with at most one inner point, no sign or
/// exponent, at most 40 characters.
bool is_binance_decimal(const std::string& s);

/// One kline as Binance gives it: numbers kept as its decimal strings, which the CSV keeps.
struct kline {
  std::int64_t open_ms = 0;
  std::string open, high, low, close, volume;
};

/// A klines answer: an array of arrays [openTime, "open", "high", "low", "close", "volume",
/// closeTime, ...], open times strictly increasing.
result<std::vector<kline>> parse_klines(const std::string& body);

/// /api/v3/time's serverTime.
result<std::int64_t> parse_server_time(const std::string& body);

/// An error answer's text, "Binance -1121: Invalid symbol." (or the status alone).
std::string describe_error(long status, const std::string& body);

}  // namespace ct::exchange
