// The position manager owns cash and positions. Each scan marks the positions and walks each
// open position through the candles that closed since the last one, as the backtester does
// (trading/exits.hpp): a gap at an open, the stop, trailing stop and target along the candle's
// path, the time limit at its close; then a sell signal closes at the bid. While trading is
// started, each periodic scan opens positions from the buy signals of the last closed candle
// (each signal once), strongest first, up to max_positions, sized by the stake, skipping symbols
// in their cooldown; past the max drawdown it stops trading. Paper mode fills at the touch plus
// slippage and a fee; live mode sends market orders to the exchange through the market feed and
// books the fills when they arrive. The decisions are the trading library's; this actor sequences
// them and records every step on the timeline. Each message's changes (events, orders, fills,
// positions, the ledger) go to the store as one batch; the answers and the WebSocket updates they
// cause wait for its commit.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/peers.hpp"
#include "messages/positions.hpp"
#include "trading/exits.hpp"
#include "trading/portfolio.hpp"
#include "trading/rules.hpp"

namespace ct::actors {

/// The state that survives a restart, written after every change of the ledger.
struct position_manager_deps {
  msg::storage_actor storage;            // every change, as a write batch
  msg::store_reader_actor store_reader;  // closed positions beyond the recent ones
  std::shared_ptr<const trading::clock> clock;
  msg::saved_ledger saved;     // what the store holds as it starts (no ledger: a new database)
  std::string quote_currency;  // of the market's symbols, e.g. "BTC"
  msg::position_manager_peers peers;  // as at its spawn; the supervisor sends changes
};

struct position_manager_state {
  static inline const char* name = "position_manager";
  position_manager_deps deps;
  msg::config cfg;
  trading::risk_rules rules;
  trading::portfolio book;
  bool trading = false;
  std::optional<trading::timestamp> trading_since;
  std::uint64_t order_seq = 0;

  std::map<std::string, trading::quote> quotes;  // the latest, by symbol
  std::uint64_t scans = 0;         // every scan since the service started, across restarts
  std::uint64_t scanner_id = 0;    // the scanner whose count `scans` follows
  std::uint64_t scans_before = 0;  // the scans of the scanners before it
  std::optional<trading::timestamp> last_scan_at;
  std::int64_t market_ms = 0;  // the exchange's clock at the last scan
  std::int64_t candle_ms = 0;  // the open of the candle forming then
  /// Each open position's exits, by id (a restored one: followed from when first seen).
  std::map<std::string, trading::exit_watch> watches;
  std::map<std::string, std::int64_t> signal_acted;  // by symbol: the last buy signal weighed
  std::map<std::string, std::int64_t> last_exit_ms;  // by symbol, market time (the cooldowns)
  std::optional<double> peak_equity;                 // since trading started, for the halt
  std::set<std::string> pending_entries;             // live orders in flight, by symbol
  std::set<std::string> pending_exits;               // by position id
  std::map<std::string, std::uint64_t> restarts;
  msg::exchange_health exchange{msg::health::ok, "", 0};
  msg::write_batch outbox;  // changed by the current message, not yet sent to the store
  std::uint64_t batches_sent = 0;
  std::uint64_t batches_committed = 0;  // answers come in order: all up to this one
  /// What waits for batch N to commit (answers reporting state that N made durable).
  std::deque<std::pair<std::uint64_t, std::function<void()>>> waiting;
  std::string storage_failure;                             // while the store cannot commit
  std::chrono::steady_clock::time_point last_published{};  // status pushed to the WebSocket
};

msg::position_manager_actor::behavior_type position_manager(
    msg::position_manager_actor::stateful_pointer<position_manager_state> self,
    position_manager_deps deps, msg::config cfg);

}  // namespace ct::actors
