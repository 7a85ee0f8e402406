// The WebSocket sessions alive, for the shutdown (a 1001 close frame to every client) and for
// counting them. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/ws_session.hpp"

namespace ct::http {

class ws_registry {
public:
  void add(const std::shared_ptr<ws_session>& s) {
    std::lock_guard<std::mutex> guard{mutex_};
    sessions_[s->id()] = s;
  }
  void remove(std::uint64_t id) {
    std::lock_guard<std::mutex> guard{mutex_};
    sessions_.erase(id);
  }
  std::size_t size() const {
    std::lock_guard<std::mutex> guard{mutex_};
    return sessions_.size();
  }
  std::uint64_t next_id() { return ++ids_; }
  /// A client was cut off for reading too slowly.
  void count_slow() { ++slow_closed_; }
  std::uint64_t slow_closed() const { return slow_closed_.load(); }

  /// Closes every session with `code` and waits, up to `deadline`, for the close frames to
  /// leave. True when they all did.
  bool close_all(std::uint16_t code, const std::string& reason, std::chrono::milliseconds deadline);

private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::weak_ptr<ws_session>> sessions_;  // guarded by mutex_
  std::atomic<std::uint64_t> ids_{0};
  std::atomic<std::uint64_t> slow_closed_{0};
};

}  // namespace ct::http
