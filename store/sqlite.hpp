// A thin RAII layer over SQLite's C API: a connection, prepared statements, and errors that
// keep SQLite's result code so callers can tell a full disk from a file that is not a database.
// Not thread-safe: one thread uses a connection at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ct::store {

class sqlite_error : public std::runtime_error {
public:
  sqlite_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  /// The primary result code (SQLITE_FULL, SQLITE_NOTADB, ...).
  int code() const { return code_ & 0xff; }

private:
  int code_;
};

class statement;

class connection {
public:
  /// Opens (creating when `create`) the database file at `path`.
  connection(const std::string& path, bool create);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Runs SQL without results (several statements allowed).
  void exec(const std::string& sql);
  statement prepare(std::string_view sql);
  /// An integer-valued PRAGMA or single-value query.
  std::int64_t scalar(const std::string& sql);
  /// Rolls back the open transaction, if SQLite has not already; never throws.
  void rollback() noexcept;

  sqlite3* raw() const { return db_; }
  [[noreturn]] void fail(int rc, const std::string& context) const;

private:
  sqlite3* db_ = nullptr;
};

class statement {
public:
  statement(connection& c, std::string_view sql);
  ~statement();
  statement(statement&& o) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  statement& operator=(statement&&) = delete;

  /// Binds parameter `i` (1-based); returns *this for chaining.
  statement& bind(int i, std::int64_t v);
  statement& bind(int i, std::string_view v);
  statement& bind(int i, std::nullptr_t);
  statement& bind(int i, const std::optional<std::int64_t>& v);

  /// Steps once: true while a row is available.
  bool step();
  /// Runs to completion (for writes), then resets for the next use.
  void run();
  void reset();

  std::int64_t int64(int col) const;
  std::optional<std::int64_t> maybe_int64(int col) const;
  std::string text(int col) const;

private:
  connection* c_;
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace ct::store
