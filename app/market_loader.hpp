// Builds the replayed market from the bundled candles, or from the files the configuration
// names (read here, at start-up, before any actor runs).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "trading/candles.hpp"
#include "trading/market.hpp"
#include "trading/result.hpp"

namespace ct::app {

/// Reads and parses candle files (the bundled ones when `files` is empty); errors name the
/// file and line, or the symbol two files share.
result<std::vector<trading::candle_series>> read_candle_files(
    const std::vector<std::string>& files);

/// The bundled candles when `files` is empty, else those files (.csv or .json).
result<std::shared_ptr<const trading::market_data>> load_market(
    const std::vector<std::string>& files);

}  // namespace ct::app
