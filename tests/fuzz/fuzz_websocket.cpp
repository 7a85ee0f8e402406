// libFuzzer target: the bytes a WebSocket client sends after its upgrade, through websocketpp's
// frame parser and the session's client operations (subscribe, unsubscribe, ping), with a
// small queue limit so that the control-frame accounting is exercised too. The input is cut
// into reads at the bytes' own values, as a socket would deliver them.
#include <cstdint>
#include <memory>
#include <string>

#include "http/ws_session.hpp"

namespace {

class null_transport final : public ct::http::ws_transport {
public:
  void write(std::string, std::function<void()> written) override { written(); }
  void shutdown() override {}
  void abort() override {}
  bool alive() const override { return true; }
};

const std::string handshake =
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:9012\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ct::http::ws_hooks hooks;
  hooks.opened = [](std::uint64_t, std::shared_ptr<ct::msg::ws_sink>) {};
  hooks.subscribe = [](std::uint64_t, std::vector<std::string>) {};
  hooks.unsubscribe = [](std::uint64_t, std::vector<std::string>) {};
  hooks.closed = [](std::uint64_t) {};
  hooks.too_slow = [](std::uint64_t) {};
  auto session = std::make_shared<ct::http::ws_session>(
      1, std::make_shared<null_transport>(), hooks, std::set<std::string>{"ADA-BTC"}, 4096);
  if (!session->start(handshake))
    return 0;
  const char* p = reinterpret_cast<const char*>(data);
  std::size_t left = size;
  while (left > 0) {
    const std::size_t n = std::min<std::size_t>(left, 1 + static_cast<unsigned char>(*p) % 64);
    session->input(p, n);
    p += n;
    left -= n;
  }
  session->disconnected();
  return 0;
}
