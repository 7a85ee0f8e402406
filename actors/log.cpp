#include "actors/log.hpp"

namespace ct::actors {

std::shared_ptr<spdlog::logger> logger(const char* name) {
  if (auto existing = spdlog::get(name))
    return existing;
  auto base = spdlog::default_logger();
  auto log = base->clone(name);
  log->set_level(base->level());
  // Another thread may have registered it meanwhile: keep the registered one.
  try {
    spdlog::register_logger(log);
  } catch (const spdlog::spdlog_ex&) {
    if (auto existing = spdlog::get(name))
      return existing;
  }
  return log;
}

}  // namespace ct::actors

namespace ct::actors {

caf::result<caf::message> log_unexpected(caf::scheduled_actor* self, caf::message_view& msg) {
  logger(self->name())
      ->warn("Unexpected message dropped actor={} message=\"{}\"", self->name(),
             to_string(msg.content()).substr(0, 200));
  return caf::sec::unexpected_message;
}

}  // namespace ct::actors
