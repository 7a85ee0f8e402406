#include "trading/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ct::trading {

namespace {

std::size_t checked(std::size_t period) {
  if (period == 0)
    throw std::invalid_argument("an indicator's period must be at least 1");
  return period;
}

/// The smallest power of two at or above `n`.
std::size_t power_of_two_at_least(std::size_t n) {
  std::size_t p = 1;
  while (p < n)
    p *= 2;
  return p;
}

}  // namespace

ring::ring(std::size_t capacity)
    : data_(power_of_two_at_least(checked(capacity))),
      capacity_(capacity),
      mask_(data_.size() - 1) {}

sma::sma(std::size_t period) : window_(period) {}

std::optional<double> sma::update(double x) {
  sum_ += x;
  if (auto old = window_.push(x))
    sum_ -= *old;
  if (!window_.full())
    return std::nullopt;
  return sum_ / static_cast<double>(window_.size());
}

ema::ema(std::size_t period)
    : period_(checked(period)), alpha_(2.0 / (static_cast<double>(period) + 1.0)) {}

std::optional<double> ema::update(double x) {
  ++seen_;
  if (seen_ < period_) {
    value_ += x;
    return std::nullopt;
  }
  if (seen_ == period_)
    value_ = (value_ + x) / static_cast<double>(period_);
  else
    value_ += alpha_ * (x - value_);
  return value_;
}

rsi::rsi(std::size_t period) : period_(checked(period)) {}

std::optional<double> rsi::update(double x) {
  if (!last_) {
    last_ = x;
    return std::nullopt;
  }
  const double change = x - *last_;
  last_ = x;
  const double up = std::max(change, 0.0);
  const double down = std::max(-change, 0.0);
  const auto n = static_cast<double>(period_);
  ++changes_;
  if (changes_ <= period_) {
    gain_ += up / n;
    loss_ += down / n;
    if (changes_ < period_)
      return std::nullopt;
  } else {
    gain_ = (gain_ * (n - 1) + up) / n;
    loss_ = (loss_ * (n - 1) + down) / n;
  }
  if (loss_ == 0)
    return gain_ == 0 ? 50.0 : 100.0;
  return 100.0 - 100.0 / (1.0 + gain_ / loss_);
}

bollinger::bollinger(std::size_t period, double k) : window_(period), k_(k) {}

std::optional<bands> bollinger::update(double x) {
  sum_ += x;
  sum_sq_ += x * x;
  if (auto old = window_.push(x)) {
    sum_ -= *old;
    sum_sq_ -= *old * *old;
  }
  if (!window_.full())
    return std::nullopt;
  const auto n = static_cast<double>(window_.size());
  const double mean = sum_ / n;
  // max(): rounding can take a flat window's variance a hair below zero.
  const double sd = std::sqrt(std::max(sum_sq_ / n - mean * mean, 0.0));
  return bands{mean - k_ * sd, mean, mean + k_ * sd};
}

atr::atr(std::size_t period) : period_(checked(period)) {}

std::optional<double> atr::update(double high, double low, double close) {
  double tr = high - low;
  if (prev_close_)
    tr = std::max({tr, std::abs(high - *prev_close_), std::abs(low - *prev_close_)});
  prev_close_ = close;
  const auto n = static_cast<double>(period_);
  ++seen_;
  if (seen_ <= period_) {
    value_ += tr / n;
    if (seen_ < period_)
      return std::nullopt;
    return value_;
  }
  value_ = (value_ * (n - 1) + tr) / n;
  return value_;
}

momentum::momentum(std::size_t period) : window_(checked(period) + 1) {}

std::optional<double> momentum::update(double x) {
  window_.push(x);
  if (!window_.full())
    return std::nullopt;
  const double then = window_.back(window_.size() - 1);
  if (then == 0)
    return std::nullopt;
  return (x / then - 1.0) * 100.0;
}

}  // namespace ct::trading
