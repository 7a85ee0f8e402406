#include "actors/search_plan.hpp"

#include "messages/trading_config.hpp"

namespace ct::actors {

result<search_plan> make_search_plan(msg::config base, const search_options& o) {
  search_plan plan;
  plan.base = std::move(base);
  auto space = msg::parse_space(o.space, plan.base);
  if (!space.ok())
    return space.err();
  plan.space = std::move(space.value());
  auto goal = trading::objective_named(o.objective);
  if (!goal) {
    std::string names;
    for (const auto& n : trading::objective_names())
      names += (names.empty() ? "" : ", ") + n;
    return make_error(errc::invalid_value,
                      "--objective " + o.objective + ": expected one of " + names, "objective");
  }
  if (o.trials < 1 || o.trials > msg::max_trials)
    return make_error(errc::invalid_value,
                      "--trials must be between 1 and " + std::to_string(msg::max_trials),
                      "trials");
  if (o.folds < 1 || o.folds > 100)
    return make_error(errc::invalid_value, "--folds must be between 1 and 100", "folds");
  if (o.top < 1 || o.top > 1000)
    return make_error(errc::invalid_value, "--top must be between 1 and 1000", "top");
  plan.how = {*goal, o.min_trades};
  plan.top = static_cast<std::size_t>(o.top);
  plan.points = msg::trial_points(plan.space.size(), o.trials, o.seed);
  return plan;
}

result<void> check_some_trial_runs(const search_plan& plan, const std::atomic<bool>* cancel) {
  std::string first;
  for (const auto point : plan.points) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed))
      return {};
    auto cfg = msg::trial_config(plan.base, plan.space, point);
    if (cfg.ok())
      return {};
    if (first.empty())
      first = cfg.err().message;
  }
  return make_error(errc::invalid_value,
                    "the configuration refuses every trial; the first: " + first, "space");
}

result<void> fit_to_data(search_plan& plan, const std::vector<trading::candle_series>& data,
                         std::uint64_t folds) {
  if (auto bad = trading::check_backtest_data(data, msg::backtest_settings_of(plan.base)))
    return *bad;
  auto windows = trading::walk_forward_windows(data, static_cast<std::size_t>(folds));
  if (!windows.ok())
    return windows.err();
  plan.windows = std::move(windows.value());
  return {};
}

}  // namespace ct::actors
