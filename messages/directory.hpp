// The HTTP layer's ports: where the live actors are, for the routes (Pistache's threads, not
// actors, so they cannot be sent new handles). The supervisor writes an entry when it
// (re)spawns a child and clears it when the child goes down; the service sets the store's
// actors and the backtests actor once. Actors never read it: each gets the handles it needs
// when it is spawned, and fresh ones from the supervisor (messages/peers.hpp).
// Thread-safe; reads are uncontended locks.
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include "messages/backtest.hpp"
#include "messages/market.hpp"
#include "messages/positions.hpp"
#include "messages/scanner.hpp"
#include "messages/storage.hpp"
#include "messages/supervisor.hpp"
#include "messages/timeline.hpp"
#include "messages/ws.hpp"

namespace ct::msg {

struct actor_handles {
  supervisor_actor supervisor;
  timeline_actor timeline;
  market_feed_actor market_feed;
  scanner_actor scanner;
  position_manager_actor position_manager;
  broadcaster_actor broadcaster;
  storage_actor storage;            // set once at start-up, before any other actor
  store_reader_actor store_reader;  // likewise
  backtests_actor backtests;        // set once at start-up
};

class directory {
public:
  /// One handle, e.g. get(&actor_handles::scanner); invalid while that actor is down.
  template <class Handle>
  Handle get(Handle actor_handles::*member) const {
    std::lock_guard<std::mutex> guard{mutex_};
    return handles_.*member;
  }

  template <class Handle>
  void set(Handle actor_handles::*member, Handle value) {
    std::lock_guard<std::mutex> guard{mutex_};
    handles_.*member = std::move(value);
  }

  void clear() {
    std::lock_guard<std::mutex> guard{mutex_};
    handles_ = actor_handles{};
  }

private:
  mutable std::mutex mutex_;
  actor_handles handles_;  // guarded by mutex_
};

}  // namespace ct::msg
