#include "actors/supervisor.hpp"

#include <algorithm>
#include <thread>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>

#include "actors/events.hpp"
#include "actors/log.hpp"
#include "messages/metrics.hpp"
#include "trading/backoff.hpp"

namespace ct::actors {

namespace {

using std::chrono::milliseconds;

child* find(supervisor_state& st, const std::string& name) {
  for (auto& c : st.children)
    if (c.name == name)
      return &c;
  return nullptr;
}

/// Stops the last child still up; when none is left, answers the shutdown and quits.
void stop_next(supervisor_ptr self) {
  auto& st = self->state;
  for (auto it = st.children.rbegin(); it != st.children.rend(); ++it) {
    if (!it->handle)
      continue;
    self->send_exit(it->handle, caf::exit_reason::user_shutdown);
    return;
  }
  for (auto& p : st.stop_waiters)
    p.deliver(msg::ok_atom::value);
  st.stop_waiters.clear();
  self->quit();
}

void on_down(supervisor_ptr self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto it = std::find_if(st.children.begin(), st.children.end(), [&](const child& c) {
    return c.handle && c.handle.address() == dm.source;
  });
  if (it == st.children.end())
    return;
  child& c = *it;
  c.handle = nullptr;
  forget(self, c.name);
  if (st.stopping) {
    c.state = msg::actor_state::stopped;
    stop_next(self);
    return;
  }
  const auto reason = to_string(dm.reason);
  const auto now = st.deps.clock->now();  // injected: tests move it
  const auto window = std::chrono::seconds{st.cfg.supervisor.restart_window_s};
  while (!c.recent.empty() && now - c.recent.front() > window)
    c.recent.pop_front();
  if (c.recent.size() >= static_cast<std::size_t>(st.cfg.supervisor.restart_limit)) {
    c.state = msg::actor_state::failed;
    supervisor_event(st, "actor_failed",
                     {{"actor", c.name}, {"reason", reason}, {"restarts", c.restarts}});
    logger("supervisor")
        ->error("Actor failed, restart limit reached actor={} reason=\"{}\"", c.name, reason);
    return;
  }
  trading::backoff_policy policy{milliseconds{st.cfg.supervisor.backoff_initial_ms},
                                 milliseconds{st.cfg.supervisor.backoff_max_ms}, 2.0};
  const auto delay = trading::next_backoff(static_cast<unsigned>(c.recent.size()), policy);
  c.state = msg::actor_state::restarting;
  supervisor_event(st, "actor_down",
                   {{"actor", c.name}, {"reason", reason}, {"restart_in_ms", delay.count()}});
  logger("supervisor")
      ->warn("Actor down actor={} reason=\"{}\" restart_in_ms={}", c.name, reason, delay.count());
  self->delayed_send(self, delay, msg::restart_child{c.name});
}

void respawn(supervisor_ptr self, const std::string& name, msg::saved_ledger saved = {}) {
  auto& st = self->state;
  child* c = find(st, name);
  if (st.stopping || c == nullptr || c->state != msg::actor_state::restarting || c->handle)
    return;
  c->recent.push_back(st.deps.clock->now());
  ++c->restarts;
  c->handle = spawn_child(self, name, std::move(saved));
  c->state = msg::actor_state::up;
  supervisor_event(st, "actor_restarted", {{"actor", name}, {"restarts", c->restarts}});
  logger("supervisor")->info("Actor restarted actor={} restarts={}", name, c->restarts);
  send_restart_counts(self);
}

void restart(supervisor_ptr self, const std::string& name) {
  if (name != "position_manager" && name != "market_feed") {
    respawn(self, name);  // the others keep nothing durable: they start afresh
    return;
  }
  auto storage = self->state.deps.storage;
  // The ledger and the market time as committed, after whatever was sent before the crash.
  self->request(storage, std::chrono::seconds{30}, msg::load_ledger_atom::value)
      .then([=](msg::saved_ledger& saved) { respawn(self, name, std::move(saved)); },
            [=](caf::error& e) {
              logger("supervisor")
                  ->error("Cannot reload the state of actor={} error=\"{}\"; retrying", name,
                          to_string(e));
              self->delayed_send(self, std::chrono::seconds{1}, msg::restart_child{name});
            });
}

void heartbeat(supervisor_ptr self) {
  auto& st = self->state;
  if (st.stopping || st.cfg.supervisor.heartbeat_ms <= 0)
    return;
  const milliseconds interval{st.cfg.supervisor.heartbeat_ms};
  const auto timeout = std::max(2 * interval, milliseconds{1000});
  for (const auto& c : st.children) {
    if (!c.handle)
      continue;
    auto h = c.handle;
    auto name = c.name;
    self->request(h, timeout, msg::ping_atom::value)
        .then(
            [=](msg::pong_atom) {
              child* ch = find(self->state, name);
              if (ch && ch->handle == h && ch->state == msg::actor_state::unresponsive) {
                ch->state = msg::actor_state::up;
                supervisor_event(self->state, "actor_responsive", {{"actor", name}});
              }
            },
            [=](caf::error& e) {
              child* ch = find(self->state, name);
              if (e == caf::sec::request_timeout && ch && ch->handle == h &&
                  ch->state == msg::actor_state::up) {
                ch->state = msg::actor_state::unresponsive;
                supervisor_event(self->state, "actor_unresponsive", {{"actor", name}});
                logger("supervisor")->warn("Actor unresponsive actor={}", name);
              }
            });
  }
  self->delayed_send(self, interval, msg::heartbeat_atom::value);
}

/// GET /metrics: each actor's state (one gauge per state, 1 for the current one) and restarts.
std::string metrics_text(const supervisor_state& st) {
  msg::prom_text out;
  out.family("ct_actor_state", "gauge", "1 for the state each supervised actor is in.");
  for (const auto& c : st.children)
    for (const auto state : msg::names_of<msg::actor_state>::list)
      out.sample("ct_actor_state", {{"actor", c.name}, {"state", state}},
                 msg::name_of(c.state) == state ? 1 : 0);
  out.family("ct_actor_restarts_total", "counter", "Restarts of each supervised actor.");
  for (const auto& c : st.children)
    out.sample("ct_actor_restarts_total", {{"actor", c.name}}, static_cast<double>(c.restarts));
  return out.take();
}

}  // namespace

const std::vector<std::string>& child_names() {
  static const std::vector<std::string> names{"timeline", "broadcaster", "market_feed",
                                              "position_manager", "scanner"};
  return names;
}

void supervisor_event(supervisor_state& st, const char* type, const nlohmann::json& data) {
  emit_event(st.deps.storage, type, "supervisor", st.deps.clock->now(), data);
}

msg::supervisor_actor::behavior_type supervisor(supervisor_ptr self, supervisor_deps deps,
                                                msg::config cfg) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.cfg = std::move(cfg);
  st.deps.ports->set(&msg::http_ports::supervisor, caf::actor_cast<msg::supervisor_actor>(self));
  st.config_patch = st.deps.config_patch;
  std::vector<std::string> symbols;
  for (std::size_t i = 0; i < st.deps.market->size(); ++i)
    symbols.push_back(st.deps.market->symbol(i));
  // First on the timeline: the children's own first events follow.
  supervisor_event(
      st, "service_started",
      {{"version", st.deps.version}, {"mode", msg::name_of(st.cfg.mode)}, {"symbols", symbols}});
  for (const auto& name : child_names()) {
    st.children.push_back(child{name, {}, msg::actor_state::up, 0, {}});
    // The position manager takes the store's ledger (moved: it owns it from here on); the
    // market feed, the market time.
    msg::saved_ledger saved;
    if (name == "market_feed" && st.deps.saved)
      saved.market_ms = st.deps.saved->market_ms;
    if (name == "position_manager" && st.deps.saved)
      saved = std::move(*st.deps.saved);
    st.children.back().handle = spawn_child(self, name, std::move(saved));
  }
  st.deps.saved.reset();
  self->set_down_handler([=](caf::down_msg& dm) { on_down(self, dm); });
  heartbeat(self);
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::health_atom) {
        msg::health_snapshot h;
        for (const auto& c : self->state.children)
          h.actors[c.name] = c.state;
        h.actors["storage"] =
            self->state.storage_error.empty() ? msg::actor_state::up : msg::actor_state::failed;
        h.storage_error = self->state.storage_error;
        h.exchange = self->state.exchange;
        h.account = self->state.account;
        return h;
      },
      [=](const msg::exchange_health& eh) { self->state.exchange = eh; },
      [=](const msg::account_health& ah) { self->state.account = ah; },
      [=](const msg::storage_health& sh) {
        self->state.storage_error = sh.state == msg::health::ok ? "" : sh.error;
      },
      [=](msg::hang_atom, std::int64_t ms) {
        // Only POST /api/debug/hang sends this: a handler stuck as blocking I/O would be.
        logger("supervisor")->warn("Blocking on purpose ms={}", ms);
        std::this_thread::sleep_for(std::chrono::milliseconds{ms});
      },
      [=](msg::get_config_atom) { return self->state.cfg; },
      [=](msg::metrics_atom) { return metrics_text(self->state); },
      [=](const msg::apply_config_patch& p) { return apply_patch(self, p); },
      [=](msg::shutdown_atom) -> caf::result<msg::ok_atom> {
        auto& s = self->state;
        auto rp = self->make_response_promise<msg::ok_atom>();
        s.stop_waiters.push_back(rp);
        if (!s.stopping) {
          s.stopping = true;
          supervisor_event(s, "service_stopping", nlohmann::json::object());
          logger("supervisor")->info("Stopping actors in reverse order");
          stop_next(self);
        }
        return rp;
      },
      [=](const msg::restart_child& r) { restart(self, r.name); },
      [=](msg::heartbeat_atom) { heartbeat(self); },
  };
}

}  // namespace ct::actors
