#include "messages/config.hpp"

#include <algorithm>
#include <cctype>

#include <arpa/inet.h>
#include <nlohmann/json.hpp>

#include "messages/config_reader.hpp"
#include "trading/exchange.hpp"
#include "trading/symbol.hpp"

namespace ct::msg {

using nlohmann::json;

namespace {

json exchange_json(const config& c) {
  return json{{"name", c.exchange.name},
              {"rest_url", c.exchange.rest_url},
              {"ws_url", c.exchange.ws_url},
              {"timeframe", c.exchange.timeframe},
              {"ca_file", c.exchange.ca_file},
              {"credentials",
               c.exchange.credentials.empty() ? json(nullptr) : json(c.exchange.credentials)},
              {"candle_files", c.exchange.candle_files},
              {"speed", c.exchange.speed},
              {"latency_ms", c.exchange.latency_ms},
              {"failure_rate", c.exchange.failure_rate},
              {"outage", c.exchange.outage},
              {"spread_pct", c.exchange.spread_pct},
              {"timeout_ms", c.exchange.timeout_ms},
              {"seed", c.exchange.seed}};
}

json strategy_json(const config& c) {
  return json{{"name", c.strategy.name},
              {"momentum_lookback", c.strategy.momentum_lookback},
              {"momentum_threshold_pct", c.strategy.momentum_threshold_pct},
              {"fast_period", c.strategy.fast_period},
              {"slow_period", c.strategy.slow_period},
              {"rsi_period", c.strategy.rsi_period},
              {"rsi_buy_below", c.strategy.rsi_buy_below},
              {"rsi_sell_above", c.strategy.rsi_sell_above},
              {"warmup_candles", c.strategy.warmup_candles},
              {"symbols", c.strategy.symbols}};
}

json risk_json(const config& c) {
  return json{{"take_profit_pct", c.risk.take_profit_pct},
              {"stop_loss_pct", c.risk.stop_loss_pct},
              {"trailing_stop_pct", c.risk.trailing_stop_pct},
              {"time_limit_min", c.risk.time_limit_min},
              {"cooldown_min", c.risk.cooldown_min},
              {"max_drawdown_pct", c.risk.max_drawdown_pct}};
}

json scanner_json(const config& c) {
  return json{{"backoff_initial_ms", c.scanner.backoff_initial_ms},
              {"backoff_max_ms", c.scanner.backoff_max_ms}};
}

json supervisor_json(const config& c) {
  return json{{"restart_limit", c.supervisor.restart_limit},
              {"restart_window_s", c.supervisor.restart_window_s},
              {"backoff_initial_ms", c.supervisor.backoff_initial_ms},
              {"backoff_max_ms", c.supervisor.backoff_max_ms},
              {"heartbeat_ms", c.supervisor.heartbeat_ms}};
}

json stream_json(const config& c) {
  return json{{"status_interval_ms", c.stream.status_interval_ms},
              {"book_interval_ms", c.stream.book_interval_ms},
              {"book_depth", c.stream.book_depth},
              {"max_pending_kib", c.stream.max_pending_kib},
              {"ping_interval_ms", c.stream.ping_interval_ms},
              {"max_clients", c.stream.max_clients}};
}

json http_json(const config& c) {
  return json{{"threads", c.http.threads},
              {"request_timeout_ms", c.http.request_timeout_ms},
              {"allowed_origins", c.http.allowed_origins},
              {"allowed_hosts", c.http.allowed_hosts},
              {"max_connections", c.http.max_connections},
              {"max_connections_per_address", c.http.max_connections_per_address},
              {"send_timeout_ms", c.http.send_timeout_ms}};
}

}  // namespace

json to_json(const config& c, bool mask_secrets) {
  json token = nullptr;
  if (!c.api_token.empty())
    token = mask_secrets ? std::string{"***"} : c.api_token;
  return json{
      {"mode", name_of(c.mode)},
      {"port", c.port},
      {"bind", c.bind},
      {"data_dir", c.data_dir},
      {"api_token", token},
      {"autostart", c.autostart},
      {"log_level", c.log_level},
      {"scan_interval_ms", c.scan_interval_ms},
      {"max_positions", c.max_positions},
      {"stake_amount", c.stake_amount},
      {"starting_cash", c.starting_cash},
      {"actor_threads", c.actor_threads},
      {"shutdown_timeout_ms", c.shutdown_timeout_ms},
      {"exchange", exchange_json(c)},
      {"strategy", strategy_json(c)},
      {"risk", risk_json(c)},
      {"paper", {{"fee_pct", c.paper.fee_pct}, {"slippage_pct", c.paper.slippage_pct}}},
      {"scanner", scanner_json(c)},
      {"supervisor", supervisor_json(c)},
      {"stream", stream_json(c)},
      {"http", http_json(c)},
      {"backtest", {{"data_dirs", c.backtest.data_dirs}}},
      {"optimize", {{"api_jobs", c.optimize.api_jobs}}},
      {"debug", {{"fault_injection", c.debug.fault_injection}}},
  };
}

result<void> check_patch_keys(const json& patch) {
  // The defaults name every key; a patch may hold only those (objects only where groups are).
  static const json schema = to_json(config{}, false);
  struct walker {
    static result<void> walk(const json& p, const json& s, const std::string& prefix) {
      for (const auto& [key, value] : p.items()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        auto it = s.find(key);
        if (it == s.end())
          return make_error(errc::unknown_key, "unknown configuration key '" + path + "'", path);
        if (value.is_object() && it->is_object())
          if (auto r = walk(value, *it, path); !r.ok())
            return r;
      }
      return {};
    }
  };
  return walker::walk(patch, schema, "");
}

namespace {

void lay_over(json& stored, const json& patch) {
  for (const auto& [key, value] : patch.items()) {
    auto it = stored.find(key);
    if (value.is_object() && it != stored.end() && it->is_object())
      lay_over(*it, value);
    else
      stored[key] = value;
  }
}

}  // namespace

json combine_patches(json stored, const json& patch) {
  if (!stored.is_object())
    stored = json::object();
  lay_over(stored, patch);
  for (const char* key : {"port", "bind", "data_dir", "api_token"})
    stored.erase(key);
  return stored;
}

result<config> merge_patch(const config& running, const json& patch) {
  if (!patch.is_object())
    return make_error(errc::invalid_value, "the configuration patch must be a JSON object");
  if (auto keys = check_patch_keys(patch); !keys.ok())
    return keys.err();
  json effective = patch;
  if (auto it = effective.find("api_token"); it != effective.end() && *it == "***")
    effective.erase(it);  // the masked value read back from GET /api/config: unchanged
  json merged = to_json(running, false);
  merged.merge_patch(effective);
  return config_from_json(merged);
}

std::optional<std::string> startup_only_change(const config& a, const config& b) {
  if (a.mode != b.mode)
    return "mode";
  if (a.port != b.port)
    return "port";
  if (a.bind != b.bind)
    return "bind";
  if (a.data_dir != b.data_dir)
    return "data_dir";
  if (a.api_token != b.api_token)
    return "api_token";
  if (a.starting_cash != b.starting_cash)
    return "starting_cash";
  if (a.actor_threads != b.actor_threads)
    return "actor_threads";
  if (a.exchange.name != b.exchange.name)
    return "exchange.name";
  if (a.exchange.candle_files != b.exchange.candle_files)
    return "exchange.candle_files";
  if (a.exchange.rest_url != b.exchange.rest_url)
    return "exchange.rest_url";
  if (a.exchange.ws_url != b.exchange.ws_url)
    return "exchange.ws_url";
  if (a.exchange.timeframe != b.exchange.timeframe)
    return "exchange.timeframe";
  if (a.exchange.ca_file != b.exchange.ca_file)
    return "exchange.ca_file";
  if (a.exchange.credentials != b.exchange.credentials)
    return "exchange.credentials";
  if (a.http.threads != b.http.threads)
    return "http.threads";
  if (a.http.allowed_origins != b.http.allowed_origins)
    return "http.allowed_origins";
  if (a.http.allowed_hosts != b.http.allowed_hosts)
    return "http.allowed_hosts";
  if (a.http.max_connections != b.http.max_connections)
    return "http.max_connections";
  if (a.http.max_connections_per_address != b.http.max_connections_per_address)
    return "http.max_connections_per_address";
  if (a.http.send_timeout_ms != b.http.send_timeout_ms)
    return "http.send_timeout_ms";
  if (a.backtest.data_dirs != b.backtest.data_dirs)
    return "backtest.data_dirs";
  if (a.debug.fault_injection != b.debug.fault_injection)
    return "debug.fault_injection";
  if (a.shutdown_timeout_ms != b.shutdown_timeout_ms)
    return "shutdown_timeout_ms";
  return std::nullopt;
}

bool is_loopback(const std::string& address) {
  if (address == "localhost" || address == "::1")
    return true;
  unsigned char buf[4];
  return inet_pton(AF_INET, address.c_str(), buf) == 1 && buf[0] == 127;
}

result<config> apply_patches(config c, const std::vector<std::pair<std::string, json>>& patches) {
  for (const auto& [source, patch] : patches) {
    if (auto keys = check_patch_keys(patch); !keys.ok())
      return make_error(keys.err().code, source + ": " + keys.err().message, keys.err().field);
    auto next = merge_patch(c, patch);
    if (!next.ok())
      return make_error(next.err().code, source + ": " + next.err().message, next.err().field);
    c = std::move(next.value());
  }
  return c;
}

json dotted_patch(const std::string& key, json value) {
  json patch = std::move(value);
  std::string rest = key;
  for (auto dot = rest.rfind('.'); dot != std::string::npos; dot = rest.rfind('.')) {
    patch = json{{rest.substr(dot + 1), std::move(patch)}};
    rest.resize(dot);
  }
  return json{{rest, std::move(patch)}};
}

}  // namespace ct::msg
