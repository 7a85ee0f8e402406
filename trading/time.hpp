// Wall-clock time: a timestamp is int64 nanoseconds since the Unix epoch. Wall time comes only
// from an injected clock (tests pass a manual one); one function formats RFC 3339.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ct::trading {

using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

/// RFC 3339 UTC with milliseconds, truncated: "2026-11-24T05:43:52.123Z".
std::string format_rfc3339(timestamp t);

/// Parses "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)"; also a bare date "YYYY-MM-DD".
std::optional<timestamp> parse_rfc3339(std::string_view text);

/// A moment as a user gives one: RFC 3339, a date (YYYY-MM-DD, UTC midnight) or milliseconds
/// since the epoch. Milliseconds since the epoch, or empty.
std::optional<std::int64_t> parse_moment_ms(std::string_view text);

inline timestamp from_unix_ms(std::int64_t ms) {
  return timestamp{std::chrono::milliseconds{ms}};
}

inline std::int64_t to_unix_ms(timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

/// A source of wall time. Implementations are thread-safe.
class clock {
public:
  virtual ~clock() = default;
  virtual timestamp now() const = 0;
};

/// The system's real-time clock.
class system_clock final : public clock {
public:
  timestamp now() const override;
};

/// A clock that moves only when told to; for tests.
class manual_clock final : public clock {
public:
  explicit manual_clock(timestamp start) : ns_(start.time_since_epoch().count()) {}
  timestamp now() const override { return timestamp{std::chrono::nanoseconds{ns_.load()}}; }
  void advance(std::chrono::nanoseconds d) { ns_ += d.count(); }
  void set(timestamp t) { ns_ = t.time_since_epoch().count(); }

private:
  std::atomic<std::int64_t> ns_;
};

}  // namespace ct::trading
