// The names of the service's codes and kinds: each value has one, distinct, snake_case, and the
// name reads back as the value. Clients and the database depend on these names never changing.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "http/api_error.hpp"
#include "messages/kinds.hpp"
#include "trading/errc.hpp"

namespace ct {
namespace {

bool snake_case(std::string_view s) {
  if (s.empty() || s.front() == '_' || s.back() == '_')
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

TEST(KindsTest, EveryErrorCodeHasOneNameThatReadsBack) {
  std::set<std::string> seen;
  for (auto i = static_cast<int>(errc::invalid_value); i <= static_cast<int>(errc::internal); ++i) {
    const auto code = static_cast<errc>(i);
    const std::string name = to_string(code);
    EXPECT_TRUE(snake_case(name)) << name;
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
    EXPECT_EQ(errc_from_string(name), code) << name;
    const int status = http::status_of(code);
    EXPECT_TRUE(status >= 400 && status <= 599) << name;
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(errc::internal));
  EXPECT_FALSE(errc_from_string("no_such_code").has_value());
  // The codes the contract names, with their statuses.
  EXPECT_EQ(http::status_of(errc::invalid_value), 422);
  EXPECT_EQ(http::status_of(errc::restart_required), 409);
  EXPECT_EQ(http::status_of(errc::forbidden_origin), 403);
  EXPECT_EQ(http::status_of(errc::misdirected_request), 421);
  EXPECT_EQ(http::status_of(errc::headers_too_large), 431);
  EXPECT_EQ(http::status_of(errc::shutting_down), 503);
}

template <class E>
void reads_back() {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < msg::names_of<E>::list.size(); ++i) {
    const auto value = static_cast<E>(i);
    const auto name = msg::name_of(value);
    EXPECT_TRUE(snake_case(name)) << name;
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
    EXPECT_EQ(msg::parse_kind<E>(name), value) << name;
  }
  EXPECT_FALSE(msg::parse_kind<E>("Up").has_value());
  EXPECT_FALSE(msg::parse_kind<E>("").has_value());
}

TEST(KindsTest, EveryKindHasOneNameThatReadsBack) {
  reads_back<msg::trading_mode>();
  reads_back<msg::actor_state>();
  reads_back<msg::health>();
  reads_back<msg::position_filter>();
  reads_back<msg::backtest_status>();
  EXPECT_EQ(msg::name_of(msg::trading_mode::live), "live");
  EXPECT_EQ(msg::name_of(msg::actor_state::unresponsive), "unresponsive");
}

}  // namespace
}  // namespace ct
