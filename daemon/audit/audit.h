// The consultation trail: who looked at a real identity or personal field, when, what was
// shown and why, as a hash-chained JSON-lines file that detects an edited, removed or
// reordered record. Not for the daemon's own log (spdlog) nor for alerts.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace probity::audit {

/// The trail's file name in the state directory.
inline constexpr std::string_view kTrailFileName = "consultations.jsonl";
/// `prev` of the first record: there is no record before it.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// ---- Who: the person, not only the Unix account ------------------------------------------

/// The person behind a consultation and the account it ran as. Under `sudo -u probity` the
/// account is probity and the person is whoever logged in.
struct Actor {
  std::string person;     ///< login name of the person (or a uid in decimal if it has no name)
  std::string source;     ///< where `person` came from: "loginuid", "sudo_user" or "uid"
  std::uint32_t uid = 0;  ///< the effective uid
  std::string account;    ///< its name (or the uid in decimal)
};

/// What the kernel and the environment say about a caller; plain values so tests need no
/// particular login.
struct ActorInputs {
  /// /proc/<pid>/loginuid: set by pam_loginuid at login and kept across su/sudo. nullopt
  /// or kUnsetLoginUid when the process never went through a login (services, containers).
  std::optional<std::uint32_t> loginuid;
  std::string sudo_user;  ///< SUDO_USER from the caller's environment, "" when absent
  std::uint32_t uid = 0;  ///< the effective uid
};
inline constexpr std::uint32_t kUnsetLoginUid = 4294967295u;

using NameOfUid = std::function<std::optional<std::string>(std::uint32_t uid)>;

/// The person is the login uid's name, else SUDO_USER, else the account itself. The login
/// uid comes first because only it cannot be set by the caller (SUDO_USER is an
/// environment variable); `source` says which was used so a reader can weigh it.
Actor resolve_actor(const ActorInputs& in, const NameOfUid& name_of);
/// getpwuid_r; nullopt when the uid has no passwd entry.
std::optional<std::string> account_name(std::uint32_t uid);
/// This process: /proc/self/loginuid, SUDO_USER and geteuid().
Actor current_actor();
/// A peer on a Unix socket (uid and pid from SO_PEERCRED): its /proc/<pid>/loginuid and the
/// SUDO_USER of /proc/<pid>/environ when readable (same uid or root). For the daemon socket.
Actor peer_actor(std::uint32_t uid, pid_t pid);

// ---- Why: a reason that says something --------------------------------------------------

/// A case or complaint reference as UK professional standards write them: letters, then at
/// least two groups of digits ("PSD-2024-0173", "CO/00123/24", "IOPC 2024/012345"). Two
/// digit groups so that a collar number ("PC 1234") is not taken for a case.
inline constexpr std::string_view kDefaultReferencePattern =
    R"(\b[A-Z]{2,5}[-/ ]?\d{2,}[-/ ]\d{2,}\b)";

/// The config file's audit: section.
struct ReasonPolicy {
  std::string reference_pattern{kDefaultReferencePattern};  ///< RE2; "" accepts no reference
  std::size_t min_length = 15;  ///< characters of free text that stand for a reference
};

/// Accepted when the reason holds a match of reference_pattern, or is free text of at least
/// min_length characters (whitespace runs count once) with at least two words and five
/// different letters or digits, so "because" and "aaaaaaaaaaaaaaaa" are refused. The error
/// (audit.reason) says what is expected.
Result<void> check_reason(const ReasonPolicy& policy, std::string_view reason);
/// Whether `pattern` compiles as RE2 (for the config loader); the error holds RE2's message.
Result<void> check_reference_pattern(std::string_view pattern);

// ---- The trail -------------------------------------------------------------------------

struct Consultation {
  std::string action;  ///< what was done: "alert.show", "state.show", "retention.purge"
  std::string target;  ///< which entry: an alert id, "staff/pc1"
  std::string shown;   ///< what was shown: "alert evidence", "staff record"
  std::string reason;
};

/// One line of the trail. The file's JSON keys, in this order: seq, time, actor,
/// actor_from, uid, account, action, target, shown, reason, prev, hash.
struct Record {
  std::uint64_t seq = 0;  ///< 1 for the first record, then +1
  std::string time;       ///< RFC 3339 UTC, microseconds
  Actor actor;
  Consultation consultation;
  std::string prev;  ///< the previous record's hash; kGenesisHash for seq 1
  /// SHA-256 (lower-case hex) of the record's compact JSON without the hash key, in the
  /// key order above: an edit to any field changes it, and the next record's prev.
  std::string hash;
};

/// Creates the trail if missing, for the daemon at start-up: mode 0660 whatever the umask,
/// and (when run as root) owned like the directory it is in. Group-writable because members
/// of the state directory's group append through the CLI; a group member could also rewrite
/// the file, which the chain makes visible to `probity audit verify`. An existing trail is
/// left as it is. Errors: audit.create.
Result<void> create_trail(const std::filesystem::path& file);

/// Appends one record under an exclusive flock (so concurrent callers neither interleave
/// nor fork the chain), O_APPEND, fsync'ed before returning: the caller may show what it
/// recorded only after this succeeds. Creates the trail as create_trail does when missing.
/// Errors: audit.create / audit.open (with what the caller can do about it), audit.chain
/// (the last line is not a chained record: run `probity audit verify`), audit.write.
/// Blocks while another process holds the lock; a few file system calls otherwise.
Result<Record> record_consultation(const std::filesystem::path& file,
                                   const Consultation& consultation,
                                   const Actor& actor = current_actor());

/// The first problem `verify_trail` found. Lines are 1-based.
struct ChainBreak {
  std::size_t line = 0;
  std::optional<std::uint64_t> seq;  ///< the record's seq when it could be read
  std::string kind;                  ///< "edited", "removed", "reordered" or "malformed"
  std::string detail;                ///< one sentence for a human
};

struct Verification {
  std::size_t records = 0;  ///< lines read before the first break (all of them when intact)
  std::optional<ChainBreak> first_break;
};

/// Walks the chain from the first line. A removed last record cannot be seen from the file
/// alone (nothing follows it). Errors only when the file cannot be read (audit.read).
Result<Verification> verify_trail(const std::filesystem::path& file);

/// Every record, for `probity audit show`. Errors: audit.read, audit.chain (a line that is
/// not a record, naming it).
Result<std::vector<Record>> read_trail(const std::filesystem::path& file);

}  // namespace probity::audit
