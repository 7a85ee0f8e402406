#include "actors/candle_files.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ct::actors {
namespace {

namespace fs = std::filesystem;

class CandleFilesTest : public ::testing::Test {
protected:
  CandleFilesTest() {
    root = fs::temp_directory_path() / ("ct-candle-files-" + std::to_string(::getpid()));
    fs::create_directories(root / "inside");
    fs::create_directories(root / "outside");
    policy.dirs = resolve_dirs({(root / "inside").string()});
  }
  ~CandleFilesTest() override { fs::remove_all(root); }

  std::string write(const fs::path& p, const std::string& text) {
    std::ofstream{p} << text;
    return p.string();
  }

  fs::path root;
  file_policy policy;
};

TEST_F(CandleFilesTest, ReadsRegularFilesInsideTheDirectories) {
  auto path = write(root / "inside" / "ADA_BTC-5m.csv", "abc");
  auto text = read_candle_text(path, policy);
  ASSERT_TRUE(text.ok()) << text.err().message;
  EXPECT_EQ(text.value(), "abc");
  // Through a relative detour that stays inside.
  auto detour = (root / "inside" / ".." / "inside" / "ADA_BTC-5m.csv").string();
  EXPECT_TRUE(read_candle_text(detour, policy).ok());
}

TEST_F(CandleFilesTest, AnythingOutsideIsForbiddenWhetherOrNotItExists) {
  auto outside = write(root / "outside" / "ADA_BTC-5m.csv", "abc");
  for (const auto& p : {outside, (root / "inside" / ".." / "outside" / "ADA_BTC-5m.csv").string(),
                        std::string{"/no/such/ADA_BTC-5m.csv"}, std::string{"/etc/passwd"}}) {
    auto r = read_candle_text(p, policy);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.err().code, errc::forbidden_path) << p;
  }
  fs::create_symlink(outside, root / "inside" / "XLM_BTC-5m.csv");
  auto r = read_candle_text((root / "inside" / "XLM_BTC-5m.csv").string(), policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::forbidden_path);
}

TEST_F(CandleFilesTest, FifosDevicesAndDirectoriesAreNotRead) {
  const auto fifo = root / "inside" / "ADA_BTC-5m.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = read_candle_text(fifo.string(), policy);  // returns at once: no writer is awaited
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("not a regular file"), std::string::npos);
  fs::create_directories(root / "inside" / "ETC_BTC-5m.csv");
  r = read_candle_text((root / "inside" / "ETC_BTC-5m.csv").string(), policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::invalid_value);
  file_policy anywhere;
  r = read_candle_text("/dev/zero", anywhere);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("not a regular file"), std::string::npos);
}

TEST_F(CandleFilesTest, SizeIsBoundedAndReadsCanBeCancelled) {
  auto path = write(root / "inside" / "ADA_BTC-5m.csv", std::string(1000, 'x'));
  policy.max_bytes = 999;
  auto r = read_candle_text(path, policy);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("larger than"), std::string::npos);
  policy.max_bytes = 1000;
  std::atomic<bool> cancel{true};
  policy.cancel = &cancel;
  r = read_candle_text(path, policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::actor_unavailable);  // 503: the service stops
  EXPECT_NE(r.err().message.find("the service stopped while reading"), std::string::npos);
  cancel = false;
  EXPECT_TRUE(read_candle_text(path, policy).ok());
}

}  // namespace
}  // namespace ct::actors
