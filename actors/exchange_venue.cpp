#include "actors/exchange_venue.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "messages/errors.hpp"

namespace ct::actors {

void exchange_venue::submit(const trading::market_order& o,
                            std::function<void(ct::result<trading::fill>)> done) {
  const auto feed = feed_();
  if (!feed) {
    done(ct::error{ct::errc::exchange_unavailable, "market feed restarting", ""});
    return;
  }
  self_->request(feed, timeout_, msg::submit_order{o.symbol, o.side, o.qty})
      .then([done](trading::fill& f) { done(std::move(f)); },
            [done](caf::error& e) {
              done(ct::error{ct::errc::exchange_unavailable,
                             msg::message_of(e, "the exchange rejected the order"), ""});
            });
}

}  // namespace ct::actors
