// Reading the whole trail back: verify_trail walks the chain and names the first record
// that breaks it; read_trail hands the records to `probity audit show`.
#include <fstream>
#include <iterator>
#include <map>

#include "audit/record.h"

namespace probity::audit {
namespace {

namespace fs = std::filesystem;

struct Lines {
  std::vector<std::string> lines;
  bool last_cut_short = false;  ///< the file does not end with a newline
};

Result<Lines> read_lines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("audit.read", "cannot read the consultation trail " + file.string());
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return fail("audit.read", "cannot read the consultation trail " + file.string());
  Lines out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.lines.push_back(text.substr(start));
      out.last_cut_short = true;
      break;
    }
    out.lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

Result<Verification> verify_trail(const fs::path& file) {
  auto read = read_lines(file);
  if (!read) return tl::unexpected(read.error());
  const auto& lines = read->lines;

  std::vector<Result<detail::ReadLine>> parsed;
  std::map<std::uint64_t, std::size_t> line_of_seq;  // first line (1-based) holding each seq
  for (std::size_t i = 0; i < lines.size(); ++i) {
    parsed.push_back(detail::read_line(lines[i]));
    if (parsed.back()) line_of_seq.emplace(parsed.back()->record.seq, i + 1);
  }

  Verification v;
  std::uint64_t expected = 1;
  std::string prev(kGenesisHash);
  const auto stop = [&](std::size_t line, std::optional<std::uint64_t> seq, std::string kind,
                        std::string detail) {
    v.first_break = ChainBreak{line, seq, std::move(kind), std::move(detail)};
    return v;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t line = i + 1;
    if (read->last_cut_short && line == lines.size())
      return stop(line, std::nullopt, "malformed",
                  "the last line has no newline: a write was cut short or the file was edited");
    if (!parsed[i])
      return stop(line, std::nullopt, "malformed",
                  "not a trail record (" + parsed[i].error().message +
                      "): edited or written by something else");
    const Record& r = parsed[i]->record;
    if (parsed[i]->content_hash != r.hash)
      return stop(line, r.seq, "edited",
                  "its content no longer matches its hash: the record was edited");
    if (r.seq != expected) {
      const auto later = line_of_seq.find(expected);
      if (later != line_of_seq.end() && later->second > line)
        return stop(line, r.seq, "reordered",
                    "seq " + std::to_string(expected) + " was expected here and is at line " +
                        std::to_string(later->second) + ": records were moved or swapped");
      if (r.seq > expected)
        return stop(line, r.seq, "removed",
                    r.seq == expected + 1
                        ? "seq " + std::to_string(expected) + " is missing: a record was removed"
                        : "seqs " + std::to_string(expected) + " to " + std::to_string(r.seq - 1) +
                              " are missing: records were removed");
      return stop(line, r.seq, "reordered",
                  "seq " + std::to_string(r.seq) + " comes after seq " +
                      std::to_string(expected - 1) + ": a record was moved or copied");
    }
    if (r.prev != prev)
      return stop(line, r.seq, "removed",
                  line == 1
                      ? "the first record does not start the chain: records before it were removed"
                      : "its prev is not the hash of the record before it: that record "
                        "was removed or replaced");
    prev = r.hash;
    ++expected;
    ++v.records;
  }
  return v;
}

Result<std::vector<Record>> read_trail(const fs::path& file) {
  auto read = read_lines(file);
  if (!read) return tl::unexpected(read.error());
  std::vector<Record> out;
  for (std::size_t i = 0; i < read->lines.size(); ++i) {
    auto r = detail::read_line(read->lines[i]);
    if (!r)
      return fail("audit.chain", file.string() + ":" + std::to_string(i + 1) +
                                     ": not a trail record (" + r.error().message +
                                     "); run `probity audit verify`");
    out.push_back(std::move(r->record));
  }
  return out;
}

}  // namespace probity::audit
