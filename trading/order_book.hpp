// Simulated order books: `depth` levels a side around a quote, stepped by a few basis points,
// with sizes derived from the symbol's traded volume and a deterministic variation, so the book
// moves with the replayed price. Diffs between two books carry only the levels that changed (a
// size of zero removes a level), in the spirit of Binance's diff-depth stream.
#pragma once

#include <cstdint>
#include <vector>

#include "trading/market.hpp"
#include "trading/money.hpp"

namespace ct::trading {

struct book_level {
  price px;
  quantity qty;  // zero in a diff: the level is gone
};

/// Bids best (highest) first, asks best (lowest) first.
struct order_book {
  std::vector<book_level> bids;
  std::vector<book_level> asks;
};

struct book_params {
  std::size_t depth = 10;
  std::int64_t step_ppm = 500;  // distance between levels: 0.05 % of the price
};

/// The book around `q` at `moment` (a counter that advances with time, e.g. market time in
/// book intervals); `salt` tells symbols apart, `volume_24h` scales the sizes. A level's size
/// depends on its price and changes every one to four moments, so a quiet market changes a
/// few levels at a time.
order_book make_book(const quote& q, double volume_24h, std::uint64_t moment, std::uint64_t salt,
                     const book_params& p = {});

/// The levels of `after` that differ from `before`, and those of `before` that are gone.
order_book diff(const order_book& before, const order_book& after);

/// Applies a diff: changed levels take their new size, zero sizes remove the level.
void apply(order_book& book, const order_book& changes);

}  // namespace ct::trading
