#include "exchange/binance_book.hpp"

namespace ct::exchange {

book_sync::outcome book_sync::apply(const depth_event& e) {
  if (e.last_id <= last_id_)
    return outcome::ignored;
  if (e.first_id > last_id_ + 1) {
    reset();
    return outcome::gap;
  }
  trading::apply(book_, e.changes);
  if (book_.bids.size() > max_levels_)
    book_.bids.resize(max_levels_);
  if (book_.asks.size() > max_levels_)
    book_.asks.resize(max_levels_);
  last_id_ = e.last_id;
  return outcome::applied;
}

book_sync::outcome book_sync::on_diff(const depth_event& e) {
  if (synced_)
    return apply(e);
  if (buffer_.size() >= max_buffered_)
    buffer_.pop_front();  // the snapshot will be too new for them: they would be dropped
  buffer_.push_back(e);
  return outcome::buffered;
}

book_sync::outcome book_sync::on_snapshot(const depth_snapshot& s) {
  // A snapshot older than the first buffered diff leaves a hole between them.
  if (!buffer_.empty() && s.last_update_id + 1 < buffer_.front().first_id) {
    reset();
    return outcome::gap;
  }
  book_ = s.book;
  last_id_ = s.last_update_id;
  synced_ = true;
  auto pending = std::move(buffer_);
  buffer_.clear();
  for (const auto& e : pending)
    if (apply(e) == outcome::gap)
      return outcome::gap;
  return outcome::applied;
}

void book_sync::reset() {
  synced_ = false;
  last_id_ = 0;
  buffer_.clear();
  book_ = {};
}

}  // namespace ct::exchange
