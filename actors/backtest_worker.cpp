#include "actors/backtest_worker.hpp"

#include <stdexcept>

#include <caf/send.hpp>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actors/log.hpp"
#include "messages/backtest_json.hpp"

namespace ct::actors {

result<std::vector<trading::candle_series>> load_candle_series(
    const std::vector<std::string>& files, const trading::market_data* market,
    const std::vector<std::string>& symbols, const file_policy& policy) {
  std::vector<trading::candle_series> all;
  for (const auto& path : files) {
    // Where it is, then how it is named, before anything is read: the API reads files by path.
    if (auto outside = check_candle_place(path, policy))
      return *outside;
    if (auto bad = trading::check_candle_file_name(path))
      return make_error(errc::invalid_value, bad->message, "data");
    auto text = read_candle_text(path, policy);
    if (!text.ok())
      return text.err();
    auto s = trading::parse_candle_file(text.value(), path);
    if (!s.ok())
      return make_error(errc::invalid_value, s.err().message, "data");
    for (const auto& other : all)
      if (other.symbol == s.value().symbol)
        return make_error(errc::invalid_value,
                          path + ": symbol " + other.symbol + " is in two files", "data");
    all.push_back(std::move(s.value()));
  }
  if (files.empty() && market != nullptr)
    for (std::size_t i = 0; i < market->size(); ++i)
      all.push_back(market->series(i));
  return trading::select_series(std::move(all), symbols);
}

namespace {

/// Loads and runs one backtest, reporting each step to the backtests actor.
void run_job(caf::event_based_actor* self, const backtest_job& job) {
  const auto manager = job.manager;
  auto fail = [&](const ct::error& e) {
    self->send(manager,
               msg::backtest_failed{job.id, e.message, e.code, e.field.empty() ? "data" : e.field});
  };
  file_policy policy;
  policy.dirs = job.data_dirs;
  policy.cancel = job.cancel.get();
  auto series = load_candle_series(job.files, job.market.get(), job.symbols, policy);
  if (!series.ok())
    return fail(series.err());
  // Everything the run would refuse is refused now, while the request still waits (422).
  if (auto bad = trading::check_backtest(series.value(), job.settings))
    return fail(*bad);
  const std::uint64_t candles = trading::candles_to_backtest(series.value(), job.settings);
  if (candles == 0)
    return fail({errc::invalid_value, "no candles in the chosen time range", "from"});
  std::vector<std::string> symbols;
  for (const auto& s : series.value())
    symbols.push_back(s.symbol);
  self->send(manager, msg::backtest_loaded{job.id, candles, job.settings.strategy.name, symbols});
  auto settings = job.settings;
  settings.cancel = job.cancel.get();
  settings.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (job.fail_at_progress)
      throw std::runtime_error("fault injected at the first progress report");
    caf::anon_send(manager, msg::backtest_progress{job.id, done, total});
  };
  auto r = trading::run_backtest(series.value(), settings);
  if (!r.ok())
    return fail(r.err());
  const auto& res = r.value();
  // Its candles, for the run's chart: the backtests actor keeps the last runs'.
  self->send(
      manager,
      msg::backtest_chart{
          job.id, std::make_shared<const msg::backtest_chart_data>(msg::backtest_chart_data{
                      std::move(series.value()), settings.strategy, settings.warmup_candles})});
  const nlohmann::json summary{{"id", job.id},
                               {"strategy", settings.strategy.name},
                               {"candles", res.candles},
                               {"trades", res.trades.size()},
                               {"total_return_pct", res.metrics.total_return_pct},
                               {"max_drawdown_pct", res.metrics.max_drawdown_pct},
                               {"elapsed_s", res.elapsed_s}};
  self->send(manager, msg::backtest_done{job.id, res.cancelled,
                                         msg::report_json(res, settings).dump(), summary.dump()});
  logger("backtests")
      ->info("Backtest done id={} candles={} trades={} elapsed_s={:.3f} cancelled={}", job.id,
             res.candles, res.trades.size(), res.elapsed_s, res.cancelled);
}

}  // namespace

void backtest_worker(caf::event_based_actor* self, backtest_job job) {
  // The live bot comes first: this thread yields the CPU to the actors and the HTTP server.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
  try {
    run_job(self, job);
  } catch (const std::exception& e) {  // out of memory, most likely: the run fails, not the bot
    self->send(job.manager,
               msg::backtest_failed{job.id, std::string{"the backtest failed: "} + e.what(),
                                    errc::internal, ""});
  }
}

}  // namespace ct::actors
