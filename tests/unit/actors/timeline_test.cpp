#include "actors/timeline.hpp"

#include "actor_fixture.hpp"
#include "timeline_pages.hpp"

namespace ct::actors {
namespace {

msg::record_event ev(std::string type) {
  return {std::move(type), "test", trading::from_unix_ms(1000), "{\"k\":1}"};
}

using test::query;
using test::seqs;

TEST(EventLogTest, SeqIsGapFreeAndPagesNewestFirst) {
  event_log log;
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(log.append(ev(i % 2 == 0 ? "even" : "odd")).seq, static_cast<std::uint64_t>(i + 1));
  auto page = log.query(query(3));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{10, 9, 8}));
  EXPECT_EQ(page.next_before_seq, 8u);
  page = log.query(query(3, 8));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{7, 6, 5}));
  page = log.query(query(100, 3));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_FALSE(page.next_before_seq.has_value());
}

TEST(EventLogTest, AfterSeqFollowsTheLogFromAPoint) {
  event_log log;
  for (int i = 0; i < 10; ++i)
    log.append(ev("e"));
  // The limit events just above after_seq, still newest first.
  auto page = log.query(query(3, {}, 4));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{7, 6, 5}));
  EXPECT_FALSE(page.next_before_seq.has_value());
  page = log.query(query(3, 7, 2));  // 3 < seq < 7
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{5, 4, 3}));
  EXPECT_TRUE(log.query(query(3, {}, 10)).events.empty());
  page = log.query(query(2, 7, 2));  // older matching events exist within after_seq? no: 3,4
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{4, 3}));
}

TEST(EventLogTest, TypeFilterIsExactAndPages) {
  event_log log;
  for (int i = 0; i < 10; ++i)
    log.append(ev(i % 2 == 0 ? "even" : "odd"));  // even: 1,3,5,7,9
  auto page = log.query(query(2, {}, {}, "even"));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{9, 7}));
  EXPECT_EQ(page.next_before_seq, 7u);
  page = log.query(query(2, 7, {}, "even"));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{5, 3}));
  EXPECT_EQ(page.next_before_seq, 3u);
  page = log.query(query(5, {}, 3, "even"));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{9, 7, 5}));
  EXPECT_TRUE(log.query(query(5, {}, {}, "eve")).events.empty());
  EXPECT_TRUE(log.query(query(5, 0)).events.empty());
}

TEST(EventLogTest, CapacityEvictsOldestButSeqKeepsCounting) {
  event_log log{3};
  for (int i = 0; i < 5; ++i)
    log.append(ev(i == 0 ? "first" : "e"));
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(log.last_seq(), 5u);
  EXPECT_EQ(seqs(log.query(query(10))), (std::vector<std::uint64_t>{5, 4, 3}));
  EXPECT_FALSE(log.query(query(10)).next_before_seq.has_value());
  EXPECT_TRUE(log.query(query(10, {}, {}, "first")).events.empty());
}

class TimelineTest : public test::actor_fixture {};

TEST_F(TimelineTest, RecordsAndAnswersQueriesByMessage) {
  auto log = std::make_shared<event_log>();
  auto t = sys.spawn(timeline, log, std::shared_ptr<msg::directory>{});
  self->send(t, ev("a"));
  self->send(t, ev("b"));
  run();
  auto page = ask<msg::timeline_page>(t, query(10));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].type, "b");
  EXPECT_EQ(page.events[0].seq, 2u);
  EXPECT_EQ(page.events[1].data, "{\"k\":1}");
  // A new recorder on the same log continues its seq.
  self->send_exit(t, caf::exit_reason::kill);
  run();
  auto t2 = sys.spawn(timeline, log, std::shared_ptr<msg::directory>{});
  self->send(t2, ev("c"));
  run();
  EXPECT_EQ(ask<msg::timeline_page>(t2, query(1)).events[0].seq, 3u);
  self->send_exit(t2, caf::exit_reason::user_shutdown);
  run();
}

}  // namespace
}  // namespace ct::actors
