// A finished backtest's chart: the candles of one of its symbols, paged like GET /api/candles,
// with its strategy's lines over them and the warm-up before them, so that the page can draw the
// run's trades where they happened. A plain function of the run's kept candles.
#pragma once

#include <caf/make_message.hpp>
#include <caf/result.hpp>

#include "messages/backtest.hpp"

namespace ct::actors {

caf::result<msg::candles_page> backtest_candles(const msg::backtest_chart_data& run,
                                                const msg::get_backtest_candles& q);

}  // namespace ct::actors
