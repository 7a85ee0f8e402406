// The dashboard's files, compiled into the executable (dashboard/build.mjs writes the table from
// dashboard/src and lightweight-charts), and the routes that serve them: GET / and each file, and
// GET /config.json, which tells the page where its API and stream are. Every page answer carries a
// Content-Security-Policy that allows only the service's own scripts, styles and connections and
// forbids framing, with X-Frame-Options: DENY for older browsers: no other site can embed the
// page's buttons. The files need no token: the page asks for it (API.md).
#pragma once

#include "http/context.hpp"
#include "http/dashboard_files.hpp"
#include "http/request.hpp"

namespace ct::http {

/// The headers of every page answer.
extern const char* const page_headers;

/// GET / (the index) and GET of each file.
void get_dashboard_file(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /config.json: {"api": "/api", "stream": "/ws"}.
void get_dashboard_config(const api_context& ctx, const request& req, const reply_ptr& out);

}  // namespace ct::http
