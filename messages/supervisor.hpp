// The supervisor's messages: health, the running configuration, and an ordered shutdown.
#pragma once

#include <map>
#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/config_inspect.hpp"
#include "messages/scanner.hpp"
#include "messages/storage.hpp"

namespace ct::msg {

/// Event, position manager to supervisor: the exchange account against the ledger (live mode
/// on Binance). `state` is "reconciling" (at start), "ok", or "shortfall" / "unresolved" (why
/// trading stays off, with the symbol and both figures, or the orders, in `error`).
struct account_health {
  std::string state;
  std::string error;
};

/// Each supervised actor's state, and the store's (up, or failed while commits fail).
struct health_snapshot {
  std::map<std::string, actor_state> actors;
  std::string storage_error{};                  // why the last commit failed, while it does
  exchange_health exchange{health::ok, "", 0};  // as the scanner last found it
  account_health account{};                     // empty state: no exchange account
};

/// Command: merge a JSON patch (its text) into the running configuration.
struct apply_config_patch {
  std::string patch;
};

/// Internal: the backoff before restarting `name` has passed.
struct restart_child {
  std::string name;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_snapshot& x) {
  return f(caf::meta::type_name("health_snapshot"), x.actors, x.storage_error, x.exchange,
           x.account);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_health& x) {
  return f(caf::meta::type_name("account_health"), x.state, x.error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, apply_config_patch& x) {
  return f(caf::meta::type_name("apply_config_patch"), x.patch);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restart_child& x) {
  return f(caf::meta::type_name("restart_child"), x.name);
}

using supervisor_actor =
    caf::typed_actor<caf::replies_to<health_atom>::with<health_snapshot>,
                     caf::replies_to<get_config_atom>::with<config>,
                     caf::replies_to<apply_config_patch>::with<config>,
                     caf::replies_to<shutdown_atom>::with<ok_atom>, caf::reacts_to<restart_child>,
                     caf::reacts_to<storage_health>, caf::reacts_to<exchange_health>,
                     caf::reacts_to<account_health>, caf::reacts_to<heartbeat_atom>,
                     caf::reacts_to<hang_atom, std::int64_t>,
                     caf::replies_to<metrics_atom>::with<std::string>>;

}  // namespace ct::msg
