// Load tool for the benchmarks in tests/bench/ (throughput.sh, latency.sh, memory.sh):
//   generate N FILE [STAFF]  N octet-counted RFC 5424 access events (deterministic)
//   generate N FILE --force DIR
//                            the same, drawn from a synthetic force written by
//                            deploy/demo/generate.py: user ids, names, addresses and emails
//                            from DIR/staff.csv, systems from DIR/systems.csv, some subjects
//                            from DIR/associations.csv and the watch/staff lists, and a
//                            quarter email@32473 events to force, partner, webmail, media and
//                            PI domains from DIR/lists, so state look-ups hit as in production
//   send FILE PORT [--connections N] [--rate MSGS_PER_SEC] [--by-host]
//                            the messages of FILE (octet-counted or newline-framed) to
//                            127.0.0.1:PORT, dealt round-robin (or by syslog HOSTNAME) over N
//                            concurrent connections, paced at the given total rate; prints
//                            "MESSAGES SECONDS"
//   count FILE               the number of messages send would send
//   sink PORT BYTES [CONNECTIONS]
//                            accept the connections, discard BYTES bytes, print the rate
//   follow FILE LINES [STALL_SECS]
//                            wait until FILE holds LINES lines (a receiver's output)
//   await HTTP_PORT MESSAGES [STALL_SECS]
//                            wait until Probity has taken MESSAGES messages and evaluated
//                            every event they made (its /metrics)
//   staff N FILE             a staff.csv of N serving, vetted staff (ids PC100000...)
//   list N FILE FIRST        a list file of N subject ids P<FIRST>...
//   keys PORT [--users U] [--subjects S] [--from I] [--count N] [--rate R] [--seconds T]
//                            the memory benchmark's stream: look-ups by U users of S
//                            subjects, sent as generated; prints "SENT SECONDS"
// The follow and await waits fail (exit 1) after STALL_SECS (default 30) without progress.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_tool.h"

using namespace probity::bench;

namespace {

/// The value after `--name` in args, or `fallback`.
double option(const std::vector<std::string>& args, const std::string& name, double fallback) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) return std::atof(args[i + 1].c_str());
  return fallback;
}

/// The i-th argument as a number, or `fallback` when absent.
double number(const std::vector<std::string>& args, std::size_t i, double fallback) {
  return i < args.size() ? std::atof(args[i].c_str()) : fallback;
}

int run(const std::vector<std::string>& a) {
  const std::string mode = a.empty() ? "" : a[0];
  const auto n = a.size();
  if (mode == "generate" && n == 5 && a[3] == "--force")
    return generate_force(std::atol(a[1].c_str()), a[2], a[4]);
  if (mode == "generate" && (n == 3 || n == 4))
    return generate(std::atol(a[1].c_str()), a[2], static_cast<long>(number(a, 3, 5000)));
  if (mode == "send" && n >= 3) {
    SendOptions o;
    o.connections = static_cast<int>(option(a, "--connections", 1));
    o.rate = option(a, "--rate", 0);
    o.by_host = std::find(a.begin(), a.end(), "--by-host") != a.end();
    if (o.connections < 1) return std::fputs("--connections: at least 1\n", stderr), 2;
    return send_file(a[1], std::atoi(a[2].c_str()), o);
  }
  if (mode == "count" && n == 2) return count_messages(a[1]);
  if (mode == "sink" && (n == 3 || n == 4))
    return sink(std::atoi(a[1].c_str()), std::atoll(a[2].c_str()),
                static_cast<int>(number(a, 3, 1)));
  if (mode == "follow" && (n == 3 || n == 4))
    return follow(a[1], std::atol(a[2].c_str()), number(a, 3, 30));
  if (mode == "await" && (n == 3 || n == 4))
    return await_probity(std::atoi(a[1].c_str()), std::atol(a[2].c_str()), number(a, 3, 30));
  if (mode == "staff" && n == 3) return write_staff(std::atol(a[1].c_str()), a[2]);
  if (mode == "list" && n == 4)
    return write_list(std::atol(a[1].c_str()), a[2], std::atol(a[3].c_str()));
  if (mode == "keys" && n >= 2) {
    KeyStream stream;
    stream.users = static_cast<long>(option(a, "--users", 100'000));
    stream.subjects = static_cast<long>(option(a, "--subjects", 1'000'000));
    const long count = static_cast<long>(option(a, "--count", 1e15));
    return send_keys(stream, static_cast<long>(option(a, "--from", 0)), count,
                     std::atoi(a[1].c_str()), option(a, "--rate", 0), option(a, "--seconds", 0));
  }
  std::fputs(
      "usage: probity_bench_tool generate N FILE [STAFF | --force DIR]\n"
      "       | send FILE PORT [--connections N] [--rate MSGS_PER_SEC] [--by-host] | count FILE\n"
      "       | sink PORT BYTES [CONNECTIONS] | follow FILE LINES [STALL_SECS]\n"
      "       | await HTTP_PORT MESSAGES [STALL_SECS] | staff N FILE | list N FILE FIRST\n"
      "       | keys PORT [--users U] [--subjects S] [--from I] [--count N] [--rate R] "
      "[--seconds T]\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return run(std::vector<std::string>(argv + 1, argv + argc)); }
