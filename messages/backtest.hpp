// The backtests actor's messages: POST /api/backtest's options, a run's state, and what its
// worker reports while it runs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/inspect.hpp"
#include "messages/kinds.hpp"
#include "messages/market.hpp"
#include "trading/errc.hpp"
#include "trading/strategy.hpp"

namespace ct::msg {

/// Command: backtest on the running configuration changed by `patches` (merge patches as JSON
/// text, applied in order: the request's "config", then "strategy", then "set"). No `data`:
/// the exchange's own candles.
struct start_backtest {
  std::vector<std::string> data;
  std::vector<std::string> patches;
  std::vector<std::string> patch_sources;  // for errors: "config", "strategy", "set.risk.x"
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
};

/// The answer to start_backtest: accepted, running under `id`.
struct backtest_accepted {
  std::string id;
  std::uint64_t candles = 0;  // to backtest
};

/// Query: one run by id.
struct get_backtest {
  std::string id;
};

/// A run as GET /api/backtest/{id} shows it; `report` is the report's JSON once done.
struct backtest_state {
  std::string id;
  backtest_status status = backtest_status::running;
  std::uint64_t candles_done = 0;
  std::uint64_t candles_total = 0;
  std::string error;
  std::string report;
};

/// Query: a finished run's candles of one symbol, for its chart (like get_candles, in the data's
/// own time). The last runs keep their candles (backtests_state::charted).
struct get_backtest_candles {
  std::string id;
  std::string symbol;
  std::uint64_t limit = 300;
  std::optional<std::int64_t> before_ms;
};

/// The candles a run ran on, with its strategy: enough to draw its chart.
struct backtest_chart_data {
  std::vector<trading::candle_series> series;
  trading::strategy_spec strategy;
  std::size_t warmup_candles = 0;
};

/// From a run's worker, before its backtest_done; local only (it shares the candles).
struct backtest_chart {
  std::string id;
  std::shared_ptr<const backtest_chart_data> data;
};

/// From a run's worker to the backtests actor.
struct backtest_loaded {
  std::string id;
  std::uint64_t candles = 0;
  std::string strategy;
  std::vector<std::string> symbols;
};
struct backtest_failed {
  std::string id;
  std::string error;
  errc code = errc::invalid_value;  // the API's code when it fails before it starts
  std::string field = "data";       // and the request's key at fault
};
struct backtest_progress {
  std::string id;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
};
struct backtest_done {
  std::string id;
  bool cancelled = false;
  std::string report;   // JSON
  std::string summary;  // JSON: the timeline event's data
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_backtest& x) {
  auto from = opt(x.from_ms);
  auto to = opt(x.to_ms);
  return f(caf::meta::type_name("start_backtest"), x.data, x.patches, x.patch_sources, from, to);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_accepted& x) {
  return f(caf::meta::type_name("backtest_accepted"), x.id, x.candles);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_backtest& x) {
  return f(caf::meta::type_name("get_backtest"), x.id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_state& x) {
  return f(caf::meta::type_name("backtest_state"), x.id, x.status, x.candles_done, x.candles_total,
           x.error, x.report);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_backtest_candles& x) {
  auto before = opt(x.before_ms);
  return f(caf::meta::type_name("get_backtest_candles"), x.id, x.symbol, x.limit, before);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_loaded& x) {
  return f(caf::meta::type_name("backtest_loaded"), x.id, x.candles, x.strategy, x.symbols);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_failed& x) {
  return f(caf::meta::type_name("backtest_failed"), x.id, x.error, x.code, x.field);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_progress& x) {
  return f(caf::meta::type_name("backtest_progress"), x.id, x.done, x.total);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backtest_done& x) {
  return f(caf::meta::type_name("backtest_done"), x.id, x.cancelled, x.report, x.summary);
}

/// Runs backtests on detached workers, one at a time, and keeps the recent reports.
using backtests_actor =
    caf::typed_actor<caf::replies_to<start_backtest>::with<backtest_accepted>,
                     caf::replies_to<get_backtest>::with<backtest_state>,
                     caf::replies_to<get_backtest_candles>::with<candles_page>,
                     caf::reacts_to<backtest_chart>, caf::reacts_to<backtest_loaded>,
                     caf::reacts_to<backtest_failed>, caf::reacts_to<backtest_progress>,
                     caf::reacts_to<backtest_done>, caf::replies_to<shutdown_atom>::with<ok_atom>,
                     caf::replies_to<ping_atom>::with<pong_atom>, caf::reacts_to<fail_next_atom>>;

}  // namespace ct::msg

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::msg::backtest_chart)  // local only: it shares the candles
