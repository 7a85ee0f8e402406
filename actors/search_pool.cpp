#include "actors/search_pool.hpp"

#include <algorithm>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "messages/trading_config.hpp"

namespace ct::actors {

void search_tally::add_scored(trial_outcome o, std::size_t top) {
  ++done;
  candle_evals += o.score.candle_evals;
  if (trading::rank_score(o.score))
    ++scored;
  auto before = [](const trial_outcome& a, const trial_outcome& b) {
    return trading::ranks_before(a.score, a.trial, b.score, b.trial);
  };
  if (best.size() == top && (top == 0 || !before(o, best.back())))
    return;
  best.insert(std::upper_bound(best.begin(), best.end(), o, before), std::move(o));
  if (best.size() > top)
    best.pop_back();
}

void search_tally::add_skipped(const std::string& why) {
  ++done;
  ++skipped;
  if (first_refusal.empty())
    first_refusal = why;
}

trial_run run_trial(const search_plan& plan, const std::vector<trading::candle_series>& data,
                    std::uint64_t trial, const std::atomic<bool>* cancel) {
  trial_run out;
  const std::uint64_t point = plan.points[static_cast<std::size_t>(trial)];
  auto cfg = msg::trial_config(plan.base, plan.space, point);
  if (!cfg.ok()) {
    out.refused = cfg.err().message;
    return out;
  }
  auto score = trading::score_trial(data, msg::backtest_settings_of(cfg.value()), plan.windows,
                                    plan.how, cancel);
  if (!score.ok()) {
    out.failure = score.err();
    return out;
  }
  if (!score.value().cancelled)
    out.outcome = trial_outcome{trial, point, std::move(score.value())};
  return out;
}

search_pool::search_pool(const search_plan& plan, const std::vector<trading::candle_series>& data,
                         std::size_t jobs, bool low_priority, std::function<void()> on_done,
                         std::vector<remote_runner> remotes, std::size_t batch)
    : plan_(plan), data_(data), on_done_(std::move(on_done)) {
  jobs = std::min<std::size_t>(jobs, plan.points.size());
  if (jobs == 0 && remotes.empty())
    jobs = 1;
  running_ = jobs + remotes.size();
  for (std::size_t i = 0; i < jobs; ++i)
    threads_.emplace_back([this, low_priority] { work(low_priority); });
  for (auto& r : remotes)
    threads_.emplace_back(
        [this, run = std::move(r), batch] { work_remote(run, std::max<std::size_t>(1, batch)); });
}

search_pool::~search_pool() {
  cancel();
  for (auto& t : threads_)
    t.join();
}

void search_pool::cancel() {
  {
    std::lock_guard<std::mutex> guard{mutex_};  // no thread between its check and its wait
    cancel_.store(true);
  }
  work_cv_.notify_all();
}

bool search_pool::finished() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return running_ == 0;
}

void search_pool::wait() {
  std::unique_lock<std::mutex> lock{mutex_};
  done_cv_.wait(lock, [this] { return running_ == 0; });
}

bool search_pool::wait_for(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock{mutex_};
  return done_cv_.wait_for(lock, d, [this] { return running_ == 0; });
}

search_tally search_pool::tally() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return tally_;
}

std::optional<error> search_pool::failure() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return failure_;
}

std::optional<std::uint64_t> search_pool::take() {
  if (cancel_.load(std::memory_order_relaxed))
    return std::nullopt;
  if (!returned_.empty()) {
    const auto t = returned_.back();
    returned_.pop_back();
    return t;
  }
  if (next_ < plan_.points.size())
    return next_++;
  return std::nullopt;
}

bool search_pool::wait_for_work(std::unique_lock<std::mutex>& lock) {
  // A batch in flight on a worker may come back: wait for it rather than end too soon.
  work_cv_.wait(lock, [this] {
    return cancel_.load(std::memory_order_relaxed) || !returned_.empty() ||
           next_ < plan_.points.size() || in_flight_ == 0;
  });
  return !cancel_.load(std::memory_order_relaxed) &&
         (!returned_.empty() || next_ < plan_.points.size());
}

void search_pool::record(trial_run r) {
  if (r.failure) {
    if (!failure_)
      failure_ = std::move(r.failure);
    cancel_.store(true);
  } else if (r.outcome) {
    tally_.add_scored(std::move(*r.outcome), plan_.top);
  } else if (!r.refused.empty()) {
    tally_.add_skipped(r.refused);
  }
}

void search_pool::work(bool low_priority) {
  if (low_priority)  // this thread only: Linux keeps a nice value per thread
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
  std::unique_lock<std::mutex> lock{mutex_};
  while (wait_for_work(lock)) {
    const auto trial = take();
    if (!trial)
      continue;
    ++in_flight_;
    lock.unlock();
    auto r = run_trial(plan_, data_, *trial, &cancel_);
    lock.lock();
    --in_flight_;
    record(std::move(r));
    work_cv_.notify_all();
  }
  lock.unlock();
  finish_thread();
}

void search_pool::work_remote(const remote_runner& run, std::size_t batch) {
  std::unique_lock<std::mutex> lock{mutex_};
  while (wait_for_work(lock)) {
    std::vector<std::uint64_t> trials;
    while (trials.size() < batch)
      if (auto t = take())
        trials.push_back(*t);
      else
        break;
    if (trials.empty())
      continue;
    in_flight_ += trials.size();
    lock.unlock();
    std::vector<trial_run> out;
    const bool ran = run(trials, out, cancel_) && out.size() == trials.size();
    lock.lock();
    in_flight_ -= trials.size();
    if (!ran) {  // the worker is gone: its trials are the others' now
      returned_.insert(returned_.end(), trials.begin(), trials.end());
      work_cv_.notify_all();
      break;
    }
    for (auto& r : out)
      if (!r.outcome || !r.outcome->score.cancelled)
        record(std::move(r));
    work_cv_.notify_all();
  }
  lock.unlock();
  finish_thread();
}

void search_pool::finish_thread() {
  bool last = false;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    last = --running_ == 0;
    // The last runner gone with trials left (every worker died, no local job): nothing more
    // will run them.
    if (last && !cancel_.load() && (next_ < plan_.points.size() || !returned_.empty()) && !failure_)
      failure_ = error{errc::internal, "every worker went away with trials left to run", ""};
  }
  work_cv_.notify_all();
  done_cv_.notify_all();
  if (last && on_done_)
    on_done_();
}

}  // namespace ct::actors
