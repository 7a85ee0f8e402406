#include "messages/config.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ct::msg {
namespace {

using nlohmann::json;

ct::error expect_error(const result<config>& r) {
  EXPECT_FALSE(r.ok());
  return r.ok() ? ct::error{} : r.err();
}

TEST(ConfigTest, DefaultsRoundTripThroughJson) {
  auto parsed = config_from_json(to_json(config{}, false));
  ASSERT_TRUE(parsed.ok()) << parsed.err().message;
  EXPECT_EQ(to_json(parsed.value(), false), to_json(config{}, false));
  EXPECT_EQ(parsed.value().scan_interval_ms, 5000);
  EXPECT_EQ(parsed.value().port, 9012);
  EXPECT_EQ(parsed.value().bind, "127.0.0.1");
  // Every group is in the JSON form (a group missing there could not be set from a file).
  const auto j = to_json(config{}, false);
  for (const char* group :
       {"exchange", "strategy", "risk", "paper", "scanner", "supervisor", "stream", "http"})
    EXPECT_TRUE(j.contains(group) && j[group].is_object()) << group;
  config custom;
  custom.stream.book_depth = 7;
  EXPECT_EQ(config_from_json(to_json(custom, false)).value().stream.book_depth, 7);
}

TEST(ConfigTest, MissingKeysTakeDefaultsAndNullIsDefault) {
  auto parsed = config_from_json(json{{"scan_interval_ms", nullptr}, {"max_positions", 3}});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().scan_interval_ms, 5000);
  EXPECT_EQ(parsed.value().max_positions, 3);
}

TEST(ConfigTest, ErrorsNameTheKey) {
  struct bad {
    json j;
    std::string code;
    std::string field;
  };
  for (const auto& b : std::vector<bad>{
           {{{"scan_interval_ms", 49}}, "invalid_value", "scan_interval_ms"},
           {{{"scan_interval_ms", 3'600'001}}, "invalid_value", "scan_interval_ms"},
           {{{"scan_interval_ms", 5000.0}}, "invalid_value", "scan_interval_ms"},
           {{{"scan_interval_ms", "5000"}}, "invalid_value", "scan_interval_ms"},
           {{{"scan_interval_ms", true}}, "invalid_value", "scan_interval_ms"},
           {{{"port", 70000}}, "invalid_value", "port"},
           {{{"port", 18446744073709551615ULL}}, "invalid_value", "port"},
           {{{"mode", "yolo"}}, "invalid_value", "mode"},
           {{{"bind", "not an address"}}, "invalid_value", "bind"},
           {{{"api_token", "short"}}, "invalid_value", "api_token"},
           {{{"stake_amount", 0}}, "invalid_value", "stake_amount"},
           {{{"exchange", {{"speed", 0}}}}, "invalid_value", "exchange.speed"},
           {{{"exchange", {{"failure_rate", 1.5}}}}, "invalid_value", "exchange.failure_rate"},
           {{{"exchange", 5}}, "invalid_value", "exchange"},
           {{{"exchange", {{"nope", 1}}}}, "unknown_key", "exchange.nope"},
           {{{"strategy", {{"symbols", {"ADA-BTC", "ada"}}}}},
            "invalid_value",
            "strategy.symbols[1]"},
           {{{"strategy", {{"symbols", "ADA-BTC"}}}}, "invalid_value", "strategy.symbols"},
           {{{"nope", 1}}, "unknown_key", "nope"},
           {{{"scanner", {{"backoff_initial_ms", 1000}, {"backoff_max_ms", 500}}}},
            "invalid_value",
            "scanner.backoff_max_ms"},
           {{{"supervisor", {{"heartbeat_ms", 10}}}}, "invalid_value", "supervisor.heartbeat_ms"},
       }) {
    auto e = expect_error(config_from_json(b.j));
    EXPECT_EQ(to_string(e.code), b.code) << b.j.dump();
    EXPECT_EQ(e.field, b.field) << b.j.dump();
    EXPECT_NE(e.message.find(b.field), std::string::npos) << e.message;
  }
  EXPECT_FALSE(config_from_json(json::array()).ok());
}

TEST(ConfigTest, AllowedOriginsAndHostsMustLookLikeThem) {
  for (const char* ok :
       {"http://localhost:9000", "https://gw.example", "http://[::1]:9000/", "http://127.0.0.1"}) {
    auto c = config_from_json(json{{"http", {{"allowed_origins", {ok}}}}});
    EXPECT_TRUE(c.ok()) << ok;
  }
  for (const char* bad : {"localhost:9000", "ftp://x", "http://", "http://x/path", "http://x:",
                          "http://x:99999", "http://a b", "http://[::1", "http://x:1:2", "null"}) {
    auto c = config_from_json(json{{"http", {{"allowed_origins", {bad}}}}});
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.err().field, "http.allowed_origins[0]") << bad;
  }
  EXPECT_TRUE(config_from_json(json{{"http", {{"allowed_hosts", {"gw.internal", "::1"}}}}}).ok());
  EXPECT_FALSE(config_from_json(json{{"http", {{"allowed_hosts", {"a/b"}}}}}).ok());
}

TEST(ConfigTest, MergePatchMergesNestedObjectsAndNullResets) {
  config running;
  running.scan_interval_ms = 1000;
  running.exchange.latency_ms = 200;
  running.exchange.outage = true;
  auto next = merge_patch(running, json::parse(R"({"exchange":{"latency_ms":50},
                                                   "scan_interval_ms":null})"));
  ASSERT_TRUE(next.ok()) << next.err().message;
  EXPECT_EQ(next.value().scan_interval_ms, 5000);  // null: back to the default
  EXPECT_EQ(next.value().exchange.latency_ms, 50);
  EXPECT_TRUE(next.value().exchange.outage);  // untouched sibling kept
  auto reset = merge_patch(running, json::parse(R"({"exchange":null})"));
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(reset.value().exchange.latency_ms, 0);
  EXPECT_FALSE(reset.value().exchange.outage);
}

TEST(ConfigTest, MergePatchRejectsUnknownKeysEvenWhenNull) {
  auto r = merge_patch(config{}, json::parse(R"({"exchange":{"typo":null}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::unknown_key);
  EXPECT_EQ(r.err().field, "exchange.typo");
  EXPECT_FALSE(merge_patch(config{}, json::array()).ok());
}

TEST(ConfigTest, MaskedTokenMeansUnchanged) {
  config running;
  running.api_token = "secret-token-1";
  EXPECT_EQ(to_json(running, true)["api_token"], "***");
  EXPECT_TRUE(to_json(config{}, true)["api_token"].is_null());
  auto next = merge_patch(running, to_json(running, true));  // GET then POST it back
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value().api_token, running.api_token);
  EXPECT_FALSE(startup_only_change(running, next.value()).has_value());
}

TEST(ConfigTest, StartupOnlyChangesAreNamed) {
  config running;
  auto next = running;
  EXPECT_FALSE(startup_only_change(running, next).has_value());
  next.scan_interval_ms = 50;
  EXPECT_FALSE(startup_only_change(running, next).has_value());
  next.port = 1;
  EXPECT_EQ(startup_only_change(running, next), "port");
  next = running;
  next.api_token = "another-token";
  EXPECT_EQ(startup_only_change(running, next), "api_token");
}

TEST(ConfigTest, LoopbackAddresses) {
  for (const char* a : {"127.0.0.1", "127.1.2.3", "::1", "localhost"})
    EXPECT_TRUE(is_loopback(a)) << a;
  for (const char* a : {"0.0.0.0", "10.0.0.1", "::", "128.0.0.1"})
    EXPECT_FALSE(is_loopback(a)) << a;
}

}  // namespace
}  // namespace ct::msg
