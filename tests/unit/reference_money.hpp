// Independent reference arithmetic for the tests' expected values: amounts in 1e-8 units,
// written from the definitions (a notional is price x quantity / 1e8, rounded as named; a fee
// is the notional rounded up, times the rate in parts per million / 1e6, rounded up), not with
// the code under test (trading/money.hpp), so that a test cannot agree with a wrong rounding.
#pragma once

#include <cstdint>

namespace ct::test {

__extension__ typedef __int128 wide;  // -Wpedantic: __int128 is a GNU extension

/// n / d for positive d, rounded down or up (n >= 0 here: prices and quantities are positive).
inline std::int64_t divide(wide n, wide d, bool up) {
  wide q = n / d;
  if (up && q * d != n)
    ++q;
  return static_cast<std::int64_t>(q);
}

inline std::int64_t notional_units(std::int64_t price_units, std::int64_t qty_units, bool up) {
  return divide(static_cast<wide>(price_units) * qty_units, 100'000'000, up);
}

inline std::int64_t fee_units(std::int64_t price_units, std::int64_t qty_units,
                              std::int64_t fee_ppm) {
  return divide(static_cast<wide>(notional_units(price_units, qty_units, true)) * fee_ppm,
                1'000'000, true);
}

}  // namespace ct::test
