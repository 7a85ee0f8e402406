#include "trading/candles.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace ct::trading {
namespace {

std::string read(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char* header = "timestamp_ms,open,high,low,close,volume\n";

TEST(CandlesTest, BundledCsvAndUpstreamJsonAgreeExactly) {
  auto csv = parse_candle_file(read(test::source_dir() + "/deploy/candles/ADA_BTC-5m.csv"),
                               "ADA_BTC-5m.csv");
  auto json = parse_candle_file(read(test::source_dir() + "/tests/data/ADA_BTC-5m.json"),
                                "ADA_BTC-5m.json");
  ASSERT_TRUE(csv.ok()) << csv.err().message;
  ASSERT_TRUE(json.ok()) << json.err().message;
  EXPECT_EQ(csv.value().symbol, "ADA-BTC");
  EXPECT_EQ(csv.value().step_ms, 300'000);
  ASSERT_EQ(csv.value().candles.size(), 5720u);
  ASSERT_EQ(json.value().candles.size(), 5720u);
  for (std::size_t i = 0; i < 5720; ++i) {
    const auto& a = csv.value().candles[i];
    const auto& b = json.value().candles[i];
    ASSERT_EQ(a.open_time_ms, b.open_time_ms);
    ASSERT_EQ(a.open, b.open);
    ASSERT_EQ(a.high, b.high);
    ASSERT_EQ(a.low, b.low);
    ASSERT_EQ(a.close, b.close);
    ASSERT_EQ(a.volume, b.volume);
  }
  EXPECT_EQ(csv.value().candles.front().open, price::from_units(5330));  // 5.33e-05
  // The data's README: 5 gaps, 40 candles missing, all on 2018-01-15.
  std::int64_t missing = 0;
  for (const auto& g : csv.value().gaps)
    missing += g.missing;
  EXPECT_EQ(csv.value().gaps.size(), 5u);
  EXPECT_EQ(missing, 40);
}

TEST(CandlesTest, CsvErrorsNameTheFileAndLine) {
  struct bad {
    std::string body;
    std::string expected;  // a piece of the message
  };
  const std::string ok_row = "1000,1,2,0.5,1.5,10\n";
  for (const auto& b : std::vector<bad>{
           {"time,o,h,l,c,v\n", "f.csv:1: expected the header"},
           {std::string{header} + ok_row + "2000,1,2,0.5,1.5\n", "f.csv:3: expected 6 fields"},
           {std::string{header} + ok_row + "2000,1,2,0.5,1.5,1,9\n", "f.csv:3: expected 6"},
           {std::string{header} + ok_row + "2000,abc,2,0.5,1.5,1\n", "f.csv:3: open is not"},
           {std::string{header} + ok_row + "2000,1,0.4,0.5,0.45,1\n", "f.csv:3: high < low"},
           {std::string{header} + ok_row + "2000,3,2,0.5,1.5,1\n", "f.csv:3: open or close"},
           {std::string{header} + ok_row + ok_row, "f.csv:3: duplicate timestamp 1000"},
           {std::string{header} + "2000,1,2,0.5,1.5,10\n" + ok_row, "f.csv:3: timestamps not"},
           {std::string{header} + ok_row + "2000,0,2,0,1.5,1\n", "f.csv:3: prices must be"},
           {std::string{header} + ok_row + "2000,1,2,0.5,1.5,-1\n", "f.csv:3: volume is"},
           {std::string{header} + ok_row, "f.csv:2: needs at least two candles"},
           {std::string{header} + ok_row + "2000,1,2,0.5,1.5,1\n3500,1,2,0.5,1.5,1\n",
            "f.csv:4: timestamp is off the 1000 ms grid"},
           {"", "f.csv:1: file is empty"},
       }) {
    auto r = parse_candles_csv(b.body, "f.csv");
    ASSERT_FALSE(r.ok()) << b.body;
    EXPECT_NE(r.err().message.find(b.expected), std::string::npos)
        << r.err().message << " does not contain " << b.expected;
  }
}

TEST(CandlesTest, JsonErrorsNameTheFileLineAndRow) {
  auto r = parse_candles_json("[[1000,1,2,0.5,1.5,10],\n [2000,1,2,0.5,1.5]]", "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("f.json:2: expected 6 numbers in a candle (row 2)"),
            std::string::npos)
      << r.err().message;
  r = parse_candles_json("[[1000,1,2,0.5,1.5,10],[1000,1,2,0.5,1.5,10]]", "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("duplicate timestamp"), std::string::npos);
  EXPECT_FALSE(parse_candles_json("{\"a\":1}", "f.json").ok());
  EXPECT_FALSE(parse_candles_json("[[1000,1,2,0.5,1.5,10]] trailing", "f.json").ok());
  EXPECT_TRUE(parse_candles_json("[[1000.0,1,2,0.5,1.5,10],[2000,1,2,0.5,1.5,10]]", "f.json").ok());
}

TEST(CandlesTest, FileNamesGiveSymbolsAndFormats) {
  const std::string body = std::string{header} + "1000,1,2,0.5,1.5,10\n2000,1,2,0.5,1.5,10\n";
  auto r = parse_candle_file(body, "/some/dir/XRP_USDT_USDT-5m-futures.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().symbol, "XRP-USDT");
  EXPECT_FALSE(parse_candle_file(body, "candles.csv").ok());
  EXPECT_FALSE(parse_candle_file(body, "ADA_BTC-5m.txt").ok());
}

}  // namespace
}  // namespace ct::trading
