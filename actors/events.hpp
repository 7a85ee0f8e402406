// Recording an event on the timeline from any actor: straight to the storage actor, which
// assigns its seq, commits it and streams it. The store is there from start-up to the end (its
// failure ends the process), so there is no other path.
#pragma once

#include <string>

#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "messages/storage.hpp"
#include "trading/time.hpp"

namespace ct::actors {

inline void emit_event(const msg::storage_actor& storage, msg::record_event ev) {
  msg::write_batch b;
  b.events.push_back(std::move(ev));
  caf::anon_send(storage, std::move(b));
}

/// `market_ms`: the market time the event tells of (0: none); the store keeps the latest.
inline void emit_event(const msg::storage_actor& storage, std::string type, std::string source,
                       trading::timestamp at, const nlohmann::json& data,
                       std::int64_t market_ms = 0) {
  emit_event(storage,
             msg::record_event{std::move(type), std::move(source), at, data.dump(), market_ms});
}

}  // namespace ct::actors
