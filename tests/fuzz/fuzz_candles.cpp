// libFuzzer target: candle files, CSV and Freqtrade's JSON, as POST /api/backtest and the
// configuration's exchange.candle_files read them. A series that parses is well-formed.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trading/candles.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"ADA_BTC-5m.csv", "ADA_BTC-5m.json"}) {
    auto series = ct::trading::parse_candle_file(text, name);
    if (!series.ok())
      continue;
    const auto& candles = series.value().candles;
    for (std::size_t i = 1; i < candles.size(); ++i)
      if (candles[i].open_time_ms <= candles[i - 1].open_time_ms)
        std::abort();  // parsed series are strictly increasing in time
  }
  return 0;
}
