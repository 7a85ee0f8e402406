#include "actors/binance_rest.hpp"

#include "exchange/binance.hpp"
#include "messages/errors.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::binance_rest_actor::stateful_pointer<binance_rest_state>;

caf::error unavailable(const std::string& why) {
  return msg::actor_error(msg::errc::exchange_unavailable, why);
}

/// GET `path` of weight `weight`: a 200's body, else an error naming Binance's answer.
result<std::string> fetch(binance_rest_state& st, const std::string& path, int weight) {
  if (!st.paced)
    return make_error(errc::exchange_unavailable, st.setup_error);
  auto r = st.paced->get(path, weight);
  if (!r.ok())
    return r.err();
  if (r.value().status != 200)
    return make_error(errc::exchange_unavailable,
                      exchange::describe_error(r.value().status, r.value().body));
  return std::move(r.value().body);
}

msg::weight_in_use weight(const binance_rest_state& st) {
  if (!st.paced)
    return {};
  return {st.paced->weight_used(), st.paced->weight_limit()};
}

}  // namespace

msg::binance_rest_actor::behavior_type binance_rest(
    self_ptr self, std::shared_ptr<const msg::binance_market> market,
    std::chrono::milliseconds timeout, std::shared_ptr<interruptible_sleep> sleeper) {
  auto& st = self->state;
  st.sleeper = std::move(sleeper);
  st.timeframe = market->timeframe;
  exchange::rest_options o;
  o.base_url = market->rest_url;
  if (!market->ca_file.empty())
    o.ca_file = market->ca_file;
  o.timeout = timeout;
  auto c = exchange::rest_client::make(o);
  if (c.ok()) {
    st.client = std::move(c.value());
    st.paced = std::make_unique<exchange::paced_rest>(*st.client, sleep_until_on(st.sleeper), 3,
                                                      market->gate);
    st.paced->set_weight_limit(market->weight_per_minute);
  } else {
    st.setup_error = c.err().message;
  }
  return {
      [=](const msg::klines_query& q) -> caf::result<msg::klines_answer> {
        auto& s = self->state;
        const auto path = "/api/v3/klines?symbol=" + q.name + "&interval=" + s.timeframe +
                          "&startTime=" + std::to_string(q.from_ms) +
                          "&endTime=" + std::to_string(q.to_ms) + "&limit=1000";
        auto body = fetch(s, path, 2);
        if (!body.ok())
          return unavailable(body.err().message);
        auto rows = exchange::parse_klines(body.value());
        if (!rows.ok())
          return unavailable(rows.err().message);
        msg::klines_answer a{q.name, {}, weight(s)};
        for (const auto& k : rows.value()) {
          auto op = trading::price::parse(k.open);
          auto h = trading::price::parse(k.high);
          auto l = trading::price::parse(k.low);
          auto cl = trading::price::parse(k.close);
          auto v = trading::quantity::parse(k.volume);
          if (!op || !h || !l || !cl || !v)
            return unavailable("Binance's kline at " + std::to_string(k.open_ms) +
                               " is beyond the candle format's range");
          a.candles.push_back({k.open_ms, *op, *h, *l, *cl, *v});
        }
        return a;
      },
      [=](const msg::depth_query& q) -> caf::result<msg::depth_answer> {
        auto body = fetch(self->state, "/api/v3/depth?symbol=" + q.name + "&limit=100", 5);
        if (!body.ok())
          return unavailable(body.err().message);
        auto snap = exchange::parse_depth_snapshot(body.value());
        if (!snap.ok())
          return unavailable(snap.err().message);
        return msg::depth_answer{q.name, std::move(snap.value()), weight(self->state)};
      },
  };
}

}  // namespace ct::actors
