#include "actors/position_orders.hpp"

#include <algorithm>

#include "actors/events.hpp"
#include "actors/log.hpp"
#include "messages/errors.hpp"
#include "messages/json.hpp"

namespace ct::actors {

namespace {

using nlohmann::json;

bool live(const position_manager_state& st) {
  return st.cfg.mode == msg::trading_mode::live;
}

std::string next_order_id(position_manager_state& st) {
  return (live(st) ? "live-" : "paper-") + std::to_string(++st.order_seq);
}

void track_order(position_manager_state& st, const std::string& id, const std::string& symbol,
                 trading::order_side side, trading::quantity qty, const std::string& reason,
                 const char* status, const std::string& error = {}) {
  st.outbox.orders.push_back(msg::order_row{id, symbol, trading::to_string(side), qty, reason,
                                            status, error, st.deps.clock->now()});
}

json order_json(const std::string& id, const std::string& symbol, trading::order_side side,
                trading::quantity qty, const std::string& reason,
                const position_manager_state& st) {
  return json{{"order_id", id},
              {"symbol", symbol},
              {"side", trading::to_string(side)},
              {"quantity", msg::number(qty)},
              {"type", "market"},
              {"mode", msg::name_of(st.cfg.mode)},
              {"reason", reason}};
}

void record_fill(position_manager_state& st, const std::string& client_id, const trading::fill& f) {
  auto data = msg::to_json(f);
  data["client_order_id"] = client_id;
  data["mode"] = msg::name_of(st.cfg.mode);
  record(st, "order_filled", data);
  st.outbox.fills.push_back(f);
  track_order(st, client_id, f.symbol, f.side, f.qty, "", "filled");
}

void record_rejection(position_manager_state& st, const std::string& client_id,
                      const std::string& symbol, trading::order_side side, const caf::error& e) {
  const auto why = msg::message_of(e, "the exchange rejected the order");
  record(st, "order_rejected",
         {{"order_id", client_id},
          {"symbol", symbol},
          {"side", trading::to_string(side)},
          {"error", why}});
  track_order(st, client_id, symbol, side, {}, "", "rejected", why);
  logger("position_manager")
      ->warn("Order rejected order_id={} symbol={} side={} error=\"{}\"", client_id, symbol,
             trading::to_string(side), why);
}

void book_entry(position_manager_state& st, const std::string& client_id, const trading::fill& f,
                const std::string& strategy, const std::string& reason) {
  record_fill(st, client_id, f);
  const auto& p = st.book.open(f, trading::stop_loss_price(f.px, st.rules.stop_loss_ppm),
                               trading::take_profit_price(f.px, st.rules.take_profit_ppm), strategy,
                               reason, st.candle_ms);
  if (auto q = st.quotes.find(p.symbol); q != st.quotes.end())
    st.book.mark(p.symbol, q->second.bid);
  st.watches[p.id] = trading::exit_watch{
      trading::exit_levels{f.px, st.rules.stop_loss_ppm, st.rules.take_profit_ppm,
                           st.rules.trailing_stop_ppm},
      st.candle_ms, st.candle_ms};
  record(st, "position_opened", msg::to_json(*st.book.find_open(p.id)));
  st.outbox.positions.push_back(*st.book.find_open(p.id));
  logger("position_manager")
      ->info("Position opened id={} symbol={} qty={} price={} fee={}", p.id, p.symbol,
             p.qty.to_string(), p.entry_price.to_string(), p.entry_fee.to_string());
  checkpoint(st);
}

void book_exit(position_manager_state& st, const std::string& client_id, const std::string& id,
               const trading::fill& f, const exit_plan& plan) {
  record_fill(st, client_id, f);
  const auto& p = st.book.close(id, f, plan.reason, plan.at_ms.value_or(st.market_ms));
  const auto reason = plan.reason;
  st.watches.erase(p.id);
  auto& last = st.last_exit_ms[p.symbol];
  last = std::max(last, p.exit_market_ms);
  record(st, "position_closed", msg::to_json(p));
  st.outbox.positions.push_back(p);
  logger("position_manager")
      ->info("Position closed id={} symbol={} reason={} price={} pnl={}", p.id, p.symbol,
             trading::to_string(reason), p.exit_price.to_string(), p.realized_pnl().to_string());
  checkpoint(st);
}

}  // namespace

void checkpoint(position_manager_state& st) {
  st.outbox.ledger = msg::ledger_row{st.book.totals(), st.trading, st.order_seq};
}

void record(position_manager_state& st, const char* type, const json& data) {
  st.outbox.events.push_back(
      msg::record_event{type, "position_manager", st.deps.clock->now(), data.dump()});
}

void flush(position_manager_ptr self, std::function<void()> after) {
  auto& st = self->state;
  if (st.outbox.empty()) {
    if (st.batches_committed == st.batches_sent) {
      if (after)
        after();
    } else if (after) {
      st.waiting.emplace_back(st.batches_sent, std::move(after));
    }
    return;
  }
  msg::write_batch batch = std::move(st.outbox);
  st.outbox = msg::write_batch{};
  batch.market_ms = st.market_ms;  // what it decided on: market time resumes no earlier
  const bool ledger = batch.ledger.has_value();
  auto storage = st.deps.storage;
  const auto n = ++st.batches_sent;
  // No timeout: the store keeps a batch until it commits; what waits on it is not acknowledged.
  self->request(storage, caf::infinite, std::move(batch))
      .then(
          [=](msg::committed) {
            auto& s = self->state;
            s.batches_committed = n;
            if (ledger)
              publish_state(s);
            if (after)
              after();
            while (!s.waiting.empty() && s.waiting.front().first <= n) {
              auto f = std::move(s.waiting.front().second);
              s.waiting.pop_front();
              f();
            }
          },
          [=](caf::error& e) {
            logger("position_manager")->error("Store lost a batch error=\"{}\"", to_string(e));
          });
}

void enter(position_manager_ptr self, const trading::entry_order& order) {
  auto& st = self->state;
  const auto client_id = next_order_id(st);
  record(
      st, "order_submitted",
      order_json(client_id, order.symbol, trading::order_side::buy, order.qty, order.reason, st));
  track_order(st, client_id, order.symbol, trading::order_side::buy, order.qty, order.reason,
              "submitted");
  if (!live(st)) {
    trading::fill f{client_id,
                    order.symbol,
                    trading::order_side::buy,
                    order.qty,
                    order.expected_px,
                    trading::fee_for(order.expected_px, order.qty, st.rules.fee_ppm),
                    st.deps.clock->now()};
    book_entry(st, client_id, f, order.strategy, order.reason);
    return;
  }
  auto feed = st.deps.peers.market_feed;
  if (!feed) {
    record_rejection(st, client_id, order.symbol, trading::order_side::buy,
                     msg::actor_error(msg::errc::exchange_unavailable, "market feed restarting"));
    return;  // the caller flushes
  }
  st.pending_entries.insert(order.symbol);
  const std::chrono::milliseconds timeout{st.cfg.exchange.timeout_ms + 1000};
  self->request(feed, timeout, msg::submit_order{order.symbol, trading::order_side::buy, order.qty})
      .then(
          [=](trading::fill& f) {
            self->state.pending_entries.erase(order.symbol);
            book_entry(self->state, client_id, f, order.strategy, order.reason);
            flush(self);
          },
          [=](caf::error& e) {
            self->state.pending_entries.erase(order.symbol);
            record_rejection(self->state, client_id, order.symbol, trading::order_side::buy, e);
            flush(self);
          });
}

void exit_position(position_manager_ptr self, const std::string& id, const exit_plan& plan,
                   std::function<void()> done) {
  auto& st = self->state;
  const auto* p = st.book.find_open(id);
  if (p == nullptr || st.pending_exits.count(id) != 0) {
    flush(self, std::move(done));
    return;
  }
  const std::string symbol = p->symbol;
  const auto qty = p->qty;
  const auto client_id = next_order_id(st);
  const auto why = std::string{"exit: "} + trading::to_string(plan.reason);
  record(st, "order_submitted",
         order_json(client_id, symbol, trading::order_side::sell, qty, why, st));
  track_order(st, client_id, symbol, trading::order_side::sell, qty, why, "submitted");
  if (!live(st)) {
    trading::quote q;
    if (auto it = st.quotes.find(symbol); it != st.quotes.end())
      q = it->second;
    else
      q.bid = q.ask = q.last = p->mark;  // no scan yet since a restart: the last known bid
    if (plan.level)
      q.bid = *plan.level;
    const auto px = trading::paper_fill_price(trading::order_side::sell, q, st.rules.slippage_ppm);
    trading::fill f{client_id,
                    symbol,
                    trading::order_side::sell,
                    qty,
                    px,
                    trading::fee_for(px, qty, st.rules.fee_ppm),
                    st.deps.clock->now()};
    book_exit(st, client_id, id, f, plan);
    flush(self, std::move(done));
    return;
  }
  auto feed = st.deps.peers.market_feed;
  if (!feed) {
    record_rejection(st, client_id, symbol, trading::order_side::sell,
                     msg::actor_error(msg::errc::exchange_unavailable, "market feed restarting"));
    flush(self, std::move(done));
    return;
  }
  st.pending_exits.insert(id);
  const std::chrono::milliseconds timeout{st.cfg.exchange.timeout_ms + 1000};
  self->request(feed, timeout, msg::submit_order{symbol, trading::order_side::sell, qty})
      .then(
          [=](trading::fill& f) {
            self->state.pending_exits.erase(id);
            if (self->state.book.find_open(id) != nullptr)
              book_exit(self->state, client_id, id, f, plan);
            flush(self, done);
          },
          [=](caf::error& e) {
            self->state.pending_exits.erase(id);
            record_rejection(self->state, client_id, symbol, trading::order_side::sell, e);
            flush(self, done);
          });
}

}  // namespace ct::actors
