// The Prometheus text writer: the format's escapes, numbers and histograms.
#include "messages/metrics.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace ct::msg {
namespace {

TEST(PromTextTest, FamiliesSamplesAndEscapes) {
  prom_text out;
  out.family("ct_x_total", "counter", "Help with a \\ and a\nnew line.")
      .sample("ct_x_total", {{"route", "/a\"b\\c\nd"}, {"code", "200"}}, 3)
      .sample("ct_x_total", 0.5);
  EXPECT_EQ(out.text(),
            "# HELP ct_x_total Help with a \\\\ and a\\nnew line.\n"
            "# TYPE ct_x_total counter\n"
            "ct_x_total{route=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
            "ct_x_total 0.5\n");
}

TEST(PromTextTest, NumbersRoundTripAndSpecialValues) {
  EXPECT_EQ(prom_number(0), "0");
  EXPECT_EQ(prom_number(12345678901), "12345678901");
  EXPECT_EQ(prom_number(0.1), "0.1");
  EXPECT_EQ(prom_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(prom_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(prom_number(std::nan("")), "NaN");
}

TEST(HistogramTest, BucketsAreCumulativeWithBoundsInclusive) {
  histogram h{1, 2, 4};
  for (double v : {0.5, 1.0, 1.5, 4.0, 9.0})
    h.observe(v);
  prom_text out;
  h.render(out, "ct_h", {{"route", "r"}});
  EXPECT_EQ(out.text(),
            "ct_h_bucket{route=\"r\",le=\"1\"} 2\n"
            "ct_h_bucket{route=\"r\",le=\"2\"} 3\n"
            "ct_h_bucket{route=\"r\",le=\"4\"} 4\n"
            "ct_h_bucket{route=\"r\",le=\"+Inf\"} 5\n"
            "ct_h_sum{route=\"r\"} 16\n"
            "ct_h_count{route=\"r\"} 5\n");
  EXPECT_EQ(h.count(), 5u);
}

TEST(HistogramTest, BoundsMustAscendAndFit) {
  EXPECT_THROW((histogram{2, 1}), std::invalid_argument);
  EXPECT_NO_THROW(latency_histogram());
}

}  // namespace
}  // namespace ct::msg
