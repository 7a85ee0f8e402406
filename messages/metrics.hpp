// GET /metrics: the Prometheus text exposition format (0.0.4). Each source (an actor, the HTTP
// layer) renders its own metric families with `prom_text` and answers `metrics_atom` with the
// text; the route joins the parts. A family's samples stay together, as the format requires,
// because no two sources share a family. Labels are bounded by construction: actor names, routes
// (never raw paths), status codes, a fixed set of reasons.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"

namespace ct::msg {

/// What every source of metrics answers: its families, as Prometheus text.
using metrics_port = caf::typed_actor<caf::replies_to<metrics_atom>::with<std::string>>;

using label = std::pair<std::string_view, std::string_view>;

/// Writes metric families in the text format.
class prom_text {
public:
  /// Starts a family: its # HELP and # TYPE lines. `type` is counter, gauge or histogram.
  prom_text& family(std::string_view name, std::string_view type, std::string_view help);
  /// One sample: name{labels} value.
  prom_text& sample(std::string_view name, std::initializer_list<label> labels, double value);
  prom_text& sample(std::string_view name, double value) { return sample(name, {}, value); }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

private:
  void labels(std::initializer_list<label> labels, std::string_view le);
  friend class histogram;
  std::string out_;
};

/// A histogram with fixed bucket bounds (seconds, sizes): counts per bucket, a sum and a count.
/// Not thread-safe: an actor's own.
class histogram {
public:
  /// Bounds in ascending order; the +Inf bucket is implied.
  explicit histogram(std::initializer_list<double> bounds);
  void observe(double value);
  /// Writes name_bucket{labels,le=".."}, name_sum and name_count (the family line is the
  /// caller's).
  void render(prom_text& out, std::string_view name,
              std::initializer_list<label> labels = {}) const;
  std::uint64_t count() const { return count_; }

private:
  static constexpr std::size_t max_bounds = 16;
  std::array<double, max_bounds> bounds_{};
  std::array<std::uint64_t, max_bounds + 1> counts_{};  // per bucket, not cumulative
  std::size_t size_ = 0;
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

/// A histogram of latencies in seconds, buckets from 100 µs to 10 s.
histogram latency_histogram();

/// A number as the format writes it: shortest round-trip form, +Inf, -Inf, NaN.
std::string prom_number(double v);

}  // namespace ct::msg
