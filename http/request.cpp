#include "http/request.hpp"

#include "messages/text_limits.hpp"

namespace ct::http {

void send_json(const reply_ptr& out, int status, std::string body) {
  response r;
  r.status = status;
  r.body = std::move(body);
  out->send(std::move(r));
}

void send_error(const reply_ptr& out, const api_error& e) {
  response r;
  r.status = e.status;
  r.body = error_body(e);
  r.auth_challenge = e.status == 401;
  out->send(std::move(r));
}

std::optional<std::string> percent_decode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size())
        return std::nullopt;
      const int hi = msg::hex_digit(s[i + 1]);
      const int lo = msg::hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace ct::http
