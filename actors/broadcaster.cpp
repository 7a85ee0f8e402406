#include "actors/broadcaster.hpp"

#include <cmath>
#include <iterator>
#include <utility>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>

#include "actors/log.hpp"
#include "messages/metrics.hpp"
#include "messages/ws_json.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::broadcaster_actor::stateful_pointer<broadcaster_state>;
using payload = std::shared_ptr<const std::string>;
using std::chrono::milliseconds;

constexpr milliseconds tick_interval{1000};

msg::status_context status_ctx(const broadcaster_state& st) {
  const auto up = std::chrono::duration<double>(std::chrono::steady_clock::now() - st.started);
  msg::status_context ctx;
  ctx.started_at = st.deps.started_at;
  ctx.uptime_s = std::floor(up.count() * 1000) / 1000;
  ctx.version = st.deps.version;
  return msg::with_figures(std::move(ctx), st.deps.http.get());
}

bool anyone_on(const broadcaster_state& v, const std::string& channel) {
  for (const auto& [id, c] : v.clients)
    if (c.greeted && !c.dropped && c.channels.count(channel) != 0)
      return true;
  return false;
}

/// Hands `texts` to one client as one write; false, and the client marked dropped, when its
/// sink says it is gone or too slow.
bool send_to(std::uint64_t id, ws_client& c, const std::vector<payload>& texts) {
  if (c.dropped)
    return false;
  if (c.sink->send(texts)) {
    c.messages += texts.size();
    return true;
  }
  logger("broadcaster")->debug("Client dropped id={}", id);
  c.dropped = true;
  return false;
}

std::string metrics_text(const broadcaster_state& v) {
  std::uint64_t messages = v.messages_of_gone;
  std::uint64_t greeted = 0;
  for (const auto& [id, c] : v.clients) {
    messages += c.messages;
    greeted += c.greeted && !c.dropped ? 1 : 0;
  }
  msg::prom_text out;
  out.family("ct_ws_subscribers", "gauge", "WebSocket clients the broadcaster serves.")
      .sample("ct_ws_subscribers", static_cast<double>(greeted));
  out.family("ct_ws_messages_total", "counter", "WebSocket messages handed to clients.")
      .sample("ct_ws_messages_total", static_cast<double>(messages));
  out.family("ct_ws_dropped_clients_total", "counter",
             "WebSocket clients dropped because they were too slow or gone mid-send.")
      .sample("ct_ws_dropped_clients_total", static_cast<double>(v.clients_dropped));
  return out.take();
}

/// Only from the top of a handler: callers below it hold references to clients.
void forget_dropped(broadcaster_state& v) {
  for (auto it = v.clients.begin(); it != v.clients.end();) {
    if (!it->second.dropped) {
      ++it;
      continue;
    }
    v.messages_of_gone += it->second.messages;
    ++v.clients_dropped;
    it = v.clients.erase(it);
  }
}

/// Sends every client its subscribed part of the batch, one write each, and empties it.
void flush(self_ptr self) {
  auto& v = self->state;
  if (v.batch.empty())
    return;
  std::vector<payload> share;
  for (auto& [id, c] : v.clients) {
    share.clear();
    if (c.greeted)
      for (const auto& [channel, text] : v.batch)
        if (c.channels.count(channel) != 0)
          share.push_back(text);
    if (!share.empty())
      send_to(id, c, share);
  }
  v.batch.clear();
}

/// Adds a publication to the batch; the flush comes after what the mailbox holds now.
void publish(self_ptr self, std::string channel, payload text) {
  self->state.batch.emplace_back(std::move(channel), std::move(text));
  if (!self->state.flush_scheduled) {
    self->state.flush_scheduled = true;
    self->send(self, msg::ws_flush_atom::value);
  }
}

/// Sends one message to one client, after the batch (so that it never overtakes an event).
bool send_one(self_ptr self, std::uint64_t id, ws_client& c, payload text) {
  flush(self);
  return send_to(id, c, {std::move(text)});
}

payload make(std::string s) {
  return std::make_shared<const std::string>(std::move(s));
}

void subscribe(self_ptr self, std::uint64_t id, ws_client& c, const msg::ws_subscribe& s) {
  auto& v = self->state;
  const auto now = self->state.deps.clock->now();
  std::vector<std::string> added;
  for (const auto& ch : s.channels)
    if (c.channels.insert(ch).second)
      added.push_back(ch);
  if (!send_one(self, id, c, make(msg::ws_channels_reply("subscribed", c.channels, now))))
    return;
  for (const auto& ch : added) {
    if (ch.rfind("orderbook:", 0) != 0)
      continue;
    const auto symbol = ch.substr(10);
    auto it = v.books.find(symbol);
    if (it != v.books.end())
      send_one(self, id, c,
               make(msg::ws_book(symbol, it->second.book, it->second.update_id, true,
                                 it->second.market_ms, now)));
  }
}

void unsubscribe(self_ptr self, std::uint64_t id, ws_client& c, const msg::ws_unsubscribe& u) {
  for (const auto& ch : u.channels)
    c.channels.erase(ch);  // not subscribed is not an error
  const auto now = self->state.deps.clock->now();
  send_one(self, id, c, make(msg::ws_channels_reply("unsubscribed", c.channels, now)));
}

/// Carries out a client's operation, or keeps it for after its hello.
void apply(self_ptr self, std::uint64_t id, ws_client& c, const ws_client_op& op) {
  if (!c.greeted)
    c.early.push_back(op);
  else if (const auto* s = std::get_if<msg::ws_subscribe>(&op))
    subscribe(self, id, c, *s);
  else
    unsubscribe(self, id, c, std::get<msg::ws_unsubscribe>(op));
}

/// Sends the hello, then whatever the client asked for before it.
void greet(self_ptr self, std::uint64_t id, ws_client& c) {
  auto& st = self->state;
  const auto now = st.deps.clock->now();
  if (!send_one(self, id, c, make(msg::ws_hello(*st.last_status, status_ctx(st), now))))
    return;
  c.greeted = true;
  for (const auto& op : std::exchange(c.early, {}))
    apply(self, id, c, op);
}

void on_op(self_ptr self, std::uint64_t id, ws_client_op op) {
  auto& v = self->state;
  if (auto it = v.clients.find(id); it != v.clients.end())
    apply(self, id, it->second, op);
}

void greet_waiting(self_ptr self) {
  auto& v = self->state;
  for (auto& [id, c] : v.clients)
    if (!c.greeted)
      greet(self, id, c);
}

/// Before the position manager's first publication, a hello needs its status: ask for it.
void fetch_hello(self_ptr self) {
  auto& st = self->state;
  auto pm = st.deps.peers.position_manager;
  if (st.fetching_hello || !pm)
    return;  // retried on the next tick
  st.fetching_hello = true;
  const milliseconds timeout{st.cfg.http.request_timeout_ms};
  self->request(pm, timeout, msg::status_atom::value)
      .then(
          [=](msg::status_snapshot& status) {
            self->request(pm, timeout, msg::get_positions{})
                .then(
                    [=](msg::positions_snapshot& positions) mutable {
                      auto& s = self->state;
                      s.fetching_hello = false;
                      if (!s.last_status)
                        s.last_status = msg::publish_status{
                            std::move(status), std::move(positions.positions), s.deps.clock->now()};
                      greet_waiting(self);
                    },
                    [=](caf::error&) { self->state.fetching_hello = false; });
          },
          [=](caf::error&) { self->state.fetching_hello = false; });
}

void tick(self_ptr self) {
  auto& st = self->state;
  const auto now = st.deps.clock->now();
  const milliseconds interval{st.cfg.stream.ping_interval_ms};
  forget_dropped(st);
  for (auto& [id, c] : st.clients)
    if (now - c.last_ping >= interval) {
      c.sink->ping();
      c.last_ping = now;
    }
  if (!st.last_status && !st.clients.empty())
    fetch_hello(self);
  self->delayed_send(self, tick_interval, msg::ws_tick_atom::value);
}

void on_book(self_ptr self, msg::publish_book& b) {
  auto& v = self->state;
  auto found = v.books.find(b.symbol);
  if (found == v.books.end() && !b.snapshot)
    return;  // changes to a book this broadcaster never saw: the feed's snapshot is on its way
  auto& r = v.books[b.symbol];
  if (b.snapshot)
    r.book = std::move(b.changes);
  else
    trading::apply(r.book, b.changes);
  ++r.update_id;
  r.market_ms = b.market_ms;
  const std::string channel = "orderbook:" + b.symbol;
  if (!anyone_on(v, channel))
    return;
  // A snapshot from the feed (after it restarted) replaces the clients' books too.
  const auto& levels = b.snapshot ? r.book : b.changes;
  publish(self, channel,
          make(msg::ws_book(b.symbol, levels, r.update_id, b.snapshot, b.market_ms, b.at)));
}

void on_candles(self_ptr self, const msg::publish_candles& p) {
  for (const auto& u : p.updates) {
    const std::string channel = "candles:" + u.symbol;
    if (anyone_on(self->state, channel))
      publish(self, channel, make(msg::ws_candle(u, p)));
  }
}

}  // namespace

broadcaster_state::~broadcaster_state() {
  if (stopping)
    return;
  for (auto& [id, c] : clients)
    if (!c.dropped)
      c.sink->close(1013, "the stream restarts: reconnect");
}

msg::broadcaster_actor::behavior_type broadcaster(self_ptr self, broadcaster_deps deps,
                                                  msg::config cfg) {
  self->state.deps = std::move(deps);
  self->state.cfg = std::move(cfg);
  self->delayed_send(self, tick_interval, msg::ws_tick_atom::value);
  // Order books are rebuilt from the feed's snapshots (after a restart, this one has none).
  if (auto feed = self->state.deps.peers.market_feed)
    self->send(feed, msg::resync_books_atom::value);
  // An orderly stop (the supervisor's, the service's) is not a failure: no 1013 for anyone.
  self->set_exit_handler([=](caf::exit_msg& m) {
    if (m.reason == caf::exit_reason::user_shutdown || m.reason == caf::exit_reason::normal)
      self->state.stopping = true;
    self->quit(m.reason);
  });
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::timeline_event& e) {
        auto& v = self->state;
        if (anyone_on(v, "timeline"))
          publish(self, "timeline", make(msg::ws_timeline(e)));
      },
      [=](msg::publish_status& p) {
        auto& st = self->state;
        auto& v = st;
        v.last_status = std::move(p);
        if (anyone_on(v, "status"))
          publish(self, "status", make(msg::ws_status(*v.last_status, status_ctx(st))));
        if (anyone_on(v, "positions"))
          publish(self, "positions", make(msg::ws_positions(*v.last_status)));
        greet_waiting(self);
      },
      [=](msg::publish_tickers& t) {
        auto& v = self->state;
        if (anyone_on(v, "ticker"))
          publish(self, "ticker", make(msg::ws_ticker(t.batch)));
      },
      [=](msg::publish_book& b) { on_book(self, b); },
      [=](const msg::publish_candles& p) { on_candles(self, p); },
      [=](msg::ws_join& j) {
        auto& v = self->state;
        ws_client c;
        c.sink = std::move(j.sink);
        c.channels = {msg::default_channels().begin(), msg::default_channels().end()};
        c.last_ping = self->state.deps.clock->now();
        auto& client = v.clients[j.id] = std::move(c);
        if (v.last_status)
          greet(self, j.id, client);
        else
          fetch_hello(self);
      },
      [=](const msg::ws_leave& l) {
        auto& v = self->state;
        if (auto it = v.clients.find(l.id); it != v.clients.end()) {
          v.messages_of_gone += it->second.messages;
          v.clients.erase(it);
        }
      },
      [=](const msg::ws_subscribe& s) { on_op(self, s.id, s); },
      [=](const msg::ws_unsubscribe& u) { on_op(self, u.id, u); },
      [=](const msg::ws_close_all& c) {
        flush(self);  // what was published goes out before the close frames
        auto& v = self->state;
        for (auto& [id, client] : v.clients)
          client.sink->close(c.code, c.reason);
        v.clients.clear();
        return msg::ok_atom::value;
      },
      [=](msg::ws_tick_atom) { tick(self); },
      [=](msg::broadcaster_peers& p) {
        // A restarted feed publishes whole books by itself; a restarted position manager is
        // asked for the status again only when a hello needs it.
        self->state.deps.peers = std::move(p);
      },
      [=](msg::ws_flush_atom) {
        self->state.flush_scheduled = false;
        flush(self);
        forget_dropped(self->state);
      },
      [=](const msg::apply_config& ac) {
        self->state.cfg = ac.cfg;
        return msg::ok_atom::value;
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      [=](msg::metrics_atom) { return metrics_text(self->state); },
  };
}

}  // namespace ct::actors
