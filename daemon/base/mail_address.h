// The address inside a mail address as gateways and alerts write it ("Jane <j@x.uk>",
// "<j@x.uk>", "j@x.uk (Jane)"). Shared by decode/ (building email events) and alerts/
// (matching stored addresses to staff). Forgiving on purpose; not an RFC 5322 parser.
#pragma once

#include <string_view>

namespace probity {

/// "Jane Doe <Jane@Example.org>" → "Jane@Example.org"; "<a@b>" → "a@b"; "a@b (Jane)" →
/// "a@b"; "\"a@b\"" → "a@b". Case is kept: callers that compare fold it themselves.
std::string_view bare_address(std::string_view text);

/// "<v>" → "v"; anything else unchanged. No trimming: callers trim where the log pads.
std::string_view strip_angles(std::string_view v);

}  // namespace probity
