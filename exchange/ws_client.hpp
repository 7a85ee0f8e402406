// A WebSocket client for an exchange's streams, over websocketpp and Boost.Asio with OpenSSL:
// TLS verified (system CAs, an extra CA file when given, the host name checked), plain ws
// refused except on loopback, a bound on each message, and a stall timeout (no message for that
// long ends the connection, so a silent stream is a disconnect, never a stall). run() blocks its
// thread until the connection ends; stop() ends it from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "trading/result.hpp"

namespace ct::exchange {

struct ws_options {
  std::string url;  // "wss://stream.binance.com:9443/stream?streams=..."
  std::optional<std::string> ca_file;
  std::chrono::milliseconds open_timeout{10'000};
  std::chrono::milliseconds stall_timeout{30'000};
  std::size_t max_message = 1u << 20;
};

/// Whether `url` may be used: wss anywhere, ws only to 127.0.0.0/8, ::1 or localhost.
result<void> check_ws_url(const std::string& url);

class ws_client {
public:
  ws_client();
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  /// Connects and delivers each text message until the connection ends; returns why it ended
  /// ("closed by the server: ...", "no message for 30000 ms", "stopped"). `opened` runs once
  /// the handshake is done.
  std::string run(const ws_options& options, const std::function<void()>& opened,
                  const std::function<void(const std::string&)>& message);

  /// Ends run() (now or as soon as it starts) from any thread; later runs return at once.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ct::exchange
