// What a backtest runs on, checked before it runs: the series chosen, the data and settings
// fit to run, the strategy the settings name.
#include <algorithm>
#include <limits>

#include "trading/backtest.hpp"

namespace ct::trading {

std::pair<const candle*, const candle*> backtest_range(const candle_series& series,
                                                       const backtest_settings& s) {
  const auto& c = series.candles;
  auto opens_before = [](const candle& x, std::int64_t t) { return x.open_time_ms < t; };
  const candle* begin =
      std::lower_bound(c.data(), c.data() + c.size(),
                       s.from_ms.value_or(std::numeric_limits<std::int64_t>::min()), opens_before);
  const candle* end = s.to_ms
                          ? std::lower_bound(c.data(), c.data() + c.size(), *s.to_ms, opens_before)
                          : c.data() + c.size();
  return {begin, std::max(begin, end)};
}

std::uint64_t candles_to_backtest(const std::vector<candle_series>& data,
                                  const backtest_settings& settings) {
  std::uint64_t n = 0;
  for (const auto& s : data) {
    const auto [begin, end] = backtest_range(s, settings);
    n += static_cast<std::uint64_t>(end - begin);
  }
  return n * settings.loops;
}

result<std::vector<candle_series>> select_series(std::vector<candle_series> all,
                                                 const std::vector<std::string>& symbols) {
  if (symbols.empty())
    return all;
  std::vector<candle_series> out;
  for (const auto& sym : symbols) {
    auto it = std::find_if(all.begin(), all.end(),
                           [&](const candle_series& s) { return s.symbol == sym; });
    if (it == all.end())
      return make_error(errc::unknown_symbol,
                        "strategy.symbols names " + sym + ", which no candle file holds",
                        "strategy.symbols");
    out.push_back(std::move(*it));
    all.erase(it);
  }
  return out;
}

std::optional<error> check_backtest_data(const std::vector<candle_series>& data,
                                         const backtest_settings& settings) {
  if (data.empty())
    return error{errc::bad_data, "no candle data to backtest", ""};
  for (const auto& s : data)
    if (s.step_ms != data.front().step_ms)
      return error{errc::bad_data,
                   "candle files differ in timeframe: " + s.symbol + " has " +
                       std::to_string(s.step_ms) + " ms, " + data.front().symbol + " has " +
                       std::to_string(data.front().step_ms) + " ms",
                   ""};
  if (settings.from_ms && settings.to_ms && *settings.from_ms >= *settings.to_ms)
    return error{errc::invalid_value, "--from must be before --to", "from"};
  if (settings.loops < 1)
    return error{errc::invalid_value, "loops must be at least 1", "loops"};
  return std::nullopt;
}

std::optional<error> check_backtest(const std::vector<candle_series>& data,
                                    const backtest_settings& settings) {
  if (auto bad = check_backtest_data(data, settings))
    return bad;
  auto strat = make_strategy(settings.strategy);
  if (!strat.ok())
    return strat.err();
  return std::nullopt;
}

result<backtest_result> run_backtest(const std::vector<candle_series>& data,
                                     const backtest_settings& settings) {
  auto strat = make_strategy(settings.strategy);
  if (!strat.ok())
    return strat.err();
  return run_backtest(data, settings, *strat.value());
}

}  // namespace ct::trading
