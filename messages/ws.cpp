#include "messages/ws.hpp"

namespace ct::msg {

const std::vector<std::string>& default_channels() {
  static const std::vector<std::string> channels{"status", "positions", "timeline"};
  return channels;
}

result<void> ws_check_channel(const std::string& channel, const std::set<std::string>& symbols) {
  if (channel == "status" || channel == "positions" || channel == "timeline" || channel == "ticker")
    return {};
  for (std::string_view prefix : {"orderbook:", "candles:"}) {
    if (channel.compare(0, prefix.size(), prefix) != 0)
      continue;
    const auto symbol = channel.substr(prefix.size());
    if (symbols.count(symbol) == 0)
      return make_error(errc::unknown_symbol, "the exchange does not list " + symbol, channel);
    return {};
  }
  return make_error(errc::unknown_channel,
                    "unknown channel '" + channel +
                        "' (status, positions, timeline, ticker, orderbook:<SYMBOL>, "
                        "candles:<SYMBOL>)",
                    channel);
}

}  // namespace ct::msg
