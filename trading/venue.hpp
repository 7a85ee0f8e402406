// Where orders execute: the port between the engine's decisions and an exchange. The position
// manager sends every order through one venue and books what comes back; two implement it
// today, paper fills (here: at the touch, or a sell's level, plus slippage, with the configured
// fee) and the simulated exchange behind the market feed (actors/exchange_venue.hpp). A real
// exchange is one more venue; the engine does not change.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "trading/exchange.hpp"
#include "trading/lot_rules.hpp"
#include "trading/money.hpp"
#include "trading/result.hpp"
#include "trading/time.hpp"

namespace ct::trading {

/// A market order for the whole of a decision.
struct market_order {
  std::string id;  // the service's own order id
  std::string symbol;
  order_side side = order_side::buy;
  quantity qty;
  price touch;  // the price the decision saw: the ask for a buy, the bid for a sell
  /// A sell's level (a stop, a target, a gap's price): a resting order there fills at it.
  std::optional<price> level;
};

class order_venue {
public:
  virtual ~order_venue() = default;
  /// Executes `o`; `done` gets its fill or why it failed, before submit returns (paper) or
  /// later (an exchange), exactly once.
  virtual void submit(const market_order& o, std::function<void(result<fill>)> done) = 0;
};

/// Fills every order at once, as the backtester does: a buy at the touch plus slippage, a sell
/// at its level (else the touch) less slippage, with the fee on the fill.
class paper_venue final : public order_venue {
public:
  paper_venue(std::int64_t slippage_ppm, std::int64_t fee_ppm, std::shared_ptr<const clock> clock)
      : slippage_ppm_(slippage_ppm), fee_ppm_(fee_ppm), clock_(std::move(clock)) {}

  void submit(const market_order& o, std::function<void(result<fill>)> done) override;

private:
  std::int64_t slippage_ppm_;
  std::int64_t fee_ppm_;
  std::shared_ptr<const clock> clock_;
};

/// An exchange's order-size rules in front of another venue: each order's quantity rounded down
/// to the symbol's steps, and an order the exchange would refuse (below a minimum quantity or
/// notional, above a maximum) refused here with the figures, before the venue sees it. Paper
/// trading behind it does what live trading would.
class lot_checked_venue final : public order_venue {
public:
  lot_checked_venue(std::unique_ptr<order_venue> inner, std::map<std::string, lot_rules> rules)
      : inner_(std::move(inner)), rules_(std::move(rules)) {}

  void submit(const market_order& o, std::function<void(result<fill>)> done) override;

private:
  std::unique_ptr<order_venue> inner_;
  std::map<std::string, lot_rules> rules_;
};

}  // namespace ct::trading
