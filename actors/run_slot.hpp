// The runs of an actor that runs one job at a time on a detached worker (the backtests, the
// strategy searches): the one running, the finished ones kept for GET, and who waits for the
// running one to end when the service stops. A Run has a shared `cancel` flag.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/log.hpp"
#include "messages/atoms.hpp"
#include "messages/errors.hpp"

namespace ct::actors {

template <class Run>
struct run_slot {
  std::map<std::string, Run> runs;
  std::deque<std::string> finished;  // oldest first
  std::string running;               // the id of the run in progress, if any
  bool stopping = false;             // the service stops: no new run, the running one is cancelled
  std::vector<caf::typed_response_promise<msg::ok_atom>> stop_waiters;  // until nothing runs

  ~run_slot() {
    for (auto& [id, run] : runs)
      run.cancel->store(true);
  }

  /// Nothing runs any more: whoever waits for the stop is answered.
  void release() {
    running.clear();
    for (auto& rp : stop_waiters)
      rp.deliver(msg::ok_atom::value);
    stop_waiters.clear();
  }

  /// A run is over: it leaves the running slot and joins the last `kept` ones.
  void finish(const std::string& id, std::size_t kept) {
    if (running == id)
      release();
    finished.push_back(id);
    while (finished.size() > kept) {
      runs.erase(finished.front());
      finished.pop_front();
    }
  }

  /// A run refused before it was accepted (bad input found by its worker): the request gets
  /// `e`, the run is forgotten and the slot freed. False when the run had been accepted.
  bool refuse_unaccepted(const std::string& id, const ct::error& e) {
    auto it = runs.find(id);
    if (it == runs.end() || !it->second.accepting)
      return false;
    it->second.accepting->deliver(msg::actor_error(e));
    runs.erase(it);
    release();
    return true;
  }

  /// Why a new run cannot start now: the service stops, or one runs (a conflict, the running
  /// one named as a `what`).
  std::optional<caf::error> refusal(const std::string& what) const {
    if (stopping)
      return msg::actor_error(msg::errc::actor_unavailable, "the service is stopping");
    if (!running.empty())
      return msg::actor_error(
          msg::errc::conflict,
          what + " " + running + " is running: one runs at a time, try again when it completes");
    return std::nullopt;
  }
};

/// The service stops: no new run; the running one, if any, is cancelled, and the answer waits
/// until its worker has reported its end (so that its end is on the timeline before the store
/// stops).
template <class Self>
caf::result<msg::ok_atom> stop_runs(Self self, const char* log_name, const char* what) {
  auto& st = self->state;
  st.stopping = true;
  if (st.running.empty())
    return msg::ok_atom::value;
  if (auto it = st.runs.find(st.running); it != st.runs.end())
    it->second.cancel->store(true);
  logger(log_name)->info("Cancelling {} id={}: the service stops", what, st.running);
  auto rp = self->template make_response_promise<msg::ok_atom>();
  st.stop_waiters.push_back(rp);
  return rp;
}

}  // namespace ct::actors
