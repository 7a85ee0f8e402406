#include "http/wire.hpp"

#include <pistache/http_defs.h>
#include <pistache/peer.h>

namespace ct::http {

std::string serialize(const response& r, bool http10, bool keep_alive) {
  const bool keep = keep_alive && !r.close;
  std::string out;
  out.reserve(r.body.size() + 160);
  out += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += Pistache::Http::codeString(static_cast<Pistache::Http::Code>(r.status));
  out += "\r\nContent-Type: application/json\r\n";
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

outbox_reply::outbox_reply(std::weak_ptr<outbox> box, std::weak_ptr<Pistache::Tcp::Peer> peer,
                           bool http10, bool keep_alive, std::shared_ptr<request_gate> gate,
                           bool counted)
    : box_(std::move(box)),
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
  r.body = error_body({503, "actor_unavailable", "the request was dropped", ""});
  send(std::move(r));
}

void outbox_reply::detach() {
  if (!sent_.exchange(true) && counted_)
    gate_->leave();
}

void outbox_reply::send(response r) {
  if (sent_.exchange(true))
    return;
  auto gate = counted_ ? gate_ : nullptr;
  auto leave = [gate] {
    if (gate)
      gate->leave();
  };
  auto box = box_.lock();
  if (!box)
    return leave();  // the client went away
  // Pistache's keep-alive timeout applies again (its own writer does this as it sends): a
  // connection left busy would get Pistache's 408 after the header timeout.
  if (auto peer = peer_.lock())
    peer->setIdle(true);
  const bool close = r.close || !keep_alive_;
  box->write(serialize(r, http10_, keep_alive_), std::move(leave));
  if (close)
    box->shutdown_after_flush();
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
