// The coordinator's side of `optimize --workers`: connects to each `crypto-trading worker` over
// CAF's remote actors (TLS through libcaf_openssl when given a CA; required beyond loopback),
// says hello with the token, sends each worker the candle files it lacks (by content hash: once
// per worker) and the search, and gives the search pool one runner per worker. A worker that
// goes away mid-run has its batch run by the others.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/search_pool.hpp"
#include "messages/search_wire.hpp"

namespace ct::app {

struct workers_args {
  std::vector<std::string> where;  // HOST:PORT
  std::string token;
  // TLS to the workers (mutual, as CAF's OpenSSL module has it): the CA that signed the
  // workers' certificates, and this side's certificate and key. Empty: plain TCP (loopback).
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

/// A candle file as the workers get it.
struct candle_file_text {
  std::string name;  // the file's own name: its symbol and timeframe
  std::string text;
};

class remote_workers {
public:
  remote_workers();
  ~remote_workers();
  remote_workers(const remote_workers&) = delete;
  remote_workers& operator=(const remote_workers&) = delete;

  /// Connects to every worker and sets the search up on each (files first); checks that each
  /// plans `points` trials. Errors name the worker.
  result<void> open(const workers_args& w, msg::search_setup setup,
                    const std::vector<candle_file_text>& files, std::uint64_t points);

  /// Two runners per worker, for the search pool.
  std::vector<actors::remote_runner> runners();

  /// Bytes of candle files sent, over all workers.
  std::uint64_t bytes_sent() const { return bytes_sent_; }

private:
  struct link {
    std::string where;
    std::unique_ptr<caf::scoped_actor> self;  // says hello, so the session lives as long
    msg::worker_session_actor session;
    caf::actor courier;  // carries the batches, and fails them when the worker goes
  };
  result<void> open_one(link& l, const workers_args& w, const msg::search_setup& setup,
                        const std::vector<candle_file_text>& files, std::uint64_t points);

  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::vector<std::unique_ptr<link>> links_;
  std::uint64_t bytes_sent_ = 0;
};

/// "host:port" split; an error names the text.
result<std::pair<std::string, std::uint16_t>> host_port(const std::string& text,
                                                        const std::string& flag);

}  // namespace ct::app
