#include "messages/text_limits.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ct::msg {
namespace {

std::string code_of(std::string_view text, const json_limits& limits = {}) {
  auto e = check_json(text, limits);
  return e ? to_string(e->code) : "ok";
}

TEST(Utf8Test, AcceptsWellFormedText) {
  for (const char* s : {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                        "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf"})
    EXPECT_TRUE(valid_utf8(s)) << s;
}

TEST(Utf8Test, RefusesEveryMalformedForm) {
  for (const char* s : {"\xff", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
                        "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xc3",
                        "a\xe2\x82", "\x80", "\xc3\x28", "\xe2\x28\xa1"})
    EXPECT_FALSE(valid_utf8(s)) << s;
}

TEST(JsonLimitsTest, DepthUpToTheLimitPassesAndOneMoreIsTooDeep) {
  EXPECT_EQ(code_of(std::string(64, '[') + std::string(64, ']')), "ok");
  EXPECT_EQ(code_of(std::string(65, '[') + std::string(65, ']')), "too_deep");
  std::string objects;
  for (int i = 0; i < 65; ++i)
    objects += "{\"a\":";
  EXPECT_EQ(code_of(objects + "1" + std::string(65, '}')), "too_deep");
  // A million brackets: refused at once, in constant memory.
  EXPECT_EQ(code_of(std::string(1'000'000, '[')), "too_deep");
  // Brackets inside strings are text, not nesting.
  EXPECT_EQ(code_of("{\"a\":\"" + std::string(100, '[') + "\"}"), "ok");
  EXPECT_EQ(
      code_of(R"({"a":"\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})"),
      "ok");
}

TEST(JsonLimitsTest, StringsKeysAndKeyCountsAreBounded) {
  const json_limits small{64, 8, 4, 3};
  EXPECT_EQ(code_of(R"({"abcd":"12345678"})", small), "ok");
  EXPECT_EQ(code_of(R"({"abcde":1})", small), "too_long");
  EXPECT_EQ(code_of(R"({"a":"123456789"})", small), "too_long");
  EXPECT_EQ(code_of(R"(["123456789"])", small), "too_long");
  EXPECT_EQ(code_of(R"({"a":1,"b":2,"c":3})", small), "ok");
  EXPECT_EQ(code_of(R"({"a":1,"b":2,"c":3,"d":4})", small), "too_many_keys");
  // Keys are counted per object: three in each of two objects is fine.
  EXPECT_EQ(code_of(R"({"a":{"a":1,"b":2},"b":2,"c":{"x":1,"y":2,"z":3}})", small), "ok");
  // Values that are strings are not keys.
  EXPECT_EQ(code_of(R"({"a":["x","y","z","w"]})", small), "ok");
}

TEST(JsonLimitsTest, InvalidUtf8RawOrEscapedIsRefused) {
  EXPECT_EQ(code_of("{\"a\":\"\xff\"}"), "invalid_utf8");
  EXPECT_EQ(code_of("{\"\xc0\xaf\":1}"), "invalid_utf8");
  EXPECT_EQ(code_of(R"({"a":"\ud800"})"), "invalid_utf8");
  EXPECT_EQ(code_of(R"({"a":"\udc00x"})"), "invalid_utf8");
  EXPECT_EQ(code_of(R"({"a":"\ud800\u0041"})"), "invalid_utf8");
  EXPECT_EQ(code_of(R"({"a":"\ud83d\ude00 \u00e9 \\ud800"})"), "ok");
}

TEST(JsonLimitsTest, ParseJsonReportsTheFirstProblem) {
  EXPECT_EQ(parse_json("{bad").err().code, errc::invalid_json);
  EXPECT_EQ(parse_json(std::string(100, '[')).err().code, errc::too_deep);
  auto ok = parse_json(R"({"a":[1,2,{"b":"c"}]})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value()["a"][2]["b"], "c");
}

}  // namespace
}  // namespace ct::msg
