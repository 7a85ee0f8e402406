// The scanner asks the market feed for prices and the candles that closed since its last scan
// every scan_interval_ms, feeds those candles to the configured strategy (one instance per
// symbol, the backtester's own code) and reports each symbol's standing signal to the position
// manager and the timeline.
// On exchange errors it retries with exponential backoff. On-demand scans (POST /api/scan) are
// answered by the next scan that starts after the request, so a burst of requests costs one
// exchange call, not one each.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/metrics.hpp"
#include "messages/peers.hpp"
#include "messages/scanner.hpp"
#include "trading/signals.hpp"

namespace ct::actors {

struct scanner_deps {
  msg::storage_actor storage;  // events
  std::shared_ptr<const trading::clock> clock;
  msg::scanner_peers peers;            // as at its spawn; the supervisor sends changes
  msg::supervisor_actor supervisor{};  // hears the exchange's health, for /health
};

struct scanner_state {
  static inline const char* name = "scanner";
  using promise = caf::typed_response_promise<msg::scan_report>;

  scanner_deps deps;
  msg::config cfg;
  std::set<std::string> enabled;  // symbols traded; empty: all
  // Crash-only: a restarted scanner warms its strategies up again from the market feed, and
  // the position manager (which weighs each signal once) carries the scan count across.
  trading::signal_tracker signals;
  std::optional<msg::config> signals_cfg;  // the configuration `signals` was made for
  msg::scan_report last;
  std::uint64_t scans = 0;  // by this incarnation

  bool in_flight = false;
  bool in_flight_periodic = false;
  std::chrono::steady_clock::time_point started{};  // the scan's duration, as reported
  trading::timestamp started_at{};                  // the next scan's timing (deps.clock)
  std::vector<promise> answering;                   // requests the scan in flight answers
  std::vector<promise> queued;                      // requests for the next scan
  bool periodic_due = false;                        // the timer fired while a scan was in flight

  std::uint64_t timer_gen = 0;  // only the newest timer counts
  bool timer_pending = false;
  unsigned failures = 0;  // consecutive exchange failures
  // GET /metrics, since this incarnation started.
  std::uint64_t on_demand_scans = 0;
  std::uint64_t exchange_errors = 0;
  msg::histogram scan_seconds = msg::latency_histogram();
};

msg::scanner_actor::behavior_type scanner(msg::scanner_actor::stateful_pointer<scanner_state> self,
                                          scanner_deps deps, msg::config cfg);

}  // namespace ct::actors
