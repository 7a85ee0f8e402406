// Connects WebSocket sessions to the broadcaster actor: joins, subscriptions and departures
// become messages. A session that opens while the broadcaster is restarting is told to come
// back (1013).
#pragma once

#include <memory>

#include "http/ws_registry.hpp"
#include "http/ws_session.hpp"
#include "messages/ports.hpp"

namespace ct::http {

ws_hooks make_ws_hooks(std::shared_ptr<msg::port_table> ports,
                       std::shared_ptr<ws_registry> registry);

}  // namespace ct::http
