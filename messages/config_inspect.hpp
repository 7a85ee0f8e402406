// inspect() for the configuration, so that it can travel in messages (apply_config).
#pragma once

#include <type_traits>

#include <caf/detail/stringification_inspector.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/config.hpp"
#include "messages/inspect.hpp"

namespace ct::msg {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, exchange_config& x) {
  return f(caf::meta::type_name("exchange_config"), x.name, x.rest_url, x.ws_url, x.timeframe,
           x.ca_file, x.credentials, x.candle_files, x.speed, x.latency_ms, x.failure_rate,
           x.outage, x.spread_pct, x.timeout_ms, x.seed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, strategy_config& x) {
  return f(caf::meta::type_name("strategy_config"), x.name, x.momentum_lookback,
           x.momentum_threshold_pct, x.fast_period, x.slow_period, x.rsi_period, x.rsi_buy_below,
           x.rsi_sell_above, x.warmup_candles, x.symbols);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_config& x) {
  return f(caf::meta::type_name("risk_config"), x.take_profit_pct, x.stop_loss_pct,
           x.trailing_stop_pct, x.time_limit_min, x.cooldown_min, x.max_drawdown_pct);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, paper_config& x) {
  return f(caf::meta::type_name("paper_config"), x.fee_pct, x.slippage_pct);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scanner_config& x) {
  return f(caf::meta::type_name("scanner_config"), x.backoff_initial_ms, x.backoff_max_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervisor_config& x) {
  return f(caf::meta::type_name("supervisor_config"), x.restart_limit, x.restart_window_s,
           x.backoff_initial_ms, x.backoff_max_ms, x.heartbeat_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stream_config& x) {
  return f(caf::meta::type_name("stream_config"), x.status_interval_ms, x.book_interval_ms,
           x.book_depth, x.max_pending_kib, x.ping_interval_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_config& x) {
  return f(caf::meta::type_name("http_config"), x.threads, x.request_timeout_ms, x.allowed_origins,
           x.allowed_hosts, x.max_connections, x.max_connections_per_address, x.send_timeout_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_config& x) {
  return f(caf::meta::type_name("backtest_config"), x.data_dirs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, debug_config& x) {
  return f(caf::meta::type_name("debug_config"), x.fault_injection);
}

/// The API token never reaches a string: to_string() shows it as "***".
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, config& x) {
  constexpr bool printing = std::is_same_v<Inspector, caf::detail::stringification_inspector>;
  std::string masked = x.api_token.empty() ? "" : "***";
  return f(caf::meta::type_name("config"), x.mode, x.port, x.bind, x.data_dir,
           printing ? masked : x.api_token, x.autostart, x.log_level, x.scan_interval_ms,
           x.max_positions, x.stake_amount, x.starting_cash, x.actor_threads, x.shutdown_timeout_ms,
           x.exchange, x.strategy, x.risk, x.paper, x.scanner, x.supervisor, x.stream, x.http,
           x.backtest, x.debug);
}

/// A new running configuration for an actor to apply; it answers ok_atom once applied.
struct apply_config {
  config cfg;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, apply_config& x) {
  return f(caf::meta::type_name("apply_config"), x.cfg);
}

}  // namespace ct::msg
