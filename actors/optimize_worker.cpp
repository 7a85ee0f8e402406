#include "actors/optimize_worker.hpp"

#include <chrono>

#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actors/backtest_worker.hpp"
#include "actors/log.hpp"
#include "actors/search_report.hpp"

namespace ct::actors {

namespace {

using nlohmann::json;

msg::optimize_progress progress_of(const std::string& id, const search_plan& plan,
                                   const search_tally& t, double secs) {
  msg::optimize_progress p{id, t.done, plan.points.size(), t.skipped, std::nullopt, 0.0};
  if (!t.best.empty())
    p.best_score = trading::rank_score(t.best.front().score);
  p.candle_evals_per_s = secs > 0 ? static_cast<double>(t.candle_evals) / secs : 0.0;
  return p;
}

void run_job(caf::event_based_actor* self, optimize_job& job) {
  const auto manager = job.manager;
  auto fail = [&](const ct::error& e) {
    self->send(manager,
               msg::optimize_failed{job.id, e.message, e.code, e.field.empty() ? "data" : e.field});
  };
  file_policy policy;
  policy.dirs = job.data_dirs;
  policy.cancel = job.cancel.get();
  auto series =
      load_candle_series(job.files, job.market.get(), job.plan.base.strategy.symbols, policy);
  if (!series.ok())
    return fail(series.err());
  const auto& data = series.value();
  if (auto fit = fit_to_data(job.plan, data, job.request.folds); !fit.ok())
    return fail(fit.err());
  if (auto runs = check_some_trial_runs(job.plan, job.cancel.get()); !runs.ok())
    return fail(runs.err());
  std::uint64_t candles = 0;
  std::vector<std::string> symbols;
  for (const auto& s : data) {
    candles += s.candles.size();
    symbols.push_back(s.symbol);
  }
  const auto& plan = job.plan;
  self->send(manager, msg::optimize_loaded{job.id, plan.points.size(), candles,
                                           plan.base.strategy.name, symbols});
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  search_pool pool{plan, data, job.jobs, true, nullptr};
  bool cancelled = false;
  while (!pool.wait_for(std::chrono::milliseconds{1000})) {
    if (job.cancel->load()) {
      pool.cancel();
      cancelled = true;
    }
    self->send(manager, progress_of(job.id, plan, pool.tally(), elapsed()));
  }
  cancelled = cancelled || job.cancel->load();
  const double secs = elapsed();
  const auto tally = pool.tally();
  if (auto failed = pool.failure())
    return fail(*failed);
  const search_run_facts facts{job.request.trials, job.request.seed, job.jobs, secs, cancelled};
  const auto report = optimize_report(plan, data, tally, facts);
  const auto p = progress_of(job.id, plan, tally, secs);
  const json summary{{"id", job.id},
                     {"strategy", plan.base.strategy.name},
                     {"objective", trading::to_string(plan.how.goal)},
                     {"trials", tally.done},
                     {"skipped", tally.skipped},
                     {"scored", tally.scored},
                     {"best_score", p.best_score ? json(*p.best_score) : json(nullptr)},
                     {"best", report["best"]},
                     {"candle_evals_per_s", p.candle_evals_per_s},
                     {"elapsed_s", secs}};
  self->send(manager, msg::optimize_done{job.id, cancelled, report.dump(), summary.dump()});
  logger("optimize")
      ->info("Search done id={} trials={} skipped={} elapsed_s={:.3f} cancelled={}", job.id,
             tally.done, tally.skipped, secs, cancelled);
}

}  // namespace

void optimize_worker(caf::event_based_actor* self, optimize_job job) {
  // This thread only waits; the search's own threads run at the lowest priority.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
  try {
    run_job(self, job);
  } catch (const std::exception& e) {  // out of memory, most likely: the search fails, not the bot
    self->send(job.manager,
               msg::optimize_failed{job.id, std::string{"the search failed: "} + e.what(),
                                    errc::internal, ""});
  }
}

}  // namespace ct::actors
