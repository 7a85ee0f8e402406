// Signed requests as Binance documents them: the HMAC-SHA256 of the exact query string (and
// body) with the API secret, in lower-case hex, appended as `signature`. OpenSSL computes the
// HMAC; nothing here is hand-written cryptography.
#pragma once

#include <string>
#include <string_view>

namespace ct::exchange {

/// HMAC-SHA256 of `message` under `key`, as 64 lower-case hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// SHA-256 of `data`, as 64 lower-case hex digits (a candle file's identity for the search's
/// workers).
std::string sha256_hex(std::string_view data);

/// `query` with `&signature=` and its HMAC-SHA256 under `secret` appended.
std::string signed_query(const std::string& query, std::string_view secret);

}  // namespace ct::exchange
