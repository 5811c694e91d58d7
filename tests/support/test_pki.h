// A throwaway certificate authority for tests that run real TLS peers: a CA and the
// certificates it signs, made with the openssl program in a TempDir. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace probity::testing {

class TestPki {
 public:
  /// Makes the CA (ca.pem, ca.key). A failure is a test failure; ok() says so.
  TestPki() {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
             "/CN=Probity Test CA", "-keyout", at("ca.key"), "-out", at("ca.pem")});
  }

  /// Issues <name>.pem and <name>.key for `cn` with subjectAltName `san`
  /// ("DNS:relay.test", "IP:127.0.0.1", or both comma-separated).
  void issue(const std::string& name, const std::string& cn, const std::string& san) {
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn, "-keyout",
             at(name + ".key"), "-out", at(name + ".csr")});
    write_file(dir_ / (name + ".ext"), "subjectAltName=" + san + "\n");
    openssl({"x509", "-req", "-in", at(name + ".csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"),
             "-CAcreateserial", "-days", "2", "-extfile", at(name + ".ext"), "-out",
             at(name + ".pem")});
  }

  /// Revokes <name>.pem and writes the CA's certificate revocation list; returns its path.
  std::string revoke(const std::string& name) {
    write_file(dir_ / "index.txt", "");
    write_file(dir_ / "crlnumber", "01\n");
    write_file(dir_ / "ca.cnf", "[ca]\ndefault_ca = ca\n[ca]\ndatabase = " + at("index.txt") +
                                    "\ncrlnumber = " + at("crlnumber") +
                                    "\ndefault_md = sha256\ndefault_crl_days = 2\n");
    openssl({"ca", "-config", at("ca.cnf"), "-keyfile", at("ca.key"), "-cert", at("ca.pem"),
             "-revoke", at(name + ".pem")});
    openssl({"ca", "-config", at("ca.cnf"), "-keyfile", at("ca.key"), "-cert", at("ca.pem"),
             "-gencrl", "-out", at("crl.pem")});
    return at("crl.pem");
  }

  bool ok() const { return ok_; }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }

 private:
  void openssl(const std::vector<std::string>& args) {
    const std::string program = find_program("openssl");
    if (program.empty()) {
      ok_ = false;
      ADD_FAILURE() << "openssl is missing: install the Debian package openssl";
      return;
    }
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), args.begin(), args.end());
    if (const auto r = run_program(argv); r.exit_code != 0) {
      ok_ = false;
      ADD_FAILURE() << "openssl failed: " << r.output;
    }
  }

  TempDir dir_{"probity-pki"};
  bool ok_ = true;
};

}  // namespace probity::testing
