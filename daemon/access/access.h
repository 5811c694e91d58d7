// Who may work alerts: local accounts with roles and Argon2id password hashes, kept in the
// state store's accounts table, and the one table of what each role may do. Not for
// sessions or cookies (http/), nor for the consultation trail (audit/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "event/event.h"

namespace probity::state {
class Store;
}

namespace probity::access {

// ---- Roles and what they allow ------------------------------------------------------------

/// A bit set: an account may hold several roles (an admin who is also an investigator).
enum Role : std::uint8_t { analyst = 1, investigator = 2, admin = 4 };
using Roles = std::uint8_t;

/// "analyst,investigator" (commas or spaces); errors (access.role) name the unknown word.
Result<Roles> parse_roles(std::string_view text);
/// "analyst,investigator"; "" for none.
std::string roles_text(Roles roles);

enum class Permission {
  view_alerts,    ///< the pseudonymised list, detail and status strip
  work_alerts,    ///< acknowledge, assign, note
  close_alerts,   ///< dismiss, resolve, escalate, reopen
  reveal,         ///< real identities and evidence, with a reason, recorded
  manage_access,  ///< accounts
};

/// analyst: view, work. investigator: also close and reveal. admin: view (the internal
/// alerts are the admin's too) and accounts; no reveal unless also investigator.
bool allows(Roles roles, Permission permission);

// ---- Passwords -----------------------------------------------------------------------------

/// At least 12 characters, at most 256, not the account name. Errors: access.weak_password.
Result<void> check_password(std::string_view account, std::string_view password);
/// libsodium's crypto_pwhash_str with Argon2id at its "interactive" limits (64 MiB, 2 passes):
/// the string holds algorithm, parameters and salt. Errors: access.hash (out of memory).
Result<std::string> hash_password(std::string_view password);
/// Constant-time against the stored string; false for a malformed one.
bool verify_password(std::string_view stored_hash, std::string_view password);
/// A hash made no account can be logged into with: verified against when the account does
/// not exist, so a failed login costs the same time whether or not the name is real.
const std::string& decoy_hash();

// ---- Accounts ------------------------------------------------------------------------------

/// An API token for scripts (`Authorization: Bearer`), as stored: its SHA-256 only, so the
/// store holds nothing a client could present.
struct ApiToken {
  std::string label;   ///< names it for revocation and the trail; unique per account
  std::string sha256;  ///< hex digest of the token
  event::Timestamp created{};
};

struct Account {
  std::string name;  ///< lower-case letters, digits, '.', '_', '-'; 1-64, starts alphanumeric
  Roles roles = 0;
  std::string password_hash;
  bool disabled = false;
  event::Timestamp created{};
  event::Timestamp password_changed{};
  std::vector<ApiToken> tokens;  ///< revoked with the password (passwd, disable)
};

/// Errors: access.name, saying what is allowed.
Result<void> check_account_name(std::string_view name);

// ---- API tokens ----------------------------------------------------------------------------

/// At most this many tokens per account.
inline constexpr std::size_t kMaxTokensPerAccount = 16;

/// 1-64 letters, digits, '.', '_', '-' (it is written in the trail and the account list).
/// Errors: access.token_label.
Result<void> check_token_label(std::string_view label);
/// Adds a new token to `account` and returns it, the only time it exists in clear:
/// "probity_" and 64 hex digits (256 random bits). `label` "" picks "token-N". Errors:
/// access.token_label (bad or taken), access.too_many_tokens.
Result<std::string> issue_token(Account& account, std::string label, event::Timestamp now);
/// Whether `token` is one of the account's; its label when it is.
std::optional<std::string> token_label(const Account& account, std::string_view token);

/// Reads and writes accounts in the store's accounts table. Any thread (RocksDB's own
/// locking); writes are synced: an account change must survive a crash.
class Accounts {
 public:
  explicit Accounts(state::Store& store) : store_(store) {}
  /// nullopt for no such account. Errors: state.read, access.bad_record.
  Result<std::optional<Account>> find(std::string_view name) const;
  Result<std::vector<Account>> list() const;
  /// Creates or replaces. Errors: access.name, state.write / state.read_only.
  Result<void> put(const Account& account);
  /// The account holding API token `token` (enabled or not), or nullopt. Costs a scan of
  /// the accounts table (a few dozen records). Errors: state.read, access.bad_record.
  Result<std::optional<Account>> find_by_token(std::string_view token) const;
  /// Whether any enabled account holds the admin role (the first admin is made on the CLI).
  Result<bool> any_admin() const;

 private:
  state::Store& store_;
};

}  // namespace probity::access
