// make_tls_server_context (tls_server.h): one TLS policy for every server in the daemon.
#include "base/tls_server.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <boost/asio/ssl/context.hpp>

namespace probity {

namespace asio = boost::asio;

namespace {

// TLS 1.2: forward secrecy (ECDHE) and AEAD only; no static RSA, no CBC, no SHA-1 MACs.
// TLS 1.3 suites are all AEAD with forward secrecy, so OpenSSL's defaults stay.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// Accepts a verified chain only if its leaf names one of `names` (X509_check_host: DNS
/// SANs, or the CN when there is none).
auto allowed_names_check(std::vector<std::string> names) {
  return [names = std::move(names)](bool preverified, asio::ssl::verify_context& vc) {
    if (!preverified) return false;
    X509_STORE_CTX* store = vc.native_handle();
    if (X509_STORE_CTX_get_error_depth(store) != 0) return true;  // CAs: chain checks only
    X509* leaf = X509_STORE_CTX_get_current_cert(store);
    for (const auto& name : names)
      if (X509_check_host(leaf, name.data(), name.size(), 0, nullptr) == 1) return true;
    X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    return false;
  };
}

}  // namespace

Result<asio::ssl::context> make_tls_server_context(const TlsServerConfig& tls,
                                                   const std::string& who,
                                                   const std::string& error_code) {
  asio::ssl::context ctx(asio::ssl::context::tls_server);
  boost::system::error_code ec;
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression,
                  ec);
  auto refused = [&](const std::string& what) { return fail(error_code, who + ": " + what); };
  auto failed = [&](const std::string& what, const std::filesystem::path& file) {
    return refused(what + " " + file.string() + ": " + ec.message());
  };
  SSL_CTX* native = ctx.native_handle();
  // A client-started renegotiation costs the server a handshake per request (a cheap
  // flood) and has a history of bugs; neither syslog nor the API needs one.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return refused("OpenSSL refused the cipher list");
  ctx.use_certificate_chain_file(tls.cert_file.string(), ec);
  if (ec) return failed("cannot load certificate chain", tls.cert_file);
  ctx.use_private_key_file(tls.key_file.string(), asio::ssl::context::pem, ec);
  if (ec) return failed("cannot load private key", tls.key_file);
  if (!tls.ca_file.empty()) {
    ctx.load_verify_file(tls.ca_file.string(), ec);
    if (ec) return failed("cannot load client CA file", tls.ca_file);
    ctx.set_verify_mode(asio::ssl::verify_peer |
                            (tls.require_client_cert ? asio::ssl::verify_fail_if_no_peer_cert : 0),
                        ec);
  } else if (tls.require_client_cert) {
    return refused("require_client_cert needs a ca_file to verify with");
  }
  if (!tls.crl_file.empty()) {
    if (tls.ca_file.empty()) return refused("crl_file needs a ca_file");
    X509_STORE* store = SSL_CTX_get_cert_store(native);
    X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
    if (!lookup || X509_load_crl_file(lookup, tls.crl_file.c_str(), X509_FILETYPE_PEM) <= 0)
      return refused("cannot load CRL file " + tls.crl_file.string() + " (PEM expected)");
    // Leaf only: the CRL is the client CA's; an intermediate needs its own in the file.
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  }
  if (!tls.allowed_names.empty()) {
    if (!tls.require_client_cert)
      return refused(
          "allowed_names needs require_client_cert: true (a client without a certificate "
          "would pass unchecked)");
    ctx.set_verify_callback(allowed_names_check(tls.allowed_names), ec);
  }
  return ctx;
}

}  // namespace probity
