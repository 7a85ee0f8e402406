// Recording an event on the timeline from any actor: straight to the store when there is one
// (it assigns the seq), else to the recorder when it is up, else into the directory's stash,
// which the next recorder drains.
#pragma once

#include <string>

#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "messages/directory.hpp"
#include "trading/time.hpp"

namespace ct::actors {

inline void emit_event(msg::directory& dir, msg::record_event ev) {
  if (auto storage = dir.get(&msg::actor_handles::storage)) {  // it sequences and commits it
    msg::write_batch b;
    b.events.push_back(std::move(ev));
    caf::anon_send(storage, std::move(b));
    return;
  }
  if (auto timeline = dir.get(&msg::actor_handles::timeline))
    caf::anon_send(timeline, std::move(ev));
  else
    dir.stash(std::move(ev));
}

/// `market_ms`: the market time the event tells of (0: none); the store keeps the latest.
inline void emit_event(msg::directory& dir, std::string type, std::string source,
                       trading::timestamp at, const nlohmann::json& data,
                       std::int64_t market_ms = 0) {
  emit_event(dir,
             msg::record_event{std::move(type), std::move(source), at, data.dump(), market_ms});
}

}  // namespace ct::actors
