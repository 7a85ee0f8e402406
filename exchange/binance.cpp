#include "exchange/binance.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "exchange/bounded_json.hpp"

namespace ct::exchange {

namespace {

using nlohmann::json;

constexpr std::size_t max_depth = 8;

/// Binance's answers go no deeper than this.
result<json> parse(const std::string& body, const char* what) {
  return parse_bounded(body, std::string{"Binance's "} + what + " answer", max_depth);
}

/// An object's string field, or "" (json::value() trips g++'s null-dereference warning).
std::string text_of(const json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o.at(key).is_string())
    return {};
  return o.at(key).get_ref<const std::string&>();
}

/// An object's integer field, or 0.
std::int64_t integer_of(const json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o.at(key).is_number_integer())
    return 0;
  return o.at(key).get<std::int64_t>();
}

bool is_decimal(const json& v) {
  return v.is_string() && is_binance_decimal(v.get_ref<const std::string&>());
}

/// A filter's decimal field as a fixed-point value; zero when absent or beyond its range.
template <class Fixed>
Fixed fixed_of(const json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !is_decimal(o.at(key)))
    return {};
  return Fixed::parse(o.at(key).get_ref<const std::string&>()).value_or(Fixed{});
}

bool flag_of(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && o.at(key).is_boolean() && o.at(key).get<bool>();
}

/// LOT_SIZE, MARKET_LOT_SIZE and the minimum notional of a market order (NOTIONAL's when it
/// applies to market orders, else MIN_NOTIONAL's when it does).
trading::lot_rules rules_of(const json& filters) {
  trading::lot_rules r;
  if (!filters.is_array())
    return r;
  for (const auto& f : filters) {
    const auto type = text_of(f, "filterType");
    if (type == "LOT_SIZE") {
      r.step = fixed_of<trading::quantity>(f, "stepSize");
      r.min_qty = fixed_of<trading::quantity>(f, "minQty");
      r.max_qty = fixed_of<trading::quantity>(f, "maxQty");
    } else if (type == "MARKET_LOT_SIZE") {
      r.market_step = fixed_of<trading::quantity>(f, "stepSize");
      r.market_min = fixed_of<trading::quantity>(f, "minQty");
      r.market_max = fixed_of<trading::quantity>(f, "maxQty");
    } else if ((type == "NOTIONAL" && flag_of(f, "applyMinToMarket")) ||
               (type == "MIN_NOTIONAL" && flag_of(f, "applyToMarket"))) {
      r.min_notional = std::max(r.min_notional, fixed_of<trading::money>(f, "minNotional"));
    }
  }
  return r;
}

}  // namespace

bool is_binance_decimal(const std::string& s) {
  if (s.empty() || s.size() > 40 || s.front() == '.' || s.back() == '.')
    return false;
  int points = 0;
  for (char c : s) {
    if (c == '.')
      ++points;
    else if (c < '0' || c > '9')
      return false;
  }
  return points <= 1;
}

result<std::int64_t> binance_timeframe_ms(const std::string& timeframe) {
  static const std::map<std::string, std::int64_t> known{
      {"1m", 60'000},     {"3m", 180'000},   {"5m", 300'000},    {"15m", 900'000},
      {"30m", 1'800'000}, {"1h", 3'600'000}, {"4h", 14'400'000}, {"1d", 86'400'000}};
  auto it = known.find(timeframe);
  if (it == known.end())
    return make_error(errc::invalid_value,
                      "timeframe '" + timeframe + "' is not one of 1m 3m 5m 15m 30m 1h 4h 1d",
                      "timeframe");
  return it->second;
}

result<exchange_info> parse_exchange_info(const std::string& body) {
  auto j = parse(body, "exchangeInfo");
  if (!j.ok())
    return j.err();
  const auto& v = j.value();
  if (!v.is_object() || !v.contains("symbols") || !v.at("symbols").is_array())
    return make_error(errc::bad_data, "Binance's exchangeInfo answer has no symbols");
  exchange_info info;
  for (const auto& s : v.at("symbols")) {
    const auto symbol = text_of(s, "symbol");
    const auto base = text_of(s, "baseAsset");
    const auto quote = text_of(s, "quoteAsset");
    if (symbol.empty() || base.empty() || quote.empty() || symbol.size() > 40)
      continue;
    info.symbols[base + "-" + quote] = symbol;
    info.status[symbol] = text_of(s, "status").substr(0, 40);
    if (s.contains("filters"))
      info.rules[symbol] = rules_of(s.at("filters"));
  }
  if (v.contains("rateLimits") && v.at("rateLimits").is_array())
    for (const auto& r : v.at("rateLimits"))
      if (text_of(r, "rateLimitType") == "REQUEST_WEIGHT" && text_of(r, "interval") == "MINUTE" &&
          integer_of(r, "intervalNum") == 1 && integer_of(r, "limit") > 0 &&
          integer_of(r, "limit") < 1'000'000)
        info.weight_per_minute = static_cast<int>(integer_of(r, "limit"));
  return info;
}

result<std::vector<std::string>> map_symbols(const exchange_info& info,
                                             const std::vector<std::string>& wanted) {
  std::vector<std::string> out;
  for (const auto& w : wanted) {
    auto it = info.symbols.find(w);
    if (it == info.symbols.end())
      return make_error(errc::unknown_symbol, "Binance lists no " + w, "symbols");
    out.push_back(it->second);
  }
  return out;
}

result<std::vector<kline>> parse_klines(const std::string& body) {
  auto j = parse(body, "klines");
  if (!j.ok())
    return j.err();
  const auto& v = j.value();
  if (!v.is_array())
    return make_error(errc::bad_data, "Binance's klines answer is not an array");
  std::vector<kline> out;
  out.reserve(v.size());
  for (const auto& k : v) {
    if (!k.is_array() || k.size() < 6 || !k[0].is_number_integer() || !is_decimal(k[1]) ||
        !is_decimal(k[2]) || !is_decimal(k[3]) || !is_decimal(k[4]) || !is_decimal(k[5]))
      return make_error(errc::bad_data, "Binance's klines answer has a malformed kline: " +
                                            k.dump().substr(0, 200));
    const auto text = [&k](std::size_t i) { return k.at(i).get_ref<const std::string&>(); };
    kline x{k.at(0).get<std::int64_t>(), text(1), text(2), text(3), text(4), text(5)};
    if (!out.empty() && x.open_ms <= out.back().open_ms)
      return make_error(errc::bad_data, "Binance's klines are not in increasing time");
    out.push_back(std::move(x));
  }
  return out;
}

result<std::int64_t> parse_server_time(const std::string& body) {
  auto j = parse(body, "time");
  if (!j.ok())
    return j.err();
  const auto& v = j.value();
  if (!v.is_object() || !v.contains("serverTime") || !v.at("serverTime").is_number_integer())
    return make_error(errc::bad_data, "Binance's time answer has no serverTime");
  return v.at("serverTime").get<std::int64_t>();
}

std::string describe_error(long status, const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("code") && j.contains("msg") &&
      j.at("code").is_number_integer() && j.at("msg").is_string())
    return "Binance " + std::to_string(j.at("code").get<long>()) + ": " +
           j.at("msg").get_ref<const std::string&>().substr(0, 300);
  return "Binance answered HTTP " + std::to_string(status);
}

}  // namespace ct::exchange
