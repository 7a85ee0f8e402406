#include "http/dashboard.hpp"

#include "http/input.hpp"

namespace ct::http {

const char* const page_headers =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'\r\n"
    "X-Frame-Options: DENY\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Cache-Control: no-cache\r\n";

void get_dashboard_file(const api_context&, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  std::string_view path = req.path;
  if (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  if (path == "/")
    path = "/index.html";
  for (const auto& f : dashboard_files())
    if (f.path == path) {
      response r;
      r.body = std::string{f.body};
      r.content_type = f.content_type;
      r.headers = page_headers;
      return out->send(std::move(r));
    }
  send_error(out, {errc::not_found, "no such path: " + req.path, ""});
}

void get_dashboard_config(const api_context&, const request& req, const reply_ptr& out) {
  if (!no_params(req, out))
    return;
  response r;
  r.body = R"({"api":"/api","stream":"/ws"})";
  r.headers = page_headers;
  out->send(std::move(r));
}

}  // namespace ct::http
