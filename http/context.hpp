// What every route needs: the actor system and directory to reach the actors, the API token,
// the symbols the exchange lists, and the timeouts (which POST /api/config may change).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "http/caller_policy.hpp"
#include "http/connection_limits.hpp"
#include "http/stream_tickets.hpp"
#include "http/ws_registry.hpp"
#include "messages/ports.hpp"
#include "messages/status_json.hpp"
#include "trading/time.hpp"

namespace ct::http {

class http_metrics;

/// Counts requests in flight and turns new ones away once closing (the graceful shutdown).
class request_gate {
public:
  bool enter() {
    in_flight_.fetch_add(1);
    if (closing_.load()) {
      in_flight_.fetch_sub(1);
      return false;
    }
    return true;
  }
  void leave() { in_flight_.fetch_sub(1); }
  void close() { closing_.store(true); }
  int in_flight() const { return in_flight_.load(); }

private:
  std::atomic<int> in_flight_{0};
  std::atomic<bool> closing_{false};
};

/// Run-time tunables of the API, updated when the configuration changes.
struct api_settings {
  std::atomic<std::int64_t> request_timeout_ms{2000};
  std::atomic<std::int64_t> exchange_timeout_ms{5000};
  std::atomic<std::int64_t> ws_max_pending_bytes{1024 * 1024};
  std::atomic<std::int64_t> ws_max_clients{5000};
};

struct api_context {
  api_context(caf::actor_system& system, std::shared_ptr<msg::port_table> actor_ports)
      : sys(system), ports(std::move(actor_ports)) {}

  caf::actor_system& sys;
  std::shared_ptr<msg::port_table> ports;  // what the routes may ask of each actor
  /// Every request to an actor goes through a bridge (bridge.hpp), one per HTTP thread: each
  /// renders and writes the replies of its calls, so no one thread does it for every request.
  std::vector<caf::actor> bridges;
  std::string api_token;         // empty: no authentication
  bool fault_injection = false;  // debug.fault_injection: the /api/debug routes answer
  std::set<std::string> symbols;
  std::shared_ptr<const trading::clock> clock;
  trading::timestamp started_at{};
  std::chrono::steady_clock::time_point started_steady{};
  std::string version;
  std::shared_ptr<api_settings> settings = std::make_shared<api_settings>();
  std::shared_ptr<request_gate> gate = std::make_shared<request_gate>();
  std::shared_ptr<ws_registry> ws = std::make_shared<ws_registry>();
  caller_policy policy;  // Host, Origin: who may drive the service
  std::shared_ptr<connection_limits> connections =
      std::make_shared<connection_limits>(20'000, 0);  // http.max_connections, per address
  std::chrono::milliseconds send_timeout{60'000};      // http.send_timeout_ms
  std::shared_ptr<http_metrics> metrics;               // GET /metrics; set as the server starts
  std::shared_ptr<stream_tickets> tickets = std::make_shared<stream_tickets>();  // /ws?ticket=

  /// The calling thread's bridge: each thread that asks is given one, in turn.
  const caf::actor& bridge() const;

  /// The status's HTTP figures, read live from the gate and the registry.
  std::shared_ptr<const msg::http_figures> figures() const;

  std::chrono::milliseconds request_timeout() const {
    return std::chrono::milliseconds{settings->request_timeout_ms.load()};
  }
};

}  // namespace ct::http
