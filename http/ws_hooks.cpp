#include "http/ws_hooks.hpp"

#include <caf/send.hpp>

namespace ct::http {

ws_hooks make_ws_hooks(std::shared_ptr<msg::port_table> ports,
                       std::shared_ptr<ws_registry> registry) {
  ws_hooks h;
  h.opened = [ports](std::uint64_t id, std::shared_ptr<msg::ws_sink> sink) {
    if (auto b = ports->get(&msg::http_ports::broadcaster))
      caf::anon_send(b, msg::ws_join{id, std::move(sink)});
    else
      sink->close(1013, "the stream is restarting: try again");
  };
  h.subscribe = [ports](std::uint64_t id, std::vector<std::string> channels) {
    if (auto b = ports->get(&msg::http_ports::broadcaster))
      caf::anon_send(b, msg::ws_subscribe{id, std::move(channels)});
  };
  h.unsubscribe = [ports](std::uint64_t id, std::vector<std::string> channels) {
    if (auto b = ports->get(&msg::http_ports::broadcaster))
      caf::anon_send(b, msg::ws_unsubscribe{id, std::move(channels)});
  };
  h.closed = [ports, registry](std::uint64_t id) {
    registry->remove(id);
    if (auto b = ports->get(&msg::http_ports::broadcaster))
      caf::anon_send(b, msg::ws_leave{id});
  };
  h.too_slow = [registry](std::uint64_t) { registry->count_slow(); };
  return h;
}

}  // namespace ct::http
