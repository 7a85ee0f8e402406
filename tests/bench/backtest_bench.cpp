// deploy/bench backtest: the default strategy (the configuration's defaults) over the bundled
// candles, replayed end to end until at least --candles candles, against a bare pass over the
// same in-memory candles that reads every field and accumulates it. Prints one line per part.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <malloc.h>
#include <sys/resource.h>

#include "messages/config.hpp"
#include "messages/trading_config.hpp"
#include "trading/backtest.hpp"

namespace {

using namespace ct;

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// Sums every field of every candle, `loops` times; returns the sum so nothing is skipped.
std::int64_t bare_pass(const std::vector<trading::candle_series>& data, std::uint64_t loops) {
  std::int64_t acc = 0;
  for (std::uint64_t l = 0; l < loops; ++l)
    for (const auto& s : data)
      for (const auto& c : s.candles)
        acc += c.open_time_ms + c.open.units() + c.high.units() + c.low.units() + c.close.units() +
               c.volume.units();
  return acc;
}

/// What the report needs of a run once the run is freed.
struct run_summary {
  std::uint64_t candles = 0;
  std::size_t trades = 0;
  double curve_bytes = 0;
  double trades_bytes = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"backtest throughput against a bare pass over the same candles"};
  std::vector<std::string> files;
  std::uint64_t want = 10'000'000;
  app.add_option("--data", files, "candle files")->required();
  int repeat = 5;
  app.add_option("--candles", want, "at least this many candles");
  app.add_option("--repeat", repeat, "timed runs of each side; the best counts")
      ->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  // A fixed threshold: every run's large blocks (curve, trades) are fresh mappings, as in a
  // process that runs one backtest, instead of heap that an earlier run already touched.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);

  std::vector<trading::candle_series> data;
  std::uint64_t per_loop = 0;
  for (const auto& f : files) {
    std::ifstream in{f, std::ios::binary};
    std::stringstream ss;
    ss << in.rdbuf();
    auto s = trading::parse_candle_file(ss.str(), f);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.err().message.c_str());
      return 2;
    }
    per_loop += s.value().candles.size();
    data.push_back(std::move(s.value()));
  }
  const std::uint64_t loops = (want + per_loop - 1) / per_loop;
  const double loaded_mb = peak_rss_mb();

  auto settings = msg::backtest_settings_of(msg::config{});
  // The default strategy and rules, with cash that lasts: the defaults lose most of one BTC on
  // the first pass, and a bot that cannot afford a stake would not be trading at all.
  settings.starting_cash = trading::money::from_double(1e6);
  if (const char* m = std::getenv("XMAXPOS"))
    settings.rules.max_positions = std::stoul(m);
  // A tenth of the run first: memory should grow with the equity curve and trades, not candles.
  settings.loops = std::max<std::uint64_t>(1, loops / 10);
  if (!trading::run_backtest(data, settings).ok()) {
    std::fprintf(stderr, "backtest failed\n");
    return 1;
  }
  const double small_mb = peak_rss_mb();

  // Each side runs `repeat` times and keeps its best time: the machine's speed wanders (a
  // shared virtual machine), and the best run is the one it disturbed least. The two sides take
  // turns, so that a slow spell falls on both. Every run's rate is printed as well.
  settings.loops = loops;
  double elapsed = 0;
  double bare_elapsed = 0;
  std::string runs;
  run_summary res;
  for (int k = 0; k < repeat; ++k) {
    {
      const auto started = std::chrono::steady_clock::now();
      const auto r = trading::run_backtest(data, settings);
      const double e = seconds_since(started);
      if (!r.ok()) {
        std::fprintf(stderr, "backtest failed\n");
        return 1;
      }
      const auto& v = r.value();
      runs += (runs.empty() ? "" : ",") +
              std::to_string(static_cast<long long>(static_cast<double>(v.candles) / e));
      if (k == 0 || e < elapsed)
        elapsed = e;
      res = {v.candles, v.trades.size(),
             static_cast<double>(v.equity_curve.capacity() * sizeof(trading::equity_point)),
             static_cast<double>(v.trades.capacity() * sizeof(trading::trade))};
    }  // each result is freed before the next run: peak memory is one run's
    const auto bare_started = std::chrono::steady_clock::now();
    volatile std::int64_t sink = bare_pass(data, loops);
    (void)sink;
    const double e = seconds_since(bare_started);
    bare_elapsed = k == 0 ? e : std::min(bare_elapsed, e);
  }
  const double rss = peak_rss_mb();

  const double candles = static_cast<double>(res.candles);
  const double curve_mb = res.curve_bytes / 1048576.0;
  const double trades_mb = res.trades_bytes / 1048576.0;
  std::printf(
      "run strategy=%s symbols=%zu loops=%llu candles=%.0f trades=%zu elapsed_s=%.3f "
      "candles_per_s=%.0f runs_candles_per_s=%s\n",
      settings.strategy.name.c_str(), data.size(), static_cast<unsigned long long>(loops), candles,
      res.trades, elapsed, candles / elapsed, runs.c_str());
  std::printf("bare candles=%.0f elapsed_s=%.3f candles_per_s=%.0f\n", candles, bare_elapsed,
              candles / bare_elapsed);
  std::printf(
      "memory loaded_mb=%.1f after_tenth_run_mb=%.1f peak_rss_mb=%.1f curve_mb=%.1f "
      "trades_mb=%.1f candles_in_memory_mb=%.1f\n",
      loaded_mb, small_mb, rss, curve_mb, trades_mb,
      static_cast<double>(per_loop * sizeof(trading::candle)) / 1048576.0);
  return 0;
}
