#include "http/input.hpp"

#include <caf/sec.hpp>
#include <gtest/gtest.h>

#include "messages/errors.hpp"

namespace ct::http {
namespace {

request with_query(std::map<std::string, std::string> q) {
  request r;
  r.query = std::move(q);
  return r;
}

TEST(InputTest, IntegersAreCheckedAndEmptyMeansAbsent) {
  auto req = with_query({{"limit", "abc"}});
  query_reader q{req};
  EXPECT_FALSE(q.integer("limit", 1, 1000).has_value());
  auto err = q.finish();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->status, 422);
  EXPECT_EQ(err->field, "limit");
  for (const char* bad : {"0", "1001", "-1", "1.5", "12abc", " 5"}) {
    auto r = with_query({{"limit", bad}});
    query_reader qr{r};
    qr.integer("limit", 1, 1000);
    EXPECT_TRUE(qr.finish().has_value()) << bad;
  }
  auto empty = with_query({{"limit", ""}});
  query_reader qe{empty};
  EXPECT_FALSE(qe.integer("limit", 1, 1000).has_value());
  EXPECT_FALSE(qe.finish().has_value());
}

TEST(InputTest, UnknownParametersAndSymbols) {
  auto req = with_query({{"limt", "5"}});
  query_reader q{req};
  q.integer("limit", 1, 1000);
  auto err = q.finish();
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code, errc::unknown_parameter);
  EXPECT_EQ(err->field, "limt");
  auto sym = with_query({{"symbol", "BTC-USD"}});
  query_reader qs{sym};
  qs.symbol("symbol", {"ADA-BTC"});
  EXPECT_EQ(qs.finish()->code, errc::unknown_symbol);
}

TEST(InputTest, BodiesMustBeJsonObjects) {
  EXPECT_EQ(std::get<api_error>(parse_object("{bad", true)).status, 400);
  EXPECT_EQ(std::get<api_error>(parse_object("[1]", true)).status, 400);
  EXPECT_EQ(std::get<api_error>(parse_object("", true)).status, 400);
  EXPECT_TRUE(std::get<nlohmann::json>(parse_object("  ", false)).empty());
  EXPECT_TRUE(only_keys(nlohmann::json{{"close_positions", true}}, {"close_positions"}) ==
              std::nullopt);
  EXPECT_EQ(only_keys(nlohmann::json{{"x", 1}}, {"close_positions"})->code, errc::unknown_key);
}

TEST(InputTest, PercentDecoding) {
  EXPECT_EQ(percent_decode("ADA%2DBTC"), "ADA-BTC");
  EXPECT_EQ(percent_decode("a+b"), "a b");
  EXPECT_FALSE(percent_decode("%4").has_value());
  EXPECT_FALSE(percent_decode("%zz").has_value());
}

TEST(ApiErrorTest, ActorErrorsMapToStatuses) {
  EXPECT_EQ(from_actor_error(msg::actor_error(msg::errc::invalid_value, "m", "f"), "x").status,
            422);
  EXPECT_EQ(from_actor_error(msg::actor_error(msg::errc::invalid_value, "m", "f"), "x").field, "f");
  EXPECT_EQ(
      from_actor_error(msg::actor_error(msg::errc::restart_required, "m", "port"), "x").status,
      409);
  EXPECT_EQ(from_actor_error(msg::actor_error(msg::errc::exchange_unavailable, "m"), "x").status,
            503);
  auto timeout = from_actor_error(caf::make_error(caf::sec::request_timeout), "scanner");
  EXPECT_EQ(timeout.status, 503);
  EXPECT_EQ(timeout.code, errc::actor_unavailable);
  EXPECT_NE(timeout.message.find("scanner"), std::string::npos);
  EXPECT_EQ(from_actor_error(caf::make_error(caf::sec::request_receiver_down), "x").status, 503);
  EXPECT_EQ(error_body({errc::invalid_value, "bad", "limit"}),
            R"({"error":{"code":"invalid_value","field":"limit","message":"bad"}})");
  EXPECT_EQ(error_body({errc::not_found, "no", ""}),
            R"({"error":{"code":"not_found","message":"no"}})");
}

}  // namespace
}  // namespace ct::http
