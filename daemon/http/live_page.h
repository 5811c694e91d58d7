// The live page's static assets (HTML, script, style), embedded in the binary so the
// daemon serves them with no files to install. Not for data: that comes from /events
// (Server-Sent Events) and /metrics.
#pragma once

#include <string_view>

namespace probity::http {

struct StaticAsset {
  std::string_view content_type;
  std::string_view body;
};

/// The asset for a path ("/", "/live.js", "/live.css"; a query is ignored), or nullptr.
const StaticAsset* live_page_asset(std::string_view path);

}  // namespace probity::http
