// The search's threads: any number of jobs finds the same trials in the same order, refusals
// are counted, a search stops when cancelled, and an error of the data stops it with the error.
// Also run under ThreadSanitizer (deploy/test).
#include "actors/search_pool.hpp"

#include <gtest/gtest.h>

#include "bundled_market.hpp"
#include "trading/candle_builders.hpp"

namespace ct::actors {
namespace {

std::vector<trading::candle_series> bundled() {
  return test::bundled_series();
}

search_plan crossover_plan(const std::vector<trading::candle_series>& data,
                           std::vector<std::string> space, std::uint64_t trials = 1000) {
  search_plan p;
  p.base.strategy.name = "sma_crossover";
  auto s = msg::parse_space(space, p.base);
  if (!s.ok())
    throw std::runtime_error(s.err().message);
  p.space = std::move(s.value());
  p.points = msg::trial_points(p.space.size(), trials, 7);
  p.windows = trading::walk_forward_windows(data, 3).value();
  p.how = {trading::objective::sharpe, 5};
  p.top = 5;
  return p;
}

search_tally run(const search_plan& plan, const std::vector<trading::candle_series>& data,
                 std::size_t jobs) {
  search_pool pool{plan, data, jobs, false, nullptr};
  pool.wait();
  EXPECT_FALSE(pool.failure().has_value());
  return pool.tally();
}

TEST(SearchPoolTest, AnyNumberOfJobsFindsTheSameTrials) {
  const auto data = bundled();
  const auto plan =
      crossover_plan(data, {"strategy.fast_period=3..12", "strategy.slow_period=8..30:2"}, 60);
  const auto one = run(plan, data, 1);
  const auto three = run(plan, data, 3);
  EXPECT_EQ(one.done, 60u);
  EXPECT_EQ(three.done, one.done);
  EXPECT_EQ(three.skipped, one.skipped);
  EXPECT_EQ(three.scored, one.scored);
  EXPECT_EQ(three.candle_evals, one.candle_evals);
  ASSERT_EQ(one.best.size(), 5u);
  ASSERT_EQ(three.best.size(), one.best.size());
  for (std::size_t i = 0; i < one.best.size(); ++i) {
    EXPECT_EQ(three.best[i].trial, one.best[i].trial) << "rank " << i;
    EXPECT_EQ(three.best[i].point, one.best[i].point);
    EXPECT_EQ(three.best[i].score.out_of_sample, one.best[i].score.out_of_sample);
    EXPECT_EQ(three.best[i].score.in_sample, one.best[i].score.in_sample);
  }
  for (std::size_t i = 1; i < one.best.size(); ++i)
    EXPECT_TRUE(trading::ranks_before(one.best[i - 1].score, one.best[i - 1].trial,
                                      one.best[i].score, one.best[i].trial));
}

TEST(SearchPoolTest, RefusedCombinationsAreCountedNotRun) {
  const auto data = bundled();
  // fast 10..12 against slow 8..12: fast must be below slow.
  const auto plan =
      crossover_plan(data, {"strategy.fast_period=10..12", "strategy.slow_period=8..12"});
  const auto t = run(plan, data, 2);
  EXPECT_EQ(t.done, 15u);
  EXPECT_EQ(t.skipped, 12u);  // all but (10,11) (10,12) (11,12)
  EXPECT_NE(t.first_refusal.find("less than"), std::string::npos) << t.first_refusal;
  EXPECT_EQ(t.candle_evals % 3, 0u);
  EXPECT_LE(t.best.size(), 3u);
}

TEST(SearchPoolTest, ACancelledSearchStopsAndKeepsWhatFinished) {
  const auto data = bundled();
  const auto plan =
      crossover_plan(data, {"strategy.fast_period=2..41", "strategy.slow_period=50..99"});
  ASSERT_EQ(plan.points.size(), 1000u);
  search_pool pool{plan, data, 2, true, nullptr};
  pool.cancel();
  pool.wait();
  EXPECT_TRUE(pool.finished());
  const auto t = pool.tally();
  EXPECT_LT(t.done, 1000u);
  EXPECT_LE(t.best.size(), plan.top);
}

TEST(SearchPoolTest, AWindowWithoutCandlesStopsTheSearchWithTheError) {
  std::vector<std::int64_t> closes(10, 100);
  auto early = test::flat_series("A-B", closes);
  auto late = test::flat_series("A-B", closes, 1'500'000'000'000 + 200 * test::step_5m);
  early.candles.insert(early.candles.end(), late.candles.begin(), late.candles.end());
  const std::vector<trading::candle_series> data{early};
  auto plan = crossover_plan(bundled(), {"strategy.fast_period=2..3"});
  plan.windows = trading::walk_forward_windows(data, 3).value();
  std::atomic<int> called{0};
  {
    search_pool pool{plan, data, 2, false, [&called] { ++called; }};
    pool.wait();
    ASSERT_TRUE(pool.failure().has_value());
    EXPECT_NE(pool.failure()->message.find("no candles"), std::string::npos);
  }  // joined: the last thread has returned from on_done
  EXPECT_EQ(called.load(), 1);
}

/// A worker in this process: runs its batches with run_trial, and goes away after `batches`.
remote_runner fake_worker(const search_plan& plan, const std::vector<trading::candle_series>& data,
                          std::shared_ptr<std::atomic<int>> batches_left) {
  return [&plan, &data, batches_left](const std::vector<std::uint64_t>& trials,
                                      std::vector<trial_run>& out, const std::atomic<bool>&) {
    if (batches_left->fetch_sub(1) <= 0)
      return false;  // gone: this batch is the others'
    for (const auto t : trials)
      out.push_back(run_trial(plan, data, t, nullptr));
    return true;
  };
}

TEST(SearchPoolTest, WorkersThatGoAwayLeaveTheSameResult) {
  const auto data = bundled();
  const auto plan =
      crossover_plan(data, {"strategy.fast_period=3..12", "strategy.slow_period=8..30:2"}, 60);
  const auto local = run(plan, data, 2);
  // Two workers and no local job: the first goes after two batches, the second stays.
  std::vector<remote_runner> workers{
      fake_worker(plan, data, std::make_shared<std::atomic<int>>(2)),
      fake_worker(plan, data, std::make_shared<std::atomic<int>>(1000))};
  search_pool pool{plan, data, 0, false, nullptr, workers, 3};
  pool.wait();
  ASSERT_FALSE(pool.failure().has_value());
  const auto remote = pool.tally();
  EXPECT_EQ(remote.done, local.done);
  EXPECT_EQ(remote.skipped, local.skipped);
  EXPECT_EQ(remote.candle_evals, local.candle_evals);
  ASSERT_EQ(remote.best.size(), local.best.size());
  for (std::size_t i = 0; i < local.best.size(); ++i) {
    EXPECT_EQ(remote.best[i].trial, local.best[i].trial);
    EXPECT_EQ(remote.best[i].score.out_of_sample, local.best[i].score.out_of_sample);
  }
}

TEST(SearchPoolTest, WhenEveryWorkerIsGoneTheSearchSaysSo) {
  const auto data = bundled();
  const auto plan = crossover_plan(data, {"strategy.fast_period=3..12"}, 60);
  std::vector<remote_runner> workers{
      fake_worker(plan, data, std::make_shared<std::atomic<int>>(1))};
  search_pool pool{plan, data, 0, false, nullptr, workers, 2};
  pool.wait();
  ASSERT_TRUE(pool.failure().has_value());
  EXPECT_NE(pool.failure()->message.find("every worker went away"), std::string::npos);
  EXPECT_EQ(pool.tally().done, 2u);
}

TEST(SearchPoolTest, LocalJobsTakeOverTheTrialsOfAWorkerThatWentAway) {
  const auto data = bundled();
  const auto plan =
      crossover_plan(data, {"strategy.fast_period=3..12", "strategy.slow_period=8..30:2"}, 60);
  std::vector<remote_runner> workers{
      fake_worker(plan, data, std::make_shared<std::atomic<int>>(0))};
  search_pool pool{plan, data, 1, false, nullptr, workers, 5};
  pool.wait();
  ASSERT_FALSE(pool.failure().has_value());
  EXPECT_EQ(pool.tally().done, 60u);
}

}  // namespace
}  // namespace ct::actors
