#include "trading/money.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace ct::trading {

namespace {

constexpr int max_significant_digits = 30;  // fits an int128 with room for the shift

int128 pow10(int n) {
  int128 r = 1;
  for (int i = 0; i < n; ++i)
    r *= 10;
  return r;
}

std::int64_t checked(int128 v) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min())
    throw std::overflow_error("fixed-point value out of range");
  return static_cast<std::int64_t>(v);
}

}  // namespace

namespace {

constexpr int128 int64_lo = std::numeric_limits<std::int64_t>::min();
constexpr int128 int64_hi = std::numeric_limits<std::int64_t>::max();

}  // namespace

std::int64_t divide(int128 num, int128 den, rounding mode) {
  if (den <= 0)
    throw std::invalid_argument("divide: denominator must be positive");
  // Most products fit 64 bits: one hardware division instead of a 128-bit library call (a
  // backtest makes millions of fills).
  if (num >= int64_lo && num <= int64_hi && den <= int64_hi) {
    const auto n = static_cast<std::int64_t>(num);
    const auto d = static_cast<std::int64_t>(den);
    // |2r| < 2d <= 2^64: fits when d < 2^62, which every scale and price here is.
    if (d < (std::int64_t{1} << 62))
      return detail::round_quotient<std::int64_t>(n, d, n / d, n % d, mode);
  }
  return checked(detail::round_quotient<int128>(num, den, num / den, num % den, mode));
}

std::string format_units(std::int64_t units) {
  const bool negative = units < 0;
  // Magnitude in unsigned arithmetic, so INT64_MIN is representable.
  const auto magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(units)
                                  : static_cast<std::uint64_t>(units);
  const auto scale = static_cast<std::uint64_t>(fixed_scale);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  std::uint64_t frac = magnitude % scale;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 8 - digits.size(), '0');
    while (digits.back() == '0')
      digits.pop_back();
    out += '.';
    out += digits;
  }
  return out;
}

namespace {

/// The exponent after an 'e' at text[i] (i past it on return); empty when malformed.
std::optional<int> parse_exponent(std::string_view text, std::size_t& i) {
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-'))
    negative = text[i++] == '-';
  if (i >= n)
    return std::nullopt;
  int exponent = 0;
  for (; i < n; ++i) {
    if (text[i] < '0' || text[i] > '9' || exponent > 1000)
      return std::nullopt;
    exponent = exponent * 10 + (text[i] - '0');
  }
  return negative ? -exponent : exponent;
}

/// mantissa x 10^shift, rounded to nearest; empty when it cannot fit 64 bits.
std::optional<int128> scale_mantissa(int128 mantissa, int significant, int shift) {
  if (mantissa == 0)
    return int128{0};
  if (shift >= 0) {
    if (shift + significant > 19)
      return std::nullopt;
    return mantissa * pow10(shift);
  }
  if (-shift > max_significant_digits + 1)
    return int128{0};
  // Not divide(): its quotient must fit 64 bits, and a quotient that does not is refused by the
  // caller as text out of range, not thrown.
  const int128 den = pow10(-shift);
  return detail::round_quotient<int128>(mantissa, den, mantissa / den, mantissa % den,
                                        rounding::nearest);
}

}  // namespace

std::optional<std::int64_t> parse_units(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-'))
    negative = text[i++] == '-';
  int128 mantissa = 0;
  int significant = 0;
  int frac_digits = 0;
  bool any_digit = false;
  bool seen_point = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9')
      break;
    any_digit = true;
    if (seen_point)
      ++frac_digits;
    if (mantissa == 0 && c == '0')
      continue;
    if (++significant > max_significant_digits)
      return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
  }
  if (!any_digit)
    return std::nullopt;
  int exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    auto e = parse_exponent(text, ++i);
    if (!e)
      return std::nullopt;
    exponent = *e;
  }
  if (i != n)
    return std::nullopt;
  // value = mantissa * 10^(exponent - frac_digits); units = value * 1e8.
  auto units = scale_mantissa(mantissa, significant, exponent - frac_digits + 8);
  if (!units)
    return std::nullopt;
  if (negative)
    *units = -*units;
  if (*units > std::numeric_limits<std::int64_t>::max() ||
      *units < std::numeric_limits<std::int64_t>::min())
    return std::nullopt;
  return static_cast<std::int64_t>(*units);
}

std::int64_t units_from_double(double x) {
  const double scaled = x * static_cast<double>(fixed_scale);
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 9.2e18)
    throw std::overflow_error("fixed-point value out of range");
  return std::llround(scaled);
}

std::int64_t pct_to_ppm(double pct) {
  return std::llround(pct * static_cast<double>(ppm_scale) / 100.0);
}

}  // namespace ct::trading
