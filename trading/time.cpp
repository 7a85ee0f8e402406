#include "trading/time.hpp"

#include <charconv>

namespace ct::trading {

namespace {

using i64 = std::int64_t;

struct civil {
  i64 year;
  i64 month;
  i64 day;
};

// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years).
i64 days_from_civil(i64 y, i64 m, i64 d) {
  y -= m <= 2 ? 1 : 0;
  const i64 era = (y >= 0 ? y : y - 399) / 400;
  const i64 yoe = y - era * 400;
  const i64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const i64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil civil_from_days(i64 z) {
  z += 719468;
  const i64 era = (z >= 0 ? z : z - 146096) / 146097;
  const i64 doe = z - era * 146097;
  const i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const i64 mp = (5 * doy + 2) / 153;
  const i64 d = doy - (153 * mp + 2) / 5 + 1;
  const i64 m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

i64 floor_div(i64 a, i64 b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, i64& out) {
  if (pos + count > s.size())
    return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

bool valid_date(i64 y, i64 m, i64 d) {
  if (m < 1 || m > 12 || d < 1)
    return false;
  static constexpr i64 days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const i64 limit = m == 2 && leap ? 29 : days_in_month[m - 1];
  return d <= limit;
}

}  // namespace

std::string format_rfc3339(timestamp t) {
  const i64 ms = to_unix_ms(t);
  const i64 days = floor_div(ms, 86'400'000);
  const i64 ms_of_day = ms - days * 86'400'000;
  const civil c = civil_from_days(days);
  // Written digit by digit: this runs for every timestamp of every answer.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t pos, i64 value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
      out[pos + width - 1 - i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  if (c.year < 0 || c.year > 9999)
    return std::to_string(c.year) + out.substr(4);  // outside RFC 3339's range; never in practice
  put(0, c.year, 4);
  put(5, c.month, 2);
  put(8, c.day, 2);
  put(11, ms_of_day / 3'600'000, 2);
  put(14, ms_of_day / 60'000 % 60, 2);
  put(17, ms_of_day / 1000 % 60, 2);
  put(20, ms_of_day % 1000, 3);
  return out;
}

std::optional<timestamp> parse_rfc3339(std::string_view s) {
  std::size_t pos = 0;
  i64 y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, d) || !valid_date(y, mo, d))
    return std::nullopt;
  i64 ns = 0;
  i64 offset_s = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, h) || !expect(s, pos, ':') || !read_digits(s, pos, 2, mi) ||
        !expect(s, pos, ':') || !read_digits(s, pos, 2, sec) || h > 23 || mi > 59 || sec > 59)
      return std::nullopt;
    if (expect(s, pos, '.')) {
      i64 scale = 100'000'000;
      std::size_t digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ns += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
        ++digits;
      }
      if (digits == 0)
        return std::nullopt;
    }
    if (expect(s, pos, 'Z') || expect(s, pos, 'z')) {
      offset_s = 0;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      const i64 sign = s[pos++] == '-' ? -1 : 1;
      i64 oh = 0, om = 0;
      if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om) ||
          oh > 23 || om > 59)
        return std::nullopt;
      offset_s = sign * (oh * 3600 + om * 60);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size())
    return std::nullopt;
  const i64 seconds = days_from_civil(y, mo, d) * 86'400 + h * 3600 + mi * 60 + sec - offset_s;
  return timestamp{std::chrono::nanoseconds{seconds * 1'000'000'000 + ns}};
}

timestamp system_clock::now() const {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

std::optional<std::int64_t> parse_moment_ms(std::string_view text) {
  std::int64_t ms = 0;
  const char* end = text.data() + text.size();
  if (auto [ptr, ec] = std::from_chars(text.data(), end, ms); ec == std::errc{} && ptr == end)
    return ms;
  std::string rfc{text};
  if (rfc.size() == 10)
    rfc += "T00:00:00Z";
  if (auto t = parse_rfc3339(rfc))
    return to_unix_ms(*t);
  return std::nullopt;
}

}  // namespace ct::trading
