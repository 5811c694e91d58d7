// Secrets and their digests, and the TLS server context's refusals (its handshakes are
// tested end to end: tests/e2e/tls_e2e_test.cpp, http_tls_e2e_test.cpp).
#include "base/secret_token.h"

#include <gtest/gtest.h>
#include <boost/asio/ssl/context.hpp>

#include "base/tls_server.h"

using namespace probity;

TEST(SecretToken, IsSixtyFourHexDigitsAndNeverRepeats) {
  const auto a = random_hex_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, random_hex_token());
}

TEST(SecretToken, DigestIsSha256InHex) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TlsServerContext, NamesTheFileItCannotLoadAndWhoWantedIt) {
  TlsServerConfig tls;
  tls.cert_file = "/nonexistent/http.pem";
  tls.key_file = "/nonexistent/http.key";
  const auto ctx = make_tls_server_context(tls, "http", "http.tls");
  ASSERT_FALSE(ctx);
  EXPECT_EQ(ctx.error().code, "http.tls");
  EXPECT_EQ(
      ctx.error().message.rfind("http: cannot load certificate chain /nonexistent/http.pem", 0), 0u)
      << ctx.error().message;
}
