// Binance's spot orders as data: a MARKET order's query and the order query (both before
// signing, with `timestamp` and `recvWindow` as Binance documents), the answers of POST and
// GET /api/v3/order, and what an answer books: the base quantity the account received (net of
// a commission taken in it), the average price, the fee in the quote currency and the fees in
// other assets (BNB). Pure functions of text and numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "trading/exchange.hpp"
#include "trading/money.hpp"
#include "trading/result.hpp"

namespace ct::exchange {

/// The query of POST /api/v3/order for a MARKET order of `qty` with the service's own id,
/// asking for the FULL answer (its fills).
std::string market_order_query(const std::string& symbol, trading::order_side side,
                               trading::quantity qty, const std::string& client_id,
                               std::int64_t timestamp_ms, std::int64_t recv_window_ms);

/// The query of GET /api/v3/order for the order whose client id is `client_id`.
std::string order_lookup_query(const std::string& symbol, const std::string& client_id,
                               std::int64_t timestamp_ms, std::int64_t recv_window_ms);

/// The query of GET /api/v3/myTrades for the trades of Binance's order `order_id`.
std::string order_trades_query(const std::string& symbol, std::int64_t order_id,
                               std::int64_t timestamp_ms, std::int64_t recv_window_ms);

/// The query of GET /api/v3/account (balances only).
std::string account_query(std::int64_t timestamp_ms, std::int64_t recv_window_ms);

struct order_fill_part {
  trading::price px;
  trading::quantity qty;
  trading::quantity commission;  // in commission_asset's units
  std::string commission_asset;
};

/// POST /api/v3/order's FULL answer, or GET /api/v3/order's (no fills).
struct order_answer {
  std::string symbol;
  std::int64_t order_id = 0;
  std::string client_order_id;
  std::string status;  // NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED, ...
  std::string side;    // BUY, SELL
  trading::quantity executed_qty;
  trading::money quote_qty;  // cummulativeQuoteQty
  std::int64_t time_ms = 0;  // transactTime, or time
  std::vector<order_fill_part> fills;
};

result<order_answer> parse_order_answer(const std::string& body);

/// GET /api/v3/myTrades's answer: each trade as a part of its order's fill.
result<std::vector<order_fill_part>> parse_trades(const std::string& body);

/// GET /api/v3/account's balances: free plus locked, by asset (those above zero).
result<std::map<std::string, trading::quantity>> parse_balances(const std::string& body);

/// Whether an order in `status` can still change (NEW, PARTIALLY_FILLED, PENDING_NEW).
bool order_in_progress(const std::string& status);

/// What an order books.
struct booked_order {
  trading::quantity qty;  // base held more (a buy, net of a commission in base) or less
  trading::price px;      // the average price: quote quantity / executed quantity
  trading::money fee;     // in the quote currency (a commission in base, at px, included)
  std::map<std::string, trading::quantity> other_fees;  // by asset: BNB and the like
};

/// `a` booked for a pair of `base` and `quote`: an error when nothing was executed.
result<booked_order> book_order(const order_answer& a, const std::string& base,
                                const std::string& quote);

/// Binance's error code in an error body ({"code":-2013,"msg":...}); 0 when there is none.
long binance_error_code(const std::string& body);

/// Binance's "Order does not exist." (GET /api/v3/order).
inline constexpr long no_such_order = -2013;

}  // namespace ct::exchange
