// /health, /api/status, /api/config, the stream tickets and the OpenAPI document.
#include <nlohmann/json.hpp>

#include "http/ask.hpp"
#include "http/endpoints.hpp"
#include "http/input.hpp"
#include "http/openapi_doc.hpp"
#include "messages/json.hpp"
#include "messages/json_out.hpp"
#include "messages/status_json.hpp"

namespace ct::http {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

double uptime_s(std::chrono::steady_clock::time_point started) {
  const auto ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  return static_cast<double>(ms.count()) / 1000.0;
}

}  // namespace

void get_health(const api_context& ctx, const request&, const reply_ptr& out) {
  // /health never waits longer than this, whatever the actors do.
  const milliseconds timeout{std::min<std::int64_t>(1000, ctx.settings->request_timeout_ms)};
  const auto started = ctx.started_steady;
  const auto version = ctx.version;
  auto render = [=](const std::map<std::string, msg::actor_state>& actors,
                    const std::string& storage_error, const msg::exchange_health* exchange,
                    const msg::account_health* account) {
    bool all_up = true;
    msg::json_out states;
    for (const auto& [name, state] : actors) {
      all_up = all_up && state == msg::actor_state::up;
      states.field(name, msg::name_of(state));
    }
    msg::json_out body;
    body.field("status", all_up ? "ok" : "degraded")
        .field("uptime_s", uptime_s(started))
        .field("version", version)
        .raw_field("actors", states.finish());
    if (!storage_error.empty())
      body.raw_field("storage", msg::json_out{}.field("error", storage_error).finish());
    // The exchange's state is the market's, not the service's: shown, never a 503.
    if (exchange) {
      msg::json_out x;
      x.field("state", msg::name_of(exchange->state));
      if (!exchange->last_error.empty())
        x.field("error", exchange->last_error);
      body.raw_field("exchange", x.finish());
    }
    // Live on Binance: the account against the ledger. A shortfall keeps trading off; the
    // service itself is up.
    if (account && !account->state.empty()) {
      msg::json_out a;
      a.field("state", account->state);
      if (!account->error.empty())
        a.field("error", account->error);
      body.raw_field("account", a.finish());
    }
    send_json(out, all_up ? 200 : 503, body.finish());
  };
  ask(
      ctx, ctx.ports->get(&msg::http_ports::supervisor), timeout, msg::health_atom::value,
      [render](msg::health_snapshot& h) {
        render(h.actors, h.storage_error, &h.exchange, &h.account);
      },
      [render](const caf::error&) {
        render({{"supervisor", msg::actor_state::unresponsive}}, "", nullptr, nullptr);
      });
}

void get_openapi(const api_context&, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  send_json(out, 200, std::string{openapi_document()});
}

void post_stream_ticket(const api_context& ctx, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  if (!req.body.empty() && req.body != "{}")
    return send_error(out, {errc::unknown_key, "POST /api/stream/ticket takes no body", ""});
  nlohmann::json body{{"ticket", ctx.tickets->issue()},
                      {"expires_in_ms", stream_tickets::lifetime.count()}};
  send_json(out, 200, body.dump());
}

void get_status(const api_context& ctx, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  // The context outlives every request: the server drains them before it goes.
  const api_context* c = &ctx;
  ask(ctx, ctx.ports->get(&msg::http_ports::position_manager), ctx.request_timeout(),
      msg::status_atom::value, out, "position_manager", [out, c](msg::status_snapshot& s) {
        msg::status_context sc;
        sc.started_at = c->started_at;
        sc.uptime_s = uptime_s(c->started_steady);
        sc.version = c->version;
        send_json(out, 200, msg::render_status(s, msg::with_figures(sc, c->figures().get())));
      });
}

void get_config(const api_context& ctx, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::supervisor), ctx.request_timeout(),
      msg::get_config_atom::value, out, "supervisor",
      [out](msg::config& c) { send_json(out, 200, msg::to_json(c, true).dump()); });
}

void post_config(const api_context& ctx, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  auto body = parse_object(req.body, true);
  if (auto* err = std::get_if<api_error>(&body))
    return send_error(out, *err);
  auto settings = ctx.settings;
  ask(ctx, ctx.ports->get(&msg::http_ports::supervisor), ctx.request_timeout(),
      msg::apply_config_patch{req.body}, out, "supervisor", [out, settings](msg::config& c) {
        settings->request_timeout_ms = c.http.request_timeout_ms;
        settings->exchange_timeout_ms = c.exchange.timeout_ms;
        settings->ws_max_pending_bytes = c.stream.max_pending_kib * 1024;
        settings->ws_max_clients = c.stream.max_clients;
        send_json(out, 200, msg::to_json(c, true).dump());
      });
}

}  // namespace ct::http
