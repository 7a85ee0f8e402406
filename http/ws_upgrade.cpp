// The WebSocket upgrade: GET /ws with Upgrade: websocket becomes a session on the same
// connection.
#include <sys/socket.h>

#include "http/api_handler.hpp"
#include "http/pistache_request.hpp"
#include "http/ws_session.hpp"

namespace ct::http {

namespace P = Pistache;
namespace H = Pistache::Http;

// GET /ws with Upgrade: websocket. The token and the handshake's headers are checked here, so
// that a refusal is our error body; then websocketpp answers 101 and owns the connection.
void api_handler::start_websocket(const H::Request& req, const std::shared_ptr<P::Tcp::Peer>& peer,
                                  std::shared_ptr<outbox_reply> out) {
  if (auto e = check_browser(*ctx_, copy_request(req)))
    return send_error(out, *e);
  if (!ctx_->api_token.empty()) {
    bool ok = authorized(header(req, "Authorization").value_or(""), ctx_->api_token);
    if (auto t = req.query().get("token"); !ok && t) {
      auto token = percent_decode(*t);
      ok = token && constant_time_equals(*token, ctx_->api_token);
    }
    if (auto t = req.query().get("ticket"); !ok && t)
      ok = ctx_->tickets->redeem(*t);
    if (!ok)
      return send_error(out, {errc::unauthorized, "missing or wrong API token", ""});
  }
  if (!has_token(header(req, "Connection").value_or(""), "upgrade") ||
      !header(req, "Sec-WebSocket-Key") || header(req, "Sec-WebSocket-Version") != "13")
    return send_error(out, {errc::bad_request,
                            "a WebSocket upgrade needs Connection: Upgrade, Sec-WebSocket-Key "
                            "and Sec-WebSocket-Version: 13",
                            ""});
  if (!gate_->enter())
    return send_error(out, {errc::shutting_down, "the service is shutting down", ""});
  gate_->leave();
  // Each client may hold up to ws_max_pending_bytes unread: the cap bounds the memory of all.
  if (static_cast<std::int64_t>(ctx_->ws->size()) >= ctx_->settings->ws_max_clients.load())
    return send_error(out, {errc::too_many_clients,
                            "the stream has its maximum of clients (stream.max_clients)", ""});
  auto box = outbox_of(peer);
  if (!box)
    return;
  auto session = std::make_shared<ws_session>(
      ctx_->ws->next_id(), std::make_shared<outbox_transport>(box), hooks_, ctx_->symbols,
      static_cast<std::size_t>(ctx_->settings->ws_max_pending_bytes.load()));
  peer->putData(peer_data::ws, session);
  any_ws_.store(true, std::memory_order_relaxed);
  ctx_->ws->add(session);
  out->detach();
  if (!session->start(handshake_of(req))) {
    ctx_->ws->remove(session->id());
    box->abort();
    return;
  }
  peer->setIdle(true);  // Pistache's keep-alive timeout now applies, not the request timeout
  // Unread data waits in our accounting, not in a kernel buffer that can grow to megabytes.
  const int sndbuf = 128 * 1024;
  ::setsockopt(peer->fd(), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
}

}  // namespace ct::http
