// Binance's REST calls for the Binance market feed: klines (a warm-up, a gap after a
// reconnect) and depth snapshots, paced within the request-weight limit (exchange/paced_rest).
// Spawned detached by the feed: each call blocks its own thread, never the scheduler or the
// API, and the feed's stop interrupts any wait.
#pragma once

#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interruptible_sleep.hpp"
#include "exchange/paced_rest.hpp"
#include "messages/binance.hpp"

namespace ct::actors {

struct binance_rest_state {
  static inline const char* name = "binance_rest";
  std::unique_ptr<exchange::rest_client> client;
  std::unique_ptr<exchange::paced_rest> paced;
  std::shared_ptr<interruptible_sleep> sleeper;
  std::string timeframe;
  std::string setup_error;  // the client could not be made
};

msg::binance_rest_actor::behavior_type binance_rest(
    msg::binance_rest_actor::stateful_pointer<binance_rest_state> self,
    std::shared_ptr<const msg::binance_market> market, std::chrono::milliseconds timeout,
    std::shared_ptr<interruptible_sleep> sleeper);

}  // namespace ct::actors
