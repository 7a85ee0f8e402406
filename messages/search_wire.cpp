#include "messages/search_wire.hpp"

namespace ct::msg {

void announce_search_wire(caf::actor_system_config& cfg) {
  cfg.add_message_type<worker_hello>("ct::worker_hello");
  cfg.add_message_type<candle_text>("ct::candle_text");
  cfg.add_message_type<search_setup>("ct::search_setup");
  cfg.add_message_type<trial_batch>("ct::trial_batch");
  cfg.add_message_type<trial_results>("ct::trial_results");
  cfg.add_message_type<trial_wire>("ct::trial_wire");
  cfg.add_message_type<std::vector<trial_wire>>("std::vector<ct::trial_wire>");
  cfg.add_message_type<worker_session_actor>("ct::worker_session_actor");
  cfg.add_message_type<worker_door_actor>("ct::worker_door_actor");
}

}  // namespace ct::msg
