// Requests and answers on the wire. A REST response is serialised here and written through its
// connection's outbox (outbox.hpp), in the order the requests came (HTTP/1.1 pipelining), as is
// everything a WebSocket session sends: nothing goes through Pistache's own write queue.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

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

/// Where the first request in `bytes` ends, once a parser has read all of it: its head up to
/// the blank line, then its body as sent (`body_size` bytes, or with Transfer-Encoding: chunked
/// the chunks up to the last one and its trailers). What follows is the next request of a
/// client that pipelines. bytes.size() when the end cannot be told.
std::size_t request_end(std::string_view bytes, std::size_t body_size);

/// A connection's answers in the order of its requests: answers come from any thread in any
/// order (an actor answers the second request first), and each is written once every earlier
/// one is. Thread-safe.
class response_order {
public:
  explicit response_order(std::weak_ptr<outbox> box) : box_(std::move(box)) {}

  /// The next request's place (the reactor thread, as requests arrive).
  std::uint64_t reserve();
  /// The answer for place `ticket`: written after every earlier one, then the connection is
  /// half-closed when `close` says so. Empty `bytes` give the place up (nothing is written).
  /// `done` runs once the bytes are handed to the kernel or dropped.
  void deliver(std::uint64_t ticket, std::string bytes, bool close, std::function<void()> done);

private:
  struct answer {
    std::string bytes;
    bool close = false;
    std::function<void()> done;
  };
  std::weak_ptr<outbox> box_;
  std::mutex mutex_;
  std::uint64_t next_ticket_ = 0;  // guarded by mutex_, as the fields below
  std::uint64_t next_write_ = 0;
  std::map<std::uint64_t, answer> waiting_;  // answers that came before an earlier one
};

/// One request's answer, sent exactly once from whichever thread has it; a reply destroyed
/// unsent answers 503 for it (the client would wait otherwise). The request leaves the gate
/// once its bytes are handed to the kernel (or dropped), not when they are queued: the graceful
/// shutdown waits for the gate to empty before it stops the connections.
class outbox_reply final : public reply {
public:
  /// Takes the request's place in `order` at once.
  outbox_reply(const std::shared_ptr<response_order>& order,
               std::weak_ptr<Pistache::Tcp::Peer> peer, bool http10, bool keep_alive,
               std::shared_ptr<request_gate> gate, bool counted);
  ~outbox_reply() override;

  void send(response r) override;
  /// Gives up answering: the connection was handed over (a WebSocket upgrade).
  void detach();

private:
  std::weak_ptr<response_order> order_;
  std::uint64_t ticket_ = 0;
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
