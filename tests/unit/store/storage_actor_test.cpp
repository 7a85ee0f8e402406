#include "actors/actor_fixture.hpp"
#include "actors/storage.hpp"
#include "temp_dir.hpp"

namespace ct::actors {
namespace {

msg::write_batch batch(std::initializer_list<const char*> types) {
  msg::write_batch b;
  for (const char* t : types)
    b.events.push_back(msg::record_event{t, "test", trading::from_unix_ms(1), "{}"});
  return b;
}

class StorageActorTest : public test::actor_fixture {
protected:
  StorageActorTest() : db(store::database::open(tmp.str())) {
    storage_deps deps{db, clock, std::chrono::milliseconds{1000}};
    st = sys.spawn(storage, deps);
  }

  /// Sends each batch as a request before anything runs; returns the replies' last_seq, in
  /// the order the replies came (0 for none).
  std::vector<std::uint64_t> send_all(std::vector<msg::write_batch> batches) {
    std::vector<decltype(self->request(st, caf::infinite, msg::write_batch{}))> handles;
    for (auto& b : batches)
      handles.push_back(self->request(st, caf::infinite, std::move(b)));
    run();
    std::vector<std::uint64_t> out;
    for (auto& h : handles) {
      if (self->mailbox().size() == 0) {
        out.push_back(0);
        continue;
      }
      h.receive([&](msg::committed c) { out.push_back(c.last_seq); },
                [&](caf::error&) { out.push_back(0); });
    }
    return out;
  }

  test::temp_dir tmp;
  std::shared_ptr<store::database> db;
  msg::storage_actor st;
};

TEST_F(StorageActorTest, BatchesThatArriveTogetherShareOneCommitAndAreAnsweredInOrder) {
  auto replies = send_all({batch({"a", "b"}), batch({"c"}), batch({"d", "e"})});
  // One commit took all three: each answer names the same last seq.
  EXPECT_EQ(replies, (std::vector<std::uint64_t>{5, 5, 5}));
  EXPECT_EQ(db->last_seq(), 5u);
  auto page = db->reader()->timeline(msg::get_timeline{});
  ASSERT_EQ(page.events.size(), 5u);
  EXPECT_EQ(page.events.back().type, "a");
  EXPECT_EQ(page.events.front().type, "e");
}

TEST_F(StorageActorTest, AFailingCommitKeepsTheBatchUnansweredAndRetriesUntilItSucceeds) {
  {
    store::connection c{db->path(), false};
    c.exec(
        "CREATE TRIGGER no_writes BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'x'); "
        "END");
  }
  auto h = self->request(st, caf::infinite, batch({"kept"}));
  run();
  EXPECT_EQ(self->mailbox().size(), 0u) << "answered a batch it could not commit";
  advance(std::chrono::milliseconds{1000});
  EXPECT_EQ(self->mailbox().size(), 0u);
  {
    store::connection c{db->path(), false};
    c.exec("DROP TRIGGER no_writes");
  }
  advance(std::chrono::milliseconds{1000});
  std::uint64_t last = 0;
  h.receive([&](msg::committed c) { last = c.last_seq; },
            [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
  // The batch, then the store's own storage_failed event; storage_recovered comes next.
  EXPECT_EQ(last, 2u);
  run();
  auto page = db->reader()->timeline(msg::get_timeline{});
  std::vector<std::string> types;
  for (auto it = page.events.rbegin(); it != page.events.rend(); ++it)
    types.push_back(it->type);
  EXPECT_EQ(types, (std::vector<std::string>{"kept", "storage_failed", "storage_recovered"}));
}

TEST_F(StorageActorTest, LoadingTheLedgerCommitsWhatWasSentBefore) {
  msg::write_batch b;
  b.ledger = msg::ledger_row{};
  b.ledger->totals.cash = trading::money::from_units(42);
  self->send(st, std::move(b));
  auto saved = ask<msg::saved_ledger>(st, msg::load_ledger_atom::value);
  ASSERT_TRUE(saved.ledger.has_value());
  EXPECT_EQ(saved.ledger->totals.cash, trading::money::from_units(42));
}

}  // namespace
}  // namespace ct::actors
