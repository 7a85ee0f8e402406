// JSON from an exchange, parsed no deeper than its answers go: hostile text (malformed, or
// nested past `max_depth`) is an error naming `what`, never a throw. Inside exchange/ only.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "trading/result.hpp"

namespace ct::exchange {

inline result<nlohmann::json> parse_bounded(const std::string& text, const std::string& what,
                                            std::size_t max_depth) {
  using nlohmann::json;
  std::size_t depth = 0;
  bool too_deep = false;
  auto j = json::parse(
      text,
      [&](int, json::parse_event_t e, json&) {
        if (e == json::parse_event_t::object_start || e == json::parse_event_t::array_start)
          too_deep = too_deep || ++depth > max_depth;
        else if (e == json::parse_event_t::object_end || e == json::parse_event_t::array_end)
          --depth;
        return true;
      },
      false);
  if (j.is_discarded() || too_deep)
    return make_error(errc::bad_data, what + " is not JSON (or nested too deep)");
  return j;
}

}  // namespace ct::exchange
