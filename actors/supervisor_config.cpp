// The supervisor's side of POST /api/config: validate the merged configuration as a whole,
// refuse start-up-only changes, then hand the new configuration to every running actor and
// answer once they have all applied it. A rejected patch changes nothing.
#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/log.hpp"
#include "actors/supervisor.hpp"
#include "messages/errors.hpp"
#include "messages/trading_config.hpp"

namespace ct::actors {

namespace {

using nlohmann::json;

/// The dotted paths whose values differ, with both values (secrets masked).
json changes_between(const msg::config& before, const msg::config& after) {
  const json a = msg::to_json(before, true).flatten();
  const json b = msg::to_json(after, true).flatten();
  json out = json::object();
  for (const auto& [path, value] : b.items()) {
    auto it = a.find(path);
    if (it == a.end() || *it != value)
      out[path.substr(1)] = {{"from", it == a.end() ? json(nullptr) : *it}, {"to", value}};
  }
  for (const auto& [path, value] : a.items())
    if (!b.contains(path))
      out[path.substr(1)] = {{"from", value}, {"to", nullptr}};
  return out;
}

void apply_to_children(supervisor_ptr self, caf::typed_response_promise<msg::config> rp);

void apply_log_level(const std::string& level) {
  const auto lvl = spdlog::level::from_str(level);
  spdlog::set_level(lvl);
  spdlog::apply_all([lvl](const std::shared_ptr<spdlog::logger>& l) { l->set_level(lvl); });
}

}  // namespace

caf::result<msg::config> apply_patch(supervisor_ptr self, const msg::apply_config_patch& p) {
  auto& st = self->state;
  const json patch = json::parse(p.patch, nullptr, false);
  if (patch.is_discarded() || !patch.is_object())
    return msg::actor_error(msg::errc::invalid_value,
                            "the configuration patch must be a JSON object");
  auto next = msg::merge_patch(st.cfg, patch);
  if (!next.ok())
    return msg::actor_error(next.err());
  const auto& symbols = next.value().strategy.symbols;
  for (std::size_t i = 0; i < symbols.size(); ++i)
    if (st.deps.market->find(symbols[i]) == st.deps.market->size())
      return msg::actor_error(msg::errc::unknown_symbol, "the exchange does not list " + symbols[i],
                              "strategy.symbols[" + std::to_string(i) + "]");
  if (auto key = msg::startup_only_change(st.cfg, next.value()))
    return msg::actor_error(msg::errc::restart_required,
                            *key + " is read at start-up only: restart the service to change it",
                            *key);
  auto changes = changes_between(st.cfg, next.value());
  if (changes.empty())
    return st.cfg;  // nothing to do
  if (next.value().log_level != st.cfg.log_level)
    apply_log_level(next.value().log_level);
  st.cfg = std::move(next.value());
  logger("supervisor")->info("Configuration applied changes={}", changes.dump());
  auto rp = self->make_response_promise<msg::config>();
  const json event{{"changes", changes}};
  auto storage = st.deps.storage;
  // The change and the patch the next start applies are committed before anyone hears of it.
  st.config_patch =
      msg::combine_patches(
          json::parse(st.config_patch.empty() ? "{}" : st.config_patch, nullptr, false), patch)
          .dump();
  msg::write_batch b;
  b.events.push_back(
      msg::record_event{"config_changed", "supervisor", st.deps.clock->now(), event.dump()});
  b.config_patch = st.config_patch;
  self->request(storage, caf::infinite, std::move(b))
      .then([=](msg::committed) mutable { apply_to_children(self, rp); },
            [=](caf::error& e) mutable { rp.deliver(std::move(e)); });
  return rp;
}

namespace {

void apply_to_children(supervisor_ptr self, caf::typed_response_promise<msg::config> rp) {
  auto& st = self->state;
  // Every running actor applies it before the answer; one that does not answer in time gets
  // it anyway at its next restart, since the supervisor already holds it.
  auto remaining = std::make_shared<std::size_t>(0);
  for (const auto& c : st.children)
    if (c.handle)
      ++*remaining;
  if (*remaining == 0) {
    rp.deliver(st.cfg);
    return;
  }
  const std::chrono::milliseconds timeout{st.cfg.http.request_timeout_ms / 2};
  auto done = [=]() mutable {
    if (--*remaining == 0)
      rp.deliver(self->state.cfg);
  };
  for (const auto& c : st.children)
    if (c.handle)
      self->request(c.handle, timeout, msg::apply_config{st.cfg})
          .then([=](msg::ok_atom) mutable { done(); }, [=](caf::error&) mutable { done(); });
}

}  // namespace

}  // namespace ct::actors
