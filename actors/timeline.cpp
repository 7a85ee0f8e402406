#include "actors/timeline.hpp"

#include <caf/send.hpp>

#include "actors/log.hpp"

namespace ct::actors {

msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self, std::shared_ptr<event_log> log,
    std::shared_ptr<msg::directory> dir) {
  self->state.log = std::move(log);
  self->state.dir = std::move(dir);
  logger("timeline")->debug("Timeline up last_seq={}", self->state.log->last_seq());
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::record_event& ev) {
        auto& d = self->state.dir;
        // With a store, it assigns the seq and streams the event once committed.
        if (auto storage = d ? d->get(&msg::actor_handles::storage) : msg::storage_actor{}) {
          msg::write_batch b;
          b.events.push_back(std::move(ev));
          caf::anon_send(storage, std::move(b));
          return;
        }
        const auto& e = self->state.log->append(std::move(ev));
        if (d)
          if (auto b = d->get(&msg::actor_handles::broadcaster))
            self->send(b, e);
      },
      [=](const msg::get_timeline& q) -> caf::result<msg::timeline_page> {
        auto& d = self->state.dir;
        if (auto reader = d ? d->get(&msg::actor_handles::store_reader) : msg::store_reader_actor{})
          return self->delegate(reader, q);
        return self->state.log->query(q);
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      // The supervisor hands every child the new configuration; nothing here depends on it.
      [=](const msg::apply_config&) { return msg::ok_atom::value; },
  };
}

}  // namespace ct::actors
