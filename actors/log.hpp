// A named spdlog logger per component, sharing the sinks and level of the default logger (set
// up by the application: asynchronous, so file and terminal I/O never run on an actor thread).
#pragma once

#include <memory>

#include <spdlog/spdlog.h>

namespace ct::actors {

std::shared_ptr<spdlog::logger> logger(const char* name);

}  // namespace ct::actors
