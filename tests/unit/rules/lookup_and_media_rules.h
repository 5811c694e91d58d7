// Rules shared by the correlation evidence and checkpoint tests: look-ups and emails to the
// media as building blocks, a sequence of the two, a count of look-ups (3 within 1 h) and a
// linked sequence.
#pragma once

namespace probity::rules::testing {

inline constexpr const char* kLookupAndMediaRules = R"(- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: media-email
  title: Email to media
  severity: medium
  building_block: true
  condition: event.kind == "email" and email.to.domain == "news.example"
- correlation: lookup-then-media
  title: Look-up then media email
  severity: critical
  sequence: {by: user.id, within: 24h, steps: [lookup, media-email]}
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 3}
- correlation: named-in-email
  title: Looked up, then named in an email
  severity: high
  sequence:
    by: user.id
    within: 24h
    steps: [media-email, lookup, media-email]
    link: {from: [email.subject], to: [email.subject]}
)";

}  // namespace probity::rules::testing
