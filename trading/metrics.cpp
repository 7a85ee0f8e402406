#include "trading/metrics.hpp"

#include <algorithm>
#include <cmath>

namespace ct::trading {

namespace {

constexpr double year_ms = 365.0 * 86'400'000.0;

std::optional<double> ratio(double num, double den) {
  if (den == 0 || !std::isfinite(num / den))
    return std::nullopt;
  return num / den;
}

}  // namespace

metrics compute_metrics(double starting_cash, const record_log<equity_point>& curve,
                        const trade_tally& trades, std::uint64_t exposed_points,
                        std::int64_t step_ms, std::int64_t from_ms, std::int64_t to_ms) {
  metrics m;
  const double final_equity = curve.empty() ? starting_cash : curve.back().equity;
  m.total_return_pct = (final_equity / starting_cash - 1.0) * 100.0;
  const double years = static_cast<double>(to_ms - from_ms) / year_ms;
  if (years > 0 && final_equity > 0)
    m.cagr_pct = (std::pow(final_equity / starting_cash, 1.0 / years) - 1.0) * 100.0;

  // Returns, drawdown and its duration; the variance in a second pass over the returns (as
  // numerically sound as Welford's update, without its division in the loop).
  double sum = 0;
  double down_sq = 0;
  double prev = starting_cash;
  double peak = starting_cash;
  std::int64_t peak_at = from_ms;
  std::int64_t longest = 0;
  for (const auto& p : curve) {
    const double r = p.equity / prev - 1.0;
    prev = p.equity;
    sum += r;
    down_sq += r < 0 ? r * r : 0;
    if (p.equity >= peak) {
      peak = p.equity;
      peak_at = p.at_ms;
    } else {
      m.max_drawdown_pct = std::max(m.max_drawdown_pct, (peak - p.equity) / peak * 100.0);
      longest = std::max(longest, p.at_ms - peak_at);
    }
  }
  const std::size_t n = curve.size();
  m.max_drawdown_duration_s = static_cast<double>(longest) / 1000.0;
  const double per_year = step_ms > 0 ? std::sqrt(year_ms / static_cast<double>(step_ms)) : 0;
  if (n >= 2) {
    const double mean = sum / static_cast<double>(n);
    double sq = 0;
    prev = starting_cash;
    for (const auto& p : curve) {
      const double d = p.equity / prev - 1.0 - mean;
      prev = p.equity;
      sq += d * d;
    }
    if (auto s = ratio(mean, std::sqrt(sq / static_cast<double>(n - 1))))
      m.sharpe = *s * per_year;
    if (auto s = ratio(mean, std::sqrt(down_sq / static_cast<double>(n))))
      m.sortino = *s * per_year;
  }
  if (m.cagr_pct)
    m.calmar = ratio(*m.cagr_pct, m.max_drawdown_pct);

  m.trades = trades.count;
  if (trades.count != 0) {
    const auto count = static_cast<double>(trades.count);
    m.win_rate_pct = static_cast<double>(trades.wins) / count * 100.0;
    m.expectancy = (trades.gross_profit - trades.gross_loss) / count;
    m.profit_factor = ratio(trades.gross_profit, trades.gross_loss);
  }
  if (!curve.empty())
    m.exposure_pct =
        static_cast<double>(exposed_points) / static_cast<double>(curve.size()) * 100.0;
  return m;
}

}  // namespace ct::trading
