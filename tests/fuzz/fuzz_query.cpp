// libFuzzer target: a query string and the request headers the browser checks read, as the
// server and the routes read them: percent-decoding, the parameter checks of GET
// /api/timeline and /api/positions, Host, Origin and Content-Type.
#include <cstdint>
#include <string>

#include "http/caller_policy.hpp"
#include "http/input.hpp"
#include "messages/text_limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ct::http::request req;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('&', start);
    if (end == std::string::npos)
      end = text.size();
    const auto part = text.substr(start, end - start);
    const auto eq = part.find('=');
    auto key = ct::http::percent_decode(part.substr(0, eq));
    auto value = ct::http::percent_decode(eq == std::string::npos ? "" : part.substr(eq + 1));
    if (key && value && ct::msg::valid_utf8(*key) && ct::msg::valid_utf8(*value))
      req.query.emplace(std::move(*key), std::move(*value));
    start = end + 1;
  }
  ct::http::query_reader q{req};
  (void)q.integer("limit", 1, 1000);
  (void)q.integer("before_seq", 1, UINT64_MAX);
  (void)q.one_of("state", {"open", "closed", "all"});
  (void)q.symbol("symbol", {"ADA-BTC", "ETC-BTC"});
  (void)q.text("type");
  (void)q.finish();

  ct::http::caller_policy policy;
  policy.bind = "127.0.0.1";
  policy.port = 9012;
  policy.allowed_hosts = {"gateway.example"};
  policy.allowed_origins = {"http://localhost:9000"};
  (void)ct::http::check_host(policy, text);
  (void)ct::http::check_origin(policy, text);
  (void)ct::http::is_json_media_type(text);
  return 0;
}
