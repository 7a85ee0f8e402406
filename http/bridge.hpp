// The bridge: one long-lived actor through which every HTTP request reaches the actors. A
// Pistache thread only enqueues a `call` (no spawn, no timer, no lock held); the bridge makes
// the request and hands the answer to the call's callbacks. Deadlines live in the bridge's own
// table, checked by one periodic tick while calls are pending, instead of a CAF timer per
// request (each of which wakes CAF's clock thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <unordered_map>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

namespace ct::http {

/// One request to make. `start` issues it from the bridge and must call `done` when the answer
/// (or an error) arrives; `on_timeout` runs instead if the deadline passes first.
struct call {
  std::function<void(caf::event_based_actor* self, std::function<void()> done)> start;
  std::function<void()> on_timeout;
  std::chrono::milliseconds timeout{0};
};

struct bridge_state {
  static inline const char* name = "http_bridge";
  struct pending {
    std::chrono::steady_clock::time_point deadline;
    std::function<void()> on_timeout;
  };
  std::unordered_map<std::uint64_t, pending> pending_calls;
  std::uint64_t next_id = 0;
  bool ticking = false;
};

/// How often deadlines are checked: a timeout fires at most this late.
inline constexpr std::chrono::milliseconds bridge_tick{20};

caf::behavior bridge(caf::stateful_actor<bridge_state>* self);

}  // namespace ct::http

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::http::call)  // local only: it holds callbacks
