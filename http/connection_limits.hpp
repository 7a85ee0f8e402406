// Bounds on open connections: all of them (http.max_connections) and, when set, those from one
// address (http.max_connections_per_address; off by default, since the gateway and every local
// client share 127.0.0.1). A connection admitted holds a token; the token's end (with the
// connection's, however it ends) gives its place back. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ct::http {

class connection_limits : public std::enable_shared_from_this<connection_limits> {
public:
  /// `per_address` 0: no bound per address.
  connection_limits(std::int64_t max_total, std::int64_t per_address)
      : max_total_(max_total), per_address_(per_address) {}

  /// Held by an admitted connection; gives its place back when destroyed.
  class token {
  public:
    token(std::shared_ptr<connection_limits> owner, std::string address)
        : owner_(std::move(owner)), address_(std::move(address)) {}
    ~token() { owner_->release(address_); }
    token(const token&) = delete;
    token& operator=(const token&) = delete;

  private:
    std::shared_ptr<connection_limits> owner_;
    std::string address_;
  };

  /// A token, or null past a bound (then `why` says which).
  std::shared_ptr<token> admit(const std::string& address, std::string& why) {
    if (total_.fetch_add(1) >= max_total_) {
      total_.fetch_sub(1);
      why = "the service has its maximum of connections (http.max_connections)";
      return nullptr;
    }
    if (per_address_ > 0) {
      std::lock_guard<std::mutex> guard{mutex_};
      auto& n = by_address_[address];
      if (n >= per_address_) {
        if (n == 0)
          by_address_.erase(address);
        total_.fetch_sub(1);
        why = "this address has its maximum of connections (http.max_connections_per_address)";
        return nullptr;
      }
      ++n;
    }
    return std::make_shared<token>(shared_from_this(), address);
  }

  std::int64_t open() const { return total_.load(); }

private:
  void release(const std::string& address) {
    if (per_address_ > 0) {
      std::lock_guard<std::mutex> guard{mutex_};
      auto it = by_address_.find(address);
      if (it != by_address_.end() && --it->second == 0)
        by_address_.erase(it);
    }
    total_.fetch_sub(1);
  }

  const std::int64_t max_total_;
  const std::int64_t per_address_;
  std::atomic<std::int64_t> total_{0};
  std::mutex mutex_;
  std::map<std::string, std::int64_t> by_address_;  // guarded by mutex_
};

}  // namespace ct::http
