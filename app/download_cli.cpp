#include "app/download_cli.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <pthread.h>
#include <unistd.h>

#include "app/backtest_cli.hpp"
#include "exchange/binance.hpp"
#include "exchange/paced_rest.hpp"
#include "exchange/rest_client.hpp"
#include "trading/candles.hpp"
#include "trading/time.hpp"

namespace ct::app {

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::system_clock;

constexpr int klines_weight = 2;  // Binance's weight of GET /api/v3/klines

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) {
  interrupted.store(true);
}

/// Sleeps until `t`, waking every 50 ms to see whether Ctrl-C came.
bool sleep_until(clock_type::time_point t) {
  while (!interrupted.load() && clock_type::now() < t)
    std::this_thread::sleep_for(
        std::min<clock_type::duration>(t - clock_type::now(), std::chrono::milliseconds{50}));
  return !interrupted.load();
}

std::string at(std::int64_t ms) {
  return trading::format_rfc3339(trading::from_unix_ms(ms));
}

struct symbol_job {
  std::string symbol;   // BTC-USDT
  std::string binance;  // BTCUSDT
  fs::path file;
};

/// The last candle's open in an earlier run's file (none: a new file); the file must be a
/// candle file of this timeframe.
result<std::optional<std::int64_t>> last_in(const fs::path& file, std::int64_t step) {
  std::error_code ec;
  if (!fs::exists(file, ec))
    return std::optional<std::int64_t>{};
  std::ifstream in{file, std::ios::binary};
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof())
    return make_error(errc::invalid_value, "cannot read " + file.string());
  // A run may have written the header alone, or one candle, which the candle parser (two at
  // least, to know the step) refuses: those are read here.
  const auto all = text.str();
  const auto data_lines = std::count(all.begin(), all.end(), '\n') - 1;
  if (all.rfind("timestamp_ms,", 0) == 0 && data_lines <= 1) {
    const auto first = all.find('\n') + 1;
    if (data_lines <= 0 || first >= all.size())
      return std::optional<std::int64_t>{};
    const auto comma = all.find(',', first);
    std::int64_t open = 0;
    const auto digits = all.substr(first, comma == std::string::npos ? 0 : comma - first);
    if (digits.empty() || digits.size() > 15 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return make_error(errc::invalid_value,
                        file.string() + ":2: not a candle (move it away to start anew)");
    open = std::stoll(digits);
    return std::optional<std::int64_t>{open};
  }
  auto series = trading::parse_candles_csv(all, file.string());
  if (!series.ok())
    return make_error(errc::invalid_value, series.err().message + " (move it away to start anew)");
  if (series.value().candles.empty())
    return std::optional<std::int64_t>{};
  if (series.value().candles.size() > 1 && series.value().step_ms != step)
    return make_error(errc::invalid_value, file.string() + " holds another timeframe");
  return std::optional<std::int64_t>{series.value().candles.back().open_time_ms};
}

struct totals {
  std::uint64_t candles = 0;
  std::uint64_t gaps = 0;
  std::uint64_t missing = 0;
};

result<totals> download_symbol(exchange::paced_rest& p, const symbol_job& job,
                               const std::string& timeframe, std::int64_t step, std::int64_t from,
                               std::int64_t end) {
  auto last = last_in(job.file, step);
  if (!last.ok())
    return last.err();
  const bool fresh = !last.value();
  if (fresh) {
    std::ofstream header{job.file, std::ios::binary | std::ios::trunc};
    header << "timestamp_ms,open,high,low,close,volume\n";
    if (!header)
      return make_error(errc::invalid_value, "cannot write " + job.file.string());
  }
  const std::int64_t first = (from + step - 1) / step * step;  // the first open at or after from
  std::int64_t cursor = last.value() ? std::max(first, *last.value() + step) : first;
  std::optional<std::int64_t> prev = last.value();
  totals t;
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const auto span = std::max<std::int64_t>(end - cursor, 1);
  const auto begin = cursor;
  while (cursor < end) {
    const auto path = "/api/v3/klines?symbol=" + job.binance + "&interval=" + timeframe +
                      "&startTime=" + std::to_string(cursor) +
                      "&endTime=" + std::to_string(end - 1) + "&limit=1000";
    auto r = p.get(path, klines_weight);
    if (!r.ok())
      return r.err();
    if (r.value().status != 200)
      return make_error(
          errc::exchange_unavailable,
          job.symbol + ": " + exchange::describe_error(r.value().status, r.value().body));
    auto ks = exchange::parse_klines(r.value().body);
    if (!ks.ok())
      return make_error(errc::bad_data, job.symbol + ": " + ks.err().message);
    std::string page;
    std::int64_t newest = cursor;
    for (const auto& k : ks.value()) {
      if (k.open_ms < cursor || k.open_ms >= end || k.open_ms % step != 0)
        continue;  // outside what was asked, or off the grid
      // What is written must read back: a value beyond the candle format's range (8 decimals in
      // 64 bits) stops the download rather than leave a file the next run refuses.
      for (const auto* v : {&k.open, &k.high, &k.low, &k.close, &k.volume})
        if (!trading::price::parse(*v))
          return make_error(errc::bad_data, job.symbol +
                                                ": a candle Binance sent cannot be kept: " + *v +
                                                " at " + at(k.open_ms) +
                                                " is beyond the candle format's 8 decimals in 64 "
                                                "bits");
      if (prev && k.open_ms - *prev > step) {
        const auto missing = (k.open_ms - *prev) / step - 1;
        std::fprintf(stderr, "%s%s: gap in Binance's data: %lld candles missing from %s\n",
                     terminal ? "\r" : "", job.symbol.c_str(), static_cast<long long>(missing),
                     at(*prev + step).c_str());
        ++t.gaps;
        t.missing += static_cast<std::uint64_t>(missing);
      }
      page += std::to_string(k.open_ms) + ',' + k.open + ',' + k.high + ',' + k.low + ',' +
              k.close + ',' + k.volume + '\n';
      prev = k.open_ms;
      newest = k.open_ms;
      ++t.candles;
    }
    if (page.empty())
      break;  // nothing more in the range
    std::ofstream out{job.file, std::ios::binary | std::ios::app};
    out << page;  // a whole page at once: an interrupted run leaves whole lines
    out.flush();
    if (!out)
      return make_error(errc::invalid_value, "cannot write " + job.file.string());
    cursor = newest + step;
    if (terminal)
      std::fprintf(
          stderr, "\r%s: %llu candles, %3.0f %%", job.symbol.c_str(),
          static_cast<unsigned long long>(t.candles),
          100.0 * static_cast<double>(std::min(cursor, end) - begin) / static_cast<double>(span));
  }
  if (terminal)
    std::fputc('\n', stderr);
  return t;
}

result<void> run(const download_args& a) {
  if (a.exchange != "binance")
    return make_error(errc::invalid_value, "--exchange " + a.exchange + ": only binance is known",
                      "--exchange");
  auto step = exchange::binance_timeframe_ms(a.timeframe);
  if (!step.ok())
    return make_error(errc::invalid_value, "--timeframe: " + step.err().message, "--timeframe");
  auto from = parse_time_arg(a.from, "--from");
  if (!from.ok())
    return from.err();
  std::int64_t to = trading::to_unix_ms(trading::system_clock{}.now());
  if (!a.to.empty()) {
    auto t = parse_time_arg(a.to, "--to");
    if (!t.ok())
      return t.err();
    to = t.value();
  }
  if (to <= from.value())
    return make_error(errc::invalid_value, "--to must be after --from", "--to");
  if (a.symbols.empty())
    return make_error(errc::invalid_value, "--symbols: name at least one, e.g. BTC-USDT",
                      "--symbols");
  exchange::rest_options options;
  options.base_url = a.rest_url;
  options.ca_file = a.ca_file;
  options.cancel = &interrupted;
  auto client = exchange::rest_client::make(options);
  if (!client.ok())
    return make_error(errc::invalid_value, "--rest-url " + client.err().message, "--rest-url");
  auto& c = *client.value();
  exchange::paced_rest p{c, sleep_until};
  auto info_answer = p.get("/api/v3/exchangeInfo", 20);
  if (!info_answer.ok())
    return info_answer.err();
  if (info_answer.value().status != 200)
    return make_error(
        errc::exchange_unavailable,
        exchange::describe_error(info_answer.value().status, info_answer.value().body));
  auto info = exchange::parse_exchange_info(info_answer.value().body);
  if (!info.ok())
    return info.err();
  p.set_weight_limit(info.value().weight_per_minute);
  auto names = exchange::map_symbols(info.value(), a.symbols);
  if (!names.ok())
    return make_error(errc::unknown_symbol, "--symbols: " + names.err().message, "--symbols");
  auto time_answer = p.get("/api/v3/time", 1);
  if (!time_answer.ok())
    return time_answer.err();
  auto now = exchange::parse_server_time(time_answer.value().body);
  if (!now.ok())
    return now.err();
  // Closed candles only: one opening at t has closed once t + step has passed.
  const auto end = std::min(to, now.value() - step.value() + 1);
  std::error_code ec;
  fs::create_directories(a.out, ec);
  if (ec)
    return make_error(errc::invalid_value, "--out " + a.out + ": " + ec.message(), "--out");
  for (std::size_t i = 0; i < a.symbols.size(); ++i) {
    auto file_symbol = a.symbols[i];
    std::replace(file_symbol.begin(), file_symbol.end(), '-', '_');
    const symbol_job job{a.symbols[i], names.value()[i],
                         fs::path{a.out} / (file_symbol + "-" + a.timeframe + ".csv")};
    auto t = download_symbol(p, job, a.timeframe, step.value(), from.value(), end);
    if (!t.ok())
      return t.err();
    std::fprintf(stderr, "%s: %llu candles appended to %s (%llu gaps, %llu candles missing)\n",
                 job.symbol.c_str(), static_cast<unsigned long long>(t.value().candles),
                 job.file.c_str(), static_cast<unsigned long long>(t.value().gaps),
                 static_cast<unsigned long long>(t.value().missing));
  }
  return {};
}

}  // namespace

int run_download_command(const download_args& a) {
  // The service blocks these for its signal thread; here they stop the download between pages.
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  auto r = run(a);
  if (r.ok())
    return 0;
  std::fprintf(stderr, "crypto-trading download: %s\n", r.err().message.c_str());
  if (r.err().code == errc::shutting_down)
    return 130;
  return r.err().code == errc::exchange_unavailable || r.err().code == errc::bad_data ? 1 : 2;
}

}  // namespace ct::app
