// The GET /api/status object, rendered once for the REST API and the WebSocket (its `status`
// channel and the `hello` message) alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "messages/positions.hpp"
#include "trading/time.hpp"

namespace ct::msg {

/// The HTTP layer's own figures in the status, read by whoever renders it (the REST route and
/// the broadcaster's hello and status channel). Thread-safe.
class http_figures {
public:
  virtual ~http_figures() = default;
  virtual int requests_in_flight() const = 0;
  virtual std::uint64_t ws_clients() const = 0;
  virtual std::uint64_t ws_slow_closed() const = 0;
};

/// What the status adds to the position manager's snapshot.
struct status_context {
  trading::timestamp started_at{};
  double uptime_s = 0;
  std::string version;
  // The HTTP layer's own figures; absent only where no HTTP layer runs (actor tests).
  std::optional<int> requests_in_flight;
  std::optional<std::uint64_t> ws_clients;
  std::optional<std::uint64_t> ws_slow_closed;
};

/// A status_context with `figures` read now (none when null).
status_context with_figures(status_context ctx, const http_figures* figures);

std::string render_status(const status_snapshot& s, const status_context& ctx);

}  // namespace ct::msg
