// Payload format "pod": the message log of Proofpoint on Demand (PoD), one JSON object per
// message as PoD's log API streams it (type=message), read into the record names every
// gateway source maps (from, to, subject, ...). Not for PoD's maillog stream (type=maillog,
// sendmail lines inside JSON) nor for the PPS syslog form (proofpoint.cpp).
//
// A record is much wider than kMaxPayloadFields (msgParts carry hashes, URLs, extracted text;
// filter.modules every module's verdict), so only the fields below are kept and the rest are
// parsed and dropped. Schema as PoD documents it:
//   guid, ts ("2024-05-22T12:10:03.058340-0700"), envelope.from, envelope.rcpts[],
//   msg.header.{from,subject,message-id}[] (arrays of header values), msg.sizeBytes,
//   filter.{disposition, routeDirection, qid, msgSizeBytes, quarantine.folder,
//   quarantine.rule}, connection.{ip, host, country, helo}, msgParts[].{detectedName,
//   labeledName, disposition}, final_rule, final_module, metadata.origin.data.agent.
// filter.disposition gives email.action: continue/accept → delivered (passed on for
// delivery), reject/discard → rejected, quarantine → quarantined; others none.
#include <algorithm>
#include <array>

#include "base/ascii.h"
#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

constexpr std::array<std::string_view, 22> kKept = {
    "guid",
    "ts",
    "envelope.from",
    "envelope.rcpts",
    "msg.header.from",
    "msg.header.subject",
    "msg.header.message-id",
    "msg.sizeBytes",
    "filter.disposition",
    "filter.routeDirection",
    "filter.qid",
    "filter.msgSizeBytes",
    "filter.quarantine.folder",
    "filter.quarantine.rule",
    "connection.ip",
    "connection.host",
    "connection.country",
    "connection.helo",
    "final_rule",
    "final_module",
    "metadata.origin.data.agent",
    "pps.agent",
};

/// "msgParts.<n>.<field>" for the part fields kept; the index is at most 3 digits, so a
/// hostile record cannot keep more than 1000 parts' worth (and kMaxPayloadFields caps it).
bool is_kept_part_field(std::string_view name) {
  if (!name.starts_with("msgParts.")) return false;
  name.remove_prefix(9);
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits == 0 || digits > 3 || digits >= name.size() || name[digits] != '.') return false;
  name.remove_prefix(digits + 1);
  return name == "detectedName" || name == "labeledName" || name == "disposition";
}

bool keep(std::string_view name) {
  return std::find(kKept.begin(), kKept.end(), name) != kKept.end() || is_kept_part_field(name);
}

const PayloadField* find(const Payload& p, std::string_view name) {
  for (const auto& f : p)
    if (f.name == name) return &f;
  return nullptr;
}

std::string_view text_of(const Payload& p, std::string_view name) {
  const PayloadField* f = find(p, name);
  if (!f) return {};
  if (f->is_list) return f->items.empty() ? std::string_view{} : std::string_view(f->items[0]);
  return f->value;
}

/// PoD writes the offset without a colon ("-0700"); RFC 3339 wants "-07:00".
std::string rfc3339_time(std::string_view ts) {
  std::string out(trim(ts));
  if (out.size() > 5) {
    const char sign = out[out.size() - 5];
    const bool digits =
        std::all_of(out.end() - 4, out.end(), [](char c) { return c >= '0' && c <= '9'; });
    if ((sign == '+' || sign == '-') && digits && out.find('T') != std::string::npos)
      out.insert(out.size() - 2, ":");
  }
  return out;
}

std::string_view action_of(std::string_view disposition) {
  const std::string d = to_lower(trim(disposition));
  if (d == "continue" || d == "accept") return "delivered";
  if (d == "reject" || d == "discard") return "rejected";
  if (d == "quarantine") return "quarantined";
  return {};
}

void add(Payload& p, std::string_view name, std::string_view value) {
  if (trim(value).empty()) return;
  PayloadField& f = p.emplace_back();
  f.name = name;
  f.value = value;
}

void add_list(Payload& p, std::string_view name, std::vector<std::string> items) {
  if (items.empty()) return;
  PayloadField& f = p.emplace_back();
  f.name = name;
  f.is_list = true;
  f.items = std::move(items);
  for (const auto& item : f.items) f.value += (f.value.empty() ? "" : "; ") + item;
}

class PodPayloadDecoder final : public PayloadDecoder {
 public:
  Result<Payload> decode(const syslog::SyslogMessage& msg, const SourceMapping&) const override {
    auto fields = flatten_json(trim(message_text(msg)), keep);
    if (!fields) return tl::unexpected(std::move(fields.error()));
    const Payload& in = *fields;
    Payload out;
    out.reserve(24);
    add(out, "guid", text_of(in, "guid"));
    if (const auto ts = text_of(in, "ts"); !ts.empty()) add(out, "ts", rfc3339_time(ts));
    add(out, "from", text_of(in, "envelope.from"));
    if (const PayloadField* to = find(in, "envelope.rcpts")) {
      if (to->is_list)
        add_list(out, "to", to->items);
      else
        add(out, "to", to->value);  // a sender that wrote one address, not an array
    }
    add(out, "header_from", text_of(in, "msg.header.from"));
    add(out, "subject", text_of(in, "msg.header.subject"));
    add(out, "message_id", text_of(in, "msg.header.message-id"));
    const std::string_view size = text_of(in, "msg.sizeBytes");
    add(out, "size", size.empty() ? text_of(in, "filter.msgSizeBytes") : size);
    const std::string_view disposition = text_of(in, "filter.disposition");
    add(out, "action", action_of(disposition));
    add(out, "disposition", disposition);
    add(out, "direction", text_of(in, "filter.routeDirection"));
    add(out, "qid", text_of(in, "filter.qid"));
    add(out, "quarantine_folder", text_of(in, "filter.quarantine.folder"));
    add(out, "quarantine_rule", text_of(in, "filter.quarantine.rule"));
    add(out, "client_ip", text_of(in, "connection.ip"));
    add(out, "client_host", text_of(in, "connection.host"));
    add(out, "country", text_of(in, "connection.country"));
    add(out, "helo", text_of(in, "connection.helo"));
    add(out, "final_rule", text_of(in, "final_rule"));
    add(out, "final_module", text_of(in, "final_module"));
    const std::string_view agent = text_of(in, "metadata.origin.data.agent");
    add(out, "agent", agent.empty() ? text_of(in, "pps.agent") : agent);

    // Attachments: the parts PoD did not name as the message body (its text.txt/text.html
    // inline parts), by detected name, else the name the sender gave.
    struct Part {
      std::string_view index, detected, labeled, disposition;
    };
    std::vector<Part> parts;
    for (const auto& f : in) {
      if (!is_kept_part_field(f.name)) continue;
      const std::string_view rest = std::string_view(f.name).substr(9);  // after "msgParts."
      const std::size_t dot = rest.find('.');
      const std::string_view index = rest.substr(0, dot), key = rest.substr(dot + 1);
      auto it = std::find_if(parts.begin(), parts.end(),
                             [&](const Part& part) { return part.index == index; });
      if (it == parts.end()) it = parts.insert(parts.end(), Part{index, {}, {}, {}});
      (key == "detectedName"  ? it->detected
       : key == "labeledName" ? it->labeled
                              : it->disposition) = trim(f.value);
    }
    std::vector<std::string> names;
    for (const auto& part : parts) {
      const std::string_view name = part.detected.empty() ? part.labeled : part.detected;
      const bool body = iequals(part.disposition, "inline") &&
                        (iequals(name, "text.txt") || iequals(name, "text.html"));
      if (!body && !name.empty()) names.emplace_back(name);
    }
    const std::size_t count = names.size();
    add_list(out, "attachment_names", std::move(names));
    if (count > 0) add(out, "attachment_count", std::to_string(count));
    return out;
  }
};

}  // namespace

const PayloadDecoder& pod_payload_decoder() {
  static const PodPayloadDecoder decoder;
  return decoder;
}

}  // namespace probity::decode
