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
      {"exchange",
       {{"name", c.exchange.name},
        {"candle_files", c.exchange.candle_files},
        {"speed", c.exchange.speed},
        {"latency_ms", c.exchange.latency_ms},
        {"failure_rate", c.exchange.failure_rate},
        {"outage", c.exchange.outage},
        {"spread_pct", c.exchange.spread_pct},
        {"timeout_ms", c.exchange.timeout_ms},
        {"seed", c.exchange.seed}}},
      {"strategy",
       {{"name", c.strategy.name},
        {"momentum_lookback", c.strategy.momentum_lookback},
        {"momentum_threshold_pct", c.strategy.momentum_threshold_pct},
        {"fast_period", c.strategy.fast_period},
        {"slow_period", c.strategy.slow_period},
        {"rsi_period", c.strategy.rsi_period},
        {"rsi_buy_below", c.strategy.rsi_buy_below},
        {"rsi_sell_above", c.strategy.rsi_sell_above},
        {"warmup_candles", c.strategy.warmup_candles},
        {"symbols", c.strategy.symbols}}},
      {"risk",
       {{"take_profit_pct", c.risk.take_profit_pct},
        {"stop_loss_pct", c.risk.stop_loss_pct},
        {"trailing_stop_pct", c.risk.trailing_stop_pct},
        {"time_limit_min", c.risk.time_limit_min},
        {"cooldown_min", c.risk.cooldown_min},
        {"max_drawdown_pct", c.risk.max_drawdown_pct}}},
      {"paper", {{"fee_pct", c.paper.fee_pct}, {"slippage_pct", c.paper.slippage_pct}}},
      {"scanner",
       {{"backoff_initial_ms", c.scanner.backoff_initial_ms},
        {"backoff_max_ms", c.scanner.backoff_max_ms}}},
      {"supervisor",
       {{"restart_limit", c.supervisor.restart_limit},
        {"restart_window_s", c.supervisor.restart_window_s},
        {"backoff_initial_ms", c.supervisor.backoff_initial_ms},
        {"backoff_max_ms", c.supervisor.backoff_max_ms},
        {"heartbeat_ms", c.supervisor.heartbeat_ms}}},
      {"stream",
       {{"status_interval_ms", c.stream.status_interval_ms},
        {"book_interval_ms", c.stream.book_interval_ms},
        {"book_depth", c.stream.book_depth},
        {"max_pending_kib", c.stream.max_pending_kib},
        {"ping_interval_ms", c.stream.ping_interval_ms},
        {"max_clients", c.stream.max_clients}}},
      {"http",
       {{"threads", c.http.threads},
        {"request_timeout_ms", c.http.request_timeout_ms},
        {"allowed_origins", c.http.allowed_origins},
        {"allowed_hosts", c.http.allowed_hosts},
        {"max_connections", c.http.max_connections},
        {"max_connections_per_address", c.http.max_connections_per_address},
        {"send_timeout_ms", c.http.send_timeout_ms}}},
      {"backtest", {{"data_dirs", c.backtest.data_dirs}}},
      {"debug", {{"fault_injection", c.debug.fault_injection}}},
  };
}

namespace {

bool valid_token(const std::string& t) {
  if (t.size() < 8 || t.size() > 256)
    return false;
  for (unsigned char ch : t)
    if (ch <= 0x20 || ch >= 0x7f)
      return false;
  return true;
}

bool valid_address(const std::string& a) {
  unsigned char buf[16];
  return a == "localhost" || inet_pton(AF_INET, a.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, a.c_str(), buf) == 1;
}

bool host_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_';
}

/// A DNS name or an IPv4 address (letters, digits, dots, dashes), or a bracketless IPv6 one.
bool valid_host_name(const std::string& s) {
  if (s.empty() || s.size() > 253)
    return false;
  unsigned char buf[16];
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1)
    return true;
  return std::all_of(s.begin(), s.end(), host_char);
}

bool digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

/// scheme://host[:port] with scheme http or https, an optional trailing slash and no path.
bool valid_origin(const std::string& s) {
  std::string rest;
  if (s.rfind("http://", 0) == 0)
    rest = s.substr(7);
  else if (s.rfind("https://", 0) == 0)
    rest = s.substr(8);
  if (rest.empty() || rest.size() > 300)
    return false;
  if (rest.back() == '/')
    rest.pop_back();
  std::string host;
  std::string after;  // ":port" or nothing
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos)
      return false;
    host = rest.substr(1, close - 1);
    after = rest.substr(close + 1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), [](char ch) {
          return std::isxdigit(static_cast<unsigned char>(ch)) || ch == ':' || ch == '.';
        }))
      return false;
  } else {
    const auto colon = rest.find(':');
    host = rest.substr(0, colon);
    after = colon == std::string::npos ? "" : rest.substr(colon);
    if (host.empty() || !std::all_of(host.begin(), host.end(), host_char))
      return false;
  }
  if (after.empty())
    return true;
  const auto port = after.substr(1);
  return after.front() == ':' && !port.empty() && port.size() <= 5 && digits(port) &&
         std::stoi(port) <= 65535;
}

void read_groups(config_reader& r, config& c) {
  if (auto g = r.group("exchange")) {
    g->one_of("name", c.exchange.name, {"simulated"});
    g->strings("candle_files", c.exchange.candle_files, [](const std::string& s) {
      return s.empty() ? std::optional<std::string>{"must be a file path"} : std::nullopt;
    });
    g->number("speed", c.exchange.speed, 0.01, 1e6);
    g->integer("latency_ms", c.exchange.latency_ms, 0, 60'000);
    g->number("failure_rate", c.exchange.failure_rate, 0, 1);
    g->boolean("outage", c.exchange.outage);
    g->number("spread_pct", c.exchange.spread_pct, 0, 10);
    g->integer("timeout_ms", c.exchange.timeout_ms, 100, 120'000);
    g->integer("seed", c.exchange.seed, 0, 9'007'199'254'740'991);
    g->finish();
  }
  if (auto g = r.group("strategy")) {
    g->one_of("name", c.strategy.name,
              {"momentum", "sma_crossover", "ema_crossover", "rsi_reversion"});
    g->integer("momentum_lookback", c.strategy.momentum_lookback, 2, 1000);
    g->number("momentum_threshold_pct", c.strategy.momentum_threshold_pct, 0, 100);
    g->integer("fast_period", c.strategy.fast_period, 1, 999);
    g->integer("slow_period", c.strategy.slow_period, 2, 1000);
    g->integer("rsi_period", c.strategy.rsi_period, 1, 1000);
    g->number("rsi_buy_below", c.strategy.rsi_buy_below, 0, 100);
    g->number("rsi_sell_above", c.strategy.rsi_sell_above, 0, 100);
    g->integer("warmup_candles", c.strategy.warmup_candles, 0,
               static_cast<std::int64_t>(trading::max_candles_per_fetch));
    g->strings("symbols", c.strategy.symbols, [](const std::string& s) {
      return trading::split_symbol(s) ? std::nullopt
                                      : std::optional<std::string>{"must look like ADA-BTC"};
    });
    g->finish();
  }
  if (auto g = r.group("risk")) {
    g->number("take_profit_pct", c.risk.take_profit_pct, 0, 1000);
    g->number("stop_loss_pct", c.risk.stop_loss_pct, 0, 99.99);
    g->number("trailing_stop_pct", c.risk.trailing_stop_pct, 0, 99.99);
    g->integer("time_limit_min", c.risk.time_limit_min, 0, 525'600);
    g->integer("cooldown_min", c.risk.cooldown_min, 0, 525'600);
    g->number("max_drawdown_pct", c.risk.max_drawdown_pct, 0, 100);
    g->finish();
  }
  if (auto g = r.group("paper")) {
    g->number("fee_pct", c.paper.fee_pct, 0, 10);
    g->number("slippage_pct", c.paper.slippage_pct, 0, 10);
    g->finish();
  }
  if (auto g = r.group("scanner")) {
    g->integer("backoff_initial_ms", c.scanner.backoff_initial_ms, 10, 600'000);
    g->integer("backoff_max_ms", c.scanner.backoff_max_ms, 10, 3'600'000);
    g->finish();
  }
  if (auto g = r.group("supervisor")) {
    g->integer("restart_limit", c.supervisor.restart_limit, 0, 1000);
    g->integer("restart_window_s", c.supervisor.restart_window_s, 1, 86'400);
    g->integer("backoff_initial_ms", c.supervisor.backoff_initial_ms, 1, 600'000);
    g->integer("backoff_max_ms", c.supervisor.backoff_max_ms, 1, 3'600'000);
    g->integer("heartbeat_ms", c.supervisor.heartbeat_ms, 0, 60'000);
    g->finish();
  }
  if (auto g = r.group("stream")) {
    g->integer("status_interval_ms", c.stream.status_interval_ms, 50, 60'000);
    g->integer("book_interval_ms", c.stream.book_interval_ms, 50, 60'000);
    g->integer("book_depth", c.stream.book_depth, 1, 50);
    g->integer("max_pending_kib", c.stream.max_pending_kib, 16, 65'536);
    g->integer("ping_interval_ms", c.stream.ping_interval_ms, 1000, 60'000);
    g->integer("max_clients", c.stream.max_clients, 1, 100'000);
    g->finish();
  }
  if (auto g = r.group("backtest")) {
    g->strings("data_dirs", c.backtest.data_dirs, [](const std::string& s) {
      return s.empty() ? std::optional<std::string>{"must be a directory path"} : std::nullopt;
    });
    g->finish();
  }
  if (auto g = r.group("debug")) {
    g->boolean("fault_injection", c.debug.fault_injection);
    g->finish();
  }
  if (auto g = r.group("http")) {
    g->integer("threads", c.http.threads, 1, 16);
    g->integer("request_timeout_ms", c.http.request_timeout_ms, 100, 120'000);
    g->strings("allowed_origins", c.http.allowed_origins, [](const std::string& s) {
      return valid_origin(s) ? std::nullopt
                             : std::optional<std::string>{
                                   "must be an origin: http(s)://host[:port], nothing after"};
    });
    g->integer("max_connections", c.http.max_connections, 1, 1'000'000);
    g->integer("max_connections_per_address", c.http.max_connections_per_address, 0, 1'000'000);
    g->integer("send_timeout_ms", c.http.send_timeout_ms, 1000, 3'600'000);
    g->strings("allowed_hosts", c.http.allowed_hosts, [](const std::string& s) {
      return valid_host_name(s) ? std::nullopt
                                : std::optional<std::string>{"must be a host name or address"};
    });
    g->finish();
  }
}

result<void> check_relations(const config& c) {
  if (c.strategy.fast_period >= c.strategy.slow_period)
    return make_error(errc::invalid_value,
                      "strategy.fast_period must be less than strategy.slow_period",
                      "strategy.fast_period");
  if (c.strategy.rsi_buy_below >= c.strategy.rsi_sell_above)
    return make_error(errc::invalid_value,
                      "strategy.rsi_buy_below must be less than strategy.rsi_sell_above",
                      "strategy.rsi_buy_below");
  if (c.scanner.backoff_max_ms < c.scanner.backoff_initial_ms)
    return make_error(errc::invalid_value,
                      "scanner.backoff_max_ms must be at least scanner.backoff_initial_ms",
                      "scanner.backoff_max_ms");
  if (c.supervisor.backoff_max_ms < c.supervisor.backoff_initial_ms)
    return make_error(errc::invalid_value,
                      "supervisor.backoff_max_ms must be at least supervisor.backoff_initial_ms",
                      "supervisor.backoff_max_ms");
  if (c.supervisor.heartbeat_ms != 0 && c.supervisor.heartbeat_ms < 50)
    return make_error(errc::invalid_value,
                      "supervisor.heartbeat_ms must be 0 (off) or from 50 to 60000",
                      "supervisor.heartbeat_ms");
  return {};
}

}  // namespace

result<config> config_from_json(const json& j) {
  config c;
  config_reader r{j, ""};
  r.one_of("mode", c.mode);
  r.integer("port", c.port, 0, 65535);
  r.text("bind", c.bind, [](const std::string& s) {
    return valid_address(s)
               ? std::nullopt
               : std::optional<std::string>{"must be an IPv4 or IPv6 address or \"localhost\""};
  });
  r.text("data_dir", c.data_dir, [](const std::string& s) {
    return s.empty() ? std::optional<std::string>{"must be a directory path"} : std::nullopt;
  });
  r.text("api_token", c.api_token, [](const std::string& s) {
    return valid_token(s) ? std::nullopt
                          : std::optional<std::string>{
                                "must be 8 to 256 printable ASCII characters without spaces"};
  });
  r.boolean("autostart", c.autostart);
  r.one_of("log_level", c.log_level, {"trace", "debug", "info", "warn", "error", "off"});
  r.integer("scan_interval_ms", c.scan_interval_ms, 50, 3'600'000);
  r.integer("max_positions", c.max_positions, 0, 100);
  r.number("stake_amount", c.stake_amount, 1e-8, 1e6, false);
  r.number("starting_cash", c.starting_cash, 1e-8, 1e9, false);
  r.integer("actor_threads", c.actor_threads, 1, 64);
  r.integer("shutdown_timeout_ms", c.shutdown_timeout_ms, 100, 600'000);
  read_groups(r, c);
  r.finish();
  if (auto err = r.error())
    return *err;
  if (auto rel = check_relations(c); !rel.ok())
    return rel.err();
  return c;
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
