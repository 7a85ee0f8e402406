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

void binance_venue::submit(const trading::market_order& o,
                           std::function<void(ct::result<trading::fill>)> done) {
  // No timeout: the worker asks Binance until it knows, and answers "unknown" when stopping.
  self_->request(account_, caf::infinite, msg::place_order{o.id, o.symbol, o.side, o.qty})
      .then(
          [done, fees = other_fees_, id = o.id](msg::order_outcome& out) {
            using kind = msg::order_outcome::kind;
            switch (out.what) {
              case kind::filled:
                if (!out.other_fees.empty() && fees)
                  fees(id, out.other_fees);
                done(std::move(out.fill));
                return;
              case kind::unknown:
                done(ct::error{ct::errc::shutting_down, out.error, ""});
                return;
              case kind::rejected:
              case kind::not_placed:
                done(ct::error{ct::errc::exchange_unavailable, out.error, ""});
                return;
            }
          },
          [done](caf::error& e) {
            done(ct::error{ct::errc::shutting_down,
                           msg::message_of(e, "the account worker stopped"), ""});
          });
}

}  // namespace ct::actors
