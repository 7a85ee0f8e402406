#include "actors/timeline.hpp"

#include "actors/log.hpp"
#include "messages/errors.hpp"

namespace ct::actors {

msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self,
    std::shared_ptr<msg::directory> dir) {
  self->state.dir = std::move(dir);
  self->set_default_handler(log_unexpected);
  return {
      [=](const msg::get_timeline& q) -> caf::result<msg::timeline_page> {
        if (auto reader = self->state.dir->get(&msg::actor_handles::store_reader))
          return self->delegate(reader, q);
        return msg::actor_error(msg::errc::actor_unavailable, "the store reader is down");
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      // The supervisor hands every child the new configuration; nothing here depends on it.
      [=](const msg::apply_config&) { return msg::ok_atom::value; },
  };
}

}  // namespace ct::actors
