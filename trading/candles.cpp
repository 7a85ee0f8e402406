#include "trading/candles.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "trading/symbol.hpp"

namespace ct::trading {

namespace {

constexpr std::string_view csv_header = "timestamp_ms,open,high,low,close,volume";

error bad_data(std::string_view source, std::size_t line, const std::string& what) {
  std::string msg{source};
  msg += ':';
  msg += std::to_string(line);
  msg += ": ";
  msg += what;
  return make_error(errc::bad_data, msg, std::string{source});
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || ptr != end)
    return std::nullopt;
  return v;
}

/// Checks each row as it arrives, then derives the grid step and the gaps.
class series_builder {
public:
  explicit series_builder(std::string_view source) : source_(source) {}

  /// Adds a row of six fields; an error names the line.
  std::optional<error> add(const std::array<std::string_view, 6>& f, std::size_t line) {
    auto ts = parse_int(f[0]);
    if (!ts || *ts < 0)
      return bad_data(source_, line,
                      "timestamp_ms is not a non-negative integer: '" + std::string{f[0]} + "'");
    static constexpr std::array<const char*, 5> names{"open", "high", "low", "close", "volume"};
    std::array<std::int64_t, 5> v{};
    for (std::size_t i = 0; i < 5; ++i) {
      auto units = parse_units(f[i + 1]);
      if (!units)
        return bad_data(
            source_, line,
            std::string{names[i]} + " is not a number: '" + std::string{f[i + 1]} + "'");
      v[i] = *units;
    }
    candle c{*ts,
             price::from_units(v[0]),
             price::from_units(v[1]),
             price::from_units(v[2]),
             price::from_units(v[3]),
             quantity::from_units(v[4])};
    if (!c.open.is_positive() || !c.high.is_positive() || !c.low.is_positive() ||
        !c.close.is_positive())
      return bad_data(source_, line, "prices must be positive");
    if (c.volume.units() < 0)
      return bad_data(source_, line, "volume is negative");
    if (c.high < c.low)
      return bad_data(source_, line, "high < low");
    if (c.high < std::max(c.open, c.close) || c.low > std::min(c.open, c.close))
      return bad_data(source_, line, "open or close outside [low, high]");
    if (!candles_.empty()) {
      const auto prev = candles_.back().open_time_ms;
      if (c.open_time_ms == prev)
        return bad_data(source_, line, "duplicate timestamp " + std::to_string(prev));
      if (c.open_time_ms < prev)
        return bad_data(source_, line, "timestamps not ascending");
    }
    candles_.push_back(c);
    lines_.push_back(line);
    return std::nullopt;
  }

  result<candle_series> finish(std::size_t last_line) {
    if (candles_.size() < 2)
      return bad_data(source_, last_line, "needs at least two candles");
    std::int64_t step = candles_[1].open_time_ms - candles_[0].open_time_ms;
    for (std::size_t i = 2; i < candles_.size(); ++i)
      step = std::min(step, candles_[i].open_time_ms - candles_[i - 1].open_time_ms);
    candle_series s;
    s.step_ms = step;
    for (std::size_t i = 1; i < candles_.size(); ++i) {
      const auto diff = candles_[i].open_time_ms - candles_[i - 1].open_time_ms;
      if (diff % step != 0)
        return bad_data(source_, lines_[i],
                        "timestamp is off the " + std::to_string(step) + " ms grid");
      if (diff > step)
        s.gaps.push_back({candles_[i - 1].open_time_ms + step, diff / step - 1});
    }
    s.candles = std::move(candles_);
    return s;
  }

private:
  std::string_view source_;
  std::vector<candle> candles_;
  std::vector<std::size_t> lines_;
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r')
    s.remove_suffix(1);
  return s;
}

}  // namespace

result<candle_series> parse_candles_csv(std::string_view text, std::string_view source) {
  series_builder builder{source};
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos)
      eol = text.size();
    const auto line = trim_cr(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != csv_header)
        return bad_data(source, 1, "expected the header '" + std::string{csv_header} + "'");
      continue;
    }
    if (line.empty())
      continue;
    std::array<std::string_view, 6> fields;
    std::size_t start = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',') {
        if (count == fields.size())
          return bad_data(source, line_no, "expected 6 fields, found more");
        fields[count++] = line.substr(start, i - start);
        start = i + 1;
      }
    }
    if (count != fields.size())
      return bad_data(source, line_no, "expected 6 fields, found " + std::to_string(count));
    if (auto err = builder.add(fields, line_no))
      return *err;
  }
  if (line_no == 0)
    return bad_data(source, 1, "file is empty");
  return builder.finish(line_no);
}

namespace {

/// A cursor over JSON text that counts lines for error messages.
struct json_cursor {
  std::string_view text;
  std::size_t pos = 0;
  std::size_t line = 1;

  void skip_ws() {
    while (pos < text.size()) {
      const char c = text[pos];
      if (c == '\n')
        ++line;
      else if (c != ' ' && c != '\t' && c != '\r')
        return;
      ++pos;
    }
  }
  bool eat(char c) {
    skip_ws();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  std::string_view number() {
    skip_ws();
    const auto start = pos;
    while (pos < text.size()) {
      const char c = text[pos];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')
        ++pos;
      else
        break;
    }
    return text.substr(start, pos - start);
  }
};

}  // namespace

result<candle_series> parse_candles_json(std::string_view text, std::string_view source) {
  series_builder builder{source};
  json_cursor cur{text};
  if (!cur.eat('['))
    return bad_data(source, cur.line, "expected a JSON array of candles");
  std::size_t row = 0;
  if (!cur.eat(']')) {
    do {
      ++row;
      const auto row_text = " (row " + std::to_string(row) + ")";
      if (!cur.eat('['))
        return bad_data(source, cur.line, "expected '[' to open a candle" + row_text);
      std::array<std::string_view, 6> fields;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0 && !cur.eat(','))
          return bad_data(source, cur.line, "expected 6 numbers in a candle" + row_text);
        fields[i] = cur.number();
        if (fields[i].empty())
          return bad_data(source, cur.line, "expected a number" + row_text);
      }
      if (!cur.eat(']'))
        return bad_data(source, cur.line, "expected ']' after 6 numbers" + row_text);
      // Whole-valued timestamps may be written as 1515560100000.0.
      if (auto dot = fields[0].find('.');
          dot != std::string_view::npos &&
          fields[0].find_first_not_of('0', dot + 1) == std::string_view::npos)
        fields[0] = fields[0].substr(0, dot);
      if (auto err = builder.add(fields, cur.line)) {
        err->message += row_text;
        return *err;
      }
    } while (cur.eat(','));
    if (!cur.eat(']'))
      return bad_data(source, cur.line, "expected ',' or ']' after a candle");
  }
  cur.skip_ws();
  if (cur.pos != text.size())
    return bad_data(source, cur.line, "unexpected text after the array");
  return builder.finish(cur.line);
}

std::optional<error> check_candle_file_name(std::string_view file_name) {
  if (!symbol_from_file_name(file_name))
    return make_error(errc::bad_data,
                      std::string{file_name} +
                          ": cannot tell the symbol from the file name (expected BASE_QUOTE-"
                          "timeframe.csv or .json, like ADA_BTC-5m.csv)",
                      std::string{file_name});
  if (!ends_with(file_name, ".csv") && !ends_with(file_name, ".json"))
    return make_error(errc::bad_data, std::string{file_name} + ": expected a .csv or .json file",
                      std::string{file_name});
  return std::nullopt;
}

result<candle_series> parse_candle_file(std::string_view text, std::string_view file_name) {
  if (auto bad = check_candle_file_name(file_name))
    return *bad;
  auto parsed = ends_with(file_name, ".csv") ? parse_candles_csv(text, file_name)
                                             : parse_candles_json(text, file_name);
  if (parsed.ok())
    parsed.value().symbol = *symbol_from_file_name(file_name);
  return parsed;
}

}  // namespace ct::trading
