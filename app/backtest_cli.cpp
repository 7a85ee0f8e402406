#include "app/backtest_cli.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actors/backtest_worker.hpp"
#include "app/options.hpp"
#include "messages/backtest_json.hpp"
#include "messages/trading_config.hpp"
#include "trading/time.hpp"

namespace ct::app {

namespace {

using nlohmann::json;

constexpr int exit_usage = 2;

result<std::string> read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::invalid_value, path + ": cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

result<std::int64_t> parse_time_arg(const std::string& text, const std::string& flag) {
  if (auto ms = trading::parse_moment_ms(text))
    return *ms;
  return make_error(errc::invalid_value,
                    flag + " " + text +
                        ": expected RFC 3339 (2018-01-10T05:00:00Z), a date (2018-01-10) or "
                        "milliseconds since the epoch",
                    flag);
}

result<msg::config> plan_config(const std::optional<std::string>& config_path,
                                const std::optional<std::string>& strategy,
                                const std::vector<std::string>& sets) {
  std::optional<config_file> file;
  if (config_path) {
    auto text = read_file(*config_path);
    if (!text.ok())
      return text.err();
    file = config_file{*config_path, text.value()};
  }
  auto cfg = assemble_config(file, {}, cli_args{});
  if (!cfg.ok())
    return cfg.err();
  std::vector<std::pair<std::string, json>> patches;
  if (strategy)
    patches.emplace_back("--strategy " + *strategy, json{{"strategy", {{"name", *strategy}}}});
  for (const auto& kv : sets) {
    auto p = set_patch(kv);
    if (!p.ok())
      return p.err();
    patches.emplace_back("--set " + kv, std::move(p.value()));
  }
  return msg::apply_patches(std::move(cfg.value()), patches);
}

result<backtest_plan> plan_backtest(const backtest_args& a) {
  auto patched = plan_config(a.config_file, a.strategy, a.sets);
  if (!patched.ok())
    return patched.err();
  const auto& c = patched.value();
  backtest_plan plan{msg::backtest_settings_of(c), c.strategy.symbols};
  if (a.from) {
    auto t = parse_time_arg(*a.from, "--from");
    if (!t.ok())
      return t.err();
    plan.settings.from_ms = t.value();
  }
  if (a.to) {
    auto t = parse_time_arg(*a.to, "--to");
    if (!t.ok())
      return t.err();
    plan.settings.to_ms = t.value();
  }
  return plan;
}

int run_backtest_command(const backtest_args& a) {
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "crypto-trading backtest: %s\n", why.c_str());
    return exit_usage;
  };
  auto plan = plan_backtest(a);
  if (!plan.ok())
    return fail(plan.err().message);
  const auto& settings = plan.value().settings;
  if (a.data.empty())
    return fail("--data: give at least one candle file");
  auto series = actors::load_candle_series(a.data, nullptr, plan.value().symbols);
  if (!series.ok())
    return fail(series.err().message);
  // Written beside the report and renamed over it: a failed run leaves no half report.
  const std::string partial = a.report + ".partial";
  std::ofstream out{partial, std::ios::binary | std::ios::trunc};
  if (!out)
    return fail(a.report + ": cannot write the report there");
  auto r = trading::run_backtest(series.value(), settings);
  if (!r.ok()) {
    out.close();
    std::remove(partial.c_str());
    return fail(r.err().message);
  }
  const auto& res = r.value();
  out << msg::report_json(res, settings).dump() << '\n';
  out.close();
  if (!out || std::rename(partial.c_str(), a.report.c_str()) != 0) {
    std::remove(partial.c_str());
    return fail(a.report + ": writing the report failed");
  }
  std::printf(
      "backtest strategy=%s symbols=%zu candles=%llu trades=%zu return_pct=%.4f "
      "max_drawdown_pct=%.4f gaps=%zu candles_per_s=%.0f report=%s\n",
      settings.strategy.name.c_str(), res.symbols.size(),
      static_cast<unsigned long long>(res.candles), res.trades.size(), res.metrics.total_return_pct,
      res.metrics.max_drawdown_pct, res.gaps.size(),
      res.elapsed_s > 0 ? static_cast<double>(res.candles) / res.elapsed_s : 0.0, a.report.c_str());
  return 0;
}

}  // namespace ct::app
