#include "trading/errc.hpp"

#include <array>
#include <cstddef>

namespace ct {

namespace {

/// In the enum's order; the enum starts at 1 (a CAF error's code 0 means "no error").
constexpr std::array<const char*, 33> names{
    "invalid_value",
    "unknown_key",
    "unknown_symbol",
    "unknown_parameter",
    "restart_required",
    "conflict",
    "not_found",
    "forbidden_path",
    "bad_data",
    "invalid_json",
    "too_deep",
    "too_long",
    "too_many_keys",
    "invalid_utf8",
    "invalid_message",
    "unknown_op",
    "unknown_channel",
    "bad_request",
    "payload_too_large",
    "headers_too_large",
    "unsupported_media_type",
    "method_not_allowed",
    "upgrade_required",
    "unauthorized",
    "forbidden_origin",
    "misdirected_request",
    "exchange_unavailable",
    "actor_unavailable",
    "shutting_down",
    "too_many_clients",
    "too_many_connections",
    "storage",
    "internal",
};

static_assert(static_cast<std::size_t>(errc::internal) == names.size(),
              "every code has its name, in the enum's order");

}  // namespace

const char* to_string(errc code) {
  const auto i = static_cast<std::size_t>(code);
  return i >= 1 && i <= names.size() ? names[i - 1] : "internal";
}

std::optional<errc> errc_from_string(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (name == names[i])
      return static_cast<errc>(i + 1);
  return std::nullopt;
}

}  // namespace ct
