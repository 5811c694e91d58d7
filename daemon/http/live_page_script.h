// The live page's script (live_page_script.cpp), kept apart from the HTML and style so
// each file stays readable. Private to http/: live_page.h serves it as /live.js.
#pragma once

#include <string_view>

namespace probity::http {

/// The text of /live.js.
std::string_view live_page_script();

}  // namespace probity::http
