#include "actors/backtest_charts.hpp"

#include <algorithm>

#include "messages/errors.hpp"
#include "messages/text_limits.hpp"
#include "trading/indicator_lines.hpp"

namespace ct::actors {

caf::result<msg::candles_page> backtest_candles(const msg::backtest_chart_data& run,
                                                const msg::get_backtest_candles& q) {
  const auto s =
      std::find_if(run.series.begin(), run.series.end(),
                   [&](const trading::candle_series& x) { return x.symbol == q.symbol; });
  if (s == run.series.end())
    return msg::actor_error(msg::errc::unknown_symbol,
                            "backtest " + q.id + " has no symbol " + msg::echoed(q.symbol),
                            "symbol");
  const auto& c = s->candles;
  // The candles opening before `before` (all of them without it), the last `limit` shown, with
  // the warm-up before them for the lines.
  const auto end = q.before_ms ? std::lower_bound(c.begin(), c.end(), *q.before_ms,
                                                  [](const trading::candle& x, std::int64_t t) {
                                                    return x.open_time_ms < t;
                                                  })
                               : c.end();
  const auto want = static_cast<std::ptrdiff_t>(q.limit + run.warmup_candles);
  const auto begin = end - std::min(want, end - c.begin());
  const std::vector<trading::candle> all(begin, end);
  const auto skip = all.size() > q.limit ? all.size() - static_cast<std::size_t>(q.limit) : 0;
  msg::candles_page page;
  page.symbol = q.symbol;
  page.step_ms = s->step_ms;
  page.market_ms = c.empty() ? 0 : c.back().open_time_ms + s->step_ms;  // the data's end
  page.strategy = run.strategy.name;
  page.lines = trading::indicator_lines(run.strategy, all, skip);
  if (begin + static_cast<std::ptrdiff_t>(skip) != c.begin())
    page.next_before = all[skip].open_time_ms;
  page.candles.assign(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end());
  return page;
}

}  // namespace ct::actors
