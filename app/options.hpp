// Where the configuration comes from: embedded defaults, then the JSON file (--config), then the
// environment (CRYPTO_TRADING_PORT, _BIND, _API_TOKEN), then the flags. Each layer is a merge
// patch, validated as it is applied so that an error says which source it came from. Pure:
// the caller reads the file and the environment.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/config.hpp"
#include "trading/result.hpp"

namespace ct::app {

/// The flags given on the command line.
struct cli_args {
  std::optional<std::int64_t> port;
  std::optional<std::string> bind;
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> log_level;
  std::vector<std::string> sets;  // --set key=value, applied after the other flags
};

/// The configuration file's text, as read by the caller.
struct config_file {
  std::string path;
  std::string text;
};

/// Builds the running configuration; the error's message names the source and the key.
result<msg::config> assemble_config(const std::optional<config_file>& file,
                                    const std::map<std::string, std::string>& env,
                                    const cli_args& flags);

/// "a.b=v" as the merge patch {"a":{"b":v}}; v is JSON when it parses, else a string.
result<nlohmann::json> set_patch(const std::string& kv);

/// Refuses to listen beyond loopback without an API token.
result<void> check_exposure(const msg::config& cfg);

}  // namespace ct::app
