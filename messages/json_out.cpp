#include "messages/json_out.hpp"

#include <cmath>

namespace ct::msg {

void json_out::key(std::string_view k) {
  if (!first_)
    buf_.push_back(',');
  first_ = false;
  string(k);
  buf_.push_back(':');
}

void json_out::string(std::string_view s) {
  buf_.push_back('"');
  std::size_t run = 0;  // start of the characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    buf_.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        buf_.append(std::string_view{"\\\""});
        break;
      case '\\':
        buf_.append(std::string_view{"\\\\"});
        break;
      case '\n':
        buf_.append(std::string_view{"\\n"});
        break;
      case '\r':
        buf_.append(std::string_view{"\\r"});
        break;
      case '\t':
        buf_.append(std::string_view{"\\t"});
        break;
      default:
        fmt::format_to(std::back_inserter(buf_), "\\u{:04x}", static_cast<unsigned>(c));
    }
  }
  buf_.append(s.substr(run));
  buf_.push_back('"');
}

json_out& json_out::field(std::string_view k, double v) {
  key(k);
  if (std::isfinite(v))
    fmt::format_to(std::back_inserter(buf_), "{}", v);
  else
    buf_.append(std::string_view{"null"});  // JSON has no NaN or infinity
  return *this;
}

json_out& json_out::field(std::string_view k, std::int64_t v) {
  key(k);
  fmt::format_to(std::back_inserter(buf_), "{}", v);
  return *this;
}

json_out& json_out::field(std::string_view k, std::uint64_t v) {
  key(k);
  fmt::format_to(std::back_inserter(buf_), "{}", v);
  return *this;
}

json_out& json_out::field(std::string_view k, bool v) {
  key(k);
  buf_.append(v ? std::string_view{"true"} : std::string_view{"false"});
  return *this;
}

json_out& json_out::field(std::string_view k, std::string_view v) {
  key(k);
  string(v);
  return *this;
}

json_out& json_out::null_field(std::string_view k) {
  key(k);
  buf_.append(std::string_view{"null"});
  return *this;
}

json_out& json_out::raw_field(std::string_view k, std::string_view json) {
  key(k);
  buf_.append(json);
  return *this;
}

json_out& json_out::raw_array(std::string_view k, const std::vector<std::string>& items) {
  key(k);
  buf_.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      buf_.push_back(',');
    buf_.append(std::string_view{items[i]});
  }
  buf_.push_back(']');
  return *this;
}

std::string json_out::finish() {
  buf_.push_back('}');
  return fmt::to_string(buf_);
}

}  // namespace ct::msg
