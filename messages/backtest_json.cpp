#include "messages/backtest_json.hpp"

#include "messages/json.hpp"
#include "trading/time.hpp"

namespace ct::msg {

namespace {

using nlohmann::json;

std::string at(std::int64_t ms) {
  return trading::format_rfc3339(trading::from_unix_ms(ms));
}

json optional(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

double pct(std::int64_t ppm) {
  return static_cast<double>(ppm) / 10'000.0;
}

json rules_json(const trading::risk_rules& r) {
  return {{"stake_amount", number(r.stake_amount)},
          {"max_positions", r.max_positions},
          {"fee_pct", pct(r.fee_ppm)},
          {"slippage_pct", pct(r.slippage_ppm)},
          {"stop_loss_pct", pct(r.stop_loss_ppm)},
          {"take_profit_pct", pct(r.take_profit_ppm)},
          {"trailing_stop_pct", pct(r.trailing_stop_ppm)},
          {"time_limit_min", r.time_limit_ms / 60'000},
          {"cooldown_min", r.cooldown_ms / 60'000},
          {"max_drawdown_pct", pct(r.max_drawdown_ppm)}};
}

}  // namespace

json metrics_json(const trading::metrics& m) {
  return {{"total_return_pct", m.total_return_pct},
          {"cagr_pct", optional(m.cagr_pct)},
          {"sharpe", optional(m.sharpe)},
          {"sortino", optional(m.sortino)},
          {"calmar", optional(m.calmar)},
          {"max_drawdown_pct", m.max_drawdown_pct},
          {"max_drawdown_duration_s", m.max_drawdown_duration_s},
          {"profit_factor", optional(m.profit_factor)},
          {"win_rate_pct", optional(m.win_rate_pct)},
          {"expectancy", optional(m.expectancy)},
          {"trades", m.trades},
          {"exposure_pct", m.exposure_pct}};
}

std::string timeframe_name(std::int64_t step_ms) {
  if (step_ms % 86'400'000 == 0)
    return std::to_string(step_ms / 86'400'000) + "d";
  if (step_ms % 3'600'000 == 0)
    return std::to_string(step_ms / 3'600'000) + "h";
  if (step_ms % 60'000 == 0)
    return std::to_string(step_ms / 60'000) + "m";
  return std::to_string(step_ms / 1000) + "s";
}

json report_json(const trading::backtest_result& r, const trading::backtest_settings& s) {
  json params = json::object();
  for (const auto& [k, v] : trading::strategy_params(s.strategy))
    params[k] = v;
  json trades = json::array();
  for (const auto& t : r.trades)
    trades.push_back({{"symbol", r.symbols[t.symbol]},
                      {"side", "long"},
                      {"entry_at", at(t.entry_ms)},
                      {"exit_at", at(t.exit_ms)},
                      {"entry_price", number(t.entry_price)},
                      {"exit_price", number(t.exit_price)},
                      {"quantity", number(t.qty)},
                      {"fee", number(t.fee())},
                      {"pnl", number(t.pnl())},
                      {"exit_reason", trading::to_string(t.exit_reason)}});
  json curve = json::array();
  for (const auto& p : r.equity_curve)
    curve.push_back({{"at", at(p.at_ms)}, {"equity", p.equity}});
  json gaps = json::array();
  for (const auto& g : r.gaps)
    gaps.push_back({{"symbol", g.symbol}, {"from", at(g.gap.from_ms)}, {"missing", g.gap.missing}});
  return {{"strategy", s.strategy.name},
          {"params", std::move(params)},
          {"warmup_candles", s.warmup_candles},
          {"rules", rules_json(s.rules)},
          {"symbols", r.symbols},
          {"timeframe", timeframe_name(r.step_ms)},
          {"from", at(r.from_ms)},
          {"to", at(r.to_ms)},
          {"candles", r.candles},
          {"elapsed_s", r.elapsed_s},
          {"candles_per_s", r.elapsed_s > 0 ? static_cast<double>(r.candles) / r.elapsed_s : 0.0},
          {"starting_cash", number(r.starting_cash)},
          {"final_equity", number(r.final_equity)},
          {"trades", std::move(trades)},
          {"equity_curve", std::move(curve)},
          {"metrics", metrics_json(r.metrics)},
          {"gaps", std::move(gaps)},
          {"halted_at", r.halted_at_ms ? json(at(*r.halted_at_ms)) : json(nullptr)},
          {"cancelled", r.cancelled}};
}

}  // namespace ct::msg
