#include "http/ws_registry.hpp"

#include <thread>
#include <vector>

namespace ct::http {

bool ws_registry::close_all(std::uint16_t code, const std::string& reason,
                            std::chrono::milliseconds deadline) {
  std::vector<std::shared_ptr<ws_session>> alive;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    for (auto& [id, weak] : sessions_)
      if (auto s = weak.lock())
        alive.push_back(std::move(s));
  }
  for (auto& s : alive)
    s->close(code, reason);
  // Runs on the main thread at shutdown: a bounded wait for the frames to be written.
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    std::size_t pending = 0;
    for (auto& s : alive)
      pending += s->pending_bytes();
    if (pending == 0)
      return true;
    if (std::chrono::steady_clock::now() >= until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

}  // namespace ct::http
