// The API's routes (API.md). Each validates its input completely, asks one actor, and renders
// the answer; none touches state itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "http/api_error.hpp"
#include "http/context.hpp"
#include "http/request.hpp"

namespace ct::http {

void get_health(const api_context& ctx, const request& req, const reply_ptr& out);
void get_status(const api_context& ctx, const request& req, const reply_ptr& out);
void get_config(const api_context& ctx, const request& req, const reply_ptr& out);
void post_config(const api_context& ctx, const request& req, const reply_ptr& out);

void post_trading_start(const api_context& ctx, const request& req, const reply_ptr& out);
void post_trading_stop(const api_context& ctx, const request& req, const reply_ptr& out);
void get_positions(const api_context& ctx, const request& req, const reply_ptr& out);
/// POST /api/positions/{id}/close.
void post_position_close(const api_context& ctx, const request& req, const reply_ptr& out);
void get_timeline(const api_context& ctx, const request& req, const reply_ptr& out);
void get_scan(const api_context& ctx, const request& req, const reply_ptr& out);
void post_scan(const api_context& ctx, const request& req, const reply_ptr& out);
void get_assets(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /api/candles?symbol=&limit=&before=.
void get_candles(const api_context& ctx, const request& req, const reply_ptr& out);
void get_equity(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /api/backtest/{id}/candles?symbol=&limit=&before=.
void get_backtest_candles(const api_context& ctx, const request& req, const reply_ptr& out);
void post_backtest(const api_context& ctx, const request& req, const reply_ptr& out);
/// What POST /api/backtest and /api/optimize both take: "data", "config", "strategy", "set".
std::optional<api_error> read_run_inputs(const nlohmann::json& body, std::vector<std::string>& data,
                                         std::vector<std::string>& patches,
                                         std::vector<std::string>& sources);
/// POST /api/optimize and GET /api/optimize/{id}.
void post_optimize(const api_context& ctx, const request& req, const reply_ptr& out);
void get_optimize(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /api/backtest/{id}.
void get_backtest(const api_context& ctx, const request& req, const reply_ptr& out);
/// POST /api/debug/crash and /api/debug/hang (debug.fault_injection; 404 when off).
void post_debug_crash(const api_context& ctx, const request& req, const reply_ptr& out);
void post_debug_hang(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /metrics: Prometheus text (0.0.4).
void get_metrics(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /api/openapi.json.
void get_openapi(const api_context& ctx, const request& req, const reply_ptr& out);
/// POST /api/stream/ticket: a single-use ticket for GET /ws?ticket= (30 s).
void post_stream_ticket(const api_context& ctx, const request& req, const reply_ptr& out);
/// GET /ws without an upgrade: 426 (the upgrade itself is handled by the server).
void get_ws(const api_context& ctx, const request& req, const reply_ptr& out);

}  // namespace ct::http
