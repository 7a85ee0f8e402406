// libFuzzer target: a request body as POST /api/config and POST /api/trading/stop read it
// (limits, JSON, the merge patch and the configuration's validation). Nothing may crash, hang
// or leak, and what is refused must be refused with one of the API's error codes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "http/input.hpp"
#include "messages/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto parsed = ct::http::parse_object(body, false);
  if (auto* err = std::get_if<ct::http::api_error>(&parsed)) {
    if (err->status != 400)
      std::abort();
    return 0;
  }
  const auto& patch = std::get<nlohmann::json>(parsed);
  (void)ct::http::only_keys(patch, {"close_positions"});
  auto next = ct::msg::merge_patch(ct::msg::config{}, patch);
  if (next.ok()) {
    // A configuration that validated renders and reads back as itself.
    auto again = ct::msg::config_from_json(ct::msg::to_json(next.value(), false));
    if (!again.ok())
      std::abort();
  }
  return 0;
}
