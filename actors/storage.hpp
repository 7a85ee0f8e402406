// The storage actor: the only writer of the database. Write batches queue in arrival order and
// are committed together (a group commit: whatever arrived while the last commit ran goes in the
// next), then each is answered and the committed events go to the WebSocket's broadcaster, so no
// client hears of an event the store could lose. A failed commit keeps the batches queued,
// reports the failure (log, supervisor, position manager, which stops trading) and retries every
// `retry_interval`; the seqs stay gap-free because they are assigned only when a commit succeeds.
// Spawn it detached: it blocks on the disk.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/metrics.hpp"
#include "messages/peers.hpp"
#include "messages/storage.hpp"
#include "store/database.hpp"
#include "trading/time.hpp"

namespace ct::actors {

struct storage_deps {
  std::shared_ptr<store::database> db;
  std::shared_ptr<const trading::clock> clock;
  std::chrono::milliseconds retry_interval{1000};
};

struct storage_state {
  static inline const char* name = "storage";
  struct pending {
    msg::write_batch batch;
    caf::typed_response_promise<msg::committed> promise;  // invalid for the actor's own events
  };
  storage_deps deps;
  std::deque<pending> queue;
  bool flush_scheduled = false;
  std::string failure;       // empty while commits succeed
  msg::storage_peers peers;  // from the supervisor, fresh after each restart
  // GET /metrics, since the service started.
  msg::histogram commit_seconds = msg::latency_histogram();
  msg::histogram commit_batches{1, 2, 4, 8, 16, 32, 64, 128, 256, 1024};
  std::uint64_t commit_failures = 0;
};

using storage_ptr = msg::storage_actor::stateful_pointer<storage_state>;

msg::storage_actor::behavior_type storage(storage_ptr self, storage_deps deps);

}  // namespace ct::actors
