// One HTTP request as the routes see it: copied out of Pistache's parser (whose Request is reset
// when onRequest returns), and an exactly-once reply that may be sent later from any thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "http/api_error.hpp"

namespace ct::http {

struct request {
  std::string method;  // "GET", "POST", ...
  std::string path;
  std::map<std::string, std::string> query;  // percent-decoded
  std::string body;
  std::string authorization;                // the Authorization header, if any
  std::optional<std::string> host;          // the Host header
  std::optional<std::string> origin;        // the Origin header (browsers send it)
  std::optional<std::string> content_type;  // the Content-Type header
  /// Whether the request line, the query and the headers are valid UTF-8, raw and
  /// percent-decoded (the server checks; a false here is 400 invalid_utf8).
  bool utf8 = true;
};

struct response {
  int status = 200;
  std::string body;  // JSON, unless content_type says otherwise
  const char* content_type = "application/json";
  const char* headers = "";     // further header lines, each ending in \r\n (static text)
  std::string allow;            // 405: the methods the path accepts ("GET, POST")
  bool auth_challenge = false;  // 401: WWW-Authenticate: Bearer
  bool close = false;           // Connection: close
};

/// Where one request's answer goes. Implementations send exactly once (later calls are
/// ignored) and are thread-safe.
class reply {
public:
  virtual ~reply() = default;
  virtual void send(response r) = 0;
};

using reply_ptr = std::shared_ptr<reply>;

void send_json(const reply_ptr& out, int status, std::string body);
void send_error(const reply_ptr& out, const api_error& e);

/// Decodes %XX and '+' in a query component; empty when malformed.
std::optional<std::string> percent_decode(const std::string& s);

}  // namespace ct::http
