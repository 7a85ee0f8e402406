// POST /api/debug/crash and /api/debug/hang: the operator's fault-injection switch
// (debug.fault_injection, off by default, start-up only). Off, they are unknown paths (404).
// crash makes one supervised actor fail as if a handler had thrown; hang starts a worker that
// blocks its thread for a while and ignores everything meanwhile, as stuck blocking I/O would,
// or with "actor": "supervisor" blocks the supervisor's own handler. crash with "actor": "backtest"
// makes the next backtest's worker throw at its first progress report (after its 202), as a run
// that failed part way would.
#include <chrono>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>
#include <nlohmann/json.hpp>

#include "http/endpoints.hpp"
#include "http/input.hpp"

namespace ct::http {

namespace {

using nlohmann::json;

/// The body, or false after answering its problem; 404 when fault injection is off.
std::optional<json> debug_body(const api_context& ctx, const request& req, const reply_ptr& out,
                               std::initializer_list<const char*> keys) {
  if (!ctx.fault_injection) {
    send_error(out, {errc::not_found, "no such path: " + req.path, ""});
    return std::nullopt;
  }
  auto body = parse_object(req.body, true);
  if (auto* err = std::get_if<api_error>(&body)) {
    send_error(out, *err);
    return std::nullopt;
  }
  if (auto err = only_keys(std::get<json>(body), keys)) {
    send_error(out, *err);
    return std::nullopt;
  }
  return std::get<json>(body);
}

/// The actors the switch can crash, by name: the supervised ones (restarted), then the
/// supervisor and the storage actor (restarted by no one: the process stops with exit status 1).
struct crashable {
  const char* name;
  caf::actor (*handle)(const msg::port_table&);
};

template <class Handle>
caf::actor handle_of(const msg::port_table& ports, Handle msg::http_ports::*which) {
  return caf::actor_cast<caf::actor>(ports.get(which));
}

const crashable crashables[] = {
    {"timeline", [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::timeline); }},
    {"broadcaster",
     [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::broadcaster); }},
    {"market_feed",
     [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::market_feed); }},
    {"position_manager",
     [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::position_manager); }},
    {"scanner", [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::scanner); }},
    {"supervisor",
     [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::supervisor); }},
    {"storage", [](const msg::port_table& d) { return handle_of(d, &msg::http_ports::storage); }},
};

}  // namespace

void post_debug_crash(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto body = debug_body(ctx, req, out, {"actor"});
  if (!body)
    return;
  const auto it = body->find("actor");
  const crashable* known = nullptr;
  if (it != body->end() && it->is_string())
    for (const auto& c : crashables)
      if (*it == c.name)
        known = &c;
  if (!known && it != body->end() && *it == "backtest") {
    caf::anon_send(ctx.ports->get(&msg::http_ports::backtests), msg::fail_next_atom::value);
    return send_json(out, 202, json{{"actor", "backtest"}, {"armed", true}}.dump());
  }
  if (!known) {
    std::string names = "backtest";
    for (const auto& c : crashables)
      names += std::string{", "} + c.name;
    return send_error(out,
                      api_error(errc::invalid_value, "actor must be one of " + names, "actor"));
  }
  const std::string name = known->name;
  const auto target = known->handle(*ctx.ports);
  if (!target)
    return send_error(out, {errc::actor_unavailable, name + " is down or restarting", ""});
  // An exit with an error is what an exception thrown in a handler ends an actor with.
  caf::anon_send<caf::message_priority::high>(
      target,
      caf::exit_msg{caf::actor_addr{}, caf::make_error(caf::sec::runtime_error, "fault injected")});
  send_json(out, 202, json{{"actor", name}, {"crashed", true}}.dump());
}

void post_debug_hang(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto body = debug_body(ctx, req, out, {"ms", "actor"});
  if (!body)
    return;
  const auto it = body->find("ms");
  if (it == body->end() || !it->is_number_integer() || it->get<std::int64_t>() < 1 ||
      it->get<std::int64_t>() > 600'000)
    return send_error(
        out, api_error(errc::invalid_value, "ms must be an integer from 1 to 600000", "ms"));
  const std::chrono::milliseconds ms{it->get<std::int64_t>()};
  const auto actor = body->find("actor");
  if (actor == body->end()) {  // a worker of its own
    ctx.sys.spawn([ms](caf::blocking_actor*) { std::this_thread::sleep_for(ms); });
    return send_json(out, 202, json{{"hanging_ms", ms.count()}}.dump());
  }
  if (*actor != "supervisor")
    return send_error(out, api_error(errc::invalid_value, "actor must be \"supervisor\"", "actor"));
  const auto sup = ctx.ports->get(&msg::http_ports::supervisor);
  if (!sup)
    return send_error(out, {errc::actor_unavailable, "supervisor is down or restarting", ""});
  caf::anon_send(sup, msg::hang_atom::value, static_cast<std::int64_t>(ms.count()));
  send_json(out, 202, json{{"hanging_ms", ms.count()}, {"actor", "supervisor"}}.dump());
}

}  // namespace ct::http
