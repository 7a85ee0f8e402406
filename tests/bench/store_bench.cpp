// deploy/bench store, part one: timeline events committed per second through the storage actor
// (group commit, synchronous=FULL: every commit is fsynced), from several producers at once as
// the actors send them; the latency of one acknowledged write (sent, committed, answered) while
// the producers each wait for their answer, as the position manager does; then fills the database
// to `--events` for the paging part, which deploy/benchmarks/store.sh runs against the real service
// with wrk. Prints key=value lines.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/storage.hpp"

namespace {

using namespace ct;

msg::record_event an_event(std::uint64_t i) {
  // About the size of an order or position event.
  return msg::record_event{
      i % 3 == 0 ? "order_filled" : (i % 3 == 1 ? "position_opened" : "scan_completed"), "bench",
      trading::timestamp{std::chrono::milliseconds{1'795'499'032'000 + i}},
      R"({"order_id":"paper-)" + std::to_string(i) +
          R"(","symbol":"ADA-BTC","side":"buy","quantity":2156.101768,"price":4.638e-05,)"
          R"("fee":0.0001,"notional":0.1,"mode":"paper","client_order_id":"paper-1"})"};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"store benchmark"};
  std::string dir;
  std::uint64_t commit_events = 200'000;
  std::uint64_t total_events = 1'000'000;
  unsigned producers = 4;
  std::uint64_t ungrouped = 2'000;
  std::uint64_t latency_samples = 500;
  app.add_option("--data-dir", dir, "where the database goes")->required();
  app.add_option("--commit-events", commit_events, "events sent through the storage actor");
  app.add_option("--events", total_events, "events in the database at the end");
  app.add_option("--producers", producers, "actors sending at once");
  app.add_option("--ungrouped", ungrouped, "events committed one per transaction (the baseline)");
  app.add_option("--latency-samples", latency_samples, "acknowledged writes timed per producer");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  std::shared_ptr<store::database> db = store::database::open(dir);
  const auto start_seq = db->last_seq();
  {
    caf::actor_system_config cfg;
    caf::actor_system sys{cfg};
    auto clock = std::make_shared<trading::system_clock>();
    auto storage = sys.spawn<caf::detached>(
        actors::storage, actors::storage_deps{db, clock, std::chrono::milliseconds{1000}});
    const auto per = commit_events / producers;
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (unsigned p = 0; p < producers; ++p)
      threads.emplace_back([&, p] {
        caf::scoped_actor self{sys};
        for (std::uint64_t i = 0; i + 1 < per; ++i) {
          msg::write_batch b;
          b.events.push_back(an_event(p * per + i));
          self->send(storage, std::move(b));
        }
        msg::write_batch last;
        last.events.push_back(an_event(p * per + per - 1));
        // Answered once this producer's batches, which arrived in order before it, are durable.
        self->request(storage, std::chrono::minutes{5}, std::move(last))
            .receive([](msg::committed) {},
                     [&](caf::error& e) { std::fprintf(stderr, "%s\n", to_string(e).c_str()); });
      });
    for (auto& t : threads)
      t.join();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    const auto committed = db->last_seq() - start_seq;
    std::printf("commit events=%llu producers=%u seconds=%.3f events_per_s=%.0f\n",
                static_cast<unsigned long long>(committed), producers, took.count(),
                static_cast<double>(committed) / took.count());
    // Latency: each producer sends one batch and waits for its answer, again and again.
    std::vector<std::vector<double>> per_producer(producers);
    std::vector<std::thread> timers;
    for (unsigned p = 0; p < producers; ++p)
      timers.emplace_back([&, p] {
        caf::scoped_actor self{sys};
        for (std::uint64_t i = 0; i < latency_samples; ++i) {
          msg::write_batch b;
          b.events.push_back(an_event(i));
          const auto sent = std::chrono::steady_clock::now();
          self->request(storage, std::chrono::minutes{1}, std::move(b))
              .receive([](msg::committed) {},
                       [&](caf::error& e) { std::fprintf(stderr, "%s\n", to_string(e).c_str()); });
          per_producer[p].push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent)
                  .count());
        }
      });
    for (auto& t : timers)
      t.join();
    std::vector<double> all;
    for (const auto& v : per_producer)
      all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    const auto at = [&](double q) {
      return all.empty()
                 ? 0.0
                 : all[std::min(all.size() - 1,
                                static_cast<std::size_t>(q * static_cast<double>(all.size())))];
    };
    std::printf("latency writes=%zu producers=%u p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", all.size(),
                producers, at(0.5), at(0.99), all.empty() ? 0.0 : all.back());
    anon_send_exit(storage, caf::exit_reason::user_shutdown);
  }
  {
    // The baseline: the same events, one commit (one fsync) each.
    const auto before = db->last_seq();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < ungrouped; ++i) {
      msg::write_batch b;
      b.events.push_back(an_event(i));
      db->commit({&b});
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    std::printf("ungrouped events=%llu seconds=%.3f events_per_s=%.0f\n",
                static_cast<unsigned long long>(db->last_seq() - before), took.count(),
                static_cast<double>(db->last_seq() - before) / took.count());
  }
  // The rest straight through the database, in large transactions, for the paging part.
  while (db->last_seq() < total_events) {
    msg::write_batch b;
    const auto n = std::min<std::uint64_t>(50'000, total_events - db->last_seq());
    for (std::uint64_t i = 0; i < n; ++i)
      b.events.push_back(an_event(db->last_seq() + i));
    db->commit({&b});
  }
  std::printf("filled events=%llu\n", static_cast<unsigned long long>(db->last_seq()));
  return 0;
}
