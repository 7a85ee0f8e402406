#include "messages/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace ct::msg {

std::string prom_number(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : "NaN";
}

namespace {

/// A label value's escapes: backslash, double quote and line feed.
void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

/// HELP text's escapes: backslash and line feed.
void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

}  // namespace

prom_text& prom_text::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_help(out_, help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
  return *this;
}

void prom_text::labels(std::initializer_list<label> labels, std::string_view le) {
  if (labels.size() == 0 && le.empty())
    return;
  out_ += '{';
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first)
      out_ += ',';
    first = false;
    out_ += key;
    out_ += "=\"";
    append_escaped(out_, value);
    out_ += '"';
  }
  if (!le.empty()) {
    out_ += first ? "le=\"" : ",le=\"";
    out_ += le;
    out_ += '"';
  }
  out_ += '}';
}

prom_text& prom_text::sample(std::string_view name, std::initializer_list<label> l, double value) {
  out_ += name;
  labels(l, {});
  out_ += ' ';
  out_ += prom_number(value);
  out_ += '\n';
  return *this;
}

histogram::histogram(std::initializer_list<double> bounds) : size_(bounds.size()) {
  if (size_ > max_bounds || !std::is_sorted(bounds.begin(), bounds.end()))
    throw std::invalid_argument("histogram: at most 16 ascending bounds");
  std::copy(bounds.begin(), bounds.end(), bounds_.begin());
}

void histogram::observe(double value) {
  const double* first = bounds_.data();
  const auto bucket = static_cast<std::size_t>(std::lower_bound(first, first + size_, value) -
                                               first);  // le: value <= bound
  ++counts_[bucket];
  sum_ += value;
  ++count_;
}

void histogram::render(prom_text& out, std::string_view name,
                       std::initializer_list<label> labels) const {
  const std::string bucket = std::string{name} + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= size_; ++i) {
    cumulative += counts_[i];
    out.out_ += bucket;
    out.labels(labels, i < size_ ? prom_number(bounds_[i]) : "+Inf");
    out.out_ += ' ';
    out.out_ += std::to_string(cumulative);
    out.out_ += '\n';
  }
  out.sample(std::string{name} + "_sum", labels, sum_);
  out.sample(std::string{name} + "_count", labels, static_cast<double>(count_));
}

histogram latency_histogram() {
  return histogram{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                   0.05,   0.1,     0.25,   0.5,   1,      2.5,   10};
}

}  // namespace ct::msg
