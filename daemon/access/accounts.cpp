// Accounts in the state store (access.h): one JSON value per account name, its API
// tokens' digests inside it.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "access/access.h"
#include "state/store.h"

namespace probity::access {

namespace {

using Json = nlohmann::json;

std::string encode(const Account& a) {
  Json j{{"name", a.name},
         {"roles", roles_text(a.roles)},
         {"password_hash", a.password_hash},
         {"disabled", a.disabled},
         {"created", event::format_time(a.created)},
         {"password_changed", event::format_time(a.password_changed)}};
  if (!a.tokens.empty()) {
    Json tokens = Json::array();
    for (const auto& t : a.tokens)
      tokens.push_back(
          {{"label", t.label}, {"sha256", t.sha256}, {"created", event::format_time(t.created)}});
    j["tokens"] = std::move(tokens);
  }
  return j.dump();
}

Result<Account> decode(std::string_view key, std::string_view value) {
  const Json j = Json::parse(value, nullptr, false);
  auto bad = [&] {
    return fail("access.bad_record", "account record " + std::string(key) + " cannot be read");
  };
  if (!j.is_object()) return bad();
  Account a;
  try {
    a.name = j.at("name").get<std::string>();
    auto roles = parse_roles(j.at("roles").get<std::string>());
    if (!roles) return bad();
    a.roles = *roles;
    a.password_hash = j.at("password_hash").get<std::string>();
    a.disabled = j.at("disabled").get<bool>();
    a.created = event::parse_time(j.at("created").get<std::string>()).value_or(event::Timestamp{});
    a.password_changed =
        event::parse_time(j.at("password_changed").get<std::string>()).value_or(a.created);
    // Records written before API tokens existed have none.
    for (const auto& t : j.value("tokens", Json::array()))
      a.tokens.push_back(
          {t.at("label").get<std::string>(), t.at("sha256").get<std::string>(),
           event::parse_time(t.at("created").get<std::string>()).value_or(event::Timestamp{})});
  } catch (const Json::exception&) {
    return bad();
  }
  return a;
}

}  // namespace

Result<void> check_account_name(std::string_view name) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  const bool valid = !name.empty() && name.size() <= 64 && ok_char(name[0]) && name[0] != '.' &&
                     name[0] != '_' && name[0] != '-' &&
                     std::all_of(name.begin(), name.end(), ok_char);
  if (!valid)
    return fail("access.name",
                "an account name is 1-64 lower-case letters, digits, '.', '_' or '-', "
                "starting with a letter or digit");
  return {};
}

Result<std::optional<Account>> Accounts::find(std::string_view name) const {
  if (!check_account_name(name)) return std::nullopt;
  auto stored = store_.get(state::RuntimeTable::accounts, name);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return std::nullopt;
  auto account = decode(name, **stored);
  if (!account) return tl::unexpected(account.error());
  return std::optional<Account>(std::move(*account));
}

Result<std::vector<Account>> Accounts::list() const {
  std::vector<Account> out;
  std::optional<Error> error;
  auto scanned = store_.scan(state::RuntimeTable::accounts, "",
                             [&](std::string_view key, std::string_view value) {
                               auto account = decode(key, value);
                               if (!account) return error = account.error(), false;
                               out.push_back(std::move(*account));
                               return true;
                             });
  if (!scanned) return tl::unexpected(scanned.error());
  if (error) return tl::unexpected(*error);
  return out;
}

Result<void> Accounts::put(const Account& account) {
  if (auto ok = check_account_name(account.name); !ok) return ok;
  return store_.put(state::RuntimeTable::accounts, account.name, encode(account), /*sync=*/true);
}

Result<bool> Accounts::any_admin() const {
  auto all = list();
  if (!all) return tl::unexpected(all.error());
  return std::any_of(all->begin(), all->end(),
                     [](const Account& a) { return !a.disabled && (a.roles & admin); });
}

}  // namespace probity::access
