// The HTTP layer's own concurrency, with real threads and no CAF in between, so that
// ThreadSanitizer sees every hand-off (deploy/test runs these under TSan): a WebSocket session
// fed by a reactor thread while a broadcaster thread sends to it and a writer thread completes
// its writes, as Pistache does; the connection bounds and the request gate under contention.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "http/connection_limits.hpp"
#include "http/context.hpp"
#include "http/ws_session.hpp"

namespace ct::http {
namespace {

/// Completes writes on its own thread, later, as Pistache's reactor does.
class threaded_transport final : public ws_transport {
public:
  threaded_transport() : worker_([this] { run(); }) {}
  ~threaded_transport() override {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  void write(std::string bytes, std::function<void()> written) override {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      bytes_ += bytes.size();
      queue_.push_back(std::move(written));
    }
    cv_.notify_all();
  }
  void shutdown() override { shut_ = true; }
  void abort() override { shut_ = true; }
  bool alive() const override { return true; }

  std::size_t bytes() {
    std::lock_guard<std::mutex> guard{mutex_};
    return bytes_;
  }
  /// Waits until every write so far has completed.
  void flush() {
    std::unique_lock<std::mutex> lock{mutex_};
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
  }

private:
  void run() {
    std::unique_lock<std::mutex> lock{mutex_};
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty())
        return;
      auto done = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      done();
      lock.lock();
      busy_ = false;
      idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> queue_;
  std::size_t bytes_ = 0;
  bool busy_ = false;
  bool stop_ = false;
  std::atomic<bool> shut_{false};
  std::thread worker_;  // last: starts once the members above exist
};

std::string masked_frame(std::uint8_t opcode, const std::string& payload) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  f += static_cast<char>(0x80 | payload.size());  // payloads here are under 126 bytes
  const char mask[4] = {1, 2, 3, 4};
  f.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    f += static_cast<char>(payload[i] ^ mask[i % 4]);
  return f;
}

TEST(ThreadsTest, AWebSocketSessionTakesInputSendsAndWriteCompletionsFromThreeThreads) {
  auto transport = std::make_shared<threaded_transport>();
  std::atomic<int> subscribes{0};
  ws_hooks hooks;
  hooks.opened = [](std::uint64_t, std::shared_ptr<msg::ws_sink>) {};
  hooks.subscribe = [&](std::uint64_t, std::vector<std::string>) { ++subscribes; };
  hooks.unsubscribe = [](std::uint64_t, std::vector<std::string>) {};
  hooks.closed = [](std::uint64_t) {};
  hooks.too_slow = [](std::uint64_t) {};
  auto session = std::make_shared<ws_session>(1, transport, hooks, std::set<std::string>{},
                                              std::size_t{1} << 30);
  ASSERT_TRUE(session->start(
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
  constexpr int rounds = 2000;
  std::thread reactor([&] {
    const auto ping = masked_frame(0x9, "p");
    const auto sub = masked_frame(0x1, R"({"op":"subscribe","channels":["ticker"]})");
    for (int i = 0; i < rounds; ++i) {
      session->input(ping.data(), ping.size());
      session->input(sub.data(), sub.size());
    }
  });
  std::thread broadcaster([&] {
    auto text = std::make_shared<const std::string>(R"({"type":"ticker","data":{}})");
    for (int i = 0; i < rounds; ++i) {
      EXPECT_TRUE(session->send({text}));
      if (i % 100 == 0)
        session->ping();
    }
  });
  reactor.join();
  broadcaster.join();
  transport->flush();
  EXPECT_EQ(subscribes.load(), rounds);
  EXPECT_EQ(session->pending_bytes(), 0u);  // every byte counted in was counted out
  EXPECT_GT(transport->bytes(), 0u);
  session->close(1001, "bye");
  transport->flush();
  session->disconnected();
}

TEST(ThreadsTest, ConnectionBoundsHoldUnderContention) {
  auto limits = std::make_shared<connection_limits>(64, 8);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string why;
        auto token = limits->admit("10.0.0." + std::to_string((t + i) % 12), why);
        if (!token)
          ++refused;
        EXPECT_LE(limits->open(), 64);
      }
    });
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(limits->open(), 0);
}

TEST(ThreadsTest, TheRequestGateCountsEveryRequestOutAndRefusesOnceClosed) {
  request_gate gate;
  std::atomic<bool> closed{false};
  std::atomic<int> after_close{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        const bool was_closed = closed.load();
        if (gate.enter()) {
          if (was_closed)
            ++after_close;
          gate.leave();
        }
      }
    });
  std::thread closer([&] {
    gate.close();
    closed = true;
  });
  for (auto& th : threads)
    th.join();
  closer.join();
  EXPECT_EQ(gate.in_flight(), 0);
  EXPECT_EQ(after_close.load(), 0);
  EXPECT_FALSE(gate.enter());
}

}  // namespace
}  // namespace ct::http
