#include "trading/record_log.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

struct record {
  std::int64_t id = 0;
  double value = 0;
};

TEST(RecordLogTest, KeepsEveryRecordInOrderAsItGrows) {
  record_log<record> log;
  EXPECT_TRUE(log.empty());
  for (std::int64_t i = 0; i < 100'000; ++i)  // grows through many reallocations
    log.push_back({i, static_cast<double>(i) / 2});
  ASSERT_EQ(log.size(), 100'000u);
  EXPECT_GE(log.capacity(), log.size());
  std::int64_t want = 0;
  for (const auto& r : log) {
    ASSERT_EQ(r.id, want);
    ASSERT_EQ(r.value, static_cast<double>(want) / 2);
    ++want;
  }
  EXPECT_EQ(log.front().id, 0);
  EXPECT_EQ(log.back().id, 99'999);
  EXPECT_EQ(log[4'242].id, 4'242);
}

TEST(RecordLogTest, CopiesAreIndependentAndMovesLeaveTheSourceEmpty) {
  record_log<record> a;
  for (std::int64_t i = 0; i < 1'000; ++i)
    a.push_back({i, 0});
  record_log<record> b = a;
  b.push_back({1'000, 0});
  EXPECT_EQ(a.size(), 1'000u);
  EXPECT_EQ(b.size(), 1'001u);
  EXPECT_EQ(b[999].id, 999);
  record_log<record> c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty, by contract
  EXPECT_EQ(c.size(), 1'001u);
  a = c;
  EXPECT_EQ(a.size(), 1'001u);
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(c.back().id, 1'000);
  record_log<record> empty;
  record_log<record> copy = empty;
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(copy.begin(), copy.end());
}

/// The flags of the memory mapping holding [first, last), from /proc/self/smaps; empty when no
/// one mapping holds it all.
std::string mapping_flags(const void* first, const void* last) {
  std::ifstream smaps{"/proc/self/smaps"};
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t from = 0;
    std::uintptr_t to = 0;
    char dash = 0;
    std::istringstream head{line};
    if (head >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= reinterpret_cast<std::uintptr_t>(first) &&
               reinterpret_cast<std::uintptr_t>(last) <= to;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0)
      return line;
  }
  return {};
}

TEST(RecordLogTest, LargeLogsStayOneMappingAdvisedAsHugePages) {
  if (!std::ifstream{"/sys/kernel/mm/transparent_hugepage/enabled"})
    GTEST_SKIP() << "no transparent huge pages on this kernel";
  record_log<record> log;
  for (std::int64_t i = 0; i < 1'000'000; ++i)  // 16 MB, grown by realloc from 1 KiB
    log.push_back({i, 0});
  // One mapping holds the whole block, to its capacity (the advice did not split it, so realloc
  // could keep moving it with mremap), and it carries the advice ("hg").
  const std::string flags = mapping_flags(log.begin(), log.begin() + log.capacity());
  ASSERT_FALSE(flags.empty()) << "no single mapping holds the log";
  EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  EXPECT_EQ(log[999'999].id, 999'999);
}

}  // namespace
}  // namespace ct::trading
