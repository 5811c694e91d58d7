#!/usr/bin/python3
"""Scores the shipped rule pack against a generated synthetic force.

Generates a force (deploy/demo/generate.py, --profile A or B), imports its reference
data into a fresh state directory, replays its events through the rules with `probity
replay`, and compares the alerts with the planted incidents (ground_truth.jsonl):

  alerts     new alerts: replay's suppressed repeats ("repeat": N, which the daemon
             folds into the open alert) are counted apart
  recall     planted incidents with at least one alert (new or folded repeat) of one of
             the incident's rules ("rules", else "rule"), for the planted user, inside the
             incident's time window; per rule and per incident kind
  precision  new alerts explained by a planted incident (one of its rules, or a rule
             listed in its "also"), over all new alerts
  false alarms per 1,000 staff-days: unexplained new alerts / (staff x days / 1000),
             raw and folded to one per (rule, user, day), which is what suppression by
             user per day would show an investigator; per rule and in total

The force's site.yaml (reference formats, secure partner domains, office-hours peer
groups) is handed to probity if the binary has a way to take it (`replay --site`, or
`state import site`); otherwise it is copied into the working directory and a note is
printed. Register files (register/*.csv) are imported when `state import` knows them.

Exit status 1 when recall is below --min-recall (default 100 %) or the folded false
alarm rate is above --max-fa-rate (default: not checked). The report is printed and
written to WORK/report.json.

  /usr/bin/python3 tests/pack/score.py --probity build/daemon/probity --staff 5000 --days 7
  /usr/bin/python3 tests/pack/score.py --probity build/daemon/probity --profile B
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


def help_text(probity, *sub):
    r = subprocess.run([probity, *sub, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description="score the rule pack against a synthetic force")
    ap.add_argument("--probity", required=True, help="path to the probity binary")
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--profile", default="A", help="synthetic force: A (default) or B")
    ap.add_argument("--staff", type=int, default=1000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default=None, help="first scored day (YYYY-MM-DD; default: the generator's)")
    ap.add_argument("--warmup-days", type=int, default=21,
                    help="access-only history replayed before the scored days (baselines, first-seen)")
    ap.add_argument("--work", default=None, help="working directory (default: a fresh one in /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the working directory")
    ap.add_argument("--examples", type=int, default=3, help="false alarms printed per rule")
    ap.add_argument("--min-recall", type=float, default=100.0)
    ap.add_argument("--max-fa-rate", type=float, default=None,
                    help="fail if folded false alarms per 1,000 staff-days exceed this")
    args = ap.parse_args()

    work = args.work or f"/tmp/probity-pack-score-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    force, state = os.path.join(work, "force"), os.path.join(work, "state")
    timings = {}
    notes = []
    try:
        t0 = time.monotonic()
        run([sys.executable, os.path.join(ROOT, "deploy", "demo", "generate.py"), "--out", force,
             "--profile", args.profile, "--staff", str(args.staff), "--days", str(args.days),
             "--seed", str(args.seed), "--warmup-days", str(args.warmup_days)]
            + (["--start", args.start] if args.start else []),
            stderr=subprocess.DEVNULL)
        timings["generate"] = time.monotonic() - t0

        t0 = time.monotonic()
        common = ["--state-dir", state, "--log-level", "warn"]
        import_help = help_text(args.probity, "state", "import")
        for kind in ("staff", "associations", "systems"):
            run([args.probity, "state", "import", kind, os.path.join(force, kind + ".csv")] + common,
                stdout=subprocess.DEVNULL)
        for name in sorted(os.listdir(os.path.join(force, "lists"))):
            run([args.probity, "state", "import", "list", os.path.join(force, "lists", name), "--list",
                 name[:-4], "--replace"] + common, stdout=subprocess.DEVNULL)
        register = os.path.join(force, "register")
        for kind in ("business_interests", "gifts", "tenders", "high_profile", "sites",
                     "subject_addresses"):
            path = os.path.join(register, kind + ".csv")
            if not os.path.exists(path):
                continue
            if kind in import_help:
                run([args.probity, "state", "import", kind, path] + common, stdout=subprocess.DEVNULL)
            else:
                notes.append(f"register {kind}: this probity cannot import it; not loaded")
        site = os.path.join(force, "site.yaml")
        replay_site = []
        if os.path.exists(site):
            replay_help = help_text(args.probity, "replay")
            if "--site" in replay_help:
                replay_site = ["--site", site]
                notes.append("site.yaml passed to probity replay --site")
            elif "site" in import_help.split("Positionals:")[-1].split("Options:")[0]:
                run([args.probity, "state", "import", "site", site] + common, stdout=subprocess.DEVNULL)
                notes.append("site.yaml imported with probity state import site")
            else:
                shutil.copy(site, os.path.join(work, "site.yaml"))
                notes.append(f"this probity has no way to take site.yaml (no replay --site, no state import "
                             f"site): copied to {os.path.join(work, 'site.yaml')}, not used")
        timings["import"] = time.monotonic() - t0

        t0 = time.monotonic()
        alerts_path = os.path.join(work, "alerts.jsonl")
        with open(alerts_path, "w") as out, open(os.path.join(work, "replay.log"), "w") as err:
            run([args.probity, "replay", os.path.join(force, "events.log"), "--rules=" + args.rules] + replay_site
                + common, stdout=out, stderr=err)
        timings["replay"] = time.monotonic() - t0

        summary = json.load(open(os.path.join(force, "summary.json")))
        truth = [json.loads(line) for line in open(os.path.join(force, "ground_truth.jsonl"))]
        alerts = [json.loads(line) for line in open(alerts_path)]
        # Alerts during the warm-up are not scored: the rate is per staff-day of the scored days.
        start = parse_time(summary["start"] + "T00:00:00Z")
        alerts = [a for a in alerts if not a.get("event.time") or parse_time(a["event.time"]) >= start]
        report = score(summary, truth, alerts, timings, notes, args.examples)
        print(report["text"])
        with open(os.path.join(work, "report.json"), "w") as f:
            json.dump({k: v for k, v in report.items() if k != "text"}, f, indent=1)
        failed = report["recall"] < args.min_recall
        if args.max_fa_rate is not None and report["fa_rate_folded"] > args.max_fa_rate:
            failed = True
        if failed:
            print(f"FAIL (work directory kept: {work})")
            args.keep = True
        elif args.keep:
            print(f"work directory: {work} (report.json, alerts.jsonl, force/, state/)")
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def score(summary, truth, alerts, timings, notes=(), examples_per_rule=3):
    slack = dt.timedelta(seconds=30)  # gateway latency: receipt to delivery
    incidents = []
    by_user = collections.defaultdict(list)
    for inc in truth:
        inc = dict(inc, start_t=parse_time(inc["start"]) - slack, end_t=parse_time(inc["end"]) + slack,
                   found=False, found_by=set())
        inc.setdefault("kind", inc["rule"])
        inc.setdefault("rules", [inc["rule"]])
        incidents.append(inc)
        by_user[inc["user"].lower()].append(inc)

    staff_days = summary["staff"] * summary["days"]
    per_k = staff_days / 1000.0

    def blank():
        return {"alerts": 0, "repeats": 0, "tp": 0, "fa": 0, "fa_groups": set(), "incidents": 0, "found": 0}

    per_rule = collections.defaultdict(blank)
    tp = fa = repeats = 0
    fa_groups = set()
    examples = collections.defaultdict(list)
    for a in alerts:
        rule, user = a["rule"], (a.get("user.id") or "").lower()
        t = parse_time(a["event.time"]) if a.get("event.time") else None
        repeat = bool(a.get("repeat"))
        r = per_rule[rule]
        explained = False
        candidates = by_user.get(user, ()) if user else [
            i for i in incidents if i.get("evidence") and i["evidence"].lower() in a.get("message", "").lower()]
        for inc in candidates:
            if t is not None and inc["start_t"] <= t <= inc["end_t"]:
                if rule in inc["rules"]:
                    inc["found"] = explained = True
                    inc["found_by"].add(rule)
                elif rule in inc["also"]:
                    explained = True
        if repeat:  # folded into an open alert by the daemon: not a new alert
            r["repeats"] += 1
            repeats += 1
            continue
        r["alerts"] += 1
        if explained:
            tp += 1
            r["tp"] += 1
        else:
            fa += 1
            r["fa"] += 1
            key = (rule, user, t.date().isoformat() if t else None)
            fa_groups.add(key)
            r["fa_groups"].add(key)
            if len(examples[rule]) < examples_per_rule:
                examples[rule].append(a.get("message", ""))
    per_kind = collections.defaultdict(lambda: {"incidents": 0, "found": 0, "rules": set()})
    for inc in incidents:
        per_rule[inc["rule"]]["incidents"] += 1
        per_rule[inc["rule"]]["found"] += inc["found"]
        k = per_kind[inc["kind"]]
        k["incidents"] += 1
        k["found"] += inc["found"]
        k["rules"].update(inc["rules"])

    new_alerts = sum(r["alerts"] for r in per_rule.values())
    found = sum(i["found"] for i in incidents)
    recall = 100.0 * found / len(incidents) if incidents else 100.0
    precision = 100.0 * tp / new_alerts if new_alerts else 100.0
    fa_rate = fa / per_k
    fa_rate_folded = len(fa_groups) / per_k

    def pct(f, n):
        return 100.0 * f / n if n else None

    rules_json = {}
    for rule in sorted(per_rule):
        r = per_rule[rule]
        rules_json[rule] = {
            "alerts": r["alerts"], "repeats": r["repeats"], "alerts_per_1000_staff_days": r["alerts"] / per_k,
            "true": r["tp"], "false": r["fa"], "false_folded": len(r["fa_groups"]),
            "fa_per_1000_staff_days": r["fa"] / per_k, "fa_per_1000_staff_days_folded": len(r["fa_groups"]) / per_k,
            "incidents": r["incidents"], "found": r["found"], "recall": pct(r["found"], r["incidents"])}
    kinds_json = {k: {"incidents": v["incidents"], "found": v["found"], "recall": pct(v["found"], v["incidents"]),
                      "rules": sorted(v["rules"])} for k, v in sorted(per_kind.items())}

    def f2(x):
        return "-" if x is None else f"{x:.2f}"

    def f0(x):
        return "-" if x is None else f"{x:.0f} %"

    profile = summary.get("profile", "A")
    lines = [f"synthetic force {profile} ({summary.get('force', '')}): {summary['staff']} staff x {summary['days']} days "
             f"(seed {summary['seed']}), {summary['events']} syslog lines, {len(incidents)} planted incidents; "
             f"{summary.get('warmup_events', 0)} warm-up lines over {summary.get('warmup_days', 0)} days before",
             f"time: generate {timings.get('generate', 0):.1f} s, import {timings.get('import', 0):.1f} s, "
             f"replay {timings.get('replay', 0):.1f} s "
             f"({(summary['events'] + summary.get('warmup_events', 0)) / max(timings.get('replay', 1e-9), 1e-9):,.0f} lines/s)"]
    lines += [f"note: {n}" for n in notes]
    lines += ["", "per rule (rates per 1,000 staff-days; alerts are new alerts, repeats folded apart)",
              f"{'rule':52} {'alerts':>7} {'/1k':>8} {'rep':>6} {'false':>6} {'fa/1k':>8} {'folded/1k':>9} "
              f"{'incid':>5} {'found':>5} {'recall':>6}"]
    for rule, r in rules_json.items():
        lines.append(f"{rule:52} {r['alerts']:>7} {f2(r['alerts_per_1000_staff_days']):>8} {r['repeats']:>6} "
                     f"{r['false']:>6} {f2(r['fa_per_1000_staff_days']):>8} {f2(r['fa_per_1000_staff_days_folded']):>9} "
                     f"{r['incidents']:>5} {r['found']:>5} {f0(r['recall']):>6}")
    lines.append(f"{'total':52} {new_alerts:>7} {f2(new_alerts / per_k):>8} {repeats:>6} {fa:>6} {f2(fa_rate):>8} "
                 f"{f2(fa_rate_folded):>9} {len(incidents):>5} {found:>5} {f0(recall):>6}")
    lines += ["", "recall per incident kind", f"{'kind':44} {'incid':>5} {'found':>5} {'recall':>6}  rules (any)"]
    for k, v in kinds_json.items():
        lines.append(f"{k:44} {v['incidents']:>5} {v['found']:>5} {f0(v['recall']):>6}  {', '.join(v['rules'])}")
    lines += ["",
              f"recall     {recall:6.1f} %  ({found}/{len(incidents)} planted incidents found)",
              f"precision  {precision:6.1f} %  ({tp}/{new_alerts} new alerts explained by a planted incident; "
              f"{repeats} folded repeats not counted)",
              f"false alarms per 1,000 staff-days: {fa_rate:.2f} raw ({fa} alerts), "
              f"{fa_rate_folded:.2f} folded to one per rule, user and day ({len(fa_groups)})"]
    missed = [i for i in incidents if not i["found"]]
    for i in missed:
        lines.append(f"MISSED {i['incident']} {i['kind']} [{'|'.join(i['rules'])}] {i['user']} "
                     f"{i['start']}..{i['end']}: {i['description']}")
    for rule, ex in sorted(examples.items()):
        for m in ex:
            lines.append(f"  false alarm {rule}: {m}")
    return {"text": "\n".join(lines), "profile": profile, "staff_days": staff_days, "recall": recall,
            "precision": precision, "alerts": new_alerts, "repeats": repeats,
            "alerts_per_1000_staff_days": new_alerts / per_k, "false_alarms": fa,
            "false_alarms_folded": len(fa_groups), "fa_rate": fa_rate, "fa_rate_folded": fa_rate_folded,
            "incidents": len(incidents), "found": found, "events": summary["events"], "rules": rules_json,
            "kinds": kinds_json, "missed": [i["incident"] for i in missed], "notes": list(notes),
            "timings": timings}


if __name__ == "__main__":
    sys.exit(main())
