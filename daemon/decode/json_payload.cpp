// Payload format "json": MSG is one JSON object (RFC 8259), optionally after a BOM or a
// CEE "@cee:" cookie. Nested objects flatten to dotted names ({"user":{"id":1}} gives
// user.id); arrays of scalars become lists; objects inside arrays get their index
// (msgParts.0.md5). null members are absent. Parsed with a SAX handler that flattens as
// it goes, so there is no DOM and hostile nesting stops at kMaxJsonDepth.
// Not for JSON inside kv values or SD params: those stay text.
#include <exception>
#include <nlohmann/json.hpp>

#include "decode/payload.h"
#include "decode/text.h"

namespace probity::decode {
namespace {

using Json = nlohmann::json;

class FlatteningHandler final : public nlohmann::json_sax<Json> {
 public:
  FlatteningHandler(Payload& out, JsonFieldFilter keep) : out_(out), keep_(keep) {}

  const std::optional<Error>& error() const { return error_; }

  bool null() override { return frames_.empty() ? not_an_object() : true; }
  bool boolean(bool v) override { return scalar(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v)); }
  // Keep the number as written: 1.10 stays "1.10", not 1.1000000000000001.
  bool number_float(number_float_t, const string_t& text) override { return scalar(text); }
  bool string(string_t& v) override { return scalar(std::move(v)); }
  bool binary(binary_t&) override { return not_an_object(); }  // not produced by JSON text

  bool key(string_t& k) override {
    path_.resize(frames_.back().prefix_len);
    if (!path_.empty()) path_ += '.';
    path_ += k;
    return true;
  }

  bool start_object(std::size_t) override {
    if (!frames_.empty() && frames_.back().is_array) enter_array_element();
    return push(false);
  }
  bool end_object() override {
    frames_.pop_back();
    return true;
  }

  bool start_array(std::size_t) override {
    if (frames_.empty()) return not_an_object();
    if (frames_.back().is_array) enter_array_element();
    return push(true);
  }
  bool end_array() override {
    const Frame done = frames_.back();
    frames_.pop_back();
    if (done.list_field != kNoList && done.list_field != kSkipped) {
      PayloadField& f = out_[done.list_field];
      f.value = Json(f.items).dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception&) override {
    if (!error_)
      error_ = Error{"decode.bad_payload",
                     "invalid JSON near byte " + std::to_string(position) + " at " +
                         quote_for_log(last_token, 32),
                     at_offset(position)};
    return false;
  }

 private:
  static constexpr std::size_t kNoList = static_cast<std::size_t>(-1);
  static constexpr std::size_t kSkipped = static_cast<std::size_t>(-2);  // a list not kept

  struct Frame {
    bool is_array;
    std::size_t prefix_len;            // path_ length naming this container
    std::size_t index = 0;             // next element index (arrays)
    std::size_t list_field = kNoList;  // out_ index of the list this array's scalars form
  };

  bool push(bool is_array) {
    if (frames_.size() == kMaxJsonDepth)
      return stop("decode.too_deep",
                  "JSON payload nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    frames_.push_back(Frame{is_array, path_.size()});
    return true;
  }

  // A container inside an array is named by its index: parts.0, parts.1, ...
  void enter_array_element() {
    Frame& array = frames_.back();
    path_.resize(array.prefix_len);
    if (!path_.empty()) path_ += '.';
    path_ += std::to_string(array.index++);
  }

  bool scalar(std::string text) {
    if (frames_.empty()) return not_an_object();
    Frame& top = frames_.back();
    if (!top.is_array) return keep_ && !keep_(path_) ? true : add_field(path_, std::move(text));
    ++top.index;
    if (top.list_field == kSkipped) return true;
    if (top.list_field == kNoList) {
      // Name the list by its container, not by whatever a nested sibling left in path_.
      std::string name = path_.substr(0, top.prefix_len);
      if (keep_ && !keep_(name)) {
        top.list_field = kSkipped;
        return true;
      }
      if (!add_field(std::move(name), {})) return false;
      top.list_field = out_.size() - 1;
      out_.back().is_list = true;
    }
    PayloadField& list = out_[top.list_field];
    if (list.items.size() == kMaxPayloadFields)
      return stop("decode.too_many_fields", "JSON array " + quote_for_log(list.name) +
                                                " has more than " +
                                                std::to_string(kMaxPayloadFields) + " items");
    list.items.push_back(std::move(text));
    return true;
  }

  bool add_field(std::string name, std::string value) {
    if (out_.size() == kMaxPayloadFields)
      return stop("decode.too_many_fields",
                  "JSON payload has more than " + std::to_string(kMaxPayloadFields) + " fields");
    PayloadField& f = out_.emplace_back();
    f.name = std::move(name);
    f.value = std::move(value);
    return true;
  }

  bool not_an_object() { return stop("decode.bad_payload", "JSON payload is not an object"); }

  bool stop(std::string code, std::string message) {
    if (!error_) error_ = Error{std::move(code), std::move(message), {}};
    return false;
  }

  Payload& out_;
  JsonFieldFilter keep_;
  std::vector<Frame> frames_;
  std::string path_;
  std::optional<Error> error_;
};

class JsonPayloadDecoder final : public PayloadDecoder {
 public:
  Result<Payload> decode(const syslog::SyslogMessage& msg, const SourceMapping&) const override {
    std::string_view text = trim(message_text(msg));
    if (text.starts_with("@cee:")) text = trim(text.substr(5));  // CEE log syntax cookie
    return flatten_json(text, nullptr);
  }
};

}  // namespace

Result<Payload> flatten_json(std::string_view text, JsonFieldFilter keep) {
  if (text.empty()) return fail("decode.bad_payload", "empty JSON payload");
  // The JSON lexer rejects invalid UTF-8; repair first so one bad byte in a subject
  // does not lose the whole event.
  std::string repaired;
  if (!is_safe_text(text)) {
    repaired = text;
    make_safe_text(repaired);
    text = repaired;
  }
  Payload out;
  FlatteningHandler handler(out, keep);
  try {
    Json::sax_parse(text.data(), text.data() + text.size(), &handler);
  } catch (const std::exception& e) {  // nlohmann must not leak past the decoder
    return fail("decode.bad_payload", std::string("JSON payload: ") + e.what());
  }
  if (handler.error()) return tl::unexpected<Error>(*handler.error());
  return out;
}

const PayloadDecoder& json_payload_decoder() {
  static const JsonPayloadDecoder decoder;
  return decoder;
}

}  // namespace probity::decode
