// The Binance market feed's own messages: what its stream thread reports (the connection up or
// down, each event parsed off the stream), and the REST worker's calls (klines, a depth
// snapshot). All local: they carry parsed data, and never leave the process.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "exchange/binance_stream.hpp"
#include "exchange/paced_rest.hpp"
#include "trading/candles.hpp"
#include "trading/exchange.hpp"
#include "trading/lot_rules.hpp"

namespace ct::msg {

/// What start-up learned of Binance, fixed while the service runs: the symbols traded (ours
/// and Binance's names), their order-size filters, the request-weight limit, the addresses
/// and the clock's offset from Binance's.
struct binance_market {
  std::string rest_url;
  std::string ws_url;
  std::string ca_file;  // empty: the system's CAs only
  std::string timeframe;
  std::int64_t step_ms = 0;
  std::vector<std::string> symbols;                 // "BTC-USDT"
  std::vector<std::string> names;                   // "BTCUSDT", in the same order
  std::map<std::string, trading::lot_rules> rules;  // by our symbol
  std::string quote;                                // the ledger's currency
  int weight_per_minute = 1200;
  std::int64_t clock_offset_ms = 0;  // Binance's clock minus ours, at start-up
  /// The address's standing with Binance (weight used, Retry-After), which every REST caller of
  /// the service shares.
  std::shared_ptr<exchange::rate_gate> gate = std::make_shared<exchange::rate_gate>();
};

/// From the stream thread: up (the handshake is done), down (why), or one event.
struct stream_news {
  enum class kind { up, down, event } what = kind::event;
  std::string why;
  exchange::stream_event event;
};

/// To the REST worker: `name`'s klines opening in [from_ms, to_ms], at most 1000.
struct klines_query {
  std::string name;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};

/// The request weight in use this minute as Binance's last answer said, and its limit.
struct weight_in_use {
  std::int64_t used = 0;
  std::int64_t limit = 0;
};

struct klines_answer {
  std::string name;
  std::vector<trading::candle> candles;
  weight_in_use weight{};
};

/// To the REST worker: `name`'s order book.
struct depth_query {
  std::string name;
};

struct depth_answer {
  std::string name;
  exchange::depth_snapshot snapshot;
  weight_in_use weight{};
};

using binance_rest_actor = caf::typed_actor<caf::replies_to<klines_query>::with<klines_answer>,
                                            caf::replies_to<depth_query>::with<depth_answer>>;

/// The account's API key and secret, from the environment (CRYPTO_TRADING_EXCHANGE_KEY and
/// _SECRET): held in memory only, never stored, logged or shown.
struct exchange_credentials {
  std::string key;
  std::string secret;
};

/// To the account worker: a MARKET order for `qty` of `symbol` ("BTC-USDT") whose client order
/// id on Binance is `client_id`, the service's own order id.
struct place_order {
  std::string client_id;
  std::string symbol;
  trading::order_side side = trading::order_side::buy;
  trading::quantity qty;
};

/// To the account worker: find out what became of an order sent before whose answer never
/// came (a restart). `sent_ms` is when it was sent, by our clock.
struct resolve_order {
  std::string client_id;
  std::string symbol;
  trading::order_side side = trading::order_side::buy;
  std::int64_t sent_ms = 0;
};

/// What became of an order: filled (booked from Binance's fills: the quantity the account
/// received net of a commission in the bought asset, the average price, the fee in the quote
/// currency, commissions in other assets), refused by Binance or here, never placed, or not
/// known yet (the service is stopping: it stays submitted, and the next start asks again).
struct order_outcome {
  enum class kind { filled, rejected, not_placed, unknown } what = kind::unknown;
  trading::fill fill;
  std::map<std::string, trading::quantity> other_fees;
  std::string error;
};

/// To the account worker: the account's balances (free plus locked, by asset).
struct balances_query {};

struct account_balances {
  std::map<std::string, trading::quantity> assets;
};

using binance_account_actor =
    caf::typed_actor<caf::replies_to<place_order>::with<order_outcome>,
                     caf::replies_to<resolve_order>::with<order_outcome>,
                     caf::replies_to<balances_query>::with<account_balances>>;

}  // namespace ct::msg

// Local only: parsed exchange data, never serialized.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::stream_news)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::klines_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::klines_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::depth_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::depth_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::place_order)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::resolve_order)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::order_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::balances_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::account_balances)
