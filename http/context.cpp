#include "http/context.hpp"

#include <atomic>

namespace ct::http {

namespace {

class live_figures final : public msg::http_figures {
public:
  live_figures(std::shared_ptr<request_gate> gate, std::shared_ptr<ws_registry> ws)
      : gate_(std::move(gate)), ws_(std::move(ws)) {}
  int requests_in_flight() const override { return gate_->in_flight(); }
  std::uint64_t ws_clients() const override { return ws_->size(); }
  std::uint64_t ws_slow_closed() const override { return ws_->slow_closed(); }

private:
  std::shared_ptr<request_gate> gate_;
  std::shared_ptr<ws_registry> ws_;
};

}  // namespace

const caf::actor& api_context::bridge() const {
  // Pistache's threads ask in turn, so each gets its own bridge while there are as many.
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed);
  return bridges[mine % bridges.size()];
}

std::shared_ptr<const msg::http_figures> api_context::figures() const {
  return std::make_shared<live_figures>(gate, ws);
}

}  // namespace ct::http
