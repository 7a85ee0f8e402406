// The store reader: pages of the timeline and of closed positions, on its own connection to the
// database (WAL: it reads while the storage actor commits). Spawn it detached: it blocks on the
// disk.
#pragma once

#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/storage.hpp"
#include "store/database.hpp"

namespace ct::actors {

struct store_reader_state {
  static inline const char* name = "store_reader";
  std::shared_ptr<store::database> db;
};

msg::store_reader_actor::behavior_type store_reader(
    msg::store_reader_actor::stateful_pointer<store_reader_state> self,
    std::shared_ptr<store::database> db);

}  // namespace ct::actors
