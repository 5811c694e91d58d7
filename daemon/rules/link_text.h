// Linking two events by what they say: a record's identifier or a person's name in an email's
// subject or attachment names. Text is reduced to lower-case alphanumeric tokens, so
// "SMITH, John", "john_smith.pdf" and "Re: John Smith" share tokens; a value links when its
// distinctive tokens all appear among the other text's tokens. Used by sequence `link:`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace probity::rules {

/// Lower-case ASCII letters and digits of `text`, every other run of bytes one space, trimmed;
/// an apostrophe between letters is dropped ("O'Connor" and "OCONNOR" are both `oconnor`).
std::string link_tokens(std::string_view text);

/// Whether `tokens` (from link_tokens) says enough to link on: a token of four or more
/// characters with a digit in it (a record id, a reference, a registration), or two words of
/// two or more letters (a name). A lone surname or a short number links too much.
bool is_linkable(std::string_view tokens);

/// Whether the value `value_tokens` appears in `text_tokens`: every token with a digit, and
/// the first and last letter-only tokens (forename and surname, middle names may be left
/// out), are whole tokens of the text, in any order.
bool appears_in(std::string_view value_tokens, const std::vector<std::string_view>& text_tokens);

/// Looser than appears_in, for text such as an email address: every token with a digit, and
/// the forename or the surname, appear as substrings of `text` (lower-cased), so "Ann Lee" is
/// mentioned by "ann.lee77@gmail.com", "annlee@gmail.com" and "lee1960@gmail.com"; and an
/// address whose local part is the initials then digits ("al4595@gmail.com").
bool mentioned_in(std::string_view value_tokens, std::string_view text);

/// Whether `text` names the person: every word of `surname` ("Smith-Jones": smith, jones)
/// and the first word of `forenames` are whole words of it, each word of the text used once
/// (so "ALI, Isla" does not name Ali Ali, nor "PILLING, Anjali" anyone called Ali).
bool names_person(std::string_view text, std::string_view forenames, std::string_view surname);

/// `tokens` split at spaces (views into it).
std::vector<std::string_view> split_tokens(std::string_view tokens);

}  // namespace probity::rules
