// Pass 1 of loading: one rule file's YAML -> RawItems (lists, macros, detections, correlations).
// This file: the entry point, yaml-cpp's exceptions, and the split of the file into items; each
// item kind is read in detection_reader.cpp or correlation_reader.cpp (FileReader, file_reader.h).
#include "rules/file_reader.h"

namespace probity::rules {

using Level = Diagnostic::Level;

void FileReader::parse_and(const std::function<void(const YAML::Node&)>& body) {
  YAML::Node root;
  try {
    root = YAML::Load(file_.text());
  } catch (const YAML::Exception& e) {
    report_.add(Level::error, Code::yaml_parse, &file_, offset(e.mark), 1, e.msg,
                "check indentation and quoting around this place");
    return;
  }
  try {
    body(root);
  } catch (const YAML::Exception& e) {  // conversions we did not foresee
    report_.add(Level::error, Code::yaml_parse, &file_, offset(e.mark), 1, e.msg);
  }
}

void FileReader::read() {
  parse_and([this](const YAML::Node& root) { read_root(root); });
}

void FileReader::read_root(const YAML::Node& root) {
  if (!root || root.IsNull()) return;  // an empty file is allowed
  if (!root.IsSequence()) {
    error(where(root), Code::bad_file,
          "a rule file is a YAML list of items (- list:, - macro:, - detection:)");
    return;
  }
  // Item source text runs from one item's mark to the next one's, for version hashes.
  std::vector<std::size_t> starts;
  for (const auto& item : root) starts.push_back(offset(item.Mark()));
  starts.push_back(file_.text().size());
  std::size_t index = 0;
  for (const auto& item : root) {
    std::string_view text =
        std::string_view(file_.text())
            .substr(starts[index],
                    starts[index + 1] > starts[index] ? starts[index + 1] - starts[index] : 0);
    while (!text.empty() &&
           (text.back() == ' ' || text.back() == '\n' || text.back() == '-' || text.back() == '\r'))
      text.remove_suffix(1);
    read_item(item, std::string(text));
    ++index;
  }
}

void FileReader::read_item(const YAML::Node& item, std::string text) {
  if (!item.IsMap()) {
    error(where(item), Code::bad_item,
          "each item must be a map starting with list:, macro: or detection:");
    return;
  }
  int kinds = 0;
  RawItem::Type type = RawItem::Type::list;
  for (const auto& kv : item) {
    const std::string key = kv.first.as<std::string>();
    if (key == "list" || key == "macro" || key == "detection" || key == "correlation") {
      ++kinds;
      type = key == "list"        ? RawItem::Type::list
             : key == "macro"     ? RawItem::Type::macro
             : key == "detection" ? RawItem::Type::detection
                                  : RawItem::Type::correlation;
    }
  }
  if (kinds == 0) {
    std::string hint = "start the item with list:, macro:, detection: or correlation:";
    if (item["rule"]) hint = "'rule:' is written 'detection:' here";
    error(where(item), Code::bad_item, "item is not a list, macro, detection or correlation",
          std::move(hint));
    return;
  }
  if (kinds > 1) {
    error(where(item), Code::bad_item,
          "item has more than one of list:, macro:, detection:, correlation:",
          "split it into two items");
    return;
  }
  RawItem raw{type, {}, {}, {}, {}, false};
  switch (type) {
    case RawItem::Type::list:
      if (!read_list(item, raw.list, raw.is_override)) return;
      raw.list.source_text = std::move(text);
      break;
    case RawItem::Type::macro:
      if (!read_macro(item, raw.macro, raw.is_override)) return;
      raw.macro.source_text = std::move(text);
      break;
    case RawItem::Type::detection:
      if (!read_detection(item, raw.detection, raw.is_override)) return;
      raw.detection.source_text = std::move(text);
      break;
    case RawItem::Type::correlation:
      if (!read_correlation(item, raw.correlation)) return;
      raw.correlation.source_text = std::move(text);
      break;
  }
  out_->push_back(std::move(raw));
}

void read_rule_file(const SourceFile& file, LoadArena& arena, Reporter& report,
                    std::vector<RawItem>& out) {
  FileReader(file, arena, report, out).read();
}

}  // namespace probity::rules
