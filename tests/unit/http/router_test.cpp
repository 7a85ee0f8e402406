#include "http/router.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ct::http {
namespace {

/// Keeps what was sent.
class captured_reply : public reply {
public:
  void send(response r) override {
    if (!sent) {
      sent = true;
      last = std::move(r);
    }
  }
  bool sent = false;
  response last;
};

int calls = 0;
void counting_route(const api_context&, const request&, const reply_ptr& out) {
  ++calls;
  send_json(out, 200, "{}");
}

class RouterTest : public ::testing::Test {
protected:
  RouterTest() {
    routes.add("GET", "/api/status", counting_route);
    routes.add("GET", "/api/config", counting_route);
    routes.add("POST", "/api/config", counting_route);
    routes.add("GET", "/health", counting_route);
    calls = 0;
  }

  response dispatch(std::string method, std::string path, std::string auth = {}) {
    auto out = std::make_shared<captured_reply>();
    request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.authorization = std::move(auth);
    routes.dispatch(ctx, req, out);
    EXPECT_TRUE(out->sent);
    return out->last;
  }

  static std::string code(const response& r) {
    return nlohmann::json::parse(r.body)["error"]["code"];
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  api_context ctx{sys, std::make_shared<msg::directory>()};
  router routes;
};

TEST_F(RouterTest, UnknownPathIs404AndWrongMethod405WithAllow) {
  EXPECT_EQ(dispatch("GET", "/nope").status, 404);
  EXPECT_EQ(code(dispatch("GET", "/api/nope")), "not_found");
  auto r = dispatch("DELETE", "/api/config");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "GET, POST");
  EXPECT_EQ(code(r), "method_not_allowed");
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(dispatch("GET", "/api/status/").status, 200);  // a trailing slash is tolerated
}

TEST_F(RouterTest, TokenGuardsApiPathsBeforeAnythingElseButNotHealth) {
  ctx.api_token = "s3cret-token";
  auto r = dispatch("GET", "/api/status");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.auth_challenge);
  EXPECT_EQ(code(r), "unauthorized");
  EXPECT_EQ(dispatch("GET", "/api/nope").status, 401);       // before 404
  EXPECT_EQ(dispatch("DELETE", "/api/config").status, 401);  // before 405
  EXPECT_EQ(dispatch("GET", "/api").status, 401);
  EXPECT_EQ(dispatch("GET", "/api/status", "Bearer wrong-token").status, 401);
  EXPECT_EQ(dispatch("GET", "/api/status", "Basic s3cret-token").status, 401);
  EXPECT_EQ(dispatch("GET", "/api/status", "Bearer s3cret-token").status, 200);
  EXPECT_EQ(dispatch("GET", "/api/status", "bEaReR s3cret-token").status, 200);
  EXPECT_EQ(dispatch("GET", "/health").status, 200);
}

TEST(AuthTest, ConstantTimeCompareIsExact) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abd", "abc"));
  EXPECT_FALSE(constant_time_equals("ab", "abc"));
  EXPECT_FALSE(constant_time_equals("abcd", "abc"));
  EXPECT_FALSE(constant_time_equals("", "abc"));
  EXPECT_FALSE(authorized("Bearer", "abc"));
  EXPECT_FALSE(authorized("Bearerabc", "abc"));
  EXPECT_TRUE(authorized("Bearer   abc ", "abc"));
}

}  // namespace
}  // namespace ct::http
