// The supervisor's children: spawning each with the handles it needs, and telling every sibling
// of a change of address (messages/peers.hpp).
#include <caf/event_based_actor.hpp>

#include "actors/supervisor.hpp"
#include "actors/timeline.hpp"
#include "trading/symbol.hpp"

namespace ct::actors {

void send_restart_counts(supervisor_ptr self) {
  msg::restart_counts rc;
  for (const auto& name : child_names())
    rc.counts[name] = 0;  // every actor, also those not started yet
  for (const auto& c : self->state.children)
    rc.counts[c.name] = c.restarts;
  if (auto pm = self->state.kids.position_manager)
    self->send(pm, rc);
}

/// Every sibling hears of every change of address: the handles each needs, as they are now.
void rewire(supervisor_ptr self) {
  const auto& k = self->state.kids;
  const auto& d = self->state.deps;
  if (k.scanner)
    self->send(k.scanner, msg::scanner_peers{k.market_feed, k.position_manager, k.broadcaster});
  if (k.position_manager)
    self->send(k.position_manager, msg::position_manager_peers{k.market_feed, k.broadcaster});
  if (k.market_feed)
    self->send(k.market_feed, msg::market_feed_peers{k.broadcaster});
  if (k.broadcaster)
    self->send(k.broadcaster, msg::broadcaster_peers{k.market_feed, k.position_manager});
  self->send(d.storage, msg::storage_peers{caf::actor_cast<msg::supervisor_actor>(self),
                                           k.position_manager, k.broadcaster});
  // The HTTP layer's ports follow too.
  d.ports->set(&msg::http_ports::timeline, k.timeline);
  d.ports->set(&msg::http_ports::broadcaster, k.broadcaster);
  d.ports->set(&msg::http_ports::market_feed, k.market_feed);
  d.ports->set(&msg::http_ports::position_manager, k.position_manager);
  d.ports->set(&msg::http_ports::scanner, k.scanner);
}

namespace {

std::string quote_currency(const supervisor_deps& d) {
  if (d.binance)
    return d.binance->quote;
  auto parts = trading::split_symbol(d.market->symbol(0));
  return parts ? parts->quote : std::string{};
}

template <class Handle>
caf::actor adopt(supervisor_ptr self, Handle children_handles::*member, Handle h) {
  self->monitor(h);
  self->state.kids.*member = h;
  rewire(self);
  return caf::actor_cast<caf::actor>(h);
}

}  // namespace

/// Spawns `name` with the handles it needs; the position manager starts from `saved`, the
/// store's ledger, and the market feed at its market time.
caf::actor spawn_child(supervisor_ptr self, const std::string& name, msg::saved_ledger saved) {
  auto& st = self->state;
  auto& d = st.deps;
  const auto& k = st.kids;
  if (name == "timeline")
    return adopt(self, &children_handles::timeline, self->spawn(timeline, d.store_reader));
  if (name == "broadcaster")
    return adopt(
        self, &children_handles::broadcaster,
        self->spawn(
            broadcaster,
            broadcaster_deps{
                d.clock, d.started_at, d.version, d.http, {k.market_feed, k.position_manager}},
            st.cfg));
  if (name == "market_feed" && d.binance)
    return adopt(
        self, &children_handles::market_feed,
        self->spawn(binance_feed, binance_feed_deps{d.binance, d.clock, {k.broadcaster}}, st.cfg));
  if (name == "market_feed")
    return adopt(
        self, &children_handles::market_feed,
        self->spawn(market_feed,
                    market_feed_deps{
                        d.market, d.clock, saved.market_ms, d.detached_exchange, {k.broadcaster}},
                    st.cfg));
  if (name == "position_manager") {
    auto out = adopt(self, &children_handles::position_manager,
                     self->spawn(position_manager,
                                 position_manager_deps{
                                     d.storage,
                                     d.store_reader,
                                     d.clock,
                                     std::move(saved),
                                     quote_currency(d),
                                     {k.market_feed, k.broadcaster},
                                     d.binance ? d.binance->rules : decltype(d.binance->rules){},
                                     d.database_id,
                                     d.binance,
                                     d.credentials,
                                     caf::actor_cast<msg::supervisor_actor>(self)},
                                 st.cfg));
    send_restart_counts(self);
    return out;
  }
  return adopt(self, &children_handles::scanner,
               self->spawn(scanner,
                           scanner_deps{d.storage,
                                        d.clock,
                                        {k.market_feed, k.position_manager, k.broadcaster},
                                        caf::actor_cast<msg::supervisor_actor>(self)},
                           st.cfg));
}

/// `name` is down: its siblings hear that it is not there now.
void forget(supervisor_ptr self, const std::string& name) {
  auto& k = self->state.kids;
  if (name == "timeline")
    k.timeline = nullptr;
  else if (name == "broadcaster")
    k.broadcaster = nullptr;
  else if (name == "market_feed")
    k.market_feed = nullptr;
  else if (name == "position_manager")
    k.position_manager = nullptr;
  else
    k.scanner = nullptr;
  rewire(self);
}

}  // namespace ct::actors
