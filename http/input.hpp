// Validation of what clients send: query parameters and JSON bodies. Each check either yields
// the value or the API error to answer with (422 naming the parameter, 400 for bad JSON).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/request.hpp"

namespace ct::http {

/// Reads query parameters; an empty value counts as absent. The first problem wins.
class query_reader {
public:
  explicit query_reader(const request& req) : req_(req) {}

  std::optional<std::string> text(const char* key);
  std::optional<std::string> one_of(const char* key, std::initializer_list<const char*> allowed);
  std::optional<std::uint64_t> integer(const char* key, std::uint64_t lo, std::uint64_t hi);
  /// A symbol the exchange lists, else 422 unknown_symbol.
  std::optional<std::string> symbol(const char* key, const std::set<std::string>& known);

  /// The first problem, including a parameter nobody asked for (422 unknown_parameter).
  std::optional<api_error> finish();

private:
  const request& req_;
  std::set<std::string> known_;
  std::optional<api_error> error_;
};

/// False, with 422 unknown_parameter answered, when a route that takes no query parameters got
/// one.
bool no_params(const request& req, const reply_ptr& out);

/// The body as a JSON object; an empty body is `{}` unless `required`.
std::variant<nlohmann::json, api_error> parse_object(const std::string& body, bool required);

/// 422 unknown_key for the first key of `obj` not in `allowed`.
std::optional<api_error> only_keys(const nlohmann::json& obj,
                                   std::initializer_list<const char*> allowed);

/// The body of a POST that takes no query parameters, as an object of `allowed` keys only;
/// nothing, with the error answered, otherwise.
std::optional<nlohmann::json> body_object(const request& req, const reply_ptr& out,
                                          std::initializer_list<const char*> allowed);

/// The {id} of a path `prefix`{id}, after a check that no query parameter came; nothing, with
/// 404 (or 422) answered, when it is empty or has a '/'.
std::optional<std::string> path_id(const request& req, const std::string& prefix,
                                   const reply_ptr& out);

}  // namespace ct::http
