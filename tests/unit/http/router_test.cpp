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
  api_context ctx{sys, std::make_shared<msg::port_table>()};
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

TEST_F(RouterTest, APatternMatchesOneSegmentBetweenItsPrefixAndSuffix) {
  routes.add_pattern("POST", "/api/positions/", "/close", counting_route);
  routes.add("GET", "/api/positions", counting_route);
  EXPECT_EQ(dispatch("POST", "/api/positions/17/close").status, 200);
  EXPECT_EQ(calls, 1);
  for (const char* path : {"/api/positions//close", "/api/positions/17/close/x",
                           "/api/positions/1/2/close", "/api/positions/17", "/api/positions/close"})
    EXPECT_EQ(dispatch("POST", path).status, 404) << path;
  auto r = dispatch("GET", "/api/positions/17/close");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "POST");
  EXPECT_NE(r.body.find("/api/positions/{id}/close"), std::string::npos);
  EXPECT_EQ(dispatch("GET", "/api/positions").status, 200);  // the exact path still wins
  EXPECT_EQ(calls, 2);
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

TEST_F(RouterTest, ChecksApplyInTheContractsOrder) {
  // 421, 403, 401, 400 (request line), 404/405, 415; one request failing all of them at once
  // gets each answer in turn as the earlier problems are mended.
  ctx.api_token = "s3cret-token";
  ctx.policy.port = 9012;
  request req;
  req.method = "PUT";
  req.path = "/api/nope";
  req.host = "evil.example:9012";
  req.origin = "http://evil.example";
  req.body = "{}";
  req.content_type = "text/plain";
  req.utf8 = false;
  auto answer = [&] {
    auto out = std::make_shared<captured_reply>();
    routes.dispatch(ctx, req, out);
    return std::make_pair(out->last.status,
                          out->last.status == 200 ? std::string{} : code(out->last));
  };
  EXPECT_EQ(answer(), std::make_pair(421, std::string{"misdirected_request"}));
  req.host = "localhost:9012";
  EXPECT_EQ(answer(), std::make_pair(403, std::string{"forbidden_origin"}));
  req.origin = "http://localhost:9012";
  EXPECT_EQ(answer(), std::make_pair(401, std::string{"unauthorized"}));
  req.authorization = "Bearer s3cret-token";
  EXPECT_EQ(answer(), std::make_pair(400, std::string{"invalid_utf8"}));
  req.utf8 = true;
  EXPECT_EQ(answer(), std::make_pair(404, std::string{"not_found"}));
  req.path = "/api/config";
  EXPECT_EQ(answer(), std::make_pair(405, std::string{"method_not_allowed"}));
  req.method = "POST";
  EXPECT_EQ(answer(), std::make_pair(415, std::string{"unsupported_media_type"}));
  EXPECT_EQ(calls, 0);
  req.content_type = "Application/JSON; charset=utf-8";
  EXPECT_EQ(answer().first, 200);
  EXPECT_EQ(calls, 1);
}

TEST_F(RouterTest, APostWithoutABodyNeedsNoType) {
  auto out = std::make_shared<captured_reply>();
  request req;
  req.method = "POST";
  req.path = "/api/config";
  routes.dispatch(ctx, req, out);
  EXPECT_EQ(out->last.status, 200);
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
