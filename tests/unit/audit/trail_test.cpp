// The trail: appends chain and verify; an edit, a removal, a swap or a substitute record is
// named by line and seq; appends from two processes at once keep one chain.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "test_support.h"

namespace probity::audit {
namespace {

using probity::testing::read_file;
using probity::testing::TempDir;
using probity::testing::write_file;

const Actor kActor{"jhartley", "loginuid", 998, "probity"};

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::vector<std::string> out;
  const auto text = read_file(file);
  std::size_t start = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  write_file(file, text);
}

/// A trail of n records with reasons "reason 1" ... "reason n".
std::filesystem::path trail_of(const TempDir& dir, int n, const std::string& name = "trail") {
  const auto file = dir / (name + ".jsonl");
  for (int i = 1; i <= n; ++i) {
    auto r = record_consultation(
        file,
        {"alert.show", "A-" + std::to_string(i), "alert evidence", "reason " + std::to_string(i)},
        kActor);
    EXPECT_TRUE(r) << r.error().message;
  }
  return file;
}

ChainBreak first_break(const std::filesystem::path& file) {
  auto v = verify_trail(file);
  EXPECT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->first_break) << "the chain was reported intact";
  return v->first_break.value_or(ChainBreak{});
}

TEST(ConsultationTrail, AppendsRecordsThatChainAndVerify) {
  TempDir dir;
  const auto file = dir / "trail.jsonl";
  auto first = record_consultation(
      file, {"state.show", "staff/pc1", "staff record", "PSD-2024-0173"}, kActor);
  ASSERT_TRUE(first) << first.error().message;
  auto second =
      record_consultation(file, {"alert.show", "A-1", "alert evidence", "CO/00123/24"}, kActor);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->seq, 1u);
  EXPECT_EQ(first->prev, kGenesisHash);
  EXPECT_EQ(second->seq, 2u);
  EXPECT_EQ(second->prev, first->hash);
  EXPECT_EQ(first->hash.size(), 64u);

  const auto lines = lines_of(file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].find(R"({"seq":1,"time":")"), 0u) << lines[0];
  for (const auto* part :
       {R"("actor":"jhartley","actor_from":"loginuid","uid":998,"account":"probity")",
        R"("action":"state.show","target":"staff/pc1","shown":"staff record")",
        R"("reason":"PSD-2024-0173")"})
    EXPECT_NE(lines[0].find(part), std::string::npos) << part << " in " << lines[0];

  auto v = verify_trail(file);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_FALSE(v->first_break) << v->first_break->detail;
  EXPECT_EQ(v->records, 2u);

  auto records = read_trail(file);
  ASSERT_TRUE(records) << records.error().message;
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].consultation.reason, "CO/00123/24");
  EXPECT_EQ((*records)[1].actor.person, "jhartley");
}

TEST(ConsultationTrail, VerifiesAnEmptyTrail) {
  TempDir dir;
  write_file(dir / "trail.jsonl", "");
  auto v = verify_trail(dir / "trail.jsonl");
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->first_break);
  EXPECT_EQ(v->records, 0u);
}

TEST(ConsultationTrail, NamesAnEditedRecord) {
  TempDir dir;
  const auto file = trail_of(dir, 4);
  auto lines = lines_of(file);
  const auto at = lines[2].find("reason 3");
  ASSERT_NE(at, std::string::npos);
  lines[2].replace(at, 8, "reason 9");
  write_lines(file, lines);
  const auto b = first_break(file);
  EXPECT_EQ(b.line, 3u);
  EXPECT_EQ(b.seq, 3u);
  EXPECT_EQ(b.kind, "edited") << b.detail;
}

TEST(ConsultationTrail, NamesARemovedRecord) {
  TempDir dir;
  const auto file = trail_of(dir, 4);
  auto lines = lines_of(file);
  lines.erase(lines.begin() + 1);
  write_lines(file, lines);
  const auto b = first_break(file);
  EXPECT_EQ(b.line, 2u);
  EXPECT_EQ(b.seq, 3u);
  EXPECT_EQ(b.kind, "removed") << b.detail;
  EXPECT_NE(b.detail.find("seq 2 is missing"), std::string::npos) << b.detail;
}

TEST(ConsultationTrail, NamesARemovedFirstRecord) {
  TempDir dir;
  const auto file = trail_of(dir, 3);
  auto lines = lines_of(file);
  lines.erase(lines.begin());
  write_lines(file, lines);
  const auto b = first_break(file);
  EXPECT_EQ(b.line, 1u);
  EXPECT_EQ(b.seq, 2u);
  EXPECT_EQ(b.kind, "removed") << b.detail;
}

TEST(ConsultationTrail, NamesSwappedRecords) {
  TempDir dir;
  const auto file = trail_of(dir, 4);
  auto lines = lines_of(file);
  std::swap(lines[1], lines[2]);
  write_lines(file, lines);
  const auto b = first_break(file);
  EXPECT_EQ(b.line, 2u);
  EXPECT_EQ(b.seq, 3u);
  EXPECT_EQ(b.kind, "reordered") << b.detail;
  EXPECT_NE(b.detail.find("line 3"), std::string::npos) << b.detail;
}

TEST(ConsultationTrail, NamesARecordReplacedByAValidOneFromElsewhere) {
  // Same seq, its own hash intact, but it does not follow the record before it.
  TempDir dir;
  const auto file = trail_of(dir, 3);
  const auto other = trail_of(dir, 3, "other");
  auto lines = lines_of(file);
  lines[1] = lines_of(other)[1];
  write_lines(file, lines);
  auto v = verify_trail(file);
  ASSERT_TRUE(v);
  // The other trail's record 2 chains to the other trail's record 1, whose time differs.
  ASSERT_TRUE(v->first_break) << "a substitute record went unnoticed";
  EXPECT_EQ(v->first_break->line, 2u);
  EXPECT_EQ(v->first_break->kind, "removed") << v->first_break->detail;
}

TEST(ConsultationTrail, RefusesToAppendAfterACutShortLine) {
  TempDir dir;
  const auto file = trail_of(dir, 2);
  write_file(file, read_file(file) + R"({"seq":3,"time":)");
  const auto b = first_break(file);
  EXPECT_EQ(b.line, 3u);
  EXPECT_EQ(b.kind, "malformed");
  auto r =
      record_consultation(file, {"alert.show", "A-9", "alert evidence", "PSD-2024-0173"}, kActor);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "audit.chain");
  EXPECT_NE(r.error().message.find("audit verify"), std::string::npos) << r.error().message;
}

TEST(ConsultationTrail, RefusesToChainOntoARecordWithoutAHash) {
  TempDir dir;
  const auto file = dir / "trail.jsonl";
  write_file(file, R"({"time":"2026-01-01T00:00:00Z","user":"root","action":"alert.show",)"
                   R"("target":"A-1","reason":"because"})"
                   "\n");
  auto r =
      record_consultation(file, {"alert.show", "A-2", "alert evidence", "PSD-2024-0173"}, kActor);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "audit.chain");
  EXPECT_EQ(first_break(file).kind, "malformed");
}

TEST(ConsultationTrail, CreatesTheTrailGroupWritableWhateverTheUmask) {
  TempDir dir;
  const auto file = dir / "consultations.jsonl";
  const mode_t old = ::umask(027);
  auto created = create_trail(file);
  ::umask(old);
  ASSERT_TRUE(created) << created.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660);
  EXPECT_EQ(std::filesystem::file_size(file), 0u);
  // An existing trail is left as it is.
  write_file(file, "kept\n");
  ASSERT_TRUE(create_trail(file));
  EXPECT_EQ(read_file(file), "kept\n");
}

TEST(ConsultationTrail, SaysNothingWasShownWhenTheTrailCannotBeCreated) {
  TempDir dir;
  auto r = record_consultation(dir / "missing-dir" / "trail.jsonl",
                               {"alert.show", "A-1", "alert evidence", "PSD-2024-0173"}, kActor);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "audit.create");
  EXPECT_NE(r.error().message.find("nothing was shown"), std::string::npos) << r.error().message;
}

TEST(ConsultationTrail, KeepsOneChainUnderAppendsFromTwoProcesses) {
  TempDir dir;
  const auto file = dir / "trail.jsonl";
  constexpr int kEach = 40;
  std::vector<pid_t> children;
  for (int c = 0; c < 2; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int failed = 0;
      for (int i = 0; i < kEach; ++i)
        failed += !record_consultation(
            file, {"alert.show", "A-" + std::to_string(c), "alert evidence", "PSD-2024-0173"},
            kActor);
      ::_exit(failed == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a child's append failed";
  }
  auto v = verify_trail(file);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_FALSE(v->first_break) << v->first_break->detail;
  EXPECT_EQ(v->records, 2u * kEach);
  EXPECT_EQ(lines_of(file).size(), 2u * kEach);
}

}  // namespace
}  // namespace probity::audit
