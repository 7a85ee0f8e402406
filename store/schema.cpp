#include "store/schema.hpp"

#include <string>
#include <vector>

#include "store/database.hpp"

namespace ct::store {

namespace {

// Append only: a released migration never changes.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> all{
      // 0 -> 1: the first schema.
      R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX events_by_type ON events (type, seq);
CREATE TABLE positions (
  id TEXT PRIMARY KEY,
  symbol TEXT NOT NULL,
  side INTEGER NOT NULL,
  qty INTEGER NOT NULL,
  entry_price INTEGER NOT NULL,
  cost INTEGER NOT NULL,
  entry_fee INTEGER NOT NULL,
  mark INTEGER NOT NULL,
  stop_loss INTEGER,
  take_profit INTEGER,
  opened_at INTEGER NOT NULL,
  entry_order_id TEXT NOT NULL,
  strategy TEXT NOT NULL,
  entry_reason TEXT NOT NULL,
  closed_at INTEGER,
  exit_reason INTEGER,
  exit_price INTEGER NOT NULL,
  proceeds INTEGER NOT NULL,
  exit_fee INTEGER NOT NULL,
  exit_order_id TEXT NOT NULL,
  close_no INTEGER UNIQUE
);
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  qty INTEGER NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE fills (
  order_id TEXT PRIMARY KEY,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  qty INTEGER NOT NULL,
  price INTEGER NOT NULL,
  fee INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  starting_cash INTEGER NOT NULL,
  cash INTEGER NOT NULL,
  closed_realized INTEGER NOT NULL,
  fees_paid INTEGER NOT NULL,
  closed_count INTEGER NOT NULL,
  next_position_id INTEGER NOT NULL,
  order_seq INTEGER NOT NULL,
  trading INTEGER NOT NULL
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
      // 1 -> 2: market time, which only moves forward, kept with every commit; the positions'
      // entry and exit on it (time limits and cooldowns go on across restarts).
      R"sql(
ALTER TABLE positions ADD COLUMN entry_market_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE positions ADD COLUMN exit_market_ms INTEGER NOT NULL DEFAULT 0;
CREATE TABLE market_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  market_ms INTEGER NOT NULL
);
)sql",
      // 2 -> 3: the account's equity, once per candle, for its curve.
      R"sql(
CREATE TABLE equity (
  market_ms INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  equity INTEGER NOT NULL,
  cash INTEGER NOT NULL
);
)sql",
  };
  return all;
}

}  // namespace

std::int64_t current_schema() {
  return static_cast<std::int64_t>(migrations().size());
}

std::int64_t migrate(connection& db, const std::string& path) {
  const auto app = db.scalar("PRAGMA application_id");
  const auto found = db.scalar("PRAGMA user_version");
  const auto tables = db.scalar("SELECT count(*) FROM sqlite_master");
  if ((app != 0 && app != application_id) || (app == 0 && tables != 0))
    throw store_error(path +
                      " is an SQLite database of another application: move it away or choose "
                      "another --data-dir");
  if (found > current_schema())
    throw store_error(path + " was written by a newer crypto-trading (schema " +
                      std::to_string(found) + "; this build knows up to " +
                      std::to_string(current_schema()) +
                      "): run that newer version, or choose another --data-dir");
  if (found == current_schema())
    return found;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (auto v = found; v < current_schema(); ++v)
      db.exec(migrations()[static_cast<std::size_t>(v)]);
    db.exec("PRAGMA application_id = " + std::to_string(application_id));
    db.exec("PRAGMA user_version = " + std::to_string(current_schema()));
    db.exec("COMMIT");
  } catch (...) {
    db.rollback();
    throw;
  }
  return found;
}

}  // namespace ct::store
