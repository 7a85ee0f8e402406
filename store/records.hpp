// The store's own record types: what becomes durable together (a write batch of events, orders,
// fills, positions and the ledger), what a restart is given back (the saved ledger), and the
// queries of history (timeline and closed-position pages). Plain values of the trading library's
// types, with no actor runtime: messages/ makes them messages (their inspect() and the storage
// actors' interfaces live there).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "trading/portfolio.hpp"
#include "trading/time.hpp"

namespace ct::store {

/// Command: append an event. `data` is a JSON object's text, rendered verbatim by the API.
struct record_event {
  std::string type;
  std::string source;
  trading::timestamp at{};
  std::string data;
  std::int64_t market_ms = 0;  // the market time it tells of (0: none); the store keeps it
};

struct timeline_event {
  std::uint64_t seq = 0;
  trading::timestamp at{};
  std::string type;
  std::string source;
  std::string data;
};

/// Query: newest first; with after_seq, the `limit` events just above it.
struct get_timeline {
  std::uint64_t limit = 100;
  std::optional<std::uint64_t> before_seq;  // seq < before_seq
  std::optional<std::uint64_t> after_seq;   // seq > after_seq
  std::string type;                         // exact match; empty: any
};

struct timeline_page {
  std::vector<timeline_event> events;
  std::optional<std::uint64_t> next_before_seq;
};

/// An order as submitted, then filled or rejected.
struct order_row {
  std::string order_id;
  std::string symbol;
  std::string side;
  trading::quantity qty;
  std::string reason;
  std::string status;  // "submitted", "filled" or "rejected"
  std::string error;
  trading::timestamp at{};
};

/// The position manager's scalars besides its positions.
struct ledger_row {
  trading::ledger_totals totals;
  bool trading = false;
  std::uint64_t order_seq = 0;
};

/// The account as a candle closed: the position manager takes one at the first scan of each
/// candle, keyed by that candle's open in market time (the close of the one before).
struct equity_sample {
  std::int64_t market_ms = 0;
  trading::timestamp at{};  // wall clock
  trading::money equity;
  trading::money cash;
};

/// Query: the samples with market time in [from_ms, to_ms), oldest first, at most `limit` (the
/// last sample of each of `limit` equal spans of market time when there are more).
struct equity_query {
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
  std::uint64_t limit = 500;
};

struct equity_page {
  std::vector<equity_sample> points;
  std::uint64_t samples = 0;  // in the range, before downsampling
};

/// Command: make these durable together. The answer comes once they are committed.
struct write_batch {
  std::vector<record_event> events;  // seqs are assigned at commit, in this order
  std::vector<order_row> orders;     // upserts by order_id
  std::vector<trading::fill> fills;
  std::vector<trading::position> positions;  // upserts by id
  std::optional<ledger_row> ledger;
  std::optional<std::string> config_patch;  // the whole stored patch, replacing the last
  std::optional<equity_sample> equity;      // kept once per candle: a later one is ignored
  /// The market time the writer knew (0: none). The store keeps the latest of all commits, so
  /// that after a restart market time resumes no earlier than anything acknowledged.
  std::int64_t market_ms = 0;

  bool empty() const {
    return events.empty() && orders.empty() && fills.empty() && positions.empty() && !ledger &&
           !config_patch && !equity;
  }
};

/// The position manager's state as last committed.
struct saved_ledger {
  std::optional<ledger_row> ledger;  // empty for a new database
  std::vector<trading::position> open;
  std::deque<trading::position> recent_closed;  // oldest first
  std::optional<std::int64_t> market_ms;        // the latest committed market time
  /// Orders still "submitted": sent (or about to be) when the service stopped, their outcome
  /// never booked. Oldest first.
  std::vector<order_row> pending;
};

/// Query: closed positions, most recently closed first.
struct closed_query {
  std::uint64_t limit = 100;
  std::optional<std::uint64_t> before{};  // close_no < before
  std::string symbol;                     // empty: any
};

struct closed_page {
  std::vector<trading::position> positions;
  std::optional<std::uint64_t> next_before;
};

}  // namespace ct::store
