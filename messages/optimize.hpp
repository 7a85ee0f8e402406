// The optimizations actor's messages: POST /api/optimize's options, a search's state, and what
// its worker reports while it runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/inspect.hpp"
#include "messages/kinds.hpp"
#include "trading/errc.hpp"

namespace ct::msg {

/// Command: a strategy search on the running configuration changed by `patches` (as for
/// start_backtest), over `data` (files under backtest.data_dirs; none: the exchange's candles).
struct start_optimize {
  std::vector<std::string> data;
  std::vector<std::string> patches;
  std::vector<std::string> patch_sources;
  std::vector<std::string> space;  // KEY=SPEC, as on the command line
  std::uint64_t trials = 1000;
  std::string objective = "sharpe";
  std::uint64_t min_trades = 10;
  std::uint64_t folds = 4;
  std::uint64_t top = 10;
  std::uint64_t seed = 1;
};

/// The answer to start_optimize: accepted, running under `id`.
struct optimize_accepted {
  std::string id;
  std::uint64_t trials = 0;
  std::uint64_t candles = 0;
};

/// Query: one search by id.
struct get_optimize {
  std::string id;
};

/// How far a search is.
struct optimize_progress {
  std::string id;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::uint64_t skipped = 0;
  std::optional<double> best_score;
  double candle_evals_per_s = 0;
};

/// A search as GET /api/optimize/{id} shows it; `report` is the report's JSON once done.
struct optimize_state {
  std::string id;
  backtest_status status = backtest_status::running;
  optimize_progress progress;
  std::string error;
  std::string report;
};

/// From a search's worker to the optimizations actor.
struct optimize_loaded {
  std::string id;
  std::uint64_t trials = 0;
  std::uint64_t candles = 0;
  std::string strategy;
  std::vector<std::string> symbols;
};
struct optimize_failed {
  std::string id;
  std::string error;
  errc code = errc::invalid_value;  // the API's code when it fails before it starts
  std::string field = "data";       // and the request's key at fault
};
struct optimize_done {
  std::string id;
  bool cancelled = false;
  std::string report;   // JSON
  std::string summary;  // JSON: the timeline event's data
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_optimize& x) {
  return f(caf::meta::type_name("start_optimize"), x.data, x.patches, x.patch_sources, x.space,
           x.trials, x.objective, x.min_trades, x.folds, x.top, x.seed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optimize_accepted& x) {
  return f(caf::meta::type_name("optimize_accepted"), x.id, x.trials, x.candles);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_optimize& x) {
  return f(caf::meta::type_name("get_optimize"), x.id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optimize_progress& x) {
  auto best = opt(x.best_score);
  return f(caf::meta::type_name("optimize_progress"), x.id, x.done, x.total, x.skipped, best,
           x.candle_evals_per_s);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optimize_state& x) {
  return f(caf::meta::type_name("optimize_state"), x.id, x.status, x.progress, x.error, x.report);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optimize_loaded& x) {
  return f(caf::meta::type_name("optimize_loaded"), x.id, x.trials, x.candles, x.strategy,
           x.symbols);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optimize_failed& x) {
  return f(caf::meta::type_name("optimize_failed"), x.id, x.error, x.code, x.field);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optimize_done& x) {
  return f(caf::meta::type_name("optimize_done"), x.id, x.cancelled, x.report, x.summary);
}

/// Runs strategy searches on a detached worker, one at a time, and keeps the recent reports.
using optimizations_actor =
    caf::typed_actor<caf::replies_to<start_optimize>::with<optimize_accepted>,
                     caf::replies_to<get_optimize>::with<optimize_state>,
                     caf::reacts_to<optimize_loaded>, caf::reacts_to<optimize_failed>,
                     caf::reacts_to<optimize_progress>, caf::reacts_to<optimize_done>,
                     caf::replies_to<shutdown_atom>::with<ok_atom>,
                     caf::replies_to<ping_atom>::with<pong_atom>>;

}  // namespace ct::msg
