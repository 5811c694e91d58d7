#!/usr/bin/python3
"""Synthetic police force for Probity: reference data, a stream of access-audit and
email-gateway events over N days, planted integrity incidents, and their ground truth.

Deterministic: the same arguments (and --seed) give byte-identical files. Standard
library only, so it runs with Debian's /usr/bin/python3 and no PyPI.

    /usr/bin/python3 deploy/demo/generate.py --out /tmp/force --staff 5000 --days 7

Writes into --out:
  staff.csv, associations.csv, systems.csv   `probity state import staff|associations|systems`
  lists/NAME.txt                              `probity state import list FILE --list NAME`
  events.log                                  RFC 5424 syslog, one message a line, in time
                                              order (`probity replay events.log`)
  ground_truth.jsonl                          one planted incident a line
  register/*.csv                              business interests, gifts and hospitality,
                                              tenders: not importable yet (the named lists
                                              derived from them are)
  summary.json                                counts

Wire formats: access audit is RFC 5424 with the canonical structured data element
access@32473 (config/SOURCES.md); email is what the gateways write (config/GATEWAYS.md):
Mimecast SIEM kv lines (receipt, process, delivery, joined by aCode) for every message,
and Postfix relay lines (joined by queue id, with orig_to) for mail to a force alias
that forwards outside. --mail-format sd writes the canonical email@32473 element instead.
"""

import argparse
import base64
import csv
import datetime as dt
import hashlib
import json
import os
import random
import sys

FORCE_DOMAIN = "force.police.uk"

FORENAMES = """James John David Michael Paul Andrew Mark Richard Peter Stephen Robert Christopher
Daniel Matthew Thomas Simon Ian Gary Steven Anthony Jonathan Lee Kevin Martin Neil Adam Ben
Craig Dean Scott Jason Luke Ryan Sam Jack Callum Liam Connor Jamie Nathan Aaron Joshua Harry
Oliver George Alfie Mohammed Ali Hassan Imran Raj Sanjay Arjun Kwame Tunde Emeka Marek Piotr
Tomasz Sarah Emma Claire Laura Rachel Helen Louise Nicola Karen Lisa Michelle Joanne Amanda
Rebecca Kelly Victoria Hannah Charlotte Sophie Jessica Amy Lauren Natalie Gemma Stacey Zoe Lucy
Katie Chloe Megan Olivia Grace Ella Amelia Isla Aisha Fatima Priya Anjali Grace Ngozi Chioma
Agnieszka Kasia Siobhan Niamh Aoife Mairead Bethan Cerys Rhian Eilidh Morag Fiona Alison
Deborah Julie Susan Tracey Angela Joanne""".split()

SURNAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel
Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan
Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly
Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall
Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray
Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler
Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh
Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks
West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth
Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter
Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding
Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates
Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren
Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper
Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne
Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis
Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt Barber Nelson
Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens Blake Akhtar Lynch Goodwin Barton
Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood Jennings Holt
Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton Lawson Banks
French Stanley Jarvis Gibbs Ferguson Hayward Carroll Douglas Dickinson Todd Barlow Peters Lucas
Knowles Hartley Miah Simmons Morton Alexander Field Okafor Adeyemi Nowak Kowalski Brennan""".split()

STREETS = """Mill Lane|High Street|Church Road|Station Road|Victoria Road|Green Lane|Manor Road|
Park Road|Queens Road|Grange Road|Kings Road|New Road|School Lane|Albert Road|The Avenue|
Chester Road|London Road|North Street|Springfield Road|Elm Row|Quay Street|Rose Close|
Park View|Orchard Way|Windsor Road|Highfield Road|York Road|Stanley Road|Mount Pleasant|
Richmond Road|Broadway|Alexandra Road|Chapel Street|Main Street|Market Street|Bridge Street|
Brook Lane|Hillside|Meadow Way|Beech Grove|Oak Avenue|Ash Close|Willow Drive|Cedar Court|
Fern Bank|Heath Road|Moor Lane|Castle Street|Abbey Road|Priory Close""".replace("\n", "").split("|")
TOWNS = "Exton Wyford Hallam Brackley Marston Kingsbridge Felsham Upton Norbury Ashcombe Thornby Redhill".split()

MEDIA_DOMAINS = ["extoneveningecho.co.uk", "dailyclarion.co.uk", "nationalherald.co.uk",
                 "thesundaypost.example", "wyfordgazette.co.uk", "bbc.co.uk", "itv.com",
                 "sky.uk", "pressassociation.example", "tabloiddaily.example",
                 "newsnowagency.example", "hallamtoday.co.uk"]
PI_DOMAINS = ["discreetinquiries.co.uk", "sentinel-investigations.example", "tracerpoint.co.uk",
              "blackmoor-intel.example", "verity-pi.example", "findersagency.co.uk",
              "privateeye-services.example", "covenant-investigations.co.uk"]
WEBMAIL_DOMAINS = ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
                   "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com",
                   "proton.me", "protonmail.com", "aol.com", "gmx.com", "mail.com", "btinternet.com"]
PARTNER_DOMAINS = ["cps.gov.uk", "nhs.net", "met.police.uk", "wyford.gov.uk", "exton.gov.uk",
                   "probation.gov.uk", "justice.gov.uk", "homeoffice.gov.uk", "nca.gov.uk",
                   "hallam.police.uk", "college.police.uk", "dvla.gov.uk"]
BUSINESS_DOMAINS = ["exton-garages.co.uk", "wyford-taxis.example", "brightschools.org.uk",
                    "hallam-uni.ac.uk", "exton-hospital.nhs.uk", "citycentre-bid.example",
                    "marstonfc.co.uk", "shopwatch-exton.example", "canalside-hotel.co.uk",
                    "fleetcare.example", "legal-aid-partners.co.uk", "victimsupport.example"]
SECURITY_FIRMS = ["shieldguard-security.example", "nightwatch-door.example",
                  "apex-close-protection.example", "redline-investigations.example",
                  "keystone-vetting.example", "harbour-security.co.uk"]
TENDERS = [  # (id, title, supplier domains)
    ("T-2026-004", "Body-worn video replacement", ["optivision-systems.example", "capturecam.example", "lensguard.co.uk"]),
    ("T-2026-007", "Fleet maintenance 2026-2030", ["fleetserve.example", "autocare-fleet.co.uk"]),
    ("T-2026-011", "Custody healthcare", ["medicustody.example", "careline-health.co.uk", "securemed.example"]),
]
OTHER_SUPPLIERS = ["stationeryplus.example", "cleanco-services.example", "uniformdirect.co.uk",
                   "itsupport-partners.example", "catering-collective.example"]

SYSTEMS = {"PNC": "NPPV2", "PND": "NPPV3", "Niche": "NPPV2", "ICAD": "NPPV2", "ANPR": "NPPV3",
           "CHIS-REG": "SC", "HRMS": "NPPV1", "ERP": "NPPV1"}
LEARNING_DAYS = 21  # rules/psd-correlations.yaml: first_seen learning (baselines need 14 days)
VETTING_ORDER = {v: i for i, v in enumerate(["none", "RV", "MV", "NPPV1", "NPPV2", "NPPV3", "CTC", "SC", "DV"])}
SYSTEM_HOSTS = {"PNC": "pnc-gw01", "PND": "pnd-gw01", "Niche": "niche-app02", "ICAD": "icad-srv01",
                "ANPR": "anpr-bof01", "CHIS-REG": "chis-app01", "HRMS": "hrms-app01", "ERP": "erp-app01"}

# Justifications the background uses: reason code → (reference prefix, reason texts).
REASONS = {
    "INC": ("INC", ["Attending incident", "Incident enquiry", "Call for service", "Domestic incident",
                    "Suspicious vehicle report", "Concern for welfare"]),
    "CRIME": ("CR", ["Crime investigation", "Suspect research", "Victim contact",
                     "Witness trace", "Case file preparation"]),
    "CUST": ("CUST", ["Detained person check", "Custody record", "Bail check"]),
    "INTEL": ("INT", ["Intelligence development", "Research for briefing", "Tasking request"]),
    "WARRANT": ("WAR", ["Warrant execution", "Outstanding warrant"]),
    "ROADS": ("INC", ["Vehicle stop", "Collision report", "ANPR hit follow-up"]),
    "ADMIN": ("HR", ["Case administration", "Record maintenance"]),
}

# Departments: (share, shift pattern, roles [(title, id prefix, share)], vetting levels,
#   systems {name: weight}, reason codes, access/day, emails/day).
DEPARTMENTS = {
    "Response": (0.30, "shift", [("Constable", "PC", 0.8), ("Sergeant", "PS", 0.2)], ["NPPV3"],
                 {"PNC": 40, "Niche": 35, "ICAD": 15, "PND": 10}, ["INC", "CRIME", "WARRANT"], 55, 6),
    "Neighbourhood": (0.11, "early-late", [("Constable", "PC", 0.6), ("PCSO", "CS", 0.4)], ["NPPV2"],
                      {"Niche": 55, "PNC": 35, "ICAD": 10}, ["INC", "CRIME"], 28, 12),
    "CID": (0.11, "office-long", [("Detective Constable", "DC", 0.75), ("Detective Sergeant", "DS", 0.25)],
            ["NPPV3"], {"Niche": 45, "PNC": 25, "PND": 25, "ANPR": 5}, ["CRIME", "INTEL"], 60, 22),
    "Custody": (0.05, "shift", [("Custody Sergeant", "PS", 0.4), ("Detention Officer", "DO", 0.6)],
                ["NPPV2"], {"Niche": 60, "PNC": 40}, ["CUST"], 45, 5),
    "Contact Centre": (0.12, "shift", [("Call Handler", "CH", 0.7), ("Dispatcher", "DP", 0.3)],
                       ["NPPV2"], {"ICAD": 70, "Niche": 20, "PNC": 10}, ["INC"], 60, 4),
    "Intelligence": (0.06, "office", [("Intelligence Analyst", "IA", 0.5), ("Researcher", "IR", 0.35),
                                      ("Source Handler", "SH", 0.15)],
                     ["SC"], {"Niche": 35, "PND": 35, "PNC": 20, "CHIS-REG": 10}, ["INTEL"], 75, 20),
    "Roads Policing": (0.05, "shift", [("Constable", "PC", 0.85), ("Sergeant", "PS", 0.15)], ["NPPV3"],
                       {"ANPR": 45, "PNC": 45, "Niche": 10}, ["ROADS", "INC"], 50, 5),
    "Major Crime": (0.03, "office-long", [("Detective Constable", "DC", 0.6), ("Detective Sergeant", "DS", 0.3),
                                          ("Detective Inspector", "DI", 0.1)],
                    ["MV_NPPV3"], {"Niche": 45, "PND": 30, "PNC": 20, "ANPR": 5}, ["CRIME", "INTEL"], 55, 28),
    "Professional Standards": (0.01, "office", [("Investigator", "PSI", 1.0)], ["SC"],
                               {"Niche": 50, "PNC": 30, "PND": 20}, ["CRIME"], 20, 25),
    "HR": (0.03, "office", [("HR Advisor", "HR", 1.0)], ["NPPV2"], {"HRMS": 100}, ["ADMIN"], 18, 30),
    "Finance": (0.02, "office", [("Finance Officer", "FO", 1.0)], ["NPPV1"], {"ERP": 100}, ["ADMIN"], 15, 25),
    "Procurement": (0.01, "office", [("Procurement Officer", "PR", 1.0)], ["NPPV1"], {"ERP": 100}, ["ADMIN"], 10, 35),
    "Training": (0.02, "office", [("Trainer", "TR", 1.0)], ["NPPV2"], {"HRMS": 100}, ["ADMIN"], 4, 15),
    "Corporate Communications": (0.01, "office", [("Press Officer", "CC", 1.0)], ["NPPV2"], {"Niche": 100},
                                 ["CRIME"], 6, 30),
}
OFFICE_ONLY = ["HR", "Finance", "Procurement", "Training", "Corporate Communications"]
OPERATIONAL = ["Response", "Neighbourhood", "CID", "Custody", "Contact Centre", "Intelligence",
               "Roads Policing", "Major Crime"]

INTERNAL_SUBJECTS = ["Rota change {wk}", "Briefing notes {d}", "Re: case file {ref}", "Overtime claim",
                     "Training course booking", "Team meeting", "Re: statement MG11", "Handover {d}",
                     "OFFICIAL-SENSITIVE: intelligence update {ref}", "Leave request", "Re: Re: rota",
                     "OFFICIAL: tasking {ref}", "Vehicle defect", "Custody bail dates",
                     "OFFICIAL-SENSITIVE: risk assessment {ref}", "Lunch?", "Course feedback"]
PARTNER_SUBJECTS = ["OFFICIAL-SENSITIVE: file submission {ref}", "Case {ref} disclosure schedule",
                    "Safeguarding referral {ref}", "MARAC agenda {d}", "Re: court listing {d}",
                    "OFFICIAL: information sharing request", "Mutual aid {d}", "Re: strategy meeting"]
BUSINESS_SUBJECTS = ["Meeting request", "Re: event policing plan", "CCTV request {ref}",
                     "Invoice query", "Re: community meeting", "Licensing visit {d}", "Thank you"]
PERSONAL_SUBJECTS = ["Saturday", "Re: holiday", "Tickets", "Dinner tonight?", "Photos", "Re: kids pickup"]
MEDIA_SUBJECTS = ["Press release: {d} appeal", "Re: media enquiry {ref}", "Statement for publication",
                  "Appeal for witnesses", "Re: interview request"]
SUPPLIER_SUBJECTS = ["Re: clarification question {t}", "Order confirmation", "Invoice {ref}",
                     "Re: delivery schedule", "Contract review meeting"]
CASE_WHAT = ["Burglary at", "Assault outside", "Criminal damage at", "Theft from vehicle at", "Domestic at",
             "Missing person from", "Robbery near", "Drugs warrant at", "Harassment report from"]
CASE_WHY = ["suspect research", "victim details", "witness trace", "vehicle seen nearby", "previous calls",
            "bail address check", "associates of suspect", "risk assessment"]
ATTACH_INTERNAL = ["briefing.docx", "rota_wk{wk}.xlsx", "MG11_statement.pdf", "handover.docx",
                   "tasking.pdf", "risk_assessment.docx", "photos.zip", "minutes.docx"]


def slug(s):
    return s.lower().replace(" ", "-")


class Force:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.start = dt.datetime.strptime(args.start, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        self.days = args.days
        self.warmup = args.warmup_days
        self.end = self.start + dt.timedelta(days=self.days)
        self.staff = []          # dicts
        self.by_id = {}
        self.emails_used = set()
        self.associations = []   # (staff_id, party_id, party_name, kind, declared_on)
        self.lists = {}
        self.truth = []
        self.events = {}         # day index -> list of (epoch, line)
        self.n_events = 0
        self.n_warmup = 0
        self.registers = {}

    # ---------------------------------------------------------------- reference data
    def person(self, pid_num):
        """Deterministic name and date of birth of record-system person number pid_num."""
        h = (pid_num * 2654435761 + 97) % (1 << 32)
        fn = FORENAMES[h % len(FORENAMES)]
        sn = SURNAMES[(h // len(FORENAMES)) % len(SURNAMES)]
        y = 1940 + (h >> 8) % 66
        m = 1 + (h >> 3) % 12
        d = 1 + (h >> 5) % 28
        return f"{fn} {sn}", f"{y:04d}-{m:02d}-{d:02d}"

    def address(self, rng):
        return f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"

    def make_staff(self):
        rng = self.rng
        n = self.args.staff
        depts = list(DEPARTMENTS)
        weights = [DEPARTMENTS[d][0] for d in depts]
        for i in range(n):
            dept = depts[i % len(depts)] if i < len(depts) else rng.choices(depts, weights)[0]
            share, pattern, roles, vet, systems, reasons, acc, mails = DEPARTMENTS[dept]
            role, prefix, _ = rng.choices(roles, [r[2] for r in roles])[0]
            sid = f"{prefix}{10000 + i}"
            fn, sn = rng.choice(FORENAMES), rng.choice(SURNAMES)
            base = f"{fn}.{sn}".lower().replace("'", "")
            email, k = f"{base}@{FORCE_DOMAIN}", 1
            while email in self.emails_used:
                k += 1
                email = f"{base}{k}@{FORCE_DOMAIN}"
            self.emails_used.add(email)
            level = vet[0]
            if level == "MV_NPPV3":
                level = "NPPV3"
            granted = self.start - dt.timedelta(days=rng.randint(30, 2400))
            expires = granted + dt.timedelta(days=365 * (5 if level in ("NPPV3", "SC") else 7))
            if expires <= self.end + dt.timedelta(days=14):  # renewed in time
                expires = self.end + dt.timedelta(days=rng.randint(30, 1500))
            s = {
                "id": sid, "surname": sn, "forenames": fn, "emails": [email], "department": dept,
                "role": role, "peer_group": f"{slug(dept)}-{slug(role)}",
                "address": self.address(rng), "hr_status": "active", "leaving_date": "",
                "vetting_level": level, "vetting_granted": granted.date().isoformat(),
                "vetting_expires": expires.date().isoformat(), "vetting_status": "granted",
                "pattern": pattern, "systems": systems, "reasons": reasons,
                "acc": acc * rng.lognormvariate(0, 0.35), "mails": mails * rng.lognormvariate(0, 0.4),
                "shift_offset": rng.randrange(10), "nominal": f"P{9000000 + i:07d}",
                "access_enabled": bool(systems), "mail_enabled": True, "personal": None,
            }
            if rng.random() < 0.25:  # an old alias
                alias = f"{fn[0]}.{sn}".lower().replace("'", "") + f"@{FORCE_DOMAIN}"
                if alias not in self.emails_used:
                    self.emails_used.add(alias)
                    s["emails"].append(alias)
            self.staff.append(s)
            self.by_id[sid] = s

        # HR statuses and vetting exceptions. Suspended, departed and lapsed-vetting staff
        # have their accounts disabled: they make no events unless an incident is planted.
        pool = [s for s in self.staff if s["department"] in OPERATIONAL]
        rng.shuffle(pool)
        k = max(3, n // 250)
        for s in pool[:k]:
            s["hr_status"] = "suspended"
            s["access_enabled"] = s["mail_enabled"] = False
        for s in pool[k:2 * k]:
            s["hr_status"] = "left"
            s["leaving_date"] = (self.start - dt.timedelta(days=rng.randint(3, 120))).date().isoformat()
            s["access_enabled"] = s["mail_enabled"] = False
        for s in pool[2 * k:4 * k]:  # in their notice period: working normally
            s["hr_status"] = "leaving"
            s["leaving_date"] = (self.start + dt.timedelta(days=rng.randint(8, 60))).date().isoformat()
        for s in pool[4 * k:6 * k]:
            s["vetting_status"] = "lapsed"
            exp = self.start - dt.timedelta(days=rng.randint(5, 200))
            s["vetting_expires"] = exp.date().isoformat()
            s["vetting_granted"] = (exp - dt.timedelta(days=365 * 5)).date().isoformat()
            s["access_enabled"] = False
        self.spare = pool[6 * k:]
        # Major Crime and a few intelligence staff run the watch-listed cases.
        self.case_team = [s["id"] for s in self.staff if s["department"] == "Major Crime"]
        self.case_team += [s["id"] for s in self.staff if s["department"] == "Intelligence"][: max(2, n // 500)]
        self.press = [s["id"] for s in self.staff if s["department"] == "Corporate Communications"]

    def make_associations(self):
        rng = self.rng
        for s in self.staff:
            r = rng.random()
            if r < 0.18:
                for _ in range(rng.randint(1, 3)):
                    num = rng.randint(8000000, 8999999)
                    name, _dob = self.person(num)
                    kind = rng.choices(["family", "other", "criminal"], [0.8, 0.17, 0.03])[0]
                    self.associations.append((s["id"], f"P{num:07d}", name, kind, self.declared(rng)))
        # Press officers declare their media contacts (domains) as media associations.
        for sid in self.press:
            for d in rng.sample(MEDIA_DOMAINS, 4):
                self.associations.append((sid, d, d, "media", self.declared(rng)))
        # A few neighbourhood officers write for the local paper, a declared media contact.
        self.media_contacts = [s for s in self.spare if s["department"] == "Neighbourhood"][: max(2, len(self.staff) // 1000)]
        for s in self.media_contacts:
            s["media_contact"] = rng.choice(["wyfordgazette.co.uk", "hallamtoday.co.uk", "extoneveningecho.co.uk"])
            self.associations.append((s["id"], s["media_contact"], s["media_contact"], "media", self.declared(rng)))
        self.spare = [s for s in self.spare if not s.get("media_contact")]
        # Secondary employment in security / investigation firms: declared business
        # interests, recorded as private_investigator associations with the firm's domain.
        sec = [s for s in self.spare if s["department"] in ("Response", "CID", "Roads Policing")]
        self.secondary = []
        for s, firm in zip(sec[: len(SECURITY_FIRMS)], SECURITY_FIRMS):
            self.associations.append((s["id"], firm, firm, "private_investigator", self.declared(rng)))
            clients = [f"P{rng.randint(8000000, 8999999):07d}" for _ in range(3)]
            for c in clients:  # the firm's clients: records the officer must not consult
                self.associations.append((s["id"], c, self.person(int(c[1:]))[0], "private_investigator",
                                          self.declared(rng)))
            self.secondary.append((s, firm, clients))
        self.spare = [s for s in self.spare if s not in [x[0] for x in self.secondary]]
        self.registers["business_interests"] = [
            {"staff_id": s["id"], "business": firm, "domain": firm, "nature": "security / investigations",
             "approved": "yes", "clients": ";".join(c)} for s, firm, c in self.secondary]

    def declared(self, rng):
        return (self.start - dt.timedelta(days=rng.randint(20, 2000))).date().isoformat()

    def make_lists(self):
        rng = self.rng
        self.watchlist = [f"P{rng.randint(1, 1999999):07d}" for _ in range(max(20, self.args.staff // 100))]
        office = sorted({s["peer_group"] for s in self.staff if s["department"] in OFFICE_ONLY})
        panel = []
        procurement = [s["id"] for s in self.staff if s["department"] == "Procurement"]
        for tid, title, suppliers in TENDERS:
            members = rng.sample([s for s in self.spare if s["department"] in
                                  ("Response", "Custody", "Roads Policing", "CID", "Finance")], 3)
            panel += [(tid, m["id"]) for m in members]
        self.panel = panel
        self.spare = [s for s in self.spare if s["id"] not in {p[1] for p in panel}]
        tender_domains = [d for _, _, sup in TENDERS for d in sup]
        self.lists = {
            "media_domains": MEDIA_DOMAINS,
            "pi_domains": PI_DOMAINS,
            "webmail_domains": WEBMAIL_DOMAINS,
            "watchlist_subjects": self.watchlist,
            "watchlist_case_team": self.case_team,
            "staff_nominals": [s["nominal"] for s in self.staff],
            "media_authorised_staff": self.press,
            "secure_partner_domains": PARTNER_DOMAINS,
            "force_domains": [FORCE_DOMAIN],
            "office_hours_peer_groups": office,
            "export_peer_groups": sorted({s["peer_group"] for s in self.staff if s["department"] == "Intelligence"}),
            "secondary_employment_domains": [f for _, f, _ in self.secondary],
            "tender_panel_staff": sorted({p[1] for p in panel}),
            "tender_supplier_domains": tender_domains,
        }
        self.registers["tenders"] = [
            {"tender": tid, "title": title, "status": "open", "opened": (self.start - dt.timedelta(days=40)).date().isoformat(),
             "closes": (self.end + dt.timedelta(days=30)).date().isoformat(), "suppliers": ";".join(sup),
             "panel": ";".join(p[1] for p in panel if p[0] == tid), "lead": procurement[0] if procurement else ""}
            for tid, title, sup in TENDERS]
        self.registers["gifts"] = [
            {"staff_id": self.staff[rng.randrange(len(self.staff))]["id"], "offeror": rng.choice(OTHER_SUPPLIERS + BUSINESS_DOMAINS),
             "description": rng.choice(["Calendar", "Lunch at supplier day", "Conference place", "Bottle of wine"]),
             "value_gbp": rng.choice([5, 12, 25, 40, 60]), "date": self.declared(rng), "accepted": rng.choice(["yes", "no"])}
            for _ in range(max(5, self.args.staff // 200))]

    # ---------------------------------------------------------------- writing
    def write_reference(self, out):
        os.makedirs(os.path.join(out, "lists"), exist_ok=True)
        os.makedirs(os.path.join(out, "register"), exist_ok=True)
        cols = ["id", "surname", "forenames", "emails", "department", "role", "peer_group", "address",
                "hr_status", "leaving_date", "vetting_level", "vetting_granted", "vetting_expires", "vetting_status"]
        with open(os.path.join(out, "staff.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(cols)
            for s in self.staff:
                w.writerow([";".join(s[c]) if c == "emails" else s[c] for c in cols])
        with open(os.path.join(out, "associations.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["staff_id", "party_id", "party_name", "kind", "declared_on"])
            seen = set()
            for a in self.associations:
                if (a[0], a[1], a[3]) not in seen:
                    seen.add((a[0], a[1], a[3]))
                    w.writerow(a)
        with open(os.path.join(out, "systems.csv"), "w", newline="") as f:
            f.write("system,required_vetting\n")
            for k, v in SYSTEMS.items():
                f.write(f"{k},{v}\n")
        for name, items in self.lists.items():
            with open(os.path.join(out, "lists", name + ".txt"), "w") as f:
                f.write(f"# {name} (synthetic force, seed {self.args.seed})\n")
                for v in items:
                    f.write(v + "\n")
        for name, rows in self.registers.items():
            if not rows:
                continue
            with open(os.path.join(out, "register", name + ".csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)

    # ---------------------------------------------------------------- events
    def emit(self, t, line):
        day = int((t - self.start).total_seconds() // 86400)
        if -self.warmup <= day < self.days:
            self.events.setdefault(day, []).append((t.timestamp(), line))

    @staticmethod
    def sd_escape(v):
        return str(v).replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")

    @staticmethod
    def ts(t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"

    def access(self, t, s, system, action, stype, sid, *, reason=None, ref=None, text=None,
               name=None, dob=None, terms=None, count=1, outcome="success", ip=None):
        params = [("user.id", s["id"]), ("user.account", s["id"].lower()), ("source.system", system),
                  ("client.ip", ip or s.get("ip") or "10.20.0.1"), ("action", action),
                  ("op", {"update": "alter", "export": "disclose", "print": "disclose"}.get(action, "consult")),
                  ("subject.type", stype), ("subject.id", sid)]
        if name:
            params.append(("subject.name", name))
        if dob:
            params.append(("subject.dob", dob))
        if terms:
            params.append(("query.terms", terms))
        if reason:
            params.append(("reason.code", reason))
        if text:
            params.append(("reason.text", text))
        if ref:
            params.append(("reason.ref", ref))
        params += [("result.count", count), ("outcome", outcome)]
        sd = " ".join(f'{k}="{self.sd_escape(v)}"' for k, v in params)
        host = SYSTEM_HOSTS.get(system, "audit01")
        line = (f"<134>1 {self.ts(t)} {host} {system.lower()}-audit - ACCESS "
                f"[access@32473 {sd}] {action} {stype}")
        self.emit(t, line)

    def email(self, t, frm, to, subject, direction, *, user=None, attachments=(), size=None,
              action="delivered", orig_to=None):
        tos = to if isinstance(to, list) else [to]
        mid = hashlib.sha1(f"{t.timestamp()}{frm}{tos}".encode()).hexdigest()[:20]
        if self.args.mail_format == "gateway":
            if orig_to:
                return self.postfix_forward(t, frm, tos[0], subject, orig_to, mid)
            return self.mimecast(t, frm, tos, subject, direction, attachments, size, mid)
        params = [("email.from", frm), ("email.to", ", ".join(tos)), ("email.subject", subject),
                  ("email.direction", direction), ("email.action", action),
                  ("email.message_id", f"<{mid}@{frm.split('@')[-1]}>"),
                  ("email.size", size or (4000 + 180000 * len(attachments) + (len(subject) * 37) % 9000))]
        if attachments:
            params.append(("email.attachments.names", ";".join(attachments)))
            params.append(("email.attachments.count", len(attachments)))
        if user:
            params.append(("user.id", user))
        if orig_to:
            params.append(("orig_to", orig_to))
        params.append(("gateway", "mailgw"))
        sd = " ".join(f'{k}="{self.sd_escape(v)}"' for k, v in params)
        self.emit(t, f"<22>1 {self.ts(t)} mailgw01 mailgw - EMAIL [email@32473 {sd}] message {action}")

    def mimecast(self, t, frm, tos, subject, direction, attachments, size, mid):
        """Mimecast SIEM kv lines (receipt, process, one delivery per recipient) joined by aCode."""
        digest = hashlib.sha1(f"{mid}{t.timestamp()}".encode()).digest()
        acode = base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")
        dirn = direction.capitalize()
        size = size or (4000 + 180000 * len(attachments) + (len(subject) * 37) % 9000)
        subject = subject.replace("\\", "/")
        ip = "10.1.2.3" if dirn != "Inbound" else f"198.51.100.{len(frm) % 200 + 2}"
        dom = frm.split("@")[-1]

        def line(tt, kv):
            ts = tt.strftime("%Y-%m-%dT%H:%M:%S+0000")
            self.emit(tt, f"<134>1 {self.ts(tt)} siem01 mimecast - - - datetime={ts}|aCode={acode}|acc=C0A0|{kv}")

        line(t, f"SpamLimit=0|IP={ip}|Dir={dirn}|MsgId=<{mid}@{dom}>|Subject=\\{subject}\\|headerFrom={frm}|"
                f"Sender={frm}|Rcpt={tos[0]}|SpamInfo=[]|Act=Acc|TlsVer=TLSv1.2|Cphr=TLS_AES_256_GCM_SHA384|SpamScore=0")
        att = f"|AttNames={', '.join(chr(34) + a + chr(34) for a in attachments)}" if attachments else ""
        line(t + dt.timedelta(milliseconds=400),
             f"AttSize={180000 * len(attachments)}|Act=Acc|AttCnt={len(attachments)}{att}|MsgSize={size}|MsgId=<{mid}@{dom}>")
        for i, r in enumerate(tos):
            line(t + dt.timedelta(milliseconds=900 + 50 * i),
                 f"Delivered=true|IP=203.0.113.5|Dir={dirn}|Rcpt={r}|Sender={frm}|ReceiptAck=250 2.0.0 Ok|"
                 f"Latency=900|Attempt=1|Snt={size}|UseTls=Yes|Route={dirn}")

    def postfix_forward(self, t, frm, to, subject, orig_to, mid):
        """Postfix relay lines for mail to a force alias that expands to an outside address."""
        qid = hashlib.sha1(f"{mid}{to}".encode()).hexdigest()[:11].upper()
        pid = 2000 + int(qid[:3], 16) % 5000

        def line(tt, prog, text):
            self.emit(tt, f"<22>1 {self.ts(tt)} mx-relay01 postfix/{prog} {pid} - - {qid}: {text}")

        client = "mimecast-out.example[203.0.113.40]"
        line(t, "smtpd", f"client={client}")
        line(t, "cleanup", f"warning: header Subject: {subject} from {client}; from=<{frm}> to=<{orig_to}> "
                           f"proto=ESMTP helo=<mimecast-out.example>")
        line(t, "cleanup", f"message-id=<{mid}@{frm.split('@')[-1]}>")
        line(t + dt.timedelta(milliseconds=100), "qmgr", f"from=<{frm}>, size={5000 + len(subject) * 11}, nrcpt=1 (queue active)")
        line(t + dt.timedelta(milliseconds=1300), "smtp",
             f"to=<{to}>, orig_to=<{orig_to}>, relay=mx.{to.split('@')[-1]}[192.0.2.25]:25, delay=1.2, "
             f"delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK queued)")
        line(t + dt.timedelta(milliseconds=1350), "qmgr", "removed")

    # Working intervals (hours, in the day's UTC) for a pattern on a day.
    def intervals(self, s, day_idx, date):
        wd = date.weekday()
        p = s["pattern"]
        if p == "shift":  # 10-day cycle: 2 earlies, 2 lates, 2 nights, 4 rest days
            c = (day_idx + s["shift_offset"]) % 10
            prev = (c - 1) % 10
            iv = []
            if c in (0, 1):
                iv.append((7, 15))
            elif c in (2, 3):
                iv.append((15, 23))
            if c in (4, 5):
                iv.append((22, 24))
            if prev in (4, 5):
                iv.append((0, 7))
            return iv
        if p == "early-late":
            c = (day_idx + s["shift_offset"]) % 7
            if c in (5, 6):
                return []
            return [(7, 15)] if c < 3 else [(14, 22)]
        if wd >= 5:
            if p == "office-long" and (s["shift_offset"] + day_idx // 7) % 4 == 0 and wd == 5:
                return [(9, 15)]  # weekend duty
            return []
        if p == "office-long":
            return [(8, 19)]
        return [(8, 17.5)]

    def background(self):
        """Every working day of every member of staff. The warm-up days before --start carry
        access events only: the history the baselines and first-seen rules learn from."""
        caseloads = {}
        warm = random.Random(self.args.seed * 7919 + 2)
        rng = random.Random(self.args.seed * 7919 + 1)
        for day in range(-self.warmup, self.days):
            date = (self.start + dt.timedelta(days=day)).date()
            base = self.start + dt.timedelta(days=day)
            warmup = day < 0
            r_ = warm if warmup else rng
            for s in self.staff:
                if not (s["access_enabled"] or s["mail_enabled"]):
                    continue
                ivs = self.intervals(s, day, date)
                if not ivs or (r_.random() < 0.09 and not s.get("always_works")):  # leave, sickness
                    continue
                s["ip"] = f"10.{20 + OPERATIONAL.index(s['department']) if s['department'] in OPERATIONAL else 60}.{r_.randint(0, 63)}.{r_.randint(2, 250)}"
                hours = sum(b - a for a, b in ivs)
                scale = hours / 8.0
                if r_.random() < 0.03:  # a busy day: a major incident, a court deadline
                    scale *= 1.6
                if s["access_enabled"] and s["systems"]:
                    n = int(r_.gauss(s["acc"] * scale, s["acc"] * scale * 0.25))
                    cl = caseloads.setdefault(s["id"], [])
                    for _ in range(max(0, n)):
                        t = self.when(r_, base, ivs)
                        self.background_access(r_, s, t, cl)
                    if s["department"] == "Intelligence" and r_.random() < 0.05:
                        self.research_burst(r_, s, base, ivs)
                if warmup:
                    continue
                if s["mail_enabled"]:
                    n = int(rng.gauss(s["mails"] * scale, s["mails"] * scale * 0.3))
                    for _ in range(max(0, n)):
                        t = self.when(rng, base, ivs)
                        self.background_email(rng, s, t)
            # inbound mail around the clock, mostly in the day
            for _ in range(0 if warmup else int(self.args.staff * 1.2)):
                t = base + dt.timedelta(seconds=rng.triangular(0, 86400, 13 * 3600))
                s = self.staff[rng.randrange(len(self.staff))]
                if not s["mail_enabled"]:
                    continue
                r = rng.random()
                if r < 0.45:
                    frm = f"{rng.choice(['info', 'admin', 'j.smith', 'office', 'casework'])}@{rng.choice(PARTNER_DOMAINS)}"
                    subj = rng.choice(PARTNER_SUBJECTS)
                elif r < 0.8:
                    frm = f"{rng.choice(['enquiries', 'manager', 'reception', 'accounts'])}@{rng.choice(BUSINESS_DOMAINS + OTHER_SUPPLIERS)}"
                    subj = rng.choice(BUSINESS_SUBJECTS)
                elif r < 0.93:
                    frm = f"{rng.choice(FORENAMES).lower()}{rng.randint(1, 99)}@{rng.choice(WEBMAIL_DOMAINS)}"
                    subj = rng.choice(["Report of theft", "Re: my complaint", "Photos of damage", "Witness"])
                else:
                    frm = f"newsdesk@{rng.choice(MEDIA_DOMAINS)}"
                    subj = "Media enquiry"
                att = [rng.choice(["photo1.jpg", "letter.pdf", "report.docx"])] if rng.random() < 0.3 else []
                self.email(t, frm, rng.choice(s["emails"]), self.fill(rng, subj), "inbound", attachments=att)

    def research_burst(self, rng, s, base, ivs):
        """An analyst charting a network: 25-40 different people in about an hour, under one
        operation reference and a standard reason (a near miss for the bulk rules)."""
        t = self.when(rng, base, ivs)
        ref = f"OP/{rng.randint(10, 99):05d}/{t.year % 100:02d}"
        for i in range(rng.randint(25, 40)):
            tt = t + dt.timedelta(seconds=rng.uniform(0, 3600))
            num = rng.randint(1, 1999999)
            name, dob = self.person(num)
            self.access(tt, s, rng.choice(["PND", "Niche"]), "query", "person", f"P{num:07d}", reason="INTEL",
                        ref=ref, text="Research for briefing", name=name, dob=dob,
                        terms=f"{name.split()[1].upper()}/{name.split()[0].upper()}/{dob}")

    def when(self, rng, base, ivs):
        weights = [b - a for a, b in ivs]
        a, b = rng.choices(ivs, weights)[0]
        mid = (a + b) / 2
        h = rng.triangular(a, b, mid) if rng.random() < 0.7 else rng.uniform(a, b)
        h = min(max(h, a), b - 1e-6)
        return base + dt.timedelta(seconds=h * 3600 + rng.random())

    @staticmethod
    def ref(rng, prefix, t):
        return f"{prefix}/{rng.randint(100, 99999):05d}/{t.year % 100:02d}"

    def background_access(self, rng, s, t, caseload):
        system = rng.choices(list(s["systems"]), list(s["systems"].values()))[0]
        if system in ("HRMS", "ERP"):
            code = "ADMIN"
            ref = f"{'HR' if system == 'HRMS' else 'FIN'}/{rng.randint(100, 9999):05d}/{t.year % 100:02d}"
            self.access(t, s, system, rng.choice(["view", "view", "update", "query"]), "person",
                        f"E{rng.randint(10000, 99999)}", reason=code, ref=ref,
                        text=rng.choice(REASONS["ADMIN"][1]))
            return
        # Case team members work the watch-listed cases.
        if s["id"] in self.lists["watchlist_case_team"] and rng.random() < 0.04:
            sid = rng.choice(self.watchlist)
            name, dob = self.person(int(sid[1:]))
            self.access(t, s, system, "view", "person", sid, reason="CRIME", ref=f"OP/{int(sid[1:]) % 90 + 10:05d}/26",
                        text="Operation enquiry", name=name, dob=dob)
            return
        if caseload and rng.random() < 0.55:
            code, ref, text, stype, sid, name, dob = rng.choice(caseload)
            action = rng.choice(["view", "view", "query", "update"])
        else:
            code = rng.choice(s["reasons"])
            prefix, texts = REASONS[code]
            ref = self.ref(rng, prefix, t)
            text = rng.choice(texts)
            case = s.get("case_text")
            if case and case[3] > 0 and rng.random() < 0.5:  # another person or vehicle in the same case
                code, ref, text, left = case
                s["case_text"] = (code, ref, text, left - 1)
            elif rng.random() < 0.25:  # a case-specific free-text justification, on 1-5 records
                text = f"{rng.choice(CASE_WHAT)} {self.address(rng)} {t:%d/%m} - {rng.choice(CASE_WHY)}"
                s["case_text"] = (code, ref, text, rng.randint(0, 4))
            stype = "vehicle" if system == "ANPR" else rng.choices(
                ["person", "vehicle", "address", "occurrence"], [60, 20, 10, 10])[0]
            name = dob = None
            if stype == "person":
                num = rng.randint(1, 1999999)
                sid = f"P{num:07d}"
                if sid in self.watchlist:
                    sid = f"P{num + 1:07d}"
                name, dob = self.person(num)
            elif stype == "vehicle":
                sid = (f"{rng.choice('ABCDEFGHKLMNOPRSVWY')}{rng.choice('ABCDEFGHJKLMNOPRSTUVWXY')}"
                       f"{rng.randint(10, 74)}{''.join(rng.choice('ABCDEFGHJKLMNOPRSTUVWXYZ') for _ in range(3))}")
            elif stype == "address":
                sid = self.address(rng)
            else:
                sid = ref
            caseload.append((code, ref, text, stype, sid, name, dob))
            if len(caseload) > 40:
                caseload.pop(0)
            action = "query"
        count = 1 if action != "query" else rng.choices([0, 1, 2, 3, 5, 8, 15, 40], [8, 60, 12, 8, 5, 4, 2, 1])[0]
        if s["department"] == "Intelligence" and rng.random() < 0.05:
            action, count = "export", rng.randint(5, 120)
        outcome = "no-trace" if count == 0 else "success"
        self.access(t, s, system, action, stype, sid, reason=code, ref=ref, text=text, name=name, dob=dob,
                    count=count, outcome=outcome,
                    terms=f"{name.split()[1].upper()}/{name.split()[0].upper()}/{dob}" if name and action == "query" else None)

    def fill(self, rng, subj, t=None):
        return subj.format(wk=rng.randint(1, 52), d=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}",
                           ref=f"{rng.choice(['INC', 'CR', 'INT'])}/{rng.randint(100, 99999):05d}/26",
                           t=rng.choice(TENDERS)[0])

    def background_email(self, rng, s, t):
        frm = s["emails"][0]
        dept = s["department"]
        r = rng.random()
        if dept == "Corporate Communications" and r < 0.5:
            self.email(t, frm, f"{rng.choice(['newsdesk', 'news', 'crime.desk', 'planning'])}@{rng.choice(MEDIA_DOMAINS)}",
                       self.fill(rng, rng.choice(MEDIA_SUBJECTS)), "outbound",
                       attachments=["appeal_image.jpg"] if rng.random() < 0.3 else [])
            return
        if s.get("media_contact") and r < 0.08:
            self.email(t, frm, f"{rng.choice(['news', 'editor', 'community'])}@{s['media_contact']}",
                       self.fill(rng, rng.choice(["Neighbourhood column {d}", "Re: appeal for witnesses", "Beat surgery dates"])),
                       "outbound")
            return
        if dept == "Procurement" and r < 0.35:
            dom = rng.choice([d for _, _, sup in TENDERS for d in sup] + OTHER_SUPPLIERS)
            self.email(t, frm, f"{rng.choice(['bids', 'sales', 'contracts'])}@{dom}",
                       self.fill(rng, rng.choice(SUPPLIER_SUBJECTS)), "outbound",
                       attachments=["clarification_response.pdf"] if rng.random() < 0.3 else [])
            return
        if dept == "Finance" and r < 0.2:
            self.email(t, frm, f"accounts@{rng.choice(OTHER_SUPPLIERS)}", self.fill(rng, "Invoice {ref}"), "outbound",
                       attachments=["remittance.pdf"])
            return
        if r < 0.66:
            n = rng.choices([1, 2, 3, 6], [70, 15, 10, 5])[0]
            tos = [self.staff[rng.randrange(len(self.staff))]["emails"][0] for _ in range(n)]
            att = [self.fill(rng, rng.choice(ATTACH_INTERNAL))] if rng.random() < 0.25 else []
            self.email(t, frm, tos, self.fill(rng, rng.choice(INTERNAL_SUBJECTS)), "internal", attachments=att)
        elif r < 0.86:
            att = [rng.choice(["MG5_case_file.pdf", "referral.docx", "disclosure_schedule.xlsx"])] if rng.random() < 0.35 else []
            self.email(t, frm, f"{rng.choice(['casework', 'duty', 'safeguarding', 'admin'])}@{rng.choice(PARTNER_DOMAINS)}",
                       self.fill(rng, rng.choice(PARTNER_SUBJECTS)), "outbound", attachments=att)
        elif r < 0.975:
            self.email(t, frm, f"{rng.choice(['info', 'manager', 'office'])}@{rng.choice(BUSINESS_DOMAINS)}",
                       self.fill(rng, rng.choice(BUSINESS_SUBJECTS)), "outbound")
        else:  # personal mail from work, no attachments: not an alert
            self.email(t, frm, f"{s['forenames'].lower()}{rng.randint(1, 99)}@{rng.choice(WEBMAIL_DOMAINS)}",
                       rng.choice(PERSONAL_SUBJECTS), "outbound")

    # ---------------------------------------------------------------- planted incidents
    def plant(self):
        rng = random.Random(self.args.seed * 104729 + 3)
        per_rule = max(2, round(self.args.staff * self.days / 7000))
        ops = [s for s in self.spare if s["department"] in ("Response", "CID", "Custody", "Roads Policing",
                                                            "Neighbourhood", "Intelligence")
               and s["hr_status"] == "active" and s["vetting_status"] == "granted"]
        rng.shuffle(ops)
        used = set()

        def pick(pred=lambda s: True):
            for s in ops:
                if s["id"] not in used and pred(s):
                    used.add(s["id"])
                    return s
            raise SystemExit("generate.py: force too small to plant every incident")

        def moment(s=None, hours=(9, 17)):
            day = rng.randrange(self.days)
            base = self.start + dt.timedelta(days=day)
            if s is not None:
                ivs = self.intervals(s, day, base.date())
                if ivs:
                    return self.when(rng, base, ivs)
            return base + dt.timedelta(hours=rng.uniform(*hours))

        def truth(rule, s, start, end, desc, also=(), evidence=None):
            # evidence: text the alert message carries when the source cannot name the
            # user (Postfix forwards: the sender is outside the force).
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "rule": rule, "user": s["id"],
                               "start": self.ts(start), "end": self.ts(end), "description": desc,
                               "also": list(also), **({"evidence": evidence} if evidence else {})})

        def person(num=None):
            num = num or rng.randint(1, 1999999)
            sid = f"P{num:07d}"
            return (sid,) + self.person(num)

        def sys_for(s):
            return next(iter(s["systems"]))

        SEQ = ["lookup-then-disclosure-email"]  # the single-rule email incidents follow a day's look-ups
        # Accounts with no history (disabled, or a system outside the role) are first seen too.
        FIRST = ["first-access-to-system"] if self.warmup >= LEARNING_DAYS else []
        for _ in range(per_rule):
            # 1. Justification
            s = pick()
            t = moment(s)
            sid, name, dob = person()
            self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob)
            truth("record-access-without-justification", s, t, t, "person look-up with no reason code and no reference")
            s = pick()
            t = moment(s)
            for i in range(rng.randint(1, 3)):
                sid, name, dob = person()
                tt = t + dt.timedelta(minutes=4 * i)
                self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob,
                            reason=rng.choice(s["reasons"]), text=rng.choice(["checks", "enquiries", "test", "intel", "."]),
                            ref=self.ref(rng, "INC", tt))
            truth("record-access-with-generic-justification", s, t, tt, "look-ups justified only by a generic word")
            s = pick()
            t = moment(s)
            sid, name, dob = person()
            self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason="INC",
                        text="Incident enquiry", ref=rng.choice(["INC/12", "1234", "N/A", "INC/00000/26", "XX/99999/99"]))
            truth("record-access-with-invalid-reference", s, t, t, "look-up citing a reference that cannot exist")

            # 2. Self, colleague, family, declared associate
            s = pick(lambda s: any(a[0] == s["id"] and a[3] in ("family", "other", "criminal") for a in self.associations))
            a = next(a for a in self.associations if a[0] == s["id"] and a[3] in ("family", "other", "criminal"))
            t = moment(s)
            self.access(t, s, sys_for(s), "query", "person", a[1], name=a[2], reason=rng.choice(s["reasons"]),
                        text="Incident enquiry", ref=self.ref(rng, "INC", t))
            truth("lookup-of-declared-associate", s, t, t, f"looked up declared {a[3]} associate {a[1]}")
            s = pick()
            col = self.staff[rng.randrange(len(self.staff))]
            t = moment(s)
            self.access(t, s, sys_for(s), "view", "person", col["nominal"], name=f"{col['forenames']} {col['surname']}",
                        reason=rng.choice(s["reasons"]), text="Suspect research", ref=self.ref(rng, "CR", t))
            truth("lookup-of-staff-member", s, t, t, f"looked up the record of colleague {col['id']}")
            s = pick()
            t = moment(s)
            self.access(t, s, sys_for(s), "query", "address", s["address"], reason=rng.choice(s["reasons"]),
                        text="Concern for welfare", ref=self.ref(rng, "INC", t), terms=s["address"])
            truth("lookup-of-own-address", s, t, t, "looked up their own home address")
            s = pick()
            t = moment(s)
            sid, _name, dob = person()
            self.access(t, s, sys_for(s), "query", "person", sid, name=f"{s['forenames']} {s['surname']}", dob=dob,
                        reason=rng.choice(s["reasons"]), text="Witness trace", ref=self.ref(rng, "CR", t),
                        terms=f"{s['surname'].upper()}/{s['forenames'].upper()}")
            truth("lookup-of-self", s, t, t, "looked up a person with their own name")

            # 3. Watch list, not on the case
            s = pick(lambda s: s["id"] not in self.lists["watchlist_case_team"])
            t = moment(s)
            sid = rng.choice(self.watchlist)
            name, dob = self.person(int(sid[1:]))
            self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason=rng.choice(s["reasons"]),
                        text="Incident enquiry", ref=self.ref(rng, "INC", t))
            truth("lookup-of-watch-listed-subject", s, t, t, f"looked up watch-listed {sid} without being on the case")

            # 5. Email: media without declared contact, PI, auto-forward to webmail, personal attachments
            s = pick()
            t = moment(s)
            dom = rng.choice(MEDIA_DOMAINS)
            self.email(t, s["emails"][0], f"{rng.choice(['newsdesk', 'crime.reporter', 'tips'])}@{dom}",
                       rng.choice(["Tonight", "Info you asked for", "Re: our chat", "the Hartley job"]), "outbound")
            truth("email-to-media-without-declared-contact", s, t, t, f"emailed media domain {dom}", SEQ)
            s = pick()
            t = moment(s)
            dom = rng.choice(PI_DOMAINS)
            self.email(t, s["emails"][0], f"{rng.choice(['office', 'jim', 'enquiries'])}@{dom}", "Details as discussed",
                       "outbound", attachments=["details.docx"] if rng.random() < 0.5 else [])
            truth("email-to-private-investigator", s, t, t, f"emailed private investigators at {dom}", SEQ)
            s = pick()
            t = moment(s)
            personal = f"{s['forenames'].lower()}.{s['surname'].lower().replace(chr(39), '')}{rng.randint(1, 99)}@{rng.choice(WEBMAIL_DOMAINS)}"
            for i in range(rng.randint(2, 4)):  # an inbox rule forwards incoming mail
                tt = t + dt.timedelta(minutes=37 * i)
                self.email(tt, f"casework@{rng.choice(PARTNER_DOMAINS)}", personal, self.fill(rng, rng.choice(PARTNER_SUBJECTS)),
                           "outbound", user=s["id"], orig_to=s["emails"][0])
            truth("auto-forward-to-webmail", s, t, tt, f"mailbox auto-forwards to {personal}",
                  ["protective-marking-sent-outside"], evidence=personal)
            s = pick()
            t = moment(s)
            personal = f"{s['surname'].lower().replace(chr(39), '')}{rng.randint(1, 999)}@{rng.choice(WEBMAIL_DOMAINS)}"
            self.email(t, s["emails"][0], personal, rng.choice(["stuff", "for home", "fwd", ""]), "outbound",
                       attachments=rng.choice([["custody_list.xlsx"], ["nominals.pdf", "photos.zip"], ["IMG_2231.jpg"]]))
            truth("attachment-to-personal-webmail", s, t, t, f"sent attachments to personal address {personal}", SEQ)

            # 6. Protective marking sent outside
            s = pick()
            t = moment(s)
            to = rng.choice([f"x{rng.randint(1, 99)}@{rng.choice(WEBMAIL_DOMAINS)}", f"info@{rng.choice(BUSINESS_DOMAINS)}"])
            mark = rng.choice([("OFFICIAL-SENSITIVE: briefing", []), ("Re: rota", ["PNC_printout.pdf"]),
                               ("SECRET - operation update", []), ("notes", ["intel_OFFICIAL-SENSITIVE.docx"])])
            self.email(t, s["emails"][0], to, mark[0], "outbound", attachments=mark[1])
            also = ["attachment-to-personal-webmail"] + SEQ if mark[1] and to.split("@")[1] in WEBMAIL_DOMAINS else []
            truth("protective-marking-sent-outside", s, t, t, f"marked material sent to {to}", also)

            # 7. Vetting: lapsed, above level
            s = next(x for x in self.staff if x["vetting_status"] == "lapsed" and x["id"] not in used)
            used.add(s["id"])
            t = moment(s)
            for i in range(rng.randint(1, 4)):
                tt = t + dt.timedelta(minutes=9 * i)
                sid, name, dob = person()
                self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=s["reasons"][0],
                            text="Incident enquiry", ref=self.ref(rng, REASONS[s["reasons"][0]][0], tt))
            truth("access-with-lapsed-vetting", s, t, tt, "used a system after vetting lapsed (account not disabled)", FIRST)
            s = pick(lambda s: s["vetting_level"] == "NPPV2" and "PND" not in s["systems"])
            t = moment(s)
            sid, name, dob = person()
            self.access(t, s, "PND", "query", "person", sid, name=name, dob=dob, reason=s["reasons"][0],
                        text="Incident enquiry", ref=self.ref(rng, "INC", t))
            truth("access-above-vetting-level", s, t, t, "NPPV2 user queried PND (needs NPPV3)", FIRST)

            # 8. Suspended, departed, leaving
            for status in ("suspended", "left"):
                s = next(x for x in self.staff if x["hr_status"] == status and x["id"] not in used)
                used.add(s["id"])
                t = moment(None, (6, 23))
                for i in range(rng.randint(1, 3)):
                    tt = t + dt.timedelta(minutes=6 * i)
                    sid, name, dob = person()
                    self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=s["reasons"][0],
                                text="Incident enquiry", ref=self.ref(rng, REASONS[s["reasons"][0]][0], tt),
                                ip=f"10.99.{rng.randint(0, 9)}.{rng.randint(2, 250)}")
                truth("access-by-suspended-or-departed-staff", s, t, tt, f"{status} member of staff used {sys_for(s)}", FIRST)
            s = next(x for x in self.staff if x["hr_status"] == "leaving" and x["id"] not in used
                     and x["department"] != "Intelligence")
            used.add(s["id"])
            t = moment(s)
            self.access(t, s, sys_for(s), "export", "occurrence", self.ref(rng, "CR", t), reason=s["reasons"][0],
                        text="Case file preparation", ref=self.ref(rng, REASONS[s["reasons"][0]][0], t), count=rng.randint(20, 180))
            truth("export-by-leaver", s, t, t, f"leaving on {s['leaving_date']}: exported records in notice period")

            # 9. Out of hours for an office-hours group
            cand = [x for x in self.staff if x["department"] in ("HR", "Training") and x["id"] not in used
                    and x["hr_status"] == "active" and x["vetting_status"] == "granted"]
            s = cand[rng.randrange(len(cand))]
            used.add(s["id"])
            day = rng.randrange(self.days)
            t = self.start + dt.timedelta(days=day, hours=rng.choice([1, 2, 3, 22, 23]), minutes=rng.randint(0, 50))
            system = "PNC"
            sid, name, dob = person()
            self.access(t, s, system, "query", "person", sid, name=name, dob=dob, reason="ADMIN",
                        text="Record maintenance", ref=f"HR/{rng.randint(100, 9999):05d}/26")
            truth("out-of-hours-access-office-role", s, t, t, f"{s['role']} used {system} at {t:%H:%M}", FIRST)

            # 10. Bulk look-up
            s = pick()
            t = moment(s)
            self.access(t, s, sys_for(s), "query", "person", "*", reason=s["reasons"][0], text="Research",
                        ref=self.ref(rng, REASONS[s["reasons"][0]][0], t),
                        terms=rng.choice(["SURNAME=SMITH* DOB=19*", "POSTCODE=EX1*", "NAME=*"]), count=rng.randint(400, 5000))
            truth("bulk-record-query", s, t, t, "wildcard query returning hundreds of records")

        # ------------------------------------------------------------ correlations
        def work_days(s, first=0, last=None):
            last = self.days - 1 if last is None else last
            return [d for d in range(first, last + 1) if self.intervals(s, d, (self.start + dt.timedelta(days=d)).date())]

        def working_day(s, first=0, last=None, hours=None):
            """A day the user works (index, base, intervals), in [first, last]."""
            last = self.days - 1 if last is None else last
            days = work_days(s, first, last)
            if not days:
                raise SystemExit(f"generate.py: {s['id']} works no day in the period; use more --days")
            d = rng.choice(days)
            base = self.start + dt.timedelta(days=d)
            return d, base, self.intervals(s, d, base.date())

        def lookups(s, t0, seconds, n, system=None, text=None, reason=None, ref=None):
            last = t0
            for i in range(n):
                tt = t0 + dt.timedelta(seconds=rng.uniform(0, seconds))
                last = max(last, tt)
                sid, name, dob = person()
                code = reason or rng.choice(s["reasons"])
                self.access(tt, s, system or rng.choice(list(s["systems"])), "query", "person", sid, name=name, dob=dob,
                            reason=code, text=text or rng.choice(REASONS[code][1]),
                            ref=ref or self.ref(rng, REASONS[code][0], tt))
            return last

        for _ in range(per_rule if self.days >= 2 else 0):
            # 4. Look-up, then email to media / PI / personal webmail within 24 h
            s = pick(lambda s: work_days(s, 0, self.days - 2))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            sid, name, dob = person()
            self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=s["reasons"][0],
                        text="Suspect research", ref=self.ref(rng, REASONS[s["reasons"][0]][0], t))
            t2 = t + dt.timedelta(hours=rng.uniform(1, 22))
            kind = rng.choice(["media", "pi", "webmail"])
            if kind == "media":
                dom = rng.choice(MEDIA_DOMAINS)
                self.email(t2, s["emails"][0], f"{rng.choice(['crime.desk', 'tips', 'j.hunter'])}@{dom}",
                           rng.choice(["that name", "Re: what we discussed", "him"]), "outbound")
                also = ["email-to-media-without-declared-contact"]
            elif kind == "pi":
                dom = rng.choice(PI_DOMAINS)
                self.email(t2, s["emails"][0], f"{rng.choice(['office', 'dave'])}@{dom}", "Address you wanted", "outbound")
                also = ["email-to-private-investigator"]
            else:
                dom = rng.choice(WEBMAIL_DOMAINS)
                self.email(t2, s["emails"][0], f"{s['surname'].lower().replace(chr(39), '')}{rng.randint(1, 99)}@{dom}",
                           "fyi", "outbound", attachments=[rng.choice(["screenshot.png", "record.pdf", "IMG_0412.jpg"])])
                also = ["attachment-to-personal-webmail"]
            truth("lookup-then-disclosure-email", s, t, t2, f"looked up {sid}, then emailed {kind} domain {dom}", also)

            # 1. Templated justification: one text pasted on many look-ups of different people
            s = pick(lambda s: work_days(s, 0, self.days - 2))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            text = rng.choice(["Enquiries in relation to ongoing investigation", "Research as per request from supervisor",
                               "Checks on persons of interest re ongoing matter", "Intelligence research as requested by DS"])
            end = lookups(s, t, rng.uniform(2, 6) * 3600, rng.randint(12, 25), text=text)
            truth("templated-justification", s, t, end, f"pasted \"{text}\" on many look-ups")

            # 10. Bulk look-ups one at a time: 70-120 different people within an hour
            s = pick(lambda s: work_days(s, 0, self.days - 2))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            end = lookups(s, t, rng.uniform(40, 55) * 60, rng.randint(95, 140), system=sys_for(s))
            truth("many-people-looked-up-in-an-hour", s, t, end + dt.timedelta(hours=1),
                  "looked up 95+ different people within an hour (and the hour after, the window's tail)",
                  ["lookup-volume-above-own-baseline", "accumulated-risk"])

            if self.warmup < LEARNING_DAYS:
                continue  # the baselines and first-seen rules need their learning period

            # 10. Daily volume far above the user's own baseline, spread over the working day
            s = pick(lambda s: work_days(s, min(2, self.days - 2), self.days - 2) and s["pattern"] in ("office", "office-long"))
            day, base, ivs = working_day(s, min(2, self.days - 2), self.days - 2)
            a, b = ivs[0]
            t = base + dt.timedelta(hours=a)
            end = lookups(s, t, (b - a) * 3600 * 0.95, rng.randint(300, 420))
            truth("lookup-volume-above-own-baseline", s, t, end + dt.timedelta(hours=1),
                  "a day's look-ups several times the user's usual", ["many-people-looked-up-in-an-hour", "accumulated-risk"])

            # 10. First access to a system the user has never used (within their vetting level)
            def new_systems(s):
                return [x for x in ("HRMS", "ICAD", "ANPR", "PND") if x not in s["systems"]
                        and VETTING_ORDER[SYSTEMS[x]] <= VETTING_ORDER[s["vetting_level"]]]
            s = pick(lambda s: work_days(s, 0, self.days - 2) and new_systems(s))
            system = rng.choice(new_systems(s))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            end = lookups(s, t, 600, rng.randint(1, 4), system=system)
            truth("first-access-to-system", s, t, end, f"{s['role']} used {system} for the first time")

            # 9. Night-time look-ups by a day worker (not an office-hours team)
            s = pick(lambda s: s["pattern"] in ("office", "office-long", "early-late"))
            day = rng.randrange(1, self.days)
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(0.5, 4.5))
            end = lookups(s, t, 1200, rng.randint(1, 4))
            truth("first-night-lookup", s, t, end, f"{s['role']} (works days) looked records up at {t:%H:%M}")

        # 8. Notice-period volume spike (leavers, analysts included)
        leavers = [x for x in self.staff if x["hr_status"] == "leaving" and x["id"] not in used and x["access_enabled"]]
        leavers.sort(key=lambda x: (x["department"] != "Intelligence", x["id"]))
        for s in (leavers[: per_rule] if self.warmup >= 5 and self.days >= 2 else []):
            used.add(s["id"])
            days = [d for d in range(1, self.days)
                    if any(b - a >= 6 for a, b in self.intervals(s, d, (self.start + dt.timedelta(days=d)).date()))]
            if not days:
                continue
            day = rng.choice(days)
            base = self.start + dt.timedelta(days=day)
            a, b = max(self.intervals(s, day, base.date()), key=lambda iv: iv[1] - iv[0])
            t = base + dt.timedelta(hours=a)
            n = int(max(200, 4 * s["acc"] * (b - a) / 8.0))
            end = lookups(s, t, (b - a) * 3600 * 0.95, n)
            truth("leaver-lookup-volume-spike", s, t, end + dt.timedelta(hours=1),
                  f"leaving {s['leaving_date']}: {n} extra look-ups in a day",
                  ["lookup-volume-above-own-baseline", "many-people-looked-up-in-an-hour", "accumulated-risk"])

        # 13. Risk accumulation: low signals over four days, none alarming alone
        for _ in range(per_rule if self.days >= 4 else 0):
            s = pick(lambda s: s["pattern"] in ("office", "office-long"))
            d0 = rng.randrange(0, self.days - 3)
            signals = []
            for k, kind in enumerate(["none", "generic", "invalid", "webmail", "none", "generic", "invalid"]):
                d = d0 + [0, 1, 1, 2, 3, 3, 3][k]
                t = self.start + dt.timedelta(days=d, hours=9 + k * 0.9, minutes=rng.randint(0, 40))
                sid, name, dob = person()
                if kind == "none":
                    self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob)
                    signals.append("record-access-without-justification")
                elif kind == "generic":
                    self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=s["reasons"][0],
                                text=rng.choice(["checks", "enquiries", "."]), ref=self.ref(rng, "INC", t))
                    signals.append("record-access-with-generic-justification")
                elif kind == "invalid":
                    self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason="INC",
                                text="Incident enquiry", ref=rng.choice(["INC/12", "1234", "INC/00000/26"]))
                    signals.append("record-access-with-invalid-reference")
                else:
                    self.email(t, s["emails"][0], f"{s['surname'].lower().replace(chr(39), '')}{rng.randint(1, 99)}@gmail.com",
                               "bits", "outbound", attachments=["notes.docx"])
                    signals += ["attachment-to-personal-webmail"] + SEQ
                if k == 0:
                    t0 = t
            truth("accumulated-risk", s, t0, t, "seven low-level signals over four days", sorted(set(signals)))

        # 11. Secondary employment (one incident per firm holder, up to per_rule)
        for s, firm, clients in self.secondary[:per_rule]:
            t = moment(s)
            self.email(t, s["emails"][0], f"ops@{firm}", rng.choice(["Shifts this weekend", "Re: client list", "Job sheet"]),
                       "outbound", attachments=["rota.xlsx"] if rng.random() < 0.5 else [])
            truth("email-to-own-secondary-employment", s, t, t, f"emailed own business {firm} from work")
            t = moment(s)
            c = clients[0]
            self.access(t, s, sys_for(s), "query", "person", c, name=self.person(int(c[1:]))[0],
                        reason=s["reasons"][0], text="Incident enquiry", ref=self.ref(rng, REASONS[s["reasons"][0]][0], t))
            truth("lookup-of-secondary-employment-client", s, t, t, f"looked up {c}, a client of {firm}")

        # 12. Procurement
        for tid, sidd in self.panel[:per_rule]:
            s = self.by_id[sidd]
            sup = next(sup for x, _, sup in TENDERS if x == tid)
            t = moment(s)
            self.email(t, s["emails"][0], f"{rng.choice(['sales', 'mark', 'bids'])}@{rng.choice(sup)}",
                       rng.choice(["Re: the tender", "Coffee?", "Our conversation"]), "outbound")
            truth("tender-panel-emails-bidder", s, t, t, f"{tid} panel member emailed a bidder")
        for _ in range(per_rule):
            s = pick()
            t = moment(s)
            sup = rng.choice([d for _, _, x in TENDERS for d in x])
            self.email(t, s["emails"][0], f"events@{sup}", rng.choice(["Re: Box at the races", "Thanks for dinner",
                                                                       "Re: hospitality invitation", "Tickets for Saturday"]),
                       "outbound")
            truth("hospitality-with-bidder", s, t, t, f"hospitality discussed with bidder {sup}")

        # 7b. Vetting that expires during the period: every access after expiry.
        if self.days < 2:
            return
        exp = (self.start + dt.timedelta(days=max(1, self.days // 2))).date()
        last = self.days - 1
        s = pick(lambda s: s["department"] in ("Response", "Custody", "Neighbourhood")
                 and self.intervals(s, last, (self.start + dt.timedelta(days=last)).date()))
        s["always_works"] = True
        s["vetting_expires"] = exp.isoformat()
        truth("access-with-lapsed-vetting", s, dt.datetime.combine(exp, dt.time(0, 0, 0, 1000), dt.timezone.utc), self.end,
              f"vetting expired {exp} (not renewed) and the user kept working")

    # ---------------------------------------------------------------- main
    def write_events(self, out):
        path = os.path.join(out, "events.log")
        with open(path, "w") as f:
            for day in range(-self.warmup, self.days):
                evs = self.events.pop(day, [])
                evs.sort(key=lambda e: e[0])
                if day < 0:
                    self.n_warmup += len(evs)
                else:
                    self.n_events += len(evs)
                f.write("\n".join(e[1] for e in evs))
                if evs:
                    f.write("\n")
        with open(os.path.join(out, "ground_truth.jsonl"), "w") as f:
            for t in self.truth:
                f.write(json.dumps(t) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--staff", type=int, default=5000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--start", default="2026-03-02", help="first day (UTC), YYYY-MM-DD")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup-days", type=int, default=0,
                    help="access-only history before --start, for the baselines and first-seen rules "
                         f"({LEARNING_DAYS} or more plants their incidents too)")
    ap.add_argument("--mail-format", choices=["gateway", "sd"], default="gateway",
                    help="gateway: Mimecast SIEM kv lines, and Postfix relay lines for alias "
                         "forwarding (default); sd: the canonical email@32473 element")
    args = ap.parse_args()
    if args.staff < 200:
        ap.error("--staff must be at least 200 (every incident needs its own user)")
    f = Force(args)
    f.make_staff()
    f.make_associations()
    f.make_lists()
    f.plant()
    f.background()
    os.makedirs(args.out, exist_ok=True)
    f.write_reference(args.out)
    f.write_events(args.out)
    summary = {"staff": len(f.staff), "days": args.days, "seed": args.seed, "events": f.n_events,  # syslog lines
               "warmup_days": args.warmup_days, "warmup_events": f.n_warmup,
               "incidents": len(f.truth), "start": args.start}
    with open(os.path.join(args.out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
