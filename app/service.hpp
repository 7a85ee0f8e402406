// Runs the service until SIGINT or SIGTERM: the actor system and its supervisor, then the HTTP
// server; at a signal, stop taking requests, finish those in flight, stop the actors in order.
#pragma once

#include <memory>

#include "messages/binance.hpp"
#include "messages/config.hpp"
#include "messages/storage.hpp"
#include "store/database.hpp"
#include "trading/market.hpp"
#include "trading/result.hpp"

namespace ct::app {

using ct::result;

/// Blocks SIGINT and SIGTERM in the calling thread (so every thread started later inherits the
/// mask and the signals wait for sigwait) and ignores SIGPIPE. Call first thing in main.
void prepare_signals();

/// Raises the soft limit of open files to the hard one.
void raise_fd_limit();

/// What the store holds at start-up, opened and read before any actor runs.
struct stored_state {
  std::shared_ptr<store::database> db;
  std::shared_ptr<store::database> reader;
  std::optional<msg::saved_ledger> saved;
  std::string config_patch;  // JSON; empty when POST /api/config never changed anything
  std::string database_id;   // the database's own identifier: live orders' client ids carry it
};

/// Opens the store in cfg.data_dir and applies its configuration overrides to `cfg`. On error,
/// returns a message that says what to do.
/// `market` (none on Binance, which start-up asks afterwards) lists the symbols the overrides
/// may name.
result<stored_state> open_store(msg::config& cfg, const trading::market_data* market);

/// Returns the process's exit status: 0 after a clean shutdown.
/// `binance`: the live market to trade on (none: the replay of `market`, which backtests use in
/// either case).
int run_service(const msg::config& cfg, const stored_state& stored,
                std::shared_ptr<const trading::market_data> market,
                std::shared_ptr<const msg::binance_market> binance,
                msg::exchange_credentials credentials = {});

}  // namespace ct::app
