// Start-up on Binance: the configuration checked against what Binance says (exchangeInfo and
// its clock) before any actor runs, so a symbol it does not list, a symbol that is not trading,
// a stake below a symbol's minimum notional or an address that would send keys in clear stops
// the start with an error naming the key.
#pragma once

#include <memory>

#include "messages/binance.hpp"
#include "messages/config.hpp"
#include "trading/result.hpp"

namespace ct::app {

/// Asks Binance (exchange.rest_url) for its symbols, filters and clock, and checks `cfg`
/// against them. In live mode, `credentials` are required and must open the account.
result<std::shared_ptr<const msg::binance_market>> connect_binance(
    const msg::config& cfg, const msg::exchange_credentials& credentials);

}  // namespace ct::app
