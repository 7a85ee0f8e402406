#include "app/worker_cli.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <caf/io/middleman.hpp>
#include <caf/io/publish.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <spdlog/spdlog.h>

#include "actors/search_worker.hpp"
#include "app/remote_search.hpp"
#include "app/version.hpp"
#include "messages/config.hpp"

namespace ct::app {

int run_worker_command(worker_args a) {
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "crypto-trading worker: %s\n", why.c_str());
    return 2;
  };
  if (a.token.empty())
    if (const char* t = std::getenv("CRYPTO_TRADING_WORKER_TOKEN"))
      a.token = t;
  ::unsetenv("CRYPTO_TRADING_WORKER_TOKEN");
  auto hp = host_port(a.listen, "--listen");
  if (!hp.ok())
    return fail(hp.err().message);
  const auto& [host, port] = hp.value();
  const bool tls = !a.tls_cert.empty() || !a.tls_key.empty() || !a.tls_ca.empty();
  if (tls && (a.tls_cert.empty() || a.tls_key.empty() || a.tls_ca.empty()))
    return fail(
        "TLS needs --tls-cert, --tls-key and --tls-ca (mutual: coordinators present a "
        "certificate too)");
  if (!msg::is_loopback(host) && (a.token.empty() || !tls))
    return fail("refusing to listen on " + host +
                " without a token and TLS: give --token (or CRYPTO_TRADING_WORKER_TOKEN), "
                "--tls-cert, --tls-key and --tls-ca, or listen on a loopback address");
  if (a.token.size() > 512)
    return fail("--token: at most 512 characters");
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  if (tls) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = a.tls_cert;
    cfg.openssl_key = a.tls_key;
    cfg.openssl_cafile = a.tls_ca;
  }
  msg::announce_search_wire(cfg);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  // One scheduler thread that sleeps when idle: the trials run on their own threads, and a
  // work-stealing scheduler polling for messages would take CPU from them.
  cfg.set("scheduler.max-threads", std::size_t{1});
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system sys{cfg};
  const std::size_t jobs =
      a.jobs > 0 ? a.jobs : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  auto door = sys.spawn(actors::worker_door, actors::search_worker_options{a.token, version, jobs});
  auto bound = tls ? caf::openssl::publish(door, port, host.c_str(), true)
                   : caf::io::publish(door, port, host.c_str(), true);
  if (!bound)
    return fail("cannot listen on " + a.listen + ": " + sys.render(bound.error()));
  std::printf("worker listening on %s:%u jobs=%zu tls=%s\n", host.c_str(),
              static_cast<unsigned>(*bound), jobs, tls ? "on" : "off");
  std::fflush(stdout);
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  int sig = 0;
  sigwait(&stop, &sig);
  // Nothing here is kept: a batch in progress is simply not answered, and its coordinator runs
  // it elsewhere.
  spdlog::shutdown();
  std::printf("worker stopped\n");
  std::fflush(stdout);
  std::_Exit(0);
}

}  // namespace ct::app
