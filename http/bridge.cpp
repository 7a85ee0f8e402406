#include "http/bridge.hpp"

#include <vector>

#include <caf/atom.hpp>

namespace ct::http {

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;

void ensure_ticking(caf::stateful_actor<bridge_state>* self) {
  if (!self->state.ticking) {
    self->state.ticking = true;
    self->delayed_send(self, bridge_tick, tick_atom::value);
  }
}

}  // namespace

caf::behavior bridge(caf::stateful_actor<bridge_state>* self) {
  return {
      [=](call& c) {
        auto& st = self->state;
        const auto id = ++st.next_id;
        st.pending_calls.emplace(id,
                                 bridge_state::pending{std::chrono::steady_clock::now() + c.timeout,
                                                       std::move(c.on_timeout)});
        ensure_ticking(self);
        c.start(self, [self, id] { self->state.pending_calls.erase(id); });
      },
      [=](tick_atom) {
        auto& st = self->state;
        st.ticking = false;
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::function<void()>> expired;
        for (auto it = st.pending_calls.begin(); it != st.pending_calls.end();) {
          if (it->second.deadline <= now) {
            expired.push_back(std::move(it->second.on_timeout));
            it = st.pending_calls.erase(it);
          } else {
            ++it;
          }
        }
        for (auto& f : expired)
          f();
        if (!st.pending_calls.empty())
          ensure_ticking(self);
      },
  };
}

}  // namespace ct::http
