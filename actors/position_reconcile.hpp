// The position manager's start in live mode on Binance: every order still submitted (sent, or
// about to be, when the service stopped) is asked for by its client order id and booked once,
// or marked as never placed; then each open position's base asset on the account (free plus
// locked) must cover the ledger's quantity within one step. The account may hold more (other
// assets and holdings are not the bot's). A `reconciled` event tells the outcome either way;
// an order whose outcome stays unknown or a shortfall keeps trading off, and /health says why.
// Internal to the position manager.
#pragma once

#include "actors/position_orders.hpp"

namespace ct::actors {

/// Spawns the account worker (live on Binance), linked to the manager, which interrupts its
/// waits when it stops; or takes the one the manager was given.
void spawn_account(position_manager_ptr self);

/// Starts the reconciliation; trading (the engine) stays halted until it is done.
void reconcile(position_manager_ptr self);

/// Why trading cannot start now (reconciling, or what it found); empty when it can.
std::string account_blocks_trading(const position_manager_state& st);

}  // namespace ct::actors
