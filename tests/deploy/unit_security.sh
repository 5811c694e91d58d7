#!/bin/sh
# Checks deploy/probity.service offline: `systemd-analyze security` must score it at most
# 2.0, and `systemd-analyze verify` must find nothing wrong with it (its ExecStart pointed
# at the binary just built, since /usr/local/bin/probity is not installed here).
# Not a test of the sandbox at run time: PID 1 need not be systemd.
# Usage: unit_security.sh UNIT_FILE PROBITY_BINARY
set -eu
unit=$1
binary=$2
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is missing (apt-get install systemd)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$(systemd-analyze security --offline=true "$unit" 2>&1 || true)
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -z "$score" ]; then
  printf '%s\n' "$out"
  echo "FAIL: no exposure level in the output of systemd-analyze security --offline=true"
  exit 1
fi
echo "exposure level: $score (must be <= 2.0)"
if ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
  printf '%s\n' "$out" | grep '✗' || true
  echo "FAIL: exposure level $score is over 2.0"
  exit 1
fi

sed "s|^ExecStart=/usr/local/bin/probity|ExecStart=$binary|" "$unit" >"$tmp/probity.service"
if ! verify=$(systemd-analyze verify "$tmp/probity.service" 2>&1); then
  printf '%s\n' "$verify"
  echo "FAIL: systemd-analyze verify reported problems with the unit"
  exit 1
fi
printf '%s\n' "$verify" | grep 'probity.service' && {
  echo "FAIL: systemd-analyze verify warned about the unit"
  exit 1
}
echo "ok"
