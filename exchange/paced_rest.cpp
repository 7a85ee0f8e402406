#include "exchange/paced_rest.hpp"

#include <algorithm>
#include <cstdlib>

#include "exchange/binance.hpp"

namespace ct::exchange {

bool paced_rest::before(int weight) {
  if (!sleep_(gate_->quiet_until()))
    return false;
  if (gate_->used() + weight > limit_ * 9 / 10) {  // the window is the wall clock's minute
    const auto minute = std::chrono::time_point_cast<std::chrono::minutes>(clock_type::now());
    if (!sleep_(minute + std::chrono::minutes{1} + std::chrono::milliseconds{100}))
      return false;
    gate_->set_used(0);
  }
  // Another caller may have earned a Retry-After while this one waited.
  return sleep_(gate_->quiet_until());
}

void paced_rest::after(const rest_response& r) {
  if (auto it = r.headers.find("x-mbx-used-weight-1m"); it != r.headers.end())
    gate_->set_used(std::atoi(it->second.c_str()));
  if (r.status == 429 || r.status == 418) {
    long seconds = 60;
    if (auto it = r.headers.find("retry-after"); it != r.headers.end())
      seconds = std::clamp(std::atol(it->second.c_str()), 1L, 86'400L);
    gate_->quiet_until(clock_type::now() + std::chrono::seconds{seconds});
  }
}

result<rest_response> paced_rest::send_once(const std::string& method, const std::string& path,
                                            const std::vector<std::string>& headers, int weight) {
  if (!before(weight))
    return make_error(errc::shutting_down, "interrupted");
  auto r = client_.send(method, path, headers);
  if (r.ok())
    after(r.value());
  return r;
}

result<rest_response> paced_rest::get(const std::string& path, int weight) {
  for (int attempt = 0; attempt < attempts_; ++attempt) {
    if (!before(weight))
      return make_error(errc::shutting_down, "interrupted");
    auto r = client_.get(path);
    if (!r.ok())
      return r.err();
    after(r.value());
    const auto status = r.value().status;
    if (status == 418)
      return make_error(errc::exchange_unavailable,
                        describe_error(status, r.value().body) +
                            " (this address is banned for now: wait before trying again)");
    if (status == 429)
      continue;  // after Retry-After
    if (status >= 500) {
      if (!sleep_(clock_type::now() + std::chrono::seconds{attempt + 1}))
        return make_error(errc::shutting_down, "interrupted");
      continue;
    }
    return r;
  }
  return make_error(errc::exchange_unavailable, "Binance kept refusing " + path);
}

}  // namespace ct::exchange
