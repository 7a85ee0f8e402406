#include "actors/candle_files.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actors/log.hpp"

namespace ct::actors {

namespace {

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) != nullptr ? std::string{buf} : std::string{};
}

/// `path` with ".", ".." and repeated slashes folded, lexically (for a file that does not
/// exist, whose real path cannot be had).
std::string lexical_absolute(const std::string& path) {
  std::string base;
  if (path.empty() || path.front() != '/') {
    char cwd[PATH_MAX];
    base = ::getcwd(cwd, sizeof cwd) != nullptr ? cwd : "/";
  }
  std::vector<std::string> parts;
  std::string all = base + "/" + path;
  std::size_t start = 0;
  while (start <= all.size()) {
    auto end = all.find('/', start);
    if (end == std::string::npos)
      end = all.size();
    const auto part = all.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty())
        parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts)
    out += "/" + p;
  return out.empty() ? "/" : out;
}

bool inside(const std::string& path, const std::vector<std::string>& dirs) {
  for (const auto& d : dirs) {
    const std::string prefix = d == "/" ? d : d + "/";
    if (path.compare(0, prefix.size(), prefix) == 0)
      return true;
  }
  return false;
}

/// Closes a descriptor on every way out.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

}  // namespace

std::vector<std::string> resolve_dirs(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const auto& d : dirs) {
    auto real = real_path(d);
    if (real.empty())
      logger("backtests")
          ->warn("Candle directory not usable dir={} error=\"{}\"", d, std::strerror(errno));
    else
      out.push_back(std::move(real));
  }
  return out;
}

std::optional<ct::error> check_candle_place(const std::string& path, const file_policy& policy) {
  if (policy.dirs.empty())
    return std::nullopt;
  const auto real = real_path(path);
  if (inside(real.empty() ? lexical_absolute(path) : real, policy.dirs))
    return std::nullopt;
  return make_error(errc::forbidden_path,
                    path +
                        ": outside the directories candle files are read from "
                        "(backtest.data_dirs)",
                    "data");
}

result<std::string> read_candle_text(const std::string& path, const file_policy& policy) {
  if (auto outside = check_candle_place(path, policy))
    return *outside;
  const auto real = real_path(path);
  if (real.empty())
    return make_error(errc::invalid_value, path + ": cannot read the candle file", "data");
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer, for ever.
  fd_guard f{::open(real.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)};
  if (f.fd < 0)
    return make_error(errc::invalid_value, path + ": cannot read the candle file", "data");
  // What was opened is what was checked (a directory on the way was not swapped meanwhile).
  if (auto opened = real_path("/proc/self/fd/" + std::to_string(f.fd));
      !policy.dirs.empty() && !inside(opened, policy.dirs))
    return make_error(errc::forbidden_path, path + ": moved outside backtest.data_dirs", "data");
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return make_error(errc::invalid_value, path + ": not a regular file", "data");
  if (static_cast<std::uint64_t>(st.st_size) > policy.max_bytes)
    return make_error(errc::invalid_value,
                      path + ": larger than " + std::to_string(policy.max_bytes >> 20) + " MiB",
                      "data");
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    if (policy.cancel != nullptr && policy.cancel->load())
      return make_error(errc::actor_unavailable, "the service stopped while reading " + path, "");
    const auto n = ::read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return make_error(errc::invalid_value, path + ": cannot read the candle file", "data");
    if (n == 0)
      break;
    if (text.size() + static_cast<std::size_t>(n) > policy.max_bytes)
      return make_error(errc::invalid_value, path + ": grew while it was read", "data");
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace ct::actors
