// What a search's coordinator and its remote workers (`crypto-trading worker`) say to each other
// over CAF's remote actors: the worker's door takes only a hello with the token and answers with
// a session; the session takes candle files (once per worker: by content hash), the search's
// options, and batches of trials, and answers each batch with its outcomes. Every type here
// crosses the network, so each is announced (announce_search_wire) and inspectable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/inspect.hpp"
#include "trading/walk_forward.hpp"

namespace ct::msg {

/// Which of the candle hashes the worker lacks.
using missing_atom = caf::atom_constant<caf::atom("missing")>;

struct worker_hello {
  std::string token;
  std::string version;  // the coordinator's: a worker of another version refuses
};

/// One candle file: its name (the symbol and timeframe come from it), its SHA-256 and its text.
struct candle_text {
  std::string name;
  std::string hash;
  std::string text;
};

/// The search: the options of search_options and the base configuration as JSON, and the
/// candle files, by name and hash, in order.
struct search_setup {
  std::string config_json;
  std::vector<std::string> space;
  std::uint64_t trials = 0;
  std::string objective;
  std::uint64_t min_trades = 0;
  std::uint64_t folds = 0;
  std::uint64_t top = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> names;
  std::vector<std::string> hashes;
};

struct trial_batch {
  std::vector<std::uint64_t> trials;
};

/// One trial's run: refused (with why), failed (an error of the data), or scored.
struct trial_wire {
  std::uint64_t trial = 0;
  std::uint64_t point = 0;
  std::string refused;
  std::string failure;
  bool scored = false;
  trading::trial_score score;
};

struct trial_results {
  std::vector<trial_wire> results;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, worker_hello& x) {
  return f(caf::meta::type_name("worker_hello"), x.token, x.version);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candle_text& x) {
  return f(caf::meta::type_name("candle_text"), x.name, x.hash, x.text);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, search_setup& x) {
  return f(caf::meta::type_name("search_setup"), x.config_json, x.space, x.trials, x.objective,
           x.min_trades, x.folds, x.top, x.seed, x.names, x.hashes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trial_batch& x) {
  return f(caf::meta::type_name("trial_batch"), x.trials);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trial_wire& x) {
  return f(caf::meta::type_name("trial_wire"), x.trial, x.point, x.refused, x.failure, x.scored,
           x.score);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trial_results& x) {
  return f(caf::meta::type_name("trial_results"), x.results);
}

/// A coordinator's session on a worker.
using worker_session_actor = caf::typed_actor<
    caf::replies_to<missing_atom, std::vector<std::string>>::with<std::vector<std::string>>,
    caf::replies_to<candle_text>::with<ok_atom>, caf::replies_to<search_setup>::with<std::uint64_t>,
    caf::replies_to<trial_batch>::with<trial_results>>;

/// What a worker publishes: a session for the right token, nothing else.
using worker_door_actor =
    caf::typed_actor<caf::replies_to<worker_hello>::with<worker_session_actor>>;

/// Announces the types above to CAF (both sides, before the actor system starts).
void announce_search_wire(caf::actor_system_config& cfg);

}  // namespace ct::msg

namespace ct::trading {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, span& x) {
  return f(caf::meta::type_name("span"), x.from_ms, x.to_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metrics& x) {
  auto cagr = msg::opt(x.cagr_pct);
  auto sharpe = msg::opt(x.sharpe);
  auto sortino = msg::opt(x.sortino);
  auto calmar = msg::opt(x.calmar);
  auto pf = msg::opt(x.profit_factor);
  auto win = msg::opt(x.win_rate_pct);
  auto exp = msg::opt(x.expectancy);
  return f(caf::meta::type_name("metrics"), x.total_return_pct, cagr, sharpe, sortino, calmar,
           x.max_drawdown_pct, x.max_drawdown_duration_s, pf, win, exp, x.trades, x.exposure_pct);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, window_result& x) {
  return f(caf::meta::type_name("window_result"), x.window, x.m);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trial_score& x) {
  auto in = msg::opt(x.in_sample);
  auto out = msg::opt(x.out_of_sample);
  return f(caf::meta::type_name("trial_score"), x.runs, in, out, x.candle_evals, x.cancelled);
}

}  // namespace ct::trading
