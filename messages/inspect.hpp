// CAF 0.17 inspect() overloads for the trading library's value types, in their own namespace so
// that trading/ stays free of CAF, and an adapter for std::optional (CAF 0.17 inspects only its
// own caf::optional).
#pragma once

#include <optional>
#include <type_traits>

#include <caf/detail/scope_guard.hpp>
#include <caf/meta/type_name.hpp>

#include "trading/exchange.hpp"
#include "trading/indicator_lines.hpp"
#include "trading/portfolio.hpp"
#include "trading/signals.hpp"

namespace ct::msg {

/// Lets an inspector read or write a std::optional field: inspect(f, opt(x.field)).
template <class T>
struct optional_ref {
  std::optional<T>& x;
};

template <class T>
optional_ref<T> opt(std::optional<T>& x) {
  return {x};
}

template <class T>
struct optional_load {
  bool& present;
  T& storage;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, optional_load& x) {
    return x.present ? f(x.storage) : f();
  }
};

template <class Inspector, class T>
typename std::enable_if<Inspector::reads_state, typename Inspector::result_type>::type inspect(
    Inspector& f, optional_ref<T>& r) {
  return r.x ? f(true, *r.x) : f(false);
}

template <class Inspector, class T>
typename std::enable_if<Inspector::writes_state, typename Inspector::result_type>::type inspect(
    Inspector& f, optional_ref<T>& r) {
  bool present = false;
  T storage{};
  optional_load<T> helper{present, storage};
  auto guard = caf::detail::make_scope_guard([&] {
    if (present)
      r.x = std::move(storage);
    else
      r.x.reset();
  });
  return f(present, helper);
}

}  // namespace ct::msg

namespace ct::trading {

/// Fixed-point values travel as their int64 count of 1e-8 units.
template <class Inspector, class Tag>
typename Inspector::result_type inspect(Inspector& f, fixed<Tag>& x) {
  auto units = x.units();
  auto guard = caf::detail::make_scope_guard([&] { x = fixed<Tag>::from_units(units); });
  return f(caf::meta::type_name("fixed"), units);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quote& x) {
  return f(caf::meta::type_name("quote"), x.last, x.bid, x.ask, x.change_24h_pct, x.volume_24h);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candle& x) {
  return f(caf::meta::type_name("candle"), x.open_time_ms, x.open, x.high, x.low, x.close,
           x.volume);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, indicator_line& x) {
  return f(caf::meta::type_name("indicator_line"), x.name, x.overlay, x.values);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ticker& x) {
  return f(caf::meta::type_name("ticker"), x.symbol, x.q, x.tradable, x.open, x.closed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ticker_batch& x) {
  auto since = msg::opt(x.since_ms);
  return f(caf::meta::type_name("ticker_batch"), x.at, x.market_ms, x.epoch, x.step_ms, x.candle_ms,
           since, x.tickers, x.weight_used, x.weight_limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fill& x) {
  return f(caf::meta::type_name("fill"), x.order_id, x.symbol, x.side, x.qty, x.px, x.fee, x.at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, opportunity& x) {
  return f(caf::meta::type_name("opportunity"), x.symbol, x.action, x.score, x.px, x.strategy,
           x.reason, x.signal_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ledger_totals& x) {
  return f(caf::meta::type_name("ledger_totals"), x.starting_cash, x.cash, x.closed_realized,
           x.fees_paid, x.closed_count, x.next_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position& x) {
  auto stop = msg::opt(x.stop_loss);
  auto target = msg::opt(x.take_profit);
  auto closed = msg::opt(x.closed_at);
  auto reason = msg::opt(x.exit_reason);
  return f(caf::meta::type_name("position"), x.id, x.symbol, x.side, x.qty, x.entry_price, x.cost,
           x.entry_fee, x.mark, stop, target, x.opened_at, x.entry_order_id, x.strategy,
           x.entry_reason, closed, reason, x.exit_price, x.proceeds, x.exit_fee, x.exit_order_id,
           x.entry_market_ms, x.exit_market_ms);
}

}  // namespace ct::trading
