// EventFile and MergedEventFiles (event_files.h).
#include "app/event_files.h"

#include <spdlog/spdlog.h>

namespace probity::app {
namespace {

constexpr std::size_t kReadSize = std::size_t{64} * 1024;

bool looks_like_json_lines(std::ifstream& in) {
  char c = 0;
  bool json = false;
  while (in.get(c))
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      json = c == '{';
      break;
    }
  in.clear();
  in.seekg(0);
  return json;
}

bool starts_octet_counted(std::ifstream& in) {
  char head[32] = {};
  in.read(head, sizeof head);
  const auto n = static_cast<std::size_t>(in.gcount());
  in.clear();
  in.seekg(0);
  return octet_counted(std::string_view(head, n));
}

}  // namespace

EventFile::EventFile(std::filesystem::path file, const std::vector<decode::SourceMapping>& sources,
                     const state::ReferenceData* reference, std::size_t max_message_size,
                     PipelineCounters& counters, decode::DecodeCounters& decode_counters, bool bare)
    : path_(std::move(file)), in_(path_, std::ios::binary) {
  json_lines_ = !bare && looks_like_json_lines(in_);
  if (json_lines_) return;
  // Its own decoder: a gateway message is assembled from the lines of one file.
  decoder_ = std::make_unique<decode::Decoder>(sources, reference, &decode_counters);
  pipeline_ = std::make_unique<DecodeStage>(*decoder_, static_cast<EventSink&>(*this), counters);
  if (bare) pipeline_->accept_bare_records();
  if (bare && !starts_octet_counted(in_))
    lines_ = std::make_unique<LineSplitter>(max_message_size);
  else
    frames_ = std::make_unique<ingest::FrameDecoder>(max_message_size);
  chunk_.resize(kReadSize);
}

EventFile::~EventFile() = default;

void EventFile::on_events(std::vector<event::Event>& events, JournalSeq /*position*/) {
  for (auto& e : events) ready_.push_back(std::move(e));
  events.clear();
}

const event::Event* EventFile::peek() {
  while (ready_.empty() && !at_end_) {
    if (json_lines_)
      read_json_line();
    else if (lines_)
      read_bare_lines();
    else
      read_syslog();
  }
  // A deque keeps its elements in place as more are added behind them.
  return ready_.empty() ? nullptr : &ready_.front();
}

// Frames as a TCP stream would carry them; the pipeline hands each read's events to
// on_events().
void EventFile::read_syslog() {
  const std::string peer = path_.string();
  auto drain = [&](ingest::Frame f) {
    if (f.status == ingest::FrameStatus::frame)
      pipeline_->on_message(f.bytes, peer);
    else if (f.status == ingest::FrameStatus::too_long)
      bad_line("a message of " + std::to_string(f.claimed_length) +
               " bytes is over the maximum size");
    else if (f.status == ingest::FrameStatus::bad_frame)
      bad_line("broken frame: an octet count that is not a number");
    return f.status != ingest::FrameStatus::need_more;
  };
  in_.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
  if (in_.gcount() > 0) {
    frames_->feed(std::string_view(chunk_.data(), static_cast<std::size_t>(in_.gcount())));
    while (drain(frames_->next())) {
    }
    pipeline_->on_batch_end();
    return;
  }
  drain(frames_->finish());
  pipeline_->flush_gateways(true);  // messages of this file still open at its end
  at_end_ = true;
}

// A gateway's own file: every line one record (or one syslog message).
void EventFile::read_bare_lines() {
  const std::string peer = path_.string();
  auto each = [&](const LineSplitter::Line& line) {
    if (line.too_long)
      bad_line("a line of " + std::to_string(line.length) + " bytes is over the maximum size");
    else
      pipeline_->on_message(line.bytes, peer);
  };
  in_.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
  if (in_.gcount() > 0) {
    lines_->feed(std::string_view(chunk_.data(), static_cast<std::size_t>(in_.gcount())), each);
    pipeline_->on_batch_end();
    return;
  }
  lines_->finish(each);
  pipeline_->flush_gateways(true);  // messages of this file still open at its end
  at_end_ = true;
}

void EventFile::bad_line(const std::string& what) {
  if (bad_lines_++ == 0)
    spdlog::warn("{}: {}; further ones are only counted", path_.string(), what);
}

void EventFile::read_json_line() {
  std::string line;
  if (!std::getline(in_, line)) {
    at_end_ = true;
    return;
  }
  ++line_no_;
  if (line.find_first_not_of(" \t\r") == std::string::npos) return;
  auto e = event::event_from_json(line);
  if (!e) {
    if (bad_lines_++ == 0)
      spdlog::warn("{}:{}: {}; further bad lines are only counted", path_.string(), line_no_,
                   e.error().message);
    return;
  }
  ready_.push_back(std::move(*e));
}

MergedEventFiles::MergedEventFiles(const std::vector<std::filesystem::path>& files,
                                   const std::vector<decode::SourceMapping>& sources,
                                   const state::ReferenceData* reference,
                                   std::size_t max_message_size, PipelineCounters& counters,
                                   decode::DecodeCounters& decode_counters, bool bare)
    : last_time_(files.size()) {
  for (const auto& f : files)
    files_.push_back(std::make_unique<EventFile>(f, sources, reference, max_message_size, counters,
                                                 decode_counters, bare));
  for (std::size_t i = 0; i < files_.size(); ++i) enqueue(i);
}

void MergedEventFiles::enqueue(std::size_t file) {
  const event::Event* head = files_[file]->peek();
  if (!head) return;
  if (const auto t = head->time()) last_time_[file] = std::max(last_time_[file], *t);
  order_.emplace(head->time().value_or(last_time_[file]), file);
}

const event::Event* MergedEventFiles::next() {
  if (given_) {
    files_[*given_]->pop();
    enqueue(*given_);
    given_.reset();
  }
  if (order_.empty()) return nullptr;
  given_ = order_.top().second;
  order_.pop();
  return files_[*given_]->peek();
}

std::size_t MergedEventFiles::bad_lines() const {
  std::size_t n = 0;
  for (const auto& f : files_) n += f->bad_lines();
  return n;
}

}  // namespace probity::app
