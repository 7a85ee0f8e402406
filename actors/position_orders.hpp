// Entering and exiting positions for the position manager: each order goes through the venue
// of its mode (paper fills, or the exchange behind the market feed), and its fill or refusal is
// booked on the ledger and told to the engine. Internal to the position manager.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/typed_response_promise.hpp>
#include <nlohmann/json.hpp>

#include "actors/position_manager.hpp"

namespace ct::actors {

using position_manager_ptr = msg::position_manager_actor::stateful_pointer<position_manager_state>;

/// Writes the ledger to the outbox (the next batch for the store): called after every change.
void checkpoint(position_manager_state& st);

/// Adds an event to the outbox.
void record(position_manager_state& st, const char* type, const nlohmann::json& data);

/// Sends the outbox to the store; `after` runs once it (and every batch before it) is
/// committed, and the status goes to the WebSocket if the ledger changed. With nothing to send,
/// `after` runs once the batches already sent are committed. Without a store, the events go to
/// the timeline and `after` runs at once.
void flush(position_manager_ptr self, std::function<void()> after = {});

/// Pushes the status and the open positions to the WebSocket's broadcaster.
void publish_state(position_manager_state& st);

/// The engine's index of `symbol`, which it learns of now if new.
std::size_t symbol_index(position_manager_state& st, const std::string& symbol);

/// The venue of the configured mode: paper fills, or the exchange behind the market feed.
std::unique_ptr<trading::order_venue> make_venue(position_manager_ptr self);

/// Buys for an entry the engine decided.
void enter(position_manager_ptr self, const trading::entry_decision& entry);

/// Sells the whole position the engine decided to exit; `done` runs once the position is closed
/// or the order failed (at once in paper mode).
void exit_position(position_manager_ptr self, const trading::exit_order& order,
                   std::function<void()> done = {});

/// Closes the open position `id` now at the market (exit_reason "manual"); answers with it once
/// closed and committed. A position the ledger never issued is not_found; a closed one, or one
/// whose exit is already on its way, is conflict; a refused order is exchange_unavailable.
caf::result<trading::position> close_now(position_manager_ptr self, const std::string& id);

}  // namespace ct::actors
