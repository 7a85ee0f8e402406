// An LD_PRELOAD shim for the bad-storage tests: the files under one directory behave as on a
// full or a read-only disk, switched while the process runs, so that the tests need no mount
// namespace, no loop device and no root.
//
//   CT_FAULT_DIR     the directory (an absolute path with no symbolic links, as SQLite sees it)
//   CT_FAULT_SWITCH  a file whose first word is the mode, read at every operation it concerns:
//                    missing or empty  everything passes through;
//                    "full"            writes and growing truncations fail with ENOSPC, as on
//                                      a full disk (opening and reading still work);
//                    "readonly"        opening for writing, creating, removing and writing fail
//                                      with EROFS.
//   CT_FAULT_COUNT   (optional) a file that grows by one byte at every refused call, so a test
//                    can see how often the process tried (a retry loop that spins shows).
//
// Only the C library's entry points SQLite and the store use are wrapped (nm -D on
// libsqlite3.so: open64, pwrite64, write, ftruncate64, unlink, mkdir), plus their other names.
// The descriptors opened under the directory are remembered, so a write to any other descriptor
// costs one array lookup.
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

enum class mode { pass, full, readonly };

constexpr int max_fds = 1 << 16;
std::array<std::atomic<bool>, max_fds> tracked{};

template <typename F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

using open_fn = int (*)(const char*, int, ...);
using openat_fn = int (*)(int, const char*, int, ...);
using close_fn = int (*)(int);
using read_fn = ssize_t (*)(int, void*, size_t);

/// The mode now, from the switch file (read with the next library's calls, not ours).
mode current() {
  static const char* path = std::getenv("CT_FAULT_SWITCH");
  static const auto real_open = next<open_fn>("open");
  static const auto real_read = next<read_fn>("read");
  static const auto real_close = next<close_fn>("close");
  if (path == nullptr)
    return mode::pass;
  const int fd = real_open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return mode::pass;
  char word[16] = {};
  const auto n = real_read(fd, word, sizeof word - 1);
  real_close(fd);
  if (n > 0 && std::strncmp(word, "full", 4) == 0)
    return mode::full;
  if (n > 0 && std::strncmp(word, "readonly", 8) == 0)
    return mode::readonly;
  return mode::pass;
}

/// Whether `path` (absolute, or relative to the working directory) is under CT_FAULT_DIR.
bool under(const char* path) {
  static const char* dir = std::getenv("CT_FAULT_DIR");
  if (dir == nullptr || path == nullptr)
    return false;
  char full[4096];
  if (path[0] != '/') {
    if (getcwd(full, sizeof full) == nullptr)
      return false;
    const auto len = std::strlen(full);
    if (len + 1 + std::strlen(path) + 1 > sizeof full)
      return false;
    full[len] = '/';
    std::strcpy(full + len + 1, path);
    path = full;
  }
  const auto n = std::strlen(dir);
  return std::strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

bool watched(int fd) {
  return fd >= 0 && fd < max_fds && tracked[static_cast<std::size_t>(fd)].load();
}

void remember(int fd, bool yes) {
  if (fd >= 0 && fd < max_fds)
    tracked[static_cast<std::size_t>(fd)].store(yes);
}

/// Fails the call with `err` and returns -1, counting it in CT_FAULT_COUNT.
int refuse(int err) {
  static const auto real_open = next<open_fn>("open");
  static const auto real_write = next<ssize_t (*)(int, const void*, size_t)>("write");
  static const char* count_path = std::getenv("CT_FAULT_COUNT");
  static const int count_fd =
      count_path ? real_open(count_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
  if (count_fd >= 0 && real_write(count_fd, "x", 1) != 1)
    std::abort();  // the test would count wrong
  errno = err;
  return -1;
}

/// The error a write to a watched descriptor gets now, or 0 to let it through.
int write_error(int fd) {
  if (!watched(fd))
    return 0;
  switch (current()) {
    case mode::full:
      return ENOSPC;
    case mode::readonly:
      return EROFS;
    default:
      return 0;
  }
}

bool writes(int flags) {
  return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
}

mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) != 0 ? static_cast<mode_t>(va_arg(ap, unsigned)) : 0;
}

/// A truncation that grows the file needs space; one that shrinks it does not.
int truncate_error(int fd, off64_t length) {
  const int e = write_error(fd);
  struct stat st {};
  if (e == ENOSPC && fstat(fd, &st) == 0 && length <= st.st_size)
    return 0;
  return e;
}

int open_common(open_fn real, const char* path, int flags, mode_t m) {
  const bool mine = under(path);
  if (mine && writes(flags) && current() == mode::readonly)
    return refuse(EROFS);
  const int fd = real(path, flags, m);
  if (mine)
    remember(fd, true);
  return fd;
}

int openat_common(openat_fn real, int dirfd, const char* path, int flags, mode_t m) {
  const bool mine = (dirfd == AT_FDCWD || path[0] == '/') && under(path);
  if (mine && writes(flags) && current() == mode::readonly)
    return refuse(EROFS);
  const int fd = real(dirfd, path, flags, m);
  if (mine)
    remember(fd, true);
  return fd;
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const auto m = mode_arg(flags, ap);
  va_end(ap);
  static const auto real = next<open_fn>("open");
  return open_common(real, path, flags, m);
}

int open64(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const auto m = mode_arg(flags, ap);
  va_end(ap);
  static const auto real = next<open_fn>("open64");
  return open_common(real, path, flags, m);
}

int openat(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const auto m = mode_arg(flags, ap);
  va_end(ap);
  static const auto real = next<openat_fn>("openat");
  return openat_common(real, dirfd, path, flags, m);
}

int openat64(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const auto m = mode_arg(flags, ap);
  va_end(ap);
  static const auto real = next<openat_fn>("openat64");
  return openat_common(real, dirfd, path, flags, m);
}

int close(int fd) {
  static const auto real = next<close_fn>("close");
  remember(fd, false);
  return real(fd);
}

ssize_t write(int fd, const void* buf, size_t n) {
  static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
  if (const int e = write_error(fd))
    return refuse(e);
  return real(fd, buf, n);
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
  static const auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
  if (const int e = write_error(fd))
    return refuse(e);
  return real(fd, iov, count);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t at) {
  static const auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  if (const int e = write_error(fd))
    return refuse(e);
  return real(fd, buf, n, at);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t at) {
  static const auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  if (const int e = write_error(fd))
    return refuse(e);
  return real(fd, buf, n, at);
}

int ftruncate(int fd, off_t length) {
  static const auto real = next<int (*)(int, off_t)>("ftruncate");
  if (const int e = truncate_error(fd, length))
    return refuse(e);
  return real(fd, length);
}

int ftruncate64(int fd, off64_t length) {
  static const auto real = next<int (*)(int, off64_t)>("ftruncate64");
  if (const int e = truncate_error(fd, length))
    return refuse(e);
  return real(fd, length);
}

int fallocate(int fd, int how, off_t at, off_t length) {
  static const auto real = next<int (*)(int, int, off_t, off_t)>("fallocate");
  if (const int e = write_error(fd))
    return refuse(e);
  return real(fd, how, at, length);
}

int fallocate64(int fd, int how, off64_t at, off64_t length) {
  static const auto real = next<int (*)(int, int, off64_t, off64_t)>("fallocate64");
  if (const int e = write_error(fd))
    return refuse(e);
  return real(fd, how, at, length);
}

int unlink(const char* path) {
  static const auto real = next<int (*)(const char*)>("unlink");
  if (under(path) && current() == mode::readonly)
    return refuse(EROFS);
  return real(path);
}

int mkdir(const char* path, mode_t m) {
  static const auto real = next<int (*)(const char*, mode_t)>("mkdir");
  if (under(path) && current() == mode::readonly)
    return refuse(EROFS);
  return real(path, m);
}

}  // extern "C"
