#include "exchange/binance_orders.hpp"

#include <stdexcept>

#include "exchange/binance.hpp"
#include "exchange/bounded_json.hpp"

namespace ct::exchange {

namespace {

using nlohmann::json;

std::string text(const json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o.at(key).is_string())
    return {};
  return o.at(key).get<std::string>().substr(0, 64);
}

template <class Fixed>
bool decimal(const json& o, const char* key, Fixed& out) {
  const auto s = text(o, key);
  if (!is_binance_decimal(s))
    return false;
  auto v = Fixed::parse(s);
  if (!v)
    return false;
  out = *v;
  return true;
}

std::int64_t integer(const json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o.at(key).is_number_integer())
    return 0;
  return o.at(key).get<std::int64_t>();
}

std::string common(const std::string& symbol, std::int64_t timestamp_ms,
                   std::int64_t recv_window_ms) {
  return "symbol=" + symbol + "&recvWindow=" + std::to_string(recv_window_ms) +
         "&timestamp=" + std::to_string(timestamp_ms);
}

}  // namespace

std::string market_order_query(const std::string& symbol, trading::order_side side,
                               trading::quantity qty, const std::string& client_id,
                               std::int64_t timestamp_ms, std::int64_t recv_window_ms) {
  return "symbol=" + symbol + "&side=" + (side == trading::order_side::buy ? "BUY" : "SELL") +
         "&type=MARKET&quantity=" + qty.to_string() + "&newClientOrderId=" + client_id +
         "&newOrderRespType=FULL&recvWindow=" + std::to_string(recv_window_ms) +
         "&timestamp=" + std::to_string(timestamp_ms);
}

std::string order_lookup_query(const std::string& symbol, const std::string& client_id,
                               std::int64_t timestamp_ms, std::int64_t recv_window_ms) {
  return common(symbol, timestamp_ms, recv_window_ms) + "&origClientOrderId=" + client_id;
}

std::string order_trades_query(const std::string& symbol, std::int64_t order_id,
                               std::int64_t timestamp_ms, std::int64_t recv_window_ms) {
  return common(symbol, timestamp_ms, recv_window_ms) + "&orderId=" + std::to_string(order_id);
}

std::string account_query(std::int64_t timestamp_ms, std::int64_t recv_window_ms) {
  return "omitZeroBalances=true&recvWindow=" + std::to_string(recv_window_ms) +
         "&timestamp=" + std::to_string(timestamp_ms);
}

namespace {

result<order_fill_part> fill_part(const json& f, const char* what) {
  order_fill_part p;
  p.commission_asset = text(f, "commissionAsset");
  if (!decimal(f, "price", p.px) || !decimal(f, "qty", p.qty) ||
      !decimal(f, "commission", p.commission) || p.commission_asset.empty())
    return make_error(errc::bad_data, std::string{"Binance's "} + what + " has a malformed fill");
  return p;
}

}  // namespace

result<std::vector<order_fill_part>> parse_trades(const std::string& body) {
  auto j = parse_bounded(body, "Binance's trades", 3);
  if (!j.ok())
    return j.err();
  if (!j.value().is_array() || j.value().size() > 10'000)
    return make_error(errc::bad_data, "Binance's trades are not a list");
  std::vector<order_fill_part> parts;
  for (const auto& t : j.value()) {
    auto p = fill_part(t, "trade list");
    if (!p.ok())
      return p.err();
    parts.push_back(std::move(p.value()));
  }
  return parts;
}

result<std::map<std::string, trading::quantity>> parse_balances(const std::string& body) {
  auto j = parse_bounded(body, "Binance's account", 4);
  if (!j.ok())
    return j.err();
  const auto& v = j.value();
  if (!v.is_object() || !v.contains("balances") || !v.at("balances").is_array())
    return make_error(errc::bad_data, "Binance's account answer has no balances");
  std::map<std::string, trading::quantity> out;
  for (const auto& b : v.at("balances")) {
    trading::quantity free, locked;
    const auto asset = text(b, "asset");
    if (asset.empty() || !decimal(b, "free", free) || !decimal(b, "locked", locked))
      return make_error(errc::bad_data, "Binance's account answer has a malformed balance");
    if ((free + locked).is_positive())
      out[asset] = free + locked;
  }
  return out;
}

bool order_in_progress(const std::string& status) {
  return status == "NEW" || status == "PARTIALLY_FILLED" || status == "PENDING_NEW";
}

result<order_answer> parse_order_answer(const std::string& body) {
  auto j = parse_bounded(body, "Binance's order answer", 4);
  if (!j.ok())
    return j.err();
  const auto& v = j.value();
  order_answer a;
  a.symbol = text(v, "symbol");
  a.order_id = integer(v, "orderId");
  a.client_order_id = text(v, "clientOrderId");
  a.status = text(v, "status");
  a.side = text(v, "side");
  a.time_ms = v.contains("transactTime") ? integer(v, "transactTime") : integer(v, "time");
  if (a.symbol.empty() || a.status.empty() || (a.side != "BUY" && a.side != "SELL") ||
      !decimal(v, "executedQty", a.executed_qty) || !decimal(v, "cummulativeQuoteQty", a.quote_qty))
    return make_error(errc::bad_data,
                      "Binance's order answer lacks its symbol, side, status or quantities");
  if (v.contains("fills")) {
    const auto& fills = v.at("fills");
    if (!fills.is_array() || fills.size() > 10'000)
      return make_error(errc::bad_data, "Binance's order answer has malformed fills");
    for (const auto& f : fills) {
      auto p = fill_part(f, "order answer");
      if (!p.ok())
        return p.err();
      a.fills.push_back(std::move(p.value()));
    }
  }
  return a;
}

namespace {

/// `sum += x`, or std::overflow_error past the fixed-point range (hostile commissions).
template <class Fixed>
void add_to(Fixed& sum, Fixed x) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(sum.units(), x.units(), &out))
    throw std::overflow_error("fixed-point value out of range");
  sum = Fixed::from_units(out);
}

result<booked_order> book_in_range(const order_answer& a, const std::string& base,
                                   const std::string& quote) {
  if (!a.executed_qty.is_positive())
    return make_error(errc::invalid_value, "Binance executed none of order " + a.client_order_id +
                                               " (status " + a.status + ")");
  booked_order b;
  b.px = trading::price::from_units(
      trading::divide(trading::int128{a.quote_qty.units()} * trading::fixed_scale,
                      a.executed_qty.units(), trading::rounding::nearest));
  trading::quantity in_base;
  for (const auto& f : a.fills) {
    if (f.commission_asset == base)
      add_to(in_base, f.commission);
    else if (f.commission_asset == quote)
      add_to(b.fee, trading::money::from_units(f.commission.units()));
    else if (f.commission.is_positive())
      add_to(b.other_fees[f.commission_asset], f.commission);
  }
  // A commission in the bought asset is taken from what the account received: it holds less,
  // and what it paid for that part is a fee in the quote currency.
  add_to(b.fee, trading::notional(b.px, in_base, trading::rounding::up));
  b.qty = a.side == "BUY" ? a.executed_qty - in_base : a.executed_qty;
  // Nothing the ledger could hold: a price or a quantity held that is not positive.
  if (!b.px.is_positive() || !b.qty.is_positive() || b.fee < trading::money{})
    return make_error(errc::bad_data, "Binance's answer for order " + a.client_order_id +
                                          " books no positive price and quantity");
  return b;
}

}  // namespace

result<booked_order> book_order(const order_answer& a, const std::string& base,
                                const std::string& quote) {
  try {
    return book_in_range(a, base, quote);
  } catch (const std::overflow_error&) {  // sums and prices beyond the fixed-point range
    return make_error(errc::bad_data, "Binance's answer for order " + a.client_order_id +
                                          " holds amounts out of range");
  }
}

long binance_error_code(const std::string& body) {
  auto j = parse_bounded(body, "Binance's error", 2);
  if (!j.ok() || !j.value().is_object() || !j.value().contains("code") ||
      !j.value().at("code").is_number_integer())
    return 0;
  return j.value().at("code").get<long>();
}

}  // namespace ct::exchange
