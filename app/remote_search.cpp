#include "app/remote_search.hpp"

#include <chrono>
#include <cstdio>
#include <future>
#include <map>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/remote_actor.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <caf/send.hpp>

#include "app/version.hpp"
#include "exchange/signing.hpp"
#include "messages/config.hpp"

namespace ct::app::detail {

/// A batch's answer, handed from the courier actor to the pool thread waiting for it: the
/// outcomes, or nothing when the worker went away.
using batch_answer = std::promise<std::optional<msg::trial_results>>;

struct batch_order {
  msg::trial_batch batch;
  std::shared_ptr<batch_answer> answer;
};

}  // namespace ct::app::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ct::app::detail::batch_order)  // local only: it holds a promise

namespace ct::app {

namespace {

using detail::batch_answer;
using detail::batch_order;

/// How long a worker may take over one batch before it counts as gone.
constexpr std::chrono::minutes batch_timeout{10};
constexpr std::chrono::seconds setup_timeout{120};

/// One worker's batches: asks its session for each and watches it, so that a worker that dies
/// (its connection breaks) fails its batch at once instead of at the timeout.
caf::behavior courier(caf::event_based_actor* self, msg::worker_session_actor session,
                      std::string where) {
  auto pending = std::make_shared<std::map<std::uint64_t, std::shared_ptr<batch_answer>>>();
  auto seq = std::make_shared<std::uint64_t>(0);
  auto gone = std::make_shared<bool>(false);
  self->monitor(session);
  self->set_down_handler([=](caf::down_msg& d) {
    std::fprintf(stderr,
                 "crypto-trading optimize: worker %s went away (%s); its trials run "
                 "elsewhere\n",
                 where.c_str(), self->system().render(d.reason).c_str());
    *gone = true;
    for (auto& [id, answer] : *pending)
      answer->set_value(std::nullopt);
    pending->clear();
  });
  return {
      [=](batch_order& o) {
        if (*gone) {  // every later batch goes back at once
          o.answer->set_value(std::nullopt);
          return;
        }
        const auto id = ++*seq;
        (*pending)[id] = o.answer;
        self->request(session, batch_timeout, std::move(o.batch))
            .then(
                [=](msg::trial_results& r) {
                  if (auto it = pending->find(id); it != pending->end()) {
                    it->second->set_value(std::move(r));
                    pending->erase(it);
                  }
                },
                [=](caf::error& e) {
                  if (auto it = pending->find(id); it != pending->end()) {
                    std::fprintf(stderr, "crypto-trading optimize: worker %s failed a batch (%s)\n",
                                 where.c_str(), self->system().render(e).c_str());
                    it->second->set_value(std::nullopt);
                    pending->erase(it);
                  }
                });
      },
  };
}

error worker_error(const std::string& where, const std::string& what) {
  return make_error(errc::invalid_value, "worker " + where + ": " + what, "workers");
}

std::string text_of(caf::actor_system& sys, const caf::error& e) {
  return sys.render(e);
}

}  // namespace

result<std::pair<std::string, std::uint16_t>> host_port(const std::string& text,
                                                        const std::string& flag) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return make_error(errc::invalid_value, flag + " " + text + ": expected HOST:PORT", flag);
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535)
    return make_error(errc::invalid_value, flag + " " + text + ": the port must be 0..65535", flag);
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return std::make_pair(host, static_cast<std::uint16_t>(std::stoul(port)));
}

remote_workers::remote_workers() {
  cfg_.load<caf::io::middleman>();
  cfg_.load<caf::openssl::manager>();
  msg::announce_search_wire(cfg_);
  cfg_.set("logger.verbosity", caf::atom("quiet"));
  // One scheduler thread that sleeps when idle: the trials run on the pool's threads and the
  // workers, and a work-stealing scheduler polling for messages would take CPU from them.
  cfg_.set("scheduler.max-threads", std::size_t{1});
  cfg_.set("scheduler.policy", caf::atom("sharing"));
}

remote_workers::~remote_workers() {
  // The couriers first (a session's end is no news once the search is over), then the scoped
  // actors, before the system.
  for (auto& l : links_)
    if (l->courier) {
      (*l->self)->send_exit(l->courier, caf::exit_reason::kill);
      (*l->self)->wait_for(l->courier);
    }
  links_.clear();
  sys_.reset();
}

result<void> remote_workers::open(const workers_args& w, msg::search_setup setup,
                                  const std::vector<candle_file_text>& files,
                                  std::uint64_t points) {
  const bool tls = !w.ca_file.empty() || !w.cert_file.empty() || !w.key_file.empty();
  if (tls && (w.ca_file.empty() || w.cert_file.empty() || w.key_file.empty()))
    return make_error(errc::invalid_value,
                      "TLS to the workers needs --worker-ca, --worker-cert and --worker-key",
                      "workers");
  cfg_.openssl_cafile = w.ca_file;
  cfg_.openssl_certificate = w.cert_file;
  cfg_.openssl_key = w.key_file;
  sys_ = std::make_unique<caf::actor_system>(cfg_);
  for (const auto& f : files) {
    setup.names.push_back(f.name);
    setup.hashes.push_back(exchange::sha256_hex(f.text));
  }
  for (const auto& where : w.where) {
    auto l = std::make_unique<link>();
    l->where = where;
    if (auto r = open_one(*l, w, setup, files, points); !r.ok())
      return r;
    links_.push_back(std::move(l));
  }
  return {};
}

result<void> remote_workers::open_one(link& l, const workers_args& w,
                                      const msg::search_setup& setup,
                                      const std::vector<candle_file_text>& files,
                                      std::uint64_t points) {
  auto hp = host_port(l.where, "--workers");
  if (!hp.ok())
    return hp.err();
  const auto& [host, port] = hp.value();
  if (!msg::is_loopback(host) && w.ca_file.empty())
    return worker_error(l.where,
                        "beyond loopback the connection needs TLS: give --worker-ca (the CA that "
                        "signed the worker's certificate), --worker-cert and --worker-key");
  auto door = w.ca_file.empty()
                  ? caf::io::remote_actor<msg::worker_door_actor>(*sys_, host, port)
                  : caf::openssl::remote_actor<msg::worker_door_actor>(*sys_, host, port);
  if (!door)
    return worker_error(l.where, "cannot connect: " + text_of(*sys_, door.error()));
  l.self = std::make_unique<caf::scoped_actor>(*sys_);
  auto& self = *l.self;
  std::string failed;
  auto fail = [&](caf::error& e) { failed = text_of(*sys_, e); };
  self->request(*door, setup_timeout, msg::worker_hello{w.token, version})
      .receive([&](msg::worker_session_actor& s) { l.session = s; }, fail);
  if (!failed.empty())
    return worker_error(l.where, failed);
  std::vector<std::string> missing;
  self->request(l.session, setup_timeout, msg::missing_atom::value, setup.hashes)
      .receive([&](std::vector<std::string>& m) { missing = std::move(m); }, fail);
  for (std::size_t i = 0; i < files.size() && failed.empty(); ++i) {
    if (std::find(missing.begin(), missing.end(), setup.hashes[i]) == missing.end())
      continue;  // it has this one already
    bytes_sent_ += files[i].text.size();
    self->request(l.session, setup_timeout,
                  msg::candle_text{files[i].name, setup.hashes[i], files[i].text})
        .receive([](msg::ok_atom) {}, fail);
  }
  std::uint64_t planned = 0;
  if (failed.empty())
    self->request(l.session, setup_timeout, setup)
        .receive([&](std::uint64_t n) { planned = n; }, fail);
  if (!failed.empty())
    return worker_error(l.where, failed);
  if (planned != points)
    return worker_error(l.where, "it plans " + std::to_string(planned) + " trials, this side " +
                                     std::to_string(points));
  l.courier = sys_->spawn(courier, l.session, l.where);
  return {};
}

std::vector<actors::remote_runner> remote_workers::runners() {
  std::vector<actors::remote_runner> out;
  // Two runners per worker: while it computes one batch the next waits in its mailbox, so it
  // never idles through a round trip.
  for (int twice = 0; twice < 2; ++twice)
    for (auto& l : links_) {
      out.emplace_back([courier = l->courier](const std::vector<std::uint64_t>& trials,
                                              std::vector<actors::trial_run>& runs,
                                              const std::atomic<bool>& cancel) {
        auto answer = std::make_shared<batch_answer>();
        auto future = answer->get_future();
        caf::anon_send(courier, batch_order{msg::trial_batch{trials}, std::move(answer)});
        // The courier answers every order (at the batch timeout at the latest); a stopped
        // search does not wait for it (Ctrl-C: the batch's trials are not reported).
        while (future.wait_for(std::chrono::milliseconds{100}) != std::future_status::ready)
          if (cancel.load(std::memory_order_relaxed))
            return false;
        auto r = future.get();
        if (!r)
          return false;
        for (auto& w : r->results) {
          actors::trial_run run;
          run.refused = std::move(w.refused);
          if (!w.failure.empty())
            run.failure = error{errc::bad_data, w.failure, ""};
          if (w.scored)
            run.outcome = actors::trial_outcome{w.trial, w.point, std::move(w.score)};
          runs.push_back(std::move(run));
        }
        return true;
      });
    }
  return out;
}

}  // namespace ct::app
