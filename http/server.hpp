// The HTTP server: Pistache on its own reactor threads, handing each request to the router.
// Pistache stays behind this header (its headers are heavy), so the composition root includes
// only this.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/context.hpp"

namespace ct::http {

/// Bodies above this are refused with 413.
inline constexpr std::size_t max_body_bytes = 1024 * 1024;

class http_server {
public:
  explicit http_server(std::shared_ptr<api_context> ctx);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and serves on `threads` reactor threads. Throws std::runtime_error when it cannot
  /// bind (the message says why, e.g. the port is taken).
  void start(const std::string& bind, std::uint16_t port, int threads);
  /// The port bound (useful with port 0).
  std::uint16_t port() const;
  /// Turns new requests away with 503 and waits up to `deadline` for those in flight.
  /// True when none is left.
  bool drain(std::chrono::milliseconds deadline);
  /// Sends every WebSocket client a close frame (1001) and waits up to `deadline` for them to
  /// leave. True when they all did.
  bool close_websockets(std::chrono::milliseconds deadline);
  /// Closes every connection and stops the reactor threads.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ct::http
