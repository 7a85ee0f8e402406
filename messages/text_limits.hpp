// Limits on what clients and files send, checked before anything parses it. Every parser that
// reads outside input (HTTP bodies and query strings, WebSocket messages, configuration files)
// first passes its text through these checks, so that nesting, string sizes and invalid UTF-8
// are refused in one place with one error code each, and no recursive code downstream (a JSON
// dump, a merge patch, the configuration reader) ever sees a deeper document than it can walk.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "trading/result.hpp"

namespace ct::msg {

struct json_limits {
  std::size_t max_depth = 64;             // arrays and objects inside one another
  std::size_t max_string_bytes = 65'536;  // one string value, as written (escapes counted raw)
  std::size_t max_key_bytes = 256;        // one object key
  std::size_t max_keys = 1024;            // keys of one object
};

/// The value of a hexadecimal digit, or -1.
int hex_digit(char c);

/// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
/// U+10FFFF).
bool valid_utf8(std::string_view text);

/// What a client sent, as an error message may echo it: at most 64 bytes, cut between UTF-8
/// characters, with "..." when cut.
std::string echoed(std::string_view client_text);

/// Checks a JSON text against `limits` without parsing it into values: raw UTF-8, nesting depth,
/// string and key lengths, keys per object, and \u escapes that name no character (a lone
/// surrogate). Runs in one pass with constant memory, whatever the input. Errors:
/// invalid_utf8, too_deep, too_long, too_many_keys.
/// Anything else wrong with the syntax is left to the parser that runs next.
std::optional<ct::error> check_json(std::string_view text, const json_limits& limits = {});

/// check_json, then nlohmann's parser: the value, or the first error (invalid_json when the
/// syntax is wrong).
result<nlohmann::json> parse_json(std::string_view text, const json_limits& limits = {});

}  // namespace ct::msg
