// The Binance account in live mode: signed MARKET orders and their lookup, and the account's
// balances, each a blocking REST call (exchange/rest_client) within the request-weight limit.
// An order whose answer is lost (a timeout, a 5XX) is never sent again: the worker asks for it
// by its client order id until Binance knows it, and takes "does not exist" for "not placed"
// only once the order's timestamp + recvWindow has passed, after which Binance can no longer
// accept it. Spawned detached by the position manager: its waits never hold the scheduler, and
// the manager's stop interrupts them (an order not known by then stays submitted, and the next
// start asks again).
#pragma once

#include <atomic>
#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interruptible_sleep.hpp"
#include "exchange/paced_rest.hpp"
#include "messages/binance.hpp"

namespace ct::actors {

struct binance_account_state {
  static inline const char* name = "binance_account";
  std::shared_ptr<const msg::binance_market> market;
  msg::exchange_credentials credentials;
  std::unique_ptr<exchange::rest_client> client;
  std::unique_ptr<exchange::paced_rest> paced;
  std::shared_ptr<interruptible_sleep> sleeper;
  std::shared_ptr<std::atomic<bool>> cancel;
  std::string setup_error;           // the client could not be made
  std::int64_t clock_offset_ms = 0;  // Binance's clock minus ours: at start, then after a -1021
};

/// Binance's window for a signed request to arrive: an order not there by its timestamp plus
/// this was refused and can never execute.
inline constexpr std::int64_t recv_window_ms = 5000;

msg::binance_account_actor::behavior_type binance_account(
    msg::binance_account_actor::stateful_pointer<binance_account_state> self,
    std::shared_ptr<const msg::binance_market> market, msg::exchange_credentials credentials,
    std::chrono::milliseconds timeout, std::shared_ptr<interruptible_sleep> sleeper,
    std::shared_ptr<std::atomic<bool>> cancel);

}  // namespace ct::actors
