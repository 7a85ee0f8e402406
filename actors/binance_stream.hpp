// The Binance feed's stream: one thread holding the combined WebSocket stream of every symbol's
// klines, 24 h ticker and diff depth. It parses each message and sends the event to the feed,
// reports the connection up and down, and reconnects with exponential backoff (0.5 s doubling
// to 30 s). stop() ends it at once, whatever it is waiting on.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include <caf/actor.hpp>

#include "actors/interruptible_sleep.hpp"
#include "exchange/ws_client.hpp"

namespace ct::actors {

class binance_stream {
public:
  /// Starts the thread; `feed` gets stream_news.
  binance_stream(caf::actor feed, exchange::ws_options options);
  ~binance_stream();
  binance_stream(const binance_stream&) = delete;
  binance_stream& operator=(const binance_stream&) = delete;

  /// Ends the stream and joins its thread.
  void stop();

  /// Messages that were not an event the feed knows (counted, skipped).
  std::uint64_t skipped() const { return skipped_.load(); }

private:
  void run(caf::actor feed, exchange::ws_options options);

  exchange::ws_client client_;
  interruptible_sleep sleeper_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> skipped_{0};
  std::thread thread_;
};

}  // namespace ct::actors
