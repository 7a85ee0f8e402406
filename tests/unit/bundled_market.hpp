// The bundled candles of deploy/candles as a market, for tests.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_paths.hpp"
#include "trading/market.hpp"

namespace ct::test {

inline std::shared_ptr<const trading::market_data> bundled_market() {
  static const auto market = [] {
    std::vector<trading::candle_series> all;
    for (const char* name : {"ADA_BTC-5m.csv", "DASH_BTC-5m.csv", "ETC_BTC-5m.csv",
                             "XLM_BTC-5m.csv", "XMR_BTC-5m.csv", "ZEC_BTC-5m.csv"}) {
      std::ifstream in{source_dir() + "/deploy/candles/" + name};
      std::stringstream ss;
      ss << in.rdbuf();
      auto s = trading::parse_candle_file(ss.str(), name);
      if (!s.ok())
        throw std::runtime_error(s.err().message);
      all.push_back(std::move(s.value()));
    }
    auto m = trading::market_data::make(std::move(all));
    if (!m.ok())
      throw std::runtime_error(m.err().message);
    return m.value();
  }();
  return market;
}

/// The bundled candles' series, in the market's order.
inline std::vector<trading::candle_series> bundled_series() {
  const auto m = bundled_market();
  std::vector<trading::candle_series> out;
  for (std::size_t i = 0; i < m->size(); ++i)
    out.push_back(m->series(i));
  return out;
}

}  // namespace ct::test
