#include "http/input.hpp"

#include <charconv>

#include "messages/text_limits.hpp"

namespace ct::http {

std::optional<std::string> query_reader::text(const char* key) {
  known_.insert(key);
  if (error_)
    return std::nullopt;
  auto it = req_.query.find(key);
  if (it == req_.query.end() || it->second.empty())
    return std::nullopt;
  return it->second;
}

std::optional<std::string> query_reader::one_of(const char* key,
                                                std::initializer_list<const char*> allowed) {
  auto v = text(key);
  if (!v)
    return std::nullopt;
  std::string list;
  for (const char* a : allowed) {
    if (*v == a)
      return v;
    list += (list.empty() ? "" : ", ") + std::string{a};
  }
  error_ = api_error(errc::invalid_value, std::string{key} + " must be one of " + list, key);
  return std::nullopt;
}

std::optional<std::uint64_t> query_reader::integer(const char* key, std::uint64_t lo,
                                                   std::uint64_t hi) {
  auto v = text(key);
  if (!v)
    return std::nullopt;
  std::uint64_t x = 0;
  const auto* end = v->data() + v->size();
  auto [ptr, ec] = std::from_chars(v->data(), end, x);
  if (ec != std::errc{} || ptr != end || x < lo || x > hi) {
    error_ = api_error(errc::invalid_value,
                       std::string{key} + " must be an integer from " + std::to_string(lo) +
                           " to " + std::to_string(hi),
                       key);
    return std::nullopt;
  }
  return x;
}

std::optional<nlohmann::json> body_object(const request& req, const reply_ptr& out,
                                          std::initializer_list<const char*> allowed) {
  if (!no_params(req, out))
    return std::nullopt;
  auto body = parse_object(req.body, false);
  if (auto* err = std::get_if<api_error>(&body)) {
    send_error(out, *err);
    return std::nullopt;
  }
  auto& obj = std::get<nlohmann::json>(body);
  if (auto err = only_keys(obj, allowed)) {
    send_error(out, *err);
    return std::nullopt;
  }
  return std::move(obj);
}

std::optional<std::string> path_id(const request& req, const std::string& prefix,
                                   const reply_ptr& out) {
  if (!no_params(req, out))
    return std::nullopt;
  std::string id = req.path.substr(prefix.size());
  if (id.empty() || id.find('/') != std::string::npos) {
    send_error(out, {errc::not_found, "no such path: " + req.path, ""});
    return std::nullopt;
  }
  return id;
}

bool no_params(const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (auto err = q.finish()) {
    send_error(out, *err);
    return false;
  }
  return true;
}

std::optional<std::string> query_reader::symbol(const char* key,
                                                const std::set<std::string>& known) {
  auto v = text(key);
  if (!v)
    return std::nullopt;
  if (known.count(*v) == 0) {
    error_ = api_error(errc::unknown_symbol, "the exchange does not list " + *v, key);
    return std::nullopt;
  }
  return v;
}

std::optional<api_error> query_reader::finish() {
  if (error_)
    return error_;
  for (const auto& [key, value] : req_.query)
    if (known_.count(key) == 0)
      return api_error(errc::unknown_parameter, "unknown query parameter '" + key + "'", key);
  return std::nullopt;
}

std::variant<nlohmann::json, api_error> parse_object(const std::string& body, bool required) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (required)
      return bad_request("the body must be a JSON object");
    return nlohmann::json::object();
  }
  auto parsed = msg::parse_json(body);
  if (!parsed.ok()) {
    if (parsed.err().code == errc::invalid_json)
      return bad_request("the body is not valid JSON");
    return api_error{parsed.err().code, "the body: " + parsed.err().message};
  }
  auto& j = parsed.value();
  if (!j.is_object())
    return bad_request("the body must be a JSON object");
  return std::move(j);
}

std::optional<api_error> only_keys(const nlohmann::json& obj,
                                   std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = false;
    for (const char* a : allowed)
      ok = ok || key == a;
    if (!ok)
      return api_error(errc::unknown_key, "unknown key '" + key + "'", key);
  }
  return std::nullopt;
}

}  // namespace ct::http
