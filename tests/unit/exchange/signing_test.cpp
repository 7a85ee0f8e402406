#include "exchange/signing.hpp"

#include <gtest/gtest.h>

namespace ct::exchange {
namespace {

// Binance's documented example of a signed request (SIGNED endpoint security, HMAC keys).
constexpr const char* secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr const char* query =
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
    "timestamp=1499827319559";

TEST(SigningTest, BinancesDocumentedExample) {
  EXPECT_EQ(hmac_sha256_hex(secret, query),
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  EXPECT_EQ(signed_query(query, secret),
            std::string{query} +
                "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST(SigningTest, RfcFourTwoThreeOneCaseTwo) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace ct::exchange
