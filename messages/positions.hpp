// The position manager's messages: trading on and off, positions, and the status it owns.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/config_inspect.hpp"
#include "messages/inspect.hpp"
#include "messages/scanner.hpp"
#include "messages/storage.hpp"
#include "trading/portfolio.hpp"

namespace ct::msg {

/// Command: stop opening positions; optionally close the open ones (exit_reason "manual").
struct stop_trading {
  bool close_positions = false;
};

/// Command: close one open position now (exit_reason "manual"); answers with it closed. An id
/// the ledger never issued is not_found; a closed one, or one already closing, is conflict.
struct close_position {
  std::string id;
};

struct trading_changed {
  bool trading = false;
  bool changed = false;
};

/// Query: `state` is "open", "closed" or "all"; `symbol` filters when not empty.
/// Closed positions come most recently closed first, `limit` at a time, older than `before`
/// (a cursor from the last page's next_before).
struct get_positions {
  position_filter state = position_filter::open;
  std::string symbol;
  std::uint64_t limit = 1000;
  std::optional<std::uint64_t> before{};
};

struct positions_snapshot {
  std::vector<trading::position> positions;
  std::optional<std::uint64_t> next_before;  // more closed positions exist: pass it as before
};

/// Event, supervisor to position manager: how often each actor was restarted.
struct restart_counts {
  std::map<std::string, std::uint64_t> counts;
};

/// The answer to GET /api/status, minus what the HTTP layer knows itself.
struct status_snapshot {
  bool trading = false;
  trading_mode mode = trading_mode::paper;
  std::string exchange;
  std::optional<trading::timestamp> trading_since;
  std::int64_t scan_interval_ms = 0;
  std::optional<trading::timestamp> last_scan_at;
  std::uint64_t scans = 0;
  std::uint64_t open_positions = 0;
  std::uint64_t closed_positions = 0;
  trading::money cash;
  trading::money equity;
  trading::money realized_pnl;
  trading::money unrealized_pnl;
  trading::money starting_cash;
  trading::money fees_paid;
  std::string quote_currency;
  std::map<std::string, std::uint64_t> restarts;
  exchange_health exchange_state;
  std::int64_t weight_used = 0;  // a real exchange's request weight this minute (0 limit: none)
  std::int64_t weight_limit = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stop_trading& x) {
  return f(caf::meta::type_name("stop_trading"), x.close_positions);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, close_position& x) {
  return f(caf::meta::type_name("close_position"), x.id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trading_changed& x) {
  return f(caf::meta::type_name("trading_changed"), x.trading, x.changed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_positions& x) {
  auto before = opt(x.before);
  return f(caf::meta::type_name("get_positions"), x.state, x.symbol, x.limit, before);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, positions_snapshot& x) {
  auto next = opt(x.next_before);
  return f(caf::meta::type_name("positions_snapshot"), x.positions, next);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restart_counts& x) {
  return f(caf::meta::type_name("restart_counts"), x.counts);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, status_snapshot& x) {
  auto since = opt(x.trading_since);
  auto last = opt(x.last_scan_at);
  return f(caf::meta::type_name("status_snapshot"), x.trading, x.mode, x.exchange, since,
           x.scan_interval_ms, last, x.scans, x.open_positions, x.closed_positions, x.cash,
           x.equity, x.realized_pnl, x.unrealized_pnl, x.starting_cash, x.fees_paid,
           x.quote_currency, x.restarts, x.exchange_state, x.weight_used, x.weight_limit);
}

struct position_manager_peers;  // messages/peers.hpp

using position_manager_actor = caf::typed_actor<
    caf::reacts_to<position_manager_peers>, caf::reacts_to<scan_completed>,
    caf::reacts_to<exchange_health>, caf::reacts_to<restart_counts>, caf::reacts_to<storage_health>,
    caf::replies_to<start_atom>::with<trading_changed>,
    caf::replies_to<stop_trading>::with<trading_changed>,
    caf::replies_to<close_position>::with<trading::position>,
    caf::replies_to<get_positions>::with<positions_snapshot>,
    caf::replies_to<status_atom>::with<status_snapshot>,
    caf::replies_to<apply_config>::with<ok_atom>, caf::replies_to<ping_atom>::with<pong_atom>,
    caf::replies_to<metrics_atom>::with<std::string>>;

}  // namespace ct::msg
