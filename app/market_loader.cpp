#include "app/market_loader.hpp"

#include "actors/backtest_worker.hpp"
#include "app/embedded_candles.hpp"

namespace ct::app {

result<std::vector<trading::candle_series>> read_candle_files(
    const std::vector<std::string>& files) {
  std::vector<trading::candle_series> series;
  if (files.empty()) {
    for (const auto& f : embedded_candles()) {
      auto s = trading::parse_candle_file(f.text, f.name);
      if (!s.ok())
        return s.err();
      series.push_back(std::move(s.value()));
    }
    return series;
  }
  auto read = actors::load_candle_series(files, nullptr, {});
  if (!read.ok())
    return make_error(errc::bad_data, read.err().message, "exchange.candle_files");
  return read;
}

result<std::shared_ptr<const trading::market_data>> load_market(
    const std::vector<std::string>& files) {
  auto series = read_candle_files(files);
  if (!series.ok())
    return series.err();
  return trading::market_data::make(std::move(series.value()));
}

}  // namespace ct::app
