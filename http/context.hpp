// What every route needs: the actor system and directory to reach the actors, the API token,
// the symbols the exchange lists, and the timeouts (which POST /api/config may change).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <caf/actor_system.hpp>

#include "messages/directory.hpp"
#include "trading/time.hpp"

namespace ct::http {

/// Run-time tunables of the API, updated when the configuration changes.
struct api_settings {
  std::atomic<std::int64_t> request_timeout_ms{2000};
  std::atomic<std::int64_t> exchange_timeout_ms{5000};
};

struct api_context {
  caf::actor_system& sys;
  std::shared_ptr<msg::directory> dir;
  std::string api_token;  // empty: no authentication
  std::set<std::string> symbols;
  std::shared_ptr<const trading::clock> clock;
  trading::timestamp started_at{};
  std::chrono::steady_clock::time_point started_steady{};
  std::string version;
  std::shared_ptr<api_settings> settings = std::make_shared<api_settings>();

  std::chrono::milliseconds request_timeout() const {
    return std::chrono::milliseconds{settings->request_timeout_ms.load()};
  }
};

}  // namespace ct::http
