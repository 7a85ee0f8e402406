#include "trading/walk_forward.hpp"

#include <algorithm>
#include <limits>

namespace ct::trading {

result<std::vector<span>> walk_forward_windows(const std::vector<candle_series>& data,
                                               std::size_t folds) {
  if (folds < 1)
    return make_error(errc::invalid_value, "--folds must be at least 1", "folds");
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  std::int64_t end = std::numeric_limits<std::int64_t>::min();
  std::int64_t step = 0;
  for (const auto& s : data) {
    if (s.candles.empty())
      continue;
    first = std::min(first, s.candles.front().open_time_ms);
    end = std::max(end, s.candles.back().open_time_ms + s.step_ms);
    step = s.step_ms;
  }
  if (step <= 0)
    return make_error(errc::bad_data, "no candle data to search over", "data");
  const std::size_t count = folds == 1 ? 1 : folds + 1;
  const std::int64_t steps = (end - first) / step;
  const auto width = steps / static_cast<std::int64_t>(count);
  if (width < 1)
    return make_error(errc::invalid_value,
                      "--folds " + std::to_string(folds) + " needs " + std::to_string(count) +
                          " windows, and the data has " + std::to_string(steps) + " candle steps",
                      "folds");
  std::vector<span> out;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t from = first + static_cast<std::int64_t>(i) * width * step;
    out.push_back({from, i + 1 == count ? end : from + width * step});
  }
  return out;
}

std::vector<fold> folds_of(const std::vector<span>& windows) {
  std::vector<fold> out;
  if (windows.size() == 1)
    return {fold{windows.front(), std::nullopt}};
  for (std::size_t i = 0; i + 1 < windows.size(); ++i)
    out.push_back({windows[i], windows[i + 1]});
  return out;
}

const std::vector<std::string>& objective_names() {
  static const std::vector<std::string> names{"sharpe", "sortino", "calmar", "total_return_pct",
                                              "profit_factor"};
  return names;
}

std::optional<objective> objective_named(const std::string& name) {
  const auto& names = objective_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name)
      return static_cast<objective>(i);
  return std::nullopt;
}

const char* to_string(objective o) {
  return objective_names()[static_cast<std::size_t>(o)].c_str();
}

std::optional<double> objective_value(const metrics& m, objective o) {
  switch (o) {
    case objective::sharpe:
      return m.sharpe;
    case objective::sortino:
      return m.sortino;
    case objective::calmar:
      return m.calmar;
    case objective::total_return_pct:
      return m.total_return_pct;
    case objective::profit_factor:
      return m.profit_factor;
  }
  return std::nullopt;
}

std::optional<double> side_score(const std::vector<window_result>& runs, std::size_t first,
                                 std::size_t last, objective o, std::uint64_t min_trades) {
  if (first >= last)
    return std::nullopt;
  double sum = 0;
  std::uint64_t trades = 0;
  for (std::size_t i = first; i < last; ++i) {
    const auto v = objective_value(runs[i].m, o);
    if (!v)
      return std::nullopt;
    sum += *v;
    trades += runs[i].m.trades;
  }
  if (trades < min_trades)
    return std::nullopt;
  return sum / static_cast<double>(last - first);
}

result<trial_score> score_trial(const std::vector<candle_series>& data, backtest_settings settings,
                                const std::vector<span>& windows, const scoring& how,
                                const std::atomic<bool>* cancel) {
  trial_score out;
  settings.cancel = cancel;
  settings.progress = nullptr;
  settings.loops = 1;
  auto strat = make_strategy(settings.strategy);
  if (!strat.ok())
    return strat.err();
  for (const auto& w : windows) {
    settings.from_ms = w.from_ms;
    settings.to_ms = w.to_ms;
    auto r = run_backtest(data, settings, *strat.value());
    if (!r.ok())
      return r.err();
    if (r.value().cancelled) {
      out.cancelled = true;
      return out;
    }
    out.candle_evals += r.value().candles;
    out.runs.push_back({w, r.value().metrics});
  }
  const std::size_t n = out.runs.size();
  if (n == 1) {
    out.in_sample = side_score(out.runs, 0, 1, how.goal, how.min_trades);
  } else {
    out.in_sample = side_score(out.runs, 0, n - 1, how.goal, how.min_trades);
    out.out_of_sample = side_score(out.runs, 1, n, how.goal, how.min_trades);
  }
  return out;
}

std::optional<double> rank_score(const trial_score& s) {
  return s.runs.size() > 1 ? s.out_of_sample : s.in_sample;
}

namespace {

/// -1, 0 or 1: `a` above, level with or below `b`, none below any value.
int compare(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value())
    return a ? -1 : 1;
  if (!a || *a == *b)
    return 0;
  return *a > *b ? -1 : 1;
}

}  // namespace

bool ranks_before(const trial_score& a, std::uint64_t a_trial, const trial_score& b,
                  std::uint64_t b_trial) {
  if (int c = compare(rank_score(a), rank_score(b)); c != 0)
    return c < 0;
  if (int c = compare(a.in_sample, b.in_sample); c != 0)
    return c < 0;
  return a_trial < b_trial;
}

}  // namespace ct::trading
