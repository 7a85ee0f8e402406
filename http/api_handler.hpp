// The server's Pistache handler: Pistache's reactor threads call it with each connection's bytes.
// It parses requests (pipelined ones too) with Pistache's parser, refuses what breaks the limits
// with our error bodies, hands REST requests to the router and upgrades /ws to a WebSocket
// session. Its replies go through each connection's outbox (http/outbox.hpp), never Pistache's
// writer. Included only by the handler's files and http/server.cpp.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include <pistache/http.h>
#include <pistache/peer.h>

#include "http/context.hpp"
#include "http/outbox.hpp"
#include "http/router.hpp"
#include "http/wire.hpp"
#include "http/ws_hooks.hpp"

namespace ct::http {

/// What the handler keeps with each connection (Pistache's peer data).
namespace peer_data {
inline constexpr const char* discard = "ct.discard";  // refused: the rest of its input is dropped
inline constexpr const char* ws = "ct.ws";            // its WebSocket session, once upgraded
inline constexpr const char* connection = "ct.connection";  // its admission, given back at close
inline constexpr const char* box = "ct.outbox";
inline constexpr const char* order = "ct.order";
inline constexpr const char* held = "ct.held";  // a request's bytes so far, when it spans reads
}  // namespace peer_data

class api_handler : public Pistache::Http::Handler {
public:
  HTTP_PROTOTYPE(api_handler)

  api_handler(std::shared_ptr<api_context> ctx, std::shared_ptr<const router> routes,
              std::shared_ptr<request_gate> g, ws_hooks hooks,
              std::shared_ptr<socket_writer> writer)
      : ctx_(std::move(ctx)),
        routes_(std::move(routes)),
        gate_(std::move(g)),
        hooks_(hooks),
        writer_(std::move(writer)) {}

  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void onInput(const char* buffer, size_t len,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  // Not called: onInput hands complete requests to handle() (Pistache requires the override).
  void onRequest(const Pistache::Http::Request& req, Pistache::Http::ResponseWriter rw) override;
  void onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;

private:
  /// Feeds one read's bytes; returns those after a complete request (the next pipelined one).
  std::string consume(std::string_view chunk, const std::shared_ptr<Pistache::Tcp::Peer>& peer);
  void handle(const Pistache::Http::Request& req, const std::shared_ptr<Pistache::Tcp::Peer>& peer);
  void start_websocket(const Pistache::Http::Request& req,
                       const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                       std::shared_ptr<outbox_reply> out);
  std::shared_ptr<outbox_reply> reply_for(const Pistache::Http::Request& req,
                                          const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                                          bool counted);

  void refuse(const std::shared_ptr<Pistache::Tcp::Peer>& peer, Pistache::Http::Version version,
              errc code, std::string message);

  static std::shared_ptr<outbox> outbox_of(const std::shared_ptr<Pistache::Tcp::Peer>& peer);
  static std::shared_ptr<response_order> order_of(const std::shared_ptr<Pistache::Tcp::Peer>& peer);

  /// Whether any connection was ever refused, or upgraded: until then no peer can be discarding
  /// or be a WebSocket, and the per-request lookups of those are skipped.
  static inline std::atomic<bool> any_refused_{false};
  static inline std::atomic<bool> any_ws_{false};

  std::shared_ptr<api_context> ctx_;
  std::shared_ptr<const router> routes_;
  std::shared_ptr<request_gate> gate_;
  ws_hooks hooks_;
  std::shared_ptr<socket_writer> writer_;
};

}  // namespace ct::http
