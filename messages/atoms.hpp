// Verbs without data. CAF 0.17 atoms: at most 10 characters.
#pragma once

#include <caf/atom.hpp>

namespace ct::msg {

using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using ok_atom = caf::atom_constant<caf::atom("ok")>;
/// Market feed: the latest tickers known, without waiting for the exchange if it can.
using assets_atom = caf::atom_constant<caf::atom("assets")>;
using scan_now_atom = caf::atom_constant<caf::atom("scan_now")>;
using get_scan_atom = caf::atom_constant<caf::atom("get_scan")>;
using scan_tick_atom = caf::atom_constant<caf::atom("scan_tick")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using health_atom = caf::atom_constant<caf::atom("health")>;
using get_config_atom = caf::atom_constant<caf::atom("get_config")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
/// The operator's fault injection (debug.fault_injection): block the handler this many ms.
using hang_atom = caf::atom_constant<caf::atom("hang")>;
/// The fault switch: the next backtest's run throws at its first progress report.
using fail_next_atom = caf::atom_constant<caf::atom("failnext")>;

/// GET /metrics: a source's metric families as Prometheus text (messages/metrics.hpp).
using metrics_atom = caf::atom_constant<caf::atom("metrics")>;

}  // namespace ct::msg
