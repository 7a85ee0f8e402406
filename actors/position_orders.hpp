// Entering and exiting positions for the position manager: paper fills at once, live orders
// through the market feed's exchange worker. Internal to the position manager.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

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

/// Buys for an entry the rules allowed.
void enter(position_manager_ptr self, const trading::entry_order& order);

/// Why and where an exit happens: a level (a stop, a target, a gap's price, a close) fills a
/// paper exit there, as a resting order would; without one it sells at the bid. `at_ms` is the
/// exchange's time of the exit, from which the cooldown counts (the last scan's when empty).
struct exit_plan {
  trading::exit_reason reason = trading::exit_reason::manual;
  std::optional<trading::price> level;
  std::optional<std::int64_t> at_ms;
};

/// Sells the whole of open position `id`; `done` runs once the position is closed or the order
/// failed (at once in paper mode).
void exit_position(position_manager_ptr self, const std::string& id, const exit_plan& plan,
                   std::function<void()> done = {});

}  // namespace ct::actors
