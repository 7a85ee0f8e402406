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
                         std::size_t jobs, bool low_priority, std::function<void()> on_done)
    : plan_(plan), data_(data), on_done_(std::move(on_done)) {
  jobs = std::max<std::size_t>(1, std::min<std::size_t>(jobs, plan.points.size()));
  running_ = jobs;
  for (std::size_t i = 0; i < jobs; ++i)
    threads_.emplace_back([this, low_priority] { work(low_priority); });
}

search_pool::~search_pool() {
  cancel();
  for (auto& t : threads_)
    t.join();
}

void search_pool::cancel() {
  cancel_.store(true);
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

void search_pool::work(bool low_priority) {
  if (low_priority)  // this thread only: Linux keeps a nice value per thread
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
  const auto total = static_cast<std::uint64_t>(plan_.points.size());
  while (!cancel_.load(std::memory_order_relaxed)) {
    const std::uint64_t trial = next_.fetch_add(1);
    if (trial >= total)
      break;
    auto r = run_trial(plan_, data_, trial, &cancel_);
    std::lock_guard<std::mutex> guard{mutex_};
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
  bool last = false;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    last = --running_ == 0;
  }
  done_cv_.notify_all();
  if (last && on_done_)
    on_done_();
}

}  // namespace ct::actors
