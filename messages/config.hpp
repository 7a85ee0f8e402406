// The service's configuration: one plain struct, its JSON form (the shape of GET /api/config and
// of the configuration file), validation that names the offending key, and the RFC 7396 merge
// patch used by the file, the environment, the flags and POST /api/config alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "messages/kinds.hpp"
#include "trading/result.hpp"

namespace ct::msg {

struct exchange_config {
  std::string name = "simulated";  // start-up only: simulated or binance
  // Binance (start-up only): its REST and stream addresses, the candles' timeframe, and a CA to
  // trust besides the system's (tests, a private gateway).
  std::string rest_url = "https://api.binance.com";
  std::string ws_url = "wss://stream.binance.com:9443";
  std::string timeframe = "5m";
  std::string ca_file;  // empty: the system's CAs only
  /// "***" when the account's key and secret came from the environment at start (they are
  /// never in the configuration, stored or shown), else empty.
  std::string credentials;
  std::vector<std::string> candle_files;  // start-up only; empty: the bundled candles
  double speed = 60;                      // market seconds per wall second
  std::int64_t latency_ms = 0;            // simulated delay of every exchange call
  double failure_rate = 0;                // probability that a call fails
  bool outage = false;                    // every call fails
  double spread_pct = 0.05;               // bid-ask spread around the traded price
  std::int64_t timeout_ms = 5000;         // how long a caller waits for the exchange
  std::int64_t seed = 42;                 // of the simulated failures
};

struct strategy_config {
  std::string name = "momentum";        // momentum, sma_crossover, ema_crossover, rsi_reversion
  std::int64_t momentum_lookback = 10;  // candles
  double momentum_threshold_pct = 0.6;
  std::int64_t fast_period = 9;  // the crossovers' averages, in candles
  std::int64_t slow_period = 21;
  std::int64_t rsi_period = 14;  // rsi_reversion
  double rsi_buy_below = 30;
  double rsi_sell_above = 70;
  /// Candles before the first traded one that the strategy sees first (the live bot's start, a
  /// backtest's --from), so that it can signal at once.
  std::int64_t warmup_candles = 100;
  std::vector<std::string> symbols;  // the symbols traded; empty: all
};

struct risk_config {
  double take_profit_pct = 1.5;     // 0: no target
  double stop_loss_pct = 1.0;       // 0: no stop
  double trailing_stop_pct = 0;     // 0: none; else below the high since entry
  std::int64_t time_limit_min = 0;  // 0: none; else positions close at this age
  std::int64_t cooldown_min = 0;    // no re-entry on a symbol this long after an exit
  double max_drawdown_pct = 0;      // 0: none; else new entries halt past this drawdown
};

struct paper_config {
  double fee_pct = 0.1;
  double slippage_pct = 0.05;
};

struct scanner_config {
  std::int64_t backoff_initial_ms = 500;
  std::int64_t backoff_max_ms = 30'000;
};

struct supervisor_config {
  std::int64_t restart_limit = 5;  // restarts within the window before giving up
  std::int64_t restart_window_s = 60;
  std::int64_t backoff_initial_ms = 100;
  std::int64_t backoff_max_ms = 10'000;
  std::int64_t heartbeat_ms = 500;  // how often each actor is pinged
};

struct stream_config {
  std::int64_t status_interval_ms = 1000;  // status and positions pushed as marks move
  std::int64_t book_interval_ms = 250;     // order-book updates
  std::int64_t book_depth = 10;            // levels a side
  std::int64_t max_pending_kib = 1024;     // a client further behind is closed (1008)
  std::int64_t ping_interval_ms = 20'000;  // every client is pinged; its pong is its sign of life
  std::int64_t max_clients = 5000;         // connections beyond it are refused (503)
};

struct http_config {
  std::int64_t threads = 2;                // start-up only: Pistache reactor threads
  std::int64_t request_timeout_ms = 2000;  // longest wait for an actor's answer
  /// Start-up only: origins (scheme://host[:port]) besides the service's own whose pages may
  /// drive it; for same-origin proxies such as the gateway. There is no CORS.
  std::vector<std::string> allowed_origins;
  /// Start-up only: Host names besides loopback and the bound address that it answers to.
  std::vector<std::string> allowed_hosts;
  std::int64_t max_connections = 20'000;         // start-up only: open connections at most
  std::int64_t max_connections_per_address = 0;  // start-up only: from one address; 0: off
  std::int64_t send_timeout_ms =
      60'000;  // start-up only: a client that reads nothing this long goes
};

struct backtest_config {
  /// Start-up only: the directories POST /api/backtest reads candle files from; empty: the
  /// data directory's candles/.
  std::vector<std::string> data_dirs;
};

struct optimize_config {
  /// Threads of a search started by POST /api/optimize, at the lowest priority.
  std::int64_t api_jobs = 1;
};

struct debug_config {
  /// Start-up only: POST /api/debug/crash and /api/debug/hang answer (for soak tests and
  /// operators' drills); off, they are 404.
  bool fault_injection = false;
};

struct config {
  trading_mode mode = trading_mode::paper;  // start-up only
  std::int64_t port = 9012;                 // start-up only
  std::string bind = "127.0.0.1";           // start-up only
  std::string data_dir = "./data";          // start-up only
  std::string api_token;                    // start-up only; a secret; empty: none (null in JSON)
  bool autostart = true;
  std::string log_level = "info";
  std::int64_t scan_interval_ms = 5000;
  std::int64_t max_positions = 5;
  double stake_amount = 0.1;                  // quote currency per position
  double starting_cash = 1.0;                 // start-up only: the paper account's cash
  std::int64_t actor_threads = 1;             // start-up only: CAF scheduler threads
  std::int64_t shutdown_timeout_ms = 10'000;  // SIGTERM to exit, whatever is stuck
  exchange_config exchange;
  strategy_config strategy;
  risk_config risk;
  paper_config paper;
  scanner_config scanner;
  supervisor_config supervisor;
  stream_config stream;
  http_config http;
  backtest_config backtest;
  optimize_config optimize;
  debug_config debug;
};

/// The whole configuration as JSON; with `mask_secrets`, api_token reads "***" (or null).
nlohmann::json to_json(const config& c, bool mask_secrets);

/// Reads and validates a complete configuration object; a missing key takes its default.
/// Errors: unknown_key or invalid_value, with `field` the dotted path ("exchange.speed").
result<config> config_from_json(const nlohmann::json& j);

/// Checks that every key of `patch` names a setting (nested objects recursively), so that a
/// typo is an error even when its value is null.
result<void> check_patch_keys(const nlohmann::json& patch);

/// Applies an RFC 7396 merge patch to `running`: null resets a key to its default, nested
/// objects merge. "***" for api_token means "unchanged". Validates the whole result.
result<config> merge_patch(const config& running, const nlohmann::json& patch);

/// The first start-up-only key whose value differs, as a dotted path; empty if none.
std::optional<std::string> startup_only_change(const config& running, const config& next);

/// The patch to keep for the next start: `patch` laid over the `stored` one (a null in it stays
/// null: it resets that key to its default), without the start-up-only keys.
nlohmann::json combine_patches(nlohmann::json stored, const nlohmann::json& patch);

/// Applies merge patches in order, each checked for unknown keys and validated; an error's
/// message starts with the patch's source ("--set risk.stop_loss_pct=-1: …").
result<config> apply_patches(config c,
                             const std::vector<std::pair<std::string, nlohmann::json>>& patches);

/// The merge patch that sets one dotted key: ("risk.stop_loss_pct", 2) is
/// {"risk":{"stop_loss_pct":2}}.
nlohmann::json dotted_patch(const std::string& key, nlohmann::json value);

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& address);

}  // namespace ct::msg
