#include "store/sqlite.hpp"

#include <sqlite3.h>

namespace ct::store {

connection::connection(const std::string& path, bool create) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw sqlite_error(rc, msg);
  }
  sqlite3_extended_result_codes(db_, 1);
}

connection::~connection() {
  sqlite3_close_v2(db_);
}

void connection::fail(int rc, const std::string& context) const {
  throw sqlite_error(rc, context + ": " + sqlite3_errmsg(db_));
}

void connection::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw sqlite_error(sqlite3_extended_errcode(db_), msg);
  }
}

void connection::rollback() noexcept {
  if (sqlite3_get_autocommit(db_) == 0)
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

statement connection::prepare(std::string_view sql) {
  return statement{*this, sql};
}

std::int64_t connection::scalar(const std::string& sql) {
  auto s = prepare(sql);
  return s.step() ? s.int64(0) : 0;
}

statement::statement(connection& c, std::string_view sql) : c_(&c) {
  const int rc =
      sqlite3_prepare_v2(c.raw(), sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
  if (rc != SQLITE_OK)
    c.fail(rc, "prepare");
}

statement::~statement() {
  sqlite3_finalize(s_);
}

statement::statement(statement&& o) noexcept : c_(o.c_), s_(o.s_) {
  o.s_ = nullptr;
}

statement& statement::bind(int i, std::int64_t v) {
  if (const int rc = sqlite3_bind_int64(s_, i, v); rc != SQLITE_OK)
    c_->fail(rc, "bind");
  return *this;
}

statement& statement::bind(int i, std::string_view v) {
  if (const int rc =
          sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
      rc != SQLITE_OK)
    c_->fail(rc, "bind");
  return *this;
}

statement& statement::bind(int i, std::nullptr_t) {
  if (const int rc = sqlite3_bind_null(s_, i); rc != SQLITE_OK)
    c_->fail(rc, "bind");
  return *this;
}

statement& statement::bind(int i, const std::optional<std::int64_t>& v) {
  return v ? bind(i, *v) : bind(i, nullptr);
}

bool statement::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  sqlite3_reset(s_);
  c_->fail(rc, "step");
}

void statement::run() {
  while (step()) {
  }
  reset();
}

void statement::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::int64_t statement::int64(int col) const {
  return sqlite3_column_int64(s_, col);
}

std::optional<std::int64_t> statement::maybe_int64(int col) const {
  if (sqlite3_column_type(s_, col) == SQLITE_NULL)
    return std::nullopt;
  return sqlite3_column_int64(s_, col);
}

std::string statement::text(int col) const {
  const auto* p = sqlite3_column_text(s_, col);
  return p ? std::string{reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(s_, col))}
           : std::string{};
}

}  // namespace ct::store
