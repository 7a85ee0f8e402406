// The HTTP layer's ports: what the routes may ask of each actor, and where the live actors are.
// Each port is a narrow view of its actor's typed interface: a route can send only what its port
// lists (CAF checks it when the route compiles), never an actor's internal messages (scan
// batches, peers, timers, shutdown). Pistache's threads are not actors and cannot be sent new
// handles, so the supervisor writes an actor's port when it (re)spawns it and clears it when the
// actor goes down; the service sets the backtests port and the storage actor's address once.
// Actors never read the table: each gets the handles it needs when it is spawned, and fresh ones
// from the supervisor (messages/peers.hpp). Thread-safe; reads are uncontended locks.
#pragma once

#include <cstdint>
#include <mutex>

#include "messages/backtest.hpp"
#include "messages/market.hpp"
#include "messages/metrics.hpp"
#include "messages/optimize.hpp"
#include "messages/positions.hpp"
#include "messages/scanner.hpp"
#include "messages/supervisor.hpp"
#include "messages/timeline.hpp"
#include "messages/ws.hpp"

namespace ct::msg {

/// The supervisor: /health, GET and POST /api/config, and the fault switch's hang.
using admin_port = caf::typed_actor<caf::replies_to<health_atom>::with<health_snapshot>,
                                    caf::replies_to<get_config_atom>::with<config>,
                                    caf::replies_to<apply_config_patch>::with<config>,
                                    caf::reacts_to<hang_atom, std::int64_t>,
                                    caf::replies_to<metrics_atom>::with<std::string>>;

/// The position manager: /api/status, /api/positions, starting and stopping the bot,
/// closing a position.
using trading_port = caf::typed_actor<caf::replies_to<status_atom>::with<status_snapshot>,
                                      caf::replies_to<get_positions>::with<positions_snapshot>,
                                      caf::replies_to<start_atom>::with<trading_changed>,
                                      caf::replies_to<stop_trading>::with<trading_changed>,
                                      caf::replies_to<close_position>::with<trading::position>,
                                      caf::replies_to<metrics_atom>::with<std::string>>;

/// The timeline: /api/timeline and /api/equity.
using timeline_port = caf::typed_actor<caf::replies_to<get_timeline>::with<timeline_page>,
                                       caf::replies_to<equity_query>::with<equity_page>>;

/// The scanner: /api/scan (the last scan, or one now).
using scanner_port = caf::typed_actor<caf::replies_to<get_scan_atom>::with<scan_report>,
                                      caf::replies_to<scan_now_atom>::with<scan_report>,
                                      caf::replies_to<metrics_atom>::with<std::string>>;

/// The market feed: /api/assets.
using market_port = caf::typed_actor<caf::replies_to<assets_atom>::with<trading::ticker_batch>,
                                     caf::replies_to<get_candles>::with<candles_page>>;

/// The broadcaster: WebSocket clients joining, subscribing and leaving.
using stream_port = caf::typed_actor<caf::reacts_to<ws_join>, caf::reacts_to<ws_subscribe>,
                                     caf::reacts_to<ws_unsubscribe>, caf::reacts_to<ws_leave>,
                                     caf::replies_to<metrics_atom>::with<std::string>>;

/// The backtests actor: POST and GET /api/backtest, and the fault switch's failing run.
using backtests_port = caf::typed_actor<caf::replies_to<start_backtest>::with<backtest_accepted>,
                                        caf::replies_to<get_backtest>::with<backtest_state>,
                                        caf::replies_to<get_backtest_candles>::with<candles_page>,
                                        caf::reacts_to<fail_next_atom>>;

/// The optimizations actor: POST and GET /api/optimize.
using optimize_port = caf::typed_actor<caf::replies_to<start_optimize>::with<optimize_accepted>,
                                       caf::replies_to<get_optimize>::with<optimize_state>>;

struct http_ports {
  admin_port supervisor;
  trading_port position_manager;
  timeline_port timeline;
  scanner_port scanner;
  market_port market_feed;
  stream_port broadcaster;
  backtests_port backtests;      // set once at start-up
  optimize_port optimizations;   // set once at start-up
  caf::actor_addr storage;       // set once at start-up; the fault switch may end it, nothing else
  metrics_port storage_metrics;  // set once at start-up: GET /metrics
};

class port_table {
public:
  /// One port, e.g. get(&http_ports::scanner); invalid while that actor is down.
  template <class Port>
  Port get(Port http_ports::*member) const {
    std::lock_guard<std::mutex> guard{mutex_};
    return ports_.*member;
  }

  /// Sets a port from the actor's full handle (or clears it with an invalid one); a handle
  /// whose interface lacks a message of the port does not compile.
  template <class Port, class Handle>
  void set(Port http_ports::*member, const Handle& actor) {
    Port narrowed{actor};
    std::lock_guard<std::mutex> guard{mutex_};
    ports_.*member = std::move(narrowed);
  }

private:
  mutable std::mutex mutex_;
  http_ports ports_;  // guarded by mutex_
};

}  // namespace ct::msg
