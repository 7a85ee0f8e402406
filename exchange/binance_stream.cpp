#include "exchange/binance_stream.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "exchange/binance.hpp"
#include "exchange/bounded_json.hpp"

namespace ct::exchange {

namespace {

using nlohmann::json;

constexpr std::size_t max_depth = 6;
constexpr std::size_t max_levels = 5000;  // Binance's deepest snapshot

result<json> parse(const std::string& text, const char* what) {
  return parse_bounded(text, std::string{"Binance's "} + what, max_depth);
}

const json* field(const json& o, const char* key) {
  if (!o.is_object())
    return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string text(const json& o, const char* key) {
  const auto* f = field(o, key);
  return f && f->is_string() ? f->get<std::string>() : std::string{};
}

template <class Fixed>
bool decimal(const json& o, const char* key, Fixed& out) {
  const auto* f = field(o, key);
  if (!f || !f->is_string() || !is_binance_decimal(f->get_ref<const std::string&>()))
    return false;
  auto v = Fixed::parse(f->get_ref<const std::string&>());
  if (!v)
    return false;
  out = *v;
  return true;
}

/// A signed decimal ("-1.250") as a double.
bool signed_number(const json& o, const char* key, double& out) {
  auto s = text(o, key);
  const bool negative = !s.empty() && s.front() == '-';
  if (negative)
    s.erase(0, 1);
  if (!is_binance_decimal(s))
    return false;
  out = std::strtod(s.c_str(), nullptr) * (negative ? -1 : 1);
  return true;
}

bool integer(const json& o, const char* key, std::int64_t& out) {
  const auto* f = field(o, key);
  if (!f || !f->is_number_integer())
    return false;
  out = f->get<std::int64_t>();
  return true;
}

/// A side's levels; `snapshot`: a level of zero size (none in Binance's) is left out.
result<void> levels(const json& side, std::vector<trading::book_level>& out, bool snapshot) {
  if (!side.is_array() || side.size() > max_levels)
    return make_error(errc::bad_data, "a book side is not an array of at most 5000 levels");
  out.reserve(side.size());
  for (const auto& l : side) {
    if (!l.is_array() || l.size() < 2 || !l[0].is_string() || !l[1].is_string() ||
        !is_binance_decimal(l[0].get_ref<const std::string&>()) ||
        !is_binance_decimal(l[1].get_ref<const std::string&>()))
      return make_error(errc::bad_data, "a book level is not [price, size]");
    auto px = trading::price::parse(l[0].get_ref<const std::string&>());
    auto qty = trading::quantity::parse(l[1].get_ref<const std::string&>());
    if (!px || !qty || !px->is_positive())
      return make_error(errc::bad_data, "a book level is beyond range");
    if (!snapshot || qty->is_positive())
      out.push_back({*px, *qty});
  }
  return {};
}

result<stream_event> kline_of(const json& d) {
  const auto* k = field(d, "k");
  kline_event e;
  e.symbol = text(d, "s");
  const auto interval = k ? text(*k, "i") : std::string{};
  auto step = binance_timeframe_ms(interval);
  if (!k || e.symbol.empty() || !step.ok() || !integer(*k, "t", e.bar.open_time_ms) ||
      !decimal(*k, "o", e.bar.open) || !decimal(*k, "h", e.bar.high) ||
      !decimal(*k, "l", e.bar.low) || !decimal(*k, "c", e.bar.close) ||
      !decimal(*k, "v", e.bar.volume) || !field(*k, "x") || !field(*k, "x")->is_boolean())
    return make_error(errc::bad_data, "a kline event is malformed");
  if (e.bar.low > e.bar.high || !e.bar.low.is_positive() || e.bar.open_time_ms % step.value() != 0)
    return make_error(errc::bad_data, "a kline event's prices or time are inconsistent");
  // The range holds the open and the close (Binance's own example has an open below its low).
  e.bar.high = std::max({e.bar.high, e.bar.open, e.bar.close});
  e.bar.low = std::min({e.bar.low, e.bar.open, e.bar.close});
  e.step_ms = step.value();
  e.closed = field(*k, "x")->get<bool>();
  return stream_event{std::move(e)};
}

result<stream_event> ticker_of(const json& d) {
  ticker_event e;
  e.symbol = text(d, "s");
  if (e.symbol.empty() || !decimal(d, "c", e.last) || !decimal(d, "b", e.bid) ||
      !decimal(d, "a", e.ask) || !signed_number(d, "P", e.change_pct) ||
      !signed_number(d, "v", e.volume))
    return make_error(errc::bad_data, "a 24hrTicker event is malformed");
  return stream_event{std::move(e)};
}

result<stream_event> depth_of(const json& d) {
  depth_event e;
  e.symbol = text(d, "s");
  if (e.symbol.empty() || !integer(d, "U", e.first_id) || !integer(d, "u", e.last_id) ||
      e.first_id > e.last_id || !field(d, "b") || !field(d, "a"))
    return make_error(errc::bad_data, "a depthUpdate event is malformed");
  if (auto r = levels(*field(d, "b"), e.changes.bids, false); !r.ok())
    return r.err();
  if (auto r = levels(*field(d, "a"), e.changes.asks, false); !r.ok())
    return r.err();
  return stream_event{std::move(e)};
}

}  // namespace

result<stream_event> parse_stream_message(const std::string& text_in) {
  auto j = parse(text_in, "stream message");
  if (!j.ok())
    return j.err();
  const auto* data = field(j.value(), "data");
  if (!data || !data->is_object())
    return make_error(errc::bad_data, "a stream message without data");
  const auto type = text(*data, "e");
  if (type == "kline")
    return kline_of(*data);
  if (type == "24hrTicker")
    return ticker_of(*data);
  if (type == "depthUpdate")
    return depth_of(*data);
  return make_error(errc::bad_data, "a stream event of unknown type '" + type.substr(0, 40) + "'");
}

result<depth_snapshot> parse_depth_snapshot(const std::string& body) {
  auto j = parse(body, "depth answer");
  if (!j.ok())
    return j.err();
  depth_snapshot s;
  const auto& v = j.value();
  if (!integer(v, "lastUpdateId", s.last_update_id) || !field(v, "bids") || !field(v, "asks"))
    return make_error(errc::bad_data, "Binance's depth answer has no lastUpdateId, bids or asks");
  if (auto r = levels(*field(v, "bids"), s.book.bids, true); !r.ok())
    return r.err();
  if (auto r = levels(*field(v, "asks"), s.book.asks, true); !r.ok())
    return r.err();
  return s;
}

std::string stream_path(const std::vector<std::string>& symbols, const std::string& timeframe) {
  std::string path = "/stream?streams=";
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    std::string lower;
    for (char c : symbols[i])
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (i > 0)
      path += '/';
    path += lower + "@kline_" + timeframe + '/' + lower + "@ticker/" + lower + "@depth@100ms";
  }
  return path;
}

}  // namespace ct::exchange
