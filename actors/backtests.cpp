#include "actors/backtests.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "actors/backtest_charts.hpp"
#include "actors/backtest_worker.hpp"
#include "actors/events.hpp"
#include "actors/log.hpp"
#include "messages/errors.hpp"
#include "messages/text_limits.hpp"
#include "messages/trading_config.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::backtests_actor::stateful_pointer<backtests_state>;
using nlohmann::json;

/// The settings and symbols of `req` on the running configuration `cfg`.
result<std::pair<trading::backtest_settings, std::vector<std::string>>> plan(
    msg::config cfg, const msg::start_backtest& req) {
  std::vector<std::pair<std::string, json>> patches;
  for (std::size_t i = 0; i < req.patches.size(); ++i)
    patches.emplace_back(req.patch_sources[i], json::parse(req.patches[i], nullptr, false));
  auto patched = msg::apply_patches(std::move(cfg), patches);
  if (!patched.ok())
    return patched.err();
  cfg = std::move(patched.value());
  auto s = msg::backtest_settings_of(cfg);
  s.from_ms = req.from_ms;
  s.to_ms = req.to_ms;
  if (s.from_ms && s.to_ms && *s.from_ms >= *s.to_ms)
    return make_error(errc::invalid_value, "from must be before to", "from");
  return std::make_pair(std::move(s), cfg.strategy.symbols);
}

void event(self_ptr self, const char* type, const json& data) {
  emit_event(self->state.deps.storage, type, "backtests", self->state.deps.clock->now(), data);
}

void release_slot(self_ptr self) {
  self->state.release();
}

void finish(self_ptr self, const std::string& id) {
  self->state.finish(id, backtests_state::kept);
}

caf::result<msg::backtest_accepted> start(self_ptr self, msg::start_backtest& req) {
  auto& st = self->state;
  if (auto refused = st.refusal("backtest"))
    return *refused;
  auto sup = st.deps.supervisor;
  const std::string id = "bt-" + std::to_string(trading::to_unix_ms(st.deps.clock->now())) + "-" +
                         std::to_string(++st.seq);
  st.running = id;  // taken now: a second request meanwhile is a conflict
  auto rp = self->make_response_promise<msg::backtest_accepted>();
  self->request(sup, std::chrono::seconds{10}, msg::get_config_atom::value)
      .then(
          [=](msg::config& cfg) mutable {
            auto& s = self->state;
            if (s.stopping) {
              release_slot(self);
              rp.deliver(msg::actor_error(msg::errc::actor_unavailable, "the service is stopping"));
              return;
            }
            auto planned = plan(std::move(cfg), req);
            if (!planned.ok()) {
              release_slot(self);
              rp.deliver(msg::actor_error(planned.err()));
              return;
            }
            backtest_run run;
            run.state.id = id;
            run.state.status = msg::backtest_status::running;
            run.accepting = rp;
            backtest_job job{id,
                             req.data,
                             s.deps.market,
                             planned.value().second,
                             planned.value().first,
                             run.cancel,
                             self,
                             s.deps.data_dirs,
                             std::exchange(s.fail_next, false)};
            s.runs.emplace(id, std::move(run));
            if (s.deps.detached)
              self->system().spawn<caf::detached>(backtest_worker, std::move(job));
            else
              self->system().spawn(backtest_worker, std::move(job));
          },
          [=](caf::error& e) mutable {
            release_slot(self);
            rp.deliver(e);
          });
  return rp;
}

/// The run's candles are loaded: the request is answered (202) and the run is on the timeline.
void on_loaded(self_ptr self, const msg::backtest_loaded& m) {
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.candles_total = m.candles;
  if (run.accepting) {
    run.accepting->deliver(msg::backtest_accepted{m.id, m.candles});
    run.accepting.reset();
  }
  event(self, "backtest_started",
        {{"id", m.id}, {"strategy", m.strategy}, {"symbols", m.symbols}, {"candles", m.candles}});
}

void on_progress(self_ptr self, const msg::backtest_progress& m) {
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.candles_done = m.done;
  run.state.candles_total = m.total;
  // At most one event a second: the stream shows progress, the timeline is not flooded.
  const auto now = std::chrono::steady_clock::now();
  if (m.done >= m.total || now - run.last_event < std::chrono::seconds{1})
    return;
  run.last_event = now;
  const double pct =
      m.total > 0 ? 100.0 * static_cast<double>(m.done) / static_cast<double>(m.total) : 0.0;
  event(self, "backtest_progress",
        {{"id", m.id}, {"candles", m.done}, {"total", m.total}, {"pct", pct}});
}

void on_failed(self_ptr self, const msg::backtest_failed& m) {
  if (self->state.refuse_unaccepted(m.id, ct::error{m.code, m.error, m.field}))
    return;
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.status = msg::backtest_status::failed;
  run.state.error = m.error;
  event(self, "backtest_failed", {{"id", m.id}, {"error", m.error}});
  logger("backtests")->warn("Backtest failed id={} error=\"{}\"", m.id, m.error);
  finish(self, m.id);
}

void on_done(self_ptr self, msg::backtest_done& m) {
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.status =
      m.cancelled ? msg::backtest_status::cancelled : msg::backtest_status::completed;
  run.state.candles_done = run.state.candles_total;
  run.state.report = std::move(m.report);
  auto summary = json::parse(m.summary, nullptr, false);
  summary["cancelled"] = m.cancelled;
  event(self, "backtest_completed", summary);
  finish(self, m.id);
}

void on_chart(self_ptr self, msg::backtest_chart& m) {
  auto& st = self->state;
  if (st.runs.count(m.id) == 0)
    return;
  st.charts[m.id] = std::move(m.data);
  st.charted.push_back(m.id);
  while (st.charted.size() > backtests_state::charts_kept) {
    st.charts.erase(st.charted.front());
    st.charted.pop_front();
  }
}

caf::result<msg::candles_page> chart_candles(self_ptr self, const msg::get_backtest_candles& q) {
  auto& st = self->state;
  auto run = st.runs.find(q.id);
  if (run == st.runs.end() || run->second.accepting)
    return msg::actor_error(msg::errc::not_found, "no backtest " + msg::echoed(q.id), "id");
  auto chart = st.charts.find(q.id);
  if (chart != st.charts.end())
    return backtest_candles(*chart->second, q);
  if (run->second.state.status == msg::backtest_status::running)
    return msg::actor_error(msg::errc::conflict,
                            "backtest " + q.id + " is still running: its candles come at its end",
                            "id");
  if (run->second.state.status == msg::backtest_status::failed)
    return msg::actor_error(msg::errc::not_found, "backtest " + q.id + " failed: no candles", "id");
  return msg::actor_error(msg::errc::not_found,
                          "the candles of backtest " + q.id + " are no longer kept (the last " +
                              std::to_string(backtests_state::charts_kept) + " runs keep theirs)",
                          "id");
}

}  // namespace

msg::backtests_actor::behavior_type backtests(self_ptr self, backtests_deps deps) {
  self->state.deps = std::move(deps);
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::start_backtest& req) { return start(self, req); },
      [=](const msg::get_backtest& q) -> caf::result<msg::backtest_state> {
        auto it = self->state.runs.find(q.id);
        if (it == self->state.runs.end() || it->second.accepting)
          return msg::actor_error(msg::errc::not_found, "no backtest " + msg::echoed(q.id), "id");
        return it->second.state;
      },
      [=](const msg::get_backtest_candles& q) { return chart_candles(self, q); },
      [=](msg::backtest_chart& m) { on_chart(self, m); },
      [=](const msg::backtest_loaded& m) { on_loaded(self, m); },
      [=](const msg::backtest_progress& m) { on_progress(self, m); },
      [=](const msg::backtest_failed& m) { on_failed(self, m); },
      [=](msg::backtest_done& m) { on_done(self, m); },
      [=](msg::shutdown_atom) { return stop_runs(self, "backtests", "backtest"); },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      [=](msg::fail_next_atom) { self->state.fail_next = true; },
  };
}

}  // namespace ct::actors
