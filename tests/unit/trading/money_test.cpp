#include "trading/money.hpp"

#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

TEST(MoneyTest, ParsesDecimalAndExponentTextExactly) {
  struct row {
    const char* text;
    std::int64_t units;
  };
  for (auto r : {row{"0", 0}, row{"1", 100'000'000}, row{"27123.45", 2'712'345'000'000},
                 row{"5.33e-05", 5330}, row{"-0.5", -50'000'000}, row{"0.00000001", 1},
                 row{"1e3", 100'000'000'000}, row{"+2.5E+1", 2'500'000'000},
                 row{"431401.97869504", 43'140'197'869'504}, row{".5", 50'000'000}}) {
    auto parsed = parse_units(r.text);
    ASSERT_TRUE(parsed.has_value()) << r.text;
    EXPECT_EQ(*parsed, r.units) << r.text;
  }
}

TEST(MoneyTest, RoundsBeyondTheEighthDecimalToNearest) {
  EXPECT_EQ(*parse_units("0.000000015"), 2);
  EXPECT_EQ(*parse_units("0.000000014"), 1);
  EXPECT_EQ(*parse_units("-0.000000015"), -2);
}

TEST(MoneyTest, RejectsNonNumbers) {
  for (const char* bad : {"", "-", "abc", "1.2.3", "1e", "1e+", "12x", "0x10", "nan", "inf",
                          "1e400", "99999999999999999999"})
    EXPECT_FALSE(parse_units(bad).has_value()) << bad;
}

// Found by fuzz_candles: a value too large for 64-bit units, written with enough fractional
// digits to take the dividing branch, threw instead of being refused.
TEST(MoneyTest, RefusesTooLargeValuesWithManyFractionalDigits) {
  EXPECT_FALSE(parse_units("69504869431401.97869504869504").has_value());
  EXPECT_FALSE(parse_units("-69504869431401.97869504869504").has_value());
  EXPECT_EQ(*parse_units("1.000000004999999999"), 100'000'000);
}

TEST(MoneyTest, FormatRoundTrips) {
  for (std::int64_t u :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{5330}, std::int64_t{-50'000'000},
        std::int64_t{2'712'345'000'000}, std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::int64_t>::min() + 1}) {
    EXPECT_EQ(*parse_units(format_units(u)), u) << u;
  }
  EXPECT_EQ(format_units(5330), "0.0000533");
  EXPECT_EQ(format_units(-150'000'000), "-1.5");
  EXPECT_EQ(format_units(std::numeric_limits<std::int64_t>::min()), "-92233720368.54775808");
}

TEST(MoneyTest, DivideRoundsInTheNamedDirection) {
  EXPECT_EQ(divide(7, 2, rounding::down), 3);
  EXPECT_EQ(divide(7, 2, rounding::up), 4);
  EXPECT_EQ(divide(7, 2, rounding::nearest), 4);
  EXPECT_EQ(divide(-7, 2, rounding::down), -4);
  EXPECT_EQ(divide(-7, 2, rounding::up), -3);
  EXPECT_EQ(divide(-7, 2, rounding::nearest), -4);
  EXPECT_EQ(divide(6, 3, rounding::up), 2);
  EXPECT_THROW(divide(1, 0, rounding::down), std::invalid_argument);
  EXPECT_THROW(divide(int128{1} << 70, 1, rounding::down), std::overflow_error);
}

TEST(MoneyTest, MulDivByAConstantRoundsAsDivideDoes) {
  // The 64-bit path (a multiplication by the reciprocal) and the 128-bit one (products past
  // 2^63) against the general divide, in every rounding mode and sign.
  const std::int64_t big = std::int64_t{1} << 40;
  for (const std::int64_t a : {std::int64_t{0}, std::int64_t{7}, std::int64_t{-7},
                               std::int64_t{999'999}, std::int64_t{1'000'001}, big, -big})
    for (const std::int64_t b : {std::int64_t{1}, std::int64_t{3}, std::int64_t{-1'000'000},
                                 std::int64_t{123'456'789}, big})
      for (const auto mode : {rounding::down, rounding::up, rounding::nearest}) {
        EXPECT_EQ(mul_div<ppm_scale>(a, b, mode), divide(int128{a} * b, ppm_scale, mode))
            << a << " x " << b;
        EXPECT_EQ(mul_div<fixed_scale>(a, b, mode), divide(int128{a} * b, fixed_scale, mode))
            << a << " x " << b;
      }
  EXPECT_THROW(mul_div<1>(big, big, rounding::down), std::overflow_error);
}

TEST(MoneyTest, NotionalAndQuantityUseOneRescale) {
  const auto px = price::from_units(5330);                 // 0.0000533 BTC
  const auto qty = quantity::from_units(187'617'260'788);  // 1876.17260788
  // 5330 x 187617260788 / 1e8 = 10000000.0000004
  EXPECT_EQ(notional(px, qty, rounding::down).units(), 10'000'000);
  EXPECT_EQ(notional(px, qty, rounding::up).units(), 10'000'001);
  const auto budget = money::from_units(10'000'000);  // 0.1 BTC
  EXPECT_EQ(quantity_for(budget, px, rounding::down).units(), 187'617'260'787);
  EXPECT_LE(notional(px, quantity_for(budget, px, rounding::down), rounding::up), budget);
}

TEST(MoneyTest, PpmHelpers) {
  EXPECT_EQ(pct_to_ppm(1.5), 15'000);
  EXPECT_EQ(pct_to_ppm(0.1), 1'000);
  EXPECT_EQ(pct_to_ppm(0.05), 500);
  const auto m = money::from_units(1'000'001);
  EXPECT_EQ(part_ppm(m, 1'000, rounding::up).units(), 1001);  // 0.1 % fee rounds up
  EXPECT_EQ(part_ppm(m, 1'000, rounding::down).units(), 1000);
  EXPECT_EQ(shift_ppm(price::from_units(10'000), 500, rounding::up).units(), 10'005);
  EXPECT_EQ(shift_ppm(price::from_units(10'000), -15'000, rounding::nearest).units(), 9'850);
}

TEST(MoneyTest, SumsDoNotDrift) {
  money total;
  for (int i = 0; i < 10'000; ++i)
    total += *money::parse("0.1");
  EXPECT_EQ(total, *money::parse("1000"));
  EXPECT_EQ((total + money::from_units(7)) - money::from_units(7), total);
}

}  // namespace
}  // namespace ct::trading
