#include "messages/errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>

namespace ct::msg {

caf::atom_value error_category() {
  return caf::atom("ct");
}

caf::error make_error(errc code, std::string message, std::string field) {
  return caf::error{static_cast<std::uint8_t>(code), error_category(),
                    caf::make_message(std::move(message), std::move(field))};
}

caf::error make_error(const ct::error& e) {
  static constexpr errc codes[] = {
      errc::invalid_value,        errc::unknown_key,       errc::unknown_symbol,
      errc::restart_required,     errc::conflict,          errc::not_found,
      errc::exchange_unavailable, errc::actor_unavailable, errc::forbidden_path};
  for (auto c : codes)
    if (e.code == to_string(c))
      return make_error(c, e.message, e.field);
  if (e.code == "bad_data")
    return make_error(errc::invalid_value, e.message, e.field);
  return make_error(errc::internal, e.message, e.field);
}

std::string message_of(const caf::error& e, std::string fallback) {
  if (e.category() == error_category() && e.context().match_elements<std::string, std::string>())
    return e.context().get_as<std::string>(0);
  return fallback;
}

std::string field_of(const caf::error& e) {
  if (e.category() == error_category() && e.context().match_elements<std::string, std::string>())
    return e.context().get_as<std::string>(1);
  return {};
}

const char* to_string(errc code) {
  switch (code) {
    case errc::invalid_value:
      return "invalid_value";
    case errc::unknown_key:
      return "unknown_key";
    case errc::unknown_symbol:
      return "unknown_symbol";
    case errc::restart_required:
      return "restart_required";
    case errc::conflict:
      return "conflict";
    case errc::not_found:
      return "not_found";
    case errc::exchange_unavailable:
      return "exchange_unavailable";
    case errc::actor_unavailable:
      return "actor_unavailable";
    case errc::internal:
      return "internal";
    case errc::forbidden_path:
      return "forbidden_path";
  }
  return "internal";
}

}  // namespace ct::msg
