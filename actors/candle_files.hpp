// Reading candle files from the server's disk with the limits a request deserves: the file's
// real path (symlinks resolved) must lie inside one of the allowed directories, it must be a
// regular file (a FIFO or a device would block or never end) of bounded size, and the read
// stops when its run is cancelled. Blocking I/O: only detached actors and the start-up call it.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trading/result.hpp"

namespace ct::actors {

struct file_policy {
  /// Real paths of the directories files may come from; empty: anywhere (the command line and
  /// the start-up configuration, which the user gives directly).
  std::vector<std::string> dirs;
  std::uint64_t max_bytes = 512ull * 1024 * 1024;
  const std::atomic<bool>* cancel = nullptr;
};

/// forbidden_path when `path` (its real path, or for a file that does not exist its lexical
/// one) is outside the allowed directories.
std::optional<ct::error> check_candle_place(const std::string& path, const file_policy& policy);

/// The whole text of `path`. Errors (field "data"): forbidden_path outside the allowed
/// directories; invalid_value naming the file when it cannot be read, is not a regular file, is
/// too large or the read was cancelled.
result<std::string> read_candle_text(const std::string& path, const file_policy& policy);

/// The real paths of `dirs` that exist (others are left out, with a warning in the log).
std::vector<std::string> resolve_dirs(const std::vector<std::string>& dirs);

}  // namespace ct::actors
