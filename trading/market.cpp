#include "trading/market.hpp"

#include <algorithm>
#include <cmath>

namespace ct::trading {

namespace {

// a + (b - a) * num / den, rounded to nearest.
price lerp(price a, price b, std::int64_t num, std::int64_t den) {
  const int128 delta = int128{b.units() - a.units()} * num;
  return price::from_units(a.units() + divide(delta, den, rounding::nearest));
}

}  // namespace

result<std::shared_ptr<const market_data>> market_data::make(std::vector<candle_series> series) {
  if (series.empty())
    return make_error(errc::bad_data, "no candle series to replay");
  std::sort(series.begin(), series.end(),
            [](const candle_series& a, const candle_series& b) { return a.symbol < b.symbol; });
  auto m = std::make_shared<market_data>();
  m->step_ms_ = series.front().step_ms;
  m->start_ms_ = series.front().candles.front().open_time_ms;
  m->end_ms_ = series.front().candles.back().open_time_ms + m->step_ms_;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    if (i > 0 && s.symbol == series[i - 1].symbol)
      return make_error(errc::bad_data, "symbol " + s.symbol + " appears in two candle files");
    if (s.step_ms != m->step_ms_)
      return make_error(errc::bad_data, "candle files differ in timeframe: " + s.symbol + " has " +
                                            std::to_string(s.step_ms) + " ms, " +
                                            series.front().symbol + " has " +
                                            std::to_string(m->step_ms_) + " ms");
    m->start_ms_ = std::max(m->start_ms_, s.candles.front().open_time_ms);
    m->end_ms_ = std::min(m->end_ms_, s.candles.back().open_time_ms + s.step_ms);
  }
  if (m->end_ms_ - m->start_ms_ < 2 * m->step_ms_)
    return make_error(errc::bad_data, "candle files do not overlap in time");
  for (const auto& s : series) {
    std::vector<double> prefix(s.candles.size() + 1, 0.0);
    for (std::size_t k = 0; k < s.candles.size(); ++k)
      prefix[k + 1] = prefix[k] + s.candles[k].volume.to_double();
    m->volume_prefix_.push_back(std::move(prefix));
  }
  m->series_ = std::move(series);
  return std::shared_ptr<const market_data>{std::move(m)};
}

std::size_t market_data::find(const std::string& symbol) const {
  for (std::size_t i = 0; i < series_.size(); ++i)
    if (series_[i].symbol == symbol)
      return i;
  return series_.size();
}

std::size_t market_data::candle_index(std::size_t i, std::int64_t market_ms) const {
  const auto& c = series_[i].candles;
  auto it = std::upper_bound(c.begin(), c.end(), market_ms,
                             [](std::int64_t t, const candle& x) { return t < x.open_time_ms; });
  // Before the first candle: use the first (its open is the earliest price known).
  return it == c.begin() ? 0 : static_cast<std::size_t>(it - c.begin()) - 1;
}

std::int64_t market_data::candle_open_ms(std::int64_t market_ms) const {
  const std::int64_t into = (market_ms - start_ms_) % step_ms_;
  return market_ms - (into < 0 ? into + step_ms_ : into);
}

std::vector<candle> market_data::closed_candles(std::size_t i, std::int64_t since_ms,
                                                std::int64_t until_ms, std::size_t max) const {
  const auto& c = series_[i].candles;
  auto it = std::lower_bound(c.begin(), c.end(), since_ms,
                             [](const candle& x, std::int64_t t) { return x.open_time_ms < t; });
  std::vector<candle> out;
  for (; it != c.end() && it->open_time_ms < until_ms && out.size() < max; ++it)
    out.push_back(*it);
  return out;
}

std::vector<candle> market_data::last_candles(std::size_t i, std::int64_t until_ms,
                                              std::size_t n) const {
  const auto& c = series_[i].candles;
  auto end = std::lower_bound(c.begin(), c.end(), until_ms,
                              [](const candle& x, std::int64_t t) { return x.open_time_ms < t; });
  auto begin = end - std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(n), end - c.begin());
  return {begin, end};
}

price market_data::last_at(std::size_t i, std::int64_t market_ms) const {
  const auto& c = series_[i].candles[candle_index(i, market_ms)];
  if (market_ms < c.open_time_ms)
    return c.open;
  const std::int64_t into = market_ms - c.open_time_ms;
  if (into >= step_ms_)
    return c.close;  // in a gap: nothing traded since this candle closed
  // Three legs of a third of the candle each.
  const bool rose = c.close >= c.open;
  const price first = rose ? c.low : c.high;
  const price second = rose ? c.high : c.low;
  const std::int64_t leg = into * 3 / step_ms_;
  const std::int64_t num = into * 3 - leg * step_ms_;
  switch (leg) {
    case 0:
      return lerp(c.open, first, num, step_ms_);
    case 1:
      return lerp(first, second, num, step_ms_);
    default:
      return lerp(second, c.close, num, step_ms_);
  }
}

candle market_data::forming_candle(std::size_t i, std::int64_t market_ms) const {
  const auto& c = series_[i].candles[candle_index(i, market_ms)];
  candle out;
  out.open_time_ms = candle_open_ms(market_ms);
  out.close = last_at(i, market_ms);
  const std::int64_t into = market_ms - c.open_time_ms;
  if (c.open_time_ms != out.open_time_ms || into < 0) {
    out.open = out.high = out.low = out.close;
    return out;
  }
  out.open = c.open;
  out.high = std::max(c.open, out.close);
  out.low = std::min(c.open, out.close);
  // The legs passed so far (as last_at walks them): their ends are in the range.
  const bool rose = c.close >= c.open;
  const std::int64_t leg = into * 3 / step_ms_;
  if (leg >= 1) {
    const price first = rose ? c.low : c.high;
    out.high = std::max(out.high, first);
    out.low = std::min(out.low, first);
  }
  if (leg >= 2) {
    const price second = rose ? c.high : c.low;
    out.high = std::max(out.high, second);
    out.low = std::min(out.low, second);
  }
  out.volume = quantity::from_double(c.volume.to_double() * static_cast<double>(into) /
                                     static_cast<double>(step_ms_));
  return out;
}

quote market_data::quote_at(std::size_t i, std::int64_t market_ms, std::int64_t spread_ppm) const {
  quote q;
  q.last = last_at(i, market_ms);
  auto half = part_ppm(q.last, spread_ppm / 2, rounding::up);
  if (spread_ppm > 0 && half.units() < 1)
    half = price::from_units(1);  // a spread, however small, is at least a unit each side
  q.bid = q.last - half;
  if (!q.bid.is_positive())
    q.bid = price::from_units(1);
  q.ask = q.last + half;
  const price then = last_at(i, market_ms - day_ms);
  q.change_24h_pct = (q.last.to_double() / then.to_double() - 1.0) * 100.0;
  const auto& c = series_[i].candles;
  const auto& prefix = volume_prefix_[i];
  const std::size_t now_idx = candle_index(i, market_ms);
  const bool before_window_start = market_ms - day_ms < c.front().open_time_ms;
  const std::size_t then_idx = before_window_start ? 0 : candle_index(i, market_ms - day_ms) + 1;
  double volume = prefix[now_idx + 1] - prefix[then_idx];
  // The current candle is still forming: count the part of it that has elapsed.
  const std::int64_t into = market_ms - c[now_idx].open_time_ms;
  if (into >= 0 && into < step_ms_)
    volume -= c[now_idx].volume.to_double() *
              (1.0 - static_cast<double>(into) / static_cast<double>(step_ms_));
  q.volume_24h = std::max(volume, 0.0);
  return q;
}

replay_clock replay_clock::for_market(const market_data& m, timestamp wall_origin, double speed) {
  const std::int64_t span = m.end_ms() - m.start_ms();
  const std::int64_t step = std::max<std::int64_t>(m.step_ms(), 1);
  // On a candle boundary, so that the loop is a whole number of candles and every lap's candles
  // fall on the same grid.
  const std::int64_t lead = std::min(day_ms, span / 2) / step * step;
  replay_clock c;
  c.loop_start_ms = m.start_ms() + lead;
  c.loop_end_ms = std::max(m.end_ms(), c.loop_start_ms + 1);
  c.wall_origin = wall_origin;
  c.speed = speed;
  return c;
}

replay_position replay_clock::at(timestamp wall) const {
  const double elapsed_ms =
      std::max(0.0, std::chrono::duration<double, std::milli>(wall - wall_origin).count());
  const auto offset = static_cast<std::int64_t>(origin_offset_ms + elapsed_ms * speed);
  const std::int64_t span = loop_ms();
  replay_position p;
  p.epoch = static_cast<std::uint64_t>(offset / span);
  p.market_ms = loop_start_ms + offset;
  p.data_ms = loop_start_ms + offset % span;
  return p;
}

replay_clock replay_clock::with_speed(timestamp wall, double new_speed) const {
  replay_clock next = *this;
  const double elapsed_ms =
      std::max(0.0, std::chrono::duration<double, std::milli>(wall - wall_origin).count());
  next.origin_offset_ms = origin_offset_ms + elapsed_ms * speed;
  next.wall_origin = wall;
  next.speed = new_speed;
  return next;
}

replay_clock replay_clock::resumed_at(std::int64_t market_ms, timestamp wall) const {
  replay_clock next = *this;
  next.origin_offset_ms = static_cast<double>(std::max<std::int64_t>(market_ms - loop_start_ms, 0));
  next.wall_origin = wall;
  return next;
}

std::int64_t replay_clock::data_ms(std::int64_t market_ms) const {
  if (market_ms < loop_start_ms)
    return market_ms;
  return loop_start_ms + (market_ms - loop_start_ms) % loop_ms();
}

namespace {

/// A stretch of market time that shows one contiguous stretch of the data, `shift` earlier: the
/// lead before the loop (lap -1, unshifted) or one lap of the loop.
struct stretch {
  std::int64_t begin_ms;  // market time
  std::int64_t end_ms;
  std::int64_t shift_ms;
};

stretch stretch_of(const market_data& m, const replay_clock& c, std::int64_t lap) {
  if (lap < 0)
    return {m.start_ms(), c.loop_start_ms, 0};
  const auto shift = lap * c.loop_ms();
  return {c.loop_start_ms + shift, c.loop_start_ms + shift + c.loop_ms(), shift};
}

std::int64_t lap_of(const replay_clock& c, std::int64_t market_ms) {
  return market_ms < c.loop_start_ms ? -1 : (market_ms - c.loop_start_ms) / c.loop_ms();
}

void shift_all(std::vector<candle>& candles, std::int64_t shift_ms) {
  for (auto& k : candles)
    k.open_time_ms += shift_ms;
}

}  // namespace

std::vector<candle> replayed_candles(const market_data& m, const replay_clock& c, std::size_t i,
                                     std::int64_t since_ms, std::int64_t until_ms,
                                     std::size_t max) {
  std::vector<candle> out;
  if (until_ms <= since_ms)
    return out;
  for (auto lap = lap_of(c, since_ms); out.size() < max; ++lap) {
    const auto s = stretch_of(m, c, lap);
    if (s.begin_ms >= until_ms)
      break;
    const auto from = std::max(since_ms, s.begin_ms), to = std::min(until_ms, s.end_ms);
    if (from < to) {
      auto part = m.closed_candles(i, from - s.shift_ms, to - s.shift_ms, max - out.size());
      shift_all(part, s.shift_ms);
      out.insert(out.end(), part.begin(), part.end());
    }
  }
  return out;
}

std::vector<candle> last_replayed_candles(const market_data& m, const replay_clock& c,
                                          std::size_t i, std::int64_t until_ms, std::size_t n) {
  std::vector<candle> out;  // newest stretch first, reversed at the end
  std::vector<std::vector<candle>> parts;
  std::size_t got = 0;
  for (auto lap = lap_of(c, until_ms - 1); lap >= -1 && got < n; --lap) {
    const auto s = stretch_of(m, c, lap);
    const auto to = std::min(until_ms, s.end_ms);
    auto part = m.last_candles(i, to - s.shift_ms, n - got);
    const auto lowest = s.begin_ms - s.shift_ms;  // nothing from before the stretch's data
    part.erase(part.begin(), std::find_if(part.begin(), part.end(), [&](const candle& k) {
                 return k.open_time_ms >= lowest;
               }));
    shift_all(part, s.shift_ms);
    got += part.size();
    parts.push_back(std::move(part));
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it)
    out.insert(out.end(), it->begin(), it->end());
  return out;
}

}  // namespace ct::trading
