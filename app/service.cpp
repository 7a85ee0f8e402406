#include "app/service.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actors/backtests.hpp"
#include "actors/candle_files.hpp"
#include "actors/optimizations.hpp"
#include "actors/storage.hpp"
#include "actors/store_reader.hpp"
#include "actors/supervisor.hpp"
#include "app/shutdown.hpp"
#include "app/version.hpp"
#include "http/bridge.hpp"
#include "http/server.hpp"

namespace ct::app {

namespace {

std::atomic<bool> supervisor_lost{false};

/// Turns an unexpected end of the supervisor or the storage actor into a SIGTERM: crash-only,
/// the process stops (exit status 1) rather than run without one.
caf::behavior watch(caf::event_based_actor* self, caf::actor watched, std::string name) {
  self->monitor(watched);
  self->set_down_handler([=](caf::down_msg& dm) {
    if (dm.reason != caf::exit_reason::normal && dm.reason != caf::exit_reason::user_shutdown) {
      supervisor_lost = true;
      spdlog::critical("Actor terminated actor={} reason=\"{}\"; stopping", name,
                       to_string(dm.reason));
      ::kill(::getpid(), SIGTERM);
    }
    self->quit();
  });
  return {[](caf::unit_t) {}};
}

int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

std::string lower_case(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// The real paths of backtest.data_dirs, by default the data directory's candles/ (made here
/// so that users have a place to put files).
std::vector<std::string> backtest_dirs(const msg::config& cfg) {
  auto dirs = cfg.backtest.data_dirs;
  if (dirs.empty()) {
    dirs.push_back(cfg.data_dir + "/candles");
    ::mkdir(dirs.back().c_str(), 0755);
  }
  return actors::resolve_dirs(dirs);
}

}  // namespace

void raise_fd_limit() {
  // Every WebSocket client is a descriptor: take all the system allows.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

void prepare_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

namespace {

/// Bounds glibc's malloc arenas to the cores, unless MALLOC_ARENA_MAX says otherwise. By
/// default each of the service's 14 threads may get its own arena (up to 8 per core), and
/// their fragmentation grew RSS 10 to 11 % over the 600 s soak before it settled; with 2 arenas
/// on 2 cores it grew 6 % (deploy/bench soak, 2026-12-03).
void limit_malloc_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr)
    return;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  mallopt(M_ARENA_MAX, static_cast<int>(cores));
}

}  // namespace

int run_service(const msg::config& cfg, const stored_state& stored,
                std::shared_ptr<const trading::market_data> market,
                std::shared_ptr<const msg::binance_market> binance,
                msg::exchange_credentials credentials) {
  limit_malloc_arenas();
  raise_fd_limit();
  // Declared before the actor system, so that it outlives it: ~actor_system waits for every
  // actor, and that wait is bounded too.
  std::optional<shutdown_watchdog> watchdog;
  caf::actor_system_config caf_cfg;
  // CAF's own settings; never cfg.parse(), which would reject our flags and read an .ini.
  caf_cfg.set("scheduler.max-threads", static_cast<std::size_t>(cfg.actor_threads));
  caf::actor_system sys{caf_cfg};
  auto ports = std::make_shared<msg::port_table>();
  auto clock = std::make_shared<trading::system_clock>();
  const auto started_at = clock->now();
  // The store's actors first: every other actor's first events go to it.
  auto storage = sys.spawn<caf::detached>(actors::storage, actors::storage_deps{stored.db, clock});
  auto reader = sys.spawn<caf::detached>(actors::store_reader, stored.reader);
  ports->set(&msg::http_ports::storage, caf::actor_cast<caf::actor_addr>(storage));
  ports->set(&msg::http_ports::storage_metrics, storage);
  // The HTTP layer's context first: the broadcaster's status shows its figures.
  auto ctx = std::make_shared<http::api_context>(sys, ports);
  auto sup =
      sys.spawn(actors::supervisor,
                actors::supervisor_deps{storage, reader, ports, clock, market, binance, true,
                                        version, started_at, stored.saved, stored.config_patch,
                                        ctx->figures(), stored.database_id, std::move(credentials)},
                cfg);
  const own_actors own{
      storage, reader,
      sys.spawn(actors::backtests,
                actors::backtests_deps{storage, sup, clock, market, true, backtest_dirs(cfg)}),
      sys.spawn(actors::optimizations,
                actors::optimizations_deps{storage, sup, clock, market, true, backtest_dirs(cfg)})};
  ports->set(&msg::http_ports::backtests, own.backtests);
  ports->set(&msg::http_ports::optimizations, own.optimizations);
  auto watcher = sys.spawn(watch, caf::actor_cast<caf::actor>(sup), std::string{"supervisor"});
  auto storage_watcher =
      sys.spawn(watch, caf::actor_cast<caf::actor>(storage), std::string{"storage"});
  // Serve only once every actor is spawned and in the directory: the supervisor answers its
  // first message after its start-up, which spawns them all.
  {
    caf::scoped_actor self{sys};
    self->request(sup, std::chrono::seconds{30}, msg::health_atom::value)
        .receive(
            [](msg::health_snapshot&) {},
            [](caf::error& e) { spdlog::error("Supervisor did not start: {}", to_string(e)); });
  }

  // Each on its own thread: the deadlines of the API's calls hold even when an actor holds up
  // the scheduler's threads (actor_threads is 1 by default), so /health answers within 1 s.
  // One per HTTP thread: rendering and writing the replies is spread as the parsing is.
  for (std::int64_t i = 0; i < cfg.http.threads; ++i)
    ctx->bridges.push_back(sys.spawn<caf::detached>(http::bridge));
  ctx->api_token = cfg.api_token;
  ctx->fault_injection = cfg.debug.fault_injection;
  if (cfg.debug.fault_injection)
    spdlog::warn("Fault injection is on: POST /api/debug/crash and /api/debug/hang answer");
  ctx->clock = clock;
  ctx->started_at = started_at;
  ctx->started_steady = std::chrono::steady_clock::now();
  ctx->version = version;
  if (binance)
    ctx->symbols.insert(binance->symbols.begin(), binance->symbols.end());
  else
    for (std::size_t i = 0; i < market->size(); ++i)
      ctx->symbols.insert(market->symbol(i));
  ctx->settings->request_timeout_ms = cfg.http.request_timeout_ms;
  ctx->settings->exchange_timeout_ms = cfg.exchange.timeout_ms;
  ctx->settings->ws_max_pending_bytes = cfg.stream.max_pending_kib * 1024;
  ctx->settings->ws_max_clients = cfg.stream.max_clients;
  ctx->send_timeout = std::chrono::milliseconds{cfg.http.send_timeout_ms};
  ctx->connections = std::make_shared<http::connection_limits>(
      cfg.http.max_connections, cfg.http.max_connections_per_address);
  ctx->policy.bind = cfg.bind;
  for (const auto& h : cfg.http.allowed_hosts)
    ctx->policy.allowed_hosts.push_back(lower_case(h));
  for (const auto& o : cfg.http.allowed_origins)
    ctx->policy.allowed_origins.push_back(
        lower_case(!o.empty() && o.back() == '/' ? o.substr(0, o.size() - 1) : o));

  http::http_server server{ctx};
  try {
    server.start(cfg.bind, static_cast<std::uint16_t>(cfg.port),
                 static_cast<int>(cfg.http.threads));
  } catch (const std::exception& e) {
    spdlog::error("Cannot listen address={}:{} error=\"{}\"", cfg.bind, cfg.port, e.what());
    std::fprintf(stderr, "crypto-trading: cannot listen on %s:%lld: %s\n", cfg.bind.c_str(),
                 static_cast<long long>(cfg.port), e.what());
    stop_actors(sys, *ports, own, sup, steady_clock::now() + milliseconds{cfg.shutdown_timeout_ms});
    for (const auto& b : ctx->bridges)
      anon_send_exit(b, caf::exit_reason::user_shutdown);
    anon_send_exit(watcher, caf::exit_reason::user_shutdown);
    anon_send_exit(storage_watcher, caf::exit_reason::user_shutdown);
    return 1;
  }
  const std::string host =
      cfg.bind.find(':') != std::string::npos ? "[" + cfg.bind + "]" : cfg.bind;
  std::printf("crypto-trading %s listening on http://%s:%u mode=%s exchange=%s\n", version,
              host.c_str(), server.port(), std::string{msg::name_of(cfg.mode)}.c_str(),
              cfg.exchange.name.c_str());
  std::fflush(stdout);
  spdlog::info("Listening address={}:{} mode={} symbols={}", cfg.bind, server.port(),
               msg::name_of(cfg.mode), ctx->symbols.size());

  const int sig = wait_for_signal();
  spdlog::info("Shutting down signal={}", sig == SIGINT ? "SIGINT" : "SIGTERM");
  const milliseconds budget{cfg.shutdown_timeout_ms};
  const auto deadline = steady_clock::now() + budget;
  watchdog.emplace(deadline, budget, supervisor_lost);
  // Requests get half the budget at most, the WebSocket close frames a quarter of what is left;
  // the actors and the store have the rest.
  watchdog->stage("requests in flight");
  if (!server.drain(std::min(milliseconds{5000}, budget / 2)))
    spdlog::warn("Requests still in flight; closing anyway");
  watchdog->stage("WebSocket close frames");
  if (!server.close_websockets(std::min(milliseconds{2000}, left_until(deadline) / 4)))
    spdlog::warn("WebSocket close frames not all written; closing anyway");
  watchdog->stage("the HTTP server's threads");
  server.stop();
  watchdog->stage("the actors' ordered stop and the store's last commit");
  for (const auto& b : ctx->bridges)
    anon_send_exit(b, caf::exit_reason::user_shutdown);
  anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  anon_send_exit(storage_watcher, caf::exit_reason::user_shutdown);
  stop_actors(sys, *ports, own, sup, deadline);
  watchdog->stage("the actor system's end (an actor that does not stop)");
  spdlog::info("Stopped");
  return supervisor_lost ? 1 : 0;
}

}  // namespace ct::app
