// The HTTP layer's own metrics for GET /metrics: requests by route, method and status, and a
// latency histogram per route, counted from routing to the answer's hand-off to the writer.
// Routes are the router's names ("/api/positions/{id}/close"), never raw paths, and an unknown
// path counts as "other", so the labels stay bounded whatever clients send. Counters are relaxed
// atomics: Pistache's threads add to them with no lock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "messages/metrics.hpp"

namespace ct::http {

class http_metrics {
public:
  static constexpr std::size_t max_routes = 48;
  /// `routes[0]` is the name for requests that matched no route ("other").
  explicit http_metrics(std::vector<std::string> routes);

  void observe(std::size_t route, std::string_view method, int status,
               std::chrono::steady_clock::duration took);
  /// Requests refused before they could be routed (oversized, malformed): route "other".
  void refused(int status) { observe(0, "", status, {}); }
  void render(msg::prom_text& out) const;

private:
  static constexpr std::array<int, 22> statuses{200, 201, 202, 204, 400, 401, 403, 404,
                                                405, 408, 409, 413, 415, 421, 422, 426,
                                                429, 431, 500, 502, 503, 504};
  static constexpr std::array<const char*, 3> methods{"GET", "POST", "other"};
  static constexpr std::array<double, 15> bounds{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
  using counter = std::atomic<std::uint64_t>;
  struct per_route {
    std::array<std::array<counter, statuses.size() + 1>, methods.size()> answers{};
    std::array<counter, bounds.size() + 1> buckets{};  // per bucket, not cumulative
    counter sum_ns{0};
    counter count{0};
  };
  std::vector<std::string> names_;
  std::unique_ptr<std::array<per_route, max_routes>> routes_;
};

/// A reply that counts its answer in `metrics` (once) before handing it on.
class timed_reply final : public reply {
public:
  timed_reply(reply_ptr inner, std::shared_ptr<http_metrics> metrics, std::size_t route,
              std::string_view method)
      : inner_(std::move(inner)),
        metrics_(std::move(metrics)),
        route_(route),
        method_(method == "GET"    ? "GET"
                : method == "POST" ? "POST"
                                   : "") {}
  void send(response r) override;

private:
  reply_ptr inner_;
  std::shared_ptr<http_metrics> metrics_;
  std::size_t route_;
  const char* method_;  // a static name: the request's own text does not outlive the routing
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<bool> counted_{false};
};

}  // namespace ct::http
