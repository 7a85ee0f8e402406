// The GET /api/status object, rendered once for the REST API and the WebSocket (its `status`
// channel and the `hello` message) alike.
#pragma once

#include <optional>
#include <string>

#include "messages/positions.hpp"
#include "trading/time.hpp"

namespace ct::msg {

/// What the status adds to the position manager's snapshot.
struct status_context {
  trading::timestamp started_at{};
  double uptime_s = 0;
  std::string version;
  // The HTTP layer's own figures; absent on the WebSocket.
  std::optional<int> requests_in_flight;
  std::optional<std::uint64_t> ws_clients;
  std::optional<std::uint64_t> ws_slow_closed;
};

std::string render_status(const status_snapshot& s, const status_context& ctx);

}  // namespace ct::msg
