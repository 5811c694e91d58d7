#!/usr/bin/env bash
# Quick start: builds Probity, generates a synthetic force (deploy/demo/generate.py: 500
# staff, one day of access-audit and email-gateway events with planted integrity
# incidents), loads its reference data, starts the daemon on its embedded defaults
# (syslog 127.0.0.1:5514, HTTP 127.0.0.1:9095, state ./probity-state), sends the day's
# events over TCP and shows the alerts. The daemon then keeps running in the foreground
# until Ctrl-C (PROBITY_DEMO_EXIT=1 stops it after the demo).
# PROBITY_DEMO_STAFF / PROBITY_DEMO_DAYS / PROBITY_DEMO_SEED change the force.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target probity
probity=build/daemon/probity
force=probity-demo-force

echo "== generating a synthetic force into ./$force"
/usr/bin/python3 deploy/demo/generate.py --out "$force" --staff "${PROBITY_DEMO_STAFF:-500}" \
  --days "${PROBITY_DEMO_DAYS:-1}" --seed "${PROBITY_DEMO_SEED:-1}" \
  --start "$(date -u -d "-${PROBITY_DEMO_DAYS:-1} days" +%F)"

echo "== loading its reference data into ./probity-state"
# A state directory left by an older build may be open to other accounts, which probity
# refuses; the demo closes it as an administrator would.
[ -d probity-state ] && chmod -R g-w,o-rwx probity-state
$probity state import staff "$force/staff.csv"
$probity state import associations "$force/associations.csv"
$probity state import systems "$force/systems.csv"
for list in "$force"/lists/*.txt; do
  $probity state import list "$list" --list "$(basename "$list" .txt)" --replace
done
# The registers the generator writes: business interests, gifts, tenders, the high-profile
# people, the sites (address ranges and workstation names of the force's buildings) and, for
# force B, the subject addresses (where the people its records system logs by id live).
for register in "$force"/register/*.csv; do
  if [ -e "$register" ]; then $probity state import "$(basename "$register" .csv)" "$register"; fi
done
# The force's set-up facts (reference formats, secure partners, office-hours teams):
# site.yaml in the state directory is where the embedded defaults look for them; 0640,
# because probity refuses to start on a state directory other accounts can read.
install -m 0640 "$force/site.yaml" probity-state/site.yaml

# An account for the live page. Never a default password: a random one, kept beside the
# state (0600) so a second run of the demo shows the same one.
accounts=$($probity users list 2>/dev/null || true)
if ! grep -q '^demo ' <<<"$accounts"; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > probity-state/demo-password)
  $probity users add demo --role analyst,investigator --password-file probity-state/demo-password
fi

echo "== starting probity (embedded defaults)"
$probity run &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs http://127.0.0.1:9095/healthz >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "probity did not start; see the log above" >&2; exit 1; }
  sleep 0.1
done

echo "== sending the force's events over TCP (RFC 5424, octet-counted)"
seen=0
[ -f probity-state/alerts.jsonl ] && seen=$(wc -l < probity-state/alerts.jsonl)
metric() { curl -s http://127.0.0.1:9095/metrics | awk -v m="$1" '$1 == m {print $2}'; }
before=$(metric probity_events_received_total)
sent=$(/usr/bin/python3 deploy/demo/send.py "$force/events.log" 127.0.0.1 5514)
echo "   sent $sent messages; waiting for the daemon to evaluate them"
for _ in $(seq 600); do
  now=$(metric probity_events_received_total)
  [ "${now:-0}" -ge $((before + sent)) ] && break
  sleep 0.1
done
last=-1
for _ in $(seq 100); do  # until the rules have caught up with ingest
  now=$(metric probity_events_evaluated_total)
  [ "$now" = "$last" ] && break
  last=$now
  sleep 0.3
done
sleep 1.2  # let the mailbox delivery thread catch up, and the correlation counters publish (once a second)

echo
echo "== alerts for the day's events (./probity-state/alerts.jsonl)"
/usr/bin/python3 - "$seen" "$force/ground_truth.jsonl" "$force/events.log" <<'PY'
import collections, json, sys
# The alerts about the events this run sent: those dated inside the log's span. A second run
# on the same day sends the same events; the daemon correlates them again (a backfill: they
# are older than its clock) and finds every alert raised already, so it lists the earlier
# run's alerts rather than none.
times = [line.split(" ", 2)[1] for line in open(sys.argv[3]) if line.startswith("<")]
first, last = min(times)[:19], max(times)[:19]
# A suppressed repeat rewrites its alert's line (count, last_seen): keep the latest per id.
latest, new_ids = {}, set()
for n, line in enumerate(open("probity-state/alerts.jsonl")):
    a = json.loads(line)
    if a["id"] not in latest and n >= int(sys.argv[1]):
        new_ids.add(a["id"])
    latest[a["id"]] = a
alerts = [a for a in latest.values()
          if first <= a["event_time"][:19] <= last and not a["rule_id"].startswith("probity-")]
alerts += [a for a in latest.values() if a["id"] in new_ids and a["rule_id"].startswith("probity-")]
repeats = sum(max(a.get("count", 1) - 1, 0) for a in alerts)
earlier = sum(1 for a in alerts if a["id"] not in new_ids)
by_rule = collections.defaultdict(list)
for a in alerts:
    by_rule[a["rule_id"]].append(a)
order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
for rule, items in sorted(by_rule.items(), key=lambda kv: (order.get(kv[1][0]["severity"], 9), kv[0])):
    a = items[0]
    more = f"  (+{len(items) - 1} more)" if len(items) > 1 else ""
    print(f"  [{a['severity']:>8}] {rule}: {a['message'][:110]}{more}")
planted = sum(1 for _ in open(sys.argv[2]))
print(f"\n  {len(alerts)} alerts from {len(by_rule)} rules (+{repeats} repeats folded into them), "
      f"{len(alerts) - earlier} raised by this run, {earlier} by an earlier run on the same events; "
      f"{planted} incidents were planted (ground truth: {sys.argv[2]})")
PY
echo
echo "== alert emails to the PSD (local mailbox ./probity-state/mailbox): $(grep -c '^From ' probity-state/mailbox 2>/dev/null || echo 0) messages"
grep '^Subject:' probity-state/mailbox | tail -n 6 | sed 's/^/  /'
echo
curl -s http://127.0.0.1:9095/metrics | grep -E '^probity_(events_evaluated|rule_matches|correlation_matches|correlation_backfill_events|alerts_stored|alerts_sent|alerts_already_raised)_total'
again=$(metric probity_alerts_already_raised_total)
if [ "${again:-0}" -gt 0 ]; then
  # A second run on the same day sends the same events: older than the clock the first run
  # left, they are correlated as a backfill, and their alerts exist already.
  echo "  $again matches (correlations included) were of events an earlier run already alerted on:"
  echo "  not raised or mailed again (probity alerts list, or the live page, shows them)."
  echo "  rm -rf probity-state starts afresh."
fi
echo
if [ "${PROBITY_DEMO_EXIT:-0}" = 1 ]; then
  exit 0
fi
echo "probity is running (pid $pid): send syslog to 127.0.0.1:5514, metrics at http://127.0.0.1:9095/metrics. Ctrl-C stops it."
if [ -f probity-state/demo-password ]; then
  echo "live page: http://127.0.0.1:9095/ (account demo, password $(cat probity-state/demo-password); analyst and investigator)"
fi
wait $pid
