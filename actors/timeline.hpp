// The timeline recorder: the audit trail of every event (start/stop, configuration, scans,
// orders, fills, positions, errors, restarts). It assigns each a gap-free seq and answers
// queries. With a store (the directory names one), the storage actor assigns the seqs and
// commits the events, and the store reader answers the queries; without one (unit tests), the
// in-memory log does both. Cooperatively scheduled: it does no I/O.
#pragma once

#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/event_log.hpp"
#include "messages/directory.hpp"
#include "messages/timeline.hpp"

namespace ct::actors {

struct timeline_state {
  static inline const char* name = "timeline";
  std::shared_ptr<event_log> log;       // owned by the supervisor, so it outlives a restart
  std::shared_ptr<msg::directory> dir;  // to stream each event to the broadcaster
};

/// Spawn with the log to continue.
msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self, std::shared_ptr<event_log> log,
    std::shared_ptr<msg::directory> dir);

}  // namespace ct::actors
