// API tokens (access.h): issued into an account's record, found again by their digest.
#include <algorithm>

#include "access/access.h"
#include "base/secret_token.h"
#include "state/store.h"

namespace probity::access {

namespace {

// Says what the string is when it turns up in a log or a script (and secret scanners can
// match it); the 64 hex digits after it are the secret.
constexpr std::string_view kTokenPrefix = "probity_";

}  // namespace

Result<void> check_token_label(std::string_view label) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  };
  if (label.empty() || label.size() > 64 || !std::all_of(label.begin(), label.end(), ok_char))
    return fail("access.token_label",
                "a token label is 1-64 letters, digits, '.', '_' or '-' (e.g. nightly-export)");
  return {};
}

Result<std::string> issue_token(Account& account, std::string label, event::Timestamp now) {
  auto taken = [&](std::string_view l) {
    return std::any_of(account.tokens.begin(), account.tokens.end(),
                       [&](const ApiToken& t) { return t.label == l; });
  };
  if (account.tokens.size() >= kMaxTokensPerAccount)
    return fail("access.too_many_tokens",
                "account " + account.name + " has " + std::to_string(kMaxTokensPerAccount) +
                    " tokens already; revoke one first (--revoke --label LABEL)");
  if (label.empty()) {
    for (std::size_t n = 1; label.empty() || taken(label); ++n)
      label = "token-" + std::to_string(n);
  } else if (auto ok = check_token_label(label); !ok) {
    return tl::unexpected(ok.error());
  } else if (taken(label)) {
    return fail("access.token_label", "account " + account.name + " has a token labelled " + label +
                                          " already; revoke it or pick another label");
  }
  std::string token = std::string(kTokenPrefix) + random_hex_token();
  account.tokens.push_back({std::move(label), sha256_hex(token), now});
  return token;
}

std::optional<std::string> token_label(const Account& account, std::string_view token) {
  const std::string digest = sha256_hex(token);
  for (const auto& t : account.tokens)
    if (t.sha256 == digest) return t.label;
  return std::nullopt;
}

Result<std::optional<Account>> Accounts::find_by_token(std::string_view token) const {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  auto all = list();
  if (!all) return tl::unexpected(all.error());
  // Comparing digests, not tokens: the time a comparison takes tells nothing usable about
  // a secret whose digest an attacker cannot invert.
  for (auto& account : *all)
    if (token_label(account, token)) return std::optional<Account>(std::move(account));
  return std::nullopt;
}

}  // namespace probity::access
