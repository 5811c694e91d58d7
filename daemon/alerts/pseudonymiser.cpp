// HMAC-SHA256 pseudonyms via OpenSSL; the key file is created with owner-only access.
#include "alerts/pseudonymiser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <iterator>

#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace probity::alerts {

namespace {
constexpr std::size_t kKeyBytes = 32;
}

Result<std::string> load_or_create_pseudonym_key(const std::filesystem::path& key_file) {
  std::error_code ec;
  if (!std::filesystem::exists(key_file, ec)) {
    std::string key(kKeyBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(kKeyBytes)) != 1)
      return fail("alerts.pseudonym_key", "no randomness for a new pseudonymisation key");
    if (key_file.has_parent_path()) std::filesystem::create_directories(key_file.parent_path(), ec);
    const int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || ::write(fd, key.data(), key.size()) != static_cast<ssize_t>(key.size()) ||
        ::fsync(fd) != 0) {
      if (fd >= 0) ::close(fd);
      return fail("alerts.pseudonym_key",
                  "cannot create the pseudonymisation key " + key_file.string());
    }
    ::close(fd);
    return key;
  }
  std::ifstream in(key_file, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), {});
  if (!in.good() && !in.eof())
    return fail("alerts.pseudonym_key", "cannot read " + key_file.string());
  if (key.size() != kKeyBytes)
    return fail("alerts.pseudonym_key", key_file.string() + " must hold exactly 32 bytes");
  struct stat st {};
  if (::stat(key_file.c_str(), &st) == 0 && (st.st_mode & 0077) != 0)
    return fail(
        "alerts.pseudonym_key",
        key_file.string() + " is readable by others; chmod 600 it (it reverses pseudonyms)");
  return key;
}

std::string pseudonym(std::string_view key, std::string_view identity) {
  std::string lowered(identity);
  for (auto& c : lowered)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::array<unsigned char, 32> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(lowered.data()), lowered.size(), mac.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "PSN-";
  for (std::size_t i = 0; i < 6; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

Pseudonymiser make_pseudonymiser(std::string key) {
  return [key = std::move(key)](std::string_view identity) { return pseudonym(key, identity); };
}

}  // namespace probity::alerts
