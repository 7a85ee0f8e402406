#include "actors/search_report.hpp"

#include "messages/backtest_json.hpp"
#include "trading/time.hpp"

namespace ct::actors {

namespace {

using nlohmann::json;

std::string at(std::int64_t ms) {
  return trading::format_rfc3339(trading::from_unix_ms(ms));
}

json span_json(const trading::span& s) {
  return {{"from", at(s.from_ms)}, {"to", at(s.to_ms)}};
}

json score_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

/// The windows [first, last) of a trial, with its score over them.
json side_json(const trading::trial_score& s, std::size_t first, std::size_t last,
               const std::optional<double>& score) {
  json windows = json::array();
  std::uint64_t trades = 0;
  for (std::size_t i = first; i < last && i < s.runs.size(); ++i) {
    trades += s.runs[i].m.trades;
    json w = span_json(s.runs[i].window);
    w["metrics"] = msg::metrics_json(s.runs[i].m);
    windows.push_back(std::move(w));
  }
  return {{"score", score_json(score)}, {"trades", trades}, {"windows", std::move(windows)}};
}

/// The point as POST /api/config takes it, naming the strategy its parameters belong to.
json config_patch(const search_plan& plan, std::uint64_t point) {
  json out{{"strategy", {{"name", plan.base.strategy.name}}}};
  out.merge_patch(plan.space.patch(point));
  return out;
}

}  // namespace

json trial_json(const search_plan& plan, const trial_outcome& t, std::size_t rank) {
  const auto& s = t.score;
  const std::size_t n = s.runs.size();
  json out{{"rank", rank},
           {"trial", t.trial},
           {"params", plan.space.params(t.point)},
           {"config", config_patch(plan, t.point)}};
  if (n <= 1) {
    out["in_sample"] = side_json(s, 0, n, s.in_sample);
    out["out_of_sample"] = nullptr;
  } else {
    out["in_sample"] = side_json(s, 0, n - 1, s.in_sample);
    out["out_of_sample"] = side_json(s, 1, n, s.out_of_sample);
  }
  return out;
}

json optimize_report(const search_plan& plan, const std::vector<trading::candle_series>& data,
                     const search_tally& tally, const search_run_facts& facts) {
  json space = json::array();
  for (const auto& d : plan.space.dims)
    space.push_back({{"key", d.key}, {"spec", d.spec}, {"count", d.values.size()}});
  json symbols = json::array();
  std::uint64_t candles = 0;
  for (const auto& s : data) {
    symbols.push_back(s.symbol);
    candles += s.candles.size();
  }
  json folds = json::array();
  for (const auto& f : trading::folds_of(plan.windows))
    folds.push_back(
        {{"train", span_json(f.train)}, {"test", f.test ? span_json(*f.test) : json(nullptr)}});
  json top = json::array();
  for (std::size_t i = 0; i < tally.best.size(); ++i)
    top.push_back(trial_json(plan, tally.best[i], i + 1));
  const bool best_scored = !tally.best.empty() && trading::rank_score(tally.best.front().score);
  const double secs = facts.elapsed_s > 0 ? facts.elapsed_s : 0;
  auto per_s = [secs](double n) { return secs > 0 ? n / secs : 0.0; };
  const auto grid = plan.space.size();
  return {{"strategy", plan.base.strategy.name},
          {"objective", trading::to_string(plan.how.goal)},
          {"ranked_by", plan.windows.size() > 1 ? "out_of_sample" : "in_sample"},
          {"min_trades", plan.how.min_trades},
          {"seed", facts.seed},
          {"jobs", facts.jobs},
          {"space", std::move(space)},
          {"grid_size", grid},
          {"sampled", grid > plan.points.size()},
          {"trials",
           {{"requested", facts.requested_trials},
            {"planned", plan.points.size()},
            {"done", tally.done},
            {"skipped", tally.skipped},
            {"scored", tally.scored},
            {"first_refusal",
             tally.first_refusal.empty() ? json(nullptr) : json(tally.first_refusal)}}},
          {"symbols", std::move(symbols)},
          {"timeframe", data.empty() ? std::string{} : msg::timeframe_name(data.front().step_ms)},
          {"candles", candles},
          {"folds", std::move(folds)},
          {"candle_evals", tally.candle_evals},
          {"elapsed_s", secs},
          {"candle_evals_per_s", per_s(static_cast<double>(tally.candle_evals))},
          {"trials_per_s", per_s(static_cast<double>(tally.done))},
          {"cancelled", facts.cancelled},
          {"best", best_scored ? config_patch(plan, tally.best.front().point) : json(nullptr)},
          {"top", std::move(top)}};
}

}  // namespace ct::actors
