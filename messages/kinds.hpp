// The service's small closed sets (the trading mode, an actor's state, a health, which positions,
// a backtest's status) as enums, each with its names in one table here: the code compares
// enums, and only JSON, logs and the database see the names.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ct::msg {

enum class trading_mode : std::uint8_t { paper, live };
/// A supervised actor, as /health reports it.
enum class actor_state : std::uint8_t { up, restarting, failed, unresponsive, stopped };
/// The exchange's or the store's health, as their actors report it.
enum class health : std::uint8_t { ok, degraded, failed };
/// Which positions a query wants.
enum class position_filter : std::uint8_t { open, closed, all };
enum class backtest_status : std::uint8_t { running, completed, failed, cancelled };

template <class E>
struct names_of;

template <>
struct names_of<trading_mode> {
  static constexpr std::array<std::string_view, 2> list{"paper", "live"};
};
template <>
struct names_of<actor_state> {
  static constexpr std::array<std::string_view, 5> list{"up", "restarting", "failed",
                                                        "unresponsive", "stopped"};
};
template <>
struct names_of<health> {
  static constexpr std::array<std::string_view, 3> list{"ok", "degraded", "failed"};
};
template <>
struct names_of<position_filter> {
  static constexpr std::array<std::string_view, 3> list{"open", "closed", "all"};
};
template <>
struct names_of<backtest_status> {
  static constexpr std::array<std::string_view, 4> list{"running", "completed", "failed",
                                                        "cancelled"};
};

/// The name of a value ("paper").
template <class E, class = decltype(names_of<E>::list)>
constexpr std::string_view name_of(E e) {
  return names_of<E>::list[static_cast<std::size_t>(e)];
}

/// The value of a name, or nothing for a name that is not one.
template <class E>
constexpr std::optional<E> parse_kind(std::string_view name) {
  for (std::size_t i = 0; i < names_of<E>::list.size(); ++i)
    if (names_of<E>::list[i] == name)
      return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace ct::msg
