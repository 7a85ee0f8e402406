// The supervisor starts the other actors in order (timeline, broadcaster, market feed, position
// manager, scanner), monitors them, and restarts one that fails after an exponential backoff,
// giving up after `restart_limit` restarts within `restart_window_s`. Crash-only: the supervisor
// keeps none of its children's state. A restarted position manager starts from the ledger the
// store committed and a restarted market feed from its market time (both loaded here, after
// everything the old one sent); the others start afresh and fill their caches from their
// siblings. It pings each actor every `heartbeat_ms` to tell `unresponsive` ones, owns the
// running configuration (changes are answered once committed), and stops everyone in reverse
// order.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/binance_feed.hpp"
#include "actors/broadcaster.hpp"
#include "actors/market_feed.hpp"
#include "actors/position_manager.hpp"
#include "actors/scanner.hpp"
#include "messages/ports.hpp"
#include "messages/supervisor.hpp"
#include "trading/market.hpp"

namespace ct::actors {

struct supervisor_deps {
  msg::storage_actor storage;            // up before the supervisor, down after it
  msg::store_reader_actor store_reader;  // likewise
  /// The HTTP layer's ports: the supervisor keeps them pointing at the live children.
  std::shared_ptr<msg::port_table> ports;
  std::shared_ptr<const trading::clock> clock;
  std::shared_ptr<const trading::market_data> market;
  /// Binance's market when exchange.name is binance (none: the replay of `market`).
  std::shared_ptr<const msg::binance_market> binance{};
  bool detached_exchange = true;  // tests run the exchange worker on the test scheduler
  std::string version;
  trading::timestamp started_at{};
  std::optional<msg::saved_ledger> saved{};         // the store's, as the service starts
  std::string config_patch{};                       // the overrides of POST /api/config, stored
  std::shared_ptr<const msg::http_figures> http{};  // for the broadcaster's status
  std::string database_id{};                // the store's identifier, for live orders' client ids
  msg::exchange_credentials credentials{};  // Binance's, for live orders (empty: none)
};

/// The children's handles as they are now; empty while one is down.
struct children_handles {
  msg::timeline_actor timeline;
  msg::broadcaster_actor broadcaster;
  msg::market_feed_actor market_feed;
  msg::position_manager_actor position_manager;
  msg::scanner_actor scanner;
};

/// One supervised actor.
struct child {
  std::string name;
  caf::actor handle;  // empty while down
  msg::actor_state state = msg::actor_state::restarting;
  std::uint64_t restarts = 0;
  std::deque<trading::timestamp> recent;  // restarts within the window (the deps' clock)
};

struct supervisor_state {
  static inline const char* name = "supervisor";
  supervisor_deps deps;
  msg::config cfg;
  std::vector<child> children;  // in start order
  children_handles kids;
  bool stopping = false;
  std::string config_patch;   // JSON: what the store keeps of POST /api/config
  std::string storage_error;  // while the store fails
  msg::exchange_health exchange{msg::health::ok, "", 0};  // as the scanner last found it
  msg::account_health account{};  // as the position manager last reconciled it
  std::vector<caf::typed_response_promise<msg::ok_atom>> stop_waiters;
};

using supervisor_ptr = msg::supervisor_actor::stateful_pointer<supervisor_state>;

msg::supervisor_actor::behavior_type supervisor(supervisor_ptr self, supervisor_deps deps,
                                                msg::config cfg);

/// The names of the supervised actors, in start order.
const std::vector<std::string>& child_names();

/// Merges a patch into the running configuration and applies it to every actor (config.cpp).
caf::result<msg::config> apply_patch(supervisor_ptr self, const msg::apply_config_patch& p);

/// The restart counts, to the position manager (for /api/status).
void send_restart_counts(supervisor_ptr self);

/// Sends every child, and the storage actor, the handles of its siblings as they are now.
void rewire(supervisor_ptr self);

/// Spawns `name` with the handles it needs and monitors it; the position manager starts from
/// `saved`, the store's ledger, and the market feed at its market time (supervisor_children.cpp).
caf::actor spawn_child(supervisor_ptr self, const std::string& name, msg::saved_ledger saved = {});

/// `name` is down: its siblings hear that it is not there now.
void forget(supervisor_ptr self, const std::string& name);

/// Records an event on the timeline as the supervisor.
void supervisor_event(supervisor_state& st, const char* type, const nlohmann::json& data);

}  // namespace ct::actors
