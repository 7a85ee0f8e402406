#include "http/caller_policy.hpp"

#include <algorithm>
#include <cctype>

#include <arpa/inet.h>

namespace ct::http {

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct host_port {
  std::string host;  // lower case, IPv6 without brackets
  std::optional<std::uint32_t> port;
};

/// "name", "name:port", "[v6]" or "[v6]:port"; nothing when malformed.
std::optional<host_port> split_host(std::string_view s) {
  host_port out;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos)
      return std::nullopt;
    out.host = lower(s.substr(1, close - 1));
    const auto rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return std::nullopt;
      port = rest.substr(1);
    }
  } else {
    const auto colon = s.find(':');
    out.host = lower(s.substr(0, colon));
    if (colon != std::string_view::npos)
      port = s.substr(colon + 1);
  }
  if (out.host.empty())
    return std::nullopt;
  for (char c : out.host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '_'))
      return std::nullopt;
  if (!port.empty()) {
    if (port.size() > 5)
      return std::nullopt;
    std::uint32_t v = 0;
    for (char c : port) {
      if (c < '0' || c > '9')
        return std::nullopt;
      v = v * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (v > 65535)
      return std::nullopt;
    out.port = v;
  }
  return out;
}

struct origin_parts {
  std::string scheme;
  host_port where;
};

std::optional<origin_parts> split_origin(std::string_view s) {
  const auto sep = s.find("://");
  if (sep == std::string_view::npos || sep == 0)
    return std::nullopt;
  origin_parts out;
  out.scheme = lower(s.substr(0, sep));
  for (char c : out.scheme)
    if (!std::isalpha(static_cast<unsigned char>(c)))
      return std::nullopt;
  auto rest = s.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/')
    rest.remove_suffix(1);
  if (rest.find_first_of("/?#@ ") != std::string_view::npos)
    return std::nullopt;
  auto where = split_host(rest);
  if (!where)
    return std::nullopt;
  out.where = std::move(*where);
  return out;
}

bool same_address(const std::string& a, const std::string& b) {
  return !a.empty() && lower(a) == b;
}

/// The canonical form compared against http.allowed_origins: lower case, no trailing slash.
std::string canonical_origin(std::string_view s) {
  auto out = lower(s);
  if (!out.empty() && out.back() == '/')
    out.pop_back();
  return out;
}

}  // namespace

bool is_loopback_name(std::string_view host) {
  const auto h = lower(host);
  constexpr std::string_view suffix = ".localhost";
  if (h == "localhost" || h == "localhost." ||
      (h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0))
    return true;
  unsigned char buf[16];
  if (inet_pton(AF_INET, h.c_str(), buf) == 1)
    return buf[0] == 127;
  return inet_pton(AF_INET6, h.c_str(), buf) == 1 &&
         std::all_of(buf, buf + 15, [](unsigned char b) { return b == 0; }) && buf[15] == 1;
}

std::optional<api_error> check_host(const caller_policy& p,
                                    const std::optional<std::string>& host) {
  if (!host)
    return std::nullopt;
  const api_error refused{errc::misdirected_request,
                          "this service answers only to its loopback names, its bound address "
                          "and http.allowed_hosts (Host: " +
                              host->substr(0, 100) + ")",
                          ""};
  auto hp = split_host(*host);
  if (!hp)
    return refused;
  if (is_loopback_name(hp->host) || same_address(p.bind, hp->host))
    return std::nullopt;
  if (std::find(p.allowed_hosts.begin(), p.allowed_hosts.end(), hp->host) != p.allowed_hosts.end())
    return std::nullopt;
  return refused;
}

std::optional<api_error> check_origin(const caller_policy& p,
                                      const std::optional<std::string>& origin) {
  if (!origin)
    return std::nullopt;
  const auto canonical = canonical_origin(*origin);
  if (std::find(p.allowed_origins.begin(), p.allowed_origins.end(), canonical) !=
      p.allowed_origins.end())
    return std::nullopt;
  if (auto o = split_origin(*origin); o && o->scheme == "http" &&
                                      o->where.port.value_or(80) == p.port.load() &&
                                      is_loopback_name(o->where.host))
    return std::nullopt;
  return api_error{errc::forbidden_origin,
                   "requests from web pages on other origins are refused (Origin: " +
                       origin->substr(0, 100) + "); see http.allowed_origins",
                   ""};
}

bool is_json_media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
    type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
    type.remove_prefix(1);
  return lower(type) == "application/json";
}

}  // namespace ct::http
