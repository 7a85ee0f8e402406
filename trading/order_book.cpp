#include "trading/order_book.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace ct::trading {

namespace {

/// A well-mixed 64-bit hash (splitmix64's finaliser): deterministic noise per level and moment.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

quantity level_size(double volume_24h, std::size_t level, std::size_t depth, price px,
                    std::uint64_t moment, std::uint64_t salt) {
  // A candle's worth of volume spread over the book, thicker away from the touch.
  const double per_level = volume_24h / 288.0 / static_cast<double>(depth);
  const double shape = 1.0 + 0.5 * static_cast<double>(level);
  const auto units = static_cast<std::uint64_t>(px.units());
  const std::uint64_t epoch = moment / (1 + mix(units) % 4);  // each price at its own pace
  const double noise =
      0.5 +
      static_cast<double>(mix(salt ^ mix(units) ^ (epoch * 0x100000001b3ULL)) % 1000) / 1000.0;
  const double size = std::max(per_level * shape * noise, 1e-8);
  return quantity::from_units(std::max<std::int64_t>(1, std::llround(size * 1e8)));
}

template <class Better>
void diff_side(const std::vector<book_level>& before, const std::vector<book_level>& after,
               std::vector<book_level>& out, Better better) {
  std::map<std::int64_t, std::int64_t> old_levels;
  for (const auto& l : before)
    old_levels[l.px.units()] = l.qty.units();
  for (const auto& l : after) {
    auto it = old_levels.find(l.px.units());
    if (it == old_levels.end() || it->second != l.qty.units())
      out.push_back(l);
    if (it != old_levels.end())
      old_levels.erase(it);
  }
  for (const auto& [px, qty] : old_levels)
    out.push_back({price::from_units(px), quantity{}});
  std::sort(out.begin(), out.end(),
            [&](const book_level& a, const book_level& b) { return better(a.px, b.px); });
}

template <class Better>
void apply_side(std::vector<book_level>& side, const std::vector<book_level>& changes,
                Better better) {
  for (const auto& c : changes) {
    auto it =
        std::find_if(side.begin(), side.end(), [&](const book_level& l) { return l.px == c.px; });
    if (it != side.end()) {
      if (c.qty.is_zero())
        side.erase(it);
      else
        it->qty = c.qty;
    } else if (!c.qty.is_zero()) {
      side.push_back(c);
    }
  }
  std::sort(side.begin(), side.end(),
            [&](const book_level& a, const book_level& b) { return better(a.px, b.px); });
}

bool higher(price a, price b) {
  return a > b;
}

bool lower(price a, price b) {
  return a < b;
}

}  // namespace

order_book make_book(const quote& q, double volume_24h, std::uint64_t moment, std::uint64_t salt,
                     const book_params& p) {
  order_book book;
  auto step = part_ppm(q.last, p.step_ppm, rounding::up);
  if (step.units() < 1)
    step = price::from_units(1);
  for (std::size_t i = 0; i < p.depth; ++i) {
    const auto offset = price::from_units(step.units() * static_cast<std::int64_t>(i));
    const auto bid_px = q.bid - offset;
    if (bid_px.is_positive())
      book.bids.push_back({bid_px, level_size(volume_24h, i, p.depth, bid_px, moment, salt * 2)});
    const auto ask_px = q.ask + offset;
    book.asks.push_back({ask_px, level_size(volume_24h, i, p.depth, ask_px, moment, salt * 2 + 1)});
  }
  return book;
}

order_book diff(const order_book& before, const order_book& after) {
  order_book d;
  diff_side(before.bids, after.bids, d.bids, higher);
  diff_side(before.asks, after.asks, d.asks, lower);
  return d;
}

void apply(order_book& book, const order_book& changes) {
  apply_side(book.bids, changes.bids, higher);
  apply_side(book.asks, changes.asks, lower);
}

}  // namespace ct::trading
