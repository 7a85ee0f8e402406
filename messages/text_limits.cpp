#include "messages/text_limits.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace ct::msg {

bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t extra = 0;
    unsigned char lo = 0x80;  // the range of the second byte (RFC 3629's table)
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0)
        lo = 0xA0;  // overlong
      if (c == 0xED)
        hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0)
        lo = 0x90;  // overlong
      if (c == 0xF4)
        hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= extra)
      return false;
    if (p[1] < lo || p[1] > hi)
      return false;
    for (std::size_t i = 2; i <= extra; ++i)
      if ((p[i] & 0xC0) != 0x80)
        return false;
    p += extra + 1;
  }
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

namespace {

/// The code unit of a \uXXXX escape starting at text[i] (the backslash), or -1.
long escape_unit(std::string_view text, std::size_t i) {
  if (i + 6 > text.size() || text[i + 1] != 'u')
    return -1;
  long v = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    const int h = hex_digit(text[i + k]);
    if (h < 0)
      return -1;
    v = v * 16 + h;
  }
  return v;
}

/// Finds the end of the string whose opening quote is at text[i]: `end` is its closing quote (or
/// the end of the text). An error when an escape names half a surrogate pair.
std::optional<ct::error> scan_string(std::string_view text, std::size_t i, std::size_t& end) {
  std::size_t j = i + 1;
  for (; j < text.size() && text[j] != '"'; ++j) {
    if (text[j] != '\\')
      continue;
    const long unit = escape_unit(text, j);
    if (unit >= 0xD800 && unit <= 0xDBFF) {  // a high surrogate needs a low one next
      const long next = j + 6 < text.size() && text[j + 6] == '\\' ? escape_unit(text, j + 6) : -1;
      if (next < 0xDC00 || next > 0xDFFF)
        return make_error(errc::invalid_utf8, "a \\u escape names half a surrogate pair");
      j += 11;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return make_error(errc::invalid_utf8, "a \\u escape names half a surrogate pair");
    } else {
      ++j;  // skips the escaped character (or the 'u'; its digits are plain)
    }
  }
  end = j < text.size() ? j : text.size();
  return std::nullopt;
}

}  // namespace

std::optional<ct::error> check_json(std::string_view text, const json_limits& limits) {
  if (!valid_utf8(text))
    return make_error(errc::invalid_utf8, "the JSON text is not valid UTF-8");
  // Per open container: whether it is an object, and how many keys it has so far. Deeper than
  // the limit is refused before anything is pushed, so the stack is bounded.
  constexpr std::size_t stack_cap = 1024;
  const std::size_t max_depth = limits.max_depth < stack_cap ? limits.max_depth : stack_cap;
  std::array<std::size_t, stack_cap> keys{};
  std::array<bool, stack_cap> is_object{};
  std::size_t depth = 0;
  bool expect_key = false;  // right after '{' or after ',' in an object
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      if (depth >= max_depth)
        return make_error(errc::too_deep, "JSON nesting deeper than " + std::to_string(max_depth));
      is_object[depth] = c == '{';
      keys[depth] = 0;
      ++depth;
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (depth > 0)
        --depth;
      expect_key = false;
    } else if (c == ',') {
      expect_key = depth > 0 && is_object[depth - 1];
    } else if (c == '"') {
      const bool key = expect_key;
      expect_key = false;
      std::size_t j = 0;
      if (auto bad = scan_string(text, i, j))
        return bad;
      const std::size_t length = j - (i + 1);
      if (key) {
        if (length > limits.max_key_bytes)
          return make_error(errc::too_long, "a key is longer than " +
                                                std::to_string(limits.max_key_bytes) + " bytes");
        if (depth > 0 && ++keys[depth - 1] > limits.max_keys)
          return make_error(errc::too_many_keys,
                            "an object has more than " + std::to_string(limits.max_keys) + " keys");
      } else if (length > limits.max_string_bytes) {
        return make_error(errc::too_long, "a string is longer than " +
                                              std::to_string(limits.max_string_bytes) + " bytes");
      }
      i = j;  // the closing quote (or the end)
    }
  }
  return std::nullopt;
}

result<nlohmann::json> parse_json(std::string_view text, const json_limits& limits) {
  if (auto e = check_json(text, limits))
    return *e;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded())
    return make_error(errc::invalid_json, "not valid JSON");
  return j;
}

std::string echoed(std::string_view client_text) {
  std::size_t cut = std::min<std::size_t>(client_text.size(), 64);
  while (cut < client_text.size() && cut > 0 &&
         (static_cast<unsigned char>(client_text[cut]) & 0xC0) == 0x80)
    --cut;
  return cut < client_text.size() ? std::string{client_text.substr(0, cut)} + "..."
                                  : std::string{client_text};
}

}  // namespace ct::msg
