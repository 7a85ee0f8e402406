// The database's schema and its migrations. The version lives in PRAGMA user_version; each
// migration takes the schema from its index to the next and runs in the caller's transaction.
// A database from a newer build is refused rather than misread.
#pragma once

#include <cstdint>

#include "store/sqlite.hpp"

namespace ct::store {

/// crypto-trading's PRAGMA application_id ("CTdb"): tells our databases from others.
constexpr std::int64_t application_id = 0x43546462;

/// The schema this build writes.
std::int64_t current_schema();

/// Brings the database to current_schema(); returns the version it found. Throws store_error
/// for a newer schema or another application's database.
std::int64_t migrate(connection& db, const std::string& path);

}  // namespace ct::store
