#include "actors/exchange_worker.hpp"

#include "messages/errors.hpp"

namespace ct::actors {

namespace {

void apply(exchange_worker_state& st, const msg::exchange_settings& s) {
  st.exchange->set_clock(s.clock);
  st.exchange->set_faults(s.faults);
  st.exchange->set_spread_ppm(s.spread_ppm);
  st.exchange->set_fee_ppm(s.fee_ppm);
  st.latency_ms = s.latency_ms;
}

/// Waits out the simulated latency; false when the feed is stopping.
bool wait_latency(exchange_worker_state& st) {
  if (st.latency_ms <= 0)
    return true;
  return st.sleeper->sleep_for(std::chrono::milliseconds{st.latency_ms});
}

caf::error stopping() {
  return msg::actor_error(msg::errc::exchange_unavailable, "the exchange connection is closing");
}

}  // namespace

msg::exchange_worker_actor::behavior_type exchange_worker(
    msg::exchange_worker_actor::stateful_pointer<exchange_worker_state> self,
    std::shared_ptr<const trading::market_data> market, std::shared_ptr<const trading::clock> clock,
    msg::exchange_settings settings, std::uint64_t seed,
    std::shared_ptr<interruptible_sleep> sleeper) {
  auto& st = self->state;
  st.exchange.emplace(std::move(market), settings.clock, settings.spread_ppm, settings.fee_ppm,
                      seed);
  st.clock = std::move(clock);
  st.sleeper = std::move(sleeper);
  apply(st, settings);
  return {
      [=](const msg::fetch_market& q) -> caf::result<trading::ticker_batch> {
        auto& s = self->state;
        if (!wait_latency(s))
          return stopping();
        auto r = s.exchange->fetch_tickers(s.clock->now(), q.since_ms, q.warmup);
        if (!r.ok())
          return msg::actor_error(r.err());
        return std::move(r.value());
      },
      [=](const msg::submit_order& o) -> caf::result<trading::fill> {
        auto& s = self->state;
        if (!wait_latency(s))
          return stopping();
        auto r = s.exchange->place_market_order(o.symbol, o.side, o.qty, s.clock->now());
        if (!r.ok())
          return msg::actor_error(r.err());
        return std::move(r.value());
      },
      [=](const msg::exchange_settings& s) { apply(self->state, s); },
  };
}

}  // namespace ct::actors
