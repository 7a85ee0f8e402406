#include "actors/timeline.hpp"

#include "actors/log.hpp"
#include "messages/errors.hpp"

namespace ct::actors {

msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self, msg::store_reader_actor reader) {
  self->state.reader = std::move(reader);
  self->set_default_handler(log_unexpected);
  return {
      [=](const msg::get_timeline& q) -> caf::result<msg::timeline_page> {
        if (self->state.reader)
          return self->delegate(self->state.reader, q);
        return msg::actor_error(msg::errc::actor_unavailable, "the store reader is down");
      },
      [=](const msg::equity_query& q) -> caf::result<msg::equity_page> {
        if (self->state.reader)
          return self->delegate(self->state.reader, q);
        return msg::actor_error(msg::errc::actor_unavailable, "the store reader is down");
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      // The supervisor hands every child the new configuration; nothing here depends on it.
      [=](const msg::apply_config&) { return msg::ok_atom::value; },
  };
}

}  // namespace ct::actors
