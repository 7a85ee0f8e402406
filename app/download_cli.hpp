// `crypto-trading download`: Binance's closed candles of some symbols into the bundled CSV format
// (DIR/BTC_USDT-5m.csv), every one in [from, to), oldest first. It pages through klines' limit of
// 1,000 within the request-weight limit (and waits out a 429's Retry-After), appends to a file
// from an earlier run without duplicates, and reports gaps in Binance's data without filling
// them. A progress line on a terminal; Ctrl-C stops it with every page so far written.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ct::app {

struct download_args {
  std::string exchange = "binance";
  std::string rest_url = "https://api.binance.com";
  std::optional<std::string> ca_file;
  std::vector<std::string> symbols;  // BTC-USDT,...
  std::string timeframe = "5m";
  std::string from;
  std::string to;
  std::string out;
};

/// Runs it; the process's exit status (0; 2 with a message on stderr; 1 when Binance failed).
int run_download_command(const download_args& a);

}  // namespace ct::app
