// Symbols are "BASE-QUOTE" in upper case ("ADA-BTC"): the base currency priced in the quote.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ct::trading {

struct symbol_parts {
  std::string base;
  std::string quote;
};

/// Splits "ADA-BTC"; empty unless both parts are 1 to 12 upper-case letters or digits.
std::optional<symbol_parts> split_symbol(std::string_view symbol);

/// The symbol of a candle file named like Freqtrade's: "ADA_BTC-5m.csv" is "ADA-BTC",
/// "XRP_USDT_USDT-5m-futures.json" is "XRP-USDT" (the settlement currency is dropped).
std::optional<std::string> symbol_from_file_name(std::string_view file_name);

}  // namespace ct::trading
