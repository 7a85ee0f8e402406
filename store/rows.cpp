#include "store/rows.hpp"

namespace ct::store {

namespace {

std::int64_t ns(trading::timestamp t) {
  return t.time_since_epoch().count();
}

trading::timestamp at_ns(std::int64_t v) {
  return trading::timestamp{std::chrono::nanoseconds{v}};
}

template <class Fixed>
std::optional<std::int64_t> units(const std::optional<Fixed>& v) {
  return v ? std::optional<std::int64_t>{v->units()} : std::nullopt;
}

template <class Fixed>
std::optional<Fixed> fixed_of(std::optional<std::int64_t> v) {
  return v ? std::optional<Fixed>{Fixed::from_units(*v)} : std::nullopt;
}

}  // namespace

const char* const position_columns =
    "id, symbol, side, qty, entry_price, cost, entry_fee, mark, stop_loss, take_profit, "
    "opened_at, entry_order_id, strategy, entry_reason, closed_at, exit_reason, exit_price, "
    "proceeds, exit_fee, exit_order_id, entry_market_ms, exit_market_ms";

void bind_position(statement& s, const trading::position& p) {
  s.bind(1, p.id)
      .bind(2, p.symbol)
      .bind(3, static_cast<std::int64_t>(p.side))
      .bind(4, p.qty.units())
      .bind(5, p.entry_price.units())
      .bind(6, p.cost.units())
      .bind(7, p.entry_fee.units())
      .bind(8, p.mark.units())
      .bind(9, units(p.stop_loss))
      .bind(10, units(p.take_profit))
      .bind(11, ns(p.opened_at))
      .bind(12, p.entry_order_id)
      .bind(13, p.strategy)
      .bind(14, p.entry_reason)
      .bind(15, p.closed_at ? std::optional<std::int64_t>{ns(*p.closed_at)} : std::nullopt)
      .bind(16, p.exit_reason ? std::optional<std::int64_t>{static_cast<int>(*p.exit_reason)}
                              : std::nullopt)
      .bind(17, p.exit_price.units())
      .bind(18, p.proceeds.units())
      .bind(19, p.exit_fee.units())
      .bind(20, p.exit_order_id)
      .bind(21, p.entry_market_ms)
      .bind(22, p.exit_market_ms);
}

trading::position read_position(const statement& s) {
  trading::position p;
  p.id = s.text(0);
  p.symbol = s.text(1);
  p.side = static_cast<trading::side>(s.int64(2));
  p.qty = trading::quantity::from_units(s.int64(3));
  p.entry_price = trading::price::from_units(s.int64(4));
  p.cost = trading::money::from_units(s.int64(5));
  p.entry_fee = trading::money::from_units(s.int64(6));
  p.mark = trading::price::from_units(s.int64(7));
  p.stop_loss = fixed_of<trading::price>(s.maybe_int64(8));
  p.take_profit = fixed_of<trading::price>(s.maybe_int64(9));
  p.opened_at = at_ns(s.int64(10));
  p.entry_order_id = s.text(11);
  p.strategy = s.text(12);
  p.entry_reason = s.text(13);
  if (auto c = s.maybe_int64(14))
    p.closed_at = at_ns(*c);
  if (auto r = s.maybe_int64(15))
    p.exit_reason = static_cast<trading::exit_reason>(*r);
  p.exit_price = trading::price::from_units(s.int64(16));
  p.proceeds = trading::money::from_units(s.int64(17));
  p.exit_fee = trading::money::from_units(s.int64(18));
  p.exit_order_id = s.text(19);
  p.entry_market_ms = s.int64(20);
  p.exit_market_ms = s.int64(21);
  return p;
}

}  // namespace ct::store
