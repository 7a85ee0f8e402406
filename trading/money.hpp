// Fixed-point money: price, quantity and money are distinct types over an int64 count of 1e-8
// units (one satoshi), so sums over thousands of fills never drift and the audit trail can
// replay its P&L exactly. Products run in 128 bits and are rescaled once, with the rounding
// mode named at the call. Thread-compatible value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ct::trading {

__extension__ typedef __int128 int128;  // -Wpedantic: __int128 is a GNU extension

/// Units per whole: 1e-8.
inline constexpr std::int64_t fixed_scale = 100'000'000;

/// Parts per million: percentages are applied with 0.0001 % resolution.
inline constexpr std::int64_t ppm_scale = 1'000'000;

/// How a rescaled value is rounded: `down` toward negative infinity, `up` toward positive
/// infinity, `nearest` half away from zero.
enum class rounding { down, up, nearest };

/// num / den rounded as asked; den must be positive. Throws std::overflow_error when the
/// result does not fit 64 bits (a broken invariant: configuration ranges prevent it).
std::int64_t divide(int128 num, int128 den, rounding mode);

namespace detail {

/// The rounding step: q = num / den truncated toward zero, r its remainder.
template <class Int>
constexpr Int round_quotient(Int num, Int den, Int q, Int r, rounding mode) {
  if (r == 0)
    return q;
  switch (mode) {
    case rounding::down:
      return num < 0 ? q - 1 : q;
    case rounding::up:
      return num > 0 ? q + 1 : q;
    case rounding::nearest: {
      const Int twice = r < 0 ? -2 * r : 2 * r;
      if (twice >= den)
        return num < 0 ? q - 1 : q + 1;
      return q;
    }
  }
  return q;
}

}  // namespace detail

/// a x b / Den rounded as asked, for a scale Den known at compile time: when the product fits 64
/// bits (every fill of a backtest) the division by the constant compiles to a multiplication by
/// its reciprocal; otherwise the 128-bit divide.
template <std::int64_t Den>
std::int64_t mul_div(std::int64_t a, std::int64_t b, rounding mode) {
  static_assert(Den > 0 && Den < (std::int64_t{1} << 62), "|2r| must fit 64 bits");
  std::int64_t n = 0;
  if (__builtin_mul_overflow(a, b, &n))
    return divide(int128{a} * b, Den, mode);
  return detail::round_quotient<std::int64_t>(n, Den, n / Den, n % Den, mode);
}

/// Formats a count of 1e-8 units as exact decimal text without trailing zeros ("0.0000533").
std::string format_units(std::int64_t units);

/// Parses decimal text, with an optional exponent ("5.33e-05"), to 1e-8 units, rounding
/// beyond the eighth decimal to nearest. Empty on anything else.
std::optional<std::int64_t> parse_units(std::string_view text);

/// Converts a double as llround(x * 1e8): exact for decimals of up to 15 significant digits.
std::int64_t units_from_double(double x);

template <class Tag>
class fixed {
public:
  constexpr fixed() = default;

  static constexpr fixed from_units(std::int64_t units) {
    fixed f;
    f.units_ = units;
    return f;
  }
  static fixed from_double(double x) { return from_units(units_from_double(x)); }
  static std::optional<fixed> parse(std::string_view text) {
    if (auto units = parse_units(text))
      return from_units(*units);
    return std::nullopt;
  }

  constexpr std::int64_t units() const { return units_; }
  /// For indicators and rendering only: never rebuild a ledger value from it.
  double to_double() const {
    return static_cast<double>(units_) / static_cast<double>(fixed_scale);
  }
  std::string to_string() const { return format_units(units_); }
  constexpr bool is_zero() const { return units_ == 0; }
  constexpr bool is_positive() const { return units_ > 0; }

  constexpr fixed operator+(fixed o) const { return from_units(units_ + o.units_); }
  constexpr fixed operator-(fixed o) const { return from_units(units_ - o.units_); }
  constexpr fixed operator-() const { return from_units(-units_); }
  constexpr fixed& operator+=(fixed o) {
    units_ += o.units_;
    return *this;
  }
  constexpr fixed& operator-=(fixed o) {
    units_ -= o.units_;
    return *this;
  }
  constexpr bool operator==(fixed o) const { return units_ == o.units_; }
  constexpr bool operator!=(fixed o) const { return units_ != o.units_; }
  constexpr bool operator<(fixed o) const { return units_ < o.units_; }
  constexpr bool operator<=(fixed o) const { return units_ <= o.units_; }
  constexpr bool operator>(fixed o) const { return units_ > o.units_; }
  constexpr bool operator>=(fixed o) const { return units_ >= o.units_; }

private:
  std::int64_t units_ = 0;
};

struct price_tag {};
struct quantity_tag {};
struct money_tag {};

/// A price in the quote currency per unit of the base currency.
using price = fixed<price_tag>;
/// An amount of the base currency.
using quantity = fixed<quantity_tag>;
/// An amount of the quote currency (cash, P&L, fees).
using money = fixed<money_tag>;

/// price x quantity, rescaled once.
inline money notional(price p, quantity q, rounding mode) {
  return money::from_units(mul_div<fixed_scale>(p.units(), q.units(), mode));
}

/// How much of the base currency `budget` buys at `p` (p must be positive).
inline quantity quantity_for(money budget, price p, rounding mode) {
  return quantity::from_units(divide(int128{budget.units()} * fixed_scale, p.units(), mode));
}

/// v x ppm / 1e6: a fee or a percentage of an amount.
template <class Tag>
fixed<Tag> part_ppm(fixed<Tag> v, std::int64_t ppm, rounding mode) {
  return fixed<Tag>::from_units(mul_div<ppm_scale>(v.units(), ppm, mode));
}

/// v x (1 + ppm / 1e6): a price moved by slippage, a stop or a target.
template <class Tag>
fixed<Tag> shift_ppm(fixed<Tag> v, std::int64_t ppm, rounding mode) {
  return fixed<Tag>::from_units(mul_div<ppm_scale>(v.units(), ppm_scale + ppm, mode));
}

/// A percentage (1.5 for 1.5 %) as parts per million, rounded to nearest.
std::int64_t pct_to_ppm(double pct);

}  // namespace ct::trading
