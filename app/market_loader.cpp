#include "app/market_loader.hpp"

#include <fstream>
#include <sstream>

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
  for (const auto& path : files) {
    std::ifstream in{path, std::ios::binary};
    if (!in)
      return make_error("bad_data", path + ": cannot read the candle file",
                        "exchange.candle_files");
    std::stringstream ss;
    ss << in.rdbuf();
    auto s = trading::parse_candle_file(ss.str(), path);
    if (!s.ok())
      return s.err();
    for (const auto& other : series)
      if (other.symbol == s.value().symbol)
        return make_error("bad_data", path + ": symbol " + other.symbol + " is in two files",
                          "exchange.candle_files");
    series.push_back(std::move(s.value()));
  }
  return series;
}

result<std::shared_ptr<const trading::market_data>> load_market(
    const std::vector<std::string>& files) {
  auto series = read_candle_files(files);
  if (!series.ok())
    return series.err();
  return trading::market_data::make(std::move(series.value()));
}

}  // namespace ct::app
