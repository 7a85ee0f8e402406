// GET /metrics: asks every source of metrics at once (the supervised actors, the store) and joins
// their Prometheus text with the HTTP layer's own. A source that does not answer in time is left
// out and shows as ct_metrics_source_up 0, so one stuck actor never stops the scrape.
#include <mutex>

#include "http/ask.hpp"
#include "http/endpoints.hpp"
#include "http/http_metrics.hpp"
#include "http/input.hpp"

namespace ct::http {

namespace {

/// The answers of every source, joined once the last is in.
struct scrape {
  explicit scrape(std::size_t n) : parts(n), up(n, false), remaining(n) {}
  std::mutex mutex;
  std::vector<std::string> parts;
  std::vector<bool> up;
  std::size_t remaining;
};

constexpr const char* sources[] = {"supervisor", "position_manager", "scanner", "broadcaster",
                                   "storage"};

std::string render(const api_context& ctx, const scrape& s) {
  msg::prom_text out;
  out.family("ct_build_info", "gauge", "The service's version.")
      .sample("ct_build_info", {{"version", ctx.version}}, 1);
  out.family("ct_uptime_seconds", "gauge", "Since the service started.")
      .sample("ct_uptime_seconds",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started_steady)
                  .count());
  out.family("ct_metrics_source_up", "gauge",
             "1 for each source that answered this scrape in time, else 0 (its metrics are "
             "missing).");
  for (std::size_t i = 0; i < s.up.size(); ++i)
    out.sample("ct_metrics_source_up", {{"source", sources[i]}}, s.up[i] ? 1 : 0);
  const auto figures = ctx.figures();
  out.family("ct_http_requests_in_flight", "gauge", "REST requests being answered.")
      .sample("ct_http_requests_in_flight", figures->requests_in_flight());
  out.family("ct_ws_clients", "gauge", "WebSocket connections open.")
      .sample("ct_ws_clients", static_cast<double>(figures->ws_clients()));
  out.family("ct_ws_slow_closed_total", "counter",
             "WebSocket clients closed because they read too slowly.")
      .sample("ct_ws_slow_closed_total", static_cast<double>(figures->ws_slow_closed()));
  if (ctx.metrics)
    ctx.metrics->render(out);
  std::string text = out.take();
  for (const auto& part : s.parts)
    text += part;
  return text;
}

}  // namespace

void get_metrics(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (auto err = q.finish())
    return send_error(out, *err);
  // The context outlives every request: the server drains them before it goes.
  const api_context* c = &ctx;
  auto s = std::make_shared<scrape>(std::size(sources));
  auto answered = [s, out, c](std::size_t i, std::string text) {
    std::lock_guard<std::mutex> guard{s->mutex};
    s->parts[i] = std::move(text);
    s->up[i] = !s->parts[i].empty();
    if (--s->remaining > 0)
      return;
    response r;
    r.body = render(*c, *s);
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    out->send(std::move(r));
  };
  auto ask_source = [&](std::size_t i, const auto& port) {
    ask(
        ctx, port, ctx.request_timeout(), msg::metrics_atom::value,
        [answered, i](std::string& text) { answered(i, std::move(text)); },
        [answered, i](const caf::error&) { answered(i, {}); });
  };
  const auto& p = *ctx.ports;
  ask_source(0, p.get(&msg::http_ports::supervisor));
  ask_source(1, p.get(&msg::http_ports::position_manager));
  ask_source(2, p.get(&msg::http_ports::scanner));
  ask_source(3, p.get(&msg::http_ports::broadcaster));
  ask_source(4, p.get(&msg::http_ports::storage_metrics));
}

}  // namespace ct::http
