// A local order book kept in sync the way Binance documents it: buffer the diff stream, take a
// REST snapshot, drop the diffs it already holds (u <= lastUpdateId), start from the diff that
// spans lastUpdateId + 1, then apply each diff whose first id follows the last one's (U = u + 1).
// Anything else is a gap: the book is stale and must be synced again. Pure; one owner.
#pragma once

#include <cstdint>
#include <deque>

#include "exchange/binance_stream.hpp"
#include "trading/order_book.hpp"

namespace ct::exchange {

class book_sync {
public:
  enum class outcome {
    buffered,  // waiting for a snapshot
    applied,   // the book moved
    ignored,   // already in the snapshot
    gap,       // an update was missed: resync (the book is cleared and buffering again)
  };

  /// Bounds the buffer before a snapshot and each side of the book.
  explicit book_sync(std::size_t max_buffered = 1000, std::size_t max_levels = 1000)
      : max_buffered_(max_buffered), max_levels_(max_levels) {}

  outcome on_diff(const depth_event& e);
  /// The snapshot: applies the buffered diffs after it. `gap` when the snapshot is older than
  /// the first buffered diff can follow (fetch another) or the buffer breaks off.
  outcome on_snapshot(const depth_snapshot& s);
  /// Clears the book and buffers again (a reconnect).
  void reset();

  bool synced() const { return synced_; }
  const trading::order_book& book() const { return book_; }
  std::int64_t last_id() const { return last_id_; }

private:
  outcome apply(const depth_event& e);

  std::size_t max_buffered_;
  std::size_t max_levels_;
  bool synced_ = false;
  std::int64_t last_id_ = 0;
  std::deque<depth_event> buffer_;
  trading::order_book book_;
};

}  // namespace ct::exchange
