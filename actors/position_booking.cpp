// Booking what orders came to: fills on the ledger (a buy opens a position, a sell closes it),
// refusals, and what the reconciliation at start found of orders left submitted.
#include "actors/position_booking.hpp"

#include <algorithm>

#include "actors/log.hpp"
#include "messages/json.hpp"

namespace ct::actors {

using nlohmann::json;

void track_order(position_manager_state& st, const std::string& id, const std::string& symbol,
                 trading::order_side side, trading::quantity qty, const std::string& reason,
                 const char* status, const std::string& error) {
  st.outbox.orders.push_back(msg::order_row{id, symbol, trading::to_string(side), qty, reason,
                                            status, error, st.deps.clock->now()});
}

namespace {

void record_fill(position_manager_state& st, const std::string& client_id, const trading::fill& f) {
  auto data = msg::to_json(f);
  data["client_order_id"] = client_id;
  data["mode"] = msg::name_of(st.cfg.mode);
  // A commission in another asset (BNB): a fee in that asset, beside `fee` in the quote.
  if (auto it = st.other_fees.find(client_id); it != st.other_fees.end()) {
    auto fees = json::object();
    for (const auto& [asset, qty] : it->second)
      fees[asset] = msg::number(qty);
    data["other_fees"] = fees;
    st.other_fees.erase(it);
  }
  record(st, "order_filled", data);
  ++st.orders_filled[f.side == trading::order_side::buy ? 0 : 1];
  st.outbox.fills.push_back(f);
  track_order(st, client_id, f.symbol, f.side, f.qty, "", "filled");
}

}  // namespace

void record_rejection(position_manager_state& st, const std::string& client_id,
                      const std::string& symbol, trading::order_side side, const std::string& why) {
  record(st, "order_rejected",
         {{"order_id", client_id},
          {"symbol", symbol},
          {"side", trading::to_string(side)},
          {"error", why}});
  track_order(st, client_id, symbol, side, {}, "", "rejected", why);
  ++st.orders_rejected[side == trading::order_side::buy ? 0 : 1];
  logger("position_manager")
      ->warn("Order rejected order_id={} symbol={} side={} error=\"{}\"", client_id, symbol,
             trading::to_string(side), why);
}

void book_entry(position_manager_state& st, const std::string& client_id, const trading::fill& f,
                const trading::opportunity& signal) {
  record_fill(st, client_id, f);
  const auto& rules = st.engine.rules();
  const auto& p = st.book.open(f, trading::stop_loss_price(f.px, rules.stop_loss_ppm),
                               trading::take_profit_price(f.px, rules.take_profit_ppm),
                               signal.strategy, signal.reason, st.candle_ms);
  if (auto q = st.quotes.find(p.symbol); q != st.quotes.end())
    st.book.mark(p.symbol, q->second.bid);
  st.engine.entered(symbol_index(st, p.symbol), f.px, st.candle_ms);
  record(st, "position_opened", msg::to_json(*st.book.find_open(p.id)));
  st.outbox.positions.push_back(*st.book.find_open(p.id));
  logger("position_manager")
      ->info("Position opened id={} symbol={} qty={} price={} fee={}", p.id, p.symbol,
             p.qty.to_string(), p.entry_price.to_string(), p.entry_fee.to_string());
  checkpoint(st);
}

namespace {

/// A sell rounded down to the exchange's step leaves the rest of the position on the account:
/// less than a step (a commission in the bought asset) is dust; more is worth a warning.
void warn_of_remainder(const position_manager_state& st, const std::string& id,
                       const trading::fill& f) {
  const auto* p = st.book.find_open(id);
  if (p == nullptr || f.qty >= p->qty)
    return;
  const auto left = p->qty - f.qty;
  const auto rules = st.deps.lot_rules.find(f.symbol);
  const bool dust = rules != st.deps.lot_rules.end() &&
                    left < std::max(rules->second.step, rules->second.market_step);
  logger("position_manager")
      ->log(dust ? spdlog::level::info : spdlog::level::warn,
            "Position {} sold but {} {} stays on the account{}", id, left.to_string(), f.symbol,
            dust ? " (less than a step)" : "");
}

/// A sell's fill as the ledger can book it: never more than the position holds (an exchange
/// that says it sold more is wrong, and the ledger cannot hold less than nothing).
trading::fill within_position(const position_manager_state& st, const std::string& id,
                              trading::fill f) {
  const auto* p = st.book.find_open(id);
  if (p != nullptr && f.qty > p->qty) {
    logger("position_manager")
        ->error("Order {} sold {} but position {} held {}; booked as {}", f.order_id,
                f.qty.to_string(), id, p->qty.to_string(), p->qty.to_string());
    f.qty = p->qty;
  }
  return f;
}

}  // namespace

void book_exit(position_manager_state& st, const std::string& client_id, const std::string& id,
               const trading::fill& sold, const trading::exit_order& order) {
  const auto f = within_position(st, id, sold);
  record_fill(st, client_id, f);
  warn_of_remainder(st, id, f);
  const auto& p = st.book.close(id, f, order.reason, order.at_ms, true);
  st.engine.exited(order.symbol, p.exit_market_ms);
  record(st, "position_closed", msg::to_json(p));
  st.outbox.positions.push_back(p);
  logger("position_manager")
      ->info("Position closed id={} symbol={} reason={} price={} pnl={}", p.id, p.symbol,
             trading::to_string(order.reason), p.exit_price.to_string(),
             p.realized_pnl().to_string());
  checkpoint(st);
}

namespace {

/// "exit: stop_loss" is stop_loss; a reason the order does not tell is manual.
trading::exit_reason exit_reason_of(const std::string& reason) {
  for (int r = 0; r <= static_cast<int>(trading::exit_reason::end_of_data); ++r) {
    const auto e = static_cast<trading::exit_reason>(r);
    if (reason == std::string{"exit: "} + trading::to_string(e))
      return e;
  }
  return trading::exit_reason::manual;
}

}  // namespace

json book_recovered(position_manager_state& st, const msg::order_row& o,
                    const msg::order_outcome& out) {
  using kind = msg::order_outcome::kind;
  const auto side = o.side == "sell" ? trading::order_side::sell : trading::order_side::buy;
  json told{{"order_id", o.order_id}, {"symbol", o.symbol}, {"side", o.side}};
  if (out.what == kind::unknown) {  // a sell stays on its way out: none is sent again
    told["outcome"] = "unknown";
    told["error"] = out.error;
    return told;
  }
  if (out.what != kind::filled) {
    told["outcome"] = "not_placed";
    told["error"] = out.error;
    record_rejection(st, o.order_id, o.symbol, side, out.error);
    if (side == trading::order_side::sell && st.book.find_open_by_symbol(o.symbol) != nullptr)
      st.engine.exit_failed(symbol_index(st, o.symbol));  // the position is the engine's again
    return told;
  }
  told["outcome"] = "filled";
  if (!out.other_fees.empty())
    st.other_fees[o.order_id] = out.other_fees;
  const auto* held = st.book.find_open_by_symbol(o.symbol);
  const auto f = side == trading::order_side::sell && held != nullptr
                     ? within_position(st, held->id, out.fill)
                     : out.fill;
  const auto i = symbol_index(st, o.symbol);
  record_fill(st, o.order_id, f);
  if (side == trading::order_side::buy) {
    const auto& rules = st.engine.rules();
    const auto& p = st.book.open(f, trading::stop_loss_price(f.px, rules.stop_loss_ppm),
                                 trading::take_profit_price(f.px, rules.take_profit_ppm),
                                 st.cfg.strategy.name, o.reason, st.restored_market_ms);
    st.engine.restore_position(i, p.entry_price, p.stop_loss, p.entry_market_ms);
    record(st, "position_opened", msg::to_json(p));
    st.outbox.positions.push_back(p);
  } else if (held != nullptr) {
    warn_of_remainder(st, held->id, f);
    const auto& p =
        st.book.close(held->id, f, exit_reason_of(o.reason), st.restored_market_ms, true);
    st.engine.exited(i, st.restored_market_ms);
    record(st, "position_closed", msg::to_json(p));
    st.outbox.positions.push_back(p);
  } else {
    told["error"] = "the ledger held no position of " + o.symbol + " to close";
  }
  checkpoint(st);
  return told;
}

}  // namespace ct::actors
