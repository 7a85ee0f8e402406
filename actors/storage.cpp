#include "actors/storage.hpp"

#include <chrono>

#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "actors/log.hpp"

namespace ct::actors {

namespace {

void notify(storage_ptr self, const msg::storage_health& h) {
  const auto& peers = self->state.peers;
  if (auto s = peers.supervisor)
    self->send(s, h);
  if (auto pm = peers.position_manager)
    self->send(pm, h);
}

void own_event(storage_state& st, const char* type, const nlohmann::json& data) {
  msg::write_batch b;
  b.events.push_back(msg::record_event{type, "storage", st.deps.clock->now(), data.dump()});
  st.queue.push_back({std::move(b), {}});
}

/// Commits everything queued in one transaction; on failure keeps it and retries later.
void commit_queue(storage_ptr self) {
  auto& st = self->state;
  const auto n = st.queue.size();
  if (n == 0)
    return;
  std::vector<const msg::write_batch*> batches;
  batches.reserve(n);
  for (const auto& p : st.queue)
    if (!p.batch.empty())
      batches.push_back(&p.batch);
  std::vector<msg::timeline_event> events;
  if (!batches.empty()) {
    try {
      const auto started = std::chrono::steady_clock::now();
      events = st.deps.db->commit(batches);
      st.commit_seconds.observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      st.commit_batches.observe(static_cast<double>(batches.size()));
    } catch (const store::sqlite_error& e) {
      ++st.commit_failures;
      const bool first = st.failure.empty();
      st.failure = store::describe_failure(e, st.deps.db->path());
      if (first) {
        logger("storage")->error("Commit failed, trading stops; retrying error=\"{}\"", st.failure);
        own_event(st, "storage_failed", {{"error", st.failure}});
        notify(self, {msg::health::failed, st.failure});
      }
      self->delayed_send(self, st.deps.retry_interval, msg::retry_atom::value);
      return;
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    if (st.queue[i].promise.pending())
      st.queue[i].promise.deliver(msg::committed{st.deps.db->last_seq()});
  st.queue.erase(st.queue.begin(), st.queue.begin() + static_cast<std::ptrdiff_t>(n));
  if (auto b = st.peers.broadcaster)
    for (auto& e : events)
      self->send(b, std::move(e));
  if (!st.failure.empty()) {
    logger("storage")->warn("Commits succeed again after error=\"{}\"", st.failure);
    st.failure.clear();
    own_event(st, "storage_recovered", nlohmann::json::object());
    notify(self, {msg::health::ok, ""});
  }
  if (!st.queue.empty() && !st.flush_scheduled) {
    st.flush_scheduled = true;
    self->send(self, msg::flush_atom::value);
  }
}

std::string metrics_text(const storage_state& st) {
  msg::prom_text out;
  out.family("ct_store_commit_seconds", "histogram",
             "One group commit: the write batches that queued while the last one ran.");
  st.commit_seconds.render(out, "ct_store_commit_seconds");
  out.family("ct_store_commit_batches", "histogram", "Write batches per group commit.");
  st.commit_batches.render(out, "ct_store_commit_batches");
  out.family("ct_store_commit_failures_total", "counter", "Commits the database refused.")
      .sample("ct_store_commit_failures_total", static_cast<double>(st.commit_failures));
  out.family("ct_store_queued_batches", "gauge", "Write batches waiting for a commit.")
      .sample("ct_store_queued_batches", static_cast<double>(st.queue.size()));
  out.family("ct_store_up", "gauge", "1 while commits succeed, else 0.")
      .sample("ct_store_up", st.failure.empty() ? 1 : 0);
  return out.take();
}

}  // namespace

msg::storage_actor::behavior_type storage(storage_ptr self, storage_deps deps) {
  self->state.deps = std::move(deps);
  logger("storage")->debug("Storage up path={} last_seq={}", self->state.deps.db->path(),
                           self->state.deps.db->last_seq());
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::write_batch& b) -> caf::result<msg::committed> {
        auto& st = self->state;
        auto rp = self->make_response_promise<msg::committed>();
        st.queue.push_back({std::move(b), rp});
        if (!st.flush_scheduled && st.failure.empty()) {
          st.flush_scheduled = true;
          self->send(self, msg::flush_atom::value);
        }
        return rp;
      },
      [=](msg::flush_atom) {
        self->state.flush_scheduled = false;
        if (self->state.failure.empty())
          commit_queue(self);
      },
      [=](msg::retry_atom) { commit_queue(self); },
      [=](msg::load_ledger_atom) -> caf::result<msg::saved_ledger> {
        // What was sent before this request is committed first, so the answer includes it.
        if (self->state.failure.empty())
          commit_queue(self);
        try {
          return self->state.deps.db->load_ledger();
        } catch (const store::sqlite_error& e) {
          return caf::make_error(caf::sec::runtime_error,
                                 store::describe_failure(e, self->state.deps.db->path()));
        }
      },
      [=](msg::storage_peers& p) { self->state.peers = std::move(p); },
      [=](msg::ping_atom) {
        if (self->state.failure.empty())
          commit_queue(self);
        return msg::pong_atom::value;
      },
      [=](msg::metrics_atom) { return metrics_text(self->state); },
  };
}

}  // namespace ct::actors
