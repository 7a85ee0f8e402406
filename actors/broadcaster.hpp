// The broadcaster fans events out to WebSocket clients. It owns the subscriptions, renders each
// event once and hands the same bytes to every subscriber's sink; a sink never blocks, and a
// client too far behind is closed by its sink, not waited for. The first message a client gets
// is its hello; order-book snapshots come from replicas kept here, so that a snapshot and the
// updates after it are consecutive by construction. What is published is batched until the
// mailbox holds nothing older (a flush message to itself), then each client gets its share in
// one write; anything addressed to one client flushes first, so that order is never changed.
// Cooperatively scheduled; no I/O.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/config.hpp"
#include "messages/peers.hpp"
#include "messages/status_json.hpp"
#include "messages/ws.hpp"

namespace ct::actors {

using ws_client_op = std::variant<msg::ws_subscribe, msg::ws_unsubscribe>;

struct ws_client {
  std::shared_ptr<msg::ws_sink> sink;
  std::set<std::string> channels;
  bool greeted = false;             // its hello went out; until then nothing else does
  bool dropped = false;             // its sink refused a send: forgotten at the next flush or tick
  std::uint64_t messages = 0;       // handed to its sink
  std::vector<ws_client_op> early;  // asked before the hello
  /// Every client is pinged each ping interval, busy or not: its pong is the input that keeps
  /// Pistache's keep-alive timer from reaping the connection. On the injected clock.
  trading::timestamp last_ping{};
};

struct book_replica {
  trading::order_book book;
  std::uint64_t update_id = 0;
  std::int64_t market_ms = 0;
};

struct broadcaster_deps {
  std::shared_ptr<const trading::clock> clock;
  trading::timestamp started_at{};
  std::string version;
  std::shared_ptr<const msg::http_figures> http;  // the status's HTTP figures
  msg::broadcaster_peers peers;                   // as at its spawn; the supervisor sends changes
};

/// Everything here dies with the actor (crash-only): a restarted broadcaster starts with no
/// clients (the old ones were told 1013, "try again later", and reconnect to a fresh hello), asks
/// the market feed for fresh order-book snapshots, and the position manager for the status.
struct broadcaster_state {
  static inline const char* name = "broadcaster";
  broadcaster_deps deps;
  msg::config cfg;
  std::map<std::uint64_t, ws_client> clients;
  std::optional<msg::publish_status> last_status;
  std::map<std::string, book_replica> books;
  /// What was published since the last flush, in order, with its channel. Events come in
  /// clusters (a scan's, a trade's): each subscriber gets a cluster as one write.
  std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> batch;
  bool fetching_hello = false;
  bool flush_scheduled = false;
  bool stopping = false;  // an orderly stop: the server closes the clients itself (1001)
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // GET /metrics, since this incarnation started. A client's messages count once it has gone.
  std::uint64_t messages_of_gone = 0;
  std::uint64_t clients_dropped = 0;  // too slow, or gone mid-send

  broadcaster_state() = default;
  broadcaster_state(const broadcaster_state&) = delete;
  broadcaster_state& operator=(const broadcaster_state&) = delete;
  /// A broadcaster that fails takes its clients down with it: each is told to reconnect, so none
  /// silently misses what the dead one had not sent.
  ~broadcaster_state();
};

msg::broadcaster_actor::behavior_type broadcaster(
    msg::broadcaster_actor::stateful_pointer<broadcaster_state> self, broadcaster_deps deps,
    msg::config cfg);

}  // namespace ct::actors
