#include "trading/time.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

TEST(TimeTest, FormatsRfc3339WithMilliseconds) {
  EXPECT_EQ(format_rfc3339(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(1515560100000)), "2018-01-10T04:55:00.000Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(1795499032123)), "2026-11-24T05:43:52.123Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(951782400000)), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(TimeTest, ParseRoundTripsAndAcceptsOffsets) {
  for (std::int64_t ms : {std::int64_t{0}, std::int64_t{1515560100000}, std::int64_t{1795499032123},
                          std::int64_t{951782400000}}) {
    auto t = parse_rfc3339(format_rfc3339(from_unix_ms(ms)));
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(to_unix_ms(*t), ms);
  }
  EXPECT_EQ(to_unix_ms(*parse_rfc3339("2018-01-10T05:55:00+01:00")), 1515560100000);
  EXPECT_EQ(to_unix_ms(*parse_rfc3339("2018-01-10")), 1515542400000);
  EXPECT_EQ(to_unix_ms(*parse_rfc3339("2018-01-10T04:55:00.5Z")), 1515560100500);
}

TEST(TimeTest, RejectsMalformedTimes) {
  for (const char* bad : {"", "2018", "2018-13-01", "2018-02-30", "2019-02-29T00:00:00Z",
                          "2018-01-10T24:00:00Z", "2018-01-10T04:55:00", "2018-01-10T04:55Z",
                          "2018-01-10T04:55:00.Z", "2018-01-10T04:55:00Zjunk"})
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
}

TEST(TimeTest, ManualClockMovesOnlyWhenTold) {
  manual_clock c{from_unix_ms(1000)};
  EXPECT_EQ(to_unix_ms(c.now()), 1000);
  c.advance(std::chrono::milliseconds{250});
  EXPECT_EQ(to_unix_ms(c.now()), 1250);
}

}  // namespace
}  // namespace ct::trading
