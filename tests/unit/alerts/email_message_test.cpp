// Alert email: the headers, the multipart/alternative structure, what each part says
// (what happened, why, what to do, link, reveal, evidence), times in the force's zone, HTML
// escaping, and that no real identity reaches either part.
#include "alerts/email_message.h"

#include <gtest/gtest.h>

#include "alerts/identity_mask.h"
#include "alerts/outbox.h"
#include "alerts/sinks.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;

namespace {

Alert mail_alert() {
  Alert a;
  a.id = "20261124T200000.000001Z-000000";
  a.rule_id = "lookup-then-media-email";
  a.title = "Look-up followed by email to a media domain";
  a.description = "A record look-up followed by mail to a journalist is the pattern of a leak.";
  a.guidance =
      "Check the declared association register, then the CAD incident. Do not alert "
      "the officer.\n";  // a folded YAML scalar's newline
  a.severity = "critical";
  a.message = "pc1234 looked up P-77, then mailed news.example";
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  a.raised_at = *event::parse_time("2026-11-24T20:00:00Z");
  a.user_id = "pc1234";
  a.fields = {{"user.id", "pc1234"}, {"email.to.domain", "news.example"}};
  a.lookups = {{"associated(user.id, subject.id)", "true"}};
  a.events_json = {
      R"({"event.time":"2026-11-24T19:40:00Z","event.kind":"access","user.id":"pc1234","subject.id":"P-77"})",
      R"({"event.time":"2026-11-24T19:59:58Z","event.kind":"email","user.id":"pc1234","email.to.domain":"news.example"})"};
  a.shown = unmasked(a);
  return a;
}

EmailConfig mail_config() {
  EmailConfig c;
  c.from = "Probity <probity@force.example>";
  c.to = "psd@force.example";
  return c;
}

MailContext utc_context() { return {"https://probity.psd.example/", rules::TimeZone()}; }

// Europe/London's rule, so the test needs no tzdata.
MailContext london_context() {
  return {"https://probity.psd.example/", *rules::TimeZone::from_posix("GMT0BST,M3.5.0/1,M10.5.0")};
}

std::string headers_of(const std::string& m) { return m.substr(0, m.find("\r\n\r\n") + 2); }
std::string body_of(const std::string& m) { return m.substr(m.find("\r\n\r\n") + 4); }

struct Part {
  std::string headers, body;
};

// The parts of a multipart message between its boundaries (RFC 2046 §5.1.1); fails the test
// when the structure is broken.
std::vector<Part> parts_of(const std::string& m) {
  const std::string h = headers_of(m);
  const std::string marker = "Content-Type: multipart/alternative; boundary=\"";
  const auto at = h.find(marker);
  EXPECT_NE(at, std::string::npos) << h;
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  const std::string boundary = h.substr(start, h.find('"', start) - start);
  const std::string body = body_of(m);
  const std::string delimiter = "\r\n--" + boundary;
  std::vector<Part> parts;
  auto pos = body.find(delimiter);
  EXPECT_NE(pos, std::string::npos);
  while (pos != std::string::npos) {
    pos += delimiter.size();
    if (body.compare(pos, 2, "--") == 0) {
      EXPECT_EQ(body.substr(pos), "--\r\n");  // the close delimiter ends the message
      return parts;
    }
    EXPECT_EQ(body.compare(pos, 2, "\r\n"), 0);
    const auto next = body.find(delimiter, pos);
    EXPECT_NE(next, std::string::npos) << "no close delimiter";
    if (next == std::string::npos) return parts;
    const std::string part = body.substr(pos + 2, next - pos - 2);
    const auto blank = part.find("\r\n\r\n");
    parts.push_back({part.substr(0, blank + 2), part.substr(blank + 4)});
    pos = next;
  }
  return parts;
}

// The two alternatives' bodies, LF line endings; both must be 7bit for the test to read them.
std::pair<std::string, std::string> text_and_html(const std::string& m) {
  const auto parts = parts_of(m);
  EXPECT_EQ(parts.size(), 2u);
  if (parts.size() != 2) return {};
  auto lf = [](std::string s) {
    std::erase(s, '\r');
    return s;
  };
  EXPECT_NE(parts[0].headers.find("Content-Transfer-Encoding: 7bit"), std::string::npos);
  EXPECT_NE(parts[1].headers.find("Content-Transfer-Encoding: 7bit"), std::string::npos);
  return {lf(parts[0].body), lf(parts[1].body)};
}

}  // namespace

TEST(EmailMessage, HasRfc5322HeadersWithCrlf) {
  const std::string m = compose_email(mail_alert(), mail_config(), utc_context());
  const std::string h = headers_of(m);
  EXPECT_NE(h.find("Date: Tue, 24 Nov 2026 20:00:00 +0000\r\n"), std::string::npos) << h;
  EXPECT_NE(h.find("From: Probity <probity@force.example>\r\n"), std::string::npos);
  EXPECT_NE(h.find("To: psd@force.example\r\n"), std::string::npos);
  EXPECT_NE(h.find("Subject: [Probity][CRITICAL] Look-up followed by email to a media domain\r\n"),
            std::string::npos);
  EXPECT_NE(h.find("Message-ID: <probity.20261124T200000.000001Z-000000@force.example>\r\n"),
            std::string::npos);
  EXPECT_NE(h.find("MIME-Version: 1.0\r\n"), std::string::npos);
  // No bare LF anywhere: every LF is part of a CRLF; no line past RFC 5322's 998.
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
      EXPECT_LE(i - line_start, 999u);
      line_start = i + 1;
    }
}

TEST(EmailMessage, IsMultipartAlternativeOfTextThenHtml) {
  const std::string m = compose_email(mail_alert(), mail_config(), utc_context());
  const auto parts = parts_of(m);
  ASSERT_EQ(parts.size(), 2u) << m;
  EXPECT_NE(parts[0].headers.find("Content-Type: text/plain; charset=utf-8\r\n"),
            std::string::npos);
  EXPECT_NE(parts[1].headers.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(parts[0].body.find("Alert id:   20261124T200000.000001Z-000000\r\n"),
            std::string::npos);
  EXPECT_EQ(parts[1].body.rfind("<!DOCTYPE html>", 0), 0u) << parts[1].body;
}

TEST(EmailMessage, BoundaryNeverOccursInAPart) {
  Alert a = mail_alert();
  a.shown->message = "--=_probity_20261124T200000000001Z000000_0 forged part";
  const std::string m = compose_email(a, mail_config(), utc_context());
  EXPECT_NE(headers_of(m).find("boundary=\"=_probity_20261124T200000000001Z000000_1\""),
            std::string::npos)
      << headers_of(m);
  EXPECT_EQ(parts_of(m).size(), 2u);
}

TEST(EmailMessage, SaysWhatHappenedWhyItMattersWhatToDoAndHowToReveal) {
  const auto [text, html] =
      text_and_html(compose_email(mail_alert(), mail_config(), utc_context()));
  for (const std::string* part : {&text, &html}) {
    EXPECT_NE(part->find("pc1234 looked up P-77, then mailed news.example"), std::string::npos);
    EXPECT_NE(part->find("A record look-up followed by mail to a journalist is the pattern of a "
                         "leak."),
              std::string::npos)
        << *part;
    EXPECT_NE(part->find("Check the declared association register, then the CAD incident."),
              std::string::npos);
    EXPECT_NE(part->find("https://probity.psd.example/?alert=20261124T200000.000001Z-000000"),
              std::string::npos);
    EXPECT_NE(part->find("probity alerts show 20261124T200000.000001Z-000000 --reason"),
              std::string::npos);
    EXPECT_NE(part->find("choose Reveal"), std::string::npos);
  }
  EXPECT_NE(text.find("\nWhat happened\n  pc1234 looked up"), std::string::npos) << text;
  EXPECT_NE(text.find("\nWhy it matters\n"), std::string::npos);
  EXPECT_NE(text.find("\nWhat to do next\n  Check the declared association register, then the "
                      "CAD incident. Do not alert the officer.\n\nRevealing"),
            std::string::npos)
      << text;
  EXPECT_NE(
      html.find("<a href=\"https://probity.psd.example/?alert=20261124T200000.000001Z-000000\""),
      std::string::npos)
      << html;
}

TEST(EmailMessage, EvidenceListsEveryEventAndTheReferenceDataUsed) {
  const auto [text, html] =
      text_and_html(compose_email(mail_alert(), mail_config(), utc_context()));
  EXPECT_NE(text.find("  Events (2 events)\n"
                      "  [1] Tue 24 Nov 2026 19:40:00 UTC; UTC 2026-11-24T19:40:00Z\n"
                      "    event.time: 2026-11-24T19:40:00Z\n"
                      "    event.kind: access\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    email.to.domain: news.example\n"), std::string::npos);
  EXPECT_NE(text.find("  Reference data used\n    associated(user.id, subject.id): true\n"),
            std::string::npos);
  EXPECT_NE(html.find("Event 2 of 2: Tue 24 Nov 2026 19:59:58 UTC; UTC 2026-11-24T19:59:58Z"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("associated(user.id, subject.id)"), std::string::npos);
}

TEST(EmailMessage, TimesAreInTheForcesZoneWithGmtOrBstAndUtcInTheEvidence) {
  Alert a = mail_alert();
  const auto [winter, winter_html] =
      text_and_html(compose_email(a, mail_config(), london_context()));
  EXPECT_NE(winter.find("Event time: Tue 24 Nov 2026 19:59:58 GMT (UTC+00:00)\n"),
            std::string::npos)
      << winter;
  EXPECT_NE(winter_html.find("Tue 24 Nov 2026 19:59:58 GMT (UTC+00:00)"), std::string::npos);

  a.event_time = *event::parse_time("2026-07-01T22:30:00Z");
  a.raised_at = *event::parse_time("2026-07-01T22:30:01Z");
  a.shown->events_json = {R"({"event.time":"2026-07-01T22:30:00.000000Z","user.id":"pc1234"})"};
  const auto [summer, summer_html] =
      text_and_html(compose_email(a, mail_config(), london_context()));
  EXPECT_NE(summer.find("Event time: Wed 1 Jul 2026 23:30:00 BST (UTC+01:00)\n"), std::string::npos)
      << summer;
  EXPECT_NE(summer.find("Raised at:  Wed 1 Jul 2026 23:30:01 BST (UTC+01:00)\n"),
            std::string::npos);
  EXPECT_NE(
      summer.find("  [1] Wed 1 Jul 2026 23:30:00 BST (UTC+01:00); UTC 2026-07-01T22:30:00Z\n"),
      std::string::npos);
  EXPECT_NE(summer_html.find("BST (UTC+01:00)"), std::string::npos);
  EXPECT_EQ(local_time(a.event_time, rules::TimeZone()), "Wed 1 Jul 2026 22:30:00 UTC");
}

TEST(EmailMessage, HtmlPartEscapesEverythingAndFetchesNothing) {
  Alert a = mail_alert();
  a.title = "Title <b>bold</b>";
  a.guidance = "Check <img src=x onerror=alert(1)> & \"quotes\"";
  a.shown->message = "<script>alert('x')</script> looked up P-77";
  a.shown->events_json = {R"({"subject.name":"<script>steal()</script>"})"};
  const auto [text, html] = text_and_html(compose_email(a, mail_config(), utc_context()));
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; looked up P-77"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("&lt;script&gt;steal()&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Check &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"),
            std::string::npos);
  // Nothing to fetch or run: no remote resources, no style sheets, no handlers.
  const auto [clean_text, clean_html] =
      text_and_html(compose_email(mail_alert(), mail_config(), utc_context()));
  for (const char* banned :
       {"src=", "<link", "<style", "url(", "@import", "<iframe", "<object", "<script", "onerror="})
    EXPECT_EQ(clean_html.find(banned), std::string::npos) << banned;
  // The only link is the live page's.
  EXPECT_EQ(html.find("href="), html.rfind("href="));
  // The plain part shows the text as written.
  EXPECT_NE(text.find("<script>alert('x')</script> looked up P-77"), std::string::npos);
}

TEST(EmailMessage, WithoutLinkBaseTheRevealSaysWhichAlertToOpen) {
  MailContext context = utc_context();
  context.link_base.clear();
  const auto [text, html] = text_and_html(compose_email(mail_alert(), mail_config(), context));
  EXPECT_EQ(text.find("?alert="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_NE(text.find("open alert 20261124T200000.000001Z-000000 and choose Reveal"),
            std::string::npos)
      << text;
  EXPECT_EQ(alert_link("https://p.example/live?x=1", "a b"),
            "https://p.example/live?x=1&alert=a%20b");
}

TEST(EmailMessage, InternalAlertsSayWhatToDoAndOfferNoReveal) {
  Alert a;
  a.id = "20261124T200000.000001Z-000001";
  a.rule_id = "probity-rules-reload-failed";
  a.title = "Rule reload failed; the previous rules are still running";
  a.severity = "critical";
  a.message = "rules/psd-core.yaml:3:1: error";
  a.shown = unmasked(a);
  const auto [text, html] = text_and_html(compose_email(a, mail_config(), utc_context()));
  EXPECT_NE(text.find("Probity itself"), std::string::npos) << text;
  EXPECT_NE(text.find("Pass it to the Probity administrators"), std::string::npos);
  EXPECT_EQ(text.find("probity alerts show"), std::string::npos);
  EXPECT_EQ(html.find("Revealing the identity"), std::string::npos);
}

TEST(EmailMessage, ARuleWithoutGuidanceStillSaysWhereToWorkTheAlert) {
  Alert a = mail_alert();
  a.description.clear();
  a.guidance.clear();
  const std::string text = render_body(a, utc_context());
  EXPECT_NE(text.find("\nWhy it matters\n  Look-up followed by email to a media domain\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("The rule gives no guidance."), std::string::npos);
}

TEST(EmailMessage, BodyNamesRuleSeverityTimesIdAndFields) {
  const std::string b = render_body(mail_alert(), utc_context());
  EXPECT_NE(b.find("Rule:       lookup-then-media-email\n"), std::string::npos) << b;
  EXPECT_NE(b.find("Severity:   CRITICAL\n"), std::string::npos);
  EXPECT_NE(b.find("Event time: Tue 24 Nov 2026 19:59:58 UTC\n"), std::string::npos);
  EXPECT_NE(b.find("Alert id:   20261124T200000.000001Z-000000\n"), std::string::npos);
  EXPECT_NE(b.find("  Fields\n    user.id: pc1234\n    email.to.domain: news.example\n"),
            std::string::npos);
}

TEST(EmailMessage, HeaderInjectionIsFlattenedAndNonAsciiEncoded) {
  Alert a = mail_alert();
  a.title = "Café\r\nBcc: evil@example";
  a.rule_id = "r\r\nBcc: evil@example";
  a.id = "x\r\nBcc: evil@example";
  const std::string m = compose_email(a, mail_config(), utc_context());
  const std::string h = headers_of(m);
  EXPECT_EQ(h.find("\r\nBcc:"), std::string::npos) << h;
  EXPECT_NE(h.find("Subject: =?UTF-8?B?"), std::string::npos) << h;
  EXPECT_EQ(parts_of(m).size(), 2u);  // the boundary, made from the id, stays one token
  EXPECT_EQ(encode_header_value("plain ascii"), "plain ascii");
  EXPECT_EQ(encode_header_value("Café"), "=?UTF-8?B?Q2Fmw6k=?=");
}

TEST(EmailMessage, LongTitlesAreShortenedInTheSubjectOnly) {
  Alert a = mail_alert();
  a.title = std::string(300, 't');
  const std::string m = compose_email(a, mail_config(), utc_context());
  EXPECT_NE(headers_of(m).find("Subject: [Probity][CRITICAL] " + std::string(200, 't') + "...\r\n"),
            std::string::npos);
  EXPECT_NE(body_of(m).find("Title:      " + a.title + "\r\n"), std::string::npos);
}

TEST(EmailMessage, LongOrNonAsciiPartsAreQuotedPrintable) {
  Alert a = mail_alert();
  a.message = "Zoë " + std::string(1200, 'x');
  a.shown = unmasked(a);
  const std::string m = compose_email(a, mail_config(), utc_context());
  const auto parts = parts_of(m);
  ASSERT_EQ(parts.size(), 2u);
  for (const auto& part : parts) {
    EXPECT_NE(part.headers.find("Content-Transfer-Encoding: quoted-printable\r\n"),
              std::string::npos);
    EXPECT_NE(part.body.find("Zo=C3=AB"), std::string::npos);
  }
  const std::string b = body_of(m);
  for (std::size_t start = 0, end; start < b.size(); start = end + 2) {
    end = b.find("\r\n", start);
    if (end == std::string::npos) end = b.size();
    EXPECT_LE(end - start, 76u);
  }
  EXPECT_EQ(quoted_printable("a = b \nc"), "a =3D b=20\r\nc");
}

TEST(EmailMessage, CarriesTheShownViewOnly) {
  Alert a = mail_alert();
  a.shown->user = "PSN-0123456789ab";
  a.shown->message = "PSN-0123456789ab looked up P-77, then mailed news.example";
  a.shown->fields = {{"user.id", "PSN-0123456789ab"}};
  a.shown->events_json = {R"({"event.kind":"access","user.id":"PSN-0123456789ab"})"};
  a.shown->lookups = {{"staff(user.id).surname", "[withheld]"}};
  a.lookups = {{"staff(user.id).surname", "Hartley"}};
  const std::string m = compose_email(a, mail_config(), utc_context());
  EXPECT_EQ(m.find("pc1234"), std::string::npos) << m;
  EXPECT_EQ(m.find("Hartley"), std::string::npos) << m;
  EXPECT_NE(m.find("User:       PSN-0123456789ab\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("PSN-0123456789ab looked up P-77"), std::string::npos);
  a.shown.reset();  // stored before shown views existed: nothing but the title goes out
  const std::string bare = compose_email(a, mail_config(), utc_context());
  EXPECT_EQ(bare.find("pc1234"), std::string::npos) << bare;
  EXPECT_EQ(bare.find("P-77"), std::string::npos) << bare;
  EXPECT_EQ(bare.find("Hartley"), std::string::npos) << bare;
}

// The real path: a raw event naming a member of staff, masked by IdentityMask against a
// store, then mailed. Neither part may carry the name, the login or the address.
TEST(EmailMessage, NoRealIdentityFromTheRawEventReachesEitherPart) {
  probity::testing::TempDir dir;
  auto store = state::Store::open({dir.path() / "state", false});
  ASSERT_TRUE(store) << store.error().message;
  state::StaffRecord hartley;
  hartley.id = "pc1";
  hartley.forenames = "James";
  hartley.surname = "Hartley";
  hartley.emails = {"james.hartley@force.police.uk"};
  ASSERT_TRUE((*store)->put_staff({hartley}));
  ASSERT_TRUE(create_pseudonym_key_if_missing(dir / "pseudonym.key"));
  auto key = PseudonymKey::open(dir / "pseudonym.key");
  ASSERT_TRUE(key);
  const IdentityMask mask(*key, **store, {"force.police.uk"});

  Alert a = mail_alert();
  a.user_id = "pc1";
  a.message = "pc1 looked up James Hartley";
  a.fields = {{"user.id", "pc1"}, {"email.from", "james.hartley@force.police.uk"}};
  a.lookups = {{"staff(user.id).surname", "Hartley"},
               {"staff(user.id).vetting.level", "NPPV2"},
               {"staff(user.id).id", "pc1"}};
  a.events_json = {
      R"({"event.time":"2026-11-24T19:59:58Z","user.id":"pc1","subject.name":"James HARTLEY",)"
      R"("email.from":"James Hartley <james.hartley@force.police.uk>","raw":{"usr":"Hartley"}})"};
  a.shown = mask.shown(a, {{0, 3, event::Identity::staff}, {14, 13, event::Identity::subject}},
                       {event::Identity::staff, event::Identity::mailbox});
  const auto [text, html] = text_and_html(compose_email(a, mail_config(), utc_context()));
  for (const std::string* part : {&text, &html}) {
    for (const char* real : {"Hartley", "HARTLEY", "james.hartley", "pc1 "})
      EXPECT_EQ(part->find(real), std::string::npos) << real << " in\n" << *part;
    EXPECT_NE(part->find(key->of("pc1")), std::string::npos);
    EXPECT_NE(part->find("NPPV2"), std::string::npos);  // a vetting level names no one
  }
}

TEST(Mbox, QuotesFromLinesMboxrdStyle) {
  EXPECT_EQ(mbox_quote("From here\n>From there\nnot From\n>>From x\nFromage\n"),
            ">From here\n>>From there\nnot From\n>>>From x\nFromage\n");
}

TEST(Mbox, EntryHasSeparatorLfEndingsAndBlankLine) {
  const std::string msg = "Subject: x\r\n\r\nFrom the desk\r\nbye\r\n";
  const auto when =
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 24} + std::chrono::hours(20);
  EXPECT_EQ(mbox_entry(msg, "probity@localhost", when),
            "From probity@localhost Tue Nov 24 20:00:00 2026\n"
            "Subject: x\n\n>From the desk\nbye\n\n");
}

TEST(RetrySchedule, BacksOffExponentiallyUpToMax) {
  RetrySchedule s(std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
  EXPECT_EQ(s.backoff(1).count(), 100);
  EXPECT_EQ(s.backoff(2).count(), 200);
  EXPECT_EQ(s.backoff(4).count(), 800);
  EXPECT_EQ(s.backoff(5).count(), 1000);
  EXPECT_EQ(s.backoff(500).count(), 1000);
}

TEST(RetrySchedule, HoldsTheSinkAfterAFailureButDoesNotLetOneEntryBlockOthers) {
  using namespace std::chrono_literals;
  RetrySchedule s(100ms, 10s);
  const auto t0 = RetrySchedule::Clock::now();
  s.add("a", 0, t0);
  s.add("b", 0, t0);
  EXPECT_EQ(s.pick(t0), "a");
  s.failed("a", t0);  // a: due t0+100ms; sink on hold until t0+100ms
  EXPECT_FALSE(s.pick(t0 + 50ms));
  EXPECT_EQ(s.next_wake(), t0 + 100ms);
  EXPECT_EQ(s.pick(t0 + 100ms), "b");  // b was due earlier than a's retry
  s.failed("b", t0 + 100ms);           // second failure in a row: hold 200ms
  EXPECT_FALSE(s.pick(t0 + 250ms));
  EXPECT_EQ(s.pick(t0 + 300ms), "a");
  s.succeeded("a");
  EXPECT_EQ(s.size(), 1u);
}
