#include "actors/position_reconcile.hpp"

#include "actors/binance_account.hpp"
#include "actors/log.hpp"
#include "actors/position_booking.hpp"
#include "messages/errors.hpp"
#include "messages/json.hpp"
#include "trading/symbol.hpp"

namespace ct::actors {

namespace {

using nlohmann::json;

void tell_supervisor(position_manager_ptr self) {
  const auto& st = self->state;
  if (st.deps.supervisor)
    self->send(st.deps.supervisor, st.reconciliation);
}

/// Each open position's base asset on the account against the ledger; the problems found.
json compare_balances(const position_manager_state& st, const msg::account_balances& b,
                      std::vector<std::string>& problems) {
  auto positions = json::array();
  for (const auto& p : st.book.open_positions()) {
    const auto base = trading::split_symbol(p.symbol)->base;
    const auto it = b.assets.find(base);
    const auto held = it == b.assets.end() ? trading::quantity{} : it->second;
    const auto rules = st.deps.lot_rules.find(p.symbol);
    const auto step = rules == st.deps.lot_rules.end() ? trading::quantity{} : rules->second.step;
    const bool covered = !(held + step < p.qty);
    positions.push_back({{"symbol", p.symbol},
                         {"position_id", p.id},
                         {"ledger_qty", msg::number(p.qty)},
                         {"account_qty", msg::number(held)},
                         {"ok", covered}});
    if (!covered)
      problems.push_back(p.symbol + ": the ledger holds " + p.qty.to_string() + " " + base +
                         " but the account only " + held.to_string());
  }
  return positions;
}

void finish(position_manager_ptr self, const json& orders, const msg::account_balances* balances,
            const std::string& balances_error) {
  auto& st = self->state;
  std::vector<std::string> problems;
  bool unresolved = false;
  for (const auto& o : orders)
    if (o.at("outcome") == "unknown") {
      unresolved = true;
      problems.push_back("order " + o.at("order_id").get<std::string>() +
                         "'s outcome is unknown: " + o.at("error").get<std::string>());
    }
  auto positions = json::array();
  if (balances != nullptr) {
    positions = compare_balances(st, *balances, problems);
  } else {
    unresolved = true;
    problems.push_back("the account's balances could not be read: " + balances_error);
  }
  std::string why;
  for (const auto& p : problems)
    why += (why.empty() ? "" : "; ") + p;
  const bool ok = problems.empty();
  st.reconciliation = {ok ? "ok" : unresolved ? "unresolved" : "shortfall", why};
  st.pending_orders.clear();
  json data{{"ok", ok}, {"orders", orders}, {"positions", positions}};
  if (!ok)
    data["error"] = why;
  record(st, "reconciled", data);
  auto log = logger("position_manager");
  if (ok) {
    log->info("Reconciled with Binance orders={} positions={}", orders.size(), positions.size());
    if (st.trading)
      st.engine.resume();
  } else {
    log->error("Reconciliation with Binance failed: {}; trading stays off", why);
    if (st.trading) {
      st.trading = false;
      st.trading_since.reset();
      record(st, "trading_stopped", {{"close_positions", false}, {"reason", "reconciliation"}});
    }
    checkpoint(st);
  }
  tell_supervisor(self);
  flush(self);
}

void check_balances(position_manager_ptr self, std::shared_ptr<json> orders) {
  self->request(self->state.account, caf::infinite, msg::balances_query{})
      .then(
          [=](msg::account_balances& b) { finish(self, *orders, &b, ""); },
          [=](caf::error& e) { finish(self, *orders, nullptr, msg::message_of(e, "no answer")); });
}

void resolve_next(position_manager_ptr self, std::size_t k, std::shared_ptr<json> orders) {
  auto& st = self->state;
  if (k == st.pending_orders.size()) {
    check_balances(self, std::move(orders));
    return;
  }
  const auto& o = st.pending_orders[k];
  const auto side = o.side == "sell" ? trading::order_side::sell : trading::order_side::buy;
  auto booked = [=](const msg::order_outcome& out) {
    auto& s = self->state;
    orders->push_back(book_recovered(s, s.pending_orders[k], out));
    flush(self);
    resolve_next(self, k + 1, orders);
  };
  self->request(st.account, caf::infinite,
                msg::resolve_order{o.order_id, o.symbol, side, trading::to_unix_ms(o.at)})
      .then([=](msg::order_outcome& out) { booked(out); },
            [=](caf::error& e) {
              msg::order_outcome out;
              out.error = msg::message_of(e, "the account worker stopped");
              booked(out);
            });
}

}  // namespace

void spawn_account(position_manager_ptr self) {
  auto& st = self->state;
  if (st.deps.account) {
    st.account = st.deps.account;
    return;
  }
  auto sleeper = std::make_shared<interruptible_sleep>();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  self->attach_functor([sleeper, cancel] {
    cancel->store(true);
    sleeper->interrupt();
  });
  st.account = self->spawn<caf::detached + caf::linked>(
      binance_account, st.deps.binance, st.deps.credentials,
      std::chrono::milliseconds{st.cfg.exchange.timeout_ms}, sleeper, cancel);
}

void reconcile(position_manager_ptr self) {
  auto& st = self->state;
  st.reconciliation = {"reconciling", ""};
  st.engine.halt();
  // A sell left submitted is on its way out: no stop or target sends another until Binance
  // says what became of it (its outcome books the exit, or gives the position back).
  for (const auto& o : st.pending_orders)
    if (o.side == "sell" && st.book.find_open_by_symbol(o.symbol) != nullptr)
      (void)st.engine.exit_now(symbol_index(st, o.symbol), st.restored_market_ms);
  tell_supervisor(self);
  logger("position_manager")
      ->info("Reconciling with Binance pending_orders={} open_positions={}",
             st.pending_orders.size(), st.book.open_positions().size());
  resolve_next(self, 0, std::make_shared<json>(json::array()));
}

std::string account_blocks_trading(const position_manager_state& st) {
  if (st.reconciliation.state == "reconciling")
    return "the account is being reconciled with Binance";
  if (st.reconciliation.state == "shortfall" || st.reconciliation.state == "unresolved")
    return "the account does not match the ledger (" + st.reconciliation.error +
           "): restart once it does";
  return {};
}

}  // namespace ct::actors
