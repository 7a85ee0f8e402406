#include "actors/store_reader.hpp"

#include <caf/sec.hpp>

#include "actors/log.hpp"

namespace ct::actors {

namespace {

template <class F>
auto guarded(store::database& db, F f) -> caf::result<decltype(f())> {
  try {
    return f();
  } catch (const store::sqlite_error& e) {
    return caf::make_error(caf::sec::runtime_error, store::describe_failure(e, db.path()));
  }
}

}  // namespace

msg::store_reader_actor::behavior_type store_reader(
    msg::store_reader_actor::stateful_pointer<store_reader_state> self,
    std::shared_ptr<store::database> db) {
  self->state.db = std::move(db);
  self->set_default_handler(log_unexpected);
  return {
      [=](const msg::get_timeline& q) -> caf::result<msg::timeline_page> {
        auto& d = *self->state.db;
        return guarded(d, [&] { return d.timeline(q); });
      },
      [=](const msg::equity_query& q) -> caf::result<msg::equity_page> {
        auto& d = *self->state.db;
        return guarded(d, [&] { return d.equity(q); });
      },
      [=](const msg::closed_query& q) -> caf::result<msg::closed_page> {
        auto& d = *self->state.db;
        return guarded(d, [&] { return d.closed_positions(q); });
      },
  };
}

}  // namespace ct::actors
