// The exchange worker runs every exchange call, each of which may block (here: the simulated
// latency; with a real exchange: its REST round trip). Spawned detached by the market feed, so
// it has its own thread and never stalls the cooperative scheduler or the API.
#pragma once

#include <memory>
#include <optional>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interruptible_sleep.hpp"
#include "messages/market.hpp"
#include "trading/exchange.hpp"

namespace ct::actors {

struct exchange_worker_state {
  static inline const char* name = "exchange_worker";
  std::optional<trading::simulated_exchange> exchange;
  std::shared_ptr<const trading::clock> clock;
  std::shared_ptr<interruptible_sleep> sleeper;
  std::int64_t latency_ms = 0;
};

msg::exchange_worker_actor::behavior_type exchange_worker(
    msg::exchange_worker_actor::stateful_pointer<exchange_worker_state> self,
    std::shared_ptr<const trading::market_data> market, std::shared_ptr<const trading::clock> clock,
    msg::exchange_settings settings, std::uint64_t seed,
    std::shared_ptr<interruptible_sleep> sleeper);

}  // namespace ct::actors
