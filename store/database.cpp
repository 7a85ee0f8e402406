#include "store/database.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/rows.hpp"
#include "store/schema.hpp"

namespace ct::store {

namespace fs = std::filesystem;

struct writer_statements {
  explicit writer_statements(connection& db)
      : begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        event(db, "INSERT INTO events (seq, at, type, source, data) VALUES (?1, ?2, ?3, ?4, ?5)"),
        order(db,
              "INSERT INTO orders (order_id, symbol, side, qty, reason, status, error, at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (order_id) DO UPDATE SET "
              "status = excluded.status, error = excluded.error, at = excluded.at"),
        fill(db,
             "INSERT OR REPLACE INTO fills (order_id, symbol, side, qty, price, fee, at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        position(db, std::string{"INSERT INTO positions ("} + position_columns +
                         ", close_no) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                         "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23) ON CONFLICT (id) "
                         "DO UPDATE "
                         "SET mark = excluded.mark, stop_loss = excluded.stop_loss, "
                         "take_profit = excluded.take_profit, closed_at = excluded.closed_at, "
                         "exit_reason = excluded.exit_reason, exit_price = excluded.exit_price, "
                         "proceeds = excluded.proceeds, exit_fee = excluded.exit_fee, "
                         "exit_order_id = excluded.exit_order_id, "
                         "exit_market_ms = excluded.exit_market_ms, "
                         "close_no = coalesce(positions.close_no, excluded.close_no)"),
        ledger(db,
               "INSERT OR REPLACE INTO ledger (id, starting_cash, cash, closed_realized, "
               "fees_paid, closed_count, next_position_id, order_seq, trading) VALUES "
               "(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        setting(db, "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)"),
        market(db,
               "INSERT INTO market_clock (id, market_ms) VALUES (1, ?1) ON CONFLICT (id) DO "
               "UPDATE SET market_ms = max(market_ms, excluded.market_ms)"),
        equity(db,
               "INSERT OR IGNORE INTO equity (market_ms, at, equity, cash) VALUES (?1, ?2, ?3, "
               "?4)") {}

  statement begin, commit, event, order, fill, position, ledger, setting, market, equity;
};

namespace {

std::int64_t ns(trading::timestamp t) {
  return t.time_since_epoch().count();
}

int lock_directory(const std::string& dir) {
  const auto lock_path = (fs::path{dir} / "lock").string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw store_error("cannot write the data directory " + dir + " (" + std::strerror(errno) +
                      "): make it writable by this user, or choose another with --data-dir");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw store_error("another crypto-trading is using the data directory " + dir +
                      ": stop it, or choose another with --data-dir");
  }
  return fd;
}

}  // namespace

std::string describe_failure(const sqlite_error& e, const std::string& path) {
  const std::string what = e.what();
  switch (e.code()) {
    case SQLITE_FULL:
      return "the disk holding " + path + " is full (" + what +
             "): free some space, or choose another --data-dir";
    case SQLITE_NOTADB:
      return path + " is not an SQLite database (" + what +
             "): move it away (a new one is then created), or choose another --data-dir";
    case SQLITE_CORRUPT:
      return path + " is damaged (" + what +
             "): restore it from a backup or move it away, or choose another --data-dir";
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "cannot write " + path + " (" + what +
             "): make it and its directory writable by this user, or choose another --data-dir";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return path + " is locked by another process (" + what + "): stop it";
    case SQLITE_IOERR:
      return "I/O error on " + path + " (" + what + "): check the disk";
    default:
      return path + ": " + what;
  }
}

namespace {

/// 8 hex digits from the system's entropy source.
std::string random_identifier() {
  std::random_device entropy;
  char text[9];
  std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(entropy()));
  return text;
}

}  // namespace

database::database(std::string path, bool create) : path_(std::move(path)), db_(path_, create) {}

database::~database() {
  stmts_.reset();
  if (lock_fd_ >= 0)
    ::close(lock_fd_);
}

std::unique_ptr<database> database::open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw store_error("cannot create the data directory " + dir + " (" + ec.message() +
                      "): create it writable by this user, or choose another with --data-dir");
  if (!fs::is_directory(dir))
    throw store_error("the data directory " + dir +
                      " is not a directory: choose another with --data-dir");
  const int lock = lock_directory(dir);
  const auto path = (fs::path{dir} / file_name).string();
  try {
    std::unique_ptr<database> db{new database(path, true)};
    db->lock_fd_ = lock;
    db->prepare_writer();
    return db;
  } catch (const sqlite_error& e) {
    ::close(lock);
    throw store_error(describe_failure(e, path));
  } catch (...) {
    ::close(lock);
    throw;
  }
}

void database::prepare_writer() {
  db_.scalar("PRAGMA application_id");  // reads the header: a file that is not a database fails
  db_.exec("PRAGMA journal_mode = WAL");
  db_.exec("PRAGMA synchronous = FULL");
  migrate(db_, path_);
  // A write now, so that a read-only file or a full disk stops the start, not the first trade.
  db_.exec("BEGIN IMMEDIATE");
  try {
    db_.exec(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('opened_at', "
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    db_.exec("INSERT OR IGNORE INTO settings (key, value) VALUES ('database_id', '" +
             random_identifier() + "')");
    db_.exec("COMMIT");
  } catch (...) {
    db_.rollback();
    throw;
  }
  {
    auto id = db_.prepare("SELECT value FROM settings WHERE key = 'database_id'");
    if (id.step())
      identifier_ = id.text(0);
  }
  next_seq_ =
      static_cast<std::uint64_t>(db_.scalar("SELECT coalesce(max(seq), 0) FROM events")) + 1;
  next_close_no_ =
      static_cast<std::uint64_t>(db_.scalar("SELECT coalesce(max(close_no), 0) FROM positions")) +
      1;
  stmts_ = std::make_unique<writer_statements>(db_);
}

std::unique_ptr<database> database::reader() const {
  try {
    std::unique_ptr<database> r{new database(path_, false)};
    r->db_.exec("PRAGMA query_only = 1");
    return r;
  } catch (const sqlite_error& e) {
    throw store_error(describe_failure(e, path_));
  }
}

std::vector<timeline_event> database::commit(const std::vector<const write_batch*>& batches) {
  auto& s = *stmts_;
  std::vector<timeline_event> out;
  auto seq = next_seq_;
  auto close_no = next_close_no_;
  std::int64_t market_ms = 0;  // the latest market time any of them knew
  s.begin.run();
  try {
    for (const auto* b : batches) {
      market_ms = std::max(market_ms, b->market_ms);
      for (const auto& ev : b->events) {
        market_ms = std::max(market_ms, ev.market_ms);
        s.event.bind(1, as_int(seq)).bind(2, ns(ev.at)).bind(3, ev.type).bind(4, ev.source);
        s.event.bind(5, ev.data).run();
        out.push_back(timeline_event{seq++, ev.at, ev.type, ev.source, ev.data});
      }
      for (const auto& o : b->orders) {
        s.order.bind(1, o.order_id).bind(2, o.symbol).bind(3, o.side).bind(4, o.qty.units());
        s.order.bind(5, o.reason).bind(6, o.status).bind(7, o.error).bind(8, ns(o.at)).run();
      }
      for (const auto& f : b->fills) {
        s.fill.bind(1, f.order_id).bind(2, f.symbol).bind(3, trading::to_string(f.side));
        s.fill.bind(4, f.qty.units()).bind(5, f.px.units()).bind(6, f.fee.units());
        s.fill.bind(7, ns(f.at)).run();
      }
      for (const auto& p : b->positions) {
        bind_position(s.position, p);
        s.position.bind(
            23, p.is_open() ? std::nullopt : std::optional<std::int64_t>{as_int(close_no++)});
        s.position.run();
      }
      if (b->ledger) {
        const auto& t = b->ledger->totals;
        s.ledger.bind(1, t.starting_cash.units()).bind(2, t.cash.units());
        s.ledger.bind(3, t.closed_realized.units()).bind(4, t.fees_paid.units());
        s.ledger.bind(5, as_int(t.closed_count)).bind(6, as_int(t.next_id));
        s.ledger.bind(7, as_int(b->ledger->order_seq));
        s.ledger.bind(8, std::int64_t{b->ledger->trading ? 1 : 0}).run();
      }
      if (b->config_patch)
        s.setting.bind(1, std::string_view{"config_patch"}).bind(2, *b->config_patch).run();
      if (const auto& e = b->equity) {
        s.equity.bind(1, e->market_ms).bind(2, ns(e->at)).bind(3, e->equity.units());
        s.equity.bind(4, e->cash.units()).run();
      }
    }
    if (market_ms > 0)
      s.market.bind(1, market_ms).run();
    s.commit.run();
  } catch (...) {
    db_.rollback();
    s.event.reset();
    s.order.reset();
    s.fill.reset();
    s.position.reset();
    s.ledger.reset();
    s.setting.reset();
    s.market.reset();
    s.equity.reset();
    throw;
  }
  next_seq_ = seq;
  next_close_no_ = close_no;
  return out;
}

}  // namespace ct::store
