// The scanner's messages: scans on a timer or on demand, and what each scan found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/config_inspect.hpp"
#include "messages/inspect.hpp"
#include "messages/kinds.hpp"
#include "trading/exchange.hpp"
#include "trading/signals.hpp"

namespace ct::msg {

/// The result of one scan; before the first, `at` is empty and the rest zero.
struct scan_report {
  std::optional<trading::timestamp> at;
  std::uint64_t scanned = 0;
  std::vector<trading::opportunity> opportunities;
  std::int64_t market_ms = 0;
  bool on_demand = false;
  double duration_ms = 0;
};

/// Event, scanner to position manager: a scan finished; the tickers mark the positions.
struct scan_completed {
  scan_report report;
  trading::ticker_batch batch;
  std::uint64_t scans = 0;       // by the scanner that sent it, since it started
  std::uint64_t scanner_id = 0;  // which scanner: a restarted one counts from 1 again
};

/// Event, scanner to position manager: the exchange failed or recovered.
struct exchange_health {
  health state = health::ok;  // degraded: failing, retrying
  std::string last_error;
  std::uint64_t consecutive_failures = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_report& x) {
  auto at = opt(x.at);
  return f(caf::meta::type_name("scan_report"), at, x.scanned, x.opportunities, x.market_ms,
           x.on_demand, x.duration_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_completed& x) {
  return f(caf::meta::type_name("scan_completed"), x.report, x.batch, x.scans, x.scanner_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, exchange_health& x) {
  return f(caf::meta::type_name("exchange_health"), x.state, x.last_error, x.consecutive_failures);
}

struct scanner_peers;  // messages/peers.hpp

using scanner_actor = caf::typed_actor<
    caf::reacts_to<scanner_peers>, caf::replies_to<scan_now_atom>::with<scan_report>,
    caf::replies_to<get_scan_atom>::with<scan_report>,
    caf::reacts_to<scan_tick_atom, std::uint64_t>,  // timer, with generation
    caf::replies_to<apply_config>::with<ok_atom>, caf::replies_to<ping_atom>::with<pong_atom>,
    caf::replies_to<metrics_atom>::with<std::string>>;

}  // namespace ct::msg
