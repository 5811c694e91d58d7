#!/usr/bin/env bash
# Installs the Debian 12 packages Probity builds and runs with; with --tests, also the
# real peers the tests start (rsyslog, Postfix, aiosmtpd, Chromium, ...). Idempotent:
# asks apt only for what is missing, so a second run is quick and needs no network.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config
  libboost1.81-dev librocksdb-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libre2-dev libcurl4-openssl-dev libcli11-dev nlohmann-json3-dev libexpected-dev
  libssl-dev libsodium-dev libdeflate-dev libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev
  # run: the demo's feed and health checks, time zones for rules
  bsdutils curl tzdata python3
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(rsyslog rsyslog-gnutls rsyslog-relp python3-aiosmtpd postfix openssl chromium)
  # The consultation trail's e2e test runs the CLI as other users (setpriv, sudo -u).
  packages+=(util-linux sudo)
  # The short fuzz pass (tests/fuzz/run.sh): libFuzzer ships with clang's runtime libraries.
  # llvm-16 brings llvm-symbolizer, so a sanitizer report names files and lines.
  packages+=(clang-16 libclang-rt-16-dev llvm-16)
  # The house-rule gates (tests/lint.sh).
  packages+=(clang-format-16 clang-tidy-16)
  # Node.js drives the browser test (playwright-core); the machine image usually has it.
  command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Postfix asks a debconf question on install; tests configure their own instance.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
