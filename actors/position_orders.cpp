#include "actors/position_orders.hpp"

#include <algorithm>
#include <charconv>

#include "actors/events.hpp"
#include "actors/exchange_venue.hpp"
#include "actors/log.hpp"
#include "actors/position_booking.hpp"
#include "messages/errors.hpp"
#include "messages/json.hpp"
#include "messages/text_limits.hpp"

namespace ct::actors {

namespace {

using nlohmann::json;

bool live(const position_manager_state& st) {
  return st.cfg.mode == msg::trading_mode::live;
}

std::string next_order_id(position_manager_state& st) {
  if (!live(st))
    return "paper-" + std::to_string(++st.order_seq);
  return "ct" + st.deps.database_id + "-" + std::to_string(++st.order_seq);
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

/// Gives `o` the next order id, records its submission and submits it to the venue;
/// `booked(id, fill or error)` runs once the answer is known. An answer that comes after this
/// message goes to the store at once, and `done` runs once it is committed; one that came at
/// once (paper) is the caller's to flush, unless `done` is given, which flushes now.
void submit(position_manager_ptr self, trading::market_order o, const std::string& reason,
            std::function<void(const std::string&, ct::result<trading::fill>&)> booked,
            std::function<void()> done = {}) {
  auto& st = self->state;
  o.id = next_order_id(st);
  record(st, "order_submitted", order_json(o.id, o.symbol, o.side, o.qty, reason, st));
  track_order(st, o.id, o.symbol, o.side, o.qty, reason, "submitted");
  ++st.orders_submitted[o.side == trading::order_side::buy ? 0 : 1];
  auto returned = std::make_shared<bool>(false);
  auto answered = std::make_shared<bool>(false);
  auto send = [=] {
    auto& s = self->state;
    auto answer = [=, id = o.id](ct::result<trading::fill> r) {
      booked(id, r);
      *answered = true;
      if (*returned)
        flush(self, done);
    };
    // A submission the store did not keep is never sent: after a crash nothing would ask
    // for it.
    if (live(s) && !s.storage_failure.empty()) {
      answer(ct::error{ct::errc::exchange_unavailable,
                       "not sent: the store cannot commit (" + s.storage_failure + ")", ""});
      return;
    }
    s.venue->submit(o, answer);
  };
  if (live(st)) {
    // Durable before it leaves: the next start asks the exchange for every order still
    // submitted, so none is lost (or sent twice) across a crash.
    *returned = true;
    flush(self, send);
    return;
  }
  send();
  *returned = true;
  if (*answered && done)
    flush(self, done);
}

/// Whether `r` failed only for want of an answer (the service is stopping, or the exchange's
/// answer could not be booked): the order stays submitted, to be asked for at the next start,
/// and nothing is booked. Logged.
bool outcome_unknown(const std::string& id, const ct::result<trading::fill>& r) {
  if (r.ok() || r.err().code != ct::errc::shutting_down)
    return false;
  logger("position_manager")
      ->error("Order outcome unknown order_id={} error=\"{}\"; the next start asks for it", id,
              r.err().message);
  return true;
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

std::size_t symbol_index(position_manager_state& st, const std::string& symbol) {
  auto [it, added] = st.index.try_emplace(symbol, st.symbols.size());
  if (added) {
    st.engine.add_symbol();
    st.symbols.push_back(symbol);
    st.signals.emplace_back();
  }
  return it->second;
}

std::unique_ptr<trading::order_venue> make_venue(position_manager_ptr self) {
  const auto& st = self->state;
  if (!live(st)) {
    auto paper = std::make_unique<trading::paper_venue>(st.engine.rules().slippage_ppm,
                                                        st.engine.rules().fee_ppm, st.deps.clock);
    if (st.deps.lot_rules.empty())
      return paper;
    return std::make_unique<trading::lot_checked_venue>(std::move(paper), st.deps.lot_rules);
  }
  if (st.account) {  // Binance: its filters first, as on paper
    auto venue = std::make_unique<binance_venue>(
        self, st.account,
        [self](const std::string& id, const std::map<std::string, trading::quantity>& fees) {
          self->state.other_fees[id] = fees;
        });
    return std::make_unique<trading::lot_checked_venue>(std::move(venue), st.deps.lot_rules);
  }
  return std::make_unique<exchange_venue>(
      self, [self] { return self->state.deps.peers.market_feed; },
      std::chrono::milliseconds{st.cfg.exchange.timeout_ms + 1000});
}

void enter(position_manager_ptr self, const trading::entry_decision& entry) {
  auto& st = self->state;
  const auto signal = st.signals[entry.symbol];
  const auto& symbol = st.symbols[entry.symbol];
  // The engine entered only symbols with a quote.
  const auto touch = st.quotes.at(symbol).ask;
  submit(self, {{}, symbol, trading::order_side::buy, entry.qty, touch, std::nullopt},
         signal.reason,
         [self, signal, i = entry.symbol](const std::string& id, ct::result<trading::fill>& r) {
           auto& s = self->state;
           if (r.ok()) {
             book_entry(s, id, r.value(), signal);
             return;
           }
           s.engine.entry_failed(i);
           if (outcome_unknown(id, r))
             return;
           record_rejection(s, id, s.symbols[i], trading::order_side::buy, r.err().message);
         });
}

void exit_position(position_manager_ptr self, const trading::exit_order& order,
                   std::function<void()> done) {
  auto& st = self->state;
  const auto& symbol = st.symbols[order.symbol];
  const auto* p = st.book.find_open_by_symbol(symbol);
  if (p == nullptr) {  // nothing to sell (cannot happen: the engine follows the ledger)
    st.engine.exited(order.symbol, order.at_ms);
    flush(self, std::move(done));
    return;
  }
  // No scan yet since a restart: the last known bid.
  const auto q = st.quotes.find(symbol);
  const auto touch = q != st.quotes.end() ? q->second.bid : p->mark;
  const auto level = order.at_market() ? std::nullopt : std::optional{order.level};
  submit(
      self, {{}, symbol, trading::order_side::sell, p->qty, touch, level},
      std::string{"exit: "} + trading::to_string(order.reason),
      [self, position = p->id, order](const std::string& id, ct::result<trading::fill>& r) {
        auto& s = self->state;
        if (r.ok() && s.book.find_open(position) != nullptr) {
          book_exit(s, id, position, r.value(), order);
          return;
        }
        if (outcome_unknown(id, r))
          return;  // the position stays on its way out: no second sell before it is known
        s.engine.exit_failed(order.symbol);
        if (!r.ok())
          record_rejection(s, id, s.symbols[order.symbol], trading::order_side::sell,
                           r.err().message);
      },
      done ? std::move(done) : [] {});
}

namespace {

/// Whether the ledger issued `id` (its ids count up from 1, in decimal).
bool issued(const trading::portfolio& book, const std::string& id) {
  std::uint64_t n = 0;
  const auto* end = id.data() + id.size();
  auto [ptr, ec] = std::from_chars(id.data(), end, n);
  return ec == std::errc{} && ptr == end && id.front() != '0' && n < book.totals().next_id;
}

}  // namespace

caf::result<trading::position> close_now(position_manager_ptr self, const std::string& id) {
  auto& st = self->state;
  const auto* p = st.book.find_open(id);
  if (p == nullptr) {
    if (!id.empty() && issued(st.book, id))
      return msg::actor_error(msg::errc::conflict, "position " + id + " is already closed", "id");
    return msg::actor_error(msg::errc::not_found, "no position with id " + msg::echoed(id), "id");
  }
  auto order = st.engine.exit_now(symbol_index(st, p->symbol), st.market_ms);
  if (!order)
    return msg::actor_error(msg::errc::conflict, "position " + id + " is already being closed",
                            "id");
  logger("position_manager")->info("Position close requested id={} symbol={}", id, p->symbol);
  auto rp = self->make_response_promise<trading::position>();
  exit_position(self, *order, [self, rp, id]() mutable {
    const auto& book = self->state.book;
    if (book.find_open(id) != nullptr) {
      rp.deliver(msg::actor_error(msg::errc::exchange_unavailable,
                                  "the exit order for position " + id +
                                      " was not filled; see the timeline's order_rejected",
                                  "id"));
      return;
    }
    const auto& closed = book.closed_positions();
    auto it = std::find_if(closed.rbegin(), closed.rend(),
                           [&](const trading::position& c) { return c.id == id; });
    if (it == closed.rend())  // cannot happen: it closed in this message's batch
      rp.deliver(msg::actor_error(msg::errc::internal, "position " + id + " was lost"));
    else
      rp.deliver(*it);
  });
  return rp;
}

}  // namespace ct::actors
