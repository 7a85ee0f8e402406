#include "app/options.hpp"

#include <gtest/gtest.h>

namespace ct::app {
namespace {

TEST(OptionsTest, FlagsBeatEnvironmentBeatFileBeatDefaults) {
  config_file file{"c.json", R"({"port": 1111, "bind": "127.0.0.2", "scan_interval_ms": 100})"};
  auto only_file = assemble_config(file, {}, {});
  ASSERT_TRUE(only_file.ok()) << only_file.err().message;
  EXPECT_EQ(only_file.value().port, 1111);
  EXPECT_EQ(only_file.value().scan_interval_ms, 100);
  auto with_env = assemble_config(file, {{"CRYPTO_TRADING_PORT", "2222"}}, {});
  EXPECT_EQ(with_env.value().port, 2222);
  EXPECT_EQ(with_env.value().bind, "127.0.0.2");
  cli_args flags;
  flags.port = 3333;
  auto with_flags = assemble_config(file, {{"CRYPTO_TRADING_PORT", "2222"}}, flags);
  EXPECT_EQ(with_flags.value().port, 3333);
  auto defaults = assemble_config(std::nullopt, {}, {});
  EXPECT_EQ(defaults.value().port, 9012);
  EXPECT_EQ(defaults.value().bind, "127.0.0.1");
}

TEST(OptionsTest, ErrorsNameTheirSourceAndKey) {
  auto bad_file = assemble_config(config_file{"c.json", R"({"max_positions": 1000})"}, {}, {});
  ASSERT_FALSE(bad_file.ok());
  EXPECT_EQ(bad_file.err().message.rfind("configuration file c.json: max_positions", 0), 0u)
      << bad_file.err().message;
  auto not_json = assemble_config(config_file{"c.json", "{"}, {}, {});
  EXPECT_FALSE(not_json.ok());
  auto bad_env = assemble_config(std::nullopt, {{"CRYPTO_TRADING_PORT", "x"}}, {});
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.err().message.find("CRYPTO_TRADING_PORT"), std::string::npos);
  auto bad_token = assemble_config(std::nullopt, {{"CRYPTO_TRADING_API_TOKEN", "short"}}, {});
  ASSERT_FALSE(bad_token.ok());
  EXPECT_EQ(bad_token.err().message.rfind("environment: api_token", 0), 0u);
  cli_args flags;
  flags.log_level = "loud";
  auto bad_flag = assemble_config(std::nullopt, {}, flags);
  ASSERT_FALSE(bad_flag.ok());
  EXPECT_EQ(bad_flag.err().message.rfind("command line: log_level", 0), 0u);
}

TEST(OptionsTest, PublicBindNeedsAToken) {
  auto cfg = assemble_config(std::nullopt, {{"CRYPTO_TRADING_BIND", "0.0.0.0"}}, {});
  ASSERT_TRUE(cfg.ok());
  EXPECT_FALSE(check_exposure(cfg.value()).ok());
  cfg = assemble_config(
      std::nullopt,
      {{"CRYPTO_TRADING_BIND", "0.0.0.0"}, {"CRYPTO_TRADING_API_TOKEN", "long-enough-token"}}, {});
  EXPECT_TRUE(check_exposure(cfg.value()).ok());
  EXPECT_TRUE(check_exposure(assemble_config(std::nullopt, {}, {}).value()).ok());
}

TEST(OptionsTest, ExchangeCredentialsComeOnlyFromTheEnvironmentAndShowAsStars) {
  auto both = assemble_config(
      std::nullopt,
      {{"CRYPTO_TRADING_EXCHANGE_KEY", "k"}, {"CRYPTO_TRADING_EXCHANGE_SECRET", "s3cret"}}, {});
  ASSERT_TRUE(both.ok()) << both.err().message;
  EXPECT_EQ(both.value().exchange.credentials, "***");
  const auto shown = msg::to_json(both.value(), false).dump();
  EXPECT_EQ(shown.find("s3cret"), std::string::npos);
  EXPECT_EQ(assemble_config(std::nullopt, {}, {}).value().exchange.credentials, "");
  auto one = assemble_config(std::nullopt, {{"CRYPTO_TRADING_EXCHANGE_KEY", "k"}}, {});
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.err().message.find("set both"), std::string::npos) << one.err().message;
  // A line break would add headers of its own to the signed requests; never echoed.
  auto injected = assemble_config(std::nullopt,
                                  {{"CRYPTO_TRADING_EXCHANGE_KEY", "k\r\nX-Evil: 1"},
                                   {"CRYPTO_TRADING_EXCHANGE_SECRET", "s3cret"}},
                                  {});
  ASSERT_FALSE(injected.ok());
  EXPECT_NE(injected.err().message.find("printable ASCII"), std::string::npos);
  EXPECT_EQ(injected.err().message.find("X-Evil"), std::string::npos);
  auto in_file = assemble_config(
      config_file{"c.json", R"({"exchange": {"credentials": "k:s3cret"}})"}, {}, {});
  ASSERT_FALSE(in_file.ok());
  EXPECT_NE(in_file.err().message.find("only from the environment"), std::string::npos)
      << in_file.err().message;
}

}  // namespace
}  // namespace ct::app
