// The threads of a strategy search: each local one takes the next trial, applies its point to
// the configuration, scores it walk-forward and hands the outcome to the tally, which keeps
// counts and the best few; each remote one hands batches of trials to a worker on another
// machine (remote_runner) and tallies what comes back, and when that worker is gone its batch
// goes back to the queue for the others. Owned by whoever runs the search (the command line, the
// optimize worker). The ranking is a total order, so any number of jobs and workers gives the
// same report.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
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

/// Runs `trials` elsewhere: fills `out` with one trial_run each and returns true, or returns
/// false when that place is gone (the batch is run by others) or, without waiting for the
/// answer, once `cancel` is set.
using remote_runner =
    std::function<bool(const std::vector<std::uint64_t>& trials, std::vector<trial_run>& out,
                       const std::atomic<bool>& cancel)>;

class search_pool {
public:
  /// Starts `jobs` threads (below normal priority with `low_priority`), and one per remote
  /// runner taking `batch` trials at a time; `on_done` is called once, from the last thread to
  /// finish, after finished() turns true (wait() may return before it does; the destructor
  /// joins it). No remote runner: at least one local thread.
  search_pool(const search_plan& plan, const std::vector<trading::candle_series>& data,
              std::size_t jobs, bool low_priority, std::function<void()> on_done,
              std::vector<remote_runner> remotes = {}, std::size_t batch = 4);
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
  void work_remote(const remote_runner& run, std::size_t batch);
  /// Under the lock: the next trial to run (a returned one first), if any.
  std::optional<std::uint64_t> take();
  /// Under the lock: waits until there is a trial to take or nothing more will come.
  bool wait_for_work(std::unique_lock<std::mutex>& lock);
  /// Under the lock.
  void record(trial_run r);
  void finish_thread();

  const search_plan& plan_;
  const std::vector<trading::candle_series>& data_;
  std::function<void()> on_done_;
  std::atomic<bool> cancel_{false};
  mutable std::mutex mutex_;
  std::condition_variable done_cv_;
  std::condition_variable work_cv_;
  std::uint64_t next_ = 0;               // the next trial never taken
  std::vector<std::uint64_t> returned_;  // trials of a worker that went away
  std::size_t in_flight_ = 0;            // trials taken and not yet recorded or returned
  search_tally tally_;
  std::optional<error> failure_;
  std::size_t running_ = 0;
  std::vector<std::thread> threads_;  // last: they start once the rest exists
};

}  // namespace ct::actors
