// The store's reads and commits: timeline pages, the type filter, group commits, a failed commit
// and closed positions.
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "sample_records.hpp"
#include "store/database.hpp"
#include "temp_dir.hpp"
#include "timeline_pages.hpp"

namespace ct::store {
namespace {

using test::a_position;
using test::ev;
using test::events;
using test::query;
using test::seqs;
using trading::money;
using trading::price;
using trading::quantity;

TEST(DatabaseTest, TimelinePagesLikeTheContractSays) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  store::write_batch b;
  for (int i = 0; i < 10; ++i)
    b.events.push_back(ev(i % 2 == 0 ? "even" : "odd", i));
  db->commit({&b});
  auto page = db->timeline(query(3));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{10, 9, 8}));
  EXPECT_EQ(page.next_before_seq, 8u);
  page = db->timeline(query(3, 8));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{7, 6, 5}));
  page = db->timeline(query(100, 3));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{2, 1}));
  EXPECT_FALSE(page.next_before_seq.has_value());
  page = db->timeline(query(2, {}, 3));  // the two just above 3, newest first
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{5, 4}));
  EXPECT_FALSE(page.next_before_seq.has_value());
  page = db->timeline(query(2, {}, {}, "odd"));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{10, 8}));
  EXPECT_EQ(page.next_before_seq, 8u);
  EXPECT_TRUE(db->timeline(query(5, {}, {}, "unknown")).events.empty());
  EXPECT_EQ(page.events[0].data, "{\"i\":9}");
  EXPECT_EQ(page.events[0].at, trading::from_unix_ms(1009));
}

TEST(DatabaseTest, AfterSeqFollowsTheTimelineFromAPoint) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  store::write_batch b;
  for (int i = 0; i < 10; ++i)
    b.events.push_back(ev("e", i));
  db->commit({&b});
  // The limit events just above after_seq, still newest first.
  auto page = db->timeline(query(3, {}, 4));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{7, 6, 5}));
  EXPECT_FALSE(page.next_before_seq.has_value());
  EXPECT_EQ(seqs(db->timeline(query(3, 7, 2))), (std::vector<std::uint64_t>{5, 4, 3}));
  EXPECT_TRUE(db->timeline(query(3, {}, 10)).events.empty());
  EXPECT_EQ(seqs(db->timeline(query(2, 7, 2))), (std::vector<std::uint64_t>{4, 3}));
}

TEST(DatabaseTest, TheTypeFilterIsExactAndPagesWithBeforeAndAfter) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  store::write_batch b;
  for (int i = 0; i < 10; ++i)
    b.events.push_back(ev(i % 2 == 0 ? "even" : "odd", i));  // even: 1,3,5,7,9
  db->commit({&b});
  auto page = db->timeline(query(2, {}, {}, "even"));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{9, 7}));
  EXPECT_EQ(page.next_before_seq, 7u);
  page = db->timeline(query(2, 7, {}, "even"));
  EXPECT_EQ(seqs(page), (std::vector<std::uint64_t>{5, 3}));
  EXPECT_EQ(page.next_before_seq, 3u);
  EXPECT_EQ(seqs(db->timeline(query(5, {}, 3, "even"))), (std::vector<std::uint64_t>{9, 7, 5}));
  EXPECT_TRUE(db->timeline(query(5, {}, {}, "eve")).events.empty());
  EXPECT_TRUE(db->timeline(query(5, 0)).events.empty());
}

TEST(DatabaseTest, GroupCommitWritesAllBatchesInOrderInOneTransaction) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  auto a = events({"a1", "a2"});
  auto b = events({"b1"});
  auto c = events({"c1", "c2"});
  auto out = db->commit({&a, &b, &c});
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].type, "a1");
  EXPECT_EQ(out[2].type, "b1");
  EXPECT_EQ(out[4].seq, 5u);
  EXPECT_EQ(db->last_seq(), 5u);
}

TEST(DatabaseTest, AFailedCommitWritesNothingAndUsesNoSeq) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  auto ok = events({"a"});
  db->commit({&ok});
  // Two fills of one order in one batch break the primary key of a second table: the events
  // of the same transaction must not stay.
  store::write_batch bad = events({"b", "c"});
  {
    connection c{db->path(), false};
    c.exec("CREATE TRIGGER fail_fills BEFORE INSERT ON fills BEGIN SELECT RAISE(ABORT, 'no'); END");
  }
  bad.fills.push_back(trading::fill{});
  EXPECT_THROW(db->commit({&bad}), sqlite_error);
  EXPECT_EQ(db->last_seq(), 1u);
  EXPECT_EQ(seqs(db->timeline(query(10))), (std::vector<std::uint64_t>{1}));
  auto next = events({"d"});
  EXPECT_EQ(db->commit({&next}).at(0).seq, 2u);  // gap-free after the failure
}

TEST(DatabaseTest, ClosedPositionsPageMostRecentFirst) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  for (int i = 1; i <= 5; ++i) {
    store::write_batch b;
    b.positions.push_back(a_position(std::to_string(i), false));
    db->commit({&b});
  }
  for (int i : {2, 4, 1, 5}) {  // closed in this order
    store::write_batch b;
    b.positions.push_back(a_position(std::to_string(i), true));
    db->commit({&b});
  }
  store::closed_query q;
  q.limit = 3;
  auto page = db->closed_positions(q);
  ASSERT_EQ(page.positions.size(), 3u);
  EXPECT_EQ(page.positions[0].id, "5");
  EXPECT_EQ(page.positions[2].id, "4");
  ASSERT_TRUE(page.next_before.has_value());
  q.before = page.next_before;
  page = db->closed_positions(q);
  ASSERT_EQ(page.positions.size(), 1u);
  EXPECT_EQ(page.positions[0].id, "2");
  EXPECT_FALSE(page.next_before.has_value());
  q = {};
  q.symbol = "ETH-BTC";
  EXPECT_TRUE(db->closed_positions(q).positions.empty());
  EXPECT_EQ(db->load_ledger().open.size(), 1u);  // 3 is still open
}

/// Commits one sample per candle at candles 0..n-1 (market time k * 1000), equity 100 + k.
void sample_candles(database& db, int n) {
  for (int k = 0; k < n; ++k) {
    write_batch b;
    b.equity = equity_sample{k * 1000, trading::timestamp{std::chrono::seconds{k}},
                             money::from_double(100 + k), money::from_double(50)};
    db.commit({&b});
  }
}

std::vector<std::int64_t> times_of(const equity_page& p) {
  std::vector<std::int64_t> out;
  for (const auto& e : p.points)
    out.push_back(e.market_ms);
  return out;
}

TEST(DatabaseTest, EquityKeepsTheFirstSampleOfACandle) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  sample_candles(*db, 3);
  write_batch again;  // a restart's first scan samples candle 2 again
  again.equity = equity_sample{2000, {}, money::from_double(1), money::from_double(1)};
  db->commit({&again});
  const auto page = db->equity(equity_query{});
  EXPECT_EQ(page.samples, 3u);
  ASSERT_EQ(page.points.size(), 3u);
  EXPECT_EQ(page.points[2].equity, money::from_double(102));
  EXPECT_EQ(page.points[2].cash, money::from_double(50));
  EXPECT_EQ(page.points[2].at, trading::timestamp{std::chrono::seconds{2}});
}

TEST(DatabaseTest, EquityDownsamplesToTheLastSampleOfEachSpan) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  sample_candles(*db, 100);
  equity_query q;
  q.limit = 10;  // ten spans of ten candles: each one's last
  auto page = db->equity(q);
  EXPECT_EQ(page.samples, 100u);
  const std::vector<std::int64_t> lasts{9000,  19000, 29000, 39000, 49000,
                                        59000, 69000, 79000, 89000, 99000};
  EXPECT_EQ(times_of(page), lasts);
  EXPECT_EQ(page.points.back().equity, money::from_double(199));
  q.limit = 100;  // no more samples than the limit: all of them
  EXPECT_EQ(db->equity(q).points.size(), 100u);
  q.limit = 3;
  EXPECT_LE(db->equity(q).points.size(), 3u);
}

TEST(DatabaseTest, EquityRangeIsFromInclusiveToExclusive) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  sample_candles(*db, 10);
  equity_query q;
  q.from_ms = 3000;
  q.to_ms = 6000;
  const auto page = db->equity(q);
  EXPECT_EQ(times_of(page), (std::vector<std::int64_t>{3000, 4000, 5000}));
  EXPECT_EQ(page.samples, 3u);
  q.from_ms = 6000;
  q.to_ms = 3000;
  EXPECT_TRUE(db->equity(q).points.empty());
  q.from_ms = 20'000;
  q.to_ms.reset();
  EXPECT_EQ(db->equity(q).samples, 0u);
}

}  // namespace
}  // namespace ct::store
