#include "actors/event_log.hpp"

#include <algorithm>
#include <vector>

namespace ct::actors {

event_log::event_log(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

const msg::timeline_event& event_log::append(msg::record_event ev) {
  msg::timeline_event e{next_seq_, ev.at, std::move(ev.type), std::move(ev.source),
                        std::move(ev.data)};
  auto& index = by_type_[e.type];
  index.push_back(e.seq);
  try {
    events_.push_back(std::move(e));
  } catch (...) {
    index.pop_back();
    throw;
  }
  ++next_seq_;
  if (events_.size() > capacity_) {
    auto& oldest = by_type_[events_.front().type];
    oldest.pop_front();
    if (oldest.empty())
      by_type_.erase(events_.front().type);
    events_.pop_front();
  }
  return events_.back();
}

msg::timeline_page event_log::query(const msg::get_timeline& q) const {
  msg::timeline_page page;
  if (events_.empty() || q.limit == 0)
    return page;
  // The inclusive seq range asked for, clipped to what memory holds.
  std::uint64_t lo = q.after_seq ? *q.after_seq + 1 : 1;
  std::uint64_t hi = q.before_seq ? (*q.before_seq == 0 ? 0 : *q.before_seq - 1) : last_seq();
  lo = std::max(lo, first_seq());
  hi = std::min(hi, last_seq());
  if (hi == 0 || lo > hi)
    return page;
  // The matching seqs in [lo, hi], oldest first, as an index range.
  std::vector<std::uint64_t> seqs;
  if (q.type.empty()) {
    const std::uint64_t count = hi - lo + 1;
    const std::uint64_t take = std::min<std::uint64_t>(count, q.limit);
    // With after_seq the page sits just above it; otherwise it ends at hi.
    const std::uint64_t start = q.after_seq ? lo : hi - take + 1;
    for (std::uint64_t s = start + take; s-- > start;)
      page.events.push_back(events_[s - first_seq()]);
    if (start > lo)
      page.next_before_seq = start;
    return page;
  }
  auto it = by_type_.find(q.type);
  if (it == by_type_.end())
    return page;
  const auto& idx = it->second;
  auto first = std::lower_bound(idx.begin(), idx.end(), lo);
  auto last = std::upper_bound(idx.begin(), idx.end(), hi);
  const auto count = static_cast<std::uint64_t>(last - first);
  if (count == 0)
    return page;
  const auto take = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(count, q.limit));
  auto start = q.after_seq ? first : last - take;
  for (auto s = start + take; s != start;) {
    --s;
    page.events.push_back(events_[*s - first_seq()]);
  }
  if (start != first)
    page.next_before_seq = *start;
  return page;
}

}  // namespace ct::actors
