// Binance's REST API within its rate limits: every answer says the request weight used in the
// current minute (X-MBX-USED-WEIGHT-1M); near the limit a call waits for the next minute, after
// a 429 nothing is sent before Retry-After has passed (so the address never earns a 418 ban),
// and a 5XX is retried after a pause. Waits go through a cancellable sleep, so a caller that is
// stopping is never held up. Binance counts per address: every paced_rest of one service shares
// a rate_gate (the weight last seen, the Retry-After window), so that a 429 one of them earned
// holds the others back too. A paced_rest is not thread-safe (one per thread); its gate is.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exchange/rest_client.hpp"

namespace ct::exchange {

/// The address's standing with Binance, shared by every caller: the weight its last answer
/// said was used this minute, and until when nothing may be sent. Thread-safe.
class rate_gate {
public:
  using clock_type = std::chrono::system_clock;

  int used() const {
    std::lock_guard<std::mutex> g{m_};
    return used_;
  }
  void set_used(int used) {
    std::lock_guard<std::mutex> g{m_};
    used_ = used;
  }
  clock_type::time_point quiet_until() const {
    std::lock_guard<std::mutex> g{m_};
    return quiet_until_;
  }
  /// Nothing before `t` (a later window already set stays).
  void quiet_until(clock_type::time_point t) {
    std::lock_guard<std::mutex> g{m_};
    quiet_until_ = std::max(quiet_until_, t);
  }

private:
  mutable std::mutex m_;
  int used_ = 0;                          // guarded by m_
  clock_type::time_point quiet_until_{};  // guarded by m_
};

class paced_rest {
public:
  using clock_type = std::chrono::system_clock;
  /// Sleeps until the time given, or less when stopping; returns false when stopping.
  using sleeper = std::function<bool(clock_type::time_point)>;

  /// `gate`: the address's, shared with the service's other callers (none: its own).
  paced_rest(rest_client& client, sleeper sleep, int attempts = 6,
             std::shared_ptr<rate_gate> gate = nullptr)
      : client_(client),
        sleep_(std::move(sleep)),
        attempts_(attempts),
        gate_(gate ? std::move(gate) : std::make_shared<rate_gate>()) {}

  void set_weight_limit(int per_minute) { limit_ = per_minute; }
  int weight_used() const { return gate_->used(); }
  int weight_limit() const { return limit_; }
  /// Until when nothing may be sent (a 429's Retry-After); the epoch when nothing holds.
  clock_type::time_point quiet_until() const { return gate_->quiet_until(); }

  /// GET `path` of weight `weight`: its answer (any status but 429, 418 and 5XX, which are
  /// retried or become errors naming Binance's code and message).
  result<rest_response> get(const std::string& path, int weight);

  /// `method` of `path` with `headers`, once: within the weight limit and after any Retry-After,
  /// but never repeated (an order's POST must not be sent twice). Any HTTP answer is a
  /// response; the caller reads its status.
  result<rest_response> send_once(const std::string& method, const std::string& path,
                                  const std::vector<std::string>& headers, int weight);

private:
  bool before(int weight);
  void after(const rest_response& r);

  rest_client& client_;
  sleeper sleep_;
  int attempts_;
  std::shared_ptr<rate_gate> gate_;
  int limit_ = 1200;
};

}  // namespace ct::exchange
