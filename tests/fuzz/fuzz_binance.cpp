// libFuzzer target: Binance's REST answers (klines, exchangeInfo, time, error bodies), which
// `crypto-trading download` reads from the network. Klines that parse are in increasing time
// and hold only decimal strings.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "exchange/binance.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto ks = ct::exchange::parse_klines(text); ks.ok())
    for (std::size_t i = 0; i < ks.value().size(); ++i) {
      const auto& k = ks.value()[i];
      if (i > 0 && k.open_ms <= ks.value()[i - 1].open_ms)
        std::abort();
      for (const auto* v : {&k.open, &k.high, &k.low, &k.close, &k.volume})
        if (!ct::exchange::is_binance_decimal(*v))
          std::abort();
    }
  if (auto info = ct::exchange::parse_exchange_info(text); info.ok())
    (void)ct::exchange::map_symbols(info.value(), {"BTC-USDT"});
  (void)ct::exchange::parse_server_time(text);
  (void)ct::exchange::describe_error(400, text);
  return 0;
}
