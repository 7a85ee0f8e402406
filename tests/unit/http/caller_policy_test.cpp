#include "http/caller_policy.hpp"

#include <gtest/gtest.h>

namespace ct::http {
namespace {

class CallerPolicyTest : public ::testing::Test {
protected:
  CallerPolicyTest() {
    policy.bind = "127.0.0.1";
    policy.port = 9012;
  }

  bool host_ok(const char* host) { return !check_host(policy, std::string{host}); }
  bool origin_ok(const char* origin) { return !check_origin(policy, std::string{origin}); }

  caller_policy policy;
};

TEST_F(CallerPolicyTest, LoopbackHostsPassWithAnyPortOrNone) {
  for (const char* h : {"127.0.0.1", "127.0.0.1:9012", "127.1.2.3:80", "localhost", "LocalHost:1",
                        "localhost.", "app.localhost:9012", "[::1]", "[::1]:9012"})
    EXPECT_TRUE(host_ok(h)) << h;
  EXPECT_FALSE(check_host(policy, std::nullopt));  // HTTP/1.0 without Host
}

TEST_F(CallerPolicyTest, ForeignHostsAre421) {
  for (const char* h : {"evil.example", "evil.example:9012", "127.0.0.1.evil.example",
                        "localhost.evil.example", "10.0.0.1", "[::2]", "", ":9012", "[::1",
                        "127.0.0.1:99999", "127.0.0.1:x", "a b", "localhost:9012/x"}) {
    auto e = check_host(policy, std::string{h});
    ASSERT_TRUE(e) << h;
    EXPECT_EQ(e->status, 421);
    EXPECT_EQ(e->code, errc::misdirected_request);
  }
}

TEST_F(CallerPolicyTest, TheBoundAddressAndAllowedHostsPass) {
  policy.bind = "192.0.2.7";
  policy.allowed_hosts = {"trading.internal"};
  EXPECT_TRUE(host_ok("192.0.2.7:9012"));
  EXPECT_TRUE(host_ok("Trading.Internal:443"));
  EXPECT_FALSE(host_ok("other.internal"));
}

TEST_F(CallerPolicyTest, OnlyTheServicesOwnOriginPasses) {
  for (const char* o : {"http://127.0.0.1:9012", "http://localhost:9012", "HTTP://LOCALHOST:9012",
                        "http://[::1]:9012", "http://127.0.0.2:9012/"})
    EXPECT_TRUE(origin_ok(o)) << o;
  EXPECT_FALSE(check_origin(policy, std::nullopt));  // curl, scripts
  for (const char* o :
       {"null", "http://evil.example", "http://127.0.0.1:9013", "http://127.0.0.1",
        "https://127.0.0.1:9012", "http://localhost:9012.evil", "file://",
        "http://127.0.0.1:9012/page", "http://user@127.0.0.1:9012", "", "http://"}) {
    auto e = check_origin(policy, std::string{o});
    ASSERT_TRUE(e) << o;
    EXPECT_EQ(e->status, 403);
    EXPECT_EQ(e->code, errc::forbidden_origin);
  }
}

TEST_F(CallerPolicyTest, AllowedOriginsPassExactly) {
  policy.allowed_origins = {"http://localhost:9000"};
  EXPECT_TRUE(origin_ok("http://localhost:9000"));
  EXPECT_TRUE(origin_ok("http://LOCALHOST:9000/"));
  EXPECT_FALSE(origin_ok("http://localhost:9001"));
}

TEST(MediaTypeTest, OnlyJsonWithAnyParameters) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type(" Application/JSON ; charset=utf-8"));
  for (const char* t :
       {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/jsonx", "application/json5", "text/json"})
    EXPECT_FALSE(is_json_media_type(t)) << t;
}

}  // namespace
}  // namespace ct::http
