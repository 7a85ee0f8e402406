// The timeline recorder's messages: every event of the service gets a gap-free increasing seq.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/config_inspect.hpp"
#include "messages/inspect.hpp"
#include "store/records.hpp"
#include "trading/time.hpp"

namespace ct::msg {

using store::equity_page;
using store::equity_query;
using store::equity_sample;
using store::get_timeline;
using store::record_event;
using store::timeline_event;
using store::timeline_page;

}  // namespace ct::msg

// Their inspect() is found by argument-dependent lookup: it lives in their namespace.
namespace ct::store {

using msg::opt;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, record_event& x) {
  return f(caf::meta::type_name("record_event"), x.type, x.source, x.at, x.data, x.market_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, timeline_event& x) {
  return f(caf::meta::type_name("timeline_event"), x.seq, x.at, x.type, x.source, x.data);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_timeline& x) {
  auto before = opt(x.before_seq);
  auto after = opt(x.after_seq);
  return f(caf::meta::type_name("get_timeline"), x.limit, before, after, x.type);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, timeline_page& x) {
  auto next = opt(x.next_before_seq);
  return f(caf::meta::type_name("timeline_page"), x.events, next);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, equity_sample& x) {
  return f(caf::meta::type_name("equity_sample"), x.market_ms, x.at, x.equity, x.cash);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, equity_query& x) {
  auto from = opt(x.from_ms);
  auto to = opt(x.to_ms);
  return f(caf::meta::type_name("equity_query"), from, to, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, equity_page& x) {
  return f(caf::meta::type_name("equity_page"), x.points, x.samples);
}

}  // namespace ct::store

namespace ct::msg {

using timeline_actor = caf::typed_actor<caf::replies_to<get_timeline>::with<timeline_page>,
                                        caf::replies_to<equity_query>::with<equity_page>,
                                        caf::replies_to<ping_atom>::with<pong_atom>,
                                        caf::replies_to<apply_config>::with<ok_atom>>;

}  // namespace ct::msg
