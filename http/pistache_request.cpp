#include "http/pistache_request.hpp"

#include <algorithm>
#include <cctype>

#include "http/wire.hpp"
#include "messages/text_limits.hpp"

namespace ct::http {

namespace H = Pistache::Http;

namespace {

constexpr std::size_t max_header_count = 100;
constexpr std::size_t max_header_bytes = 16 * 1024;  // the request line and every header

bool header_is(const std::string& name, std::string_view lower_name) {
  return name.size() == lower_name.size() &&
         std::equal(name.begin(), name.end(), lower_name.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

std::optional<std::string> header(const H::Request& req, const char* name) {
  if (auto h = req.headers().tryGetRaw(name))
    return h->value();
  return std::nullopt;
}

bool has_token(std::string value, std::string_view token) {
  for (auto& c : value)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value.find(token) != std::string::npos;
}

copied_request copy_request(const H::Request& req) {
  copied_request r;
  r.method = H::methodString(req.method());
  r.path = req.resource();
  const auto path = percent_decode(r.path);
  r.utf8 = msg::valid_utf8(r.path) && (!path || msg::valid_utf8(*path));
  const auto& q = req.query();
  for (auto it = q.parameters_begin(); it != q.parameters_end(); ++it) {
    auto key = percent_decode(it->first);
    auto value = percent_decode(it->second);
    if (!key || !value) {
      r.query_ok = false;
      continue;
    }
    r.utf8 = r.utf8 && msg::valid_utf8(*key) && msg::valid_utf8(*value);
    r.query.emplace(std::move(*key), std::move(*value));
  }
  for (const auto& [key, raw] : req.headers().rawList()) {
    r.utf8 = r.utf8 && msg::valid_utf8(raw.name()) && msg::valid_utf8(raw.value());
    if (header_is(raw.name(), "host"))
      r.host = raw.value();
    else if (header_is(raw.name(), "origin"))
      r.origin = raw.value();
    else if (header_is(raw.name(), "content-type"))
      r.content_type = raw.value();
    else if (header_is(raw.name(), "authorization"))
      r.authorization = raw.value();
  }
  return r;
}

std::optional<api_error> check_headers(const H::Request& req, bool complete) {
  const auto& raw = req.headers().rawList();
  if (raw.size() > max_header_count)
    return api_error{errc::headers_too_large, header_limits_message, ""};
  std::size_t bytes = req.resource().size();
  for (const auto& [key, h] : raw)
    bytes += h.name().size() + h.value().size() + 4;
  if (bytes > max_header_bytes)
    return api_error{errc::headers_too_large, header_limits_message, ""};
  if (complete && raw.count("Content-Length") != 0 && raw.count("Transfer-Encoding") != 0)
    return api_error{errc::bad_request,
                     "a request may not give both Content-Length and Transfer-Encoding", ""};
  return std::nullopt;
}

std::string handshake_of(const H::Request& req) {
  std::string out = "GET " + req.resource() + req.query().as_str() + " HTTP/1.1\r\n";
  for (const auto& [key, raw] : req.headers().rawList()) {
    out += raw.name();
    out += ": ";
    out += raw.value();
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace ct::http
