#include "actors/optimizations.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "actors/events.hpp"
#include "actors/log.hpp"
#include "actors/optimize_worker.hpp"
#include "messages/errors.hpp"
#include "messages/text_limits.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::optimizations_actor::stateful_pointer<optimizations_state>;
using nlohmann::json;

/// The search `req` asks for on the running configuration `cfg`, its windows aside.
result<search_plan> plan(msg::config cfg, const msg::start_optimize& req) {
  std::vector<std::pair<std::string, json>> patches;
  for (std::size_t i = 0; i < req.patches.size(); ++i)
    patches.emplace_back(req.patch_sources[i], json::parse(req.patches[i], nullptr, false));
  auto patched = msg::apply_patches(std::move(cfg), patches);
  if (!patched.ok())
    return patched.err();
  const search_options o{req.space, req.trials, req.objective, req.min_trades,
                         req.folds, req.top,    req.seed};
  auto p = make_search_plan(std::move(patched.value()), o);
  if (!p.ok()) {  // the API's names for the options, not the command line's
    auto e = p.err();
    if (e.message.rfind("--", 0) == 0)
      e.message.erase(0, 2);
    if (e.field.empty() || e.field.find('.') != std::string::npos)
      e.field = "space";
    return e;
  }
  return p;
}

void event(self_ptr self, const char* type, const json& data) {
  emit_event(self->state.deps.storage, type, "optimize", self->state.deps.clock->now(), data);
}

void release_slot(self_ptr self) {
  self->state.release();
}

void finish(self_ptr self, const std::string& id) {
  self->state.finish(id, optimizations_state::kept);
}

caf::result<msg::optimize_accepted> start(self_ptr self, msg::start_optimize& req) {
  auto& st = self->state;
  if (auto refused = st.refusal("search"))
    return *refused;
  const std::string id = "opt-" + std::to_string(trading::to_unix_ms(st.deps.clock->now())) + "-" +
                         std::to_string(++st.seq);
  st.running = id;  // taken now: a second request meanwhile is a conflict
  auto rp = self->make_response_promise<msg::optimize_accepted>();
  self->request(st.deps.supervisor, std::chrono::seconds{10}, msg::get_config_atom::value)
      .then(
          [=](msg::config& cfg) mutable {
            auto& s = self->state;
            if (s.stopping) {
              release_slot(self);
              rp.deliver(msg::actor_error(msg::errc::actor_unavailable, "the service is stopping"));
              return;
            }
            const auto jobs = static_cast<std::size_t>(cfg.optimize.api_jobs);
            auto planned = plan(std::move(cfg), req);
            if (!planned.ok()) {
              release_slot(self);
              rp.deliver(msg::actor_error(planned.err()));
              return;
            }
            optimize_run run;
            run.state.id = id;
            run.state.progress.id = id;
            run.accepting = rp;
            optimize_job job{
                id,         req.data, s.deps.market,   std::move(planned.value()), req, jobs,
                run.cancel, self,     s.deps.data_dirs};
            s.runs.emplace(id, std::move(run));
            if (s.deps.detached)
              self->system().spawn<caf::detached>(optimize_worker, std::move(job));
            else
              self->system().spawn(optimize_worker, std::move(job));
          },
          [=](caf::error& e) mutable {
            release_slot(self);
            rp.deliver(e);
          });
  return rp;
}

void on_loaded(self_ptr self, const msg::optimize_loaded& m) {
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.progress.total = m.trials;
  if (run.accepting) {
    run.accepting->deliver(msg::optimize_accepted{m.id, m.trials, m.candles});
    run.accepting.reset();
  }
  event(self, "optimize_started",
        {{"id", m.id},
         {"strategy", m.strategy},
         {"symbols", m.symbols},
         {"trials", m.trials},
         {"candles", m.candles}});
}

json progress_json(const msg::optimize_progress& p) {
  const double pct =
      p.total > 0 ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0;
  return {{"id", p.id},
          {"trials", p.done},
          {"total", p.total},
          {"skipped", p.skipped},
          {"pct", pct},
          {"best_score", p.best_score ? json(*p.best_score) : json(nullptr)},
          {"candle_evals_per_s", p.candle_evals_per_s}};
}

void on_progress(self_ptr self, const msg::optimize_progress& m) {
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.progress = m;
  // At most one event a second: the stream shows progress, the timeline is not flooded.
  const auto now = std::chrono::steady_clock::now();
  if (m.done >= m.total || now - run.last_event < std::chrono::milliseconds{900})
    return;
  run.last_event = now;
  event(self, "optimize_progress", progress_json(m));
}

void on_failed(self_ptr self, const msg::optimize_failed& m) {
  if (self->state.refuse_unaccepted(m.id, ct::error{m.code, m.error, m.field}))
    return;
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.status = msg::backtest_status::failed;
  run.state.error = m.error;
  event(self, "optimize_failed", {{"id", m.id}, {"error", m.error}});
  logger("optimize")->warn("Search failed id={} error=\"{}\"", m.id, m.error);
  finish(self, m.id);
}

void on_done(self_ptr self, msg::optimize_done& m) {
  auto it = self->state.runs.find(m.id);
  if (it == self->state.runs.end())
    return;
  auto& run = it->second;
  run.state.status =
      m.cancelled ? msg::backtest_status::cancelled : msg::backtest_status::completed;
  run.state.report = std::move(m.report);
  auto summary = json::parse(m.summary, nullptr, false);
  summary["cancelled"] = m.cancelled;
  auto& p = run.state.progress;
  p.done = summary.value("trials", p.done);
  p.skipped = summary.value("skipped", p.skipped);
  p.candle_evals_per_s = summary.value("candle_evals_per_s", 0.0);
  if (summary.contains("best_score") && summary["best_score"].is_number())
    p.best_score = summary["best_score"].get<double>();
  event(self, "optimize_completed", summary);
  finish(self, m.id);
}

}  // namespace

msg::optimizations_actor::behavior_type optimizations(self_ptr self, optimizations_deps deps) {
  self->state.deps = std::move(deps);
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::start_optimize& req) { return start(self, req); },
      [=](const msg::get_optimize& q) -> caf::result<msg::optimize_state> {
        auto it = self->state.runs.find(q.id);
        if (it == self->state.runs.end() || it->second.accepting)
          return msg::actor_error(msg::errc::not_found, "no search " + msg::echoed(q.id), "id");
        return it->second.state;
      },
      [=](const msg::optimize_loaded& m) { on_loaded(self, m); },
      [=](const msg::optimize_progress& m) { on_progress(self, m); },
      [=](const msg::optimize_failed& m) { on_failed(self, m); },
      [=](msg::optimize_done& m) { on_done(self, m); },
      [=](msg::shutdown_atom) { return stop_runs(self, "optimize", "search"); },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

}  // namespace ct::actors
