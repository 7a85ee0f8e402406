#include "messages/config_reader.hpp"

#include <cstdio>

namespace ct::msg {

using nlohmann::json;

namespace {

std::string format_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  return buf;
}

}  // namespace

config_reader::config_reader(const json& obj, std::string prefix)
    : config_reader(obj, std::move(prefix), std::make_shared<std::optional<ct::error>>()) {}

config_reader::config_reader(const json& obj, std::string prefix,
                             std::shared_ptr<std::optional<ct::error>> slot)
    : obj_(obj), prefix_(std::move(prefix)), error_(std::move(slot)) {
  if (!obj_.is_object() && !*error_)
    *error_ = ct::make_error(
        errc::invalid_value,
        (prefix_.empty() ? std::string{"the configuration"} : prefix_) + " must be a JSON object",
        prefix_);
}

std::string config_reader::path(const char* key) const {
  return prefix_.empty() ? std::string{key} : prefix_ + "." + key;
}

void config_reader::fail(const char* key, const std::string& what, errc code) {
  if (!*error_)
    *error_ = ct::make_error(code, path(key) + " " + what, path(key));
}

const json* config_reader::get(const char* key) {
  known_.insert(key);
  if (*error_ || !obj_.is_object())
    return nullptr;
  // Through the underlying map: nlohmann's own iterators trip GCC's -Wnull-dereference.
  const auto& members = obj_.get_ref<const nlohmann::json::object_t&>();
  auto it = members.find(key);
  if (it == members.end() || it->second.is_null())
    return nullptr;
  return &it->second;
}

void config_reader::integer(const char* key, std::int64_t& out, std::int64_t lo, std::int64_t hi) {
  const json* v = get(key);
  if (!v)
    return;
  const std::string want =
      "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!v->is_number_integer()) {
    fail(key, want);
    return;
  }
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) {
    fail(key, want);
    return;
  }
  const auto x = v->get<std::int64_t>();
  if (x < lo || x > hi) {
    fail(key, want);
    return;
  }
  out = x;
}

void config_reader::number(const char* key, double& out, double lo, double hi, bool lo_inclusive) {
  const json* v = get(key);
  if (!v)
    return;
  const std::string want =
      lo_inclusive ? "must be a number from " + format_number(lo) + " to " + format_number(hi)
                   : "must be a number greater than 0 and at most " + format_number(hi);
  if (!v->is_number()) {
    fail(key, want);
    return;
  }
  const auto x = v->get<double>();
  if (x > hi || x < lo || (!lo_inclusive && x <= 0)) {
    fail(key, want);
    return;
  }
  out = x;
}

void config_reader::boolean(const char* key, bool& out) {
  const json* v = get(key);
  if (!v)
    return;
  if (!v->is_boolean()) {
    fail(key, "must be true or false");
    return;
  }
  out = v->get<bool>();
}

void config_reader::one_of(const char* key, std::string& out,
                           std::initializer_list<std::string_view> allowed) {
  one_of(key, out, allowed.begin(), allowed.size());
}

void config_reader::one_of(const char* key, std::string& out, const std::string_view* allowed,
                           std::size_t n) {
  const json* v = get(key);
  if (!v)
    return;
  std::string list;
  for (std::size_t i = 0; i < n; ++i)
    list += (list.empty() ? "\"" : ", \"") + std::string{allowed[i]} + "\"";
  if (v->is_string())
    for (std::size_t i = 0; i < n; ++i)
      if (v->get_ref<const std::string&>() == allowed[i]) {
        out = std::string{allowed[i]};
        return;
      }
  fail(key, "must be one of " + list);
}

void config_reader::text(const char* key, std::string& out, const check& ok) {
  const json* v = get(key);
  if (!v)
    return;
  if (!v->is_string()) {
    fail(key, "must be a string");
    return;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (auto complaint = ok(s)) {
    fail(key, *complaint);
    return;
  }
  out = s;
}

void config_reader::strings(const char* key, std::vector<std::string>& out, const check& ok) {
  const json* v = get(key);
  if (!v)
    return;
  if (!v->is_array()) {
    fail(key, "must be an array of strings");
    return;
  }
  std::vector<std::string> values;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    const std::string item_key = std::string{key} + "[" + std::to_string(i) + "]";
    if (!item.is_string()) {
      fail(item_key.c_str(), "must be a string");
      return;
    }
    if (auto complaint = ok(item.get<std::string>())) {
      fail(item_key.c_str(), *complaint);
      return;
    }
    values.push_back(item.get<std::string>());
  }
  out = std::move(values);
}

std::optional<config_reader> config_reader::group(const char* key) {
  const json* v = get(key);
  if (!v)
    return std::nullopt;
  return config_reader{*v, path(key), error_};
}

void config_reader::finish() {
  if (*error_ || !obj_.is_object())
    return;
  for (const auto& [key, value] : obj_.items())
    if (known_.count(key) == 0) {
      fail(key.c_str(), "is not a configuration key", errc::unknown_key);
      return;
    }
}

}  // namespace ct::msg
