// The real storage and store reader actors on a database in a temporary directory, as the
// service spawns them: actor tests run the production path (events sequenced and
// committed by the store, restarts reloading what it committed), on the deterministic scheduler.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/storage.hpp"
#include "actors/store_reader.hpp"
#include "store/database.hpp"
#include "store/temp_dir.hpp"

namespace ct::test {

class real_store {
public:
  real_store(caf::actor_system& sys, std::shared_ptr<const trading::clock> clock)
      : db_(store::database::open(tmp_.str())), read_(db_->reader()) {
    storage_ = sys.spawn(actors::storage, actors::storage_deps{db_, std::move(clock)});
    reader_ = sys.spawn(actors::store_reader, std::shared_ptr<store::database>(db_->reader()));
  }

  /// Stops both actors (the fixture runs the scheduler afterwards).
  void stop(caf::scoped_actor& self) {
    self->send_exit(storage_, caf::exit_reason::user_shutdown);
    self->send_exit(reader_, caf::exit_reason::user_shutdown);
  }

  /// The committed events of `type` (every type when empty), oldest first.
  std::vector<msg::timeline_event> events(const std::string& type = {}) {
    msg::get_timeline q;
    q.limit = 1000;
    q.type = type;
    auto page = read_->timeline(q);
    return {page.events.rbegin(), page.events.rend()};
  }

  /// Their types, oldest first.
  std::vector<std::string> types() {
    std::vector<std::string> out;
    for (const auto& e : events())
      out.push_back(e.type);
    return out;
  }

  /// What a restarted position manager is given: the ledger, open and closed positions.
  msg::saved_ledger load_ledger() { return read_->load_ledger(1'000'000); }

  store::database& db() { return *db_; }
  const msg::storage_actor& storage() const { return storage_; }
  const msg::store_reader_actor& reader() const { return reader_; }

private:
  temp_dir tmp_;
  std::shared_ptr<store::database> db_;
  std::unique_ptr<store::database> read_;
  msg::storage_actor storage_;
  msg::store_reader_actor reader_;
};

}  // namespace ct::test
