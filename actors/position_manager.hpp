// The position manager owns cash and positions, and drives the trading engine
// (trading/engine.hpp) with the live market: at each scan it walks the candles that closed since
// the last one (each open position's stops, trailing stop, target and time limit, as the
// backtester walks them), gives the engine the scan's signals and the forming candle's open (a
// gap past a level, a sell signal), marks the equity (the drawdown halt), and, on the bot's own
// scans while trading, asks for the entries. It executes the engine's decisions through the
// venue of its mode (trading/venue.hpp: paper fills at once, or live orders through the market
// feed's exchange) and books the fills, telling the engine. Each message's changes (events,
// orders, fills, positions, the ledger) go to the store as one batch; the answers and the
// WebSocket updates they cause wait for its commit.
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/binance.hpp"
#include "messages/peers.hpp"
#include "messages/positions.hpp"
#include "messages/supervisor.hpp"
#include "trading/engine.hpp"
#include "trading/portfolio.hpp"
#include "trading/signals.hpp"
#include "trading/venue.hpp"

namespace ct::actors {

/// The state that survives a restart, written after every change of the ledger.
struct position_manager_deps {
  msg::storage_actor storage;            // every change, as a write batch
  msg::store_reader_actor store_reader;  // closed positions beyond the recent ones
  std::shared_ptr<const trading::clock> clock;
  msg::saved_ledger saved;     // what the store holds as it starts (no ledger: a new database)
  std::string quote_currency;  // of the market's symbols, e.g. "BTC"
  msg::position_manager_peers peers;  // as at its spawn; the supervisor sends changes
  /// The exchange's order-size rules by symbol (Binance's filters); empty: none.
  std::map<std::string, trading::lot_rules> lot_rules{};
  /// Live orders' client ids are "ct<database_id>-<n>": unique to this database, so a new one
  /// never reuses an id the exchange account has seen (paper ones are "paper-<n>").
  std::string database_id{};
  /// Live mode on Binance: its market (symbols, filters, clock) and the account's credentials,
  /// for the account worker the manager spawns; and the supervisor, which shows on /health
  /// what the reconciliation at start found.
  std::shared_ptr<const msg::binance_market> binance{};
  msg::exchange_credentials credentials{};
  msg::supervisor_actor supervisor{};
  /// The account's worker when one is given (tests: a fake behind its interface); by default
  /// the manager spawns its own from `binance` and `credentials`.
  msg::binance_account_actor account{};
};

struct position_manager_state {
  static inline const char* name = "position_manager";
  position_manager_deps deps;
  msg::config cfg;
  trading::engine engine{trading::risk_rules{}};  // halted while not trading
  std::unique_ptr<trading::order_venue> venue;
  /// Live on Binance: the account's worker (orders, their lookup, balances).
  msg::binance_account_actor account;
  /// The account against the ledger (account_health's state; empty without an account), and
  /// the orders submitted before this start whose outcome is still to be asked.
  msg::account_health reconciliation;
  std::vector<msg::order_row> pending_orders;
  std::int64_t restored_market_ms = 0;  // the market time the store held at start
  /// Commissions an order paid in other assets (BNB), until its fill is booked with them.
  std::map<std::string, std::map<std::string, trading::quantity>> other_fees;
  trading::portfolio book;
  bool trading = false;
  std::optional<trading::timestamp> trading_since;
  std::uint64_t order_seq = 0;

  std::map<std::string, trading::quote> quotes;  // the latest, by symbol
  std::uint64_t scans = 0;         // every scan since the service started, across restarts
  std::uint64_t scanner_id = 0;    // the scanner whose count `scans` follows
  std::uint64_t scans_before = 0;  // the scans of the scanners before it
  std::optional<trading::timestamp> last_scan_at;
  std::int64_t weight_used = 0;  // the exchange's request weight, as the last scan saw it
  std::int64_t weight_limit = 0;
  std::int64_t market_ms = 0;                 // the exchange's clock at the last scan
  std::int64_t candle_ms = 0;                 // the open of the candle forming then
  std::int64_t equity_candle_ms = 0;          // the candle of the last equity sample
  std::map<std::string, std::size_t> index;   // the engine's index of each symbol
  std::vector<std::string> symbols;           // by the engine's index
  std::vector<trading::opportunity> signals;  // by index: the last scan's (its strategy, reason)
  std::map<std::string, std::uint64_t> restarts;
  msg::exchange_health exchange{msg::health::ok, "", 0};
  msg::write_batch outbox;  // changed by the current message, not yet sent to the store
  std::uint64_t batches_sent = 0;
  std::uint64_t batches_committed = 0;  // answers come in order: all up to this one
  /// What waits for batch N to commit (answers reporting state that N made durable).
  std::deque<std::pair<std::uint64_t, std::function<void()>>> waiting;
  std::string storage_failure;                             // while the store cannot commit
  std::chrono::steady_clock::time_point last_published{};  // status pushed to the WebSocket
  /// GET /metrics: orders by side (0 buy, 1 sell) since this incarnation started.
  std::array<std::uint64_t, 2> orders_submitted{}, orders_filled{}, orders_rejected{};
};

msg::position_manager_actor::behavior_type position_manager(
    msg::position_manager_actor::stateful_pointer<position_manager_state> self,
    position_manager_deps deps, msg::config cfg);

}  // namespace ct::actors
