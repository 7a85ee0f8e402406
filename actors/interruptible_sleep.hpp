// A sleep that another thread can cut short: the exchange worker waits out simulated latency
// with it, and the market feed interrupts it when it stops, so shutdown never waits a latency.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace ct::actors {

class interruptible_sleep {
public:
  /// Sleeps for `d`; false when interrupted (then every later call returns at once).
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock{mutex_};
    return !cv_.wait_for(lock, d, [this] { return interrupted_; });
  }

  void interrupt() {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      interrupted_ = true;
    }
    cv_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool interrupted_ = false;  // guarded by mutex_
};

/// A sleep until a wall-clock time (a rate limit's window, a Retry-After) on `s`: never
/// early, cut short when `s` is interrupted (then false).
inline std::function<bool(std::chrono::system_clock::time_point)> sleep_until_on(
    std::shared_ptr<interruptible_sleep> s) {
  return [s = std::move(s)](std::chrono::system_clock::time_point t) {
    const auto left = t - std::chrono::system_clock::now();
    if (left <= decltype(left)::zero())
      return true;
    return s->sleep_for(std::chrono::ceil<std::chrono::milliseconds>(left));
  };
}

}  // namespace ct::actors
