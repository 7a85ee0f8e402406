// Builds the replayed market from the bundled candles, or from the files the configuration
// names (read here, at start-up, before any actor runs).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "trading/market.hpp"
#include "trading/result.hpp"

namespace ct::app {

/// The bundled candles when `files` is empty, else those files (.csv or .json).
result<std::shared_ptr<const trading::market_data>> load_market(
    const std::vector<std::string>& files);

}  // namespace ct::app
