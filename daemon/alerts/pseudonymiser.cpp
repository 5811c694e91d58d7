// HMAC-SHA256 pseudonyms via OpenSSL; key files are created owner-only and checked so at
// every read.
#include "alerts/pseudonymiser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "base/ascii.h"
#include "base/hex.h"

namespace probity::alerts {

namespace {

constexpr std::size_t kKeyBytes = 32;

Result<void> write_new_key(const std::filesystem::path& file) {
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(kKeyBytes)) != 1)
    return fail("alerts.pseudonym_key", "no randomness for a new pseudonymisation key");
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  const bool ok =
      fd >= 0 && ::write(fd, key.data(), key.size()) == ssize_t(key.size()) && ::fsync(fd) == 0;
  const int saved = errno;
  if (fd >= 0) ::close(fd);
  if (!ok)
    return fail("alerts.pseudonym_key", "cannot create the pseudonymisation key " + file.string() +
                                            ": " + std::strerror(saved));
  return {};
}

}  // namespace

Result<std::string> read_pseudonym_key(const std::filesystem::path& key_file) {
  const int fd = ::open(key_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail("alerts.pseudonym_key", "cannot read the pseudonymisation key " +
                                            key_file.string() + ": " + std::strerror(errno));
  struct stat st {};
  std::string key(kKeyBytes + 1, '\0');
  const bool stat_ok = ::fstat(fd, &st) == 0;
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (!stat_ok || n < 0) return fail("alerts.pseudonym_key", "cannot read " + key_file.string());
  if ((st.st_mode & 0077) != 0)
    return fail("alerts.pseudonym_key", key_file.string() +
                                            " is open to others; chmod 600 it (it reverses "
                                            "pseudonyms)");
  if (static_cast<std::size_t>(n) != kKeyBytes)
    return fail("alerts.pseudonym_key", key_file.string() + " must hold exactly 32 bytes");
  key.resize(kKeyBytes);
  return key;
}

Result<void> create_pseudonym_key_if_missing(const std::filesystem::path& key_file) {
  std::error_code ec;
  if (std::filesystem::exists(key_file, ec)) return {};
  if (key_file.has_parent_path()) std::filesystem::create_directories(key_file.parent_path(), ec);
  return write_new_key(key_file);
}

Result<std::string> rotate_pseudonym_key(const std::filesystem::path& key_file) {
  if (auto old = read_pseudonym_key(key_file); !old) return tl::unexpected(old.error());
  const std::filesystem::path next = key_file.string() + ".new";
  std::error_code ec;
  std::filesystem::remove(next, ec);  // a rotation interrupted before its rename
  if (auto ok = write_new_key(next); !ok) return tl::unexpected(ok.error());
  std::filesystem::rename(next, key_file, ec);
  if (ec)
    return fail("alerts.pseudonym_key",
                "cannot replace " + key_file.string() + ": " + ec.message());
  // The rename is durable only once the directory is synced.
  if (const int dir = ::open(key_file.parent_path().empty() ? "." : key_file.parent_path().c_str(),
                             O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  auto key = read_pseudonym_key(key_file);
  if (!key) return tl::unexpected(key.error());
  return key_id(*key);
}

std::string pseudonym(std::string_view key, std::string_view identity) {
  const std::string lowered = to_lower(identity);
  std::array<unsigned char, 32> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(lowered.data()), lowered.size(), mac.data(), &len);
  return "PSN-" + to_hex(mac.data(), 6);
}

std::string key_id(std::string_view key) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest.data());
  return to_hex(digest.data(), 4);
}

Result<PseudonymKey> PseudonymKey::open(std::filesystem::path key_file) {
  PseudonymKey k;
  k.file_ = std::move(key_file);
  if (auto ok = k.refresh(); !ok) return tl::unexpected(ok.error());
  return k;
}

Result<void> PseudonymKey::refresh() {
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0)
    return fail("alerts.pseudonym_key",
                "the pseudonymisation key " + file_.string() + " is gone: " + std::strerror(errno));
  const std::int64_t mtime_ns =
      std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  if (!key_.empty() && st.st_ino == inode_ && mtime_ns == mtime_ns_) return {};
  auto key = read_pseudonym_key(file_);
  if (!key) return tl::unexpected(key.error());
  key_ = std::move(*key);
  id_ = key_id(key_);
  remembered_.clear();
  inode_ = st.st_ino;
  mtime_ns_ = mtime_ns;
  return {};
}

std::string PseudonymKey::of(std::string_view identity) const {
  std::string lowered = to_lower(identity);
  if (const auto it = remembered_.find(lowered); it != remembered_.end()) return it->second;
  if (remembered_.size() >= kRemembered) remembered_.clear();
  std::string made = pseudonym(key_, lowered);
  remembered_.emplace(std::move(lowered), made);
  return made;
}

}  // namespace probity::alerts
