#include "trading/symbol.hpp"

namespace ct::trading {

namespace {

bool valid_code(std::string_view s) {
  if (s.empty() || s.size() > 12)
    return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  return true;
}

}  // namespace

std::optional<symbol_parts> split_symbol(std::string_view symbol) {
  const auto dash = symbol.find('-');
  if (dash == std::string_view::npos)
    return std::nullopt;
  const auto base = symbol.substr(0, dash);
  const auto quote = symbol.substr(dash + 1);
  if (!valid_code(base) || !valid_code(quote))
    return std::nullopt;
  return symbol_parts{std::string{base}, std::string{quote}};
}

std::optional<std::string> symbol_from_file_name(std::string_view file_name) {
  if (const auto slash = file_name.find_last_of('/'); slash != std::string_view::npos)
    file_name.remove_prefix(slash + 1);
  const auto pair_end = file_name.find('-');
  if (pair_end == std::string_view::npos)
    return std::nullopt;
  const auto pair = file_name.substr(0, pair_end);
  const auto first = pair.find('_');
  if (first == std::string_view::npos)
    return std::nullopt;
  const auto base = pair.substr(0, first);
  auto quote = pair.substr(first + 1);
  if (const auto settle = quote.find('_'); settle != std::string_view::npos)
    quote = quote.substr(0, settle);
  std::string symbol{base};
  symbol += '-';
  symbol += quote;
  if (!split_symbol(symbol))
    return std::nullopt;
  return symbol;
}

}  // namespace ct::trading
