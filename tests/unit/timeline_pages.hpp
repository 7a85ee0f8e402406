// Test helpers for timeline pages (the paging API.md describes), shared by the store's tests and
// the timeline actor's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/timeline.hpp"

namespace ct::test {

inline std::vector<std::uint64_t> seqs(const msg::timeline_page& p) {
  std::vector<std::uint64_t> out;
  for (const auto& e : p.events)
    out.push_back(e.seq);
  return out;
}

inline msg::get_timeline query(std::uint64_t limit, std::optional<std::uint64_t> before = {},
                               std::optional<std::uint64_t> after = {}, std::string type = {}) {
  msg::get_timeline q;
  q.limit = limit;
  q.before_seq = before;
  q.after_seq = after;
  q.type = std::move(type);
  return q;
}

}  // namespace ct::test
