#include "actors/position_queries.hpp"

#include <caf/send.hpp>

#include "messages/metrics.hpp"

namespace ct::actors {

msg::status_snapshot status_of(const position_manager_state& st) {
  msg::status_snapshot s;
  s.trading = st.trading;
  s.mode = st.cfg.mode;
  s.exchange = st.cfg.exchange.name;
  s.trading_since = st.trading_since;
  s.scan_interval_ms = st.cfg.scan_interval_ms;
  s.last_scan_at = st.last_scan_at;
  s.scans = st.scans;
  s.open_positions = st.book.open_positions().size();
  s.closed_positions = st.book.closed_count();
  s.cash = st.book.cash();
  s.equity = st.book.equity();
  s.realized_pnl = st.book.realized_pnl();
  s.unrealized_pnl = st.book.unrealized_pnl();
  s.starting_cash = st.book.starting_cash();
  s.fees_paid = st.book.fees_paid();
  s.quote_currency = st.deps.quote_currency;
  s.restarts = st.restarts;
  s.exchange_state = st.exchange;
  s.weight_used = st.weight_used;
  s.weight_limit = st.weight_limit;
  return s;
}

std::string metrics_text(const position_manager_state& st) {
  msg::prom_text out;
  const auto& b = st.book;
  const std::string_view quote = st.deps.quote_currency;
  out.family("ct_trading", "gauge", "1 while the bot is trading, else 0.")
      .sample("ct_trading", st.trading ? 1 : 0);
  const std::pair<const char*, trading::money> money[] = {{"ct_equity", b.equity()},
                                                          {"ct_cash", b.cash()},
                                                          {"ct_realized_pnl", b.realized_pnl()},
                                                          {"ct_unrealized_pnl", b.unrealized_pnl()},
                                                          {"ct_fees_paid", b.fees_paid()}};
  for (const auto& [name, value] : money)
    out.family(name, "gauge", "In the quote currency.")
        .sample(name, {{"currency", quote}}, value.to_double());
  out.family("ct_open_positions", "gauge", "Positions open now.")
      .sample("ct_open_positions", static_cast<double>(b.open_positions().size()));
  out.family("ct_closed_positions_total", "counter", "Positions closed, ever (the ledger's count).")
      .sample("ct_closed_positions_total", static_cast<double>(b.closed_count()));
  const std::pair<const char*, const std::array<std::uint64_t, 2>*> orders[] = {
      {"ct_orders_submitted_total", &st.orders_submitted},
      {"ct_orders_filled_total", &st.orders_filled},
      {"ct_orders_rejected_total", &st.orders_rejected}};
  for (const auto& [name, counts] : orders) {
    out.family(name, "counter", "Market orders since the position manager started, by side.");
    out.sample(name, {{"side", "buy"}}, static_cast<double>((*counts)[0]));
    out.sample(name, {{"side", "sell"}}, static_cast<double>((*counts)[1]));
  }
  out.family("ct_exchange_up", "gauge", "1 while the exchange answers the scans, else 0.")
      .sample("ct_exchange_up", st.exchange.state == msg::health::ok ? 1 : 0);
  out.family("ct_exchange_consecutive_failures", "gauge",
             "Scans in a row that the exchange failed.")
      .sample("ct_exchange_consecutive_failures",
              static_cast<double>(st.exchange.consecutive_failures));
  return out.take();
}

void publish_state(position_manager_state& st) {
  st.last_published = std::chrono::steady_clock::now();
  if (auto b = st.deps.peers.broadcaster)
    caf::anon_send(
        b, msg::publish_status{status_of(st), st.book.open_positions(), st.deps.clock->now()});
}

caf::result<msg::positions_snapshot> positions(position_manager_ptr self,
                                               const msg::get_positions& q) {
  const auto& st = self->state;
  msg::positions_snapshot out;
  auto wanted = [&](const trading::position& p) {
    return q.symbol.empty() || p.symbol == q.symbol;
  };
  if (q.state == msg::position_filter::open ||
      (q.state == msg::position_filter::all && !q.before))  // before pages closed ones
    for (const auto& p : st.book.open_positions())
      if (wanted(p))
        out.positions.push_back(p);
  if (q.state == msg::position_filter::open)
    return when_committed(self, std::move(out));
  // History pages come from the store; memory holds only the recent ones.
  if (auto reader = st.deps.store_reader) {
    auto rp = self->make_response_promise<msg::positions_snapshot>();
    self->request(reader, std::chrono::milliseconds{st.cfg.http.request_timeout_ms},
                  msg::closed_query{q.limit, q.before, q.symbol})
        .then(
            [=](msg::closed_page& page) mutable {
              for (auto& p : page.positions)
                out.positions.push_back(std::move(p));
              out.next_before = page.next_before;
              rp.deliver(std::move(out));
            },
            [=](caf::error& e) mutable { rp.deliver(std::move(e)); });
    return rp;
  }
  if (q.state != msg::position_filter::open)
    for (auto it = st.book.closed_positions().rbegin(); it != st.book.closed_positions().rend();
         ++it)
      if (wanted(*it))
        out.positions.push_back(*it);
  return out;
}

}  // namespace ct::actors
