// The exchange behind the market feed as an order venue (trading/venue.hpp): live orders go to
// the feed, whose exchange worker places them on the exchange (today the simulated one); the
// fill or the refusal comes back as the feed's answer, to the actor that submitted the order.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "messages/binance.hpp"
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

/// Binance's account as the venue of live orders: each order goes to the account worker with
/// the service's order id as its client order id; a fill comes back booked from Binance's
/// fills, a refusal with Binance's code and message. An outcome still unknown (the service is
/// stopping) is errc::shutting_down: the order stays submitted for the next start to ask.
class binance_venue final : public trading::order_venue {
public:
  using fees_seen = std::function<void(const std::string& order_id,
                                       const std::map<std::string, trading::quantity>& fees)>;
  /// `other_fees` hears of commissions taken in other assets (BNB) before the fill is booked.
  binance_venue(msg::position_manager_actor::pointer self, msg::binance_account_actor account,
                fees_seen other_fees)
      : self_(self), account_(std::move(account)), other_fees_(std::move(other_fees)) {}

  void submit(const trading::market_order& o,
              std::function<void(ct::result<trading::fill>)> done) override;

private:
  msg::position_manager_actor::pointer self_;
  msg::binance_account_actor account_;
  fees_seen other_fees_;
};

}  // namespace ct::actors
