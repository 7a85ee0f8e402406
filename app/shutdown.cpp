#include "app/shutdown.hpp"

#include <algorithm>
#include <cstdlib>

#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

namespace ct::app {

milliseconds left_until(steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  return std::max(left, milliseconds{1});
}

shutdown_watchdog::shutdown_watchdog(steady_clock::time_point deadline, milliseconds budget,
                                     const std::atomic<bool>& failed)
    : thread_([this, deadline, budget, &failed] {
        std::unique_lock<std::mutex> lock{mutex_};
        if (done_cv_.wait_until(lock, deadline, [this] { return done_; }))
          return;
        spdlog::error("Shutdown exceeded shutdown_timeout_ms={} abandoned=\"{}\"", budget.count(),
                      stage_);
        spdlog::shutdown();  // flushes the log
        std::_Exit(failed ? 1 : 0);
      }) {}

shutdown_watchdog::~shutdown_watchdog() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    done_ = true;
  }
  done_cv_.notify_all();
  thread_.join();
}

void shutdown_watchdog::stage(const char* what) {
  std::lock_guard<std::mutex> guard{mutex_};
  stage_ = what;
}

namespace {

/// Everything sent to the store before this call is committed when it returns.
void drain_store(caf::actor_system& sys, const msg::storage_actor& storage, milliseconds timeout) {
  caf::scoped_actor self{sys};
  self->request(storage, timeout, msg::ping_atom::value)
      .receive(
          [](msg::pong_atom) {},
          [](caf::error& e) { spdlog::error("Store did not drain error=\"{}\"", to_string(e)); });
}

}  // namespace

void stop_actors(caf::actor_system& sys, const msg::port_table& ports, const own_actors& own,
                 const msg::supervisor_actor& sup, steady_clock::time_point deadline) {
  caf::scoped_actor self{sys};
  // A backtest in progress is cancelled first, and its end (cancelled) recorded while the store
  // still runs; a quarter of the time left at most, so a worker stuck in a read cannot use it up.
  self->request(own.backtests, left_until(deadline) / 4, msg::shutdown_atom::value)
      .receive([](msg::ok_atom) {},
               [](caf::error& e) {
                 spdlog::warn("Backtest did not stop in time error=\"{}\"", to_string(e));
               });
  self->request(own.optimizations, left_until(deadline) / 4, msg::shutdown_atom::value)
      .receive([](msg::ok_atom) {},
               [](caf::error& e) {
                 spdlog::warn("Search did not stop in time error=\"{}\"", to_string(e));
               });
  self->request(sup, left_until(deadline), msg::shutdown_atom::value)
      .receive(
          [](msg::ok_atom) {},
          [](caf::error& e) { spdlog::warn("Ordered stop failed error=\"{}\"", to_string(e)); });
  // Whatever is still up (after a failed ordered stop) must not keep the actor system alive.
  auto kill = [&](const auto& h) {
    if (h)
      self->send_exit(h, caf::exit_reason::kill);
  };
  kill(own.backtests);
  kill(own.optimizations);
  kill(ports.get(&msg::http_ports::scanner));
  kill(ports.get(&msg::http_ports::position_manager));
  kill(ports.get(&msg::http_ports::market_feed));
  kill(ports.get(&msg::http_ports::timeline));
  kill(sup);
  // Last, and as a normal stop: the storage actor's watcher must not take it for a failure.
  drain_store(sys, own.storage, left_until(deadline));
  self->send_exit(own.reader, caf::exit_reason::user_shutdown);
  self->send_exit(own.storage, caf::exit_reason::user_shutdown);
}

}  // namespace ct::app
