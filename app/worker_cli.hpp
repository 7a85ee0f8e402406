// `crypto-trading worker`: serves a strategy search's trials to coordinators
// (`optimize --workers`) over CAF's remote actors. It listens on loopback unless told otherwise;
// any other address needs a token and TLS (the API's rule), and a coordinator with a wrong
// token is refused before it can send anything to run.
#pragma once

#include <cstddef>
#include <string>

namespace ct::app {

struct worker_args {
  std::string listen = "127.0.0.1:9013";
  std::string token;     // also CRYPTO_TRADING_WORKER_TOKEN
  std::size_t jobs = 0;  // 0: every core
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;  // the CA that signed the coordinators' certificates (mutual TLS)
};

/// Serves until SIGINT or SIGTERM; the exit status (2 with a message for a bad argument).
int run_worker_command(worker_args a);

}  // namespace ct::app
