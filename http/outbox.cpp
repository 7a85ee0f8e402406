#include "http/outbox.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ct::http {

/// What the writer thread and the outboxes share; outlives both (each holds it).
struct writer_core {
  int epoll_fd = -1;
  int wake_fd = -1;  // written once, to stop the thread
  std::chrono::milliseconds send_timeout{60'000};
  std::mutex mutex;
  std::uint64_t next_id = 1;                             // guarded by mutex
  std::map<std::uint64_t, std::weak_ptr<outbox>> boxes;  // guarded by mutex

  /// The writer thread: sends what waits once a socket has room, until woken to stop.
  void run();

  ~writer_core() {
    if (wake_fd >= 0)
      ::close(wake_fd);
    if (epoll_fd >= 0)
      ::close(epoll_fd);
  }
};

namespace {

constexpr std::uint64_t wake_id = 0;  // no outbox has it

void run_all(std::vector<outbox::done_fn>& finished) {
  for (auto& f : finished)
    if (f)
      f();
}

}  // namespace

void writer_core::run() {
  using clock = std::chrono::steady_clock;
  // The sweep for stalled clients runs a few times per send timeout (at least once a second).
  const auto sweep_every =
      std::min<std::chrono::milliseconds>(send_timeout / 4, std::chrono::seconds{1});
  auto next_sweep = clock::now() + sweep_every;
  epoll_event events[64];
  for (;;) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - clock::now());
    const int n = ::epoll_wait(epoll_fd, events, 64,
                               static_cast<int>(std::max<std::int64_t>(wait.count(), 0)));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      spdlog::error("The socket writer stops error=\"{}\"", std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i) {
      const auto id = events[i].data.u64;
      if (id == wake_id)
        return;
      std::shared_ptr<outbox> box;
      {
        std::lock_guard<std::mutex> guard{mutex};
        auto it = boxes.find(id);
        if (it != boxes.end())
          box = it->second.lock();
      }
      if (box)
        box->flush();
    }
    if (const auto now = clock::now(); now >= next_sweep) {
      next_sweep = now + sweep_every;
      std::vector<std::shared_ptr<outbox>> all;
      {
        std::lock_guard<std::mutex> guard{mutex};
        all.reserve(boxes.size());
        for (const auto& [id, weak] : boxes)
          if (auto box = weak.lock())
            all.push_back(std::move(box));
      }
      for (const auto& box : all)
        box->drop_if_stalled(now - send_timeout);
    }
  }
}

outbox::outbox(std::shared_ptr<writer_core> core, int fd, std::uint64_t id, std::size_t max_pending)
    : core_(std::move(core)), fd_(fd), id_(id), max_pending_(max_pending) {}

outbox::~outbox() {
  ::epoll_ctl(core_->epoll_fd, EPOLL_CTL_DEL, fd_, nullptr);
  ::close(fd_);
  {
    std::lock_guard<std::mutex> guard{core_->mutex};
    core_->boxes.erase(id_);
  }
  for (auto& e : queue_)
    if (e.done)
      e.done();
}

bool outbox::write(std::string bytes, done_fn done) {
  std::vector<done_fn> finished;
  bool accepted = true;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (ended_ || fin_requested_) {
      accepted = false;
      finished.push_back(std::move(done));
    } else if (!queue_.empty() && pending_ + bytes.size() > max_pending_) {
      accepted = false;
      end_locked(finished, true);
      finished.push_back(std::move(done));
    } else {
      if (queue_.empty())
        progress_ = std::chrono::steady_clock::now();  // the wait starts now
      pending_ += bytes.size();
      queue_.push_back(entry{std::move(bytes), 0, std::move(done)});
      if (queue_.size() == 1)
        send_locked(finished);
    }
  }
  run_all(finished);
  return accepted;
}

void outbox::shutdown_after_flush() {
  std::lock_guard<std::mutex> guard{mutex_};
  if (ended_ || fin_requested_)
    return;
  fin_requested_ = true;
  if (queue_.empty()) {
    ::shutdown(fd_, SHUT_WR);
    fin_sent_ = true;
  }
}

void outbox::abort() {
  std::vector<done_fn> finished;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!ended_)
      end_locked(finished, true);
  }
  run_all(finished);
}

std::size_t outbox::pending() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return pending_;
}

bool outbox::open() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return !ended_;
}

void outbox::flush() {
  std::vector<done_fn> finished;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!ended_ && !queue_.empty())
      send_locked(finished);
  }
  run_all(finished);
}

void outbox::send_locked(std::vector<done_fn>& finished) {
  while (!queue_.empty()) {
    auto& e = queue_.front();
    const auto left = e.bytes.size() - e.offset;
    const auto n = ::send(fd_, e.bytes.data() + e.offset, left, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return;  // epoll (edge-triggered, registered at open) says when there is room
      end_locked(finished, false);  // the client went away (EPIPE, ECONNRESET, ...)
      return;
    }
    progress_ = std::chrono::steady_clock::now();
    e.offset += static_cast<std::size_t>(n);
    pending_ -= static_cast<std::size_t>(n);
    if (e.offset == e.bytes.size()) {
      finished.push_back(std::move(e.done));
      queue_.pop_front();
    }
  }
  if (fin_requested_ && !fin_sent_) {
    ::shutdown(fd_, SHUT_WR);
    fin_sent_ = true;
  }
}

void outbox::drop_if_stalled(std::chrono::steady_clock::time_point stalled_before) {
  std::vector<done_fn> finished;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (ended_ || queue_.empty() || progress_ >= stalled_before)
      return;
    end_locked(finished, true);
  }
  run_all(finished);
}

void outbox::end_locked(std::vector<done_fn>& finished, bool shut_both_ways) {
  ended_ = true;
  if (shut_both_ways)
    ::shutdown(fd_, SHUT_RDWR);
  for (auto& e : queue_)
    finished.push_back(std::move(e.done));
  queue_.clear();
  pending_ = 0;
}

socket_writer::socket_writer(std::chrono::milliseconds send_timeout)
    : core_(std::make_shared<writer_core>()) {
  core_->send_timeout = send_timeout;
  core_->epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  core_->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (core_->epoll_fd < 0 || core_->wake_fd < 0)
    throw std::system_error(errno, std::generic_category(), "the socket writer's epoll");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = wake_id;
  if (::epoll_ctl(core_->epoll_fd, EPOLL_CTL_ADD, core_->wake_fd, &ev) != 0)
    throw std::system_error(errno, std::generic_category(), "the socket writer's epoll");
  thread_ = std::thread([core = core_] { core->run(); });
}

socket_writer::~socket_writer() {
  const std::uint64_t one = 1;
  if (::write(core_->wake_fd, &one, sizeof one) < 0)
    spdlog::error("The socket writer could not be woken error=\"{}\"", std::strerror(errno));
  thread_.join();
}

std::shared_ptr<outbox> socket_writer::open(int fd, std::size_t max_pending) {
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0)
    return nullptr;
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> guard{core_->mutex};
    id = core_->next_id++;
  }
  std::shared_ptr<outbox> box{new outbox(core_, own, id, max_pending)};
  {
    std::lock_guard<std::mutex> guard{core_->mutex};
    core_->boxes.emplace(id, box);
  }
  epoll_event ev{};
  ev.events = EPOLLOUT | EPOLLET;
  ev.data.u64 = id;
  if (::epoll_ctl(core_->epoll_fd, EPOLL_CTL_ADD, own, &ev) != 0)
    return nullptr;  // the outbox closes its descriptor
  return box;
}

std::size_t socket_writer::size() const {
  std::lock_guard<std::mutex> guard{core_->mutex};
  return core_->boxes.size();
}

}  // namespace ct::http
