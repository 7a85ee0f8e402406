// The timeline's events in memory: seq is assigned here, gap-free and strictly increasing, and
// queries page by seq and type in O(log n). The supervisor owns the log, so a restarted
// recorder continues it. Appends give the strong exception guarantee. Not thread-safe: one
// recorder at a time touches it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "messages/timeline.hpp"

namespace ct::actors {

class event_log {
public:
  /// Keeps the newest `capacity` events; older ones leave memory (seq keeps counting).
  explicit event_log(std::size_t capacity = 100'000);

  const msg::timeline_event& append(msg::record_event ev);
  msg::timeline_page query(const msg::get_timeline& q) const;

  std::uint64_t last_seq() const { return next_seq_ - 1; }
  std::size_t size() const { return events_.size(); }

private:
  std::deque<msg::timeline_event> events_;  // events_[i].seq == first_seq() + i
  std::map<std::string, std::deque<std::uint64_t>> by_type_;
  std::uint64_t next_seq_ = 1;
  std::size_t capacity_;

  std::uint64_t first_seq() const { return next_seq_ - events_.size(); }
};

}  // namespace ct::actors
