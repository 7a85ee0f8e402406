#include "messages/errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>

namespace ct::msg {

caf::atom_value error_category() {
  return caf::atom("ct");
}

caf::error actor_error(errc code, std::string message, std::string field) {
  return caf::error{static_cast<std::uint8_t>(code), error_category(),
                    caf::make_message(std::move(message), std::move(field))};
}

caf::error actor_error(const ct::error& e) {
  // Unusable candle data is, to the API, an invalid value like any other.
  return actor_error(e.code == errc::bad_data ? errc::invalid_value : e.code, e.message, e.field);
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

}  // namespace ct::msg
