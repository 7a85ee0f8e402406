#include "actors/binance_account.hpp"

#include <algorithm>

#include "actors/log.hpp"
#include "exchange/binance.hpp"
#include "exchange/binance_orders.hpp"
#include "exchange/signing.hpp"
#include "messages/errors.hpp"
#include "trading/symbol.hpp"
#include "trading/time.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::binance_account_actor::stateful_pointer<binance_account_state>;
using outcome = msg::order_outcome;
using std::chrono::milliseconds;

std::int64_t our_now_ms() {
  return trading::to_unix_ms(trading::system_clock{}.now());
}

/// Binance's clock, as start-up measured its offset.
std::int64_t exchange_now_ms(const binance_account_state& st) {
  return our_now_ms() + st.clock_offset_ms;
}

/// Binance's "outside of the recvWindow": its clock and ours drifted apart.
inline constexpr long timestamp_outside_window = -1021;

/// Measures Binance's clock again (after a -1021): the offset at the middle of the round trip.
void measure_clock(binance_account_state& st) {
  const auto sent = our_now_ms();
  auto r = st.paced->get("/api/v3/time", 1);
  const auto received = our_now_ms();
  if (!r.ok() || r.value().status != 200)
    return;
  if (auto server = exchange::parse_server_time(r.value().body); server.ok()) {
    logger("binance_account")
        ->warn("Binance's clock measured again offset_ms={} was={}",
               server.value() - (sent + received) / 2, st.clock_offset_ms);
    st.clock_offset_ms = server.value() - (sent + received) / 2;
  }
}

/// After an answer: a -1021 measures the clock again; true when it was one.
bool clock_refused(binance_account_state& st, const result<exchange::rest_response>& r) {
  if (!r.ok() || exchange::binance_error_code(r.value().body) != timestamp_outside_window)
    return false;
  measure_clock(st);
  return true;
}

std::string binance_name(const binance_account_state& st, const std::string& symbol) {
  const auto& m = *st.market;
  const auto it = std::find(m.symbols.begin(), m.symbols.end(), symbol);
  return it == m.symbols.end() ? std::string{} : m.names[it - m.symbols.begin()];
}

/// A signed request, sent once: `query` with its signature, the key in X-MBX-APIKEY.
result<exchange::rest_response> signed_call(binance_account_state& st, const char* method,
                                            const char* path, const std::string& query,
                                            int weight) {
  return st.paced->send_once(
      method, std::string{path} + "?" + exchange::signed_query(query, st.credentials.secret),
      {"X-MBX-APIKEY: " + st.credentials.key}, weight);
}

/// Whether an answer settles the request: a 2XX, or a refusal Binance made knowing the
/// request (a 4XX other than a rate limit, and not its "status unknown" codes -1006/-1007).
bool settled(const exchange::rest_response& r) {
  if (r.status >= 200 && r.status < 300)
    return true;
  if (r.status < 400 || r.status >= 500 || r.status == 429 || r.status == 418)
    return false;
  const auto code = exchange::binance_error_code(r.body);
  return code != -1006 && code != -1007;
}

outcome make_outcome(outcome::kind k, std::string why) {
  outcome o;
  o.what = k;
  o.error = std::move(why);
  return o;
}

/// The fill an executed order books.
outcome filled(const msg::place_order& o, const exchange::order_answer& a) {
  const auto parts = trading::split_symbol(o.symbol);
  auto b = exchange::book_order(a, parts->base, parts->quote);
  if (!b.ok())  // it executed, but its figures cannot be booked: it stays to be asked again
    return make_outcome(outcome::kind::unknown, b.err().message);
  outcome out;
  out.what = outcome::kind::filled;
  out.fill = trading::fill{o.client_id,
                           o.symbol,
                           o.side,
                           b.value().qty,
                           b.value().px,
                           b.value().fee,
                           trading::system_clock{}.now()};
  out.other_fees = std::move(b.value().other_fees);
  return out;
}

/// Asks for order `r` until Binance knows what became of it, or the service stops.
outcome resolve(binance_account_state& st, const msg::resolve_order& r) {
  const auto name = binance_name(st, r.symbol);
  const msg::place_order o{r.client_id, r.symbol, r.side, {}};
  // After this (our clock), Binance can no longer accept the order: "does not exist" is final.
  const auto too_late_ms = r.sent_ms + recv_window_ms + 1000;
  milliseconds pause{500};
  auto log = logger("binance_account");
  for (;;) {
    auto answer = signed_call(
        st, "GET", "/api/v3/order",
        exchange::order_lookup_query(name, r.client_id, exchange_now_ms(st), recv_window_ms), 4);
    std::string why;
    if (answer.ok() && answer.value().status == 200) {
      auto a = exchange::parse_order_answer(answer.value().body);
      if (a.ok() && !exchange::order_in_progress(a.value().status)) {
        if (!a.value().executed_qty.is_positive())
          return make_outcome(outcome::kind::not_placed, "Binance did not execute order " +
                                                             r.client_id + " (status " +
                                                             a.value().status + ")");
        auto trades = signed_call(st, "GET", "/api/v3/myTrades",
                                  exchange::order_trades_query(name, a.value().order_id,
                                                               exchange_now_ms(st), recv_window_ms),
                                  20);
        if (trades.ok() && trades.value().status == 200) {
          auto parts = exchange::parse_trades(trades.value().body);
          if (parts.ok()) {
            a.value().fills = std::move(parts.value());
            return filled(o, a.value());
          }
          why = parts.err().message;
        } else {
          why = trades.ok() ? exchange::describe_error(trades.value().status, trades.value().body)
                            : trades.err().message;
        }
      } else {
        why = a.ok() ? "order " + r.client_id + " is still " + a.value().status : a.err().message;
      }
    } else if (answer.ok() &&
               exchange::binance_error_code(answer.value().body) == exchange::no_such_order) {
      if (our_now_ms() > too_late_ms)
        return make_outcome(outcome::kind::not_placed,
                            "Binance has no order " + r.client_id + ": it was never placed");
      why = "Binance does not know order " + r.client_id + " yet";
      pause = milliseconds{std::max<std::int64_t>(too_late_ms - our_now_ms() + 1, 1)};
    } else if (answer.ok()) {
      why = exchange::describe_error(answer.value().status, answer.value().body);
      clock_refused(st, answer);  // asked again on Binance's clock
    } else if (answer.err().code == errc::shutting_down) {
      why = "the service stopped";
    } else {
      why = answer.err().message;
    }
    log->warn("Order outcome unknown client_order_id={} error=\"{}\"; asking again", r.client_id,
              why);
    if (!st.sleeper->sleep_for(pause))
      return make_outcome(outcome::kind::unknown,
                          "the service stopped before Binance said what "
                          "became of order " +
                              r.client_id + " (" + why + ")");
    pause = std::min(pause * 2, milliseconds{10'000});
  }
}

outcome place(binance_account_state& st, const msg::place_order& o) {
  if (!st.paced)
    return make_outcome(outcome::kind::rejected, st.setup_error);
  const auto name = binance_name(st, o.symbol);
  if (name.empty())
    return make_outcome(outcome::kind::rejected, o.symbol + " is not traded on Binance here");
  const auto sent = our_now_ms();
  auto answer = signed_call(st, "POST", "/api/v3/order",
                            exchange::market_order_query(name, o.side, o.qty, o.client_id,
                                                         sent + st.clock_offset_ms, recv_window_ms),
                            1);
  if (answer.ok() && settled(answer.value())) {
    const auto& r = answer.value();
    clock_refused(st, answer);  // that order is refused; the next is on Binance's clock again
    if (r.status >= 400)
      return make_outcome(outcome::kind::rejected, "Binance refused the order: " +
                                                       exchange::describe_error(r.status, r.body));
    auto a = exchange::parse_order_answer(r.body);
    if (a.ok() && !exchange::order_in_progress(a.value().status))
      return a.value().executed_qty.is_positive()
                 ? filled(o, a.value())
                 : make_outcome(outcome::kind::not_placed, "Binance did not execute order " +
                                                               o.client_id + " (status " +
                                                               a.value().status + ")");
  }
  // The answer was lost, or does not settle it: never send the order again; ask for it.
  logger("binance_account")
      ->warn("Order answer lost client_order_id={} error=\"{}\"; looking it up", o.client_id,
             answer.ok() ? exchange::describe_error(answer.value().status, answer.value().body)
                         : answer.err().message);
  return resolve(st, {o.client_id, o.symbol, o.side, sent});
}

}  // namespace

msg::binance_account_actor::behavior_type binance_account(
    self_ptr self, std::shared_ptr<const msg::binance_market> market,
    msg::exchange_credentials credentials, milliseconds timeout,
    std::shared_ptr<interruptible_sleep> sleeper, std::shared_ptr<std::atomic<bool>> cancel) {
  auto& st = self->state;
  st.cancel = std::move(cancel);
  st.market = std::move(market);
  st.clock_offset_ms = st.market->clock_offset_ms;
  st.credentials = std::move(credentials);
  st.sleeper = std::move(sleeper);
  exchange::rest_options o;
  o.base_url = st.market->rest_url;
  if (!st.market->ca_file.empty())
    o.ca_file = st.market->ca_file;
  o.timeout = timeout;
  o.cancel = st.cancel.get();  // a stop cuts a call in flight short (its order stays submitted)
  auto c = exchange::rest_client::make(o);
  if (c.ok()) {
    st.client = std::move(c.value());
    st.paced = std::make_unique<exchange::paced_rest>(*st.client, sleep_until_on(st.sleeper), 1,
                                                      st.market->gate);
    st.paced->set_weight_limit(st.market->weight_per_minute);
  } else {
    st.setup_error = c.err().message;
  }
  return {
      [=](const msg::place_order& order) { return place(self->state, order); },
      [=](const msg::resolve_order& r) -> outcome {
        if (!self->state.paced)
          return make_outcome(outcome::kind::unknown, self->state.setup_error);
        return resolve(self->state, r);
      },
      [=](msg::balances_query) -> caf::result<msg::account_balances> {
        auto& s = self->state;
        if (!s.paced)
          return msg::actor_error(msg::errc::exchange_unavailable, s.setup_error);
        auto r = signed_call(s, "GET", "/api/v3/account",
                             exchange::account_query(exchange_now_ms(s), recv_window_ms), 20);
        if (clock_refused(s, r))
          r = signed_call(s, "GET", "/api/v3/account",
                          exchange::account_query(exchange_now_ms(s), recv_window_ms), 20);
        if (!r.ok())
          return msg::actor_error(msg::errc::exchange_unavailable, r.err().message);
        if (r.value().status != 200)
          return msg::actor_error(msg::errc::exchange_unavailable,
                                  exchange::describe_error(r.value().status, r.value().body));
        auto b = exchange::parse_balances(r.value().body);
        if (!b.ok())
          return msg::actor_error(msg::errc::exchange_unavailable, b.err().message);
        return msg::account_balances{std::move(b.value())};
      },
  };
}

}  // namespace ct::actors
