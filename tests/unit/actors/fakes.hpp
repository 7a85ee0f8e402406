// Test doubles behind the real typed interfaces: a scripted market feed and a position manager
// that records what it is sent.
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "messages/binance.hpp"
#include "messages/errors.hpp"
#include "messages/market.hpp"
#include "messages/positions.hpp"

namespace ct::test {

using release_atom = caf::atom_constant<caf::atom("release")>;

/// Replies to fetches from a script; with `hold`, keeps each fetch until sent release_atom.
struct feed_script {
  std::deque<std::variant<trading::ticker_batch, caf::error>> replies;
  bool hold = false;
  int fetches = 0;
  std::vector<std::optional<std::int64_t>> since;  // what each fetch asked from
  std::vector<std::uint64_t> warmups;              // and how many candles without a since
  std::deque<caf::response_promise> held;
  std::vector<msg::submit_order> orders;
  bool orders_fail = false;
};

inline caf::behavior fake_feed(caf::event_based_actor* self, std::shared_ptr<feed_script> s) {
  auto next = [s]() -> std::variant<trading::ticker_batch, caf::error> {
    if (s->replies.empty())
      return msg::actor_error(msg::errc::exchange_unavailable, "script exhausted");
    auto r = s->replies.front();
    s->replies.pop_front();
    return r;
  };
  auto answer = [next](caf::response_promise& rp) {
    auto r = next();
    if (auto* batch = std::get_if<trading::ticker_batch>(&r))
      rp.deliver(*batch);
    else
      rp.deliver(std::get<caf::error>(r));
  };
  return {
      [=](const msg::fetch_market& q) {
        ++s->fetches;
        s->since.push_back(q.since_ms);
        s->warmups.push_back(q.warmup);
        auto rp = self->make_response_promise();
        if (s->hold)
          s->held.push_back(rp);
        else
          answer(rp);
        return rp;
      },
      [=](release_atom) {
        if (!s->held.empty()) {
          auto rp = s->held.front();
          s->held.pop_front();
          answer(rp);
        }
      },
      [=](const msg::submit_order& o) -> caf::result<trading::fill> {
        s->orders.push_back(o);
        if (s->orders_fail)
          return msg::actor_error(msg::errc::exchange_unavailable, "simulated rejection");
        trading::fill f;
        f.order_id = "sim-" + std::to_string(s->orders.size());
        f.symbol = o.symbol;
        f.side = o.side;
        f.qty = o.qty;
        f.px = trading::price::from_units(1000);
        f.fee = trading::money::from_units(1);
        return f;
      },
      [=](const msg::apply_config&) { return msg::ok_atom::value; },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

/// Records what a position manager would receive.
struct pm_record {
  std::vector<msg::scan_completed> scans;
  std::vector<msg::exchange_health> health;
};

inline caf::behavior fake_position_manager(caf::event_based_actor*, std::shared_ptr<pm_record> r) {
  return {
      [=](msg::scan_completed& sc) { r->scans.push_back(sc); },
      [=](const msg::exchange_health& h) { r->health.push_back(h); },
      [=](const msg::restart_counts&) {},
      [=](const msg::apply_config&) { return msg::ok_atom::value; },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
  };
}

/// One tick batch from (symbol, last price) pairs; bid and ask one unit around the price.
inline trading::ticker_batch make_batch(std::vector<std::pair<std::string, double>> prices,
                                        std::uint64_t epoch = 0) {
  trading::ticker_batch b;
  b.epoch = epoch;
  for (auto& [symbol, px] : prices) {
    trading::ticker t;
    t.symbol = symbol;
    t.q.last = trading::price::from_double(px);
    t.q.bid = t.q.last - trading::price::from_units(1);
    t.q.ask = t.q.last + trading::price::from_units(1);
    b.tickers.push_back(t);
  }
  return b;
}

/// Batches as the simulated exchange sends them, made from prices: between two batches each
/// symbol's price moves along the candles that closed in between (flat, then from the old price
/// to the new one in the last); the forming candle opens at the new price; bid and ask are a
/// unit either side.
class candle_tape {
public:
  static constexpr std::int64_t step_ms = 300'000;

  /// The batch of the candle forming at `candle_ms` (on the step_ms grid).
  trading::ticker_batch at(std::int64_t candle_ms,
                           const std::vector<std::pair<std::string, trading::price>>& prices,
                           std::uint64_t epoch = 0) {
    trading::ticker_batch b;
    b.epoch = epoch;
    b.market_ms = b.candle_ms = candle_ms;
    b.step_ms = step_ms;
    b.since_ms = last_ms_;
    for (const auto& [symbol, px] : prices) {
      trading::ticker t;
      t.symbol = symbol;
      t.q.last = t.open = px;
      t.q.bid = px - trading::price::from_units(1);
      t.q.ask = px + trading::price::from_units(1);
      auto last = last_.find(symbol);
      if (last != last_.end() && last_ms_ && *last_ms_ < candle_ms)
        for (std::int64_t open = *last_ms_; open < candle_ms; open += step_ms) {
          const auto from = last->second;
          const auto to = open + step_ms == candle_ms ? px : from;
          t.closed.push_back({open, from, std::max(from, to), std::min(from, to), to,
                              trading::quantity::from_units(100'000'000)});
        }
      last_[symbol] = px;
      b.tickers.push_back(std::move(t));
    }
    last_ms_ = candle_ms;
    return b;
  }

  /// The next candle's batch.
  trading::ticker_batch next(const std::vector<std::pair<std::string, trading::price>>& prices,
                             std::uint64_t epoch = 0) {
    return at(last_ms_ ? *last_ms_ + step_ms : start_ms, prices, epoch);
  }

  static constexpr std::int64_t start_ms = 1'515'600'000'000;

private:
  std::map<std::string, trading::price> last_;
  std::optional<std::int64_t> last_ms_;
};

/// Prices as doubles, for tests that think in whole prices.
inline std::vector<std::pair<std::string, trading::price>> prices(
    std::vector<std::pair<std::string, double>> xs) {
  std::vector<std::pair<std::string, trading::price>> out;
  for (auto& [symbol, px] : xs)
    out.emplace_back(symbol, trading::price::from_double(px));
  return out;
}

/// Binance's account for the position manager: every order fills at 1,000 units (or as
/// `outcomes` says, by client order id), an order asked for after a restart had filled 0.5
/// (unless `outcomes` says otherwise), and the balances are `balances`.
struct account_script {
  std::map<std::string, msg::order_outcome> outcomes;
  std::map<std::string, trading::quantity> balances;
  std::vector<msg::place_order> placed;
  std::vector<std::string> asked;  // the client order ids of resolve_order, in order
};

inline msg::binance_account_actor::behavior_type fake_account(std::shared_ptr<account_script> s) {
  auto outcome_of = [s](const std::string& id, const std::string& symbol, trading::order_side side,
                        trading::quantity qty) {
    if (auto it = s->outcomes.find(id); it != s->outcomes.end())
      return it->second;
    msg::order_outcome o;
    o.what = msg::order_outcome::kind::filled;
    o.fill = trading::fill{id, symbol, side, qty, trading::price::from_units(1000), {}, {}};
    return o;
  };
  return {
      [=](const msg::place_order& o) {
        s->placed.push_back(o);
        return outcome_of(o.client_id, o.symbol, o.side, o.qty);
      },
      [=](const msg::resolve_order& r) {
        s->asked.push_back(r.client_id);
        return outcome_of(r.client_id, r.symbol, r.side, *trading::quantity::parse("0.5"));
      },
      [=](msg::balances_query) { return msg::account_balances{s->balances}; },
  };
}

}  // namespace ct::test
