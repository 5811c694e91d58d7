#!/usr/bin/env bash
# Quick start: builds Probity, loads the demo force's reference data, starts the daemon on
# its embedded defaults (syslog 127.0.0.1:5514, HTTP 127.0.0.1:9095, state ./probity-state),
# sends a demo feed with the real `logger`, and shows the alerts. The daemon then keeps
# running in the foreground until Ctrl-C (PROBITY_DEMO_EXIT=1 stops it after the demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target probity
probity=build/daemon/probity

echo "== loading the demo force's reference data into ./probity-state"
$probity state import staff deploy/demo/staff.csv
$probity state import associations deploy/demo/associations.csv
$probity state import systems deploy/demo/systems.csv
for list in deploy/demo/lists/*.txt; do
  $probity state import list "$list" --list "$(basename "$list" .txt)" --replace
done

echo "== starting probity (embedded defaults)"
$probity run &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs http://127.0.0.1:9095/healthz >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "probity did not start; see the log above" >&2; exit 1; }
  sleep 0.1
done

echo "== sending the demo feed with logger"
seen=$(cat probity-state/alerts.jsonl 2>/dev/null | wc -l)
before=$(curl -s http://127.0.0.1:9095/metrics | awk '$1 == "probity_events_evaluated_total" {print $2}')
bash deploy/demo/feed.sh 127.0.0.1 5514
for _ in $(seq 100); do
  now=$(curl -s http://127.0.0.1:9095/metrics | awk '$1 == "probity_events_evaluated_total" {print $2}')
  [ "$now" -ge $((before + 7)) ] && break
  sleep 0.1
done
sleep 0.5  # let the mailbox delivery thread catch up

echo
echo "== alerts raised (./probity-state/alerts.jsonl)"
/usr/bin/python3 - "$seen" <<'PY'
import json, sys
for line in open("probity-state/alerts.jsonl").readlines()[int(sys.argv[1]):]:
    a = json.loads(line)
    print(f"  [{a['severity']:>8}] {a['rule_id']}: {a['message']}")
PY
echo
echo "== alert emails to the PSD (local mailbox ./probity-state/mailbox): $(grep -c '^From ' probity-state/mailbox 2>/dev/null || echo 0) messages"
grep '^Subject:' probity-state/mailbox | tail -n 6 | sed 's/^/  /'
echo
curl -s http://127.0.0.1:9095/metrics | grep -E '^probity_(events_evaluated|rule_matches|alerts_stored|alerts_sent)_total'
echo
if [ "${PROBITY_DEMO_EXIT:-0}" = 1 ]; then
  exit 0
fi
echo "probity is running (pid $pid): send syslog to 127.0.0.1:5514, metrics at http://127.0.0.1:9095/metrics. Ctrl-C stops it."
wait $pid
