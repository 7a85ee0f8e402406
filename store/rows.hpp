// Mapping the trading library's values to and from table rows. Amounts are stored as their
// int64 count of 1e-8 units and times as int64 nanoseconds, so a round trip is exact.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "store/database.hpp"

namespace ct::store {

/// The columns of the positions table, in order (for SELECT and INSERT).
extern const char* const position_columns;

/// Binds a position to parameters 1..22, in position_columns order; 23 is close_no.
void bind_position(statement& s, const trading::position& p);
/// Reads a position from columns 0..21.
trading::position read_position(const statement& s);

/// A count as an INTEGER, capped at the largest one.
inline std::int64_t as_int(std::uint64_t v) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(v, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace ct::store
