// Reads one JSON object of the configuration key by key, checking types and ranges. The first
// problem wins and names its dotted path; keys it was not asked for are `unknown_key`. A null
// value keeps the default. Internal to config.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/kinds.hpp"
#include "trading/result.hpp"

namespace ct::msg {

class config_reader {
public:
  /// Returns a complaint about a string, or nothing when it is fine.
  using check = std::function<std::optional<std::string>(const std::string&)>;

  config_reader(const nlohmann::json& obj, std::string prefix);

  void integer(const char* key, std::int64_t& out, std::int64_t lo, std::int64_t hi);
  /// A number in [lo, hi], or (lo, hi] when `lo_inclusive` is false.
  void number(const char* key, double& out, double lo, double hi, bool lo_inclusive = true);
  void boolean(const char* key, bool& out);
  void one_of(const char* key, std::string& out, std::initializer_list<std::string_view> allowed);
  void one_of(const char* key, std::string& out, const std::string_view* allowed, std::size_t n);
  /// One of an enum's names (messages/kinds.hpp).
  template <class E, class = decltype(names_of<E>::list)>
  void one_of(const char* key, E& out) {
    std::string name{name_of(out)};
    one_of(key, name, names_of<E>::list.data(), names_of<E>::list.size());
    out = parse_kind<E>(name).value_or(out);
  }
  void text(const char* key, std::string& out, const check& ok);
  void strings(const char* key, std::vector<std::string>& out, const check& ok);
  /// A nested object, read by the returned reader; empty when absent, null or already failed.
  std::optional<config_reader> group(const char* key);
  /// Reports the first key nobody asked for.
  void finish();

  std::optional<ct::error> error() const { return *error_; }

private:
  config_reader(const nlohmann::json& obj, std::string prefix,
                std::shared_ptr<std::optional<ct::error>> slot);
  /// The value of `key` if present, not null and no error happened yet.
  const nlohmann::json* get(const char* key);
  void fail(const char* key, const std::string& what, errc code = errc::invalid_value);
  std::string path(const char* key) const;

  const nlohmann::json& obj_;
  std::string prefix_;
  std::set<std::string> known_;
  std::shared_ptr<std::optional<ct::error>> error_;
};

}  // namespace ct::msg
