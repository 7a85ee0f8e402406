#include "messages/search_space.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <unordered_set>

#include "messages/text_limits.hpp"
#include "messages/trading_config.hpp"
#include "trading/strategy.hpp"

namespace ct::msg {

namespace {

using nlohmann::json;

/// The keys a search may vary: the strategy's and the risk rules'.
bool searchable(const std::string& key) {
  auto under = [&](const char* prefix) { return key.rfind(prefix, 0) == 0; };
  if (key == "strategy.symbols")
    return false;
  return under("strategy.") || under("risk.") || under("paper.") || key == "max_positions" ||
         key == "stake_amount";
}

/// The value of dotted `key` in `j`, or null.
const json* find_key(const json& j, const std::string& key) {
  const json* at = &j;
  std::size_t from = 0;
  while (true) {
    const auto dot = key.find('.', from);
    const auto part = key.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    if (!at->is_object() || !at->contains(part))
      return nullptr;
    at = &(*at)[part];
    if (dot == std::string::npos)
      return at;
    from = dot + 1;
  }
}

error bad(const std::string& key, const std::string& why) {
  return make_error(errc::invalid_value, "--space " + key + ": " + why, key);
}

std::optional<double> number_of(const std::string& s) {
  if (s.empty() || s.size() > 32)
    return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v))
    return std::nullopt;
  return v;
}

bool integral_text(const std::string& s) {
  return s.find_first_of(".eE") == std::string::npos;
}

/// Digits after the point in `s` (a decimal without an exponent), else 12.
int decimals(const std::string& s) {
  if (s.find_first_of("eE") != std::string::npos)
    return 12;
  const auto dot = s.find('.');
  return dot == std::string::npos ? 0
                                  : static_cast<int>(std::min<std::size_t>(s.size() - dot - 1, 12));
}

result<std::vector<json>> range_values(const std::string& key, const std::string& spec,
                                       const json& current) {
  const auto dots = spec.find("..");
  const auto colon = spec.find(':', dots);
  const std::string lo_s = spec.substr(0, dots);
  const std::string hi_s =
      spec.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2);
  const std::string step_s = colon == std::string::npos ? "" : spec.substr(colon + 1);
  const auto lo = number_of(lo_s);
  const auto hi = number_of(hi_s);
  if (!lo || !hi)
    return bad(key, "expected LO..HI[:STEP] with numbers, got " + spec);
  if (*lo > *hi)
    return bad(key, "the range " + spec + " ends before it starts");
  const bool integer = current.is_number_integer();
  std::optional<double> step = 1.0;
  if (!step_s.empty())
    step = number_of(step_s);
  else if (!integer)
    return bad(key, "a decimal range needs a step (" + spec + ":0.5)");
  if (!step || *step <= 0)
    return bad(key, "the step must be a number above 0, got " + step_s);
  if (integer && !(integral_text(lo_s) && integral_text(hi_s) && integral_text(step_s)))
    return bad(key, "takes whole numbers, got " + spec);
  const double count = std::floor((*hi - *lo) / *step + 1e-9) + 1;
  if (count > static_cast<double>(max_dimension_values))
    return bad(key, spec + " has " + std::to_string(static_cast<std::uint64_t>(count)) +
                        " values; at most " + std::to_string(max_dimension_values));
  std::vector<json> out;
  const double scale = std::pow(10.0, std::max(decimals(lo_s), decimals(step_s)));
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    const double v = *lo + static_cast<double>(i) * *step;
    if (integer)
      out.emplace_back(static_cast<std::int64_t>(std::llround(v)));
    else
      out.emplace_back(std::round(v * scale) / scale);
  }
  return out;
}

result<std::vector<json>> list_values(const std::string& key, const std::string& spec,
                                      const json& current) {
  std::vector<json> out;
  std::size_t from = 0;
  while (from <= spec.size()) {
    auto comma = spec.find(',', from);
    if (comma == std::string::npos)
      comma = spec.size();
    const std::string item = spec.substr(from, comma - from);
    from = comma + 1;
    if (item.empty())
      return bad(key, "an empty value in " + spec);
    auto parsed = parse_json(item);
    json v = parsed.ok() ? std::move(parsed.value()) : json(item);
    const bool fits = current.is_number_integer() ? v.is_number_integer()
                      : current.is_number()       ? v.is_number()
                                                  : v.type() == current.type();
    if (!fits)
      return bad(key, item + " is not a " +
                          (current.is_number_integer() ? std::string{"whole number"}
                                                       : std::string{current.type_name()}));
    if (std::find(out.begin(), out.end(), v) != out.end())
      return bad(key, item + " is given twice");
    out.push_back(std::move(v));
    if (out.size() > max_dimension_values)
      return bad(key, "more than " + std::to_string(max_dimension_values) + " values");
  }
  return out;
}

/// The strategy parameters some strategy reads but `name`'s does not.
std::set<std::string> unread_params(const trading::strategy_spec& spec) {
  std::set<std::string> all;
  for (const auto& n : trading::strategy_names()) {
    auto other = spec;
    other.name = n;
    for (const auto& [k, v] : trading::strategy_params(other))
      all.insert(k);
  }
  for (const auto& [k, v] : trading::strategy_params(spec))
    all.erase(k);
  return all;
}

}  // namespace

std::uint64_t search_space::size() const {
  std::uint64_t n = 1;
  for (const auto& d : dims) {
    const auto k = static_cast<std::uint64_t>(d.values.size());
    if (n > std::numeric_limits<std::uint64_t>::max() / k)
      return std::numeric_limits<std::uint64_t>::max();
    n *= k;
  }
  return n;
}

json search_space::params(std::uint64_t index) const {
  json out = json::object();
  std::vector<const json*> picked(dims.size());
  for (std::size_t i = dims.size(); i-- > 0;) {
    const auto k = static_cast<std::uint64_t>(dims[i].values.size());
    picked[i] = &dims[i].values[static_cast<std::size_t>(index % k)];
    index /= k;
  }
  for (std::size_t i = 0; i < dims.size(); ++i)
    out[dims[i].key] = *picked[i];
  return out;
}

json search_space::patch(std::uint64_t index) const {
  json out = json::object();
  const json flat = params(index);
  for (auto it = flat.begin(); it != flat.end(); ++it)
    out.merge_patch(dotted_patch(it.key(), *it));
  return out;
}

result<dimension> parse_dimension(const std::string& text, const config& base) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return make_error(errc::invalid_value,
                      "--space " + text + ": expected KEY=LO..HI[:STEP] or KEY=V1,V2,...");
  dimension d{text.substr(0, eq), text.substr(eq + 1), {}};
  const json all = to_json(base, true);
  const json* current = find_key(all, d.key);
  if (current == nullptr || current->is_object())
    return make_error(errc::unknown_key, "--space " + d.key + ": no such setting", d.key);
  if (!searchable(d.key) || !(current->is_number() || current->is_string()))
    return bad(d.key,
               "not a setting of the strategy or the risk rules (strategy.*, risk.*, paper.*, "
               "max_positions, stake_amount; numbers or names)");
  const bool range = d.spec.find("..") != std::string::npos;
  if (range && !current->is_number())
    return bad(d.key, "takes a list of names (" + d.key + "=a,b), not a range");
  auto values =
      range ? range_values(d.key, d.spec, *current) : list_values(d.key, d.spec, *current);
  if (!values.ok())
    return values.err();
  d.values = std::move(values.value());
  return d;
}

result<search_space> parse_space(const std::vector<std::string>& specs, const config& base) {
  if (specs.empty())
    return make_error(errc::invalid_value,
                      "--space: give at least one (strategy.fast_period=5..20)", "space");
  if (specs.size() > max_dimensions)
    return make_error(errc::invalid_value,
                      "--space: at most " + std::to_string(max_dimensions) + " dimensions",
                      "space");
  search_space space;
  bool names_searched = false;
  for (const auto& s : specs) {
    auto d = parse_dimension(s, base);
    if (!d.ok())
      return d.err();
    for (const auto& other : space.dims)
      if (other.key == d.value().key)
        return bad(other.key, "given twice");
    names_searched = names_searched || d.value().key == "strategy.name";
    space.dims.push_back(std::move(d.value()));
  }
  if (!names_searched) {
    const auto unread = unread_params(strategy_of(base));
    for (const auto& d : space.dims)
      if (d.key.rfind("strategy.", 0) == 0 && unread.count(d.key.substr(9)) > 0)
        return bad(d.key, base.strategy.name +
                              " does not read it; choose a strategy that does (--strategy) or "
                              "search strategy.name too");
  }
  return space;
}

std::vector<std::uint64_t> trial_points(std::uint64_t grid_size, std::uint64_t trials,
                                        std::uint64_t seed) {
  std::vector<std::uint64_t> out;
  if (grid_size <= trials) {
    out.resize(static_cast<std::size_t>(grid_size));
    for (std::uint64_t i = 0; i < grid_size; ++i)
      out[static_cast<std::size_t>(i)] = i;
    return out;
  }
  // splitmix64: the same numbers on every machine (std's distributions are not portable).
  std::uint64_t state = seed;
  auto next = [&state] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  auto below = [&next](std::uint64_t n) {  // uniform in [0, n), without modulo bias
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x = next();
    while (x >= limit)
      x = next();
    return x % n;
  };
  // Floyd's: `trials` distinct points, one draw each.
  std::unordered_set<std::uint64_t> chosen;
  chosen.reserve(static_cast<std::size_t>(trials));
  for (std::uint64_t j = grid_size - trials; j < grid_size; ++j) {
    const std::uint64_t t = below(j + 1);
    chosen.insert(chosen.count(t) > 0 ? j : t);
  }
  out.assign(chosen.begin(), chosen.end());
  std::sort(out.begin(), out.end());
  return out;
}

result<config> trial_config(const config& base, const search_space& space, std::uint64_t index) {
  return merge_patch(base, space.patch(index));
}

}  // namespace ct::msg
