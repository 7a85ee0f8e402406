#include "actors/position_manager.hpp"

#include <algorithm>
#include <vector>

#include <caf/send.hpp>

#include "actors/events.hpp"
#include "actors/log.hpp"
#include "actors/position_orders.hpp"
#include "actors/position_queries.hpp"
#include "actors/position_reconcile.hpp"
#include "messages/errors.hpp"
#include "messages/json.hpp"
#include "messages/trading_config.hpp"

namespace ct::actors {

namespace {

void restore_or_init(position_manager_ptr self) {
  auto& st = self->state;
  const auto saved = std::move(st.deps.saved);  // the actor's own state from here on
  st.deps.saved = msg::saved_ledger{};
  const auto now = st.deps.clock->now();
  st.pending_orders = saved.pending;
  st.restored_market_ms = saved.market_ms.value_or(0);
  if (saved.ledger) {
    st.book = trading::portfolio::restore(saved.ledger->totals, saved.open, saved.recent_closed);
    st.trading = saved.ledger->trading;
    st.order_seq = saved.ledger->order_seq;
    // The engine follows the open positions from the first scan on; cooldowns run on market
    // time, which the store keeps: they go on across the restart.
    for (const auto& p : st.book.open_positions())
      st.engine.restore_position(symbol_index(st, p.symbol), p.entry_price, p.stop_loss,
                                 p.entry_market_ms);
    for (const auto& p : st.book.closed_positions())
      st.engine.restore_exit(symbol_index(st, p.symbol), p.exit_market_ms);
    // Trading resumes after a restart: trading_since says since when it runs again.
    st.trading_since = st.trading ? std::optional{now} : std::nullopt;
    record(st, "position_manager_recovered",
           {{"open_positions", st.book.open_positions().size()},
            {"cash", msg::number(st.book.cash())},
            {"trading", st.trading}});
  } else {
    st.book = trading::portfolio{trading::money::from_double(st.cfg.starting_cash)};
    // Live mode never starts trading by itself.
    st.trading = st.cfg.autostart && st.cfg.mode == msg::trading_mode::paper;
    if (st.trading) {
      st.trading_since = now;
      record(st, "trading_started", {{"reason", "autostart"}, {"mode", msg::name_of(st.cfg.mode)}});
    }
  }
  if (st.trading)
    st.engine.resume();
  checkpoint(st);
  flush(self);
}

/// Stops trading (closing every open position when `cmd` asks); `done(changed)` runs once the
/// change is committed and every exit has filled or failed. Only the API's stop answers anyone:
/// the drawdown halt and the store's failure stop in the middle of another actor's message.
void stop(position_manager_ptr self, const msg::stop_trading& cmd, const char* reason,
          std::function<void(bool)> done = {});

/// A stop the trailing rule raised becomes the position's stop_loss, stored with it, so that it
/// survives a restart.
void keep_stop(position_manager_state& st, std::size_t i, const std::string& id) {
  const auto stop = st.engine.levels(i).stop();
  if (stop && stop->reason == trading::exit_reason::trailing_stop &&
      st.book.raise_stop(id, stop->at)) {
    st.outbox.positions.push_back(*st.book.find_open(id));
    checkpoint(st);
  }
}

/// The engine's exits along the candles that closed since the last scan (executed before the
/// open, which may enter again), then at the forming candle's open; the scan's signals become
/// the engine's in between.
void walk_to_open(position_manager_ptr self, const msg::scan_completed& sc) {
  auto& st = self->state;
  const auto& batch = sc.batch;
  std::vector<std::size_t> index;  // of each ticker's symbol
  index.reserve(batch.tickers.size());
  for (const auto& t : batch.tickers) {
    const auto i = symbol_index(st, t.symbol);
    index.push_back(i);
    if (st.book.find_open_by_symbol(t.symbol) != nullptr)
      if (auto hit =
              st.engine.walk(i, t.closed, batch.step_ms, batch.since_ms.value_or(batch.candle_ms)))
        exit_position(self, *hit);
    st.signals[i] = trading::opportunity{};
    st.engine.on_signal(i, trading::signal::none, 0, 0);
  }
  for (const auto& o : sc.report.opportunities) {
    const auto i = symbol_index(st, o.symbol);
    st.signals[i] = o;
    st.engine.on_signal(
        i, o.action == trading::action::buy ? trading::signal::buy : trading::signal::sell, o.score,
        o.signal_ms);
  }
  for (std::size_t k = 0; k < batch.tickers.size(); ++k) {
    const auto& t = batch.tickers[k];
    // Only the bot's own scans weigh buy signals: an on-demand one leaves them to the next.
    if (auto x = st.engine.at_open(index[k], batch.candle_ms, t.open, !sc.report.on_demand))
      exit_position(self, *x);
    else if (const auto* p = st.book.find_open_by_symbol(t.symbol))
      keep_stop(st, index[k], p->id);  // what the walk and the open raised
  }
}

/// Past the max drawdown from the highest equity since trading started, trading stops: no new
/// entries (open positions keep their exits), as the backtester halts.
void check_drawdown(position_manager_ptr self) {
  auto& st = self->state;
  if (!st.trading || !st.engine.mark(st.book.equity()))
    return;
  logger("position_manager")
      ->warn("Max drawdown reached max_drawdown_pct={:.4f} equity={}",
             static_cast<double>(st.engine.rules().max_drawdown_ppm) / 1e4,
             st.book.equity().to_string());
  stop(self, msg::stop_trading{false}, "max_drawdown");
}

void on_scan(position_manager_ptr self, msg::scan_completed& sc) {
  auto& st = self->state;
  const auto& batch = sc.batch;
  if (sc.scanner_id != st.scanner_id) {  // a restarted scanner counts from 1 again
    st.scans_before = st.scans;
    st.scanner_id = sc.scanner_id;
  }
  st.scans = st.scans_before + sc.scans;
  st.market_ms = batch.market_ms;
  st.candle_ms = batch.candle_ms;
  st.last_scan_at = sc.report.at;
  st.weight_used = batch.weight_used;
  st.weight_limit = batch.weight_limit;
  for (const auto& t : batch.tickers) {
    st.quotes[t.symbol] = t.q;
    st.book.mark(t.symbol, t.q.bid);
  }
  walk_to_open(self, sc);
  check_drawdown(self);
  // The engine is halted while not trading: the buys it weighs then are not entered.
  st.engine.plan_entries(
      batch.candle_ms, st.book.cash(),
      [&st](std::size_t i) {
        auto q = st.quotes.find(st.symbols[i]);
        return q == st.quotes.end() ? std::nullopt : std::optional{q->second.ask};
      },
      [self](const trading::entry_decision& e) { enter(self, e); });
  // The equity curve: the first scan of each candle samples the account (a restart's first
  // scan may sample a candle again; the store keeps the first).
  if (st.candle_ms > st.equity_candle_ms) {
    st.equity_candle_ms = st.candle_ms;
    st.outbox.equity =
        store::equity_sample{st.candle_ms, st.deps.clock->now(), st.book.equity(), st.book.cash()};
  }
  flush(self);
  // Marks moved: the WebSocket hears of it now and then (trades publish once committed).
  const auto now = std::chrono::steady_clock::now();
  if (st.batches_committed == st.batches_sent &&
      now - st.last_published >= std::chrono::milliseconds{st.cfg.stream.status_interval_ms})
    publish_state(st);
}

void stop(position_manager_ptr self, const msg::stop_trading& cmd, const char* reason,
          std::function<void(bool)> done) {
  auto& st = self->state;
  const bool changed = st.trading;
  st.trading = false;
  st.trading_since.reset();
  st.engine.halt();
  if (changed) {
    record(st, "trading_stopped", {{"close_positions", cmd.close_positions}, {"reason", reason}});
    logger("position_manager")
        ->info("Trading stopped close_positions={} reason={}", cmd.close_positions, reason);
  }
  checkpoint(st);
  std::vector<trading::exit_order> exits;
  if (cmd.close_positions)
    for (const auto& p : st.book.open_positions())
      if (auto x = st.engine.exit_now(symbol_index(st, p.symbol), st.market_ms))
        exits.push_back(*x);
  auto finished = [done = std::move(done), changed] {
    if (done)
      done(changed);
  };
  if (exits.empty()) {
    flush(self, finished);
    return;
  }
  // Done once every exit has filled or failed (at once in paper mode).
  auto remaining = std::make_shared<std::size_t>(exits.size());
  for (const auto& x : exits)
    exit_position(self, x, [=] {
      if (--*remaining == 0)
        finished();
    });
}

}  // namespace

msg::position_manager_actor::behavior_type position_manager(position_manager_ptr self,
                                                            position_manager_deps deps,
                                                            msg::config cfg) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.cfg = std::move(cfg);
  st.engine.set_rules(msg::rules_of(st.cfg));
  st.engine.halt();  // until trading starts
  const bool on_account =
      st.cfg.mode == msg::trading_mode::live && (st.deps.binance || st.deps.account);
  if (on_account)
    spawn_account(self);
  st.venue = make_venue(self);
  restore_or_init(self);
  if (on_account)
    reconcile(self);
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::scan_completed& sc) { on_scan(self, sc); },
      [=](const msg::exchange_health& h) { self->state.exchange = h; },
      [=](const msg::restart_counts& r) { self->state.restarts = r.counts; },
      [=](const msg::storage_health& h) {
        auto& s = self->state;
        s.storage_failure = h.state == msg::health::ok ? "" : h.error;
        if (s.storage_failure.empty())
          return;
        // Trading on state the store cannot keep would be trading blind: stop.
        if (s.trading)
          stop(self, msg::stop_trading{false}, "storage_failed");
        // Queries waiting for a commit get their answer now.
        auto waiting = std::move(s.waiting);
        s.waiting.clear();
        for (auto& w : waiting)
          w.second();
      },
      [=](msg::start_atom) -> caf::result<msg::trading_changed> {
        auto& s = self->state;
        if (!s.storage_failure.empty())
          return msg::actor_error(
              msg::errc::conflict,
              "trading cannot start while the store fails: " + s.storage_failure);
        if (auto why = account_blocks_trading(s); !why.empty())
          return msg::actor_error(msg::errc::conflict, "trading cannot start: " + why);
        if (s.trading)
          return msg::trading_changed{true, false};
        s.trading = true;
        s.trading_since = s.deps.clock->now();
        s.engine.resume();  // the drawdown counts from here
        record(s, "trading_started", {{"reason", "api"}, {"mode", msg::name_of(s.cfg.mode)}});
        logger("position_manager")->info("Trading started mode={}", msg::name_of(s.cfg.mode));
        checkpoint(s);
        auto rp = self->make_response_promise<msg::trading_changed>();
        flush(self, [=]() mutable { rp.deliver(msg::trading_changed{true, true}); });
        return rp;
      },
      [=](const msg::stop_trading& cmd) -> caf::result<msg::trading_changed> {
        auto rp = self->make_response_promise<msg::trading_changed>();
        stop(self, cmd, "api", [rp](bool changed) mutable {
          rp.deliver(msg::trading_changed{false, changed});
        });
        return rp;
      },
      [=](const msg::close_position& c) { return close_now(self, c.id); },
      [=](const msg::get_positions& q) { return positions(self, q); },
      [=](msg::status_atom) { return when_committed(self, status_of(self->state)); },
      [=](const msg::apply_config& ac) {
        self->state.cfg = ac.cfg;
        self->state.engine.set_rules(msg::rules_of(ac.cfg));
        self->state.venue = make_venue(self);  // paper fills' slippage and fee
        return msg::ok_atom::value;
      },
      [=](msg::position_manager_peers& p) { self->state.deps.peers = std::move(p); },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      [=](msg::metrics_atom) { return metrics_text(self->state); },
  };
}

}  // namespace ct::actors
