// POST /api/optimize and GET /api/optimize/{id}: the body is checked here, shape and types; the
// optimizations actor applies it to the running configuration, reads the space and starts the
// search.
#include <nlohmann/json.hpp>

#include "http/ask.hpp"
#include "http/endpoints.hpp"
#include "http/input.hpp"
#include "messages/optimize.hpp"

namespace ct::http {

namespace {

using nlohmann::json;

constexpr std::chrono::seconds load_timeout{60};  // reading big candle files takes a while
constexpr std::size_t max_spec = 1000;            // characters of one key's values

/// One key's values as the command line writes them: "5..20", "1,2,3".
std::optional<std::string> spec_of(const json& v) {
  if (v.is_string())
    return v.get<std::string>();
  if (!v.is_array() || v.empty())
    return std::nullopt;
  std::string out;
  for (const auto& item : v) {
    if (!(item.is_number() || item.is_string()))
      return std::nullopt;
    const std::string text = item.is_string() ? item.get<std::string>() : item.dump();
    if (text.empty() || text.find(',') != std::string::npos)
      return std::nullopt;
    out += (out.empty() ? "" : ",") + text;
  }
  return out;
}

std::variant<msg::start_optimize, api_error> read_request(const json& body) {
  msg::start_optimize cmd;
  if (auto err = read_run_inputs(body, cmd.data, cmd.patches, cmd.patch_sources))
    return *err;
  auto space = body.find("space");
  if (space == body.end() || !space->is_object() || space->empty())
    return api_error(errc::invalid_value,
                     "space must be an object of settings and their values, "
                     "{\"strategy.fast_period\": \"5..20\", \"risk.stop_loss_pct\": [1, 2]}",
                     "space");
  for (const auto& [key, value] : space->items()) {
    auto spec = spec_of(value);
    if (!spec || spec->empty() || spec->size() > max_spec)
      return api_error(errc::invalid_value,
                       "space." + key +
                           " must be \"LO..HI[:STEP]\", \"V1,V2,...\" or an array of numbers or "
                           "names (at most 1000 characters)",
                       "space");
    cmd.space.push_back(key + "=" + *spec);
  }
  for (auto [key, target] : {std::pair<const char*, std::uint64_t*>{"trials", &cmd.trials},
                             {"min_trades", &cmd.min_trades},
                             {"folds", &cmd.folds},
                             {"top", &cmd.top},
                             {"seed", &cmd.seed}}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null())
      continue;
    if (!it->is_number_unsigned())
      return api_error(errc::invalid_value, std::string{key} + " must be a whole number", key);
    *target = it->get<std::uint64_t>();
  }
  if (auto it = body.find("objective"); it != body.end() && !it->is_null()) {
    if (!it->is_string())
      return api_error(errc::invalid_value, "objective must be a name (sharpe)", "objective");
    cmd.objective = it->get<std::string>();
  }
  return cmd;
}

std::string state_body(const msg::optimize_state& s) {
  const auto& p = s.progress;
  json j{{"id", s.id},
         {"status", msg::name_of(s.status)},
         {"progress",
          {{"trials", p.done},
           {"total", p.total},
           {"skipped", p.skipped},
           {"pct",
            p.total > 0 ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0},
           {"best_score", p.best_score ? json(*p.best_score) : json(nullptr)},
           {"candle_evals_per_s", p.candle_evals_per_s}}},
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

void post_optimize(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto obj = body_object(req, out,
                         {"data", "config", "strategy", "set", "space", "trials", "objective",
                          "min_trades", "folds", "top", "seed"});
  if (!obj)
    return;
  auto cmd = read_request(*obj);
  if (auto* err = std::get_if<api_error>(&cmd))
    return send_error(out, *err);
  ask(ctx, ctx.ports->get(&msg::http_ports::optimizations), load_timeout,
      std::get<msg::start_optimize>(std::move(cmd)), out, "optimizations",
      [out](msg::optimize_accepted& a) {
        send_json(out, 202,
                  json{{"id", a.id},
                       {"status", "running"},
                       {"trials", a.trials},
                       {"candles", a.candles},
                       {"href", "/api/optimize/" + a.id}}
                      .dump());
      });
}

void get_optimize(const api_context& ctx, const request& req, const reply_ptr& out) {
  auto id = path_id(req, "/api/optimize/", out);
  if (!id)
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::optimizations), ctx.request_timeout(),
      msg::get_optimize{*id}, out, "optimizations",
      [out](msg::optimize_state& s) { send_json(out, 200, state_body(s)); });
}

}  // namespace ct::http
