#include "http/wire.hpp"

#include <algorithm>
#include <cctype>

#include <pistache/http_defs.h>
#include <pistache/peer.h>

#include "messages/text_limits.hpp"

namespace ct::http {

std::string serialize(const response& r, bool http10, bool keep_alive) {
  const bool keep = keep_alive && !r.close;
  std::string out;
  out.reserve(r.body.size() + 160);
  out += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += Pistache::Http::codeString(static_cast<Pistache::Http::Code>(r.status));
  out += "\r\nContent-Type: ";
  out += r.content_type;
  out += "\r\n";
  out += r.headers;
  if (!r.allow.empty()) {
    out += "Allow: ";
    out += r.allow;
    out += "\r\n";
  }
  if (r.auth_challenge)
    out += "WWW-Authenticate: Bearer\r\n";
  out += keep ? "Connection: Keep-Alive\r\n" : "Connection: Close\r\n";
  out += "Content-Length: ";
  out += std::to_string(r.body.size());
  out += "\r\n\r\n";
  out += r.body;
  return out;
}

std::size_t request_end(std::string_view bytes, std::size_t body_size) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos)
    return bytes.size();
  const auto body = head_end + 4;
  // The usual case, one request and nothing after it, ends here: a chunked body's encoding is
  // always longer than the body itself, so it never fits exactly.
  if (body + body_size >= bytes.size())
    return bytes.size();
  // Is the body chunked? A Transfer-Encoding header naming chunked, in any case.
  bool chunked = false;
  for (std::size_t at = bytes.find("\r\n") + 2; at < body; at = bytes.find("\r\n", at) + 2) {
    const auto line = bytes.substr(at, bytes.find("\r\n", at) - at);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    std::string name{line.substr(0, colon)}, value{line.substr(colon + 1)};
    for (auto* s : {&name, &value})
      for (auto& c : *s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "transfer-encoding" && value.find("chunked") != std::string::npos)
      chunked = true;
  }
  if (!chunked)
    return std::min(bytes.size(), body + body_size);
  std::size_t at = body;
  for (;;) {  // size [; extensions] CRLF, data CRLF, ... , 0 CRLF, trailers, CRLF
    const auto eol = bytes.find("\r\n", at);
    if (eol == std::string_view::npos)
      return bytes.size();
    std::size_t size = 0, digits = 0;
    for (auto p = at; p < eol && bytes[p] != ';' && digits <= 15; ++p, ++digits) {
      const int d = msg::hex_digit(bytes[p]);
      if (d < 0)
        return bytes.size();
      size = size * 16 + static_cast<std::size_t>(d);
    }
    if (digits == 0 || digits > 15)
      return bytes.size();
    at = eol + 2;
    if (size == 0) {
      for (;;) {  // trailers, up to the empty line
        const auto end = bytes.find("\r\n", at);
        if (end == std::string_view::npos)
          return bytes.size();
        if (end == at)
          return end + 2;
        at = end + 2;
      }
    }
    if (size > bytes.size() - at)
      return bytes.size();
    at += size + 2;
  }
}

std::uint64_t response_order::reserve() {
  std::lock_guard<std::mutex> guard{mutex_};
  return next_ticket_++;
}

void response_order::deliver(std::uint64_t ticket, std::string bytes, bool close,
                             std::function<void()> done) {
  std::lock_guard<std::mutex> guard{mutex_};
  waiting_.emplace(ticket, answer{std::move(bytes), close, std::move(done)});
  auto box = box_.lock();
  // Under the mutex, so that two threads never write two answers out of order.
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_write_;
       it = waiting_.erase(it), ++next_write_) {
    auto& a = it->second;
    if (!box || a.bytes.empty()) {
      if (a.done)
        a.done();
      continue;
    }
    box->write(std::move(a.bytes), std::move(a.done));
    if (a.close)
      box->shutdown_after_flush();
  }
}

outbox_reply::outbox_reply(const std::shared_ptr<response_order>& order,
                           std::weak_ptr<Pistache::Tcp::Peer> peer, bool http10, bool keep_alive,
                           std::shared_ptr<request_gate> gate, bool counted)
    : order_(order),
      ticket_(order->reserve()),
      peer_(std::move(peer)),
      http10_(http10),
      keep_alive_(keep_alive),
      gate_(std::move(gate)),
      counted_(counted) {}

outbox_reply::~outbox_reply() {
  if (sent_.load())
    return;
  response r;
  r.status = 503;
  r.body = error_body({errc::actor_unavailable, "the request was dropped", ""});
  send(std::move(r));
}

void outbox_reply::detach() {
  if (sent_.exchange(true))
    return;
  if (counted_)
    gate_->leave();
  if (auto order = order_.lock())
    order->deliver(ticket_, {}, false, {});  // its place is given up
}

void outbox_reply::send(response r) {
  if (sent_.exchange(true))
    return;
  auto gate = counted_ ? gate_ : nullptr;
  auto leave = [gate] {
    if (gate)
      gate->leave();
  };
  auto order = order_.lock();
  if (!order)
    return leave();  // the client went away
  // Pistache's keep-alive timeout applies again (its own writer does this as it sends): a
  // connection left busy would get Pistache's 408 after the header timeout.
  if (auto peer = peer_.lock())
    peer->setIdle(true);
  const bool close = r.close || !keep_alive_;
  order->deliver(ticket_, serialize(r, http10_, keep_alive_), close, std::move(leave));
}

void outbox_transport::write(std::string bytes, std::function<void()> written) {
  if (auto box = box_.lock())
    box->write(std::move(bytes), std::move(written));
  else
    written();
}

void outbox_transport::shutdown() {
  if (auto box = box_.lock())
    box->shutdown_after_flush();  // a FIN after the data: the client still reads it all
}

void outbox_transport::abort() {
  if (auto box = box_.lock())
    box->abort();
}

bool outbox_transport::alive() const {
  auto box = box_.lock();
  return box && box->open();
}

}  // namespace ct::http
