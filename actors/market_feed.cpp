#include "actors/market_feed.hpp"

#include <set>

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/spawn_options.hpp>

#include "actors/exchange_worker.hpp"
#include "actors/log.hpp"
#include "messages/backtest_json.hpp"
#include "messages/errors.hpp"
#include "messages/trading_config.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::market_feed_actor::stateful_pointer<market_feed_state>;

/// The candles stream: at most this many closed candles a symbol per tick (a faster replay
/// skips some: a client sees the jump in time and fetches GET /api/candles), and the forming
/// candle at most this often ("a few a second").
constexpr std::size_t max_closed_per_tick = 5;
constexpr std::chrono::milliseconds forming_every{250};

msg::exchange_settings settings_for(const market_feed_state& st) {
  msg::exchange_settings s;
  s.clock = st.replay;
  s.latency_ms = st.cfg.exchange.latency_ms;
  s.faults.failure_rate = st.cfg.exchange.failure_rate;
  s.faults.outage = st.cfg.exchange.outage;
  s.spread_ppm = trading::pct_to_ppm(st.cfg.exchange.spread_pct);
  s.fee_ppm = trading::pct_to_ppm(st.cfg.paper.fee_pct);
  return s;
}

caf::timespan exchange_timeout(const market_feed_state& st) {
  return std::chrono::milliseconds{st.cfg.exchange.timeout_ms};
}

/// A timeout or a dead worker reads as the exchange being unavailable.
caf::error as_exchange_error(const caf::error& e, const market_feed_state& st) {
  if (e == caf::sec::request_timeout)
    return msg::actor_error(
        msg::errc::exchange_unavailable,
        "the exchange did not answer within " + std::to_string(st.cfg.exchange.timeout_ms) + " ms");
  if (e.category() == msg::error_category())
    return e;
  return msg::actor_error(msg::errc::exchange_unavailable, "the exchange connection failed");
}

void mark_tradable(trading::ticker_batch& b, const msg::config& cfg) {
  const std::set<std::string> enabled(cfg.strategy.symbols.begin(), cfg.strategy.symbols.end());
  for (auto& t : b.tickers)
    t.tradable = enabled.empty() || enabled.count(t.symbol) != 0;
}

/// Publishes every symbol's book as it is now: the whole book the first time, then what changed.
void publish_books(self_ptr self, const msg::broadcaster_actor& b, trading::timestamp now,
                   const trading::replay_position& pos) {
  auto& st = self->state;
  const std::chrono::milliseconds interval{st.cfg.stream.book_interval_ms};
  const auto& m = *st.deps.market;
  const trading::book_params params{static_cast<std::size_t>(st.cfg.stream.book_depth), 500};
  const auto bucket =
      static_cast<std::uint64_t>(pos.market_ms / std::max<std::int64_t>(1, interval.count()));
  for (std::size_t i = 0; i < m.size(); ++i) {
    const auto q = m.quote_at(i, pos.data_ms, trading::pct_to_ppm(st.cfg.exchange.spread_pct));
    auto book = trading::make_book(q, q.volume_24h, bucket, i, params);
    auto it = st.books.find(m.symbol(i));
    if (it == st.books.end()) {
      self->send(b, msg::publish_book{m.symbol(i), book, true, now, pos.market_ms});
      st.books.emplace(m.symbol(i), std::move(book));
      continue;
    }
    auto changes = trading::diff(it->second, book);
    if (!changes.bids.empty() || !changes.asks.empty())
      self->send(b, msg::publish_book{m.symbol(i), std::move(changes), false, now, pos.market_ms});
    it->second = std::move(book);
  }
}

/// The candles that closed since the last tick (at most max_closed_per_tick of them, with the
/// running strategy's values at each), and the forming ones (at most every forming_every).
void publish_candles(self_ptr self, const msg::broadcaster_actor& b, trading::timestamp now,
                     const trading::replay_position& pos) {
  auto& st = self->state;
  const auto& m = *st.deps.market;
  st.candle_sent.resize(m.size(), 0);
  const auto forming_open = m.candle_open_ms(pos.market_ms);
  const bool forming_due = now - st.forming_sent_at >= forming_every;
  msg::publish_candles out{{}, msg::timeframe_name(m.step_ms()), pos.market_ms, now};
  const auto spec = msg::strategy_of(st.cfg);
  const auto warmup = static_cast<std::size_t>(st.cfg.strategy.warmup_candles);
  for (std::size_t i = 0; i < m.size(); ++i) {
    const auto sent = st.candle_sent[i];
    if (sent != 0 && forming_open > sent) {
      const auto all = trading::last_replayed_candles(m, st.replay, i, forming_open,
                                                      warmup + max_closed_per_tick);
      std::size_t k = 0;
      while (k < all.size() && k < max_closed_per_tick &&
             all[all.size() - 1 - k].open_time_ms >= sent)
        ++k;
      const auto lines = trading::indicator_lines(spec, all, all.size() - k);
      for (std::size_t j = 0; j < k; ++j) {
        msg::candle_update u{m.symbol(i), all[all.size() - k + j], true, {}};
        for (const auto& l : lines)
          u.lines.push_back({l.name, l.overlay, {l.values[j]}});
        out.updates.push_back(std::move(u));
      }
    }
    st.candle_sent[i] = forming_open;
    if (forming_due || forming_open != sent) {
      auto bar = m.forming_candle(i, pos.data_ms);
      bar.open_time_ms += pos.market_ms - pos.data_ms;  // the lap's shift
      out.updates.push_back({m.symbol(i), bar, false, {}});
    }
  }
  if (forming_due)
    st.forming_sent_at = now;
  if (!out.updates.empty())
    self->send(b, std::move(out));
}

/// The exchange's own streams, books and candles, every stream.book_interval_ms: they stop
/// during an outage.
void on_stream_tick(self_ptr self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::milliseconds{st.cfg.stream.book_interval_ms},
                     msg::book_tick_atom::value);
  auto b = st.deps.peers.broadcaster;
  if (!b || st.cfg.exchange.outage)
    return;
  const auto now = st.deps.clock->now();
  const auto pos = st.replay.at(now);
  publish_books(self, b, now, pos);
  publish_candles(self, b, now, pos);
}

/// GET /api/candles: the replay's closed candles (in memory: no exchange call), with the running
/// strategy's lines computed over them and the warm-up candles before them.
caf::result<msg::candles_page> candles(const market_feed_state& st, const msg::get_candles& q) {
  const auto& m = *st.deps.market;
  std::size_t i = 0;
  while (i < m.size() && m.symbol(i) != q.symbol)
    ++i;
  if (i == m.size())
    return msg::actor_error(msg::errc::unknown_symbol, "no symbol " + q.symbol, "symbol");
  msg::candles_page page;
  page.symbol = q.symbol;
  page.step_ms = m.step_ms();
  page.market_ms = st.replay.at(st.deps.clock->now()).market_ms;
  const auto forming = m.candle_open_ms(page.market_ms);
  const auto until = q.before_ms ? std::min(*q.before_ms, forming) : forming;
  const auto spec = msg::strategy_of(st.cfg);
  const auto warmup = static_cast<std::size_t>(st.cfg.strategy.warmup_candles);
  auto all = trading::last_replayed_candles(m, st.replay, i, until,
                                            static_cast<std::size_t>(q.limit) + warmup);
  const auto skip = all.size() > q.limit ? all.size() - static_cast<std::size_t>(q.limit) : 0;
  page.lines = trading::indicator_lines(spec, all, skip);
  page.strategy = spec.name;
  if (skip > 0)  // there was history before the first candle shown
    page.next_before = all[skip].open_time_ms;
  page.candles.assign(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end());
  return page;
}

caf::result<trading::ticker_batch> fetch(self_ptr self, const msg::fetch_market& q) {
  auto rp = self->make_response_promise<trading::ticker_batch>();
  self->request(self->state.worker, exchange_timeout(self->state), q)
      .then(
          [=](trading::ticker_batch& batch) mutable {
            mark_tradable(batch, self->state.cfg);
            auto& last = self->state.last;
            last = batch;
            for (auto& t : last->tickers)
              t.closed.clear();  // the assets need prices, not candles
            rp.deliver(std::move(batch));
          },
          [=](caf::error& e) mutable { rp.deliver(as_exchange_error(e, self->state)); });
  return rp;
}

}  // namespace

msg::market_feed_actor::behavior_type market_feed(self_ptr self, market_feed_deps deps,
                                                  msg::config cfg) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.cfg = std::move(cfg);
  const auto now = st.deps.clock->now();
  auto c = trading::replay_clock::for_market(*st.deps.market, now, st.cfg.exchange.speed);
  st.replay = st.deps.resume_ms ? c.resumed_at(*st.deps.resume_ms, now) : c;
  st.sleeper = std::make_shared<interruptible_sleep>();
  // A worker waiting out latency must not hold up the shutdown.
  self->attach_functor([sleeper = st.sleeper] { sleeper->interrupt(); });
  auto settings = settings_for(st);
  const auto seed = static_cast<std::uint64_t>(st.cfg.exchange.seed);
  if (st.deps.detached_worker)
    st.worker = self->spawn<caf::detached + caf::linked>(exchange_worker, st.deps.market,
                                                         st.deps.clock, settings, seed, st.sleeper);
  else
    st.worker = self->spawn<caf::linked>(exchange_worker, st.deps.market, st.deps.clock, settings,
                                         seed, st.sleeper);
  logger("market_feed")
      ->info("Market feed up symbols={} speed={} market_time={}", st.deps.market->size(),
             st.replay.speed,
             trading::format_rfc3339(
                 trading::from_unix_ms(st.replay.at(st.deps.clock->now()).market_ms)));
  self->delayed_send(self, std::chrono::milliseconds{st.cfg.stream.book_interval_ms},
                     msg::book_tick_atom::value);
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::book_tick_atom) { on_stream_tick(self); },
      [=](msg::resync_books_atom) { self->state.books.clear(); },
      [=](msg::stream_news&) {},  // a real exchange's stream: none here
      [=](msg::market_feed_peers& p) { self->state.deps.peers = std::move(p); },
      [=](const msg::fetch_market& q) { return fetch(self, q); },
      [=](msg::assets_atom) -> caf::result<trading::ticker_batch> {
        if (auto& last = self->state.last)
          return *last;
        return fetch(self, msg::fetch_market{});
      },
      [=](const msg::get_candles& q) { return candles(self->state, q); },
      [=](const msg::submit_order& order) -> caf::result<trading::fill> {
        auto rp = self->make_response_promise<trading::fill>();
        self->request(self->state.worker, exchange_timeout(self->state), order)
            .then([=](trading::fill& f) mutable { rp.deliver(std::move(f)); },
                  [=](caf::error& e) mutable { rp.deliver(as_exchange_error(e, self->state)); });
        return rp;
      },
      [=](const msg::apply_config& ac) {
        auto& s = self->state;
        if (ac.cfg.exchange.speed != s.cfg.exchange.speed) {
          s.replay = s.replay.with_speed(s.deps.clock->now(), ac.cfg.exchange.speed);
        }
        s.cfg = ac.cfg;
        if (auto& last = s.last)
          mark_tradable(*last, s.cfg);
        self->send(s.worker, settings_for(s));
        return msg::ok_atom::value;
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

}  // namespace ct::actors
