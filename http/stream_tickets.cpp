#include "http/stream_tickets.hpp"

#include <random>

namespace ct::http {

std::string stream_tickets::issue(clock::time_point now) {
  static constexpr char hex[] = "0123456789abcdef";
  std::random_device random;  // the kernel's getrandom(): unpredictable
  std::string ticket;
  for (int i = 0; i < 4; ++i)
    for (auto word = random(), n = 0u; n < 8; ++n, word >>= 4)
      ticket += hex[word & 0xF];
  std::lock_guard<std::mutex> guard{mutex_};
  while (!order_.empty() && (order_.size() >= max_live || expiry_.count(order_.front()) == 0 ||
                             expiry_.at(order_.front()) <= now)) {
    expiry_.erase(order_.front());
    order_.pop_front();
  }
  expiry_[ticket] = now + lifetime;
  order_.push_back(ticket);
  return ticket;
}

bool stream_tickets::redeem(std::string_view ticket, clock::time_point now) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto it = expiry_.find(std::string{ticket});
  if (it == expiry_.end())
    return false;
  const bool fresh = now < it->second;
  expiry_.erase(it);  // single use; its entry in order_ goes when it reaches the front
  return fresh;
}

}  // namespace ct::http
