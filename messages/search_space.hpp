// The parameter space of a strategy search: one dimension per configuration key of the strategy
// or the risk rules, each a list of values ("strategy.fast_period=5..20",
// "risk.stop_loss_pct=0.5..3:0.5", "strategy.name=sma_crossover,ema_crossover"). Its points are
// numbered in mixed radix, the last dimension fastest; the trials are every point when there are
// at most as many as asked for, else that many drawn with the seed (the same seed, the same
// trials, wherever they run).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/config.hpp"
#include "trading/result.hpp"

namespace ct::msg {

/// Most values one dimension may take, dimensions, and trials.
inline constexpr std::size_t max_dimension_values = 100'000;
inline constexpr std::size_t max_dimensions = 16;
inline constexpr std::uint64_t max_trials = 1'000'000;

struct dimension {
  std::string key;   // dotted ("risk.stop_loss_pct")
  std::string spec;  // as given, after the '='
  std::vector<nlohmann::json> values;
};

struct search_space {
  std::vector<dimension> dims;

  /// Points in the grid, saturating at UINT64_MAX.
  std::uint64_t size() const;
  /// Point `index`'s values as a flat object of dotted keys.
  nlohmann::json params(std::uint64_t index) const;
  /// Point `index` as the merge patch POST /api/config takes ({"risk":{"stop_loss_pct":1}}).
  nlohmann::json patch(std::uint64_t index) const;
};

/// Reads "KEY=LO..HI[:STEP]" or "KEY=V1,V2,..." against the configuration `base`: the key must be
/// a number, or a name, of the strategy (strategy.*, not symbols), the risk rules (risk.*,
/// paper.*, max_positions, stake_amount); an integer range steps by 1 unless told, a decimal
/// range needs its step. Errors name the key and say what was wrong.
result<dimension> parse_dimension(const std::string& text, const config& base);

/// Every spec parsed; a key given twice, or a strategy parameter the strategy `base` names does
/// not read (unless strategy.name is searched too), is an error.
result<search_space> parse_space(const std::vector<std::string>& specs, const config& base);

/// The trials: every point when the grid has at most `trials`, else `trials` distinct points
/// drawn with `seed`; ascending.
std::vector<std::uint64_t> trial_points(std::uint64_t grid_size, std::uint64_t trials,
                                        std::uint64_t seed);

/// Point `index` applied to `base`, validated: what a trial runs, or why the configuration
/// refuses it.
result<config> trial_config(const config& base, const search_space& space, std::uint64_t index);

}  // namespace ct::msg
