// libFuzzer target: Binance's REST answers (klines, exchangeInfo, time, depth, orders, trades,
// balances, error bodies) and stream messages, which `crypto-trading download`, the Binance
// market feed and the account worker read from the network. Klines that parse are in
// increasing time and hold only decimal strings; a streamed candle that parses has its open and
// close within its range; a book kept from parsed diffs and snapshots never holds a level of
// zero size; an order that books holds no more than it executed, at a positive price; balances
// are positive.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "exchange/binance.hpp"
#include "exchange/binance_book.hpp"
#include "exchange/binance_orders.hpp"
#include "exchange/binance_stream.hpp"

namespace {

ct::exchange::book_sync book;  // across inputs, as the feed keeps it across messages

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto ks = ct::exchange::parse_klines(text); ks.ok())
    for (std::size_t i = 0; i < ks.value().size(); ++i) {
      const auto& k = ks.value()[i];
      if (i > 0 && k.open_ms <= ks.value()[i - 1].open_ms)
        std::abort();
      for (const auto* v : {&k.open, &k.high, &k.low, &k.close, &k.volume})
        if (!ct::exchange::is_binance_decimal(*v))
          std::abort();
    }
  if (auto info = ct::exchange::parse_exchange_info(text); info.ok())
    (void)ct::exchange::map_symbols(info.value(), {"BTC-USDT"});
  (void)ct::exchange::parse_server_time(text);
  (void)ct::exchange::describe_error(400, text);
  if (auto e = ct::exchange::parse_stream_message(text); e.ok()) {
    if (auto* k = std::get_if<ct::exchange::kline_event>(&e.value())) {
      const auto& c = k->bar;
      if (c.low > c.open || c.low > c.close || c.high < c.open || c.high < c.close)
        std::abort();
    }
    if (auto* d = std::get_if<ct::exchange::depth_event>(&e.value()))
      book.on_diff(*d);
  }
  if (auto a = ct::exchange::parse_order_answer(text); a.ok()) {
    if (auto trades = ct::exchange::parse_trades(text); trades.ok())
      a.value().fills = trades.value();
    if (auto b = ct::exchange::book_order(a.value(), "BTC", "USDT"); b.ok())
      if (b.value().qty > a.value().executed_qty || !b.value().px.is_positive())
        std::abort();
  }
  if (auto balances = ct::exchange::parse_balances(text); balances.ok())
    for (const auto& [asset, qty] : balances.value())
      if (!qty.is_positive())
        std::abort();
  (void)ct::exchange::binance_error_code(text);
  if (auto s = ct::exchange::parse_depth_snapshot(text); s.ok())
    book.on_snapshot(s.value());
  for (const auto* side : {&book.book().bids, &book.book().asks})
    for (const auto& l : *side)
      if (l.qty.is_zero())
        std::abort();
  return 0;
}
