#include "store/database.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "sample_records.hpp"
#include "store/schema.hpp"
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

TEST(DatabaseTest, NewDatabaseHasTheCurrentSchemaAndSurvivesReopening) {
  test::temp_dir dir;
  {
    auto db = database::open(dir.str() + "/nested/data");
    EXPECT_EQ(db->schema_version(), current_schema());
    EXPECT_EQ(db->last_seq(), 0u);
    auto b = events({"a", "b"});
    db->commit({&b});
  }
  auto db = database::open(dir.str() + "/nested/data");
  EXPECT_EQ(db->last_seq(), 2u);
  auto next = events({"c"});
  EXPECT_EQ(db->commit({&next}).at(0).seq, 3u);
}

TEST(DatabaseTest, ItsIdentifierIsRandomAndKeptForGood) {
  test::temp_dir dir;
  std::string first;
  {
    auto db = database::open(dir.str() + "/a");
    first = db->identifier();
  }
  ASSERT_EQ(first.size(), 8u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos) << first;
  EXPECT_EQ(database::open(dir.str() + "/a")->identifier(), first);  // reopened: the same
  EXPECT_NE(database::open(dir.str() + "/b")->identifier(), first);  // another: its own
}

TEST(DatabaseTest, RefusesANewerSchemaWithAMessageThatSaysWhatToDo) {
  test::temp_dir dir;
  database::open(dir.str()).reset();
  {
    connection c{dir.str() + "/" + database::file_name, false};
    c.exec("PRAGMA user_version = " + std::to_string(current_schema() + 1));
  }
  try {
    database::open(dir.str());
    FAIL() << "opened a newer schema";
  } catch (const store_error& e) {
    EXPECT_NE(std::string{e.what()}.find("newer crypto-trading"), std::string::npos) << e.what();
    EXPECT_NE(std::string{e.what()}.find("--data-dir"), std::string::npos) << e.what();
  }
}

TEST(DatabaseTest, MigratesAnOlderSchemaAtOpen) {
  test::temp_dir dir;
  {
    // A database as schema 0 leaves it: ours, but without tables yet.
    connection c{dir.str() + "/" + database::file_name, true};
    c.exec("PRAGMA application_id = " + std::to_string(application_id));
  }
  auto db = database::open(dir.str());
  EXPECT_EQ(db->schema_version(), current_schema());
  auto b = events({"a"});
  EXPECT_EQ(db->commit({&b}).size(), 1u);
}

TEST(DatabaseTest, MarketTimeIsKeptWithEveryCommitAndNeverGoesBack) {
  test::temp_dir dir;
  {
    auto db = database::open(dir.str());
    EXPECT_FALSE(db->load_ledger().market_ms.has_value());  // a new database: none yet
    auto b = events({"a"});
    b.market_ms = 5'000;
    db->commit({&b});
    store::write_batch scan;  // an event that tells of a later market time
    scan.events.push_back(ev("scan_completed"));
    scan.events.back().market_ms = 7'000;
    auto earlier = events({"b"});
    earlier.market_ms = 6'000;  // committed later, decided earlier: the store keeps the latest
    db->commit({&scan, &earlier});
    auto p = a_position("1", true);
    p.entry_market_ms = 1'000;
    p.exit_market_ms = 6'500;
    store::write_batch positions;
    positions.positions.push_back(p);
    db->commit({&positions});
  }
  auto db = database::open(dir.str());
  const auto saved = db->load_ledger();
  EXPECT_EQ(saved.market_ms, std::optional<std::int64_t>{7'000});
  ASSERT_EQ(saved.recent_closed.size(), 1u);
  EXPECT_EQ(saved.recent_closed[0].entry_market_ms, 1'000);
  EXPECT_EQ(saved.recent_closed[0].exit_market_ms, 6'500);
}

TEST(DatabaseTest, OrdersStillSubmittedComeBackAtStartOldestFirst) {
  test::temp_dir dir;
  const trading::timestamp sent{std::chrono::milliseconds{1'709'294'400'123}};
  {
    auto db = database::open(dir.str());
    store::write_batch b;
    for (const char* id : {"ct0a1b2c3d-1", "ct0a1b2c3d-2", "ct0a1b2c3d-3"})
      b.orders.push_back(order_row{id, "BTC-USDT", "buy", *quantity::parse("0.5"), "momentum",
                                   "submitted", "", sent});
    db->commit({&b});
    store::write_batch outcome;  // the first filled, the third refused: only the second is left
    outcome.orders.push_back(order_row{"ct0a1b2c3d-1", "BTC-USDT", "buy", *quantity::parse("0.5"),
                                       "", "filled", "", sent});
    outcome.orders.push_back(
        order_row{"ct0a1b2c3d-3", "BTC-USDT", "buy", {}, "", "rejected", "Binance -2010", sent});
    db->commit({&outcome});
  }
  auto db = database::open(dir.str());
  const auto saved = db->load_ledger();
  ASSERT_EQ(saved.pending.size(), 1u);
  const auto& o = saved.pending[0];
  EXPECT_EQ(o.order_id, "ct0a1b2c3d-2");
  EXPECT_EQ(o.symbol, "BTC-USDT");
  EXPECT_EQ(o.side, "buy");
  EXPECT_EQ(o.qty, *quantity::parse("0.5"));
  EXPECT_EQ(o.reason, "momentum");
  EXPECT_EQ(o.at, sent);  // when it was sent: Binance's window runs from there
}

TEST(DatabaseTest, MigratesSchemaOneKeepingItsPositions) {
  test::temp_dir dir;
  {
    auto db = database::open(dir.str());
    store::write_batch b;
    b.positions.push_back(a_position("1", false));
    db->commit({&b});
  }
  {
    // What schema 1 had: no market clock, no market times on positions, no equity.
    connection c{dir.str() + "/" + database::file_name, false};
    c.exec("DROP TABLE equity");
    c.exec("ALTER TABLE positions DROP COLUMN entry_market_ms");
    c.exec("ALTER TABLE positions DROP COLUMN exit_market_ms");
    c.exec("DROP TABLE market_clock");
    c.exec("PRAGMA user_version = 1");
  }
  auto db = database::open(dir.str());
  EXPECT_EQ(db->schema_version(), current_schema());
  const auto saved = db->load_ledger();
  ASSERT_EQ(saved.open.size(), 1u);
  EXPECT_EQ(saved.open[0].id, "1");
  EXPECT_EQ(saved.open[0].entry_market_ms, 0);  // not known: counted from the next scan
  EXPECT_FALSE(saved.market_ms.has_value());
}

TEST(DatabaseTest, RefusesAFileThatIsNotADatabase) {
  test::temp_dir dir;
  std::ofstream{dir.file(database::file_name)} << "these are not the bytes of a database\n";
  try {
    database::open(dir.str());
    FAIL() << "opened a text file";
  } catch (const store_error& e) {
    EXPECT_NE(std::string{e.what()}.find("is not an SQLite database"), std::string::npos)
        << e.what();
  }
}

TEST(DatabaseTest, RefusesAnotherApplicationsDatabase) {
  test::temp_dir dir;
  {
    connection c{dir.str() + "/" + database::file_name, true};
    c.exec("CREATE TABLE theirs (x)");
  }
  EXPECT_THROW(database::open(dir.str()), store_error);
}

TEST(DatabaseTest, RefusesASecondWriterOnTheSameDirectory) {
  test::temp_dir dir;
  auto first = database::open(dir.str());
  try {
    database::open(dir.str());
    FAIL() << "two writers";
  } catch (const store_error& e) {
    EXPECT_NE(std::string{e.what()}.find("another crypto-trading"), std::string::npos);
  }
}

TEST(DatabaseTest, LedgerPositionsAndConfigRoundTripExactly) {
  test::temp_dir dir;
  auto db = database::open(dir.str());
  EXPECT_FALSE(db->load_ledger().ledger.has_value());
  store::write_batch b;
  b.positions = {a_position("1", true), a_position("2", false)};
  store::ledger_row l;
  l.totals = {money::from_units(100'000'000),
              money::from_units(89'990'000),
              money::from_units(-129'900),
              money::from_units(29'900),
              1,
              3};
  l.trading = true;
  l.order_seq = 3;
  b.ledger = l;
  b.fills.push_back(trading::fill{"paper-1", "ADA-BTC", trading::order_side::buy,
                                  quantity::from_units(123'456'789), price::from_units(4'707),
                                  money::from_units(10'000), trading::from_unix_ms(5)});
  b.config_patch = R"({"max_positions":2})";
  db->commit({&b});
  auto saved = db->reader()->load_ledger();
  ASSERT_TRUE(saved.ledger.has_value());
  EXPECT_EQ(saved.ledger->totals.cash, l.totals.cash);
  EXPECT_EQ(saved.ledger->totals.closed_realized, l.totals.closed_realized);
  EXPECT_EQ(saved.ledger->totals.next_id, 3u);
  EXPECT_TRUE(saved.ledger->trading);
  ASSERT_EQ(saved.open.size(), 1u);
  ASSERT_EQ(saved.recent_closed.size(), 1u);
  const auto& o = saved.open[0];
  const auto want = a_position("2", false);
  EXPECT_EQ(o.qty, want.qty);
  EXPECT_EQ(o.opened_at, want.opened_at);
  EXPECT_EQ(o.stop_loss, want.stop_loss);
  EXPECT_FALSE(o.take_profit.has_value());
  const auto& c = saved.recent_closed[0];
  EXPECT_EQ(c.exit_reason, trading::exit_reason::stop_loss);
  EXPECT_EQ(c.closed_at, a_position("1", true).closed_at);
  EXPECT_EQ(c.realized_pnl(), a_position("1", true).realized_pnl());
  EXPECT_EQ(db->load_config_patch(), std::optional<std::string>{R"({"max_positions":2})"});
  // The portfolio it restores has the same totals.
  auto book = trading::portfolio::restore(saved.ledger->totals, saved.open, saved.recent_closed);
  EXPECT_EQ(book.cash(), l.totals.cash);
  EXPECT_EQ(book.closed_count(), 1u);
}

}  // namespace
}  // namespace ct::store
