#include "messages/json_out.hpp"

#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ct::msg {
namespace {

TEST(JsonOutTest, WritesValidJsonThatParsesBackExactly) {
  json_out inner;
  inner.field("n", std::uint64_t{3});
  json_out out;
  out.field("text", std::string_view{"a \"quoted\" \\ line\nwith\ttab and \x01"})
      .field("small", 5.33e-05)
      .field("big", 92233720368.54775)
      .field("neg", std::int64_t{-7})
      .field("yes", true)
      .field("nan", std::numeric_limits<double>::quiet_NaN())
      .null_field("none")
      .raw_field("inner", inner.finish());
  const auto text = out.finish();
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["text"], "a \"quoted\" \\ line\nwith\ttab and \x01");
  EXPECT_EQ(j["small"].get<double>(), 5.33e-05);
  EXPECT_EQ(j["big"].get<double>(), 92233720368.54775);
  EXPECT_EQ(j["neg"], -7);
  EXPECT_EQ(j["yes"], true);
  EXPECT_TRUE(j["nan"].is_null());
  EXPECT_TRUE(j["none"].is_null());
  EXPECT_EQ(j["inner"]["n"], 3);
  EXPECT_EQ(json_out{}.finish(), "{}");
}

}  // namespace
}  // namespace ct::msg
