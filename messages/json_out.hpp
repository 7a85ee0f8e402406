// A minimal JSON object writer for the hottest renderings (/health, /api/status, timeline events,
// every WebSocket message), produced tens of thousands of times a second: it appends to one
// buffer with fmt (shortest round-trip doubles) instead of building a tree. Everything else uses
// nlohmann.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace ct::msg {

class json_out {
public:
  json_out() { buf_.push_back('{'); }

  json_out& field(std::string_view key, double v);
  json_out& field(std::string_view key, std::int64_t v);
  json_out& field(std::string_view key, std::uint64_t v);
  json_out& field(std::string_view key, bool v);
  json_out& field(std::string_view key, std::string_view v);
  json_out& field(std::string_view key, const char* v) { return field(key, std::string_view{v}); }
  json_out& null_field(std::string_view key);
  /// `json` must already be valid JSON (an object built by another json_out, say).
  json_out& raw_field(std::string_view key, std::string_view json);
  /// A JSON array of raw JSON values.
  json_out& raw_array(std::string_view key, const std::vector<std::string>& items);

  /// Closes the object and returns the text.
  std::string finish();

private:
  void key(std::string_view k);
  void string(std::string_view s);

  fmt::memory_buffer buf_;
  bool first_ = true;
};

}  // namespace ct::msg
