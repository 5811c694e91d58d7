#!/usr/bin/python3
"""Scores the shipped rule pack against a generated synthetic force.

Generates a force (deploy/demo/generate.py), imports its reference data into a fresh
state directory, replays its events through the rules with `probity replay`, and
compares the alerts with the planted incidents (ground_truth.jsonl):

  recall     planted incidents with at least one alert of the expected rule, for the
             planted user, inside the incident's time window
  precision  alerts explained by a planted incident (its rule, or a rule listed in its
             "also"), over all alerts
  false alarms per 1,000 staff-days: unexplained alerts / (staff x days / 1000), both
             raw and folded to one per (rule, user, day), which is what suppression
             with `by: user.id, for: 24h` would show an investigator

Exit status 1 when recall is below --min-recall (default 100 %) or the folded false
alarm rate is above --max-fa-rate (default: not checked).

  /usr/bin/python3 tests/pack/score.py --probity build/daemon/probity --staff 5000 --days 7
"""

import argparse
import collections
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_time(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def run(cmd, **kw):
    r = subprocess.run(cmd, **kw)
    if r.returncode != 0:
        sys.exit(f"score.py: failed ({r.returncode}): {' '.join(cmd)}")
    return r


def main():
    ap = argparse.ArgumentParser(description="score the rule pack against a synthetic force")
    ap.add_argument("--probity", required=True, help="path to the probity binary")
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--staff", type=int, default=1000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default=None, help="first scored day (YYYY-MM-DD; default: the generator's)")
    ap.add_argument("--warmup-days", type=int, default=21,
                    help="access-only history replayed before the scored days (baselines, first-seen)")
    ap.add_argument("--work", default=None, help="working directory (default: a fresh one in /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the working directory")
    ap.add_argument("--min-recall", type=float, default=100.0)
    ap.add_argument("--max-fa-rate", type=float, default=None,
                    help="fail if folded false alarms per 1,000 staff-days exceed this")
    args = ap.parse_args()

    work = args.work or f"/tmp/probity-pack-score-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    force, state = os.path.join(work, "force"), os.path.join(work, "state")
    timings = {}
    try:
        t0 = time.monotonic()
        run([sys.executable, os.path.join(ROOT, "deploy", "demo", "generate.py"), "--out", force,
             "--staff", str(args.staff), "--days", str(args.days), "--seed", str(args.seed),
             "--warmup-days", str(args.warmup_days)] + (["--start", args.start] if args.start else []),
            stderr=subprocess.DEVNULL)
        timings["generate"] = time.monotonic() - t0

        t0 = time.monotonic()
        common = ["--state-dir", state, "--log-level", "warn"]
        for kind in ("staff", "associations", "systems"):
            run([args.probity, "state", "import", kind, os.path.join(force, kind + ".csv")] + common,
                stdout=subprocess.DEVNULL)
        lists = sorted(os.listdir(os.path.join(force, "lists")))
        for name in lists:
            run([args.probity, "state", "import", "list", os.path.join(force, "lists", name), "--list",
                 name[:-4], "--replace"] + common, stdout=subprocess.DEVNULL)
        timings["import"] = time.monotonic() - t0

        t0 = time.monotonic()
        alerts_path = os.path.join(work, "alerts.jsonl")
        with open(alerts_path, "w") as out, open(os.path.join(work, "replay.log"), "w") as err:
            run([args.probity, "replay", os.path.join(force, "events.log"), "--rules=" + args.rules] + common,
                stdout=out, stderr=err)
        timings["replay"] = time.monotonic() - t0

        summary = json.load(open(os.path.join(force, "summary.json")))
        truth = [json.loads(l) for l in open(os.path.join(force, "ground_truth.jsonl"))]
        alerts = [json.loads(l) for l in open(alerts_path)]
        # Alerts during the warm-up are not scored: the rate is per staff-day of the scored days.
        start = parse_time(summary["start"] + "T00:00:00Z")
        alerts = [a for a in alerts if not a.get("event.time") or parse_time(a["event.time"]) >= start]
        report = score(summary, truth, alerts, timings)
        print(report["text"])
        with open(os.path.join(work, "report.json"), "w") as f:
            json.dump({k: v for k, v in report.items() if k != "text"}, f, indent=1)
        failed = report["recall"] < args.min_recall
        if args.max_fa_rate is not None and report["fa_rate_folded"] > args.max_fa_rate:
            failed = True
        if failed:
            print(f"FAIL (work directory kept: {work})")
            args.keep = True
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def score(summary, truth, alerts, timings):
    slack = dt.timedelta(seconds=30)  # gateway latency: receipt to delivery
    incidents = []
    by_user = collections.defaultdict(list)
    for inc in truth:
        inc = dict(inc, start_t=parse_time(inc["start"]) - slack, end_t=parse_time(inc["end"]) + slack,
                   found=False)
        incidents.append(inc)
        by_user[inc["user"].lower()].append(inc)

    per_rule = collections.defaultdict(lambda: {"alerts": 0, "tp": 0, "fa": 0, "fa_groups": set(),
                                                 "incidents": 0, "found": 0})
    tp = fa = 0
    fa_groups = set()
    examples = collections.defaultdict(list)
    for a in alerts:
        rule, user = a["rule"], (a.get("user.id") or "").lower()
        t = parse_time(a["event.time"]) if a.get("event.time") else None
        r = per_rule[rule]
        r["alerts"] += 1
        explained = False
        candidates = by_user.get(user, ()) if user else [
            i for i in incidents if i.get("evidence") and i["evidence"].lower() in a.get("message", "").lower()]
        for inc in candidates:
            if t is not None and inc["start_t"] <= t <= inc["end_t"]:
                if rule == inc["rule"]:
                    inc["found"] = explained = True
                elif rule in inc["also"]:
                    explained = True
        if explained:
            tp += 1
            r["tp"] += 1
        else:
            fa += 1
            r["fa"] += 1
            key = (rule, user, t.date() if t else None)
            fa_groups.add(key)
            r["fa_groups"].add(key)
            if len(examples[rule]) < 3:
                examples[rule].append(a.get("message", ""))
    for inc in incidents:
        per_rule[inc["rule"]]["incidents"] += 1
        per_rule[inc["rule"]]["found"] += inc["found"]

    found = sum(i["found"] for i in incidents)
    recall = 100.0 * found / len(incidents) if incidents else 100.0
    precision = 100.0 * tp / len(alerts) if alerts else 100.0
    staff_days = summary["staff"] * summary["days"]
    fa_rate = fa / (staff_days / 1000.0)
    fa_rate_folded = len(fa_groups) / (staff_days / 1000.0)

    lines = [f"synthetic force: {summary['staff']} staff x {summary['days']} days (seed {summary['seed']}), "
             f"{summary['events']} syslog lines, {len(incidents)} planted incidents; "
             f"{summary.get('warmup_events', 0)} warm-up lines over {summary.get('warmup_days', 0)} days before",
             f"time: generate {timings.get('generate', 0):.1f} s, import {timings.get('import', 0):.1f} s, "
             f"replay {timings.get('replay', 0):.1f} s "
             f"({(summary['events'] + summary.get('warmup_events', 0)) / max(timings.get('replay', 1e-9), 1e-9):,.0f} lines/s)",
             "",
             f"{'rule':44} {'incidents':>9} {'found':>6} {'alerts':>7} {'true':>6} {'false':>6} {'false/day':>9}"]
    for rule in sorted(per_rule):
        r = per_rule[rule]
        lines.append(f"{rule:44} {r['incidents']:>9} {r['found']:>6} {r['alerts']:>7} {r['tp']:>6} "
                     f"{r['fa']:>6} {len(r['fa_groups']):>9}")
    lines += ["",
              f"recall     {recall:6.1f} %  ({found}/{len(incidents)} planted incidents found)",
              f"precision  {precision:6.1f} %  ({tp}/{len(alerts)} alerts explained by a planted incident)",
              f"false alarms per 1,000 staff-days: {fa_rate:.2f} raw ({fa} alerts), "
              f"{fa_rate_folded:.2f} folded to one per rule, user and day ({len(fa_groups)})"]
    missed = [i for i in incidents if not i["found"]]
    for i in missed:
        lines.append(f"MISSED {i['incident']} {i['rule']} {i['user']} {i['start']}..{i['end']}: {i['description']}")
    for rule, ex in sorted(examples.items()):
        for m in ex:
            lines.append(f"  false alarm {rule}: {m}")
    return {"text": "\n".join(lines), "recall": recall, "precision": precision, "fa_rate": fa_rate,
            "fa_rate_folded": fa_rate_folded, "alerts": len(alerts), "incidents": len(incidents),
            "found": found, "events": summary["events"], "timings": timings}


if __name__ == "__main__":
    sys.exit(main())
