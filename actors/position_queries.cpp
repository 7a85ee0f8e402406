#include "actors/position_queries.hpp"

#include <caf/send.hpp>

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
  return s;
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
