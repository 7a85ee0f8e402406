#include "actors/timeline.hpp"

#include "actors/log.hpp"

namespace ct::actors {

msg::timeline_actor::behavior_type timeline(
    msg::timeline_actor::stateful_pointer<timeline_state> self, std::shared_ptr<event_log> log) {
  self->state.log = std::move(log);
  logger("timeline")->debug("Timeline up last_seq={}", self->state.log->last_seq());
  return {
      [=](msg::record_event& ev) {
        const auto& e = self->state.log->append(std::move(ev));
        logger("timeline")->trace("Event recorded seq={} type={}", e.seq, e.type);
      },
      [=](const msg::get_timeline& q) -> msg::timeline_page { return self->state.log->query(q); },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

}  // namespace ct::actors
