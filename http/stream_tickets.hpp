// Short-lived, single-use tickets for the WebSocket upgrade: a browser cannot set a header on a
// WebSocket, and a token in the URL would land in proxies' access logs. POST /api/stream/ticket
// (behind the token) issues one; GET /ws?ticket=… redeems it once, within its lifetime.
// Thread-safe; at most `max_live` tickets are held (the oldest go first).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ct::http {

class stream_tickets {
public:
  using clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds lifetime{30'000};
  static constexpr std::size_t max_live = 1024;

  /// A new ticket: 128 random bits, as 32 hex digits.
  std::string issue(clock::time_point now = clock::now());
  /// Whether `ticket` was issued, is unused and unexpired; it is used up either way.
  bool redeem(std::string_view ticket, clock::time_point now = clock::now());

private:
  std::mutex mutex_;
  std::unordered_map<std::string, clock::time_point> expiry_;  // guarded by mutex_
  std::deque<std::string> order_;                              // issue order; guarded by mutex_
};

}  // namespace ct::http
