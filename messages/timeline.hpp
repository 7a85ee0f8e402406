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
#include "trading/time.hpp"

namespace ct::msg {

/// Command: append an event. `data` is a JSON object's text, rendered verbatim by the API.
struct record_event {
  std::string type;
  std::string source;
  trading::timestamp at{};
  std::string data;
  std::int64_t market_ms = 0;  // the market time it tells of (0: none); the store keeps it
};

struct timeline_event {
  std::uint64_t seq = 0;
  trading::timestamp at{};
  std::string type;
  std::string source;
  std::string data;
};

/// Query: newest first; with after_seq, the `limit` events just above it.
struct get_timeline {
  std::uint64_t limit = 100;
  std::optional<std::uint64_t> before_seq;  // seq < before_seq
  std::optional<std::uint64_t> after_seq;   // seq > after_seq
  std::string type;                         // exact match; empty: any
};

struct timeline_page {
  std::vector<timeline_event> events;
  std::optional<std::uint64_t> next_before_seq;
};

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

using timeline_actor = caf::typed_actor<caf::replies_to<get_timeline>::with<timeline_page>,
                                        caf::replies_to<ping_atom>::with<pong_atom>,
                                        caf::replies_to<apply_config>::with<ok_atom>>;

}  // namespace ct::msg
