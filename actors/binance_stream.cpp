#include "actors/binance_stream.hpp"

#include <caf/send.hpp>

#include "actors/log.hpp"
#include "exchange/binance_stream.hpp"
#include "messages/binance.hpp"
#include "trading/backoff.hpp"

namespace ct::actors {

binance_stream::binance_stream(caf::actor feed, exchange::ws_options options)
    : thread_([this, feed, options] { run(feed, options); }) {}

binance_stream::~binance_stream() {
  stop();
}

void binance_stream::stop() {
  stopping_.store(true);
  client_.stop();
  sleeper_.interrupt();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id())
    thread_.join();
}

void binance_stream::run(caf::actor feed, exchange::ws_options options) {
  const trading::backoff_policy policy{std::chrono::milliseconds{500},
                                       std::chrono::milliseconds{30'000}, 2.0};
  unsigned failures = 0;
  while (!stopping_.load()) {
    bool opened = false;
    const auto why = client_.run(
        options,
        [&] {
          opened = true;
          failures = 0;
          caf::anon_send(feed, msg::stream_news{msg::stream_news::kind::up, {}, {}});
        },
        [&](const std::string& text) {
          auto e = exchange::parse_stream_message(text);
          if (!e.ok()) {
            if (skipped_.fetch_add(1) % 1000 == 0)
              logger("binance_stream")
                  ->warn("Stream message skipped error=\"{}\"", e.err().message);
            return;
          }
          caf::anon_send(feed,
                         msg::stream_news{msg::stream_news::kind::event, {}, std::move(e.value())});
        });
    if (stopping_.load())
      break;
    caf::anon_send(feed, msg::stream_news{msg::stream_news::kind::down, why, {}});
    const auto delay = trading::next_backoff(opened ? 0 : failures++, policy);
    logger("binance_stream")
        ->warn("Stream down error=\"{}\" reconnect_in_ms={}", why, delay.count());
    if (!sleeper_.sleep_for(delay))
      break;
  }
}

}  // namespace ct::actors
