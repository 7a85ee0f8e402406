// The one way a route talks to an actor: a short-lived requester actor sends the request and
// hands the answer (or the error) to callbacks that send the reply. No Pistache thread ever
// waits; the requester exits once it has its answer.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include <caf/event_based_actor.hpp>

#include "http/context.hpp"
#include "http/request.hpp"

namespace ct::http {

/// Asks `dest`; `on_ok` gets the reply, `on_err` a caf::error (an invalid `dest`, i.e. an
/// actor that is down, reads as request_receiver_down).
template <class Handle, class Msg, class OnOk, class OnErr>
void ask(const api_context& ctx, const Handle& dest, std::chrono::milliseconds timeout, Msg msg,
         OnOk on_ok, OnErr on_err) {
  if (!dest) {
    on_err(caf::make_error(caf::sec::request_receiver_down));
    return;
  }
  ctx.sys.spawn([dest, timeout, m = std::move(msg), on_ok = std::move(on_ok),
                 on_err = std::move(on_err)](caf::event_based_actor* self) mutable {
    self->request(dest, timeout, std::move(m))
        .then(std::move(on_ok), [on_err](caf::error& e) mutable { on_err(e); });
  });
}

/// As above, with errors answered as the API's error body, naming `who` was asked.
template <class Handle, class Msg, class OnOk>
void ask(const api_context& ctx, const Handle& dest, std::chrono::milliseconds timeout, Msg msg,
         const reply_ptr& out, const char* who, OnOk on_ok) {
  ask(ctx, dest, timeout, std::move(msg), std::move(on_ok),
      [out, who](const caf::error& e) { send_error(out, from_actor_error(e, who)); });
}

}  // namespace ct::http
