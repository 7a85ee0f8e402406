#include "actors/timeline.hpp"

#include "actors/log.hpp"

namespace ct::actors {

msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self, std::shared_ptr<event_log> log,
    std::shared_ptr<msg::directory> dir) {
  self->state.log = std::move(log);
  self->state.dir = std::move(dir);
  logger("timeline")->debug("Timeline up last_seq={}", self->state.log->last_seq());
  return {
      [=](msg::record_event& ev) {
        const auto& e = self->state.log->append(std::move(ev));
        if (self->state.dir)
          if (auto b = self->state.dir->get(&msg::actor_handles::broadcaster))
            self->send(b, e);
      },
      [=](const msg::get_timeline& q) -> msg::timeline_page { return self->state.log->query(q); },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

}  // namespace ct::actors
