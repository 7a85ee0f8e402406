#include "trading/exchange.hpp"

#include <algorithm>

namespace ct::trading {

const char* to_string(order_side s) {
  return s == order_side::buy ? "buy" : "sell";
}

simulated_exchange::simulated_exchange(std::shared_ptr<const market_data> market,
                                       replay_clock clock, std::int64_t spread_ppm,
                                       std::int64_t fee_ppm, std::uint64_t seed)
    : market_(std::move(market)),
      clock_(clock),
      spread_ppm_(spread_ppm),
      fee_ppm_(fee_ppm),
      rng_(seed) {}

std::optional<error> simulated_exchange::injected_failure() {
  if (faults_.outage)
    return make_error(errc::exchange_unavailable, "simulated exchange outage");
  if (faults_.failure_rate > 0) {
    std::uniform_real_distribution<double> u{0.0, 1.0};
    if (u(rng_) < faults_.failure_rate)
      return make_error(errc::exchange_unavailable, "simulated exchange failure");
  }
  return std::nullopt;
}

result<ticker_batch> simulated_exchange::fetch_tickers(timestamp now,
                                                       std::optional<std::int64_t> since_ms,
                                                       std::uint64_t warmup) {
  if (auto err = injected_failure())
    return *err;
  const auto pos = clock_.at(now);
  ticker_batch batch;
  batch.at = now;
  batch.market_ms = pos.market_ms;
  batch.epoch = pos.epoch;
  batch.step_ms = market_->step_ms();
  batch.candle_ms = market_->candle_open_ms(pos.market_ms);
  batch.since_ms = since_ms;
  batch.tickers.reserve(market_->size());
  for (std::size_t i = 0; i < market_->size(); ++i) {
    ticker t;
    t.symbol = market_->symbol(i);
    t.q = market_->quote_at(i, pos.data_ms, spread_ppm_);
    t.open = market_->last_at(i, clock_.data_ms(batch.candle_ms));
    if (since_ms)
      t.closed =
          replayed_candles(*market_, clock_, i, *since_ms, batch.candle_ms, max_candles_per_fetch);
    else if (warmup > 0)
      t.closed = last_replayed_candles(
          *market_, clock_, i, batch.candle_ms,
          static_cast<std::size_t>(std::min<std::uint64_t>(warmup, max_candles_per_fetch)));
    batch.tickers.push_back(std::move(t));
  }
  return batch;
}

result<fill> simulated_exchange::place_market_order(const std::string& symbol, order_side side,
                                                    quantity qty, timestamp now) {
  const auto i = market_->find(symbol);
  if (i == market_->size())
    return make_error(errc::unknown_symbol, "the exchange does not list " + symbol, "symbol");
  if (!qty.is_positive())
    return make_error(errc::invalid_value, "order quantity must be positive", "quantity");
  if (auto err = injected_failure())
    return *err;
  const auto q = market_->quote_at(i, clock_.at(now).data_ms, spread_ppm_);
  fill f;
  f.order_id = "sim-" + std::to_string(++orders_);
  f.symbol = symbol;
  f.side = side;
  f.qty = qty;
  f.px = side == order_side::buy ? q.ask : q.bid;
  f.fee = part_ppm(notional(f.px, qty, rounding::up), fee_ppm_, rounding::up);
  f.at = now;
  return f;
}

}  // namespace ct::trading
