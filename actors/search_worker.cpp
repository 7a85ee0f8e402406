#include "actors/search_worker.hpp"

#include <atomic>
#include <thread>

#include <openssl/crypto.h>

#include "actors/log.hpp"
#include "exchange/signing.hpp"
#include "messages/errors.hpp"
#include "messages/text_limits.hpp"

namespace ct::actors {

namespace {

using session_ptr = msg::worker_session_actor::stateful_pointer<worker_session_state>;

bool same_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

caf::result<msg::ok_atom> take_file(session_ptr self, const msg::candle_text& f) {
  if (f.text.size() > max_candle_text)
    return msg::actor_error(errc::payload_too_large, f.name + ": more than 512 MiB", "data");
  if (auto bad = trading::check_candle_file_name(f.name))
    return msg::actor_error(errc::invalid_value, bad->message, "data");
  if (exchange::sha256_hex(f.text) != f.hash)
    return msg::actor_error(errc::invalid_value, f.name + ": its content does not match its hash",
                            "data");
  auto s = trading::parse_candle_file(f.text, f.name);
  if (!s.ok())
    return msg::actor_error(errc::invalid_value, s.err().message, "data");
  self->state.files[f.hash] = std::move(s.value());
  logger("worker")->info("Candle file kept name={} bytes={} sha256={}", f.name, f.text.size(),
                         f.hash);
  return msg::ok_atom::value;
}

caf::result<std::uint64_t> set_up(session_ptr self, const msg::search_setup& s) {
  auto& st = self->state;
  if (s.names.size() != s.hashes.size())
    return msg::actor_error(errc::invalid_value, "a file name for each hash", "data");
  auto j = msg::parse_json(s.config_json);
  if (!j.ok())
    return msg::actor_error(j.err());
  auto cfg = msg::config_from_json(j.value());
  if (!cfg.ok())
    return msg::actor_error(cfg.err());
  const search_options o{s.space, s.trials, s.objective, s.min_trades, s.folds, s.top, s.seed};
  auto plan = make_search_plan(std::move(cfg.value()), o);
  if (!plan.ok())
    return msg::actor_error(plan.err());
  std::vector<trading::candle_series> data;
  for (std::size_t i = 0; i < s.hashes.size(); ++i) {
    auto it = st.files.find(s.hashes[i]);
    if (it == st.files.end())
      return msg::actor_error(errc::invalid_value, s.names[i] + " was never sent", "data");
    data.push_back(it->second);
  }
  if (auto fit = fit_to_data(plan.value(), data, s.folds); !fit.ok())
    return msg::actor_error(fit.err());
  st.data = std::move(data);
  st.plan = std::move(plan.value());
  return static_cast<std::uint64_t>(st.plan->points.size());
}

caf::result<msg::trial_results> run_batch(session_ptr self, const msg::trial_batch& b) {
  auto& st = self->state;
  if (!st.plan)
    return msg::actor_error(errc::conflict, "no search set up", "");
  for (const auto t : b.trials)
    if (t >= st.plan->points.size())
      return msg::actor_error(errc::invalid_value, "no trial " + std::to_string(t), "");
  msg::trial_results out;
  out.results.resize(b.trials.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < b.trials.size(); i = next++) {
      auto r = run_trial(*st.plan, st.data, b.trials[i], nullptr);
      auto& w = out.results[i];
      w.trial = b.trials[i];
      w.point = st.plan->points[static_cast<std::size_t>(w.trial)];
      w.refused = std::move(r.refused);
      if (r.failure)
        w.failure = r.failure->message;
      if (r.outcome) {
        w.scored = true;
        w.score = std::move(r.outcome->score);
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < std::min(st.jobs, b.trials.size()); ++i)
    threads.emplace_back(work);
  work();
  for (auto& t : threads)
    t.join();
  if (++st.batches == 1)
    logger("worker")->info("First batch done trials={}", b.trials.size());
  return out;
}

}  // namespace

msg::worker_door_actor::behavior_type worker_door(
    msg::worker_door_actor::stateful_pointer<worker_door_state> self,
    search_worker_options options) {
  self->state.options = std::move(options);
  return {
      [=](const msg::worker_hello& h) -> caf::result<msg::worker_session_actor> {
        const auto& o = self->state.options;
        if (!same_secret(h.token, o.token)) {
          logger("worker")->warn("Refused a coordinator: wrong token");
          return msg::actor_error(errc::unauthorized, "the worker refused the token", "token");
        }
        if (h.version != o.version)
          return msg::actor_error(errc::invalid_value,
                                  "the worker runs version " + o.version + ", the coordinator " +
                                      msg::echoed(h.version),
                                  "version");
        ++self->state.sessions;
        logger("worker")->info("Session {} opened", self->state.sessions);
        return self->system().spawn<caf::detached>(worker_session, o.jobs,
                                                   self->current_sender()->address());
      },
  };
}

msg::worker_session_actor::behavior_type worker_session(session_ptr self, std::size_t jobs,
                                                        caf::actor_addr coordinator) {
  self->state.jobs = std::max<std::size_t>(1, jobs);
  // The coordinator gone (its process ended, its connection broke), the session goes too.
  if (auto who = caf::actor_cast<caf::strong_actor_ptr>(coordinator))
    self->monitor(who);
  self->set_down_handler([=](caf::down_msg&) { self->quit(); });
  return {
      [=](msg::missing_atom, const std::vector<std::string>& hashes) {
        std::vector<std::string> out;
        for (const auto& h : hashes)
          if (self->state.files.count(h) == 0)
            out.push_back(h);
        return out;
      },
      [=](const msg::candle_text& f) { return take_file(self, f); },
      [=](const msg::search_setup& s) { return set_up(self, s); },
      [=](const msg::trial_batch& b) { return run_batch(self, b); },
  };
}

}  // namespace ct::actors
