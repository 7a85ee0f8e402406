// Answers on the wire. A REST response is serialised here and written through its connection's
// outbox (outbox.hpp), as is everything a WebSocket session sends: nothing goes through
// Pistache's own write queue.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "http/context.hpp"
#include "http/outbox.hpp"
#include "http/request.hpp"
#include "http/ws_session.hpp"

namespace Pistache::Tcp {
class Peer;
}

namespace ct::http {

/// The response as sent: the status line in the request's HTTP version, Content-Type JSON,
/// Allow and WWW-Authenticate when asked for, Connection, Content-Length and the body.
std::string serialize(const response& r, bool http10, bool keep_alive);

/// One request's answer, sent exactly once from whichever thread has it; a reply destroyed
/// unsent answers 503 for it (the client would wait otherwise). The request leaves the gate
/// once its bytes are handed to the kernel (or dropped), not when they are queued: the graceful
/// shutdown waits for the gate to empty before it stops the connections.
class outbox_reply final : public reply {
public:
  outbox_reply(std::weak_ptr<outbox> box, std::weak_ptr<Pistache::Tcp::Peer> peer, bool http10,
               bool keep_alive, std::shared_ptr<request_gate> gate, bool counted);
  ~outbox_reply() override;

  void send(response r) override;
  /// Gives up answering: the connection was handed over (a WebSocket upgrade).
  void detach();

private:
  std::weak_ptr<outbox> box_;
  std::weak_ptr<Pistache::Tcp::Peer> peer_;
  bool http10_;
  bool keep_alive_;
  std::shared_ptr<request_gate> gate_;
  bool counted_;
  std::atomic<bool> sent_{false};
};

/// A WebSocket session's socket.
class outbox_transport final : public ws_transport {
public:
  explicit outbox_transport(std::weak_ptr<outbox> box) : box_(std::move(box)) {}

  void write(std::string bytes, std::function<void()> written) override;
  void shutdown() override;
  void abort() override;
  bool alive() const override;

private:
  std::weak_ptr<outbox> box_;
};

}  // namespace ct::http
