// A blocking HTTPS client for an exchange's REST API, over libcurl: TLS verified (with an extra
// CA file when given), plain http refused except on loopback (keys and orders never travel in
// clear), a timeout on every request, and a cancel flag that stops one in flight. One connection
// per client, kept alive between requests. Not thread-safe: one per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "trading/result.hpp"

namespace ct::exchange {

struct rest_options {
  std::string base_url;                // "https://api.binance.com"
  std::optional<std::string> ca_file;  // a CA to trust besides the system's
  std::chrono::milliseconds timeout{10'000};
  const std::atomic<bool>* cancel = nullptr;  // set: the request in flight stops
};

struct rest_response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
};

/// Whether `url` may be used: `secure` ("https", "wss") anywhere, `plain` ("http", "ws") only to
/// 127.0.0.0/8, ::1 or localhost. The error names the URL and says why.
result<void> check_url_scheme(const std::string& url, const std::string& secure,
                              const std::string& plain);

/// Whether `url` may be used: https anywhere, http only to 127.0.0.0/8, ::1 or localhost.
/// The error names the URL and says why.
result<void> check_base_url(const std::string& url);

class rest_client {
public:
  /// Checks the URL (check_base_url) and sets libcurl up.
  static result<std::unique_ptr<rest_client>> make(rest_options options);

  /// GET base_url + path (with its query). A transport failure (refused, timed out, TLS) or a
  /// cancel is an error; any HTTP answer is a response, whatever its status.
  result<rest_response> get(const std::string& path);

  /// `method` ("POST", "DELETE", "GET") of base_url + path with `headers` ("X-MBX-APIKEY: …"),
  /// no body: Binance's signed requests carry their parameters in the query.
  result<rest_response> send(const std::string& method, const std::string& path,
                             const std::vector<std::string>& headers);

  ~rest_client();
  rest_client(const rest_client&) = delete;
  rest_client& operator=(const rest_client&) = delete;

private:
  explicit rest_client(rest_options options);
  result<rest_response> perform(const std::string& method, const std::string& path,
                                const std::vector<std::string>& headers);

  rest_options options_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace ct::exchange
