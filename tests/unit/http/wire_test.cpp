#include "http/wire.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ct::http {
namespace {

TEST(RequestEndTest, AHeadAloneEndsAtItsBlankLine) {
  const std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
  EXPECT_EQ(request_end(two, 0), two.find("GET /b"));
}

TEST(RequestEndTest, ABodyOfItsLengthFollowsTheHead) {
  const std::string r = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b";
  EXPECT_EQ(request_end(r, 5), r.find("GET /b"));
}

TEST(RequestEndTest, AChunkedBodyEndsAfterItsLastChunkAndTrailers) {
  const std::string head = "POST /a HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n";
  const std::string plain = head + "5\r\nhello\r\nA;ext=1\r\n0123456789\r\n0\r\n\r\nNEXT";
  EXPECT_EQ(request_end(plain, 15), plain.find("NEXT"));
  const std::string trailers = head + "1\r\nx\r\n0\r\nChecksum: 1\r\n\r\nNEXT";
  EXPECT_EQ(request_end(trailers, 1), trailers.find("NEXT"));
}

TEST(RequestEndTest, WhatCannotBeToldTakesEverything) {
  for (const std::string bad :
       {"GET /a HTTP/1.1\r\nHost: x\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nshort"})
    EXPECT_EQ(request_end(bad, 0), bad.size()) << bad;
}

TEST(ResponseOrderTest, AnswersAreWrittenInTheOrderOfTheirRequests) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  socket_writer writer{std::chrono::seconds{60}};
  auto box = writer.open(fds[0], 1 << 20);
  ::close(fds[0]);
  response_order order{box};
  const auto first = order.reserve(), second = order.reserve(), third = order.reserve();
  int done = 0;
  order.deliver(third, "3", true, [&] { ++done; });   // then the connection is half-closed
  order.deliver(second, {}, false, [&] { ++done; });  // given up: nothing written
  EXPECT_EQ(done, 0);                                 // all wait for the first
  order.deliver(first, "1", false, [&] { ++done; });
  EXPECT_EQ(done, 3);
  std::string got;
  char buf[16];
  for (ssize_t n; (n = ::recv(fds[1], buf, sizeof buf, 0)) > 0;)
    got.append(buf, static_cast<std::size_t>(n));
  EXPECT_EQ(got, "13");  // in order, then the end
  ::close(fds[1]);
}

}  // namespace
}  // namespace ct::http
