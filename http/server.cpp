#include "http/server.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "http/outbox.hpp"
#include "http/router.hpp"
#include "http/wire.hpp"
#include "http/ws_hooks.hpp"
#include "http/ws_session.hpp"
#include "messages/text_limits.hpp"

namespace ct::http {

namespace {

namespace P = Pistache;
namespace H = Pistache::Http;

constexpr const char* discard_key = "ct.discard";

/// Whether any connection was ever refused: until then no peer can be discarding, and the
/// per-request lookup of the flag is skipped.
std::atomic<bool> any_refused{false};

constexpr const char* ws_key = "ct.ws";
constexpr const char* connection_key = "ct.connection";
constexpr const char* outbox_key = "ct.outbox";
constexpr const char* order_key = "ct.order";
constexpr const char* held_key = "ct.held";  // a request's bytes so far, when it spans reads

/// What a REST connection may have waiting unsent once a write waits: answers to a client that
/// asks and never reads stop here (the connection is dropped), not at the memory's end.
constexpr std::size_t max_rest_pending = 8 * 1024 * 1024;

std::shared_ptr<outbox> outbox_of(const std::shared_ptr<P::Tcp::Peer>& peer) {
  return std::static_pointer_cast<outbox>(peer->tryGetData(outbox_key));
}

std::shared_ptr<response_order> order_of(const std::shared_ptr<P::Tcp::Peer>& peer) {
  return std::static_pointer_cast<response_order>(peer->tryGetData(order_key));
}
std::atomic<bool> any_ws{false};  // as any_refused, for WebSocket sessions

std::optional<std::string> header(const H::Request& req, const char* name) {
  if (auto h = req.headers().tryGetRaw(name))
    return h->value();
  return std::nullopt;
}

bool header_is(const std::string& name, std::string_view lower_name) {
  return name.size() == lower_name.size() &&
         std::equal(name.begin(), name.end(), lower_name.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

/// Whether a comma-separated header value holds `token`, in any case.
bool has_token(std::string value, std::string_view token) {
  for (auto& c : value)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value.find(token) != std::string::npos;
}

struct copied_request : request {
  bool query_ok = true;  // every query component percent-decodes
};

/// What the routes need of a request, copied (Pistache resets it when onRequest returns), with
/// the UTF-8 check of everything but the body (which the JSON parser checks).
copied_request copy_request(const H::Request& req) {
  copied_request r;
  r.method = H::methodString(req.method());
  r.path = req.resource();
  const auto path = percent_decode(r.path);
  r.utf8 = msg::valid_utf8(r.path) && (!path || msg::valid_utf8(*path));
  const auto& q = req.query();
  for (auto it = q.parameters_begin(); it != q.parameters_end(); ++it) {
    auto key = percent_decode(it->first);
    auto value = percent_decode(it->second);
    if (!key || !value) {
      r.query_ok = false;
      continue;
    }
    r.utf8 = r.utf8 && msg::valid_utf8(*key) && msg::valid_utf8(*value);
    r.query.emplace(std::move(*key), std::move(*value));
  }
  for (const auto& [key, raw] : req.headers().rawList()) {
    r.utf8 = r.utf8 && msg::valid_utf8(raw.name()) && msg::valid_utf8(raw.value());
    if (header_is(raw.name(), "host"))
      r.host = raw.value();
    else if (header_is(raw.name(), "origin"))
      r.origin = raw.value();
    else if (header_is(raw.name(), "content-type"))
      r.content_type = raw.value();
    else if (header_is(raw.name(), "authorization"))
      r.authorization = raw.value();
  }
  return r;
}

constexpr std::size_t max_header_count = 100;
constexpr std::size_t max_header_bytes = 16 * 1024;  // the request line and every header
constexpr const char* header_limits_message =
    "the request line and headers exceed 16 KiB or 100 headers";

/// 431 past the header limits (checked as headers arrive); once they are complete, 400 for a
/// request that gives both Content-Length and Transfer-Encoding (a smuggling attempt: which one
/// counts would depend on who reads it).
std::optional<api_error> check_headers(const H::Request& req, bool complete) {
  const auto& raw = req.headers().rawList();
  if (raw.size() > max_header_count)
    return api_error{errc::headers_too_large, header_limits_message, ""};
  std::size_t bytes = req.resource().size();
  for (const auto& [key, h] : raw)
    bytes += h.name().size() + h.value().size() + 4;
  if (bytes > max_header_bytes)
    return api_error{errc::headers_too_large, header_limits_message, ""};
  if (complete && raw.count("Content-Length") != 0 && raw.count("Transfer-Encoding") != 0)
    return api_error{errc::bad_request,
                     "a request may not give both Content-Length and Transfer-Encoding", ""};
  return std::nullopt;
}

/// The upgrade request as websocketpp expects to read it off the wire.
std::string handshake_of(const H::Request& req) {
  std::string out = "GET " + req.resource() + req.query().as_str() + " HTTP/1.1\r\n";
  for (const auto& [key, raw] : req.headers().rawList()) {
    out += raw.name();
    out += ": ";
    out += raw.value();
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

class api_handler : public H::Handler {
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

  void onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) override;
  void onInput(const char* buffer, size_t len, const std::shared_ptr<P::Tcp::Peer>& peer) override;
  // Not called: onInput hands complete requests to handle() (Pistache requires the override).
  void onRequest(const H::Request& req, H::ResponseWriter rw) override;
  void onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) override;

private:
  /// Feeds one read's bytes; returns those after a complete request (the next pipelined one).
  std::string consume(std::string_view chunk, const std::shared_ptr<P::Tcp::Peer>& peer);
  void handle(const H::Request& req, const std::shared_ptr<P::Tcp::Peer>& peer);
  void start_websocket(const H::Request& req, const std::shared_ptr<P::Tcp::Peer>& peer,
                       std::shared_ptr<outbox_reply> out);
  std::shared_ptr<outbox_reply> reply_for(const H::Request& req,
                                          const std::shared_ptr<P::Tcp::Peer>& peer, bool counted);

  void refuse(const std::shared_ptr<P::Tcp::Peer>& peer, H::Version version, errc code,
              std::string message);

  std::shared_ptr<api_context> ctx_;
  std::shared_ptr<const router> routes_;
  std::shared_ptr<request_gate> gate_;
  ws_hooks hooks_;
  std::shared_ptr<socket_writer> writer_;
};

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
  if (any_ws.load(std::memory_order_relaxed))
    if (auto session = peer->tryGetData(ws_key)) {
      std::static_pointer_cast<ws_session>(session)->input(chunk.data(), chunk.size());
      getParser(peer)->reset();  // Pistache's keep-alive timeout counts from the parser's reset
      return {};
    }
  if (any_refused.load(std::memory_order_relaxed) && peer->tryGetData(discard_key))
    return {};
  auto parser = getParser(peer);
  auto& req = parser->request;
  auto held = std::static_pointer_cast<std::string>(peer->tryGetData(held_key));
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
        peer->putData(held_key, held);
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
    peer->putData(discard_key, std::make_shared<bool>(true));
    any_refused.store(true, std::memory_order_relaxed);
    ::shutdown(peer->fd(), SHUT_RDWR);  // here, on the reactor thread, the descriptor is its own
    return;
  }
  peer->putData(outbox_key, box);
  peer->putData(order_key, std::make_shared<response_order>(box));
  std::string why;
  auto token = ctx_->connections->admit(peer->address().host(), why);
  if (!token) {
    refuse(peer, H::Version::Http11, errc::too_many_connections, std::move(why));
    return;
  }
  peer->putData(connection_key, std::move(token));  // given back when the peer goes
}

void api_handler::refuse(const std::shared_ptr<P::Tcp::Peer>& peer, H::Version version, errc code,
                         std::string message) {
  peer->putData(discard_key, std::make_shared<bool>(true));
  any_refused.store(true, std::memory_order_relaxed);
  auto order = order_of(peer);
  if (!order)
    return;
  response r;
  r.status = status_of(code);
  r.body = error_body({code, std::move(message)});
  r.close = true;
  // After the answers to the requests before it, then the connection is half-closed.
  order->deliver(order->reserve(), serialize(r, version == H::Version::Http10, false), true, {});
}

void api_handler::onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) {
  if (any_ws.load(std::memory_order_relaxed))
    if (auto session = peer->tryGetData(ws_key))
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
  peer->putData(ws_key, session);
  any_ws.store(true, std::memory_order_relaxed);
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

}  // namespace

struct http_server::impl {
  explicit impl(std::shared_ptr<api_context> c)
      : writer(std::make_shared<socket_writer>(c->send_timeout)), ctx(std::move(c)) {}

  // Declared first, so destroyed last: the connections (in the endpoint) write through it.
  std::shared_ptr<socket_writer> writer;
  std::shared_ptr<api_context> ctx;
  std::unique_ptr<H::Endpoint> endpoint;
  std::uint16_t port = 0;
};

http_server::http_server(std::shared_ptr<api_context> ctx)
    : impl_(std::make_unique<impl>(std::move(ctx))) {}

http_server::~http_server() {
  stop();
}

void http_server::start(const std::string& bind, std::uint16_t port, int threads) {
  P::Address addr{bind == "localhost" ? std::string{"127.0.0.1"} : bind, P::Port{port}};
  impl_->endpoint = std::make_unique<H::Endpoint>(addr);
  auto opts = H::Endpoint::options()
                  .threads(threads)
                  .flags(P::Tcp::Options::ReuseAddr | P::Tcp::Options::NoDelay)
                  .maxRequestSize(max_body_bytes + 64 * 1024)  // the body plus its headers
                  .maxResponseSize(64 * 1024 * 1024)
                  .headerTimeout(std::chrono::seconds{10})
                  .bodyTimeout(std::chrono::seconds{30})
                  .keepaliveTimeout(std::chrono::seconds{75});
  impl_->endpoint->init(opts);
  auto routes = std::make_shared<const router>(make_api_router());
  impl_->endpoint->setHandler(
      H::make_handler<api_handler>(impl_->ctx, routes, impl_->ctx->gate,
                                   make_ws_hooks(impl_->ctx->dir, impl_->ctx->ws), impl_->writer));
  impl_->endpoint->serveThreaded();
  impl_->port = static_cast<std::uint16_t>(impl_->endpoint->getPort());
  impl_->ctx->policy.port = impl_->port;  // the service's own origin (with --port 0 too)
}

std::uint16_t http_server::port() const {
  return impl_->port;
}

bool http_server::drain(std::chrono::milliseconds deadline) {
  auto& g = *impl_->ctx->gate;
  g.close();
  const auto until = std::chrono::steady_clock::now() + deadline;
  // The drain is bounded and runs on the main thread, never on a reactor or actor thread.
  while (g.in_flight() > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  return g.in_flight() == 0;
}

bool http_server::close_websockets(std::chrono::milliseconds deadline) {
  return impl_->ctx->ws->close_all(1001, "server shutting down", deadline);
}

void http_server::stop() {
  if (impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
}

}  // namespace ct::http
