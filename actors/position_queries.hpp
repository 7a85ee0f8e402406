// The position manager's answers about its state: the status, the positions (the recent ones
// from memory, older closed ones paged from the store), and the rule that an answer waits for
// the commit of the state it reports. Internal to the position manager.
#pragma once

#include <caf/typed_response_promise.hpp>

#include "actors/position_orders.hpp"

namespace ct::actors {

msg::status_snapshot status_of(const position_manager_state& st);

/// An answer about the state as it is now, sent once that state is committed: a client never
/// hears of a change the store could still lose.
template <class T>
caf::result<T> when_committed(position_manager_ptr self, T answer) {
  auto& st = self->state;
  // While the store fails, waiting could be forever: answer (trading is stopped, /health says
  // why).
  if (st.batches_committed == st.batches_sent || !st.storage_failure.empty())
    return answer;
  auto rp = self->make_response_promise<T>();
  flush(self, [=]() mutable { rp.deliver(std::move(answer)); });
  return rp;
}

/// GET /metrics: the ledger, the orders and the exchange's health, as Prometheus text.
std::string metrics_text(const position_manager_state& st);

/// The positions `q` asks for.
caf::result<msg::positions_snapshot> positions(position_manager_ptr self,
                                               const msg::get_positions& q);

}  // namespace ct::actors
