// The database's reads: the ledger and the configuration at start-up, the timeline's and the
// closed positions' pages. The writes are database.cpp's.
#include <limits>

#include <sqlite3.h>

#include "store/database.hpp"
#include "store/rows.hpp"

namespace ct::store {

saved_ledger database::load_ledger(std::size_t recent_closed) {
  saved_ledger out;
  auto l = db_.prepare(
      "SELECT starting_cash, cash, closed_realized, fees_paid, closed_count, next_position_id, "
      "order_seq, trading FROM ledger WHERE id = 1");
  if (l.step()) {
    ledger_row r;
    r.totals.starting_cash = trading::money::from_units(l.int64(0));
    r.totals.cash = trading::money::from_units(l.int64(1));
    r.totals.closed_realized = trading::money::from_units(l.int64(2));
    r.totals.fees_paid = trading::money::from_units(l.int64(3));
    r.totals.closed_count = static_cast<std::uint64_t>(l.int64(4));
    r.totals.next_id = static_cast<std::uint64_t>(l.int64(5));
    r.order_seq = static_cast<std::uint64_t>(l.int64(6));
    r.trading = l.int64(7) != 0;
    out.ledger = r;
  }
  auto open = db_.prepare(std::string{"SELECT "} + position_columns +
                          " FROM positions WHERE closed_at IS NULL ORDER BY rowid");
  while (open.step())
    out.open.push_back(read_position(open));
  auto closed = db_.prepare(std::string{"SELECT "} + position_columns +
                            " FROM positions WHERE close_no IS NOT NULL ORDER BY close_no DESC "
                            "LIMIT ?1");
  closed.bind(1, as_int(recent_closed));
  while (closed.step())
    out.recent_closed.push_front(read_position(closed));
  auto pending = db_.prepare(
      "SELECT order_id, symbol, side, qty, reason, at FROM orders WHERE status = 'submitted' "
      "ORDER BY rowid");
  while (pending.step()) {
    order_row o;
    o.order_id = pending.text(0);
    o.symbol = pending.text(1);
    o.side = pending.text(2);
    o.qty = trading::quantity::from_units(pending.int64(3));
    o.reason = pending.text(4);
    o.status = "submitted";
    o.at = trading::timestamp{std::chrono::nanoseconds{pending.int64(5)}};
    out.pending.push_back(std::move(o));
  }
  auto m = db_.prepare("SELECT market_ms FROM market_clock WHERE id = 1");
  if (m.step())
    out.market_ms = m.int64(0);
  return out;
}

std::optional<std::string> database::load_config_patch() {
  auto s = db_.prepare("SELECT value FROM settings WHERE key = 'config_patch'");
  if (s.step())
    return s.text(0);
  return std::nullopt;
}

std::int64_t database::schema_version() {
  return db_.scalar("PRAGMA user_version");
}

timeline_page database::timeline(const get_timeline& q) {
  timeline_page page;
  const std::uint64_t lo = q.after_seq ? *q.after_seq + 1 : 1;
  const std::uint64_t hi =
      q.before_seq ? (*q.before_seq == 0 ? 0 : *q.before_seq - 1)
                   : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (q.limit == 0 || hi == 0 || lo > hi)
    return page;
  const std::string type_filter = q.type.empty() ? "" : " AND type = ?4";
  auto s = db_.prepare(
      "SELECT seq, at, type, source, data FROM events WHERE seq BETWEEN ?1 AND ?2" + type_filter +
      (q.after_seq ? " ORDER BY seq ASC" : " ORDER BY seq DESC") + " LIMIT ?3");
  s.bind(1, as_int(lo)).bind(2, as_int(hi)).bind(3, as_int(q.limit));
  if (!q.type.empty())
    s.bind(4, q.type);
  while (s.step())
    page.events.push_back(timeline_event{static_cast<std::uint64_t>(s.int64(0)),
                                         trading::timestamp{std::chrono::nanoseconds{s.int64(1)}},
                                         s.text(2), s.text(3), s.text(4)});
  if (q.after_seq)
    std::reverse(page.events.begin(), page.events.end());
  if (page.events.empty())
    return page;
  const auto smallest = page.events.back().seq;
  auto older =
      db_.prepare("SELECT 1 FROM events WHERE seq >= ?1 AND seq < ?2" + type_filter + " LIMIT 1");
  older.bind(1, as_int(lo)).bind(2, as_int(smallest));
  if (!q.type.empty())
    older.bind(4, q.type);
  if (older.step())
    page.next_before_seq = smallest;
  return page;
}

closed_page database::closed_positions(const closed_query& q) {
  closed_page page;
  if (q.limit == 0)
    return page;
  const std::string symbol_filter = q.symbol.empty() ? "" : " AND symbol = ?3";
  auto s = db_.prepare(std::string{"SELECT "} + position_columns +
                       ", close_no FROM positions WHERE close_no IS NOT NULL AND close_no < ?1" +
                       symbol_filter + " ORDER BY close_no DESC LIMIT ?2");
  s.bind(1, q.before ? as_int(*q.before) : std::numeric_limits<std::int64_t>::max());
  s.bind(2, as_int(q.limit) + 1);  // one more tells whether older ones exist
  if (!q.symbol.empty())
    s.bind(3, q.symbol);
  std::uint64_t last_no = 0;
  while (s.step()) {
    if (page.positions.size() == q.limit) {
      page.next_before = last_no;
      break;
    }
    page.positions.push_back(read_position(s));
    last_no = static_cast<std::uint64_t>(s.int64(22));
  }
  return page;
}

equity_page database::equity(const equity_query& q) {
  equity_page page;
  const auto lo = q.from_ms.value_or(std::numeric_limits<std::int64_t>::min());
  const auto hi = q.to_ms.value_or(std::numeric_limits<std::int64_t>::max());
  if (q.limit == 0 || lo >= hi)
    return page;
  auto range = db_.prepare(
      "SELECT count(*), min(market_ms), max(market_ms) FROM equity WHERE market_ms >= ?1 AND "
      "market_ms < ?2");
  range.bind(1, lo).bind(2, hi);
  range.step();
  page.samples = static_cast<std::uint64_t>(range.int64(0));
  if (page.samples == 0)
    return page;
  const auto first = range.int64(1);
  const auto span = range.int64(2) - first + 1;
  const auto read = [&page](statement& s) {
    while (s.step())
      page.points.push_back(equity_sample{
          s.int64(0), trading::timestamp{std::chrono::nanoseconds{s.int64(1)}},
          trading::money::from_units(s.int64(2)), trading::money::from_units(s.int64(3))});
  };
  if (page.samples <= q.limit) {
    auto all = db_.prepare(
        "SELECT market_ms, at, equity, cash FROM equity WHERE market_ms >= ?1 AND market_ms < ?2 "
        "ORDER BY market_ms");
    all.bind(1, lo).bind(2, hi);
    read(all);
    return page;
  }
  // The last sample of each of `limit` equal spans of market time. With max(), SQLite takes the
  // other columns from the row holding the maximum. Spans of market time stay below 2^43 ms
  // and limits below 2^20: the product fits.
  auto buckets = db_.prepare(
      "SELECT max(market_ms), at, equity, cash FROM equity WHERE market_ms >= ?1 AND "
      "market_ms < ?2 GROUP BY (market_ms - ?3) * ?4 / ?5 ORDER BY 1");
  buckets.bind(1, lo).bind(2, hi).bind(3, first).bind(4, as_int(q.limit)).bind(5, span);
  read(buckets);
  return page;
}

}  // namespace ct::store
