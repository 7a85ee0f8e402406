// The actors with a store: a restarted position manager reloads its ledger from the store (not
// from memory), events get their seqs from the store, and configuration changes are kept.
#include "actors/actor_fixture.hpp"
#include "actors/storage.hpp"
#include "actors/store_reader.hpp"
#include "actors/supervisor.hpp"
#include "temp_dir.hpp"

namespace ct::actors {
namespace {

class RecoveryTest : public test::actor_fixture {
protected:
  RecoveryTest() : db(store::database::open(tmp.str())) {
    config.supervisor.backoff_initial_ms = 100;
    config.supervisor.heartbeat_ms = 0;
    writer = sys.spawn(storage, storage_deps{db, clock, std::chrono::milliseconds{1000}});
    reader = sys.spawn(store_reader, std::shared_ptr<store::database>{db->reader()});
    supervisor_deps deps{writer,  reader, ports, clock, test::bundled_market(),
                         nullptr, false,  "test"};
    deps.saved = db->load_ledger();
    sup = sys.spawn(supervisor, deps, config);
    run();
  }

  ~RecoveryTest() override {
    self->send(sup, msg::shutdown_atom::value);
    run();
    self->send_exit(writer, caf::exit_reason::user_shutdown);
    self->send_exit(reader, caf::exit_reason::user_shutdown);
    run();
  }

  msg::status_snapshot status() {
    return ask<msg::status_snapshot>(ports->get(&msg::http_ports::position_manager),
                                     msg::status_atom::value);
  }

  test::temp_dir tmp;
  std::shared_ptr<store::database> db;
  msg::config config;
  msg::storage_actor writer;
  msg::store_reader_actor reader;
  msg::supervisor_actor sup;
};

TEST_F(RecoveryTest, ARestartedPositionManagerReloadsItsLedgerFromTheStore) {
  EXPECT_TRUE(status().trading);  // autostart on a new database, committed
  auto changed = ask<msg::trading_changed>(ports->get(&msg::http_ports::position_manager),
                                           msg::stop_trading{false});
  EXPECT_TRUE(changed.changed);
  // The store, not the memory, is what a restart trusts: change the ledger behind its back.
  {
    store::connection c{db->path(), false};
    c.exec("UPDATE ledger SET cash = 12345");
  }
  self->send_exit(ports->get(&msg::http_ports::position_manager), caf::exit_reason::kill);
  run();
  advance(std::chrono::milliseconds{100});
  ASSERT_TRUE(ports->get(&msg::http_ports::position_manager));
  auto s = status();
  EXPECT_FALSE(s.trading);
  EXPECT_EQ(s.cash, trading::money::from_units(12345));
}

TEST_F(RecoveryTest, EventsAreSequencedByTheStoreAndPagedFromIt) {
  auto patch = ask<msg::config>(sup, msg::apply_config_patch{R"({"max_positions": 2})"});
  EXPECT_EQ(patch.max_positions, 2);
  EXPECT_EQ(db->load_config_patch(), std::optional<std::string>{R"({"max_positions":2})"});
  msg::get_timeline q;
  q.limit = 1000;
  auto page = ask<msg::timeline_page>(ports->get(&msg::http_ports::timeline), q);
  ASSERT_FALSE(page.events.empty());
  EXPECT_EQ(page.events.front().type, "config_changed");
  EXPECT_EQ(page.events.back().type, "service_started");
  EXPECT_EQ(page.events.front().seq, db->last_seq());
  EXPECT_EQ(page.events.back().seq, 1u);
}

}  // namespace
}  // namespace ct::actors
