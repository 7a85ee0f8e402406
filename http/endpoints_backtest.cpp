// POST /api/backtest and GET /api/backtest/{id}: the body is checked here, shape and types;
// the backtests actor applies it to the running configuration and starts the run.
#include <nlohmann/json.hpp>

#include "http/ask.hpp"
#include "http/endpoints.hpp"
#include "http/input.hpp"
#include "messages/config.hpp"
#include "trading/time.hpp"

namespace ct::http {

namespace {

using nlohmann::json;

constexpr std::chrono::seconds load_timeout{60};  // reading big candle files takes a while

/// The request body as the actor's command, or the first problem with it.
std::variant<msg::start_backtest, api_error> read_request(const json& body) {
  msg::start_backtest cmd;
  if (auto err = read_run_inputs(body, cmd.data, cmd.patches, cmd.patch_sources))
    return *err;
  for (const char* key : {"from", "to"}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null())
      continue;
    std::optional<std::int64_t> ms;
    if (it->is_number_integer())
      ms = it->get<std::int64_t>();
    else if (it->is_string())
      ms = trading::parse_moment_ms(it->get<std::string>());
    if (!ms)
      return api_error(errc::invalid_value,
                       std::string{key} +
                           " must be RFC 3339, a date (2018-01-10) or milliseconds since the "
                           "epoch",
                       key);
    (std::string{key} == "from" ? cmd.from_ms : cmd.to_ms) = ms;
  }
  return cmd;
}

std::string state_body(const msg::backtest_state& s) {
  json j{{"id", s.id},
         {"status", msg::name_of(s.status)},
         {"progress",
          {{"candles", s.candles_done},
           {"total", s.candles_total},
           {"pct", s.candles_total > 0 ? 100.0 * static_cast<double>(s.candles_done) /
                                             static_cast<double>(s.candles_total)
                                       : 0.0}}},
         {"error", s.error.empty() ? json(nullptr) : json(s.error)}};
  std::string out = j.dump();
  // The report is already JSON: spliced in, not parsed again.
  out.pop_back();
  out += ",\"report\":";
  out += s.report.empty() ? "null" : s.report;
  out += '}';
  return out;
}

}  // namespace

std::optional<api_error> read_run_inputs(const json& body, std::vector<std::string>& data,
                                         std::vector<std::string>& patches,
                                         std::vector<std::string>& sources) {
  constexpr std::size_t max_files = 64;
  if (auto it = body.find("data"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > max_files)
      return api_error(errc::invalid_value, "data must be an array of at most 64 file paths",
                       "data");
    for (const auto& f : *it) {
      if (!f.is_string() || f.get<std::string>().empty())
        return api_error(errc::invalid_value, "data must hold file paths (strings)", "data");
      data.push_back(f.get<std::string>());
    }
  }
  if (auto it = body.find("config"); it != body.end() && !it->is_null()) {
    if (!it->is_object())
      return api_error(errc::invalid_value, "config must be an object of settings", "config");
    patches.push_back(it->dump());
    sources.push_back("config");
  }
  if (auto it = body.find("strategy"); it != body.end() && !it->is_null()) {
    if (!it->is_string())
      return api_error(errc::invalid_value, "strategy must be a strategy's name", "strategy");
    patches.push_back(json{{"strategy", {{"name", *it}}}}.dump());
    sources.push_back("strategy");
  }
  if (auto it = body.find("set"); it != body.end() && !it->is_null()) {
    if (!it->is_object())
      return api_error(errc::invalid_value,
                       "set must be an object of dotted keys, {\"risk.stop_loss_pct\": 2}", "set");
    for (const auto& [key, value] : it->items()) {
      if (key.empty() || key.front() == '.' || key.back() == '.')
        return api_error(errc::invalid_value, "set: '" + key + "' is not a dotted key", "set");
      patches.push_back(msg::dotted_patch(key, value).dump());
      sources.push_back("set." + key);
    }
  }
  return std::nullopt;
}

void post_backtest(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto obj = body_object(req, out, {"data", "config", "strategy", "set", "from", "to"});
  if (!obj)
    return;
  auto cmd = read_request(*obj);
  if (auto* err = std::get_if<api_error>(&cmd))
    return send_error(out, *err);
  ask(ctx, ctx.ports->get(&msg::http_ports::backtests), load_timeout,
      std::get<msg::start_backtest>(std::move(cmd)), out, "backtests",
      [out](msg::backtest_accepted& a) {
        send_json(out, 202,
                  json{{"id", a.id},
                       {"status", "running"},
                       {"candles", a.candles},
                       {"href", "/api/backtest/" + a.id}}
                      .dump());
      });
}

void get_backtest(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto id = path_id(req, "/api/backtest/", out);
  if (!id)
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::backtests), ctx.request_timeout(),
      msg::get_backtest{*id}, out, "backtests",
      [out](msg::backtest_state& s) { send_json(out, 200, state_body(s)); });
}

}  // namespace ct::http
