// The subcommands of probity_bench_tool (bench_tool.cpp lists them), for the benchmark
// scripts in tests/bench/. Each returns the process exit status.
#pragma once

#include <cstdint>
#include <string>

namespace probity::bench {

// ---- streams (bench_streams.cpp)

/// N octet-counted RFC 5424 access events over `staff` made-up users (deterministic).
int generate(long count, const std::string& path, long staff);
/// N octet-counted events drawn from a synthetic force (deploy/demo/generate.py's DIR).
int generate_force(long count, const std::string& path, const std::string& dir);
/// A staff.csv of `count` serving, vetted staff, in generate.py's columns; ids staff_id(i).
int write_staff(long count, const std::string& path);
/// A list file of `count` subject ids P<first>, P<first+1>, ...
int write_list(long count, const std::string& path, long first);

/// The memory benchmark's stream: event `i` is a look-up by user i % users of subject
/// i % subjects, so every user and every subject stays a live correlation key.
struct KeyStream {
  long users = 100'000;
  long subjects = 1'000'000;
  /// The octet-counted frame of event `i` (its event time advances 1 s per 2000 events).
  std::string frame(long i) const;
};
std::string staff_id(long i);

// ---- wire (bench_wire.cpp)

struct SendOptions {
  int connections = 1;
  double rate = 0;  ///< messages per second over all connections; 0 = as fast as possible
  /// Each sending host's messages on one connection (by the syslog HOSTNAME), as relays
  /// per source send them, instead of round-robin.
  bool by_host = false;
};
/// Sends the messages of FILE (octet-counted or newline-framed, detected per message) to
/// 127.0.0.1:port over `connections` concurrent connections.
int send_file(const std::string& path, int port, const SendOptions& options);
/// Sends KeyStream events [first, first + count) to port, paced when rate > 0, stopping
/// early after `seconds` when > 0.
int send_keys(const KeyStream& stream, long first, long count, int port, double rate,
              double seconds);
/// The number of messages in FILE as send_file splits it.
int count_messages(const std::string& path);
/// Accepts `connections` connections and discards `bytes` bytes over them.
int sink(int port, long long bytes, int connections);
/// Waits until FILE holds `lines` lines; fails after `stall` seconds without growth.
int follow(const std::string& path, long lines, double stall);
/// Waits until Probity on http_port has taken `messages` frames and evaluated every event
/// it decoded; fails after `stall` seconds without progress.
int await_probity(int http_port, long messages, double stall);

}  // namespace probity::bench
