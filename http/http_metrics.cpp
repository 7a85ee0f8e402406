#include "http/http_metrics.hpp"

#include <algorithm>
#include <string>

namespace ct::http {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

}  // namespace

http_metrics::http_metrics(std::vector<std::string> routes)
    : names_(std::move(routes)), routes_(std::make_unique<std::array<per_route, max_routes>>()) {
  if (names_.empty())
    names_.emplace_back("other");
  names_.resize(std::min(names_.size(), max_routes));
}

void http_metrics::observe(std::size_t route, std::string_view method, int status,
                           std::chrono::steady_clock::duration took) {
  auto& r = (*routes_)[route < names_.size() ? route : 0];
  const auto m = method == "GET" ? 0u : method == "POST" ? 1u : 2u;
  const auto s = static_cast<std::size_t>(std::find(statuses.begin(), statuses.end(), status) -
                                          statuses.begin());  // statuses.size(): other
  r.answers[m][s].fetch_add(1, relaxed);
  const double seconds = std::chrono::duration<double>(took).count();
  const auto b = static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                                          bounds.begin());
  r.buckets[b].fetch_add(1, relaxed);
  r.sum_ns.fetch_add(static_cast<std::uint64_t>(
                         std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()),
                     relaxed);
  r.count.fetch_add(1, relaxed);
}

void http_metrics::render(msg::prom_text& out) const {
  out.family("ct_http_requests_total", "counter",
             "HTTP answers by route (\"other\": no route), method and status code.");
  for (std::size_t i = 0; i < names_.size(); ++i)
    for (std::size_t m = 0; m < methods.size(); ++m)
      for (std::size_t s = 0; s <= statuses.size(); ++s) {
        const auto n = (*routes_)[i].answers[m][s].load(relaxed);
        if (n == 0)
          continue;
        const std::string code = s < statuses.size() ? std::to_string(statuses[s]) : "other";
        out.sample("ct_http_requests_total",
                   {{"route", names_[i]}, {"method", methods[m]}, {"code", code}},
                   static_cast<double>(n));
      }
  out.family("ct_http_request_duration_seconds", "histogram",
             "From routing a request to handing its answer to the writer, by route.");
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const auto& r = (*routes_)[i];
    const auto count = r.count.load(relaxed);
    if (count == 0)
      continue;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= bounds.size(); ++b) {
      cumulative += r.buckets[b].load(relaxed);
      const std::string le = b < bounds.size() ? msg::prom_number(bounds[b]) : "+Inf";
      out.sample("ct_http_request_duration_seconds_bucket", {{"route", names_[i]}, {"le", le}},
                 static_cast<double>(b < bounds.size() ? std::min(cumulative, count) : count));
    }
    out.sample("ct_http_request_duration_seconds_sum", {{"route", names_[i]}},
               static_cast<double>(r.sum_ns.load(relaxed)) / 1e9);
    out.sample("ct_http_request_duration_seconds_count", {{"route", names_[i]}},
               static_cast<double>(count));
  }
}

void timed_reply::send(response r) {
  if (!counted_.exchange(true))
    metrics_->observe(route_, method_, r.status, std::chrono::steady_clock::now() - started_);
  inner_->send(std::move(r));
}

}  // namespace ct::http
