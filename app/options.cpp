#include "app/options.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "messages/text_limits.hpp"

namespace ct::app {

namespace {

using nlohmann::json;

/// Applies `patch` to `merged` and validates the result; errors are prefixed by `source`.
result<void> apply_layer(json& merged, const json& patch, const std::string& source) {
  if (auto keys = msg::check_patch_keys(patch); !keys.ok()) {
    auto e = keys.err();
    e.message = source + ": " + e.message;
    return e;
  }
  json next = merged;
  next.merge_patch(patch);
  auto parsed = msg::config_from_json(next);
  if (!parsed.ok()) {
    auto e = parsed.err();
    e.message = source + ": " + e.message;
    return e;
  }
  merged = std::move(next);
  return {};
}

result<json> env_patch(const std::map<std::string, std::string>& env) {
  json patch = json::object();
  if (auto it = env.find("CRYPTO_TRADING_PORT"); it != env.end()) {
    std::int64_t port = -1;
    const auto& s = it->second;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
    if (ec != std::errc{} || ptr != s.data() + s.size())
      return make_error(errc::invalid_value,
                        "environment: CRYPTO_TRADING_PORT must be an integer from 0 to 65535, "
                        "not '" +
                            s + "'",
                        "port");
    patch["port"] = port;
  }
  if (auto it = env.find("CRYPTO_TRADING_BIND"); it != env.end())
    patch["bind"] = it->second;
  if (auto it = env.find("CRYPTO_TRADING_API_TOKEN"); it != env.end() && !it->second.empty())
    patch["api_token"] = it->second;
  // The exchange account's key and secret: only ever from here, shown as "***".
  const auto key = env.find("CRYPTO_TRADING_EXCHANGE_KEY");
  const auto secret = env.find("CRYPTO_TRADING_EXCHANGE_SECRET");
  const bool has_key = key != env.end() && !key->second.empty();
  const bool has_secret = secret != env.end() && !secret->second.empty();
  if (has_key != has_secret)
    return make_error(errc::invalid_value,
                      "environment: set both CRYPTO_TRADING_EXCHANGE_KEY and "
                      "CRYPTO_TRADING_EXCHANGE_SECRET, or neither",
                      "exchange.credentials");
  // Printable ASCII without spaces, as Binance's are: the key travels in a header, where a line
  // break would add headers of its own. Never echoed.
  const auto printable = [](const std::string& s) {
    return s.size() <= 512 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127; });
  };
  if (has_key && (!printable(key->second) || !printable(secret->second)))
    return make_error(errc::invalid_value,
                      "environment: CRYPTO_TRADING_EXCHANGE_KEY and CRYPTO_TRADING_EXCHANGE_SECRET "
                      "must be printable ASCII without spaces, at most 512 characters",
                      "exchange.credentials");
  if (has_key)
    patch["exchange"]["credentials"] = "***";
  return patch;
}

}  // namespace

result<msg::config> assemble_config(const std::optional<config_file>& file,
                                    const std::map<std::string, std::string>& env,
                                    const cli_args& flags) {
  json merged = msg::to_json(msg::config{}, false);
  if (file) {
    auto parsed = msg::parse_json(file->text);
    if (!parsed.ok())
      return make_error(errc::invalid_value,
                        "configuration file " + file->path + ": " + parsed.err().message);
    json patch = std::move(parsed.value());
    if (!patch.is_object())
      return make_error(errc::invalid_value,
                        "configuration file " + file->path + ": must be a JSON object");
    if (auto r = apply_layer(merged, patch, "configuration file " + file->path); !r.ok())
      return r.err();
  }
  auto from_env = env_patch(env);
  if (!from_env.ok())
    return from_env.err();
  if (auto r = apply_layer(merged, from_env.value(), "environment"); !r.ok())
    return r.err();
  json from_flags = json::object();
  if (flags.port)
    from_flags["port"] = *flags.port;
  if (flags.bind)
    from_flags["bind"] = *flags.bind;
  if (flags.data_dir)
    from_flags["data_dir"] = *flags.data_dir;
  if (flags.log_level)
    from_flags["log_level"] = *flags.log_level;
  if (auto r = apply_layer(merged, from_flags, "command line"); !r.ok())
    return r.err();
  for (const auto& kv : flags.sets) {
    auto p = set_patch(kv);
    if (!p.ok())
      return p.err();
    if (auto r = apply_layer(merged, p.value(), "--set " + kv); !r.ok())
      return r.err();
  }
  return msg::config_from_json(merged);
}

result<json> set_patch(const std::string& kv) {
  const auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    return make_error(errc::invalid_value, "--set " + kv + ": expected key=value");
  auto parsed = msg::parse_json(kv.substr(eq + 1));
  json value = parsed.ok() ? std::move(parsed.value()) : json(kv.substr(eq + 1));
  return msg::dotted_patch(kv.substr(0, eq), std::move(value));
}

result<void> check_exposure(const msg::config& cfg) {
  if (!msg::is_loopback(cfg.bind) && cfg.api_token.empty())
    return make_error(errc::invalid_value,
                      "refusing to listen on " + cfg.bind +
                          " without an API token: set CRYPTO_TRADING_API_TOKEN (or api_token "
                          "in the configuration file), or bind to a loopback address",
                      "bind");
  return {};
}

}  // namespace ct::app
