// The timeline: the audit trail of every event (start/stop, configuration, scans, orders, fills,
// positions, errors, restarts). The storage actor assigns each event its gap-free seq and commits
// it; this actor answers the API's queries through the store reader, which reads on its own
// connection. Cooperatively scheduled: it does no I/O.
#pragma once

#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/storage.hpp"
#include "messages/timeline.hpp"

namespace ct::actors {

struct timeline_state {
  static inline const char* name = "timeline";
  msg::store_reader_actor reader;  // lives as long as the process
};

msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self, msg::store_reader_actor reader);

}  // namespace ct::actors
