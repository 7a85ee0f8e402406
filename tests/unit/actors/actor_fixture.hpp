// A GoogleTest fixture driving actors on CAF's deterministic test coordinator: messages are
// sent from a scoped actor, sched.run() processes everything that can run, and time moves only
// with advance() (CAF's timers) and the manual wall clock.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "bundled_market.hpp"
#include "messages/errors.hpp"
#include "messages/ports.hpp"
#include "trading/time.hpp"

namespace ct::test {

struct testing_config : caf::actor_system_config {
  testing_config() {
    set("scheduler.policy", caf::atom("testing"));
    spdlog::set_level(spdlog::level::off);
  }
};

class actor_fixture : public ::testing::Test {
protected:
  actor_fixture()
      : sys(cfg),
        sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())),
        self(sys),
        ports(std::make_shared<msg::port_table>()),
        clock(std::make_shared<trading::manual_clock>(trading::from_unix_ms(1'795'499'032'000))) {}

  /// Runs until nothing is left to run.
  void run() { sched.run(); }

  /// Moves CAF's timers and the wall clock forward together, then runs.
  void advance(std::chrono::milliseconds d) {
    clock->advance(d);
    sched.advance_time(d);
    sched.run();
  }

  /// Sends a request, runs, and returns the reply; fails the test on an error or no reply.
  template <class T, class Handle, class... Ts>
  T ask(const Handle& h, Ts&&... xs) {
    auto rh = self->request(h, caf::infinite, std::forward<Ts>(xs)...);
    run();
    T out{};
    if (self->mailbox().size() == 0) {
      ADD_FAILURE() << "no reply";
      return out;
    }
    rh.receive([&](T& x) { out = std::move(x); },
               [&](caf::error& e) { ADD_FAILURE() << "error: " << sys.render(e); });
    return out;
  }

  /// Like ask, but expects an error (instead of a T) and returns it.
  template <class T, class Handle, class... Ts>
  caf::error ask_error(const Handle& h, Ts&&... xs) {
    auto rh = self->request(h, caf::infinite, std::forward<Ts>(xs)...);
    run();
    caf::error out;
    if (self->mailbox().size() == 0) {
      ADD_FAILURE() << "no reply";
      return out;
    }
    rh.receive([&](T&) { ADD_FAILURE() << "expected an error"; },
               [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  /// The error's code, when it is one of ours.
  static std::optional<msg::errc> code_of(const caf::error& e) {
    if (e.category() != msg::error_category())
      return std::nullopt;
    return static_cast<msg::errc>(e.code());
  }

  testing_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  caf::scoped_actor self;
  std::shared_ptr<msg::port_table> ports;
  std::shared_ptr<trading::manual_clock> clock;
};

}  // namespace ct::test
