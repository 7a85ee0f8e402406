// The service's durable state in one SQLite database (WAL, synchronous=FULL): the timeline, the
// position manager's ledger (totals, positions, orders, fills) and the configuration overrides.
// Opening checks the directory, the file and the schema and says what to do when one is wrong.
// commit() writes batches in one transaction and assigns the events their gap-free seqs; if it
// throws, nothing of the batches was written and the seqs are not used. One writer connection;
// readers open their own (WAL lets them read while the writer commits). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/sqlite.hpp"
#include "trading/portfolio.hpp"

namespace ct::store {

/// The database cannot be used; what() says why and what to do.
class store_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct writer_statements;

class database {
public:
  static constexpr const char* file_name = "crypto-trading.db";

  /// Opens <dir>/crypto-trading.db, creating the directory and the database, and migrates it.
  /// Throws store_error.
  static std::unique_ptr<database> open(const std::string& dir);
  /// A second connection to the same database, for queries.
  std::unique_ptr<database> reader() const;

  /// Writes `batches` in one transaction; returns their events with their seqs, in order.
  /// Throws sqlite_error, after which nothing of them is written.
  std::vector<timeline_event> commit(const std::vector<const write_batch*>& batches);

  std::uint64_t last_seq() const { return next_seq_ - 1; }
  saved_ledger load_ledger(std::size_t recent_closed = 1000);
  std::optional<std::string> load_config_patch();
  timeline_page timeline(const get_timeline& q);
  closed_page closed_positions(const closed_query& q);
  equity_page equity(const equity_query& q);
  std::int64_t schema_version();

  const std::string& path() const { return path_; }
  /// This database's own random identifier (8 hex digits), made when it was created and kept
  /// for good: live orders' client ids carry it, so a fresh database never reuses an id that an
  /// exchange account has seen.
  const std::string& identifier() const { return identifier_; }

  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

private:
  database(std::string path, bool create);
  void prepare_writer();

  std::string path_;
  int lock_fd_ = -1;  // the writer's lock on the data directory
  connection db_;
  std::unique_ptr<writer_statements> stmts_;  // declared after db_: finalized before it closes
  std::uint64_t next_seq_ = 1;
  std::uint64_t next_close_no_ = 1;
  std::string identifier_;
};

/// A message for a failed write: what happened and what to do.
std::string describe_failure(const sqlite_error& e, const std::string& path);

}  // namespace ct::store
