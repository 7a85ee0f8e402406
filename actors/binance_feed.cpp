#include "actors/binance_feed.hpp"

#include <algorithm>
#include <set>

#include <caf/event_based_actor.hpp>
#include <caf/spawn_options.hpp>

#include "actors/binance_rest.hpp"
#include "actors/log.hpp"
#include "messages/backtest_json.hpp"
#include "messages/errors.hpp"
#include "messages/trading_config.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::market_feed_actor::stateful_pointer<binance_feed_state>;
using news = msg::stream_news;

constexpr std::size_t max_closed_per_tick = 5;
constexpr std::chrono::milliseconds forming_every{250};
constexpr std::chrono::seconds retry_after_failure{5};
const char* const refill = "refill";  // a stream_news::up that only asks for candles again

std::int64_t step(const binance_feed_state& st) {
  return st.deps.market->step_ms;
}

/// Binance's time now, by our clock and the offset measured at start-up.
std::int64_t now_ms(const binance_feed_state& st) {
  return trading::to_unix_ms(st.deps.clock->now()) + st.deps.market->clock_offset_ms;
}

std::size_t capacity(const binance_feed_state& st) {
  return static_cast<std::size_t>(st.cfg.strategy.warmup_candles) + 1000;
}

/// Adds `candles` that closed and are not held yet, in time order, within the capacity.
void merge(live_symbol& s, const std::vector<trading::candle>& candles, std::int64_t now,
           std::int64_t step_ms, std::size_t cap) {
  std::set<std::int64_t> held;
  for (const auto& c : s.closed)
    held.insert(c.open_time_ms);
  bool added = false;
  for (const auto& c : candles)
    if (c.open_time_ms + step_ms <= now && held.insert(c.open_time_ms).second) {
      s.closed.push_back(c);
      added = true;
    }
  if (added)
    std::sort(s.closed.begin(), s.closed.end(),
              [](const trading::candle& a, const trading::candle& b) {
                return a.open_time_ms < b.open_time_ms;
              });
  while (s.closed.size() > cap)
    s.closed.pop_front();
}

/// The forming candle's open as every symbol knows it. A candle counts as closed once every
/// symbol has closed it, so that no symbol's candle is skipped by a scan that asks from there,
/// and once the next one's first kline has come (its open is the price the rules act on at
/// that open, as the backtester's), or `open_grace` after its close without one.
std::optional<std::int64_t> candle_ms(const binance_feed_state& st) {
  constexpr std::int64_t open_grace_ms = 10'000;
  std::optional<std::int64_t> out;
  const auto now = now_ms(st);
  for (const auto& s : st.symbols) {
    if (s.closed.empty())
      return std::nullopt;
    auto next = s.closed.back().open_time_ms + step(st);
    const bool opened = s.forming && s.forming->open_time_ms >= next;
    if (!opened && now < next + open_grace_ms)
      next -= step(st);
    out = out ? std::min(*out, next) : next;
  }
  return out;
}

caf::error not_ready(const binance_feed_state& st) {
  if (!st.connected)
    return msg::actor_error(msg::errc::exchange_unavailable,
                            "Binance's stream is down: " + st.down_why);
  return msg::actor_error(msg::errc::exchange_unavailable,
                          "warming up from Binance's klines and its stream's first candles");
}

/// The open of `s`'s forming candle: the stream's, or by the clock when that is later.
std::int64_t forming_open(const binance_feed_state& st, const live_symbol& s) {
  const auto by_clock = now_ms(st) / step(st) * step(st);
  return s.forming ? std::max(s.forming->open_time_ms, by_clock) : by_clock;
}

/// Asks the REST worker for `s`'s closed candles since its last (a warm-up when it has none).
void ask_candles(self_ptr self, std::size_t i) {
  auto& st = self->state;
  auto& s = st.symbols[i];
  s.filling = true;
  const auto forming = forming_open(st, s);
  const auto warmup = static_cast<std::int64_t>(st.cfg.strategy.warmup_candles) + 5;
  auto from = s.closed.empty() ? forming - std::min<std::int64_t>(warmup, 999) * step(st)
                               : s.closed.back().open_time_ms + step(st);
  from = std::max(from, forming - 999 * step(st));  // one page: older candles stay a gap
  self->request(st.rest, caf::infinite, msg::klines_query{s.binance, from, forming - 1})
      .then(
          [=](msg::klines_answer& a) {
            auto& fs = self->state;
            auto& sym = fs.symbols[i];
            fs.weight = a.weight;
            sym.filling = false;
            merge(sym, a.candles, forming, step(fs), capacity(fs));
            sym.warmed = true;
            // The stream moved on while this was asked: ask up to its forming candle.
            if (forming_open(fs, sym) > forming)
              ask_candles(self, i);
          },
          [=](caf::error& e) {
            self->state.symbols[i].filling = false;
            logger("market_feed")
                ->warn("Klines failed symbol={} error=\"{}\" retry_in_s={}",
                       self->state.symbols[i].name, msg::message_of(e, "failed"),
                       retry_after_failure.count());
            self->delayed_send(self, retry_after_failure, news{news::kind::up, refill, {}});
          });
}

void ask_snapshot(self_ptr self, std::size_t i) {
  auto& s = self->state.symbols[i];
  s.snapshot_asked = true;
  self->request(self->state.rest, caf::infinite, msg::depth_query{s.binance})
      .then(
          [=](msg::depth_answer& a) {
            auto& sym = self->state.symbols[i];
            self->state.weight = a.weight;
            sym.snapshot_asked = false;
            if (sym.book.on_snapshot(a.snapshot) == exchange::book_sync::outcome::gap)
              logger("market_feed")->info("Book resync symbol={} reason=stale_snapshot", sym.name);
          },
          [=](caf::error& e) {
            auto& sym = self->state.symbols[i];
            sym.snapshot_asked = false;  // a diff after the pause asks again
            sym.snapshot_not_before = self->state.deps.clock->now() + retry_after_failure;
            logger("market_feed")
                ->warn("Depth snapshot failed symbol={} error=\"{}\"", self->state.symbols[i].name,
                       msg::message_of(e, "failed"));
          });
}

std::size_t index_of(const binance_feed_state& st, const std::string& binance) {
  for (std::size_t i = 0; i < st.symbols.size(); ++i)
    if (st.symbols[i].binance == binance)
      return i;
  return st.symbols.size();
}

void on_event(self_ptr self, exchange::stream_event& e) {
  auto& st = self->state;
  if (auto* k = std::get_if<exchange::kline_event>(&e)) {
    const auto i = index_of(st, k->symbol);
    if (i == st.symbols.size() || k->step_ms != step(st))
      return;
    auto& s = st.symbols[i];
    if (!k->closed) {
      s.forming = k->bar;
      s.forming_changed = true;
      // A candle forming past the one after the last closed: the stream missed some (it was
      // down); REST fills them now rather than at the next close.
      if (s.warmed && !s.filling && !s.closed.empty() &&
          k->bar.open_time_ms > s.closed.back().open_time_ms + step(st))
        ask_candles(self, i);
      return;
    }
    const bool gap =
        !s.closed.empty() && k->bar.open_time_ms > s.closed.back().open_time_ms + step(st);
    merge(s, {k->bar}, k->bar.open_time_ms + step(st), step(st), capacity(st));
    if (gap)
      ask_candles(self, i);  // the REST klines fill what the stream missed
    return;
  }
  if (auto* t = std::get_if<exchange::ticker_event>(&e)) {
    const auto i = index_of(st, t->symbol);
    if (i < st.symbols.size())
      st.symbols[i].ticker = std::move(*t);
    return;
  }
  auto& d = std::get<exchange::depth_event>(e);
  const auto i = index_of(st, d.symbol);
  if (i == st.symbols.size())
    return;
  auto& s = st.symbols[i];
  const auto outcome = s.book.on_diff(d);
  if (outcome == exchange::book_sync::outcome::gap)
    logger("market_feed")->info("Book resync symbol={} reason=update_gap", s.name);
  if (!s.book.synced() && !s.snapshot_asked && st.deps.clock->now() >= s.snapshot_not_before)
    ask_snapshot(self, i);
}

void on_news(self_ptr self, news& n) {
  auto& st = self->state;
  switch (n.what) {
    case news::kind::up:
      if (n.why != refill) {
        st.connected = true;
        logger("market_feed")->info("Binance stream up symbols={}", st.symbols.size());
      }
      if (st.connected)
        for (std::size_t i = 0; i < st.symbols.size(); ++i)
          if (!st.symbols[i].filling)
            ask_candles(self, i);
      return;
    case news::kind::down:
      st.connected = false;
      st.down_why = n.why;
      ++st.disconnects;
      for (auto& s : st.symbols) {
        s.book.reset();
        s.publish_full = true;
      }
      return;
    case news::kind::event:
      on_event(self, n.event);
      return;
  }
}

trading::quote quote_of(const live_symbol& s) {
  trading::quote q;
  if (s.ticker) {
    q.last = s.ticker->last;
    q.bid = s.ticker->bid;
    q.ask = s.ticker->ask;
    q.change_24h_pct = s.ticker->change_pct;
    q.volume_24h = s.ticker->volume;
  } else if (s.forming || !s.closed.empty()) {
    q.last = s.forming ? s.forming->close : s.closed.back().close;
  }
  if (s.book.synced() && !s.book.book().bids.empty() && !s.book.book().asks.empty()) {
    q.bid = s.book.book().bids.front().px;  // fresher than the ticker's, every 100 ms
    q.ask = s.book.book().asks.front().px;
  }
  if (!q.bid.is_positive())
    q.bid = q.last;
  if (!q.ask.is_positive())
    q.ask = q.last;
  return q;
}

caf::result<trading::ticker_batch> fetch(const binance_feed_state& st, const msg::fetch_market& f,
                                         bool candles) {
  const auto known = candle_ms(st);
  const bool warmed = std::all_of(st.symbols.begin(), st.symbols.end(),
                                  [](const live_symbol& s) { return s.warmed; });
  // A scan needs the market as it is now; /api/assets shows the last prices seen, also while
  // the stream is down (as the simulated feed does during an outage).
  const bool streamed = std::all_of(st.symbols.begin(), st.symbols.end(),
                                    [](const live_symbol& s) { return s.forming.has_value(); });
  if (candles && (!st.connected || !warmed || !streamed || !known))
    return not_ready(st);
  if (!candles && !known)
    return not_ready(st);
  const std::set<std::string> enabled(st.cfg.strategy.symbols.begin(),
                                      st.cfg.strategy.symbols.end());
  trading::ticker_batch b;
  b.at = st.deps.clock->now();
  b.step_ms = step(st);
  b.candle_ms = *known;
  b.market_ms = std::max(*known, now_ms(st));
  b.since_ms = f.since_ms;
  b.weight_used = st.weight.used;
  b.weight_limit = st.weight.limit;
  for (const auto& s : st.symbols) {
    trading::ticker t;
    t.symbol = s.name;
    t.q = quote_of(s);
    t.tradable = enabled.empty() || enabled.count(s.name) != 0;
    t.open = s.forming && s.forming->open_time_ms == *known ? s.forming->open : t.q.last;
    if (candles) {
      std::vector<trading::candle> shown;
      for (const auto& c : s.closed)
        if (c.open_time_ms < *known && (!f.since_ms || c.open_time_ms >= *f.since_ms))
          shown.push_back(c);
      const std::size_t keep = f.since_ms ? trading::max_candles_per_fetch : f.warmup;
      if (shown.size() > keep)
        shown.erase(shown.begin(), shown.end() - static_cast<std::ptrdiff_t>(keep));
      t.closed = std::move(shown);
    }
    b.tickers.push_back(std::move(t));
  }
  return b;
}

caf::result<msg::candles_page> candles(const binance_feed_state& st, const msg::get_candles& q) {
  std::size_t i = 0;
  while (i < st.symbols.size() && st.symbols[i].name != q.symbol)
    ++i;
  if (i == st.symbols.size())
    return msg::actor_error(msg::errc::unknown_symbol, "no symbol " + q.symbol, "symbol");
  const auto& s = st.symbols[i];
  msg::candles_page page;
  page.symbol = q.symbol;
  page.step_ms = step(st);
  page.market_ms = now_ms(st);
  const auto known = candle_ms(st).value_or(page.market_ms);
  const auto until = q.before_ms ? std::min(*q.before_ms, known) : known;
  const auto spec = msg::strategy_of(st.cfg);
  const auto warmup = static_cast<std::size_t>(st.cfg.strategy.warmup_candles);
  std::vector<trading::candle> all;
  for (const auto& c : s.closed)
    if (c.open_time_ms < until)
      all.push_back(c);
  const auto want = static_cast<std::size_t>(q.limit) + warmup;
  if (all.size() > want)
    all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(want));
  const auto skip = all.size() > q.limit ? all.size() - static_cast<std::size_t>(q.limit) : 0;
  page.lines = trading::indicator_lines(spec, all, skip);
  page.strategy = spec.name;
  if (skip > 0)
    page.next_before = all[skip].open_time_ms;
  page.candles.assign(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end());
  return page;
}

void publish_books(self_ptr self, const msg::broadcaster_actor& b, trading::timestamp now) {
  auto& st = self->state;
  const auto depth = static_cast<std::size_t>(st.cfg.stream.book_depth);
  for (auto& s : st.symbols) {
    if (!s.book.synced())
      continue;
    trading::order_book top;
    const auto& full = s.book.book();
    top.bids.assign(full.bids.begin(), full.bids.begin() + static_cast<std::ptrdiff_t>(
                                                               std::min(depth, full.bids.size())));
    top.asks.assign(full.asks.begin(), full.asks.begin() + static_cast<std::ptrdiff_t>(
                                                               std::min(depth, full.asks.size())));
    if (s.publish_full) {
      self->send(b, msg::publish_book{s.name, top, true, now, now_ms(st)});
      s.publish_full = false;
    } else {
      auto changes = trading::diff(s.published, top);
      if (!changes.bids.empty() || !changes.asks.empty())
        self->send(b, msg::publish_book{s.name, std::move(changes), false, now, now_ms(st)});
    }
    s.published = std::move(top);
  }
}

void publish_candles(self_ptr self, const msg::broadcaster_actor& b, trading::timestamp now) {
  auto& st = self->state;
  const bool forming_due = now - st.forming_sent_at >= forming_every;
  msg::publish_candles out{{}, st.deps.market->timeframe, now_ms(st), now};
  const auto spec = msg::strategy_of(st.cfg);
  const auto warmup = static_cast<std::size_t>(st.cfg.strategy.warmup_candles);
  for (auto& s : st.symbols) {
    if (!s.closed.empty() && s.closed.back().open_time_ms > s.candle_sent) {
      const auto n = std::min(s.closed.size(), warmup + max_closed_per_tick);
      std::vector<trading::candle> all(s.closed.end() - static_cast<std::ptrdiff_t>(n),
                                       s.closed.end());
      std::size_t k = 0;
      while (k < all.size() && k < max_closed_per_tick &&
             all[all.size() - 1 - k].open_time_ms > s.candle_sent)
        ++k;
      if (s.candle_sent != 0) {  // the first tick after the warm-up publishes none
        const auto lines = trading::indicator_lines(spec, all, all.size() - k);
        for (std::size_t j = 0; j < k; ++j) {
          msg::candle_update u{s.name, all[all.size() - k + j], true, {}};
          for (const auto& l : lines)
            u.lines.push_back({l.name, l.overlay, {l.values[j]}});
          out.updates.push_back(std::move(u));
        }
      }
      s.candle_sent = s.closed.back().open_time_ms;
    }
    if (s.forming && s.forming_changed && forming_due) {
      out.updates.push_back({s.name, *s.forming, false, {}});
      s.forming_changed = false;
    }
  }
  if (forming_due)
    st.forming_sent_at = now;
  if (!out.updates.empty())
    self->send(b, std::move(out));
}

void on_stream_tick(self_ptr self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::milliseconds{st.cfg.stream.book_interval_ms},
                     msg::book_tick_atom::value);
  auto b = st.deps.peers.broadcaster;
  if (!b || !st.connected)
    return;
  const auto now = st.deps.clock->now();
  publish_books(self, b, now);
  publish_candles(self, b, now);
}

}  // namespace

msg::market_feed_actor::behavior_type binance_feed(self_ptr self, binance_feed_deps deps,
                                                   msg::config cfg) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.cfg = std::move(cfg);
  const auto& m = *st.deps.market;
  for (std::size_t i = 0; i < m.symbols.size(); ++i) {
    live_symbol s;
    s.name = m.symbols[i];
    s.binance = m.names[i];
    st.symbols.push_back(std::move(s));
  }
  st.sleeper = std::make_shared<interruptible_sleep>();
  st.rest = self->spawn<caf::detached + caf::linked>(
      binance_rest, st.deps.market, std::chrono::milliseconds{st.cfg.exchange.timeout_ms},
      st.sleeper);
  std::vector<std::string> names = m.names;
  exchange::ws_options o;
  o.url = m.ws_url + exchange::stream_path(names, m.timeframe);
  if (!m.ca_file.empty())
    o.ca_file = m.ca_file;
  o.open_timeout = std::chrono::milliseconds{st.cfg.exchange.timeout_ms};
  st.stream = std::make_shared<binance_stream>(caf::actor_cast<caf::actor>(self), o);
  self->attach_functor([sleeper = st.sleeper, stream = st.stream] {
    sleeper->interrupt();
    stream->stop();
  });
  logger("market_feed")
      ->info("Market feed up exchange=binance symbols={} timeframe={}", st.symbols.size(),
             m.timeframe);
  self->delayed_send(self, std::chrono::milliseconds{st.cfg.stream.book_interval_ms},
                     msg::book_tick_atom::value);
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::book_tick_atom) { on_stream_tick(self); },
      [=](msg::resync_books_atom) {
        for (auto& s : self->state.symbols)
          s.publish_full = true;
      },
      [=](msg::stream_news& n) { on_news(self, n); },
      [=](msg::market_feed_peers& p) { self->state.deps.peers = std::move(p); },
      [=](const msg::fetch_market& q) { return fetch(self->state, q, true); },
      [=](msg::assets_atom) { return fetch(self->state, msg::fetch_market{}, false); },
      [=](const msg::get_candles& q) { return candles(self->state, q); },
      [=](const msg::submit_order&) -> caf::result<trading::fill> {
        return msg::actor_error(msg::errc::exchange_unavailable,
                                "live orders on Binance are not available in this version");
      },
      [=](const msg::apply_config& ac) {
        self->state.cfg = ac.cfg;
        return msg::ok_atom::value;
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

}  // namespace ct::actors
