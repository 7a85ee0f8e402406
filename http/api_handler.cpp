#include "http/api_handler.hpp"

#include <sys/socket.h>

#include "http/http_metrics.hpp"
#include "http/pistache_request.hpp"
#include "http/server.hpp"
#include "http/wire.hpp"
#include "http/ws_session.hpp"

namespace ct::http {

namespace P = Pistache;
namespace H = Pistache::Http;

namespace {

/// What a REST connection may have waiting unsent once a write waits: answers to a client that
/// asks and never reads stop here (the connection is dropped), not at the memory's end.
constexpr std::size_t max_rest_pending = 8 * 1024 * 1024;

}  // namespace

std::shared_ptr<outbox> api_handler::outbox_of(const std::shared_ptr<P::Tcp::Peer>& peer) {
  return std::static_pointer_cast<outbox>(peer->tryGetData(peer_data::box));
}

std::shared_ptr<response_order> api_handler::order_of(const std::shared_ptr<P::Tcp::Peer>& peer) {
  return std::static_pointer_cast<response_order>(peer->tryGetData(peer_data::order));
}

// Pistache's own onInput, with four changes: HTTP/1.1 defaults to keep-alive (Pistache closes
// unless asked not to), a body announced above the limit is refused with our error body before
// it is read, a refused connection is half-closed after the answer, its remaining input
// discarded, rather than parsed as the next request, and requests that arrive together
// (pipelined) are each answered, in order (Pistache's parser drops what follows the first).
void api_handler::onInput(const char* buffer, size_t len,
                          const std::shared_ptr<P::Tcp::Peer>& peer) {
  std::string next;
  for (std::string_view chunk{buffer, len}; !chunk.empty(); chunk = next)
    next = consume(chunk, peer);  // each round takes one request at least: it ends
}

std::string api_handler::consume(std::string_view chunk,
                                 const std::shared_ptr<P::Tcp::Peer>& peer) {
  if (any_ws_.load(std::memory_order_relaxed))
    if (auto session = peer->tryGetData(peer_data::ws)) {
      std::static_pointer_cast<ws_session>(session)->input(chunk.data(), chunk.size());
      getParser(peer)->reset();  // Pistache's keep-alive timeout counts from the parser's reset
      return {};
    }
  if (any_refused_.load(std::memory_order_relaxed) && peer->tryGetData(peer_data::discard))
    return {};
  auto parser = getParser(peer);
  auto& req = parser->request;
  auto held = std::static_pointer_cast<std::string>(peer->tryGetData(peer_data::held));
  const auto refuse_now = [&](errc code, std::string message) {
    refuse(peer, req.version(), code, std::move(message));
    parser->reset();
    if (held)
      std::string{}.swap(*held);
  };
  try {
    if (!parser->feed(chunk.data(), chunk.size())) {
      if (parser->step()->id() == H::Private::BodyStep::Id)
        refuse_now(errc::payload_too_large, "the request exceeds 1 MiB");
      else
        refuse_now(errc::headers_too_large, header_limits_message);
      return {};
    }
    const auto state = parser->parse();
    if (auto problem = check_headers(req, state == H::Private::State::Done ||
                                              parser->step()->id() == H::Private::BodyStep::Id)) {
      refuse_now(problem->code, problem->message);
      return {};
    }
    if (state == H::Private::State::Again) {
      if (parser->step()->id() == H::Private::BodyStep::Id) {
        auto cl = req.headers().tryGet<H::Header::ContentLength>();
        if (cl && cl->value() > max_body_bytes) {
          refuse_now(errc::payload_too_large, "the body exceeds 1 MiB");
          return {};
        }
      }
      if (!held) {
        held = std::make_shared<std::string>();
        peer->putData(peer_data::held, held);
      }
      held->append(chunk);  // where this request ends is told once it is complete
      return {};
    }
    if (state != H::Private::State::Done)
      return {};
    // What follows this request in the bytes read so far is the next one.
    std::string rest;
    if (held && !held->empty()) {
      held->append(chunk);
      rest = held->substr(request_end(*held, req.body().size()));
      std::string{}.swap(*held);  // its memory too: an upload's megabyte is not kept
    } else {
      rest = std::string{chunk.substr(request_end(chunk, req.body().size()))};
    }
    peer->setIdle(false);
    handle(req, peer);
    parser->reset();
    return rest;
  } catch (const H::HttpError& e) {
    const bool too_large = e.code() == static_cast<int>(H::Code::Request_Entity_Too_Large);
    refuse_now(too_large ? errc::payload_too_large : errc::bad_request, e.reason());
  } catch (const std::exception& e) {
    // Pistache reserves the announced body size: an absurd Content-Length lands here.
    refuse_now(errc::bad_request, std::string{"malformed request: "} + e.what());
  }
  return {};
}

// Pistache's own onConnection (private in 0.0.5, so not callable) only gives the peer its
// parser; this does the same and gives it its outbox, then admits the connection or answers 503
// at once and closes it.
void api_handler::onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) {
  peer->putData(ParserData, std::make_shared<H::RequestParser>(getMaxRequestSize()));
  auto box = writer_->open(peer->fd(), max_rest_pending);
  if (!box) {  // no descriptor left: nothing can be written to it
    peer->putData(peer_data::discard, std::make_shared<bool>(true));
    any_refused_.store(true, std::memory_order_relaxed);
    ::shutdown(peer->fd(), SHUT_RDWR);  // here, on the reactor thread, the descriptor is its own
    return;
  }
  peer->putData(peer_data::box, box);
  peer->putData(peer_data::order, std::make_shared<response_order>(box));
  std::string why;
  auto token = ctx_->connections->admit(peer->address().host(), why);
  if (!token) {
    refuse(peer, H::Version::Http11, errc::too_many_connections, std::move(why));
    return;
  }
  peer->putData(peer_data::connection, std::move(token));  // given back when the peer goes
}

void api_handler::refuse(const std::shared_ptr<P::Tcp::Peer>& peer, H::Version version, errc code,
                         std::string message) {
  peer->putData(peer_data::discard, std::make_shared<bool>(true));
  any_refused_.store(true, std::memory_order_relaxed);
  auto order = order_of(peer);
  if (!order)
    return;
  response r;
  r.status = status_of(code);
  r.body = error_body({code, std::move(message)});
  r.close = true;
  if (ctx_->metrics)
    ctx_->metrics->refused(r.status);
  // After the answers to the requests before it, then the connection is half-closed.
  order->deliver(order->reserve(), serialize(r, version == H::Version::Http10, false), true, {});
}

void api_handler::onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) {
  if (any_ws_.load(std::memory_order_relaxed))
    if (auto session = peer->tryGetData(peer_data::ws))
      std::static_pointer_cast<ws_session>(session)->disconnected();
}

std::shared_ptr<outbox_reply> api_handler::reply_for(const H::Request& req,
                                                     const std::shared_ptr<P::Tcp::Peer>& peer,
                                                     bool counted) {
  auto connection = req.headers().tryGet<H::Header::Connection>();
  const bool keep_alive = connection ? connection->control() == H::ConnectionControl::KeepAlive
                                     : req.version() == H::Version::Http11;
  auto order = order_of(peer);
  if (!order)  // no outbox (no descriptor was left): answers go nowhere
    order = std::make_shared<response_order>(std::weak_ptr<outbox>{});
  return std::make_shared<outbox_reply>(order, peer, req.version() == H::Version::Http10,
                                        keep_alive, gate_, counted);
}

void api_handler::onRequest(const H::Request& req, H::ResponseWriter rw) {
  if (auto peer = rw.peer())
    handle(req, peer);
}

void api_handler::handle(const H::Request& req, const std::shared_ptr<P::Tcp::Peer>& peer) {
  if (req.resource() == "/ws" && req.method() == H::Method::Get &&
      has_token(header(req, "Upgrade").value_or(""), "websocket"))
    return start_websocket(req, peer, reply_for(req, peer, false));
  if (!gate_->enter()) {
    response r;
    r.status = 503;
    r.body = error_body({errc::shutting_down, "the service is shutting down", ""});
    r.close = true;
    if (ctx_->metrics)
      ctx_->metrics->refused(r.status);
    return reply_for(req, peer, false)->send(std::move(r));
  }
  auto out = reply_for(req, peer, true);
  if (req.body().size() > max_body_bytes)
    return send_error(out, {errc::payload_too_large, "the body exceeds 1 MiB", ""});
  auto r = copy_request(req);
  if (!r.query_ok)
    return send_error(out, {errc::bad_request, "malformed query string", ""});
  r.body = req.body();
  routes_->dispatch(*ctx_, r, out);
}

}  // namespace ct::http
