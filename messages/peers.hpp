// Who talks to whom. Each supervised actor (and the storage actor) is given the handles of the
// siblings it sends to, as one of these, when it is spawned; the supervisor sends a fresh one to
// everyone concerned whenever a sibling restarts (at its new address) or goes down (an empty
// handle: not there now). Handles that live as long as the process (the storage actor, the store
// reader, the supervisor) come in each actor's deps instead.
//
//   scanner          -> market feed (fetch), position manager (scans), broadcaster (tickers)
//   position manager -> market feed (orders), broadcaster (status, positions)
//   market feed      -> broadcaster (order books)
//   broadcaster      -> market feed (book snapshots), position manager (the hello's status)
//   storage          -> broadcaster (committed events), supervisor and position manager (health)
#pragma once

#include "messages/market.hpp"
#include "messages/positions.hpp"
#include "messages/scanner.hpp"
#include "messages/storage.hpp"
#include "messages/supervisor.hpp"
#include "messages/ws.hpp"

namespace ct::msg {

struct scanner_peers {
  market_feed_actor market_feed;
  position_manager_actor position_manager;
  broadcaster_actor broadcaster;
};

struct position_manager_peers {
  market_feed_actor market_feed;
  broadcaster_actor broadcaster;
};

struct market_feed_peers {
  broadcaster_actor broadcaster;
};

struct broadcaster_peers {
  market_feed_actor market_feed;
  position_manager_actor position_manager;
};

struct storage_peers {
  supervisor_actor supervisor;
  position_manager_actor position_manager;
  broadcaster_actor broadcaster;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scanner_peers& x) {
  return f(caf::meta::type_name("scanner_peers"), x.market_feed, x.position_manager, x.broadcaster);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_manager_peers& x) {
  return f(caf::meta::type_name("position_manager_peers"), x.market_feed, x.broadcaster);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, market_feed_peers& x) {
  return f(caf::meta::type_name("market_feed_peers"), x.broadcaster);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, broadcaster_peers& x) {
  return f(caf::meta::type_name("broadcaster_peers"), x.market_feed, x.position_manager);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, storage_peers& x) {
  return f(caf::meta::type_name("storage_peers"), x.supervisor, x.position_manager, x.broadcaster);
}

}  // namespace ct::msg
