#include "app/main_entry.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/backtest_cli.hpp"
#include "app/binance_setup.hpp"
#include "app/download_cli.hpp"
#include "app/market_loader.hpp"
#include "app/optimize_cli.hpp"
#include "app/options.hpp"
#include "app/service.hpp"
#include "app/version.hpp"
#include "app/worker_cli.hpp"
#include "messages/trading_config.hpp"

extern char** environ;

namespace ct::app {

namespace {

constexpr int exit_usage = 2;    // a bad flag, environment variable or configuration value
constexpr int exit_storage = 3;  // the data directory or its database cannot be used

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv{*e};
    if (kv.rfind("CRYPTO_TRADING_", 0) != 0)
      continue;
    const auto eq = kv.find('=');
    if (eq != std::string::npos)
      env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

void setup_logging(const std::string& level) {
  // Asynchronous: terminal I/O happens on spdlog's thread, never on an actor or reactor thread.
  spdlog::init_thread_pool(8192, 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::async_logger>(
      "crypto-trading", sink, spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

namespace {

/// The download subcommand's options, on `app`.
CLI::App* add_download(CLI::App& app, download_args& d) {
  auto* download = app.add_subcommand("download", "download an exchange's closed candles as CSV");
  download->add_option("--exchange", d.exchange, "binance")->check(CLI::IsMember({"binance"}));
  download->add_option("--rest-url", d.rest_url,
                       "the exchange's REST API (https, or http on loopback)");
  download->add_option("--ca-file", d.ca_file, "a CA certificate to trust besides the system's");
  download->add_option("--symbols", d.symbols, "BTC-USDT,ETH-USDT")->delimiter(',')->required();
  download->add_option("--timeframe", d.timeframe, "1m 3m 5m 15m 30m 1h 4h 1d");
  download->add_option("--from", d.from, "first candle: RFC 3339, YYYY-MM-DD or epoch ms")
      ->required();
  download->add_option("--to", d.to,
                       "end (exclusive; default now): RFC 3339, YYYY-MM-DD or epoch ms");
  download->add_option("--out", d.out, "directory of the CSV files")->required();
  return download;
}

/// What backtest and optimize both read: the candles, and the configuration they start from.
void add_run_inputs(CLI::App* sub, std::vector<std::string>& data,
                    std::optional<std::string>& config_file, std::optional<std::string>& strategy,
                    std::vector<std::string>& sets) {
  sub->add_option("--data", data, "candle file (.csv or .json); repeat for more symbols")
      ->required();
  sub->add_option("--config", config_file, "JSON configuration file");
  sub->add_option("--strategy", strategy,
                  "momentum, sma_crossover, ema_crossover or rsi_reversion");
  sub->add_option("--set", sets, "a setting, key=value (risk.stop_loss_pct=2)");
}

/// The optimize subcommand's options, on `app`.
CLI::App* add_optimize(CLI::App& app, optimize_args& o) {
  auto* opt = app.add_subcommand("optimize", "search strategy and risk settings, walk-forward");
  add_run_inputs(opt, o.data, o.config_file, o.strategy, o.sets);
  opt->add_option("--space", o.search.space,
                  "KEY=LO..HI[:STEP] or KEY=V1,V2,... (strategy.fast_period=5..20); repeatable")
      ->required();
  opt->add_option("--trials", o.search.trials,
                  "the whole grid if it has at most this many points, else this many drawn "
                  "(default 1000)");
  opt->add_option("--objective", o.search.objective,
                  "sharpe (default), sortino, calmar, total_return_pct or profit_factor");
  opt->add_option("--min-trades", o.search.min_trades,
                  "fewer trades than this scores nothing (default 10)");
  opt->add_option("--folds", o.search.folds,
                  "walk-forward folds (default 4): K+1 windows; 1 scores the whole range");
  opt->add_option("--jobs", o.jobs,
                  "threads on this machine (default: every core; 0 with --workers: none)")
      ->check(CLI::Range(0, 1024));
  opt->add_option("--top", o.search.top, "trials in the report (default 10)");
  opt->add_option("--seed", o.search.seed, "of the drawn trials (default 1)");
  opt->add_option("--workers", o.workers.where,
                  "HOST:PORT,... of `crypto-trading worker`s to spread the trials over")
      ->delimiter(',');
  opt->add_option("--worker-token", o.workers.token,
                  "the workers' token (or CRYPTO_TRADING_WORKER_TOKEN)");
  opt->add_option("--worker-ca", o.workers.ca_file,
                  "TLS to the workers (needed beyond loopback): the CA that signed theirs");
  opt->add_option("--worker-cert", o.workers.cert_file, "this side's PEM certificate, for TLS");
  opt->add_option("--worker-key", o.workers.key_file, "this side's PEM private key, for TLS");
  opt->add_option("--report", o.report, "where to write the JSON report")->required();
  return opt;
}

/// The worker subcommand's options, on `app`.
CLI::App* add_worker(CLI::App& app, worker_args& w) {
  auto* sub = app.add_subcommand("worker", "serve a strategy search's trials to coordinators");
  sub->add_option("--listen", w.listen,
                  "HOST:PORT (default 127.0.0.1:9013; beyond loopback: --token and TLS)");
  sub->add_option("--token", w.token, "the coordinators' token (or CRYPTO_TRADING_WORKER_TOKEN)");
  sub->add_option("--jobs", w.jobs, "threads (default: every core)")->check(CLI::Range(1, 1024));
  sub->add_option("--tls-cert", w.tls_cert, "PEM certificate: TLS on the listening port");
  sub->add_option("--tls-key", w.tls_key, "PEM private key of --tls-cert");
  sub->add_option("--tls-ca", w.tls_ca, "PEM CA that signed the coordinators' certificates");
  return sub;
}

/// The service's options and the backtest subcommand's, on `app`.
CLI::App* add_options(CLI::App& app, cli_args& args, backtest_args& bt) {
  app.add_option("--port", args.port, "TCP port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--bind", args.bind, "address to listen on (loopback unless a token is set)");
  app.add_option("--config", args.config_file, "JSON configuration file")->check(CLI::ExistingFile);
  app.add_option("--data-dir", args.data_dir, "directory for the service's data");
  app.add_option("--log-level", args.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--set", args.sets,
                 "a setting, key=value, repeatable (http.allowed_origins='[\"http://x:9000\"]')");
  app.set_version_flag("--version", std::string{"crypto-trading "} + version);
  auto* backtest = app.add_subcommand("backtest", "backtest a strategy on candle files");
  add_run_inputs(backtest, bt.data, bt.config_file, bt.strategy, bt.sets);
  backtest->add_option("--from", bt.from, "first candle: RFC 3339, YYYY-MM-DD or epoch ms");
  backtest->add_option("--to", bt.to, "end (exclusive): RFC 3339, YYYY-MM-DD or epoch ms");
  backtest->add_option("--report", bt.report, "where to write the JSON report")->required();
  app.footer(
      "Environment: CRYPTO_TRADING_PORT, CRYPTO_TRADING_BIND, CRYPTO_TRADING_API_TOKEN.\n"
      "Precedence: flags > environment > configuration file > defaults.\n"
      "Without options it serves 127.0.0.1:9012, paper trading on a simulated exchange that "
      "replays real candles.");
  return backtest;
}

/// The configuration file's text, if one was named; nothing (and a message) when unreadable.
bool read_config_file(const cli_args& args, std::optional<config_file>& file) {
  if (!args.config_file)
    return true;
  std::ifstream in{*args.config_file, std::ios::binary};
  if (!in) {
    std::fprintf(stderr, "crypto-trading: cannot read %s\n", args.config_file->c_str());
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  file = config_file{*args.config_file, ss.str()};
  return true;
}

}  // namespace

int main_entry(int argc, char** argv) {
  prepare_signals();
  CLI::App app{"crypto-trading: a crypto day-trading bot with a REST API", "crypto-trading"};
  cli_args args;
  backtest_args bt;
  auto* backtest = add_options(app, args, bt);
  download_args dl;
  auto* download = add_download(app, dl);
  optimize_args op;
  auto* optimize = add_optimize(app, op);
  worker_args wk;
  auto* worker = add_worker(app, wk);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  if (*backtest)
    return run_backtest_command(bt);
  if (*download)
    return run_download_command(dl);
  if (*optimize)
    return run_optimize_command(op);
  if (*worker) {
    setup_logging("info");
    return run_worker_command(wk);
  }

  std::optional<config_file> file;
  if (!read_config_file(args, file))
    return exit_usage;
  const auto env = environment();
  auto cfg = assemble_config(file, env, args);
  if (!cfg.ok()) {
    std::fprintf(stderr, "crypto-trading: %s\n", cfg.err().message.c_str());
    return exit_usage;
  }
  if (auto exposed = check_exposure(cfg.value()); !exposed.ok()) {
    std::fprintf(stderr, "crypto-trading: %s\n", exposed.err().message.c_str());
    return exit_usage;
  }
  auto market = load_market(cfg.value().exchange.candle_files);
  if (!market.ok()) {
    std::fprintf(stderr, "crypto-trading: %s\n", market.err().message.c_str());
    return exit_usage;
  }
  setup_logging(cfg.value().log_level);
  auto running = cfg.value();
  const bool on_binance = running.exchange.name == "binance";
  auto stored = open_store(running, on_binance ? nullptr : market.value().get());
  if (!stored.ok()) {
    spdlog::shutdown();
    std::fprintf(stderr, "crypto-trading: %s\n", stored.err().message.c_str());
    return exit_storage;
  }
  // The account's key and secret: from the environment only, held in memory, never shown
  // (the configuration says "***"), and gone from the environment from here on.
  msg::exchange_credentials credentials;
  if (auto k = env.find("CRYPTO_TRADING_EXCHANGE_KEY"); k != env.end())
    credentials.key = k->second;
  if (auto s = env.find("CRYPTO_TRADING_EXCHANGE_SECRET"); s != env.end())
    credentials.secret = s->second;
  ::unsetenv("CRYPTO_TRADING_EXCHANGE_KEY");
  ::unsetenv("CRYPTO_TRADING_EXCHANGE_SECRET");
  running.exchange.credentials = credentials.key.empty() ? "" : "***";
  std::shared_ptr<const msg::binance_market> binance;
  if (on_binance) {
    auto connected = connect_binance(running, credentials);
    if (!connected.ok()) {
      spdlog::shutdown();
      const auto& e = connected.err();
      std::fprintf(stderr, "crypto-trading: %s%s%s\n", e.field.c_str(), e.field.empty() ? "" : ": ",
                   e.message.c_str());
      return exit_usage;
    }
    binance = connected.value();
  }
  const int status =
      run_service(running, stored.value(), market.value(), binance, std::move(credentials));
  spdlog::shutdown();
  return status;
}

}  // namespace ct::app
