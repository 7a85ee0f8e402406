// The bundled candle files (deploy/candles), compiled into the executable so that it replays
// real candles with no data beside it. The generated embedded_candles.cpp defines the list.
#pragma once

#include <string_view>
#include <vector>

namespace ct::app {

struct embedded_file {
  std::string_view name;
  std::string_view text;
};

const std::vector<embedded_file>& embedded_candles();

}  // namespace ct::app
