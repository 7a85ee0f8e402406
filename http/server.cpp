#include "http/server.hpp"

#include <thread>

#include <pistache/endpoint.h>

#include "http/api_handler.hpp"
#include "http/http_metrics.hpp"

namespace ct::http {

namespace P = Pistache;
namespace H = Pistache::Http;

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
  impl_->ctx->metrics = std::make_shared<http_metrics>(routes->names());
  impl_->endpoint->setHandler(H::make_handler<api_handler>(
      impl_->ctx, routes, impl_->ctx->gate, make_ws_hooks(impl_->ctx->ports, impl_->ctx->ws),
      impl_->writer));
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
