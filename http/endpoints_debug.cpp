// POST /api/debug/crash and /api/debug/hang: the operator's fault-injection switch
// (debug.fault_injection, off by default, start-up only). Off, they are unknown paths (404).
// crash makes one supervised actor fail as if a handler had thrown; hang starts a worker that
// blocks its thread for a while and ignores everything meanwhile, as stuck blocking I/O would.
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
    send_error(out, {404, "not_found", "no such path: " + req.path, ""});
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

caf::actor supervised(const msg::directory& dir, const std::string& name) {
  if (name == "timeline")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::timeline));
  if (name == "broadcaster")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::broadcaster));
  if (name == "market_feed")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::market_feed));
  if (name == "position_manager")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::position_manager));
  if (name == "scanner")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::scanner));
  // Not restarted by anyone: the process stops with exit status 1 (crash-only).
  if (name == "supervisor")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::supervisor));
  if (name == "storage")
    return caf::actor_cast<caf::actor>(dir.get(&msg::actor_handles::storage));
  return {};
}

}  // namespace

void post_debug_crash(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto body = debug_body(ctx, req, out, {"actor"});
  if (!body)
    return;
  const auto it = body->find("actor");
  const char* names =
      "timeline, broadcaster, market_feed, position_manager, scanner, supervisor, storage";
  if (it == body->end() || !it->is_string())
    return send_error(
        out, unprocessable("invalid_value", std::string{"actor must be one of "} + names, "actor"));
  const auto name = it->get<std::string>();
  const auto target = supervised(*ctx.dir, name);
  if (!target && (name == "timeline" || name == "broadcaster" || name == "market_feed" ||
                  name == "position_manager" || name == "scanner"))
    return send_error(out, {503, "actor_unavailable", name + " is down or restarting", ""});
  if (!target)
    return send_error(
        out, unprocessable("invalid_value", std::string{"actor must be one of "} + names, "actor"));
  // An exit with an error is what an exception thrown in a handler ends an actor with.
  caf::anon_send<caf::message_priority::high>(
      target,
      caf::exit_msg{caf::actor_addr{}, caf::make_error(caf::sec::runtime_error, "fault injected")});
  send_json(out, 202, json{{"actor", name}, {"crashed", true}}.dump());
}

void post_debug_hang(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto body = debug_body(ctx, req, out, {"ms"});
  if (!body)
    return;
  const auto it = body->find("ms");
  if (it == body->end() || !it->is_number_integer() || it->get<std::int64_t>() < 1 ||
      it->get<std::int64_t>() > 600'000)
    return send_error(
        out, unprocessable("invalid_value", "ms must be an integer from 1 to 600000", "ms"));
  const std::chrono::milliseconds ms{it->get<std::int64_t>()};
  ctx.sys.spawn([ms](caf::blocking_actor*) { std::this_thread::sleep_for(ms); });
  send_json(out, 202, json{{"hanging_ms", ms.count()}}.dump());
}

}  // namespace ct::http
