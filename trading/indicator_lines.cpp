#include "trading/indicator_lines.hpp"

#include <limits>
#include <optional>

#include "trading/strategies.hpp"

namespace ct::trading {

namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

/// A price in its own units (detail::raw), back to a price.
double as_price(double raw) {
  return raw / static_cast<double>(fixed_scale);
}

template <class Average>
std::vector<indicator_line> crossover_lines(const char* prefix, const strategy_spec& spec,
                                            const std::vector<candle>& candles) {
  Average fast{spec.fast_period};
  Average slow{spec.slow_period};
  indicator_line f{std::string{prefix} + "_fast", true, {}};
  indicator_line s{std::string{prefix} + "_slow", true, {}};
  for (const auto& c : candles) {
    const double x = detail::raw(c.close);
    const std::optional<double> a = fast.update(x);
    const std::optional<double> b = slow.update(x);
    f.values.push_back(a ? as_price(*a) : none);
    s.values.push_back(b ? as_price(*b) : none);
  }
  return {std::move(f), std::move(s)};
}

std::vector<indicator_line> momentum_lines(const strategy_spec& spec,
                                           const std::vector<candle>& candles) {
  ring window{spec.momentum_lookback + 1};
  indicator_line m{"momentum_pct", false, {}};
  for (const auto& c : candles) {
    const double x = detail::raw(c.close);
    window.push(x);
    // As momentum_candles::on_candle computes it.
    m.values.push_back(window.full() ? (x / window.back(spec.momentum_lookback) - 1.0) * 100.0
                                     : none);
  }
  return {std::move(m)};
}

std::vector<indicator_line> rsi_lines(const strategy_spec& spec,
                                      const std::vector<candle>& candles) {
  rsi r{spec.rsi_period};
  indicator_line line{"rsi", false, {}};
  for (const auto& c : candles) {
    const auto v = r.update(detail::raw(c.close));
    line.values.push_back(v ? *v : none);
  }
  return {std::move(line)};
}

}  // namespace

std::vector<indicator_line> indicator_lines(const strategy_spec& spec,
                                            const std::vector<candle>& candles, std::size_t skip) {
  std::vector<indicator_line> lines;
  if (spec.name == "sma_crossover")
    lines = crossover_lines<sma>("sma", spec, candles);
  else if (spec.name == "ema_crossover")
    lines = crossover_lines<ema>("ema", spec, candles);
  else if (spec.name == "rsi_reversion")
    lines = rsi_lines(spec, candles);
  else if (spec.name == "momentum")
    lines = momentum_lines(spec, candles);
  for (auto& l : lines)
    l.values.erase(l.values.begin(),
                   l.values.begin() + static_cast<std::ptrdiff_t>(std::min(skip, l.values.size())));
  return lines;
}

}  // namespace ct::trading
