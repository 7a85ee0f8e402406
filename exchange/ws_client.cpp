#include "exchange/ws_client.hpp"

#include <atomic>
#include <mutex>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include "exchange/rest_client.hpp"

namespace ct::exchange {

namespace {

using tls_client = websocketpp::client<websocketpp::config::asio_tls_client>;
using plain_client = websocketpp::client<websocketpp::config::asio_client>;
using ssl_context = boost::asio::ssl::context;

std::string host_of(const std::string& url) {
  auto host = url.substr(url.find("://") + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (!host.empty() && host.front() == '[')
    return host.substr(1, host.find(']') - 1);
  return host.substr(0, host.find(':'));
}

}  // namespace

struct ws_client::impl {
  std::mutex mutex;
  bool stopped = false;
  std::function<void()> stop_running;  // set while run() runs

  template <class Client>
  std::string run(Client& c, const ws_options& o, const std::function<void()>& opened,
                  const std::function<void(const std::string&)>& message) {
    c.clear_access_channels(websocketpp::log::alevel::all);
    c.clear_error_channels(websocketpp::log::elevel::all);
    c.init_asio();
    c.set_open_handshake_timeout(static_cast<long>(o.open_timeout.count()));
    c.set_max_message_size(o.max_message);
    std::string why = "stopped";
    auto last =
        std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    websocketpp::connection_hdl hdl;
    std::function<void(const websocketpp::lib::error_code&)> watch;
    watch = [&](const websocketpp::lib::error_code& ec) {
      if (ec)
        return;
      if (std::chrono::steady_clock::now() - *last >= o.stall_timeout) {
        why = "no message for " + std::to_string(o.stall_timeout.count()) + " ms";
        c.stop();
        return;
      }
      c.set_timer(1000, watch);
    };
    c.set_open_handler([&](websocketpp::connection_hdl) {
      *last = std::chrono::steady_clock::now();
      c.set_timer(1000, watch);
      opened();
    });
    c.set_message_handler([&](websocketpp::connection_hdl, typename Client::message_ptr m) {
      *last = std::chrono::steady_clock::now();
      if (m->get_opcode() == websocketpp::frame::opcode::text)
        message(m->get_payload());
    });
    c.set_fail_handler([&](websocketpp::connection_hdl h) {
      auto con = c.get_con_from_hdl(h);
      why = "cannot connect: " + con->get_ec().message();
      if (con->get_response_code() != 0)
        why += " (HTTP " + std::to_string(static_cast<int>(con->get_response_code())) + ")";
    });
    c.set_close_handler([&](websocketpp::connection_hdl h) {
      auto con = c.get_con_from_hdl(h);
      why = "closed by the server: " + std::to_string(con->get_remote_close_code()) + " " +
            con->get_remote_close_reason().substr(0, 120);
      c.stop();
    });
    websocketpp::lib::error_code ec;
    auto con = c.get_connection(o.url, ec);
    if (ec)
      return "bad stream URL " + o.url + ": " + ec.message();
    c.connect(con);
    {
      std::lock_guard<std::mutex> lock{mutex};
      if (stopped)
        return "stopped";
      stop_running = [&c] { c.stop(); };
    }
    c.run();
    std::lock_guard<std::mutex> lock{mutex};
    stop_running = nullptr;
    if (stopped)
      return "stopped";
    return why;
  }
};

result<void> check_ws_url(const std::string& url) {
  return check_url_scheme(url, "wss", "ws");
}

ws_client::ws_client() : impl_(std::make_unique<impl>()) {}
ws_client::~ws_client() = default;

void ws_client::stop() {
  std::lock_guard<std::mutex> lock{impl_->mutex};
  impl_->stopped = true;
  if (impl_->stop_running)
    impl_->stop_running();
}

std::string ws_client::run(const ws_options& o, const std::function<void()>& opened,
                           const std::function<void(const std::string&)>& message) {
  if (auto ok = check_ws_url(o.url); !ok.ok())
    return ok.err().message;
  try {
    if (o.url.rfind("ws://", 0) == 0) {
      plain_client c;
      return impl_->run(c, o, opened, message);
    }
    tls_client c;
    const auto host = host_of(o.url);
    const auto ca = o.ca_file;
    c.set_tls_init_handler([host, ca](websocketpp::connection_hdl) {
      auto ctx = std::make_shared<ssl_context>(ssl_context::tls_client);
      ctx->set_options(ssl_context::default_workarounds | ssl_context::no_sslv2 |
                       ssl_context::no_sslv3 | ssl_context::no_tlsv1 | ssl_context::no_tlsv1_1);
      ctx->set_default_verify_paths();
      if (ca)
        ctx->load_verify_file(*ca);
      ctx->set_verify_mode(boost::asio::ssl::verify_peer);
      ctx->set_verify_callback(boost::asio::ssl::host_name_verification(host));
      return ctx;
    });
    return impl_->run(c, o, opened, message);
  } catch (const std::exception& e) {
    return std::string{"the stream failed: "} + e.what();
  }
}

}  // namespace ct::exchange
