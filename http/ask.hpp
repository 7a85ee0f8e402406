// The one way a route talks to an actor: the request goes through its thread's bridge (a cheap
// enqueue from the Pistache thread) and the answer, the error or the timeout reaches callbacks
// that send the reply. No Pistache thread ever waits.
#pragma once

#include <chrono>
#include <functional>
#include <utility>

#include <caf/detail/type_traits.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "http/bridge.hpp"
#include "http/context.hpp"
#include "http/request.hpp"

namespace ct::http {

namespace detail {

/// `f` with the same parameter types (so CAF can type-check the response handler), running
/// `done` first.
template <class F, class... Ts>
auto after(std::function<void()> done, F f, caf::detail::type_list<Ts...>) {
  return [done = std::move(done), f = std::move(f)](Ts... xs) mutable {
    done();
    f(std::forward<Ts>(xs)...);
  };
}

}  // namespace detail

/// Asks `dest`; `on_ok` gets the reply, `on_err` a caf::error: request_receiver_down when the
/// actor is down (an invalid `dest` included), request_timeout after `timeout`. Either may run
/// after the other has (a late answer after a timeout): replies are sent exactly once anyway.
template <class Handle, class Msg, class OnOk, class OnErr>
void ask(const api_context& ctx, const Handle& dest, std::chrono::milliseconds timeout, Msg msg,
         OnOk on_ok, OnErr on_err) {
  if (!dest) {
    on_err(caf::make_error(caf::sec::request_receiver_down));
    return;
  }
  call c;
  c.timeout = timeout;
  c.on_timeout = [on_err]() mutable { on_err(caf::make_error(caf::sec::request_timeout)); };
  c.start = [dest, m = std::move(msg), on_ok = std::move(on_ok), on_err](
                caf::event_based_actor* self, std::function<void()> done) mutable {
    using args = typename caf::detail::get_callable_trait<OnOk>::arg_types;
    // The bridge keeps the deadline: no CAF timer per request.
    self->request(dest, caf::infinite, std::move(m))
        .then(detail::after(done, std::move(on_ok), args{}), [on_err, done](caf::error& e) mutable {
          done();
          on_err(e);
        });
  };
  caf::anon_send(ctx.bridge(), std::move(c));
}

/// As above, with errors answered as the API's error body, naming `who` was asked.
template <class Handle, class Msg, class OnOk>
void ask(const api_context& ctx, const Handle& dest, std::chrono::milliseconds timeout, Msg msg,
         const reply_ptr& out, const char* who, OnOk on_ok) {
  ask(ctx, dest, timeout, std::move(msg), std::move(on_ok),
      [out, who](const caf::error& e) { send_error(out, from_actor_error(e, who)); });
}

}  // namespace ct::http
