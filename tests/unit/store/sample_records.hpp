// Records for the store's tests: timeline events and a position with every field set.
#pragma once

#include <initializer_list>
#include <string>

#include "store/records.hpp"

namespace ct::test {

using trading::money;
using trading::price;
using trading::quantity;

inline ct::store::record_event ev(std::string type, int i = 0) {
  return {std::move(type), "test", trading::from_unix_ms(1000 + i),
          "{\"i\":" + std::to_string(i) + "}"};
}

inline ct::store::write_batch events(std::initializer_list<const char*> types) {
  ct::store::write_batch b;
  int i = 0;
  for (const char* t : types)
    b.events.push_back(ev(t, i++));
  return b;
}

inline trading::position a_position(const std::string& id, bool closed) {
  trading::position p;
  p.id = id;
  p.symbol = "ADA-BTC";
  p.qty = quantity::from_units(123'456'789);
  p.entry_price = price::from_units(4'707);
  p.cost = money::from_units(10'000'000);
  p.entry_fee = money::from_units(10'000);
  p.mark = price::from_units(4'710);
  p.stop_loss = price::from_units(4'660);
  p.opened_at = trading::timestamp{std::chrono::nanoseconds{1'795'499'032'123'456'789}};
  p.entry_order_id = "paper-1";
  p.strategy = "momentum";
  p.entry_reason = "why";
  if (closed) {
    p.closed_at = p.opened_at + std::chrono::seconds{5};
    p.exit_reason = trading::exit_reason::stop_loss;
    p.exit_price = price::from_units(4'650);
    p.proceeds = money::from_units(9'900'000);
    p.exit_fee = money::from_units(9'900);
    p.exit_order_id = "paper-2";
  }
  return p;
}

}  // namespace ct::test
