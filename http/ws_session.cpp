#include "http/ws_session.hpp"

#include <array>
#include <mutex>

#include <nlohmann/json.hpp>
#include <websocketpp/config/core.hpp>
#include <websocketpp/server.hpp>

#include "messages/text_limits.hpp"
#include "messages/ws_json.hpp"
#include "trading/time.hpp"

namespace ct::http {

namespace {

using config = websocketpp::config::core;
using server = websocketpp::server<config>;
using message_ptr = config::message_type::ptr;
namespace frame = websocketpp::frame;

/// One websocketpp endpoint for every session: it only makes connections. Its logs are off
/// (it would log every frame to stdout).
server& endpoint() {
  static server* s = [] {
    auto* e = new server;  // never destroyed: connections may outlive static destruction
    e->clear_access_channels(websocketpp::log::alevel::all);
    e->clear_error_channels(websocketpp::log::elevel::all);
    return e;
  }();
  return *s;
}

/// A broadcast is framed once and the frame's bytes shared by every session it goes to (server
/// frames are not masked, so they are the same bytes for everyone): websocketpp's own
/// processor prepares it. The broadcaster sends one batch of payloads to all its subscribers
/// in a row, so a few cached entries per thread catch them.
const std::string& framed(const std::shared_ptr<const std::string>& text) {
  struct entry {
    const std::string* key = nullptr;
    std::weak_ptr<const std::string> alive;  // a freed key's address may come back
    std::string frame;
  };
  constexpr std::size_t slots = 32;
  thread_local std::array<entry, slots> cache;
  thread_local std::size_t next = 0;
  for (const auto& e : cache)
    if (e.key == text.get() && !e.alive.expired())
      return e.frame;
  thread_local auto manager = std::make_shared<config::con_msg_manager_type>();
  thread_local config::rng_type rng;
  thread_local websocketpp::processor::hybi13<config> processor{false, true, manager, rng};
  auto in = manager->get_message(frame::opcode::text, text->size());
  in->set_payload(*text);
  auto out = manager->get_message();
  processor.prepare_data_frame(in, out);
  auto& e = cache[next++ % slots];
  e.key = text.get();
  e.alive = text;
  e.frame = out->get_header() + out->get_payload();
  return e.frame;
}

constexpr std::size_t max_client_message = 64 * 1024;  // client operations are tiny
/// A subscription names a few channels: nothing in one is deep or long.
constexpr msg::json_limits client_message_limits{8, 256, 64, 16};

}  // namespace

struct ws_session::impl {
  std::recursive_mutex mutex;  // websocketpp calls back into us while we call into it
  server::connection_ptr con;
  bool closing = false;
  bool gone = false;
};

ws_session::ws_session(std::uint64_t id, std::shared_ptr<ws_transport> transport, ws_hooks hooks,
                       std::set<std::string> symbols, std::size_t max_pending_bytes)
    : id_(id),
      transport_(std::move(transport)),
      hooks_(std::move(hooks)),
      symbols_(std::move(symbols)),
      max_pending_(max_pending_bytes),
      impl_(std::make_unique<impl>()) {}

ws_session::~ws_session() = default;

bool ws_session::start(const std::string& handshake) {
  std::weak_ptr<ws_session> weak = weak_from_this();
  std::lock_guard<std::recursive_mutex> guard{impl_->mutex};
  auto& con = impl_->con = endpoint().get_connection();
  con->set_max_message_size(max_client_message);
  con->set_vector_write_handler(
      [weak](websocketpp::connection_hdl, std::vector<websocketpp::transport::buffer> const& bufs) {
        if (auto self = weak.lock()) {
          std::string bytes;
          for (const auto& b : bufs)
            bytes.append(b.buf, b.len);
          self->queue_write(std::move(bytes));
        }
        return websocketpp::lib::error_code{};
      });
  con->set_write_handler([weak](websocketpp::connection_hdl, char const* data, size_t len) {
    if (auto self = weak.lock())
      self->queue_write(std::string{data, len});
    return websocketpp::lib::error_code{};
  });
  con->set_shutdown_handler([weak](websocketpp::connection_hdl) {
    // websocketpp is done (a close handshake, or a protocol error after its close frame). Our
    // writes are only queued yet: the socket goes once they are all out.
    if (auto self = weak.lock()) {
      self->shutdown_requested_ = true;
      if (self->pending_.load() == 0)
        self->transport_->shutdown();
    }
    return websocketpp::lib::error_code{};
  });
  con->set_open_handler([weak](websocketpp::connection_hdl) {
    if (auto self = weak.lock())
      self->hooks_.opened(self->id_, self);
  });
  con->set_message_handler([weak](websocketpp::connection_hdl, message_ptr m) {
    if (auto self = weak.lock())
      self->on_message(m->get_payload(), m->get_opcode() == frame::opcode::binary);
  });
  con->start();
  con->read_all(handshake.data(), handshake.size());
  return con->get_state() == websocketpp::session::state::open;
}

// Every byte queued for the client counts against its limit, websocketpp's own answers too (a
// pong for each ping, a close): a client that sends and never reads would otherwise grow our
// queue without bound. Past the limit it is closed with 1008; if it still sends without reading,
// it is dropped and its queue freed.
void ws_session::input(const char* data, std::size_t len) {
  std::lock_guard<std::recursive_mutex> guard{impl_->mutex};
  if (!impl_->con || impl_->gone)
    return;
  if (over_limit(0)) {
    if (impl_->closing)
      transport_->abort();
    else
      cut_off();
    return;
  }
  impl_->con->read_all(data, len);
  if (over_limit(0) && !impl_->closing)
    cut_off();
}

void ws_session::cut_off() {
  hooks_.too_slow(id_);
  close(1008, "too slow: " + std::to_string(pending_.load() / 1024) + " KiB unread");
}

void ws_session::disconnected() {
  {
    std::lock_guard<std::recursive_mutex> guard{impl_->mutex};
    if (impl_->gone)
      return;
    impl_->gone = true;
    if (impl_->con)
      impl_->con->eof();  // lets websocketpp finish with the connection
  }
  hooks_.closed(id_);
}

void ws_session::queue_write(std::string bytes) {
  const auto n = bytes.size();
  pending_ += n;
  transport_->write(std::move(bytes), [weak = weak_from_this(), n] {
    if (auto s = weak.lock())
      s->written(n);
  });
}

void ws_session::written(std::size_t n) {
  if (pending_.fetch_sub(n) == n && shutdown_requested_.load())
    transport_->shutdown();  // the last byte before the shutdown is out
}

bool ws_session::over_limit(std::size_t next) const {
  return pending_.load() + next > max_pending_;
}

bool ws_session::send(const std::vector<std::shared_ptr<const std::string>>& texts) {
  if (!transport_->alive()) {
    disconnected();
    return false;
  }
  std::lock_guard<std::recursive_mutex> guard{impl_->mutex};
  if (impl_->gone || impl_->closing || !impl_->con ||
      impl_->con->get_state() != websocketpp::session::state::open)
    return false;
  std::size_t size = 0;
  for (const auto& t : texts)
    size += t->size();
  if (over_limit(size)) {
    cut_off();  // too slow to read: cut it off rather than let the queue grow (RFC 6455 1008)
    return false;
  }
  // The frames go to the transport as one write, under the mutex that orders every write of
  // this connection (websocketpp's own frames are written synchronously under it too), rather
  // than through websocketpp's per-connection queue: a broadcast is a thousand of these.
  std::string bytes;
  for (const auto& t : texts)
    bytes += framed(t);
  queue_write(std::move(bytes));
  return true;
}

void ws_session::close(std::uint16_t code, const std::string& reason) {
  std::lock_guard<std::recursive_mutex> guard{impl_->mutex};
  if (impl_->gone || impl_->closing || !impl_->con)
    return;
  impl_->closing = true;
  websocketpp::lib::error_code ec;
  impl_->con->close(code, reason, ec);
}

void ws_session::ping() {
  std::lock_guard<std::recursive_mutex> guard{impl_->mutex};
  if (impl_->gone || impl_->closing || !impl_->con)
    return;
  websocketpp::lib::error_code ec;
  impl_->con->ping("", ec);
}

void ws_session::reply(const std::string& text) {
  if (impl_->con->get_state() == websocketpp::session::state::open && !over_limit(text.size()))
    impl_->con->send(text, frame::opcode::text);
}

// Runs inside input(), with the mutex held.
void ws_session::on_message(const std::string& payload, bool binary) {
  const auto now = trading::system_clock{}.now();
  if (binary) {
    close(1003, "binary frames are not supported");
    return;
  }
  auto parsed = msg::parse_json(payload, client_message_limits);
  if (!parsed.ok() && parsed.err().code != errc::invalid_json)
    return reply(msg::ws_error(parsed.err().code, parsed.err().message, now));
  const auto& j = parsed.ok() ? parsed.value() : nlohmann::json{};
  if (!j.is_object())
    return reply(msg::ws_error(errc::invalid_json, "a message must be a JSON object", now));
  const auto op = j.find("op");
  if (op == j.end() || !op->is_string())
    return reply(msg::ws_error(errc::invalid_message, "a message needs a string \"op\"", now));
  if (*op == "ping")
    return reply(msg::ws_pong(now));
  if (*op != "subscribe" && *op != "unsubscribe")
    return reply(msg::ws_error(
        errc::unknown_op,
        "unknown op '" + op->get<std::string>() + "' (subscribe, unsubscribe, ping)", now));
  const auto channels = j.find("channels");
  if (channels == j.end() || !channels->is_array() || channels->empty())
    return reply(
        msg::ws_error(errc::invalid_message, "\"channels\" must be a non-empty array", now));
  std::vector<std::string> names;
  for (const auto& c : *channels) {
    if (!c.is_string())
      return reply(msg::ws_error(errc::invalid_message, "channels are strings", now));
    auto ok = msg::ws_check_channel(c.get<std::string>(), symbols_);
    if (!ok.ok())  // one bad channel and nothing changes
      return reply(msg::ws_error(ok.err().code, ok.err().message, now));
    names.push_back(c.get<std::string>());
  }
  if (*op == "subscribe")
    hooks_.subscribe(id_, std::move(names));
  else
    hooks_.unsubscribe(id_, std::move(names));
}

}  // namespace ct::http
