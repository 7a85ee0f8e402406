#include "actors/timeline.hpp"

#include "actor_fixture.hpp"
#include "real_store.hpp"
#include "timeline_pages.hpp"

namespace ct::actors {
namespace {

using test::query;
using test::seqs;

class TimelineTest : public test::actor_fixture {
protected:
  ~TimelineTest() override {
    store.stop(self);
    run();
  }

  test::real_store store{sys, clock};
};

TEST_F(TimelineTest, AnswersQueriesFromTheStoreByMessage) {
  msg::write_batch b;
  for (const char* type : {"a", "b", "a"})
    b.events.push_back(msg::record_event{type, "test", trading::from_unix_ms(1000), "{\"k\":1}"});
  self->send(store.storage(), std::move(b));
  run();
  auto t = sys.spawn(timeline, store.reader());
  auto page = ask<msg::timeline_page>(t, query(2));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{3, 2}));
  EXPECT_EQ(page.next_before_seq, 2u);
  EXPECT_EQ(page.events[1].type, "b");
  EXPECT_EQ(page.events[1].data, "{\"k\":1}");
  EXPECT_EQ(seqs(ask<msg::timeline_page>(t, query(10, {}, {}, "a"))),
            (std::vector<std::uint64_t>{3, 1}));
  // Without the store reader the query is refused, not left waiting.
  auto lost = sys.spawn(timeline, msg::store_reader_actor{});
  EXPECT_EQ(code_of(ask_error<msg::timeline_page>(lost, query(1))), msg::errc::actor_unavailable);
  self->send_exit(t, caf::exit_reason::user_shutdown);
  self->send_exit(lost, caf::exit_reason::user_shutdown);
  run();
}

}  // namespace
}  // namespace ct::actors
