// The exchange behind the market feed as an order venue (trading/venue.hpp): live orders go to
// the feed, whose exchange worker places them on the exchange (today the simulated one); the
// fill or the refusal comes back as the feed's answer, to the actor that submitted the order.
#pragma once

#include <chrono>
#include <functional>

#include "messages/market.hpp"
#include "messages/positions.hpp"
#include "trading/venue.hpp"

namespace ct::actors {

class exchange_venue final : public trading::order_venue {
public:
  /// Orders go to `feed()`, the market feed at the time (a restarted one has a new handle), from
  /// `self`, in whose message handling the answers run; `timeout` bounds each.
  exchange_venue(msg::position_manager_actor::pointer self,
                 std::function<msg::market_feed_actor()> feed, std::chrono::milliseconds timeout)
      : self_(self), feed_(std::move(feed)), timeout_(timeout) {}

  void submit(const trading::market_order& o,
              std::function<void(ct::result<trading::fill>)> done) override;

private:
  msg::position_manager_actor::pointer self_;
  std::function<msg::market_feed_actor()> feed_;
  std::chrono::milliseconds timeout_;
};

}  // namespace ct::actors
