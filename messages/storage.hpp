// The storage actors' messages: what becomes durable together (a write batch), the position
// manager's saved ledger, paging closed positions, and the store's health.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/inspect.hpp"
#include "messages/kinds.hpp"
#include "messages/timeline.hpp"
#include "store/records.hpp"
#include "trading/portfolio.hpp"

namespace ct::msg {

using store::closed_page;
using store::closed_query;
using store::ledger_row;
using store::order_row;
using store::saved_ledger;
using store::write_batch;

/// The answer to a write batch: committed, and the last seq the store has assigned.
struct committed {
  std::uint64_t last_seq = 0;
};

/// Event, storage to supervisor and position manager: "ok" or "failed" (with why).
struct storage_health {
  health state = health::ok;
  std::string error;
};

using load_ledger_atom = caf::atom_constant<caf::atom("load_ledg")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, committed& x) {
  return f(caf::meta::type_name("committed"), x.last_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, storage_health& x) {
  return f(caf::meta::type_name("storage_health"), x.state, x.error);
}

/// The writer: group commits, in arrival order.
}  // namespace ct::msg

// The records' inspect() is found by argument-dependent lookup: it lives in their namespace.
namespace ct::store {

using msg::opt;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_row& x) {
  return f(caf::meta::type_name("order_row"), x.order_id, x.symbol, x.side, x.qty, x.reason,
           x.status, x.error, x.at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ledger_row& x) {
  return f(caf::meta::type_name("ledger_row"), x.totals, x.trading, x.order_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_batch& x) {
  auto ledger = opt(x.ledger);
  auto patch = opt(x.config_patch);
  auto equity = opt(x.equity);
  return f(caf::meta::type_name("write_batch"), x.events, x.orders, x.fills, x.positions, ledger,
           patch, equity, x.market_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, saved_ledger& x) {
  auto ledger = opt(x.ledger);
  auto market = opt(x.market_ms);
  return f(caf::meta::type_name("saved_ledger"), ledger, x.open, x.recent_closed, market,
           x.pending);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, closed_query& x) {
  auto before = opt(x.before);
  return f(caf::meta::type_name("closed_query"), x.limit, before, x.symbol);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, closed_page& x) {
  auto next = opt(x.next_before);
  return f(caf::meta::type_name("closed_page"), x.positions, next);
}

}  // namespace ct::store

namespace ct::msg {

struct storage_peers;  // messages/peers.hpp

using storage_actor =
    caf::typed_actor<caf::reacts_to<storage_peers>, caf::replies_to<write_batch>::with<committed>,
                     caf::replies_to<load_ledger_atom>::with<saved_ledger>,
                     caf::reacts_to<flush_atom>, caf::reacts_to<retry_atom>,
                     caf::replies_to<ping_atom>::with<pong_atom>,
                     caf::replies_to<metrics_atom>::with<std::string>>;

/// The reader: queries on its own connection, never waiting for a commit.
using store_reader_actor = caf::typed_actor<caf::replies_to<get_timeline>::with<timeline_page>,
                                            caf::replies_to<equity_query>::with<equity_page>,
                                            caf::replies_to<closed_query>::with<closed_page>>;

}  // namespace ct::msg
