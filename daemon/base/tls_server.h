// The server side of TLS as both TCP servers speak it (ingest/'s syslog listeners and
// http/): which files to load and the OpenSSL context built from them, with one policy —
// TLS 1.2 (ECDHE, AEAD) or 1.3, no renegotiation, no compression. Built on Boost.Asio's
// ssl::context: link probity_base_crypto. Not the handshake or the accept loop (each
// server's own).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"

namespace boost::asio::ssl {
class context;  // <boost/asio/ssl/context.hpp>: only the servers that use one include it
}

namespace probity {

/// Certificate and key, and optionally client certificates checked against ca_file (and
/// crl_file); require_client_cert refuses clients without one; allowed_names, when not
/// empty, are the names a client certificate must carry (DNS SAN, or CN without SANs).
struct TlsServerConfig {
  std::filesystem::path cert_file;  ///< PEM chain, server certificate first
  std::filesystem::path key_file;   ///< PEM private key (keep it 0600)
  std::filesystem::path ca_file;    ///< PEM CAs for client certificates; "" = none asked
  std::filesystem::path crl_file;   ///< PEM CRLs of that CA; "" = revocation not checked
  bool require_client_cert = false;
  std::vector<std::string> allowed_names;  ///< needs require_client_cert
};

/// Loads the files into a server context. Errors have the code `error_code` and start with
/// `who` ("listener syslog-tls", "http"): a file that cannot be loaded (named, with
/// OpenSSL's reason, e.g. the key does not match the certificate) or options that do not
/// fit together (allowed_names without require_client_cert).
Result<boost::asio::ssl::context> make_tls_server_context(const TlsServerConfig& tls,
                                                          const std::string& who,
                                                          const std::string& error_code);

}  // namespace probity
