// A named spdlog logger per component, sharing the sinks and level of the default logger (set
// up by the application: asynchronous, so file and terminal I/O never run on an actor thread).
#pragma once

#include <memory>

#include <caf/message_view.hpp>
#include <caf/result.hpp>
#include <caf/scheduled_actor.hpp>
#include <spdlog/spdlog.h>

namespace ct::actors {

std::shared_ptr<spdlog::logger> logger(const char* name);

/// Every actor's handler for a message it has no handler for: logged and answered with an
/// error. CAF's own default prints to standard output, which blocks the actor's thread for good
/// once nobody reads that output (a pipe of 64 KiB under a process supervisor or a test).
caf::result<caf::message> log_unexpected(caf::scheduled_actor* self, caf::message_view& msg);

}  // namespace ct::actors
