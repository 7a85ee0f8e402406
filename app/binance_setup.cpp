#include "app/binance_setup.hpp"

#include <thread>

#include "exchange/binance.hpp"
#include "exchange/binance_orders.hpp"
#include "exchange/paced_rest.hpp"
#include "exchange/signing.hpp"
#include "exchange/ws_client.hpp"
#include "trading/symbol.hpp"
#include "trading/time.hpp"

namespace ct::app {

namespace {

result<void> with_field(result<void> r, const char* field) {
  if (r.ok())
    return r;
  return make_error(r.err().code, r.err().message, field);
}

/// The minimum notional check: the stake buys at least a symbol's minimum (with the step's
/// rounding, a stake just above it can still fall short, which the order then reports).
result<void> check_stake(const msg::config& cfg, const msg::binance_market& m) {
  const auto stake = trading::money::from_double(cfg.stake_amount);
  for (const auto& [symbol, rules] : m.rules)
    if (rules.min_notional.is_positive() && stake < rules.min_notional)
      return make_error(errc::invalid_value,
                        "stake_amount " + stake.to_string() + " is below " + symbol +
                            "'s minimum notional on Binance, " + rules.min_notional.to_string() +
                            " " + m.quote,
                        "stake_amount");
  return {};
}

/// Whether the key and secret open the account: a signed GET /api/v3/account.
result<void> check_account(exchange::paced_rest& rest, const msg::exchange_credentials& c,
                           std::int64_t clock_offset_ms) {
  const auto now = trading::to_unix_ms(trading::system_clock{}.now()) + clock_offset_ms;
  auto r = rest.send_once(
      "GET",
      "/api/v3/account?" + exchange::signed_query(exchange::account_query(now, 5000), c.secret),
      {"X-MBX-APIKEY: " + c.key}, 20);
  if (!r.ok())
    return make_error(errc::exchange_unavailable,
                      "cannot reach Binance's account: " + r.err().message, "exchange.credentials");
  if (r.value().status != 200)
    return make_error(errc::invalid_value,
                      "Binance refused the account's key: " +
                          exchange::describe_error(r.value().status, r.value().body),
                      "exchange.credentials");
  return {};
}

}  // namespace

result<std::shared_ptr<const msg::binance_market>> connect_binance(
    const msg::config& cfg, const msg::exchange_credentials& credentials) {
  const auto& x = cfg.exchange;
  if (auto r = with_field(exchange::check_base_url(x.rest_url), "exchange.rest_url"); !r.ok())
    return r.err();
  if (auto r = with_field(exchange::check_ws_url(x.ws_url), "exchange.ws_url"); !r.ok())
    return r.err();
  const bool live = cfg.mode == msg::trading_mode::live;
  if (live && (credentials.key.empty() || credentials.secret.empty()))
    return make_error(errc::invalid_value,
                      "mode \"live\" on Binance needs the account's API key and secret in "
                      "CRYPTO_TRADING_EXCHANGE_KEY and CRYPTO_TRADING_EXCHANGE_SECRET",
                      "exchange.credentials");
  auto m = std::make_shared<msg::binance_market>();
  m->rest_url = x.rest_url;
  m->ws_url = x.ws_url;
  while (!m->ws_url.empty() && m->ws_url.back() == '/')
    m->ws_url.pop_back();
  m->ca_file = x.ca_file;
  m->timeframe = x.timeframe;
  auto step = exchange::binance_timeframe_ms(x.timeframe);
  if (!step.ok())
    return make_error(errc::invalid_value, step.err().message, "exchange.timeframe");
  m->step_ms = step.value();
  m->symbols = cfg.strategy.symbols;
  m->quote = trading::split_symbol(m->symbols.front())->quote;

  exchange::rest_options o;
  o.base_url = x.rest_url;
  if (!x.ca_file.empty())
    o.ca_file = x.ca_file;
  o.timeout = std::chrono::milliseconds{x.timeout_ms};
  auto client = exchange::rest_client::make(o);
  if (!client.ok())
    return make_error(client.err().code, client.err().message, "exchange.rest_url");
  // The market's gate: a Retry-After earned here holds the feed and the account back too.
  exchange::paced_rest rest{*client.value(),
                            [](exchange::paced_rest::clock_type::time_point t) {
                              std::this_thread::sleep_until(t);
                              return true;
                            },
                            6, m->gate};
  const auto unreachable = [&](const ct::error& e) {
    return make_error(errc::exchange_unavailable,
                      "cannot reach Binance at " + x.rest_url + ": " + e.message,
                      "exchange.rest_url");
  };
  auto info_answer = rest.get("/api/v3/exchangeInfo", 20);
  if (!info_answer.ok())
    return unreachable(info_answer.err());
  if (info_answer.value().status != 200)
    return unreachable(
        {errc::exchange_unavailable,
         exchange::describe_error(info_answer.value().status, info_answer.value().body), ""});
  auto info = exchange::parse_exchange_info(info_answer.value().body);
  if (!info.ok())
    return unreachable(info.err());
  m->weight_per_minute = info.value().weight_per_minute;
  auto names = exchange::map_symbols(info.value(), m->symbols);
  if (!names.ok())
    return make_error(errc::invalid_value, names.err().message, "strategy.symbols");
  m->names = names.value();
  for (std::size_t i = 0; i < m->symbols.size(); ++i) {
    const auto& status = info.value().status.at(m->names[i]);
    if (status != "TRADING")
      return make_error(errc::invalid_value,
                        m->symbols[i] + " is not trading on Binance now (status " + status + ")",
                        "strategy.symbols");
    if (auto r = info.value().rules.find(m->names[i]); r != info.value().rules.end())
      m->rules[m->symbols[i]] = r->second;
  }
  if (auto r = check_stake(cfg, *m); !r.ok())
    return r.err();

  // Binance's clock: the offset at the middle of the round trip.
  const auto sent = trading::to_unix_ms(trading::system_clock{}.now());
  auto time_answer = rest.get("/api/v3/time", 1);
  const auto received = trading::to_unix_ms(trading::system_clock{}.now());
  if (!time_answer.ok())
    return unreachable(time_answer.err());
  auto server = exchange::parse_server_time(time_answer.value().body);
  if (!server.ok())
    return unreachable(server.err());
  m->clock_offset_ms = server.value() - (sent + received) / 2;
  if (live) {
    if (auto r = check_account(rest, credentials, m->clock_offset_ms); !r.ok())
      return r.err();
  }
  return std::shared_ptr<const msg::binance_market>{std::move(m)};
}

}  // namespace ct::app
