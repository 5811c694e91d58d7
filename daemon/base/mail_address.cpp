// bare_address() and strip_angles() (see mail_address.h).
#include "base/mail_address.h"

#include "base/ascii.h"

namespace probity {

std::string_view bare_address(std::string_view text) {
  text = trim(text);
  const std::size_t open = text.rfind('<');
  if (open != std::string_view::npos) {
    const std::size_t close = text.find('>', open);
    return trim(text.substr(open + 1, close == std::string_view::npos ? close : close - open - 1));
  }
  if (!text.empty() && text.back() == ')') {  // RFC 5322 comment: "a@b (Jane Doe)"
    const std::size_t paren = text.find('(');
    if (paren != std::string_view::npos) text = trim(text.substr(0, paren));
  }
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = trim(text.substr(1, text.size() - 2));
  return text;
}

std::string_view strip_angles(std::string_view v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  return v;
}

}  // namespace probity
