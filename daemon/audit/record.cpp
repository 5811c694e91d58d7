// Record ⇄ JSON line. The hash is over the compact JSON of the record without its hash
// key, keys in the order written; re-dumping a parsed line gives the same bytes, so the
// verifier recomputes it from what is in the file, extra or reordered keys included.
#include "audit/record.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

namespace probity::audit::detail {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) {
  // A reason is typed by a person: bad UTF-8 is replaced rather than thrown on.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::string to_line(Record& r) {
  Json j;
  j["seq"] = r.seq;
  j["time"] = r.time;
  j["actor"] = r.actor.person;
  j["actor_from"] = r.actor.source;
  j["uid"] = r.actor.uid;
  j["account"] = r.actor.account;
  j["action"] = r.consultation.action;
  j["target"] = r.consultation.target;
  j["shown"] = r.consultation.shown;
  j["reason"] = r.consultation.reason;
  j["prev"] = r.prev;
  // Hash what a reader will parse back (after any UTF-8 replacement), not the raw input.
  const auto content = Json::parse(dump(j));
  r.hash = sha256_hex(dump(content));
  j["hash"] = r.hash;
  return dump(j);
}

Result<ReadLine> read_line(std::string_view line) {
  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return fail("audit.chain", "not a JSON object");
  for (const char* key : {"seq", "prev", "hash"})
    if (!j.contains(key)) return fail("audit.chain", std::string("no '") + key + "' key");
  if (!j["seq"].is_number_unsigned() || !j["prev"].is_string() || !j["hash"].is_string())
    return fail("audit.chain", "seq, prev or hash has the wrong type");
  ReadLine out;
  Record& r = out.record;
  const auto text = [&](const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  r.seq = j["seq"].get<std::uint64_t>();
  r.time = text("time");
  r.actor.person = text("actor");
  r.actor.source = text("actor_from");
  if (j.contains("uid") && j["uid"].is_number_unsigned())
    r.actor.uid = j["uid"].get<std::uint32_t>();
  r.actor.account = text("account");
  r.consultation.action = text("action");
  r.consultation.target = text("target");
  r.consultation.shown = text("shown");
  r.consultation.reason = text("reason");
  r.prev = text("prev");
  r.hash = text("hash");
  j.erase("hash");
  out.content_hash = sha256_hex(dump(j));
  return out;
}

}  // namespace probity::audit::detail
