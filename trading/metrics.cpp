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

metrics compute_metrics(double starting_cash, const std::vector<equity_point>& curve,
                        const std::vector<double>& pnls, std::uint64_t exposed_points,
                        std::int64_t step_ms, std::int64_t from_ms, std::int64_t to_ms) {
  metrics m;
  const double final_equity = curve.empty() ? starting_cash : curve.back().equity;
  m.total_return_pct = (final_equity / starting_cash - 1.0) * 100.0;
  const double years = static_cast<double>(to_ms - from_ms) / year_ms;
  if (years > 0 && final_equity > 0)
    m.cagr_pct = (std::pow(final_equity / starting_cash, 1.0 / years) - 1.0) * 100.0;

  // Returns, drawdown and its duration in one pass (Welford for the variance).
  double mean = 0;
  double m2 = 0;
  double down_sq = 0;
  double prev = starting_cash;
  double peak = starting_cash;
  std::int64_t peak_at = from_ms;
  std::int64_t longest = 0;
  std::size_t n = 0;
  for (const auto& p : curve) {
    const double r = p.equity / prev - 1.0;
    prev = p.equity;
    ++n;
    const double delta = r - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (r - mean);
    down_sq += r < 0 ? r * r : 0;
    if (p.equity >= peak) {
      peak = p.equity;
      peak_at = p.at_ms;
    } else {
      m.max_drawdown_pct = std::max(m.max_drawdown_pct, (peak - p.equity) / peak * 100.0);
      longest = std::max(longest, p.at_ms - peak_at);
    }
  }
  m.max_drawdown_duration_s = static_cast<double>(longest) / 1000.0;
  const double per_year = step_ms > 0 ? std::sqrt(year_ms / static_cast<double>(step_ms)) : 0;
  if (n >= 2) {
    if (auto s = ratio(mean, std::sqrt(m2 / static_cast<double>(n - 1))))
      m.sharpe = *s * per_year;
    if (auto s = ratio(mean, std::sqrt(down_sq / static_cast<double>(n))))
      m.sortino = *s * per_year;
  }
  if (m.cagr_pct)
    m.calmar = ratio(*m.cagr_pct, m.max_drawdown_pct);

  m.trades = pnls.size();
  double gross_profit = 0;
  double gross_loss = 0;
  std::size_t wins = 0;
  for (double p : pnls) {
    if (p > 0) {
      gross_profit += p;
      ++wins;
    } else {
      gross_loss -= p;
    }
  }
  if (!pnls.empty()) {
    const auto count = static_cast<double>(pnls.size());
    m.win_rate_pct = static_cast<double>(wins) / count * 100.0;
    m.expectancy = (gross_profit - gross_loss) / count;
    m.profit_factor = ratio(gross_profit, gross_loss);
  }
  if (!curve.empty())
    m.exposure_pct =
        static_cast<double>(exposed_points) / static_cast<double>(curve.size()) * 100.0;
  return m;
}

}  // namespace ct::trading
