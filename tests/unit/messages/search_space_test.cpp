// The search space: ranges and lists read against the configuration's types, clear errors for
// unknown or unsearchable keys and malformed specs, points numbered in mixed radix, and the
// trials drawn with a seed the same way every time.
#include "messages/search_space.hpp"

#include <set>

#include <gtest/gtest.h>

namespace ct::msg {
namespace {

using nlohmann::json;

config crossover() {
  config c;
  c.strategy.name = "sma_crossover";
  return c;
}

std::string error_of(const std::string& spec, const config& base = crossover()) {
  auto d = parse_dimension(spec, base);
  return d.ok() ? std::string{} : d.err().message;
}

TEST(SearchSpaceTest, AnIntegerRangeStepsByOne) {
  auto d = parse_dimension("strategy.fast_period=3..7", crossover());
  ASSERT_TRUE(d.ok()) << d.err().message;
  EXPECT_EQ(d.value().values, (std::vector<json>{3, 4, 5, 6, 7}));
  d = parse_dimension("strategy.slow_period=10..40:10", crossover());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().values, (std::vector<json>{10, 20, 30, 40}));
}

TEST(SearchSpaceTest, ADecimalRangeNeedsItsStepAndLandsOnIt) {
  EXPECT_NE(error_of("risk.stop_loss_pct=0.5..3").find("needs a step"), std::string::npos);
  auto d = parse_dimension("risk.stop_loss_pct=0.1..0.7:0.2", crossover());
  ASSERT_TRUE(d.ok()) << d.err().message;
  EXPECT_EQ(d.value().values, (std::vector<json>{0.1, 0.3, 0.5, 0.7})) << "no 0.30000000000000004";
}

TEST(SearchSpaceTest, ListsAndNames) {
  auto d = parse_dimension("strategy.name=sma_crossover,ema_crossover", crossover());
  ASSERT_TRUE(d.ok()) << d.err().message;
  EXPECT_EQ(d.value().values, (std::vector<json>{"sma_crossover", "ema_crossover"}));
  d = parse_dimension("max_positions=1,3,5", crossover());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().values.size(), 3u);
  d = parse_dimension("risk.take_profit_pct=1,1.5,2", crossover());
  ASSERT_TRUE(d.ok()) << "an integer is a fine decimal";
}

TEST(SearchSpaceTest, BadSpecsSayWhatIsWrong) {
  EXPECT_NE(error_of("strategy.nope=1..3").find("no such setting"), std::string::npos);
  EXPECT_NE(error_of("port=1..3").find("not a setting of the strategy or the risk rules"),
            std::string::npos);
  EXPECT_NE(error_of("strategy.symbols=a,b").find("not a setting"), std::string::npos);
  EXPECT_NE(error_of("strategy=1..2").find("no such setting"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=9..3").find("ends before it starts"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=a..b").find("expected LO..HI"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=1.5..3:0.5").find("whole numbers"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=3..9:0").find("above 0"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=3..9:-1").find("above 0"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=1..1000000000").find("at most"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=3,x").find("not a whole number"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=3,,4").find("empty value"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=3,3").find("given twice"), std::string::npos);
  EXPECT_NE(error_of("strategy.name=a..b").find("not a range"), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period").find("expected KEY="), std::string::npos);
  EXPECT_NE(error_of("strategy.fast_period=nan..inf").find("expected LO..HI"), std::string::npos);
}

TEST(SearchSpaceTest, AParameterTheStrategyDoesNotReadIsAnError) {
  config momentum;  // the default strategy
  auto s = parse_space({"strategy.fast_period=3..5"}, momentum);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.err().message.find("momentum does not read it"), std::string::npos);
  EXPECT_TRUE(
      parse_space({"strategy.fast_period=3..5", "strategy.name=sma_crossover,momentum"}, momentum)
          .ok());
  s = parse_space({"risk.stop_loss_pct=1,2", "risk.stop_loss_pct=3,4"}, momentum);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.err().message.find("given twice"), std::string::npos);
  EXPECT_FALSE(parse_space({}, momentum).ok());
}

TEST(SearchSpaceTest, PointsInMixedRadixLastDimensionFastest) {
  auto s = parse_space({"strategy.fast_period=3..4", "risk.stop_loss_pct=1,2,3"}, crossover());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value().size(), 6u);
  EXPECT_EQ(s.value().params(0), (json{{"strategy.fast_period", 3}, {"risk.stop_loss_pct", 1}}));
  EXPECT_EQ(s.value().params(4), (json{{"strategy.fast_period", 4}, {"risk.stop_loss_pct", 2}}));
  EXPECT_EQ(s.value().patch(5),
            (json{{"strategy", {{"fast_period", 4}}}, {"risk", {{"stop_loss_pct", 3}}}}));
}

TEST(SearchSpaceTest, TheConfigurationRefusesWhatItRefusesAnywhere) {
  auto s = parse_space({"strategy.fast_period=20..22", "strategy.slow_period=21,30"}, crossover());
  ASSERT_TRUE(s.ok());
  auto ok = trial_config(crossover(), s.value(), 1);  // 20, 30
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().strategy.fast_period, 20);
  EXPECT_EQ(ok.value().strategy.slow_period, 30);
  auto refused = trial_config(crossover(), s.value(), 2);  // 21, 21
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.err().message.find("less than"), std::string::npos) << refused.err().message;
}

TEST(SearchSpaceTest, TheWholeGridWhenItFits) {
  const auto p = trial_points(5, 5, 1);
  EXPECT_EQ(p, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
}

TEST(SearchSpaceTest, DrawnTrialsAreDistinctAndTheSameForTheSameSeed) {
  const auto a = trial_points(1'000'000, 1000, 42);
  const auto b = trial_points(1'000'000, 1000, 42);
  const auto c = trial_points(1'000'000, 1000, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  ASSERT_EQ(a.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<std::uint64_t>(a.begin(), a.end()).size(), 1000u);
  EXPECT_LT(a.back(), 1'000'000u);
  // Spread over the grid, not bunched at one end.
  EXPECT_LT(a.front(), 10'000u);
  EXPECT_GT(a.back(), 990'000u);
  // Nearly the whole grid: every point but one, still distinct.
  const auto d = trial_points(101, 100, 7);
  EXPECT_EQ(std::set<std::uint64_t>(d.begin(), d.end()).size(), 100u);
}

TEST(SearchSpaceTest, AHugeGridSaturates) {
  std::vector<std::string> specs;
  for (const char* k : {"risk.stop_loss_pct", "risk.take_profit_pct", "risk.trailing_stop_pct",
                        "risk.max_drawdown_pct", "paper.fee_pct", "paper.slippage_pct"})
    specs.push_back(std::string{k} + "=0..99.999:0.001");
  auto s = parse_space(specs, crossover());
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s.value().size(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(trial_points(s.value().size(), 10, 1).size(), 10u);
}

}  // namespace
}  // namespace ct::msg
