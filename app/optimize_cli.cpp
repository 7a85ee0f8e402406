#include "app/optimize_cli.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include "actors/backtest_worker.hpp"
#include "actors/search_report.hpp"
#include "app/backtest_cli.hpp"
#include "messages/trading_config.hpp"
#include "trading/symbol.hpp"

namespace ct::app {

namespace {

constexpr int exit_usage = 2;
constexpr int exit_interrupted = 130;

/// The signal the last search thread sends the waiting one (blocked everywhere, taken by
/// sigtimedwait), so that the end is seen at once rather than at the next progress tick.
constexpr int done_signal = SIGUSR2;

bool write_report(const std::string& path, const nlohmann::json& report) {
  // Written beside the report and renamed over it: a failed run leaves no half report.
  const std::string partial = path + ".partial";
  std::ofstream out{partial, std::ios::binary | std::ios::trunc};
  if (out)
    out << report.dump(2) << '\n';
  out.close();
  if (!out || std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    return false;
  }
  return true;
}

void print_progress(const actors::search_plan& plan, const actors::search_tally& t, double secs) {
  std::string best = "none yet";
  if (!t.best.empty())
    if (auto s = trading::rank_score(t.best.front().score)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.4f", *s);
      best = buf;
    }
  std::fprintf(stderr,
               "\r\033[Koptimize %llu/%zu trials, %llu skipped, %.1fM candle evals/s, best %s "
               "%s %s, %.0f s",
               static_cast<unsigned long long>(t.done), plan.points.size(),
               static_cast<unsigned long long>(t.skipped),
               secs > 0 ? static_cast<double>(t.candle_evals) / secs / 1e6 : 0.0,
               plan.windows.size() > 1 ? "out-of-sample" : "in-sample",
               trading::to_string(plan.how.goal), best.c_str(), secs);
  std::fflush(stderr);
}

/// The process's peak resident memory so far.
double peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

/// The workers connected, each with the candle files and the search set up.
result<std::unique_ptr<remote_workers>> open_workers(
    const optimize_args& a, const actors::search_plan& plan,
    const std::vector<trading::candle_series>& data) {
  auto w = a.workers;
  if (w.token.empty())
    if (const char* t = std::getenv("CRYPTO_TRADING_WORKER_TOKEN"))
      w.token = t;
  ::unsetenv("CRYPTO_TRADING_WORKER_TOKEN");
  // The files of the symbols searched, in the order of `data` (the workers' must be the same).
  std::vector<candle_file_text> files;
  for (const auto& series : data)
    for (const auto& path : a.data) {
      const auto name = path.substr(path.rfind('/') + 1);
      if (trading::symbol_from_file_name(name) != series.symbol)
        continue;
      std::ifstream in{path, std::ios::binary};
      std::stringstream text;
      text << in.rdbuf();
      files.push_back({name, text.str()});
      break;
    }
  auto config = msg::to_json(plan.base, true);
  config.erase("api_token");  // nothing secret travels, and the workers need none of it
  config["exchange"].erase("credentials");
  msg::search_setup setup;
  setup.config_json = config.dump();
  setup.space = a.search.space;
  setup.trials = a.search.trials;
  setup.objective = a.search.objective;
  setup.min_trades = a.search.min_trades;
  setup.folds = a.search.folds;
  setup.top = a.search.top;
  setup.seed = a.search.seed;
  auto remote = std::make_unique<remote_workers>();
  if (auto r = remote->open(w, std::move(setup), files, plan.points.size()); !r.ok())
    return r.err();
  return remote;
}

}  // namespace

int run_optimize_command(const optimize_args& a) {
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "crypto-trading optimize: %s\n", why.c_str());
    return exit_usage;
  };
  auto cfg = plan_config(a.config_file, a.strategy, a.sets);
  if (!cfg.ok())
    return fail(cfg.err().message);
  auto planned = actors::make_search_plan(std::move(cfg.value()), a.search);
  if (!planned.ok())
    return fail(planned.err().message);
  auto& plan = planned.value();
  if (a.data.empty())
    return fail("--data: give at least one candle file");
  auto series = actors::load_candle_series(a.data, nullptr, plan.base.strategy.symbols);
  if (!series.ok())
    return fail(series.err().message);
  const auto& data = series.value();
  if (auto fit = actors::fit_to_data(plan, data, a.search.folds); !fit.ok())
    return fail(fit.err().message);
  if (auto runs = actors::check_some_trial_runs(plan, nullptr); !runs.ok())
    return fail(runs.err().message);
  {  // the report's place is checked before the work, not after
    const std::string partial = a.report + ".partial";
    const bool writable = std::ofstream{partial, std::ios::binary | std::ios::trunc}.good();
    std::remove(partial.c_str());
    if (!writable)
      return fail(a.report + ": cannot write the report there");
  }
  if (a.jobs && *a.jobs == 0 && a.workers.where.empty())
    return fail("--jobs 0 runs nothing here: give --workers too");
  const std::size_t jobs =
      a.jobs ? *a.jobs : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  std::unique_ptr<remote_workers> remote;
  std::vector<actors::remote_runner> runners;
  if (!a.workers.where.empty()) {
    auto opened = open_workers(a, plan, data);
    if (!opened.ok())
      return fail(opened.err().message);
    remote = std::move(opened.value());
    runners = remote->runners();
  }

  sigset_t waited;
  sigemptyset(&waited);
  sigaddset(&waited, SIGINT);
  sigaddset(&waited, SIGTERM);
  sigaddset(&waited, done_signal);
  pthread_sigmask(SIG_BLOCK, &waited, nullptr);  // the threads below inherit the mask
  const pthread_t waiter = pthread_self();
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  bool interrupted = false;
  actors::search_pool pool{
      plan, data, jobs, false, [waiter] { pthread_kill(waiter, done_signal); }, std::move(runners)};
  while (!pool.finished()) {
    const timespec tick{0, 250'000'000};
    const int sig = sigtimedwait(&waited, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      interrupted = true;
      pool.cancel();
    }
    if (terminal)
      print_progress(plan, pool.tally(), elapsed());
  }
  pool.wait();
  const double secs = elapsed();
  const auto tally = pool.tally();
  if (terminal)
    std::fprintf(stderr, "\n");
  if (auto failed = pool.failure())
    return fail(failed->message);
  const actors::search_run_facts facts{a.search.trials, a.search.seed, jobs, secs, interrupted};
  const auto report = actors::optimize_report(plan, data, tally, facts);
  if (!write_report(a.report, report))
    return fail(a.report + ": writing the report failed");
  const auto& best = report["top"];
  const auto best_score = best.empty()              ? nlohmann::json(nullptr)
                          : plan.windows.size() > 1 ? best[0]["out_of_sample"]["score"]
                                                    : best[0]["in_sample"]["score"];
  std::printf(
      "optimize strategy=%s objective=%s trials=%llu skipped=%llu scored=%llu folds=%zu "
      "jobs=%zu candle_evals=%llu elapsed_s=%.3f candle_evals_per_s=%.0f trials_per_s=%.1f "
      "best_score=%s peak_rss_mb=%.1f%s report=%s\n",
      plan.base.strategy.name.c_str(), trading::to_string(plan.how.goal),
      static_cast<unsigned long long>(tally.done), static_cast<unsigned long long>(tally.skipped),
      static_cast<unsigned long long>(tally.scored),
      plan.windows.size() > 1 ? plan.windows.size() - 1 : 1, jobs,
      static_cast<unsigned long long>(tally.candle_evals), secs,
      report["candle_evals_per_s"].get<double>(), report["trials_per_s"].get<double>(),
      best_score.dump().c_str(), peak_rss_mb(), interrupted ? " interrupted=true" : "",
      a.report.c_str());
  return interrupted ? exit_interrupted : 0;
}

}  // namespace ct::app
