// Reading a configuration from JSON: every key checked against its type and range, unknown keys
// refused with their path, and the relations between keys checked last.
#include <algorithm>
#include <cctype>

#include <arpa/inet.h>
#include <nlohmann/json.hpp>

#include "messages/config.hpp"
#include "messages/config_reader.hpp"
#include "trading/exchange.hpp"
#include "trading/symbol.hpp"

namespace ct::msg {

using nlohmann::json;

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
/// A URL of one of two schemes, without spaces (the loopback rule for the plain one is the
/// exchange client's, checked at start-up).
std::optional<std::string> url_problem(const std::string& s, const std::string& secure,
                                       const std::string& plain) {
  const bool scheme = s.rfind(secure + "://", 0) == 0 || s.rfind(plain + "://", 0) == 0;
  const bool clean = std::none_of(s.begin(), s.end(), [](char ch) {
    return static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) >= 0x7f;
  });
  if (!scheme || !clean || s.size() > 2048 || s.size() <= secure.size() + 3)
    return "must be a URL: " + secure + "://host[:port] (" + plain + ":// on loopback only)";
  return std::nullopt;
}

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

void read_exchange(config_reader& g, config& c) {
  g.one_of("name", c.exchange.name, {"simulated", "binance"});
  g.text("rest_url", c.exchange.rest_url,
         [](const std::string& s) { return url_problem(s, "https", "http"); });
  g.text("ws_url", c.exchange.ws_url,
         [](const std::string& s) { return url_problem(s, "wss", "ws"); });
  g.one_of("timeframe", c.exchange.timeframe, {"1m", "3m", "5m", "15m", "30m", "1h", "4h", "1d"});
  g.text("ca_file", c.exchange.ca_file, [](const std::string& s) {
    return s.size() > 4096 ? std::optional<std::string>{"must be a file path"} : std::nullopt;
  });
  // Shown as "***" (or null); the key and secret themselves come only from the environment.
  g.text("credentials", c.exchange.credentials, [](const std::string& s) {
    return s == "***" ? std::nullopt
                      : std::optional<std::string>{
                            "comes only from the environment (CRYPTO_TRADING_EXCHANGE_KEY and "
                            "CRYPTO_TRADING_EXCHANGE_SECRET); it reads \"***\" when they are set"};
  });
  g.strings("candle_files", c.exchange.candle_files, [](const std::string& s) {
    return s.empty() ? std::optional<std::string>{"must be a file path"} : std::nullopt;
  });
  g.number("speed", c.exchange.speed, 0.01, 1e6);
  g.integer("latency_ms", c.exchange.latency_ms, 0, 60'000);
  g.number("failure_rate", c.exchange.failure_rate, 0, 1);
  g.boolean("outage", c.exchange.outage);
  g.number("spread_pct", c.exchange.spread_pct, 0, 10);
  g.integer("timeout_ms", c.exchange.timeout_ms, 100, 120'000);
  g.integer("seed", c.exchange.seed, 0, 9'007'199'254'740'991);
}

void read_strategy(config_reader& g, config& c) {
  g.one_of("name", c.strategy.name,
           {"momentum", "sma_crossover", "ema_crossover", "rsi_reversion"});
  g.integer("momentum_lookback", c.strategy.momentum_lookback, 2, 1000);
  g.number("momentum_threshold_pct", c.strategy.momentum_threshold_pct, 0, 100);
  g.integer("fast_period", c.strategy.fast_period, 1, 999);
  g.integer("slow_period", c.strategy.slow_period, 2, 1000);
  g.integer("rsi_period", c.strategy.rsi_period, 1, 1000);
  g.number("rsi_buy_below", c.strategy.rsi_buy_below, 0, 100);
  g.number("rsi_sell_above", c.strategy.rsi_sell_above, 0, 100);
  g.integer("warmup_candles", c.strategy.warmup_candles, 0,
            static_cast<std::int64_t>(trading::max_candles_per_fetch));
  g.strings("symbols", c.strategy.symbols, [](const std::string& s) {
    return trading::split_symbol(s) ? std::nullopt
                                    : std::optional<std::string>{"must look like ADA-BTC"};
  });
}

void read_risk(config_reader& g, config& c) {
  g.number("take_profit_pct", c.risk.take_profit_pct, 0, 1000);
  g.number("stop_loss_pct", c.risk.stop_loss_pct, 0, 99.99);
  g.number("trailing_stop_pct", c.risk.trailing_stop_pct, 0, 99.99);
  g.integer("time_limit_min", c.risk.time_limit_min, 0, 525'600);
  g.integer("cooldown_min", c.risk.cooldown_min, 0, 525'600);
  g.number("max_drawdown_pct", c.risk.max_drawdown_pct, 0, 100);
}

void read_paper(config_reader& g, config& c) {
  g.number("fee_pct", c.paper.fee_pct, 0, 10);
  g.number("slippage_pct", c.paper.slippage_pct, 0, 10);
}

void read_scanner(config_reader& g, config& c) {
  g.integer("backoff_initial_ms", c.scanner.backoff_initial_ms, 10, 600'000);
  g.integer("backoff_max_ms", c.scanner.backoff_max_ms, 10, 3'600'000);
}

void read_supervisor(config_reader& g, config& c) {
  g.integer("restart_limit", c.supervisor.restart_limit, 0, 1000);
  g.integer("restart_window_s", c.supervisor.restart_window_s, 1, 86'400);
  g.integer("backoff_initial_ms", c.supervisor.backoff_initial_ms, 1, 600'000);
  g.integer("backoff_max_ms", c.supervisor.backoff_max_ms, 1, 3'600'000);
  g.integer("heartbeat_ms", c.supervisor.heartbeat_ms, 0, 60'000);
}

void read_stream(config_reader& g, config& c) {
  g.integer("status_interval_ms", c.stream.status_interval_ms, 50, 60'000);
  g.integer("book_interval_ms", c.stream.book_interval_ms, 50, 60'000);
  g.integer("book_depth", c.stream.book_depth, 1, 50);
  g.integer("max_pending_kib", c.stream.max_pending_kib, 16, 65'536);
  g.integer("ping_interval_ms", c.stream.ping_interval_ms, 1000, 60'000);
  g.integer("max_clients", c.stream.max_clients, 1, 100'000);
}

void read_backtest(config_reader& g, config& c) {
  g.strings("data_dirs", c.backtest.data_dirs, [](const std::string& s) {
    return s.empty() ? std::optional<std::string>{"must be a directory path"} : std::nullopt;
  });
}

void read_optimize(config_reader& g, config& c) {
  g.integer("api_jobs", c.optimize.api_jobs, 1, 64);
}

void read_debug(config_reader& g, config& c) {
  g.boolean("fault_injection", c.debug.fault_injection);
}

void read_http(config_reader& g, config& c) {
  g.integer("threads", c.http.threads, 1, 16);
  g.integer("request_timeout_ms", c.http.request_timeout_ms, 100, 120'000);
  g.strings("allowed_origins", c.http.allowed_origins, [](const std::string& s) {
    return valid_origin(s) ? std::nullopt
                           : std::optional<std::string>{
                                 "must be an origin: http(s)://host[:port], nothing after"};
  });
  g.integer("max_connections", c.http.max_connections, 1, 1'000'000);
  g.integer("max_connections_per_address", c.http.max_connections_per_address, 0, 1'000'000);
  g.integer("send_timeout_ms", c.http.send_timeout_ms, 1000, 3'600'000);
  g.strings("allowed_hosts", c.http.allowed_hosts, [](const std::string& s) {
    return valid_host_name(s) ? std::nullopt
                              : std::optional<std::string>{"must be a host name or address"};
  });
}

/// Each group of keys, checked by its own reader: an unknown key in one names its path.
void read_groups(config_reader& r, config& c) {
  using reader_fn = void (*)(config_reader&, config&);
  static const std::pair<const char*, reader_fn> groups[] = {
      {"exchange", read_exchange}, {"strategy", read_strategy}, {"risk", read_risk},
      {"paper", read_paper},       {"scanner", read_scanner},   {"supervisor", read_supervisor},
      {"stream", read_stream},     {"backtest", read_backtest}, {"optimize", read_optimize},
      {"debug", read_debug},       {"http", read_http},
  };
  for (const auto& [name, read] : groups)
    if (auto g = r.group(name)) {
      read(*g, c);
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
  if (c.exchange.name == "binance") {
    if (c.strategy.symbols.empty())
      return make_error(errc::invalid_value,
                        "strategy.symbols must list the symbols to trade on Binance "
                        "(such as [\"BTC-USDT\"]): Binance has thousands",
                        "strategy.symbols");
    const auto quote = trading::split_symbol(c.strategy.symbols.front())->quote;
    for (const auto& s : c.strategy.symbols)
      if (trading::split_symbol(s)->quote != quote)
        return make_error(errc::invalid_value,
                          "strategy.symbols must share one quote currency (the ledger's): " +
                              c.strategy.symbols.front() + " and " + s + " do not",
                          "strategy.symbols");
  }
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

}  // namespace ct::msg
