#include "exchange/signing.hpp"

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace ct::exchange {

namespace {

std::string hex_of(const unsigned char* digest, unsigned int size) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &size);
  return hex_of(digest.data(), size);
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return hex_of(digest.data(), size);
}

std::string signed_query(const std::string& query, std::string_view secret) {
  return query + "&signature=" + hmac_sha256_hex(secret, query);
}

}  // namespace ct::exchange
