// Runs the service until SIGINT or SIGTERM: the actor system and its supervisor, then the HTTP
// server; at a signal, stop taking requests, finish those in flight, stop the actors in order.
#pragma once

#include <memory>

#include "messages/config.hpp"
#include "trading/market.hpp"

namespace ct::app {

/// Blocks SIGINT and SIGTERM in the calling thread (so every thread started later inherits the
/// mask and the signals wait for sigwait) and ignores SIGPIPE. Call first thing in main.
void prepare_signals();

/// Raises the soft limit of open files to the hard one.
void raise_fd_limit();

/// Returns the process's exit status: 0 after a clean shutdown.
int run_service(const msg::config& cfg, std::shared_ptr<const trading::market_data> market);

}  // namespace ct::app
