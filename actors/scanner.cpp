#include "actors/scanner.hpp"

#include <algorithm>

#include <caf/sec.hpp>

#include "actors/events.hpp"
#include "actors/log.hpp"
#include "messages/errors.hpp"
#include "messages/json.hpp"
#include "messages/trading_config.hpp"
#include "trading/backoff.hpp"

namespace ct::actors {

namespace {

using self_ptr = msg::scanner_actor::stateful_pointer<scanner_state>;
using std::chrono::milliseconds;

void start_scan(self_ptr self, bool periodic);

/// A new strategy (or new parameters) starts from no history.
void configure_signals(scanner_state& v, const msg::config& c) {
  if (v.signals_cfg && msg::same_strategy(*v.signals_cfg, c))
    return;
  v.signals = msg::signal_tracker_of(c);
  v.signals_cfg = c;
}

void schedule(self_ptr self, milliseconds delay) {
  auto& st = self->state;
  st.timer_pending = true;
  if (delay.count() <= 0)
    self->send(self, msg::scan_tick_atom::value, ++st.timer_gen);
  else
    self->delayed_send(self, delay, msg::scan_tick_atom::value, ++st.timer_gen);
}

std::string describe(const caf::error& e) {
  return msg::message_of(e, e == caf::sec::request_timeout
                                ? "the market feed did not answer in time"
                                : "the market feed is unavailable");
}

/// Runs after every scan, successful or not: queued requests get the next scan, the periodic
/// chain continues after the interval (or the backoff when the exchange is failing).
void finish(self_ptr self, bool was_periodic, bool ok) {
  auto& st = self->state;
  st.in_flight = false;
  if (was_periodic) {
    milliseconds delay{0};
    if (ok) {
      // On the injected clock, so that tests are deterministic whatever the machine's speed; a
      // clock stepped back (NTP) counts as no time gone, one stepped forward as the interval.
      const auto elapsed =
          std::clamp(std::chrono::duration_cast<milliseconds>(st.deps.clock->now() - st.started_at),
                     milliseconds{0}, milliseconds{st.cfg.scan_interval_ms});
      delay = milliseconds{st.cfg.scan_interval_ms} - elapsed;
    } else {
      trading::backoff_policy p{milliseconds{st.cfg.scanner.backoff_initial_ms},
                                milliseconds{st.cfg.scanner.backoff_max_ms}, 2.0};
      delay = trading::next_backoff(st.failures - 1, p);
    }
    schedule(self, delay);
  }
  if (st.periodic_due || !st.queued.empty()) {
    const bool periodic = st.periodic_due;
    st.periodic_due = false;
    start_scan(self, periodic);
  }
}

void on_batch(self_ptr self, trading::ticker_batch& batch) {
  auto& st = self->state;
  const auto now = st.deps.clock->now();
  msg::scan_report r;
  r.at = now;
  r.scanned = 0;
  for (const auto& t : batch.tickers)
    if (st.enabled.empty() || st.enabled.count(t.symbol) != 0)
      ++r.scanned;
  st.signals.on_batch(batch);
  r.opportunities = st.signals.opportunities(batch, st.enabled);
  r.market_ms = batch.market_ms;
  r.on_demand = !st.in_flight_periodic;
  r.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - st.started)
          .count();
  st.last = r;
  ++st.scans;
  st.on_demand_scans += r.on_demand ? 1 : 0;
  st.scan_seconds.observe(r.duration_ms / 1000);
  if (st.failures > 0) {
    emit_event(st.deps.storage, "exchange_recovered", "scanner", now,
               {{"after_failures", st.failures}});
    logger("scanner")->info("Exchange recovered after_failures={}", st.failures);
    st.failures = 0;
    if (auto pm = st.deps.peers.position_manager)
      self->send(pm, msg::exchange_health{msg::health::ok, "", 0});
    if (auto sup = st.deps.supervisor)
      self->send(sup, msg::exchange_health{msg::health::ok, "", 0});
  }
  nlohmann::json top = nlohmann::json::array();
  for (std::size_t i = 0; i < r.opportunities.size() && i < 5; ++i)
    top.push_back(msg::to_json(r.opportunities[i]));
  emit_event(st.deps.storage, "scan_completed", "scanner", now,
             {{"scanned", r.scanned},
              {"opportunities", r.opportunities.size()},
              {"top", std::move(top)},
              {"on_demand", r.on_demand},
              {"market_time", trading::format_rfc3339(trading::from_unix_ms(r.market_ms))},
              {"duration_ms", r.duration_ms}},
             r.market_ms);
  if (auto b = st.deps.peers.broadcaster)
    self->send(b, msg::publish_tickers{batch});
  if (auto pm = st.deps.peers.position_manager)
    self->send(pm, msg::scan_completed{r, std::move(batch), st.scans, self->id()});
  for (auto& p : st.answering)
    p.deliver(r);
  st.answering.clear();
  logger("scanner")->debug("Scan done scanned={} opportunities={} on_demand={}", r.scanned,
                           r.opportunities.size(), r.on_demand);
}

std::string metrics_text(const scanner_state& st) {
  msg::prom_text out;
  out.family("ct_scans_total", "counter", "Scans completed since the scanner started.")
      .sample("ct_scans_total", {{"trigger", "periodic"}},
              static_cast<double>(st.scans - st.on_demand_scans))
      .sample("ct_scans_total", {{"trigger", "on_demand"}},
              static_cast<double>(st.on_demand_scans));
  out.family("ct_scan_duration_seconds", "histogram",
             "From asking the market feed to the scan's signals.");
  st.scan_seconds.render(out, "ct_scan_duration_seconds");
  out.family("ct_exchange_errors_total", "counter", "Scans the exchange failed.")
      .sample("ct_exchange_errors_total", static_cast<double>(st.exchange_errors));
  return out.take();
}

void on_failure(self_ptr self, const caf::error& e) {
  auto& st = self->state;
  ++st.failures;
  ++st.exchange_errors;
  const auto why = describe(e);
  trading::backoff_policy p{milliseconds{st.cfg.scanner.backoff_initial_ms},
                            milliseconds{st.cfg.scanner.backoff_max_ms}, 2.0};
  const auto retry = trading::next_backoff(st.failures - 1, p);
  emit_event(st.deps.storage, "exchange_error", "scanner", st.deps.clock->now(),
             {{"error", why},
              {"consecutive_failures", st.failures},
              {"retry_in_ms", st.in_flight_periodic ? retry.count() : 0}});
  logger("scanner")->warn("Exchange error error=\"{}\" consecutive_failures={} retry_in_ms={}", why,
                          st.failures, retry.count());
  if (auto pm = st.deps.peers.position_manager)
    self->send(pm, msg::exchange_health{msg::health::degraded, why, st.failures});
  if (auto sup = st.deps.supervisor)
    self->send(sup, msg::exchange_health{msg::health::degraded, why, st.failures});
  const auto reply = e.category() == msg::error_category()
                         ? e
                         : msg::actor_error(msg::errc::exchange_unavailable, why);
  for (auto& promise : st.answering)
    promise.deliver(reply);
  st.answering.clear();
}

void start_scan(self_ptr self, bool periodic) {
  auto& st = self->state;
  st.in_flight = true;
  st.in_flight_periodic = periodic;
  st.started = std::chrono::steady_clock::now();
  st.started_at = st.deps.clock->now();
  st.answering.insert(st.answering.end(), std::make_move_iterator(st.queued.begin()),
                      std::make_move_iterator(st.queued.end()));
  st.queued.clear();
  auto feed = st.deps.peers.market_feed;
  if (!feed) {
    on_failure(self,
               msg::actor_error(msg::errc::exchange_unavailable, "the market feed is restarting"));
    finish(self, periodic, false);
    return;
  }
  // The feed applies the exchange's own timeout; this one only guards against a lost feed.
  const milliseconds timeout{st.cfg.exchange.timeout_ms + 1000};
  const auto since = st.signals.since_ms();
  const auto warmup = since ? 0 : static_cast<std::uint64_t>(st.cfg.strategy.warmup_candles);
  self->request(feed, timeout, msg::fetch_market{since, warmup})
      .then(
          [=](trading::ticker_batch& batch) {
            on_batch(self, batch);
            finish(self, periodic, true);
          },
          [=](caf::error& e) {
            on_failure(self, e);
            finish(self, periodic, false);
          });
}

}  // namespace

msg::scanner_actor::behavior_type scanner(self_ptr self, scanner_deps deps, msg::config cfg) {
  auto& st = self->state;
  st.deps = std::move(deps);
  st.cfg = std::move(cfg);
  st.enabled = {st.cfg.strategy.symbols.begin(), st.cfg.strategy.symbols.end()};
  configure_signals(st, st.cfg);
  schedule(self, milliseconds{0});
  self->set_default_handler(log_unexpected);
  return {
      [=](msg::scan_tick_atom, std::uint64_t gen) {
        auto& s = self->state;
        if (gen != s.timer_gen)
          return;  // superseded by a newer timer
        s.timer_pending = false;
        if (s.in_flight)
          s.periodic_due = true;
        else
          start_scan(self, true);
      },
      [=](msg::scanner_peers& p) { self->state.deps.peers = std::move(p); },
      [=](msg::scan_now_atom) -> caf::result<msg::scan_report> {
        auto& s = self->state;
        auto rp = self->make_response_promise<msg::scan_report>();
        s.queued.push_back(rp);
        if (!s.in_flight)
          start_scan(self, false);
        return rp;
      },
      [=](msg::get_scan_atom) { return self->state.last; },
      [=](const msg::apply_config& ac) {
        auto& s = self->state;
        const bool interval_changed = ac.cfg.scan_interval_ms != s.cfg.scan_interval_ms;
        s.cfg = ac.cfg;
        s.enabled = {s.cfg.strategy.symbols.begin(), s.cfg.strategy.symbols.end()};
        configure_signals(s, s.cfg);
        // A waiting timer restarts at the new interval; a scan in flight schedules its own.
        if (interval_changed && s.timer_pending && s.failures == 0)
          schedule(self, milliseconds{s.cfg.scan_interval_ms});
        return msg::ok_atom::value;
      },
      [=](msg::ping_atom) { return msg::pong_atom::value; },
      [=](msg::metrics_atom) { return metrics_text(self->state); },
  };
}

}  // namespace ct::actors
