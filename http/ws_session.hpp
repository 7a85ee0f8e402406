// One WebSocket connection on the REST port. websocketpp (iostream transport) does the protocol:
// the handshake, framing, masking, UTF-8 checks, pings and close codes; this class feeds it the
// bytes Pistache reads, hands its output to a ws_transport, answers the client's operations
// (subscribe, unsubscribe, ping) and keeps the client's queue bounded. Thread-safe: Pistache's
// reactor feeds it while the broadcaster sends to it; one mutex serialises both.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "messages/ws.hpp"

namespace ct::http {

/// The socket under a session (a Pistache peer in the server).
class ws_transport {
public:
  virtual ~ws_transport() = default;
  /// Queues bytes for the socket; calls `written` once they are handed to the kernel.
  virtual void write(std::string bytes, std::function<void()> written) = 0;
  /// Ends the connection: no more writes, the socket is half-closed (FIN after the data).
  virtual void shutdown() = 0;
  /// Drops the connection at once, whatever is still queued (a client that will not read).
  virtual void abort() = 0;
  /// False once the socket is gone (also when Pistache reaped it without telling).
  virtual bool alive() const = 0;
};

/// What the session tells the rest of the service.
struct ws_hooks {
  std::function<void(std::uint64_t id, std::shared_ptr<msg::ws_sink>)> opened;
  std::function<void(std::uint64_t id, std::vector<std::string> channels)> subscribe;
  std::function<void(std::uint64_t id, std::vector<std::string> channels)> unsubscribe;
  std::function<void(std::uint64_t id)> closed;
  std::function<void(std::uint64_t id)> too_slow;  // about to be closed with 1008
};

class ws_session final : public msg::ws_sink, public std::enable_shared_from_this<ws_session> {
public:
  ws_session(std::uint64_t id, std::shared_ptr<ws_transport> transport, ws_hooks hooks,
             std::set<std::string> symbols, std::size_t max_pending_bytes);
  ~ws_session() override;

  /// Feeds the upgrade request (re-serialised); false if websocketpp refused it.
  bool start(const std::string& handshake);
  /// Bytes the client sent.
  void input(const char* data, std::size_t len);
  /// The socket is gone.
  void disconnected();

  bool send(const std::vector<std::shared_ptr<const std::string>>& texts) override;
  void close(std::uint16_t code, const std::string& reason) override;
  void ping() override;

  std::uint64_t id() const { return id_; }
  std::size_t pending_bytes() const { return pending_.load(); }

private:
  struct impl;
  void on_message(const std::string& payload, bool binary);
  void reply(const std::string& text);
  bool over_limit(std::size_t next) const;
  void cut_off();

  std::uint64_t id_;
  std::shared_ptr<ws_transport> transport_;
  ws_hooks hooks_;
  std::set<std::string> symbols_;
  std::size_t max_pending_;
  std::atomic<std::size_t> pending_{0};
  std::atomic<bool> shutdown_requested_{false};  // websocketpp is done: shut down once flushed
  std::unique_ptr<impl> impl_;
  /// Counts `bytes` as pending until the transport has handed them to the kernel.
  void queue_write(std::string bytes);
  void written(std::size_t n);
};

}  // namespace ct::http
