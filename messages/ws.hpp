// The WebSocket's messages. The broadcaster owns the subscriptions and writes to each client
// through a ws_sink, an interface the HTTP layer implements over its connections, so that the
// broadcaster needs no socket code and tests can stand in for clients.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/config_inspect.hpp"
#include "messages/inspect.hpp"
#include "messages/positions.hpp"
#include "messages/timeline.hpp"
#include "trading/exchange.hpp"
#include "trading/indicator_lines.hpp"
#include "trading/order_book.hpp"
#include "trading/result.hpp"

namespace ct::msg {

/// One WebSocket client as the broadcaster sees it. Thread-safe; never blocks.
class ws_sink {
public:
  virtual ~ws_sink() = default;
  /// Queues text messages, in order, as one write. False when the client is gone, or so far
  /// behind that it is being closed (1008): the broadcaster then forgets it.
  virtual bool send(const std::vector<std::shared_ptr<const std::string>>& texts) = 0;
  /// Starts the closing handshake, at most once.
  virtual void close(std::uint16_t code, const std::string& reason) = 0;
  virtual void ping() = 0;
};

/// A connection ready for its hello; it starts with status, positions and timeline.
struct ws_join {
  std::uint64_t id = 0;
  std::shared_ptr<ws_sink> sink;
};

struct ws_leave {
  std::uint64_t id = 0;
};

/// Channels already checked by ws_check_channel.
struct ws_subscribe {
  std::uint64_t id = 0;
  std::vector<std::string> channels;
};

struct ws_unsubscribe {
  std::uint64_t id = 0;
  std::vector<std::string> channels;
};

/// Closes every client (1001 at shutdown); answered once the close frames are queued.
struct ws_close_all {
  std::uint16_t code = 1001;
  std::string reason;
};

/// From the position manager: the status and the open positions, after a change or as marks
/// move (at most every stream.status_interval_ms).
struct publish_status {
  status_snapshot status;
  std::vector<trading::position> open_positions;
  trading::timestamp at{};
};

/// From the scanner: every scan's tickers.
struct publish_tickers {
  trading::ticker_batch batch;
};

/// From the market feed: the changes to one symbol's book (the whole book when `snapshot`).
struct publish_book {
  std::string symbol;
  trading::order_book changes;
  bool snapshot = false;
  trading::timestamp at{};
  std::int64_t market_ms = 0;
};

/// One symbol's candle: one that closed (with the running strategy's lines at it, one value
/// each) or the one forming, as it stands.
struct candle_update {
  std::string symbol;
  trading::candle bar;
  bool closed = false;
  std::vector<trading::indicator_line> lines;
};

/// From the market feed: the candles that closed since its last, and the forming ones.
struct publish_candles {
  std::vector<candle_update> updates;
  std::string timeframe;  // "5m"
  std::int64_t market_ms = 0;
  trading::timestamp at{};
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candle_update& x) {
  return f(caf::meta::type_name("candle_update"), x.symbol, x.bar, x.closed, x.lines);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publish_candles& x) {
  return f(caf::meta::type_name("publish_candles"), x.updates, x.timeframe, x.market_ms, x.at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ws_leave& x) {
  return f(caf::meta::type_name("ws_leave"), x.id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ws_subscribe& x) {
  return f(caf::meta::type_name("ws_subscribe"), x.id, x.channels);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ws_unsubscribe& x) {
  return f(caf::meta::type_name("ws_unsubscribe"), x.id, x.channels);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ws_close_all& x) {
  return f(caf::meta::type_name("ws_close_all"), x.code, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publish_status& x) {
  return f(caf::meta::type_name("publish_status"), x.status, x.open_positions, x.at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publish_tickers& x) {
  return f(caf::meta::type_name("publish_tickers"), x.batch);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publish_book& x) {
  return f(caf::meta::type_name("publish_book"), x.symbol, x.changes, x.snapshot, x.at,
           x.market_ms);
}

using ws_tick_atom = caf::atom_constant<caf::atom("ws_tick")>;
using ws_flush_atom = caf::atom_constant<caf::atom("ws_flush")>;  // the broadcaster to itself

struct broadcaster_peers;  // messages/peers.hpp

using broadcaster_actor = caf::typed_actor<
    caf::reacts_to<broadcaster_peers>, caf::reacts_to<timeline_event>,
    caf::reacts_to<publish_status>, caf::reacts_to<publish_tickers>, caf::reacts_to<publish_book>,
    caf::reacts_to<publish_candles>, caf::reacts_to<ws_join>, caf::reacts_to<ws_leave>,
    caf::reacts_to<ws_subscribe>, caf::reacts_to<ws_unsubscribe>,
    caf::replies_to<ws_close_all>::with<ok_atom>, caf::reacts_to<ws_tick_atom>,
    caf::reacts_to<ws_flush_atom>, caf::replies_to<apply_config>::with<ok_atom>,
    caf::replies_to<ping_atom>::with<pong_atom>, caf::replies_to<metrics_atom>::with<std::string>>;

/// The channels a client starts with.
const std::vector<std::string>& default_channels();

/// Checks a channel name: status, positions, timeline, ticker, orderbook:<SYMBOL> or
/// candles:<SYMBOL> for a symbol in `symbols`. Errors: unknown_channel, unknown_symbol.
result<void> ws_check_channel(const std::string& channel, const std::set<std::string>& symbols);

}  // namespace ct::msg

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::ws_join)  // local only: it holds a connection

namespace ct::trading {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_level& x) {
  return f(caf::meta::type_name("book_level"), x.px, x.qty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_book& x) {
  return f(caf::meta::type_name("order_book"), x.bids, x.asks);
}

}  // namespace ct::trading
