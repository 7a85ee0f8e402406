// The threads of a strategy search on this machine: each takes the next trial, applies its
// point to the configuration, scores it walk-forward and hands the outcome to the tally, which
// keeps counts and the best few. Owned by whoever runs the search (the command line); nothing
// is shared with the actors. The ranking is a total order, so any number of jobs gives the same
// report.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "messages/config.hpp"
#include "messages/search_space.hpp"
#include "trading/walk_forward.hpp"

namespace ct::actors {

/// Everything a search needs besides the candles.
struct search_plan {
  msg::config base;
  msg::search_space space;
  std::vector<std::uint64_t> points;  // the trials' points, ascending
  std::vector<trading::span> windows;
  trading::scoring how;
  std::size_t top = 10;
};

struct trial_outcome {
  std::uint64_t trial = 0;  // its position in search_plan::points
  std::uint64_t point = 0;
  trading::trial_score score;
};

/// What a search has found so far. Memory stays flat: only the best `top` trials are kept.
struct search_tally {
  std::uint64_t done = 0;     // trials scored or skipped
  std::uint64_t skipped = 0;  // refused by the configuration
  std::uint64_t scored = 0;   // with a score to rank by
  std::uint64_t candle_evals = 0;
  std::string first_refusal;        // why the first skipped trial was refused
  std::vector<trial_outcome> best;  // ranked, at most `top`

  void add_scored(trial_outcome o, std::size_t top);
  void add_skipped(const std::string& why);
};

/// One trial: its configuration refused (skipped, with the reason), scored, or an error of the
/// data (the search cannot go on).
struct trial_run {
  std::optional<trial_outcome> outcome;
  std::string refused;
  std::optional<error> failure;
};

trial_run run_trial(const search_plan& plan, const std::vector<trading::candle_series>& data,
                    std::uint64_t trial, const std::atomic<bool>* cancel);

class search_pool {
public:
  /// Starts `jobs` threads (below normal priority with `low_priority`); `on_done` is called
  /// once, from the last thread to finish, after finished() turns true (wait() may return
  /// before it does; the destructor joins it).
  search_pool(const search_plan& plan, const std::vector<trading::candle_series>& data,
              std::size_t jobs, bool low_priority, std::function<void()> on_done);
  ~search_pool();  // stops and joins
  search_pool(const search_pool&) = delete;
  search_pool& operator=(const search_pool&) = delete;

  /// Running trials stop within milliseconds and are dropped; the tally keeps what finished.
  void cancel();
  bool cancelled() const { return cancel_.load(); }
  bool finished() const;
  void wait();
  /// Waits at most `d`; whether the search has finished.
  bool wait_for(std::chrono::milliseconds d);
  search_tally tally() const;
  /// The error that stopped the search, if one did.
  std::optional<error> failure() const;

private:
  void work(bool low_priority);

  const search_plan& plan_;
  const std::vector<trading::candle_series>& data_;
  std::function<void()> on_done_;
  std::atomic<bool> cancel_{false};
  std::atomic<std::uint64_t> next_{0};
  mutable std::mutex mutex_;
  std::condition_variable done_cv_;
  search_tally tally_;
  std::optional<error> failure_;
  std::size_t running_ = 0;
  std::vector<std::thread> threads_;  // last: they start once the rest exists
};

}  // namespace ct::actors
