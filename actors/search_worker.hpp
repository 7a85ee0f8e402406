// `crypto-trading worker`'s actors. The door is what the worker publishes: it answers a hello
// with the right token (compared in constant time) and the same version with a new session, and
// refuses anything else before any work is taken. A session (detached: it computes) belongs to
// one coordinator and ends when that coordinator goes: it keeps the candle files sent to it by
// content hash (checked on arrival), builds the search from the coordinator's options exactly as
// the coordinator did, and runs each batch of trials on `jobs` threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/search_plan.hpp"
#include "messages/search_wire.hpp"

namespace ct::actors {

struct search_worker_options {
  std::string token;  // empty: none asked (loopback only)
  std::string version;
  std::size_t jobs = 1;
};

/// Most bytes of one candle file a session takes.
inline constexpr std::size_t max_candle_text = std::size_t{512} << 20;

struct worker_door_state {
  static inline const char* name = "worker_door";
  search_worker_options options;
  std::uint64_t sessions = 0;
};

msg::worker_door_actor::behavior_type worker_door(
    msg::worker_door_actor::stateful_pointer<worker_door_state> self,
    search_worker_options options);

struct worker_session_state {
  static inline const char* name = "worker_session";
  std::size_t jobs = 1;
  std::map<std::string, trading::candle_series> files;  // by content hash
  std::vector<trading::candle_series> data;             // the search's, in order
  std::optional<search_plan> plan;
  std::uint64_t batches = 0;
};

msg::worker_session_actor::behavior_type worker_session(
    msg::worker_session_actor::stateful_pointer<worker_session_state> self, std::size_t jobs,
    caf::actor_addr coordinator);

}  // namespace ct::actors
