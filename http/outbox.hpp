// Every byte the service sends on a connection, REST answers and WebSocket frames alike.
//
// Pistache 0.0.5's own write queue retries a write that the kernel refuses (EAGAIN) in a loop on
// its reactor thread, so a client that stops reading holds that thread at 100 % CPU until it
// reads again: two such clients stopped the whole API (found by the soak), and its bookkeeping of
// those writes ends in std::terminate ("could not find write data"). Here a write goes straight
// to the socket without blocking; what the kernel does not take waits in the connection's queue,
// bounded, and one writer thread sends the rest when epoll says the socket has room. A client
// that takes nothing of what waits for the send timeout is dropped (nginx's send_timeout).
//
// Each outbox writes through its own duplicate of the connection's descriptor: Pistache closes
// its descriptor when the connection ends, and the number may at once belong to a new
// connection, which a late write (a reply from an actor, a broadcast) must never reach.
// Thread-safe; `done` callbacks run without any lock held.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ct::http {

struct writer_core;

class outbox {
public:
  using done_fn = std::function<void()>;

  ~outbox();
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;

  /// Queues `bytes` after everything queued before. `done` runs once they are all handed to the
  /// kernel, or once they are dropped because the connection ended; it may run before write
  /// returns, on the caller's thread. With bytes already waiting, a write that would take the
  /// queue past its bound aborts the connection instead (a client that does not read). False
  /// when the bytes were not queued (that, or the connection had ended or was shut down).
  bool write(std::string bytes, done_fn done);
  /// Half-closes the socket (a FIN) once everything queued so far is sent.
  void shutdown_after_flush();
  /// Drops whatever is queued and shuts the socket both ways at once; Pistache then sees the
  /// end and frees the connection.
  void abort();
  /// Bytes queued and not yet handed to the kernel.
  std::size_t pending() const;
  /// False once aborted or once the socket failed.
  bool open() const;

private:
  friend class socket_writer;
  friend struct writer_core;
  struct entry {
    std::string bytes;
    std::size_t offset = 0;
    done_fn done;
  };

  outbox(std::shared_ptr<writer_core> core, int fd, std::uint64_t id, std::size_t max_pending);
  /// The writer thread: the socket has room (or failed).
  void flush();
  // The *_locked functions need mutex_ held; they collect callbacks to run after unlocking.
  void send_locked(std::vector<done_fn>& finished);
  void end_locked(std::vector<done_fn>& finished, bool shut_both_ways);
  /// The writer thread, now and then: drops the connection if bytes have waited since before
  /// `stalled_before` without the client taking any.
  void drop_if_stalled(std::chrono::steady_clock::time_point stalled_before);

  std::shared_ptr<writer_core> core_;
  const int fd_;
  const std::uint64_t id_;
  const std::size_t max_pending_;
  mutable std::mutex mutex_;
  std::deque<entry> queue_;  // guarded by mutex_, as the fields below
  std::size_t pending_ = 0;
  bool ended_ = false;
  bool fin_requested_ = false;
  bool fin_sent_ = false;
  std::chrono::steady_clock::time_point progress_;  // when bytes last went out, or began to wait
};

/// The thread that finishes writes the kernel could not take at once.
class socket_writer {
public:
  /// A client that takes none of the bytes waiting for it during `send_timeout` is dropped.
  explicit socket_writer(std::chrono::milliseconds send_timeout);
  ~socket_writer();
  socket_writer(const socket_writer&) = delete;
  socket_writer& operator=(const socket_writer&) = delete;

  /// An outbox for the connected socket `fd` (duplicated: `fd` stays the caller's), holding at
  /// most `max_pending` bytes once a write waits; null when no descriptor is left.
  std::shared_ptr<outbox> open(int fd, std::size_t max_pending);
  /// Outboxes alive.
  std::size_t size() const;

private:
  std::shared_ptr<writer_core> core_;
  std::thread thread_;
};

}  // namespace ct::http
