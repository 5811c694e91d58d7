#!/usr/bin/python3
"""Synthetic police force for Probity: reference data, a stream of access-audit and
email-gateway events over N days, planted integrity incidents, and their ground truth.

Deterministic: the same arguments (and --seed) give byte-identical files. Standard
library only, so it runs with Debian's /usr/bin/python3 and no PyPI.

    /usr/bin/python3 deploy/demo/generate.py --out /tmp/force --staff 5000 --days 7
    /usr/bin/python3 deploy/demo/generate.py --out /tmp/force-b --profile B --staff 1000

Profiles (--profile) are two forces written apart, so that a rule pack tuned on one
meets the other's wording, reference formats, systems and habits:
  A  "Exton and Wyford Police" (the default): PNC, PND, Niche, ICAD, ANPR, HRMS, ERP;
     references like INC/01234/26 on every system.
  B  "Northmoor Constabulary": PNC, PND, NicheRMS, STORM, BOF, HOLMES2, SourceHub,
     NFLMS, iTrent, Unit4; Niche occurrences NI-26-0012345, crimes CRM/2026/004512,
     STORM logs "CAD 1234 02/03/26", each system with its own accepted formats;
     12-hour 4-on-4-off shifts, specials, a vetting unit and firearms licensing.
Each profile's background is drawn from a catalogue of benign work a real force does
(letters to victims at webmail, recruitment mail, network charts, early warrant starts,
wildcard research, tender correspondence, terse reasons, control-room bursts...), with
volumes drawn from distributions; tests/pack/README.md lists the catalogue.

Writes into --out:
  staff.csv, associations.csv, systems.csv   `probity state import staff|associations|systems`
  lists/NAME.txt                              `probity state import list FILE --list NAME`
  site.yaml                                   the force's own facts: reference formats per
                                              system (RE2), secure partner domains (an entry
                                              covers its subdomains), office-hours peer groups
  events.log                                  RFC 5424 syslog, one message a line, in time
                                              order (`probity replay events.log`)
  ground_truth.jsonl                          one planted incident a line: incident, kind,
                                              rule, rules (any of them finds it), user,
                                              start, end, description, also[, evidence]
  register/*.csv                              business interests, gifts and hospitality,
                                              tenders, high-profile people (high_profile),
                                              B: subject addresses (subject_addresses)
  summary.json                                counts

Wire formats: access audit is RFC 5424 with the canonical structured data element
access@32473 (config/SOURCES.md); email is what the gateways write (config/GATEWAYS.md):
Mimecast SIEM kv lines (receipt, process, delivery, joined by aCode) for every message,
and Postfix relay lines (joined by queue id, with orig_to) for mail to a force alias
that forwards outside. --mail-format sd writes the canonical email@32473 element instead.
"""

import argparse
import base64
import collections
import csv
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import random
import sys

# Lists written to site.yaml (the force's set-up facts) rather than lists/ (state).
SITE_LISTS = ("secure_partner_domains", "office_hours_peer_groups", "standard_reason_texts",
              "watchlist_operation_refs", "training_accounts", "training_records")
import zlib
from types import SimpleNamespace as NS

# ==================================================================== shared pools

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

# Force B's people: a northern force with its own mix (more Polish, Romanian, Pakistani
# and Irish names), drawn in a different order.
B_EXTRA_FORENAMES = """Bartosz Kacper Mateusz Jakub Wojciech Andrei Ionut Florin Bilal Usman Zain
Hamza Faisal Tariq Shabana Nadia Samina Rukhsana Iqra Maria Ioana Elena Magdalena Zofia Declan
Ciaran Padraig Brendan Roisin Orla Dylan Rhys Gethin Kyle Jordan Brandon Leanne Kirsty Jade
Shannon Paige Courtney Keeley Denise Elaine Pauline Carol Brian Keith Malcolm Trevor Barry
Graham Derek""".split()
B_EXTRA_SURNAMES = """Wisniewski Wojcik Kaminski Lewandowski Zielinski Popescu Ionescu Dumitru
Iqbal Mahmood Rashid Hussein Aziz Chaudhry Raza Bashir Sharif O'Donnell Gallacher McGuinness
Doherty Flanagan Maguire Rafferty Heseltine Ackroyd Sutcliffe Haigh Crowther Illingworth
Priestley Holroyd Thwaite Oldroyd Pickles Dobson Metcalfe Kettlewell Ramsden Hirst Lumb
Brearley Greenhalgh Entwistle Ormerod Whittaker Pilling Duckworth""".split()

TENDER_WORDS = ["hospitality", "dinner", "lunch", "drinks", "tickets"]  # (documentation only)


def slug(s):
    return s.lower().replace(" & ", "-").replace(" ", "-")


def nz(n):
    """RE2 for exactly n digits, not all zero (RE2 has no look-ahead)."""
    alts = []
    for i in range(n):
        rest = n - 1 - i
        alts.append("0" * i + "[1-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(?:" + "|".join(alts) + ")"


def nz_upto(n):
    """RE2 for 1..n digits whose value is not zero."""
    return "(?:" + "|".join(nz(k) for k in range(1, n + 1)) + ")"


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def n_staff_psd(staff):
    return max(4, staff // 150)


def stable_hash(*parts):
    return zlib.crc32(":".join(str(p) for p in parts).encode())


# ==================================================================== profile A
# The force the pack was written against (kept as it was where it is realistic), with
# the benign catalogue added.

def profile_a():
    p = NS(key="A", name="Exton and Wyford Police", force_domain="force.police.uk")
    p.forenames, p.surnames = FORENAMES, SURNAMES
    p.person_mult, p.person_add = 2654435761, 97
    p.streets = """Mill Lane|High Street|Church Road|Station Road|Victoria Road|Green Lane|Manor Road|
Park Road|Queens Road|Grange Road|Kings Road|New Road|School Lane|Albert Road|The Avenue|
Chester Road|London Road|North Street|Springfield Road|Elm Row|Quay Street|Rose Close|
Park View|Orchard Way|Windsor Road|Highfield Road|York Road|Stanley Road|Mount Pleasant|
Richmond Road|Broadway|Alexandra Road|Chapel Street|Main Street|Market Street|Bridge Street|
Brook Lane|Hillside|Meadow Way|Beech Grove|Oak Avenue|Ash Close|Willow Drive|Cedar Court|
Fern Bank|Heath Road|Moor Lane|Castle Street|Abbey Road|Priory Close""".replace("\n", "").split("|")
    p.towns = "Exton Wyford Hallam Brackley Marston Kingsbridge Felsham Upton Norbury Ashcombe Thornby Redhill".split()
    p.media = ["extoneveningecho.co.uk", "dailyclarion.co.uk", "nationalherald.co.uk",
               "thesundaypost.example", "wyfordgazette.co.uk", "bbc.co.uk", "itv.com",
               "sky.uk", "pressassociation.example", "tabloiddaily.example",
               "newsnowagency.example", "hallamtoday.co.uk"]
    p.local_media = ["wyfordgazette.co.uk", "hallamtoday.co.uk", "extoneveningecho.co.uk"]
    p.pi = ["discreetinquiries.co.uk", "sentinel-investigations.example", "tracerpoint.co.uk",
            "blackmoor-intel.example", "verity-pi.example", "findersagency.co.uk",
            "privateeye-services.example", "covenant-investigations.co.uk"]
    p.webmail = ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
                 "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com",
                 "proton.me", "protonmail.com", "aol.com", "gmx.com", "mail.com", "btinternet.com"]
    p.webmail_weights = [22, 2, 14, 9, 8, 4, 5, 6, 6, 1, 1, 1, 2, 1, 1, 7]
    p.partners = ["cps.gov.uk", "nhs.net", "met.police.uk", "wyford.gov.uk", "exton.gov.uk",
                  "probation.gov.uk", "justice.gov.uk", "homeoffice.gov.uk", "nca.gov.uk",
                  "hallam.police.uk", "college.police.uk", "dvla.gov.uk"]
    # Secure partners as the force's information-sharing agreements name them: an entry
    # covers its subdomains (childrens.wyford.gov.uk), schools on the councils' own
    # secure domains receive Operation Encompass notifications.
    p.secure_partners = sorted(set(p.partners + ["police.uk", "wyford.sch.uk", "exton.sch.uk"]))
    # Where the benign OFFICIAL-SENSITIVE mail goes (all covered by secure_partners).
    p.partner_marked_domains = p.partners + ["childrens.wyford.gov.uk", "mash.exton.gov.uk",
                                             "west-mercia.police.uk", "northmoor.police.uk"]
    p.schools = ["st-marys-primary.wyford.sch.uk", "exton-academy.exton.sch.uk", "brackley-juniors.wyford.sch.uk",
                 "upton-high.exton.sch.uk", "hallam-road-infants.wyford.sch.uk", "redhill-primary.exton.sch.uk"]
    p.business = ["exton-garages.co.uk", "wyford-taxis.example", "brightschools.org.uk",
                  "hallam-uni.ac.uk", "exton-hospital.nhs.uk", "citycentre-bid.example",
                  "marstonfc.co.uk", "shopwatch-exton.example", "canalside-hotel.co.uk",
                  "fleetcare.example", "legal-aid-partners.co.uk", "victimsupport.example"]
    p.security_firms = ["shieldguard-security.example", "nightwatch-door.example",
                        "apex-close-protection.example", "redline-investigations.example",
                        "keystone-vetting.example", "harbour-security.co.uk"]
    p.tenders = [  # (id, title, supplier domains)
        ("T-2026-004", "Body-worn video replacement", ["optivision-systems.example", "capturecam.example", "lensguard.co.uk"]),
        ("T-2026-007", "Fleet maintenance 2026-2030", ["fleetserve.example", "autocare-fleet.co.uk"]),
        ("T-2026-011", "Custody healthcare", ["medicustody.example", "careline-health.co.uk", "securemed.example"]),
    ]
    p.other_suppliers = ["stationeryplus.example", "cleanco-services.example", "uniformdirect.co.uk",
                         "itsupport-partners.example", "catering-collective.example"]
    p.systems = {"PNC": "NPPV2", "PND": "NPPV3", "Niche": "NPPV2", "ICAD": "NPPV2", "ANPR": "NPPV3",
                 "CHIS-REG": "SC", "HRMS": "NPPV1", "ERP": "NPPV1"}
    p.hosts = {"PNC": "pnc-gw01", "PND": "pnd-gw01", "Niche": "niche-app02", "ICAD": "icad-srv01",
               "ANPR": "anpr-bof01", "CHIS-REG": "chis-app01", "HRMS": "hrms-app01", "ERP": "erp-app01"}
    p.admin_systems = {"HRMS": "employee", "ERP": "supplier"}
    p.cad_system, p.anpr_system, p.records_system = "ICAD", "ANPR", "Niche"
    p.first_access_systems = ["HRMS", "ICAD", "ANPR", "PND"]
    p.above_vetting_system = "PND"

    yy = "{yy}"
    p.ref_kinds = {k: ("slash5", k) for k in ["INC", "CR", "CUST", "INT", "WAR", "OP", "HR", "FIN", "CO"]}
    p.ref_regex = {}
    alt = "|".join(p.ref_kinds)
    # One format on every system; typed forms (lower case, no zero padding) are valid.
    p.site_formats = {"*": [f"(?i)^(?:{alt})/{nz_upto(5)}/[0-9]{{2}}$"]}
    p.system_ref_kinds = {}
    p.reasons = {
        "INC": (["INC"], ["Attending incident", "Incident enquiry", "Call for service", "Domestic incident",
                          "Suspicious vehicle report", "Concern for welfare"]),
        "CRIME": (["CR"], ["Crime investigation", "Suspect research", "Victim contact",
                           "Witness trace", "Case file preparation"]),
        "CUST": (["CUST"], ["Detained person check", "Custody record", "Bail check"]),
        "INTEL": (["INT"], ["Intelligence development", "Research for briefing", "Tasking request"]),
        "WARRANT": (["WAR"], ["Warrant execution", "Outstanding warrant", "Pre-warrant checks"]),
        "ROADS": (["INC"], ["Vehicle stop", "Collision report", "ANPR hit follow-up"]),
        "ADMIN": (["HR"], ["Case administration", "Record maintenance"]),
        "FINANCE": (["FIN"], ["Case administration", "Record maintenance"]),
        "PSD": (["CO"], ["Conduct investigation", "Complaint enquiry", "Misconduct case research"]),
    }
    p.code = {"incident": "INC", "crime": "CRIME", "intel": "INTEL", "warrant": "WARRANT", "roads": "ROADS",
              "admin": "ADMIN", "custody": "CUST"}
    p.words = {"incident_enquiry": "Incident enquiry", "suspect_research": "Suspect research",
               "witness_trace": "Witness trace", "concern_welfare": "Concern for welfare",
               "case_file": "Case file preparation", "research": "Research",
               "record_maintenance": "Record maintenance", "op_enquiry": "Operation enquiry",
               "vehicle_stop": "Vehicle stop", "driver": "Vehicle stop - driver details",
               "major_incident": ["Major incident - multiple callers", "Disorder in town centre",
                                  "Missing child search", "Flooding - welfare checks"]}
    # Two ways of naming a force's operations.
    p.ops = [f"OP/{n:05d}/26" for n in (14, 22, 37, 41, 58, 63, 77, 85)]
    p.op_names = ["KESTREL", "FALCON", "HERON", "OSPREY", "MERLIN", "KITE", "HARRIER", "BUZZARD"]

    p.departments = [
        # name, fn, share, pattern, roles [(title, id prefix, share[, acc, mails])], vetting,
        # systems {name: weight}, reason codes, access/day, emails/day
        ("Response", "response", 0.30, "shift", [("Constable", "PC", 0.8), ("Sergeant", "PS", 0.2)], "NPPV3",
         {"PNC": 40, "Niche": 35, "ICAD": 15, "PND": 10}, ["INC", "CRIME", "WARRANT"], 55, 6),
        ("Neighbourhood", "neighbourhood", 0.11, "early-late", [("Constable", "PC", 0.6), ("PCSO", "CS", 0.4)], "NPPV2",
         {"Niche": 55, "PNC": 35, "ICAD": 10}, ["INC", "CRIME"], 28, 12),
        ("CID", "cid", 0.11, "office-long", [("Detective Constable", "DC", 0.75), ("Detective Sergeant", "DS", 0.25)],
         "NPPV3", {"Niche": 45, "PNC": 25, "PND": 25, "ANPR": 5}, ["CRIME", "INTEL"], 60, 22),
        ("Custody", "custody", 0.05, "shift", [("Custody Sergeant", "PS", 0.4), ("Detention Officer", "DO", 0.6)],
         "NPPV2", {"Niche": 60, "PNC": 40}, ["CUST"], 45, 5),
        ("Contact Centre", "control", 0.12, "shift", [("Call Handler", "CH", 0.7), ("Dispatcher", "DP", 0.3)],
         "NPPV2", {"ICAD": 70, "Niche": 20, "PNC": 10}, ["INC"], 60, 4),
        ("Intelligence", "intel", 0.06, "office", [("Intelligence Analyst", "IA", 0.5), ("Researcher", "IR", 0.35),
                                                   ("Source Handler", "SH", 0.15)],
         "SC", {"Niche": 35, "PND": 35, "PNC": 20, "CHIS-REG": 10}, ["INTEL"], 75, 20),
        ("Roads Policing", "roads", 0.05, "shift", [("Constable", "PC", 0.85), ("Sergeant", "PS", 0.15)], "NPPV3",
         {"ANPR": 45, "PNC": 45, "Niche": 10}, ["ROADS", "INC"], 50, 5),
        ("Major Crime", "major", 0.03, "office-long", [("Detective Constable", "DC", 0.6), ("Detective Sergeant", "DS", 0.3),
                                                       ("Detective Inspector", "DI", 0.1)],
         "NPPV3", {"Niche": 45, "PND": 30, "PNC": 20, "ANPR": 5}, ["CRIME", "INTEL"], 55, 28),
        ("Professional Standards", "psd", 0.01, "office", [("Investigator", "PSI", 1.0)], "SC",
         {"Niche": 50, "PNC": 30, "PND": 20}, ["PSD", "CRIME"], 20, 25),
        ("HR", "hr", 0.03, "office", [("HR Advisor", "HR", 1.0)], "NPPV2", {"HRMS": 100}, ["ADMIN"], 18, 30),
        ("Finance", "finance", 0.02, "office", [("Finance Officer", "FO", 1.0)], "NPPV1", {"ERP": 100}, ["FINANCE"], 15, 25),
        ("Procurement", "procurement", 0.01, "office", [("Procurement Officer", "PR", 1.0)], "NPPV1", {"ERP": 100},
         ["FINANCE"], 10, 35),
        ("Training", "training", 0.02, "office", [("Trainer", "TR", 1.0)], "NPPV2", {"HRMS": 100}, ["ADMIN"], 4, 15),
        ("Corporate Communications", "press", 0.01, "office", [("Press Officer", "CC", 1.0)], "NPPV2", {"Niche": 100},
         ["CRIME"], 6, 30),
    ]
    p.office_fns = ["hr", "finance", "procurement", "training", "press"]
    p.operational_fns = ["response", "neighbourhood", "cid", "custody", "control", "intel", "roads", "major"]
    p.day_worker_fns = ["neighbourhood", "cid", "major", "intel"]
    p.warrant_fns = ["cid", "major", "neighbourhood"]
    p.case_team_fns = ["major"]
    p.office_hours = {"office": (8, 17.5), "office-long": (8, 19)}
    p.flexi = [(7, 15.5), (7.5, 16), (9.5, 18), (10, 18.5)]
    p.status_per = 250  # one suspended (and one left, two leaving, two lapsed) per this many staff
    # HR absences as this force's HR system exports them: its words, ISO dates.
    p.absence_words = {"sick": "sick", "maternity": "maternity", "career_break": "career_break",
                       "phased_return": "phased_return"}
    p.absence_date = lambda d: d.isoformat()
    # The training suite's logins (shared by each course) and its dummy nominals' ids.
    p.training_accounts = [f"TRAIN{n:02d}" for n in range(1, 9)]
    p.training_record = lambda n: f"P99{n:05d}"
    p.training_reason = ("TRAINING", "Training course - practical exercise")

    p.subjects = {
        "internal": ["Rota change {wk}", "Briefing notes {d}", "Re: case file {ref}", "Overtime claim",
                     "Training course booking", "Team meeting", "Re: statement MG11", "Handover {d}",
                     "OFFICIAL-SENSITIVE: intelligence update {ref}", "Leave request", "Re: Re: rota",
                     "OFFICIAL: tasking {ref}", "Vehicle defect", "Custody bail dates",
                     "OFFICIAL-SENSITIVE: risk assessment {ref}", "Lunch?", "Course feedback"],
        "partner": ["OFFICIAL-SENSITIVE: file submission {ref}", "Case {ref} disclosure schedule",
                    "Safeguarding referral {ref}", "MARAC agenda {d}", "Re: court listing {d}",
                    "OFFICIAL: information sharing request", "Mutual aid {d}", "Re: strategy meeting",
                    "OFFICIAL-SENSITIVE - MARAC referral {ref}", "OFFICIAL-SENSITIVE: strategy discussion {ref}"],
        "business": ["Meeting request", "Re: event policing plan", "CCTV request {ref}",
                     "Invoice query", "Re: community meeting", "Licensing visit {d}", "Thank you"],
        "personal": ["Saturday", "Re: holiday", "Tickets", "Dinner tonight?", "Photos", "Re: kids pickup"],
        "media": ["Press release: {d} appeal", "Re: media enquiry {ref}", "Statement for publication",
                  "Appeal for witnesses", "Re: interview request"],
        "media_contact": ["Neighbourhood column {d}", "Re: appeal for witnesses", "Beat surgery dates"],
        "supplier": ["Re: clarification question {t}", "Order confirmation", "Invoice {ref}",
                     "Re: delivery schedule", "Contract review meeting"],
        "inbound_public": ["Report of theft", "Re: my complaint", "Photos of damage", "Witness"],
        "victim": ["Your crime reference {ref}", "Letter regarding your report {ref}", "Victim letter - {ref}",
                   "Witness statement - {name}", "Crime prevention advice", "Re: your statement",
                   "Update on your case {ref}", "{name} - property return"],
        "recruit": ["Application {n} - interview invitation", "Police Constable recruitment - assessment centre",
                    "Conditional offer of employment", "Pre-employment checks", "Your application for {job}",
                    "Re: start date"],
        "recruit_vetting": [],
        "tender": ["Invitation to Tender {t} - {title}", "{t} ITT clarification {n}", "ITT clarification responses {t}",
                   "Tender submission acknowledgement {t}", "Re: {t} clarification question {n}"],
        "tender_panel": ["Re: {t} clarification meeting", "Re: {t} supplier presentation arrangements"],
        "social": ["rota", "Leaving do - names", "photos from Friday", "Xmas do list", "Re: 5-a-side",
                   "swap shifts?", "fwd"],
        "leaver": ["my training record", "pension forms", "references", "CV", "certificates"],
        "encompass": ["OFFICIAL-SENSITIVE: Operation Encompass notification {ref}",
                      "OFFICIAL-SENSITIVE: Op Encompass - {d}"],
    }
    p.attachments = {
        "internal": ["briefing.docx", "rota_wk{wk}.xlsx", "MG11_statement.pdf", "handover.docx",
                     "tasking.pdf", "risk_assessment.docx", "photos.zip", "minutes.docx"],
        "partner": ["MG5_case_file.pdf", "referral.docx", "disclosure_schedule.xlsx"],
        "victim": ["Victim_letter.pdf", "Crime_prevention_leaflet.pdf", "MG11_statement_{surname}.pdf",
                   "Victims_Code_leaflet.pdf", "Witness_care_letter.docx", "Property_return_form.pdf"],
        "recruit": ["Interview_invite.pdf", "Offer_letter.pdf", "Vetting_form.docx", "Assessment_centre_pack.pdf",
                    "Fitness_test_guidance.pdf"],
        "tender": ["ITT_{t}.pdf", "Clarification_log.xlsx", "Pricing_schedule.xlsx", "Specification_v2.docx"],
        "social": ["rota_{mon}.xlsx", "leaving_do_list.docx", "IMG_{n4}.jpg", "photos.zip", "5aside_teams.xlsx"],
        "leaver": ["training_record.pdf", "pension_options.pdf", "P45.pdf", "appraisal_2025.docx"],
        "press": ["appeal_image.jpg", "CCTV_still.jpg", "press_release.docx"],
    }
    p.case_what = ["Burglary at", "Assault outside", "Criminal damage at", "Theft from vehicle at", "Domestic at",
                   "Missing person from", "Robbery near", "Drugs warrant at", "Harassment report from"]
    p.case_why = ["suspect research", "victim details", "witness trace", "vehicle seen nearby", "previous calls",
                  "bail address check", "associates of suspect", "risk assessment"]
    p.terse = ["checks", "enqs", "intel", "enq", "PNC check", "info", "ongoing", "checks."]
    p.network_text = "Op {opname} - network analysis of associates, tasking {n}/26"
    p.wildcard_terms = ["SURNAME={sn4}* TOWN={TOWN}", "VRM={vrm2}*", "DOB=19{d2}* SURNAME={SN}",
                        "SURNAME={sn4}* DOB=19{d2}*", "POSTCODE=EX{d1}*"]
    p.jobs = ["Police Constable", "Call Handler", "Detention Officer", "PCSO", "Intelligence Analyst"]
    p.benign = {"victim_letters", "recruitment", "network_chart", "early_warrant", "wildcard_research",
                "tender_mail", "social_webmail", "terse_reason", "no_reason", "op_watchlist", "vehicle_stop_nominal",
                "press", "media_contact", "control_burst", "same_surname", "partner_marked", "leaver_routine",
                "reference_typos", "evening_catch_up", "flexi_hours",
                # A only
                "psd_colleagues", "encompass", "inbound_public_photos"}
    p.incident_words = {
        "media_subjects": ["Tonight", "Info you asked for", "Re: our chat", "the Hartley job"],
        "seq_media_subjects": ["that name", "Re: what we discussed", "him"],
        "pi_subject": "Details as discussed",
        "seq_pi_subject": "Address you wanted",
        "webmail_subjects": ["stuff", "for home", "fwd", ""],
        "webmail_attachments": [["custody_list.xlsx"], ["nominals.pdf", "photos.zip"], ["IMG_2231.jpg"]],
        "seq_webmail": ("fyi", ["screenshot.png", "record.pdf", "IMG_0412.jpg"]),
        "marking": [("OFFICIAL-SENSITIVE: briefing", []), ("Re: rota", ["PNC_printout.pdf"]),
                    ("SECRET - operation update", []), ("notes", ["intel_OFFICIAL-SENSITIVE.docx"])],
        "generic": ["checks", "enquiries", "test", "intel", "."],
        "invalid_refs": ["INC/12", "1234", "N/A", "INC/00000/26", "XX/99999/99"],
        "templated": ["Enquiries in relation to ongoing investigation", "Research as per request from supervisor",
                      "Checks on persons of interest re ongoing matter", "Intelligence research as requested by DS"],
        "wildcards": ["SURNAME=SMITH* DOB=19*", "POSTCODE=EX1*", "NAME=*"],
        "secondary": ["Shifts this weekend", "Re: client list", "Job sheet"],
        "panel": ["Re: the tender", "Coffee?", "Our conversation"],
        "hospitality": ["Re: Box at the races", "Thanks for dinner", "Re: hospitality invitation", "Tickets for Saturday"],
    }
    return p


# ==================================================================== profile B
# Written apart from the pack: another force's systems, references, wording and habits.

def profile_b():
    p = NS(key="B", name="Northmoor Constabulary", force_domain="northmoor.police.uk")
    order = random.Random("northmoor-names")
    p.forenames = FORENAMES + B_EXTRA_FORENAMES
    order.shuffle(p.forenames)
    p.surnames = SURNAMES + B_EXTRA_SURNAMES
    order.shuffle(p.surnames)
    p.person_mult, p.person_add = 2246822519, 3266489917
    p.streets = """Tithebarn Street|Coronation Road|Vicarage Lane|Moor Road|Beck Side|Fell View|Garth Lane|
Chapel Row|Wesley Street|Colliery Road|Pit Lane|Hawthorn Terrace|Sycamore Avenue|Larch Close|Rowan Drive|
Heather Bank|Bracken Way|Ghyll Road|Scar Top|Mill Race|Union Street|Commercial Street|Bank Top|Town Gate|
Front Street|Back Lane|Low Green|High Green|Ings Lane|Carr Road|Dale View|Nab Lane|Crag Road|Wharf Street|
Canal Side|Station Approach|Albion Street|Providence Row|Jubilee Terrace|Cross Street""".replace("\n", "").split("|")
    p.towns = ["Harwick", "Moorside", "Ellerby", "Stanwick", "Colby", "Ravensfield", "Oakworth", "Lowfell",
               "Scarby", "Denholme", "Kirkby Marsh", "Brampton"]
    p.media = ["northmoorpost.co.uk", "moorsideadvertiser.co.uk", "thenorthernvoice.example",
               "dailyrecordnews.example", "bbc.co.uk", "channel4.com", "reach-regionals.example",
               "harwickmercury.co.uk", "newsquest-north.example", "crimewatchers.example", "thescoop.example"]
    p.local_media = ["northmoorpost.co.uk", "moorsideadvertiser.co.uk", "harwickmercury.co.uk"]
    p.pi = ["moorland-investigations.co.uk", "confidential-tracing.example", "northstar-pi.example",
            "baileyandco-enquiries.co.uk", "locate-uk.example", "trace-and-serve.co.uk"]
    p.webmail = ["gmail.com", "outlook.com", "hotmail.co.uk", "hotmail.com", "yahoo.co.uk", "btinternet.com",
                 "icloud.com", "live.co.uk", "sky.com", "talktalk.net", "virginmedia.com", "aol.co.uk",
                 "protonmail.com", "msn.com"]
    p.webmail_weights = [26, 12, 12, 5, 7, 6, 7, 5, 4, 3, 3, 2, 1, 2]
    p.partners = ["cps.gov.uk", "northmoor.gov.uk", "harwick.gov.uk", "nhs.net", "justice.gov.uk",
                  "probation.gov.uk", "nca.gov.uk", "homeoffice.gov.uk", "dwp.gov.uk", "ukhsa.gov.uk"]
    # Northmoor's information-sharing policy: any government, police, NHS or CJSM address.
    p.secure_partners = ["cjsm.net", "gov.uk", "mod.uk", "nhs.net", "police.uk"]
    p.partner_marked_domains = ["cps.gov.uk", "childrens-services.northmoor.gov.uk", "mash.harwick.gov.uk",
                                "yot.northmoor.gov.uk", "nhs.net", "west-yorkshire.police.uk", "durham.police.uk",
                                "probation.gov.uk", "hallidays-solicitors.co.uk.cjsm.net",
                                "northmoor-victimcare.org.uk.cjsm.net"]
    p.cjsm = ["hallidays-solicitors.co.uk.cjsm.net", "ackroyd-law.co.uk.cjsm.net", "moorside-defence.co.uk.cjsm.net",
              "northern-chambers.co.uk.cjsm.net", "cps.gov.uk"]
    p.schools = []
    p.business = ["harwick-college.ac.uk", "moorside-housing.org.uk", "northmoor-bid.example",
                  "harwick-royal-infirmary.nhs.uk", "ravensfield-fc.co.uk", "pubwatch-harwick.example",
                  "colby-taxis.example", "oakworth-academy.org.uk", "northern-rail.example",
                  "victimsfirst-northmoor.org.uk"]
    p.security_firms = ["moorguard-security.example", "citadel-door-services.example", "argent-protection.co.uk",
                        "tyne-vetting-services.example", "nightowl-events-security.example", "sentry-patrols.co.uk"]
    p.tenders = [
        ("NMC-PROC-0192", "Mobile data terminals", ["mobitek-solutions.example", "fieldcomm.co.uk"]),
        ("NMC-PROC-0207", "Custody catering", ["custodyfoods.example", "northern-catering.co.uk", "mealsecure.example"]),
        ("NMC-PROC-0215", "Drone replacement", ["skyview-uas.example", "aerosight.co.uk"]),
        ("NMC-PROC-0221", "Forensic toxicology", ["toxlab-services.example", "analytica-forensics.co.uk"]),
    ]
    p.other_suppliers = ["office-direct-north.example", "moorside-cleaning.co.uk", "policekit-uk.example",
                         "harwick-print.co.uk", "fleetfuel.example"]
    p.systems = {"PNC": "NPPV2", "PND": "NPPV3", "NicheRMS": "NPPV2", "STORM": "NPPV2", "BOF": "NPPV3",
                 "HOLMES2": "NPPV3", "SourceHub": "SC", "NFLMS": "NPPV2", "iTrent": "NPPV1", "Unit4": "NPPV1"}
    p.hosts = {"PNC": "nmc-pnc-int", "PND": "nmc-pnd-int", "NicheRMS": "nicherms-db1", "STORM": "storm-cad-a",
               "BOF": "bof-nmc01", "HOLMES2": "holmes-nmc", "SourceHub": "srchub-p1", "NFLMS": "nflms-gw",
               "iTrent": "itrent-live", "Unit4": "unit4-erp"}
    p.admin_systems = {"iTrent": "employee", "Unit4": "supplier"}
    p.cad_system, p.anpr_system, p.records_system = "STORM", "BOF", "NicheRMS"
    p.first_access_systems = ["STORM", "BOF", "PND", "NFLMS", "HOLMES2"]
    p.above_vetting_system = "PND"

    # Reference kinds: generator name and the RE2 that accepts it.
    p.ref_regex = {
        "CAD": f"^CAD ?{nz_upto(4)} [0-3][0-9]/[01][0-9]/[0-9]{{2}}$",
        "OCC": f"^NI-[0-9]{{2}}-{nz(7)}$",
        "CRM": f"^CRM/20[0-9]{{2}}/{nz(6)}$",
        "CUS": f"^CUS[0-9]{{2}}/{nz(5)}$",
        "IR": f"^IR-[0-9]{{2}}-{nz(6)}$",
        "OP": "(?i)^op(?:eration|\\.)? [a-z]{3,}$",
        "WNT": f"^WNT/[0-9]{{2}}/{nz(4)}$",
        "VET": f"^VET-20[0-9]{{2}}-{nz(5)}$",
        "FAC": f"^(?:FAC|SGC){nz(6)}$",
        "HRC": f"^HRC-{nz(6)}$",
        "PO": f"^PO{nz(8)}$",
        "PSD": f"^CO[0-9]{{2}}/{nz(4)}$",
    }
    p.system_ref_kinds = {
        "PNC": ["CAD", "OCC", "CRM", "CUS", "IR", "WNT", "VET", "FAC", "OP"],
        "PND": ["OCC", "CRM", "IR", "OP", "VET"],
        "NicheRMS": ["OCC", "CRM", "CUS", "IR", "CAD", "WNT", "OP", "PSD", "VET"],
        "STORM": ["CAD"],
        "BOF": ["CAD", "OCC", "CRM", "IR", "OP"],
        "HOLMES2": ["OP", "CRM"],
        "SourceHub": ["IR", "OP"],
        "NFLMS": ["FAC"],
        "iTrent": ["HRC", "VET"],
        "Unit4": ["PO"],
    }
    p.site_formats = {sysname: [p.ref_regex[k] for k in kinds] for sysname, kinds in p.system_ref_kinds.items()}
    p.reasons = {
        "OPS": (["CAD", "CAD", "OCC"], ["Attending CAD", "Named on CAD", "Ongoing CAD - welfare",
                                        "Call for service - checks on caller", "ASB report", "Domestic - DASH risk"]),
        "INV": (["CRM", "CRM", "OCC"], ["IP contact", "Suspect TIE", "Witness enquiries", "Case build - file prep",
                                        "Ongoing investigation - suspect", "Post-charge enquiries"]),
        "CUSTODY": (["CUS"], ["Detainee risk assessment", "Booking in", "Bail/RUI checks", "Custody review"]),
        "INTEL": (["IR", "IR", "OP"], ["Intel development", "5x5x5 research", "Briefing preparation",
                                       "Tasking from DMM", "Subject profile"]),
        "WARRANT": (["WNT"], ["Warrant execution", "Pre-warrant research", "Warrant briefing"]),
        "RTC": (["CAD"], ["Stop check", "Vehicle of interest", "RTC - driver details", "ANPR activation",
                          "S59 warning check"]),
        "SAFEGUARD": (["OCC", "CRM"], ["Strategy discussion", "MARAC research", "Child protection enquiry",
                                       "MASH research", "Missing from home"]),
        "VETTING": (["VET"], ["Recruitment vetting", "Re-vetting", "Vetting - family member", "NPPV application"]),
        "LICENSING": (["FAC"], ["Certificate renewal", "Grant application", "Home visit preparation",
                                "Co-habitant check"]),
        "HR": (["HRC"], ["Absence management", "Pay query", "Case file update", "Recruitment"]),
        "FIN": (["PO"], ["Invoice approval", "Supplier payment", "Budget query"]),
        "PSD": (["PSD"], ["Conduct matter", "Public complaint", "Counter corruption research"]),
    }
    p.code = {"incident": "OPS", "crime": "INV", "intel": "INTEL", "warrant": "WARRANT", "roads": "RTC",
              "admin": "HR", "custody": "CUSTODY"}
    p.words = {"incident_enquiry": "Named on CAD", "suspect_research": "Suspect TIE",
               "witness_trace": "Witness enquiries", "concern_welfare": "Ongoing CAD - welfare",
               "case_file": "Case build - file prep", "research": "Research",
               "record_maintenance": "Case file update", "op_enquiry": "Op tasking",
               "vehicle_stop": "Stop check", "driver": "Stop check - driver",
               "major_incident": ["Spate of calls - disorder", "Major RTC - multiple casualties",
                                  "Misper (child) - area search", "Flood - welfare calls", "Fire - evacuation"]}
    p.ops = ["Op KESTREL", "Op SANDPIPER", "Op MOORHEN", "Op GRANITE", "Op TEMPEST", "Op LANTERN"]
    p.op_names = ["KESTREL", "SANDPIPER", "MOORHEN", "GRANITE", "TEMPEST", "LANTERN", "BRACKEN", "FLINT"]

    p.departments = [
        ("Emergency Response", "response", 0.24, "4on4off",
         [("Police Constable", "PC", 0.75), ("Sergeant", "PS", 0.12), ("Student Officer", "SO", 0.13, 35, 4)], "NPPV3",
         {"PNC": 35, "NicheRMS": 40, "STORM": 15, "PND": 5, "BOF": 5}, ["OPS", "INV", "WARRANT"], 45, 5),
        ("Local Policing Teams", "neighbourhood", 0.12, "lpt",
         [("Neighbourhood Officer", "PC", 0.5), ("PCSO", "CSO", 0.4, 12, 10), ("Neighbourhood Sergeant", "PS", 0.1)],
         "NPPV2", {"NicheRMS": 60, "PNC": 25, "STORM": 15}, ["OPS", "INV"], 22, 14),
        ("Force Control Room", "control", 0.11, "4on4off",
         [("Call Taker", "FCR", 0.55), ("Dispatcher", "FCD", 0.3), ("Control Room Supervisor", "FCS", 0.15, 40, 8)],
         "NPPV2", {"STORM": 75, "PNC": 15, "NicheRMS": 10}, ["OPS"], 70, 3),
        ("Investigation Hub", "cid", 0.09, "office-long",
         [("Detective Constable", "DC", 0.55), ("Trainee Investigator", "TI", 0.2), ("Detective Sergeant", "DS", 0.15),
          ("Police Staff Investigator", "PSI", 0.1)], "NPPV3",
         {"NicheRMS": 50, "PNC": 20, "PND": 25, "BOF": 5}, ["INV", "INTEL"], 50, 20),
        ("Public Protection Unit", "ppu", 0.06, "office-long",
         [("PPU Detective", "DC", 0.6), ("MASH Researcher", "MR", 0.25, 60, 20), ("Missing Person Coordinator", "MPC", 0.15)],
         "NPPV3", {"NicheRMS": 55, "PNC": 20, "PND": 25}, ["SAFEGUARD", "INV"], 40, 26),
        ("Custody & Criminal Justice", "custody", 0.05, "4on4off",
         [("Custody Sergeant", "CS", 0.35), ("Detention Officer", "DO", 0.5), ("Case Builder", "CB", 0.15, 25, 20)],
         "NPPV2", {"NicheRMS": 65, "PNC": 35}, ["CUSTODY"], 40, 6),
        ("Roads & Armed Policing", "roads", 0.05, "4on4off",
         [("Roads Policing Officer", "RPO", 0.7), ("Authorised Firearms Officer", "AFO", 0.3, 20, 4)], "NPPV3",
         {"BOF": 40, "PNC": 50, "NicheRMS": 10}, ["RTC", "OPS"], 42, 4),
        ("Intelligence Bureau", "intel", 0.05, "office",
         [("Intelligence Analyst", "IA", 0.4), ("Intelligence Researcher", "IR", 0.45), ("Source Controller", "SCO", 0.15)],
         "SC", {"NicheRMS": 30, "PND": 40, "PNC": 20, "SourceHub": 10}, ["INTEL"], 70, 18),
        ("Serious & Organised Crime", "major", 0.03, "office-long",
         [("Detective Constable", "DC", 0.6), ("Detective Sergeant", "DS", 0.25), ("Financial Investigator", "FI", 0.15)],
         "NPPV3", {"NicheRMS": 40, "PND": 30, "PNC": 15, "HOLMES2": 15}, ["INV", "INTEL"], 50, 24),
        ("Vetting & Disclosure", "vetting", 0.012, "office",
         [("Vetting Officer", "VO", 0.7), ("DBS Disclosure Officer", "DBS", 0.3)], "NPPV3",
         {"PNC": 40, "PND": 40, "NicheRMS": 20}, ["VETTING"], 45, 20),
        ("Firearms Licensing", "licensing", 0.01, "office",
         [("Firearms Enquiry Officer", "FEO", 0.7), ("Licensing Administrator", "FLA", 0.3)], "NPPV2",
         {"NFLMS": 55, "PNC": 30, "NicheRMS": 15}, ["LICENSING"], 25, 22),
        ("Special Constabulary", "specials", 0.05, "special",
         [("Special Constable", "SPC", 0.9), ("Special Sergeant", "SPS", 0.1)], "NPPV2",
         {"PNC": 40, "NicheRMS": 45, "STORM": 15}, ["OPS", "INV"], 18, 2),
        ("Counter Corruption Unit", "psd", 0.01, "office",
         [("PSD Investigator", "PSI", 0.7), ("Counter Corruption Analyst", "CCA", 0.3)], "SC",
         {"NicheRMS": 45, "PNC": 25, "PND": 30}, ["PSD"], 20, 22),
        ("People Services", "hr", 0.03, "office",
         [("HR Business Partner", "HRBP", 0.2), ("HR Officer", "HRO", 0.5), ("Recruitment Officer", "REC", 0.3)],
         "NPPV2", {"iTrent": 100}, ["HR"], 16, 32),
        ("Finance", "finance", 0.015, "office", [("Finance Assistant", "FA", 1.0)], "NPPV1", {"Unit4": 100},
         ["FIN"], 14, 24),
        ("Commercial Services", "procurement", 0.008, "office",
         [("Category Manager", "CM", 0.4), ("Procurement Officer", "PO", 0.6)], "NPPV1", {"Unit4": 100}, ["FIN"], 8, 34),
        ("Learning & Development", "training", 0.015, "office",
         [("Trainer", "TRN", 0.6), ("Learning Designer", "LD", 0.4)], "NPPV2", {"iTrent": 100}, ["HR"], 4, 14),
        ("Media & Engagement", "press", 0.008, "office",
         [("Media Officer", "MO", 0.7), ("Digital Engagement Officer", "DEO", 0.3)], "NPPV2", {"NicheRMS": 100},
         ["INV"], 6, 30),
        ("Crime Scene Investigation", "csi", 0.015, "office-long",
         [("Crime Scene Investigator", "CSI", 0.8), ("Forensic Coordinator", "FCO", 0.2)], "NPPV2",
         {"NicheRMS": 80, "PNC": 20}, ["INV"], 9, 10),
    ]
    p.office_fns = ["hr", "finance", "procurement", "training", "press", "vetting", "licensing"]
    p.operational_fns = ["response", "neighbourhood", "cid", "ppu", "custody", "control", "intel", "roads", "major",
                         "csi"]
    p.day_worker_fns = ["neighbourhood", "cid", "ppu", "major", "intel", "csi"]
    p.warrant_fns = ["cid", "major", "neighbourhood", "ppu"]
    p.case_team_fns = ["major"]
    p.office_hours = {"office": (8.5, 17), "office-long": (8, 18.5)}
    p.flexi = [(7, 15), (7.5, 15.5), (10, 18), (9, 17.5)]
    p.status_per = 200
    # iTrent writes the leave type as HR staff read it and dates as date-times.
    p.absence_words = {"sick": "Sick Leave", "maternity": "Maternity Leave", "career_break": "Career Break",
                       "phased_return": "Phased Return"}
    p.absence_date = lambda d: f"{d.isoformat()} 00:00:00"
    # Training logins are named for the classroom; the dummy nominals sit in their own range.
    p.training_accounts = [f"nmc.trainroom{r}.{n}" for r in ("a", "b") for n in range(1, 6)]
    p.training_record = lambda n: f"NN98{n:05d}"
    p.training_reason = ("TRN", "IT course exercise")

    p.subjects = {
        "internal": ["Shift swap {d}", "Briefing {d} - lates", "RE: crime {ref}", "Overtime - {op}",
                     "Course nomination", "Team brief", "RE: MG6 file", "Handover - nights {d}",
                     "OFFICIAL SENSITIVE - intelligence {ref}", "A/L request", "RE: RE: shift swap",
                     "Tasking {ref}", "Fleet defect - car {n}", "RUI dates", "Official Sensitive: risk assessment {ref}",
                     "Brew?", "PDR"],
        "partner": ["OFFICIAL - SENSITIVE: MG file {ref}", "Strategy discussion {ref}", "MASH referral {ref}",
                    "MARAC {d}", "RE: trial listing {d}", "Information sharing - {ref}", "Mutual aid request {d}",
                    "OFFICIAL SENSITIVE PERSONAL - child protection {ref}", "OFFICIAL-SENSITIVE: DASH {ref}"],
        "business": ["Meeting {d}?", "RE: event management plan", "CCTV - {ref}", "Pubwatch minutes",
                     "RE: PACT meeting", "Licensing visit {d}", "Many thanks"],
        "personal": ["sat", "RE: hols", "tickets!", "tea tonight?", "pics", "school run", "parking"],
        "media": ["MEDIA RELEASE: {town} appeal", "RE: media query {ref}", "Lines to take - {town}",
                  "Appeal: {town} collision", "RE: filming request"],
        "media_contact": ["PACT column {d}", "RE: {town} appeal", "Beat surgery - {town}"],
        "supplier": ["RE: query {t}", "PO confirmation", "Invoice {ref}", "RE: delivery", "Contract meeting"],
        "inbound_public": ["Reporting a crime", "RE: my report", "Dashcam footage", "CCTV of incident"],
        "victim": ["Update on your report ({ref})", "{name} - statement copy", "Victim Code of Practice leaflet",
                   "Your Northmoor Police crime number", "Re: your report - {name}", "Letter from DC {officer}",
                   "Witness care - {ref}"],
        "recruit": ["Northmoor Constabulary - application {n}", "Assessment centre booking", "Offer of appointment",
                    "Pre-employment vetting", "Your application: {job}", "RE: start date and uniform fitting"],
        "recruit_vetting": ["Vetting clearance - {name}", "Vetting forms outstanding", "Vetting - further information"],
        "tender": ["Request for Quotation {t}", "{t}: clarification {n}", "{t} - bidders' day invitation",
                   "{t} tender documents", "{t}: answers to bidder questions"],
        "tender_panel": ["RE: {t} bidders' day", "RE: {t} presentation slot"],
        "social": ["rota!!", "leaving do - who's in", "pics from the do", "Christmas do menu", "RE: footy",
                   "shift swap list", "FW: holiday form"],
        "leaver": ["my stuff", "PDRs", "pension", "P45/P60", "quals"],
        "firearms": ["Firearm certificate renewal - {name}", "Shotgun certificate - {name}", "Home visit {d}",
                     "Certificate {ref}"],
        "gp": ["OFFICIAL - SENSITIVE: firearms medical enquiry - {name}", "Firearms licensing - GP enquiry"],
        "community": ["Northmoor Alert: {topic} in {town}", "Your neighbourhood team - {town} update",
                      "Northmoor Alert: {topic}"],
        "cjsm": ["OFFICIAL-SENSITIVE: MG6C schedule {ref}", "OFFICIAL - SENSITIVE: unused material {ref}",
                 "Disclosure - {ref}"],
    }
    p.attachments = {
        "internal": ["brief.docx", "rota_block{wk}.xlsx", "MG11.pdf", "handover.docx", "tasking.pdf",
                     "DASH.docx", "images.zip", "minutes.docx"],
        "partner": ["MG3.pdf", "MASH_referral.docx", "MG6C.xlsx", "strategy_minutes.docx"],
        "victim": ["VCOP_leaflet.pdf", "Crime_reference_letter.pdf", "MG11_{surname}.pdf", "Victim_update.pdf",
                   "Stay_safe_advice.pdf", "Victim_personal_statement.docx"],
        "recruit": ["Offer_letter.pdf", "Assessment_centre_info.pdf", "Vetting_pack.docx", "Medical_questionnaire.pdf",
                    "Job_description.pdf"],
        "recruit_vetting": ["Vetting_decision.pdf", "Vetting_form_part2.docx"],
        "tender": ["RFQ_{t}.pdf", "Clarifications_{t}.xlsx", "Pricing_{t}.xlsx", "Bidders_day_agenda.pdf"],
        "social": ["rota_{mon}.xlsx", "leaving_do.xlsx", "IMG_{n4}.JPG", "20260{d1}_photos.zip", "teams.docx"],
        "leaver": ["PDR_2025.pdf", "pension_statement.pdf", "P60.pdf", "certificates.zip"],
        "press": ["appeal.jpg", "CCTV_image.jpg", "media_release.docx"],
        "firearms": ["FAC_renewal_letter.pdf", "Conditions_{surname}.pdf", "Home_visit_form.docx"],
        "community": ["Crime_prevention_{topic2}.pdf", "Northmoor_Alert.pdf"],
        "cjsm": ["MG6C_{ref2}.xlsx", "MG6D.xlsx", "MG6E_schedule.docx"],
    }
    p.case_what = ["Burglary dwelling", "Assault", "Crim damage", "TFMV", "Domestic", "Misper", "Robbery",
                   "Drugs", "Harassment", "Shoplifting", "Fraud"]
    p.case_why = ["TIE suspect", "IP details", "witness", "vehicle linked", "previous calls", "bail address",
                  "associates", "DASH"]
    p.terse = ["enqs", "checks", "as per CAD", "see CAD", "ongoing", "intel", "as above", "TIE", "PNC"]
    p.network_text = "Operation {opname}: association chart for DMM tasking {n}"
    p.wildcard_terms = ["SN:{sn4}% DOB:%/%/19{d2}", "VRM:{vrm2}%", "SN:{SN} TOWN:{TOWN}",
                        "ADDR:%{STREET}%", "SN:{sn4}% FN:%"]
    p.jobs = ["Police Constable (degree holder entry)", "Call Taker", "Detention Officer", "PCSO", "Special Constable"]
    p.community_topics = ["burglary", "vehicle crime", "scam calls", "rural crime", "bike theft"]
    p.benign = {"victim_letters", "recruitment", "network_chart", "early_warrant", "wildcard_research",
                "tender_mail", "social_webmail", "terse_reason", "no_reason", "op_watchlist", "vehicle_stop_nominal",
                "press", "media_contact", "control_burst", "same_surname", "partner_marked", "leaver_routine",
                "evening_catch_up", "flexi_hours",
                # B only
                "vetting_unit", "firearms_licensing", "specials", "community_messaging", "cjsm_disclosure"}
    p.incident_words = {
        "media_subjects": ["you didn't get this from me", "RE: earlier", "the job on {street}", "call me"],
        "seq_media_subjects": ["as promised", "RE: earlier", "this one"],
        "pi_subject": "the info",
        "seq_pi_subject": "current address",
        "webmail_subjects": ["bits", "home", "FW:", "-"],
        "webmail_attachments": [["prisoner_list.xlsx"], ["nominal_profiles.pdf", "pics.zip"], ["Screenshot_2026.png"]],
        "seq_webmail": ("FW:", ["Screenshot_2026-03.png", "printout.pdf", "IMG_5530.JPG"]),
        "marking": [("OFFICIAL-SENSITIVE PERSONAL: strategy minutes", []), ("FW: shift", ["PNC print.pdf"]),
                    ("SECRET op update", []), ("notes", ["OFFICIAL_SENSITIVE_brief.docx"])],
        "generic": ["enqs", "checks", "as above", "...", "tbc"],
        "invalid_refs": ["CAD 0000 00/00/00", "NI-26-0000000", "TBC", "see CAD", "CRM/2026/0", "12345"],
        "templated": ["Enquiries as per ongoing investigation, see log", "Checks re persons of interest as tasked",
                      "Research on behalf of supervisor re ongoing job", "Intel checks on associates as per briefing"],
        "wildcards": ["SN:% DOB:%/%/19%", "ADDR:%NM4%", "SN:%"],
        "secondary": ["this weekend", "RE: door staff", "rota for the club"],
        "panel": ["RE: the bid", "pint?", "off the record"],
        "hospitality": ["RE: golf day", "thanks for the meal", "RE: corporate box", "race day tickets"],
        "vague": ["enqs", "checks", "intel", "as above", "ongoing"],
        "marking_variants": ["OFFICIAL - SENSITIVE: {op} briefing", "Official-Sensitive - {name} custody record",
                             "OFFICIAL SENSITIVE PERSONAL - {surname} welfare", "OFFICIAL - SENSITIVE - {surname}",
                             "Official-Sensitive: {ref} minutes"],
    }
    return p


PROFILES = {"A": profile_a, "B": profile_b}
LEARNING_DAYS = 21  # rules/psd-correlations.yaml: first_seen learning (baselines need 14 days)
VETTING_ORDER = {v: i for i, v in enumerate(["none", "RV", "MV", "NPPV1", "NPPV2", "NPPV3", "CTC", "SC", "DV"])}


# ==================================================================== the force

class Force:
    def __init__(self, args, profile):
        self.args = args
        self.p = profile
        self.rng = random.Random(self.seed_of("reference"))
        self.start = dt.datetime.strptime(args.start, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        self.days = args.days
        self.warmup = args.warmup_days
        self.end = self.start + dt.timedelta(days=self.days)
        self.staff = []          # dicts
        self.by_id = {}
        self.emails_used = set()
        # (staff_id, party_id, party_name, kind, declared_on[, party_dob, party_aliases, party_ids, party_address])
        self.associations = []
        self.lists = {}
        self.truth = []
        self.events = {}         # day index -> list of (epoch, line)
        self.n_events = 0
        self.n_warmup = 0
        self.planting_absence = False
        self.moves_on, self.no_moves = False, set()  # sites: moves between sites, background only
        self.registers = {}
        # B's subject-address register: the person numbers the background viewed, and the
        # planted views whose address is in the register instead of the event.
        self.viewed_nums, self.registered_addresses = set(), {}
        self.scored_catalogue = collections.Counter()  # benign catalogue items on the scored days
        self.warm_catalogue = collections.Counter()
        self.catalogue = self.warm_catalogue
        self._by_surname = None
        self.pid_prefix = "P" if profile.key == "A" else "NN"

    def seed_of(self, name):
        """Each profile and --seed has its own streams (B is seeded apart from A)."""
        return int(hashlib.sha256(f"{self.p.key}:{self.args.seed}:{name}".encode()).hexdigest()[:16], 16)

    def on(self, item):
        return item in self.p.benign

    # ---------------------------------------------------------------- people and formats
    def person_parts(self, num):
        p = self.p
        h = (num * p.person_mult + p.person_add) % (1 << 32)
        fn = p.forenames[h % len(p.forenames)]
        sn = p.surnames[(h // len(p.forenames)) % len(p.surnames)]
        return fn, sn, 1940 + (h >> 8) % 66, 1 + (h >> 3) % 12, 1 + (h >> 5) % 28

    def fmt_name(self, fn, sn):
        return f"{fn} {sn}" if self.p.key == "A" else f"{sn.upper()}, {fn}"

    def fmt_dob(self, y, m, d):
        return f"{y:04d}-{m:02d}-{d:02d}" if self.p.key == "A" else f"{d:02d}/{m:02d}/{y:04d}"

    def person(self, num):
        """Deterministic name and date of birth of record-system person number num."""
        fn, sn, y, m, d = self.person_parts(num)
        return self.fmt_name(fn, sn), self.fmt_dob(y, m, d)

    def pid(self, num):
        return f"{self.pid_prefix}{num:07d}"

    def num_of(self, sid):
        return int(sid[len(self.pid_prefix):])

    def terms(self, num):
        fn, sn, y, m, d = self.person_parts(num)
        if self.p.key == "A":
            return f"{sn.upper()}/{fn.upper()}/{self.fmt_dob(y, m, d)}"
        return f"SN:{sn.upper()} FN:{fn.upper()} DOB:{self.fmt_dob(y, m, d)}"

    def same_surname_num(self, rng, surname, forename):
        """A record-system person sharing the surname (and not the forename)."""
        if self._by_surname is None:
            self._by_surname = {}
            for num in range(1, 400000, 3):
                fn, sn = self.person_parts(num)[:2]
                self._by_surname.setdefault(sn, []).append((num, fn))
        cands = [n for n, fn in self._by_surname.get(surname, []) if fn != forename]
        return rng.choice(cands) if cands else None

    DISTRICTS_PER_TOWN = 4

    def postcode_district(self, town, street):
        """B's postcode district of a street: each town's streets fall in its own four districts
        (NM1-NM48, 9 sectors each, 432 in all), as a real force area has hundreds of sectors; one
        district a town (108 sectors) put a random person in an officer's sector one look-up in
        a hundred. Drawn from the street, not the stream, so every other draw is as before."""
        k = self.DISTRICTS_PER_TOWN
        return 1 + k * self.p.towns.index(town) + self.p.streets.index(street) % k

    def address(self, rng):
        """(as HR holds it, as the record systems hold it)."""
        n, street, town = rng.randint(1, 240), rng.choice(self.p.streets), rng.choice(self.p.towns)
        if self.p.key == "A":
            a = f"{n} {street}, {town}"
            return a, a
        district = self.postcode_district(town, street)
        pc = f"NM{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        flat = rng.randint(1, 12) if rng.random() < 0.15 else None
        hr = (f"Flat {flat}, " if flat else "") + f"{n} {street}, {town}, {pc}"
        sysf = ((f"FLAT {flat} " if flat else "") + f"{n} {street} {town} {pc}").upper()
        return hr, sysf

    def vrm(self, rng):
        return (f"{rng.choice('ABCDEFGHKLMNOPRSVWY')}{rng.choice('ABCDEFGHJKLMNOPRSTUVWXY')}"
                f"{rng.randint(10, 74)}{''.join(rng.choice('ABCDEFGHJKLMNOPRSTUVWXYZ') for _ in range(3))}")

    def webmail_for(self, rng, fn, sn, own=False):
        """A personal address of the kind people choose (name-based or not)."""
        fn_, sn_ = fn.lower().replace("'", ""), sn.lower().replace("'", "")
        yy = rng.randint(60, 99) if rng.random() < 0.5 else rng.randint(1, 30)
        forms = [f"{fn_}.{sn_}", f"{fn_}{sn_}{yy}", f"{fn_[0]}{sn_}{yy}", f"{sn_}.{fn_}", f"{fn_}_{sn_}{rng.randint(1, 9)}",
                 f"{fn_}{yy}", f"{rng.choice(['big', 'lil', 'the', 'mr', 'mrs', 'miss'])}{fn_}{yy}",
                 f"{fn_[0]}{sn_[0]}{rng.randint(100, 9999)}"]
        w = [20, 18, 14, 6, 5, 8, 3, 3] if self.p.key == "A" else [12, 22, 10, 4, 4, 12, 6, 6]
        dom = rng.choices(self.p.webmail, self.p.webmail_weights)[0]
        return f"{rng.choices(forms, w)[0]}@{dom}"

    # ---------------------------------------------------------------- references
    def ref_kind(self, rng, kind, t):
        y2, y4 = t.year % 100, t.year
        if self.p.key == "A":
            return f"{kind}/{rng.randint(100, 99999):05d}/{y2:02d}"
        if kind == "CAD":
            dd = (t - dt.timedelta(days=rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 6]))).strftime("%d/%m/%y")
            n = rng.randint(1, 1800)
            return f"CAD {n:04d} {dd}" if rng.random() < 0.3 else f"CAD {n} {dd}"
        if kind == "OCC":
            return f"NI-{y2:02d}-{rng.randint(1, 260000):07d}"
        if kind == "CRM":
            return f"CRM/{y4}/{rng.randint(1, 48000):06d}"
        if kind == "CUS":
            return f"CUS{y2:02d}/{rng.randint(1, 14000):05d}"
        if kind == "IR":
            return f"IR-{y2:02d}-{rng.randint(1, 90000):06d}"
        if kind == "OP":
            return rng.choice(self.p.ops)
        if kind == "WNT":
            return f"WNT/{y2:02d}/{rng.randint(1, 2400):04d}"
        if kind == "VET":
            return f"VET-{y4}-{rng.randint(1, 9000):05d}"
        if kind == "FAC":
            return f"{rng.choice(['FAC', 'FAC', 'SGC'])}{rng.randint(1, 40000):06d}"
        if kind == "HRC":
            return f"HRC-{rng.randint(1, 30000):06d}"
        if kind == "PO":
            return f"PO{rng.randint(1000, 9999999):08d}"
        if kind == "PSD":
            return f"CO{y2:02d}/{rng.randint(1, 900):04d}"
        raise KeyError(kind)

    def ref_for(self, rng, code, system, t):
        return self.ref_pick(rng, code, system, t)[0]

    def ref_pick(self, rng, code, system, t):
        """A valid reference for reason code `code` on `system` (site.yaml accepts it), and its kind."""
        kinds = self.p.reasons[code][0]
        ok = self.p.system_ref_kinds.get(system)
        if ok is not None:
            kinds = [k for k in kinds if k in ok] or ok[:1]
        kind = rng.choice(kinds)
        ref = self.ref_kind(rng, kind, t)
        if self.p.key == "A" and self.on("reference_typos") and rng.random() < 0.004:
            # typed by hand: lower case, or the serial without its zero padding
            prefix, serial, year = ref.split("/")
            ref = (ref.lower() if rng.random() < 0.5 else f"{prefix}/{int(serial)}/{year}")
        return ref, kind

    def reason_text(self, rng, code):
        return rng.choice(self.p.reasons[code][1])

    # ---------------------------------------------------------------- reference data
    def make_staff(self):
        rng, p = self.rng, self.p
        n = self.args.staff
        depts = p.departments
        weights = [d[2] for d in depts]
        for i in range(n):
            dept = depts[i] if i < len(depts) else rng.choices(depts, weights)[0]
            name, fn_tag, _share, pattern, roles, vet, systems, reasons, acc, mails = dept
            role = rng.choices(roles, [r[2] for r in roles])[0]
            title, prefix = role[0], role[1]
            r_acc = role[3] if len(role) > 3 else acc
            r_mails = role[4] if len(role) > 4 else mails
            sid = f"{prefix}{10000 + i}" if p.key == "A" else f"E{400100 + i}"
            fnm, snm = rng.choice(p.forenames), rng.choice(p.surnames)
            base = f"{fnm}.{snm}".lower().replace("'", "")
            email, k = f"{base}@{p.force_domain}", 1
            while email in self.emails_used:
                k += 1
                email = f"{base}{k}@{p.force_domain}"
            self.emails_used.add(email)
            level = vet
            granted = self.start - dt.timedelta(days=rng.randint(30, 2400))
            expires = granted + dt.timedelta(days=365 * (5 if level in ("NPPV3", "SC") else 7))
            if expires <= self.end + dt.timedelta(days=14):  # renewed in time
                expires = self.end + dt.timedelta(days=rng.randint(30, 1500))
            addr, addr_sys = self.address(rng)
            peer = (f"{slug(name)}-{slug(title)}" if p.key == "A"
                    else f"nmc/{slug(name)}/{slug(title)}")
            s = {
                "id": sid, "surname": snm, "forenames": fnm, "emails": [email], "department": name, "fn": fn_tag,
                "role": title, "peer_group": peer, "address": addr, "address_sys": addr_sys,
                "hr_status": "active", "leaving_date": "",
                "vetting_level": level, "vetting_granted": granted.date().isoformat(),
                "vetting_expires": expires.date().isoformat(), "vetting_status": "granted",
                "pattern": pattern, "systems": systems, "reasons": reasons,
                "acc": r_acc * rng.lognormvariate(0, 0.35), "mails": r_mails * rng.lognormvariate(0, 0.4),
                "shift_offset": rng.randrange(10), "nominal": (f"P{9000000 + i:07d}" if p.key == "A"
                                                               else f"NN{9500000 + i:07d}"),
                "access_enabled": bool(systems), "mail_enabled": True,
                "account": (sid.lower() if p.key == "A"
                            else f"{fnm[0]}{snm}{i % 97}".lower().replace("'", "")),
            }
            s["sys_names"] = list(systems)
            s["sys_cum"] = list(itertools.accumulate(systems.values()))
            # Habits: each person's own rates for the catalogue's per-person items.
            s["personal"] = self.webmail_for(rng, fnm, snm, own=True)
            s["terse"] = rng.uniform(0.02, 0.25) if (self.on("terse_reason") and rng.random() < 0.08) else 0.0
            s["social"] = 0.006 * rng.lognormvariate(0, 1.0) if self.on("social_webmail") else 0.0
            s["victim"] = {"cid": 0.2, "neighbourhood": 0.15, "response": 0.06, "ppu": 0.25, "major": 0.12,
                           "specials": 0.03}.get(fn_tag, 0.0) * rng.lognormvariate(0, 0.6)
            s["hours"] = p.office_hours.get(pattern)
            if s["hours"] and self.on("flexi_hours") and rng.random() < 0.3:
                s["hours"] = rng.choice(p.flexi) if pattern == "office" else (s["hours"][0] + rng.choice([-1, 0, 1]),
                                                                             s["hours"][1] + rng.choice([-1, 0]))
            if rng.random() < 0.25:  # an old alias
                alias = (f"{fnm[0]}.{snm}".lower().replace("'", "") if p.key == "A" else sid.lower()) + f"@{p.force_domain}"
                if alias not in self.emails_used:
                    self.emails_used.add(alias)
                    s["emails"].append(alias)
            self.staff.append(s)
            self.by_id[sid] = s

        # HR statuses and vetting exceptions. Suspended, departed and lapsed-vetting staff
        # have their accounts disabled: they make no events unless an incident is planted.
        pool = [s for s in self.staff if s["fn"] in p.operational_fns]
        rng.shuffle(pool)
        k = max(3, n // p.status_per)
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
        # The serious-crime teams and a few intelligence staff run the watch-listed cases.
        self.case_team = [s["id"] for s in self.staff if s["fn"] in p.case_team_fns]
        self.case_team += [s["id"] for s in self.staff if s["fn"] == "intel"][: max(2, n // 500)]
        self.case_team_set = set(self.case_team)
        self.press = [s["id"] for s in self.staff if s["fn"] == "press"]
        self.procurement = [s for s in self.staff if s["fn"] == "procurement"]

    def make_associations(self):
        rng, p = self.rng, self.p
        for s in self.staff:
            if rng.random() < 0.18:
                for _ in range(rng.randint(1, 3)):
                    num = rng.randint(8000000, 8999999)
                    name, dob = self.person(num)
                    kind = rng.choices(["family", "other", "criminal"], [0.8, 0.17, 0.03])[0]
                    self.associations.append((s["id"], self.pid(num), name, kind, self.declared(rng), dob))
        # Press officers declare their media contacts (domains) as media associations.
        for sid in self.press:
            for d in rng.sample(p.media, 4):
                self.associations.append((sid, d, d, "media", self.declared(rng)))
        # A few neighbourhood officers write for the local paper, a declared media contact.
        self.media_contacts = [s for s in self.spare if s["fn"] == "neighbourhood"][: max(2, len(self.staff) // 1000)]
        for s in self.media_contacts:
            s["media_contact"] = rng.choice(p.local_media)
            self.associations.append((s["id"], s["media_contact"], s["media_contact"], "media", self.declared(rng)))
        self.spare = [s for s in self.spare if not s.get("media_contact")]
        # Secondary employment in security / investigation firms: declared business
        # interests, recorded as private_investigator associations with the firm's domain.
        sec = [s for s in self.spare if s["fn"] in ("response", "cid", "roads")]
        self.secondary = []
        for s, firm in zip(sec[: len(p.security_firms)], p.security_firms):
            self.associations.append((s["id"], firm, firm, "private_investigator", self.declared(rng)))
            clients = [self.pid(rng.randint(8000000, 8999999)) for _ in range(3)]
            for c in clients:  # the firm's clients: records the officer must not consult
                self.associations.append((s["id"], c, self.person(self.num_of(c))[0], "private_investigator",
                                          self.declared(rng)))
            self.secondary.append((s, firm, clients))
        self.spare = [s for s in self.spare if s not in [x[0] for x in self.secondary]]
        self.registers["business_interests"] = [  # `probity state import business_interests`
            {"staff_id": s["id"], "business": firm.split(".")[0].replace("-", " ").title(), "domain": firm,
             "role": "door supervisor" if "door" in firm else "security officer", "approved": "yes",
             "declared_on": self.declared(rng)} for s, firm, c in self.secondary]

    def declared(self, rng):
        return (self.start - dt.timedelta(days=rng.randint(20, 2000))).date().isoformat()

    def make_lists(self):
        rng, p = self.rng, self.p
        self.watchlist = [self.pid(rng.randint(1, 1999999)) for _ in range(max(20, self.args.staff // 100))]
        self.watch_set = set(self.watchlist)
        # Each watch-listed nominal belongs to one of the force's operations.
        self.watch_op = {sid: p.ops[i % len(p.ops)] for i, sid in enumerate(self.watchlist)}
        office = sorted({s["peer_group"] for s in self.staff if s["fn"] in p.office_fns})
        panel = []
        for tid, title, suppliers in p.tenders:
            members = rng.sample([s for s in self.spare if s["fn"] in
                                  ("response", "custody", "roads", "cid", "finance")], 3)
            panel += [(tid, m["id"]) for m in members]
        self.panel = panel
        self.spare = [s for s in self.spare if s["id"] not in {x[1] for x in panel}]
        tender_domains = [d for _, _, sup in p.tenders for d in sup]
        self.lists = {
            "media_domains": p.media,
            "pi_domains": p.pi,
            "webmail_domains": p.webmail,
            "watchlist_subjects": self.watchlist,
            "watchlist_case_team": self.case_team,
            "staff_nominals": [s["nominal"] for s in self.staff],
            "media_authorised_staff": self.press,
            # the exact partner domains the force mails, and its policy's (suffix) entries
            "secure_partner_domains": sorted(set(p.partners + p.secure_partners)),
            "force_domains": [p.force_domain],
            "office_hours_peer_groups": office,
            # The operations the watch-listed subjects belong to: officers briefed on one cite it.
            "watchlist_operation_refs": sorted(set(self.watch_op.values())),
            # The drop-down justification phrases staff pick rather than type.
            "standard_reason_texts": sorted({t for _, texts in p.reasons.values() for t in texts}),
            "export_peer_groups": sorted({s["peer_group"] for s in self.staff if s["fn"] == "intel"}),
            "secondary_employment_domains": [f for _, f, _ in self.secondary],
            "tender_panel_staff": sorted({x[1] for x in panel}),
            "tender_supplier_domains": tender_domains,
            "training_accounts": p.training_accounts,
            "training_records": [p.training_record(n) for n in range(1, 41)],
        }
        # A: Professional Standards' current subjects (colleagues under investigation).
        self.psd_subjects = rng.sample(self.staff, min(len(self.staff), max(4, n_staff_psd(self.args.staff))))
        self.psd_case = {c["id"]: f"CO/{rng.randint(100, 999):05d}/26" for c in self.psd_subjects}
        # The registers, in the form `probity state import tenders|gifts` reads.
        opened = (self.start - dt.timedelta(days=40)).date().isoformat()
        closes = (self.end + dt.timedelta(days=30)).date().isoformat()
        self.registers["tenders"] = [
            {"tender_id": tid, "supplier": d.split(".")[0].replace("-", " ").title(), "supplier_domain": d,
             "status": "open", "panel": ";".join(x[1] for x in panel if x[0] == tid), "opens": opened, "closes": closes}
            for tid, title, sup in p.tenders for d in sup]
        gifts = []
        for _ in range(max(5, self.args.staff // 200)):
            dom = rng.choice(p.other_suppliers + p.business)
            gifts.append({"staff_id": self.staff[rng.randrange(len(self.staff))]["id"],
                          "offeror": dom.split(".")[0].replace("-", " ").title(), "offeror_domain": dom,
                          "value": rng.choice([5, 12, 25, 40, 60]), "date": self.declared(rng),
                          "accepted": rng.choice(["yes", "no"])})
        # One panel member was entertained by a bidder in their tender this year.
        tid, sidd = panel[0]
        self.gifted_panel = sidd
        self.gifted_domain = p.tenders[0][2][0]
        gifts.append({"staff_id": sidd, "offeror": self.gifted_domain.split(".")[0].replace("-", " ").title(),
                      "offeror_domain": self.gifted_domain, "value": 180,
                      "date": (self.start - dt.timedelta(days=rng.randint(30, 200))).date().isoformat(),
                      "accepted": "yes"})
        self.registers["gifts"] = gifts

    # ---------------------------------------------------------------- HR absence
    def make_absences(self):
        """Office staff recorded absent in HR (their own stream, so the rest of the force is
        drawn as before). away: off for the whole period, warm-up included; starting: off
        from a weekday in the period, working the day before; ended: back at work from a
        weekday in the period; phased: back on a phased return, recorded as such in HR."""
        rng, p = random.Random(self.seed_of("absence")), self.p
        # Finance and other back-office teams: never the planted incidents' users.
        cand = [s for s in self.staff if s["fn"] in ("finance", "vetting", "licensing")
                and s["access_enabled"] and s["hr_status"] == "active"]
        rng.shuffle(cand)
        n_away = 3 * self.per_rule()
        plan = (["away"] * n_away + ["starting", "starting", "ended", "phased", "phased"])
        if len(cand) < len(plan):
            raise SystemExit("generate.py: force too small to plant every absence")
        kinds = itertools.cycle(["sick", "maternity", "career_break"])
        last_weekday = max(1, min(4, self.days - 1))
        self.absent = {k: [] for k in ("away", "starting", "ended", "phased")}
        for s, how in zip(cand, plan):
            kind = next(kinds)
            start = self.start.date()
            if how == "away":
                first = start - dt.timedelta(days=self.warmup + rng.randint(5, 150))
                last = None if kind == "sick" and rng.random() < 0.5 else start + dt.timedelta(days=self.days + rng.randint(10, 200))
            elif how == "starting":
                first, last = start + dt.timedelta(days=rng.randint(1, last_weekday)), None
            elif how == "ended":
                kind = "sick"
                back = start + dt.timedelta(days=rng.randint(1, last_weekday))
                first, last = back - dt.timedelta(days=rng.randint(10, 40)), back - dt.timedelta(days=1)
            else:
                kind = "phased_return"
                first, last = start - dt.timedelta(days=rng.randint(1, 10)), start + dt.timedelta(days=self.days + 20)
            s["absence"] = p.absence_words[kind]
            s["absent_from"] = p.absence_date(first)
            s["absent_to"] = p.absence_date(last) if last else ""
            s["away_days"] = None if kind == "phased_return" else (first, last)
            s["absence_kind"] = kind
            self.absent[how].append(s)

    def per_rule(self):
        return max(1, round(self.args.staff * self.days / 7000))

    @staticmethod
    def away(s, date):
        """Whether HR records s absent on `date` (a phased return is work)."""
        days = s.get("away_days")
        return bool(days) and days[0] <= date and (days[1] is None or date <= days[1])

    def plant_absences(self):
        """Someone using the account of a colleague who is off sick, on maternity leave or
        on a career break (or the absent officer working while signed off); and the benign
        days either side: the last day before an absence, the first day back, a phased
        return."""
        rng, p = random.Random(self.seed_of("absence-incidents")), self.p
        for how, offset in (("starting", -1), ("ended", 0), ("phased", 0)):
            for s in self.absent[how]:
                day = self.absence_day(s, how) + offset
                t = self.start + dt.timedelta(days=day, hours=rng.uniform(9, 16))
                system = max(s["systems"], key=s["systems"].get)  # their everyday system
                num = rng.randint(1, 1999999)
                name, dob = self.person(num)
                code = s["reasons"][0]
                self.access(t, s, system, "view", "person", self.pid(num), name=name, dob=dob, reason=code,
                            text=p.words["incident_enquiry"], ref=self.ref_for(rng, code, system, t))
        first = ["first-access-to-system"] if self.warmup >= LEARNING_DAYS else []
        self.planting_absence = True
        weekdays = [d for d in range(self.days) if (self.start + dt.timedelta(days=d)).weekday() < 5]
        for s in self.absent["away"]:
            # In office hours: the holders are office staff, and out-of-hours use is another rule's.
            day = rng.choice(weekdays or list(range(self.days)))
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(9, 15.5))
            system = rng.choice(list(s["systems"]))
            code = s["reasons"][0]
            ip = f"10.{rng.randint(20, 90)}.{rng.randint(0, 63)}.{rng.randint(2, 250)}"
            for i in range(rng.randint(1, 3)):
                tt = t + dt.timedelta(minutes=7 * i)
                num = rng.randint(1, 1999999)
                name, dob = self.person(num)
                self.access(tt, s, system, "query", "person", self.pid(num), name=name, dob=dob, reason=code,
                            text=p.words["incident_enquiry"], ref=self.ref_for(rng, code, system, tt), ip=ip)
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": "access-while-absent",
                               "rule": "access-while-absent", "rules": ["access-while-absent"], "user": s["id"],
                               "start": self.ts(t), "end": self.ts(tt),
                               "description": f"{s['absence']} since {s['absent_from']}: account used on {system}",
                               "also": first})
        self.planting_absence = False

    def absence_day(self, s, how):
        """The period's day index on which s's absence starts (starting) or s is back."""
        first, last = s["away_days"] or (None, None)
        if how == "starting":
            return (first - self.start.date()).days
        if how == "ended":
            return (last - self.start.date()).days + 1
        return 0

    # ---------------------------------------------------------------- neighbours
    def near_home(self, rng, s, doors):
        """An address `doors` doors along the street from s's home (as HR holds it), written
        the records system's way; None when s's home has no house number."""
        parts = [x for x in s["address"].split(", ") if not x.startswith("Flat ")]
        number, _, street = parts[0].partition(" ")
        if not number.isdigit():
            return None
        n = int(number) + 2 * doors if int(number) > 2 * doors + 1 or rng.random() < 0.5 else int(number) - 2 * doors
        n = max(1, n) if n != int(number) else n + 2
        if self.p.key == "A":
            return f"{n} {street}, {parts[1]}"
        town, pc = parts[1], parts[2]
        if rng.random() < 0.5:  # the next postcode unit along the street
            pc = pc[:-2] + rng.choice("ABDEFGHJLNPQRSTUWXYZ") + rng.choice("ABDEFGHJLNPQRSTUWXYZ")
        return f"{n} {street} {town} {pc}".upper()

    def in_sector(self, rng, s):
        """Another street's address in s's postcode sector (profile B has postcodes)."""
        parts = [x for x in s["address"].split(", ") if not x.startswith("Flat ")]
        street = rng.choice([x for x in self.p.streets if x not in parts[0]])
        pc = parts[2][:-2] + rng.choice("ABDEFGHJLNPQRSTUWXYZ") + rng.choice("ABDEFGHJLNPQRSTUWXYZ")
        return f"{rng.randint(1, 240)} {street} {parts[1]} {pc}".upper()

    def plant_neighbours(self):
        """Officers checking on their neighbours with no case to cite: a person record at an
        address a few doors along, or (where addresses carry postcodes) an address search in
        their own postcode sector. Benign: neighbourhood work on one's own street, with the
        case reference. Own stream, so the rest of the force is drawn as before."""
        rng, p = random.Random(self.seed_of("neighbours")), self.p
        taken = {x["id"] for how in getattr(self, "absent", {}).values() for x in how}
        cand = [s for s in self.staff if s["access_enabled"] and s["hr_status"] == "active"
                and s["id"] not in taken and s["fn"] in p.operational_fns
                and s["address"][:1].isdigit()]
        rng.shuffle(cand)
        per = self.per_rule()
        variants = ["person"] * per + (["sector"] if p.key == "B" else ["address"]) * per
        weekdays = [d for d in range(self.days) if (self.start + dt.timedelta(days=d)).weekday() < 5]
        views = 0
        for s, how in zip(cand, variants + ["benign"] * (2 * per)):
            day = rng.choice(weekdays or list(range(self.days)))
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(9.5, 15.5))
            system = max(s["systems"], key=s["systems"].get)
            code = s["reasons"][0]
            if how in ("person", "benign"):
                num = rng.randint(1, 1999999)
                name, dob = self.person(num)
                near = self.near_home(rng, s, rng.randint(1, 6))
                ref = self.ref_for(rng, code, system, t) if how == "benign" else None
                # B: every other view, the first planted one among them, logs the record id
                # only; its address is in the register.
                by_id = p.key == "B" and views % 2 == 0
                views += 1
                if by_id:
                    self.registered_addresses[self.pid(num)] = near
                self.access(t, s, system, "view", "person", self.pid(num), name=name, dob=dob, reason=code,
                            text=p.words["incident_enquiry"], ref=ref, address=None if by_id else near)
                if how == "benign":
                    continue
                what = f"viewed the record of a person living at {near}, near their home, citing no case"
            else:
                near = self.in_sector(rng, s) if how == "sector" else self.near_home(rng, s, rng.randint(1, 4))
                self.access(t, s, system, "query", "address", near, reason=code,
                            text=p.words["concern_welfare"], terms=near)
                what = f"searched for {near}, near their home, citing no case"
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": "lookup-of-neighbour",
                               "rule": "lookup-near-home-without-case", "rules": ["lookup-near-home-without-case"],
                               "user": s["id"], "start": self.ts(t), "end": self.ts(t), "description": what,
                               "also": ["record-access-without-justification"]})

    # ---------------------------------------------------------------- training accounts
    def plant_training(self):
        """Courses in the training suite: trainees on shared training logins working through
        the dummy nominals, dozens of look-ups an hour with training reasons or none (benign:
        no volume, justification or first-seen rule may fire). Incidents: a training login
        used on a live person's record, in class or after it, where the audit trail cannot
        say who looked."""
        rng, p = random.Random(self.seed_of("training")), self.p
        weekdays = [d for d in range(self.days) if (self.start + dt.timedelta(days=d)).weekday() < 5]
        if not weekdays:
            return
        system = next(iter(p.systems))  # the force's main records system
        code, text = p.training_reason
        courses = sorted(rng.sample(weekdays, min(len(weekdays), 3)))
        seats = {}
        for day in courses:
            start = self.start + dt.timedelta(days=day, hours=9.5)
            for acc in rng.sample(p.training_accounts, rng.randint(4, len(p.training_accounts))):
                seat = seats.setdefault(acc, {"id": acc, "account": acc, "fn": "training",
                                              "ip": f"10.99.{len(seats)}.{rng.randint(2, 250)}"})
                for i in range(rng.randint(25, 60)):
                    t = start + dt.timedelta(minutes=rng.uniform(0, 330))
                    n = rng.randint(1, 40)
                    name, dob = self.person(n)
                    reason = rng.random()
                    self.access(t, seat, system, rng.choice(["query", "view", "view", "print"]), "person",
                                p.training_record(n), name=name, dob=dob,
                                reason=code if reason < 0.7 else None, text=text if reason < 0.4 else None)
        # The login's first live look-up is also its first on the system outside training.
        first = ["first-access-to-system"] if self.warmup >= LEARNING_DAYS else []
        for k in range(self.per_rule()):
            acc = rng.choice(sorted(seats) or p.training_accounts)
            seat = seats.get(acc) or {"id": acc, "account": acc, "fn": "training", "ip": "10.99.0.9"}
            day = courses[k % len(courses)]
            late = k % 2 == 1  # in class, or the login kept for the evening
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(18, 21) if late else rng.uniform(10, 15))
            num = rng.randint(1, 1999999)
            name, dob = self.person(num)
            self.access(t, seat, system, "view", "person", self.pid(num), name=name, dob=dob, reason=code, text=text)
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": "training-login-on-live-record",
                               "rule": "training-account-on-live-record", "rules": ["training-account-on-live-record"],
                               "user": acc, "start": self.ts(t), "end": self.ts(t),
                               "description": f"training login {acc} viewed a live person record on {system}",
                               "also": first})
    # ---------------------------------------------------------------- high-profile people
    # The force's register of people staff are tempted to look up (footballers, MPs,
    # celebrities, victims in the news), written in each force's own formats, and the
    # look-ups that reach them. Names of their own, record ids and house numbers outside the
    # background's ranges, so only the planted look-ups reach a listed person.
    HP_PEOPLE = {
        "A": [("footballer", "Marcus", "Adebayo-Clarke", "Marc Clarke"), ("footballer", "Kieran", "O'Driscoll", ""),
              ("mp", "Helena", "Fairweather", ""), ("mp", "Rajinder", "Sandhu", "Raj Sandhu"),
              ("celebrity", "Tamsin", "Rowntree", ""), ("celebrity", "Dominic", "Vance-Holloway", "Dom Vance"),
              ("victim", "Aisling", "McCready", ""), ("victim", "Oluwaseun", "Adeyemi", "Seun Adeyemi"),
              ("footballer", "Callum", "Brennan", ""), ("celebrity", "Saffron", "Leigh", "Saffy Leigh"),
              ("mp", "Gideon", "Ashcroft", ""), ("victim", "Bethany", "Lowther", "")],
        "B": [("Sportsperson", "Declan", "Whitworth", ""), ("Sportsperson", "Yusuf", "Al-Rashid", "Joe Rashid"),
              ("Politician", "Margaret", "Oyelaran", "Maggie Oyelaran"), ("Politician", "Crispin", "Featherstonehaugh", ""),
              ("Media personality", "Jolene", "Ravenscroft", "Jo Raven"), ("Media personality", "Tobias", "Kettlewell", ""),
              ("Victim (media interest)", "Niamh", "Dunleavy", ""), ("Victim (media interest)", "Kofi", "Mensah-Boateng", ""),
              ("Sportsperson", "Siobhan", "Garside", ""), ("Politician", "Ewan", "Strachan", ""),
              ("Victim (media interest)", "Lily-Mae", "Thackray", ""), ("Media personality", "Rory", "Pemberton", "")],
    }

    def hp_address(self, rng):
        """(as the register holds it, as the records system writes it); house numbers 250-420."""
        n, street, town = rng.randint(250, 420), rng.choice(self.p.streets), rng.choice(self.p.towns)
        if self.p.key == "A":
            short = " ".join({"Road": "Rd", "Street": "St", "Lane": "Ln", "Avenue": "Ave", "Close": "Cl",
                              "Drive": "Dr"}.get(w, w) for w in street.split())
            return f"{n} {street}, {town}", f"{n} {short.upper()}, {town.upper()}"
        district = self.postcode_district(town, street)
        pc = f"NM{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        flat = rng.randint(1, 9) if rng.random() < 0.4 else None
        reg = (f"Flat {flat}, " if flat else "") + f"{n} {street}, {town}, {pc}"
        sysf = ((f"FLAT {flat} " if flat else "") + f"{n} {street} {town} {pc.replace(' ', '')}").upper()
        return reg, sysf

    def hp_terms(self, fn, sn, dob=None):
        """A name search as the force's systems write it, with no date of birth unless given."""
        sn_ = sn.upper().replace("'", "")
        if self.p.key == "A":
            return f"{sn_}/{fn.upper()}" + (f"/{dob}" if dob else "")
        return f"SN:{sn_} FN:{fn.upper()}" + (f" DOB:{dob}" if dob else "")

    def plant_high_profile(self):
        """The high-profile register, and look-ups of listed people with no case reference:
        by record id, by a name search with no trace (no subject.id), by surname and date of
        birth (B), by the person's address written the records system's way. Benign: a
        victim's case team viewing them citing the case; a namesake (same name, another date
        of birth) viewed and searched for with no reference; a search for a listed surname
        alone. Own stream, so the rest of the force is drawn as before."""
        rng, p = random.Random(self.seed_of("high-profile")), self.p
        people = []
        for i, (cat, fn, sn, alias) in enumerate(self.HP_PEOPLE[p.key]):
            y, m, d = rng.randint(1958, 2004), rng.randint(1, 12), rng.randint(1, 28)
            num = 2_400_000 + rng.randint(1, 500_000)  # the background draws 1 .. 1,999,999
            reg_addr, sys_addr = self.hp_address(rng)
            added = self.start - dt.timedelta(days=rng.randint(40, 400))
            people.append({"fn": fn, "sn": sn, "alias": alias, "cat": cat, "ymd": (y, m, d), "num": num,
                           "reg_addr": reg_addr, "sys_addr": sys_addr, "added": added})
        if p.key == "A":
            self.registers["high_profile"] = [
                {"ref": f"HP-{i + 1:03d}", "category": x["cat"], "surname": x["sn"], "forenames": x["fn"],
                 "aliases": x["alias"], "dob": self.fmt_dob(*x["ymd"]), "ids": self.pid(x["num"]),
                 "address": x["reg_addr"], "added_on": x["added"].strftime("%Y-%m-%d"), "until": ""}
                for i, x in enumerate(people)]
        else:  # B: its own columns' spelling, upper-case surnames, UK dates, two ids, a review date
            self.registers["high_profile"] = [
                {"ref": f"NMC-VIP-{i + 41}", "category": x["cat"], "surname": x["sn"].upper(), "forenames": x["fn"],
                 "aliases": x["alias"], "dob": self.fmt_dob(*x["ymd"]),
                 "ids": f"{self.pid(x['num'])};PNC-{x['ymd'][0] % 100:02d}/{x['num'] % 999983:06d}X",
                 "address": x["reg_addr"], "added_on": x["added"].strftime("%Y-%m-%d 00:00:00"),
                 "until": (self.start + dt.timedelta(days=180)).strftime("%Y-%m-%d 00:00:00")}
                for i, x in enumerate(people)]
        # A person system each user works on daily.
        person_systems = ("PNC", "Niche", "PND") if p.key == "A" else ("PNC", "NicheRMS", "PND")
        taken = {x["id"] for how in getattr(self, "absent", {}).values() for x in how}
        cand = [s for s in self.staff if s["access_enabled"] and s["hr_status"] == "active"
                and s["id"] not in taken and s["fn"] in p.operational_fns
                and any(x in s["systems"] for x in person_systems)]
        rng.shuffle(cand)
        per = self.per_rule()
        variants = ["id", "search", "address"] * per + (["surname-dob"] if p.key == "B" else ["id-generic"]) * per
        benign = ["case-team", "namesake", "surname-only"] * (2 * per)
        weekdays = [d for d in range(self.days) if (self.start + dt.timedelta(days=d)).weekday() < 5]
        hp = rng.sample(people, len(people))
        for k, (s, how) in enumerate(zip(cand, variants + benign)):
            x = hp[k % len(hp)]
            fn, sn, (y, m, d) = x["fn"], x["sn"], x["ymd"]
            name, dob = self.fmt_name(fn, sn), self.fmt_dob(y, m, d)
            day = rng.choice(weekdays or list(range(self.days)))
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(9.5, 15.5))
            system = max((x_ for x_ in s["systems"] if x_ in person_systems), key=s["systems"].get)
            code = s["reasons"][0]
            also = ["record-access-without-justification", "record-access-with-generic-justification"]
            if how == "id":  # no reason at all
                self.access(t, s, system, "view", "person", self.pid(x["num"]), name=name, dob=dob)
                what = f"viewed listed {x['cat']} {self.pid(x['num'])} with no reason"
            elif how == "id-generic":  # a code and a placeholder text, no reference
                self.access(t, s, system, "view", "person", self.pid(x["num"]), name=name, dob=dob, reason=code,
                            text=rng.choice(["checks", "enqs", "info"]))
                what = f"viewed listed {x['cat']} {self.pid(x['num'])} giving only a placeholder reason"
            elif how == "search":  # a name search with no trace: no subject.id
                terms = self.hp_terms(fn, sn)
                self.access(t, s, system, "query", "person", "" if p.key == "A" else "(search)", terms=terms,
                            reason=code, text=p.words["incident_enquiry"], count=0)
                what = f"searched for listed {x['cat']} by name ({terms}) citing no case"
            elif how == "surname-dob":
                terms = f"SN:{sn.upper()} DOB:{dob}"
                self.access(t, s, system, "query", "person", "(search)", terms=terms, reason=code,
                            text=p.words["suspect_research"], ref="TBC", count=1)
                also.append("record-access-with-invalid-reference")
                what = f"searched for listed {x['cat']} by surname and date of birth, reference TBC"
            elif how == "address":
                self.access(t, s, system, "query", "address", x["sys_addr"], terms=x["sys_addr"], reason=code,
                            text=p.words["concern_welfare"])
                what = f"searched for the home address of listed {x['cat']} ({x['sys_addr']}) citing no case"
            elif how == "case-team":  # the victim's case team, citing the case, several views
                for i in range(rng.randint(2, 4)):
                    tt = t + dt.timedelta(minutes=rng.randint(3, 40) * i)
                    self.access(tt, s, system, "view", "person", self.pid(x["num"]), name=name, dob=dob,
                                reason=code, text=p.words["incident_enquiry"], ref=self.ref_for(rng, code, system, tt))
                continue
            elif how == "namesake":  # someone else of the same name: another record, another date
                other = self.fmt_dob(y + rng.choice([-23, -11, 9, 17]), 1 + (m + 4) % 12, d)
                nid = self.pid(rng.randint(1, 1999999))
                self.access(t, s, system, "view", "person", nid, name=name, dob=other, reason=code,
                            text=p.words["incident_enquiry"])
                self.access(t + dt.timedelta(minutes=2), s, system, "query", "person", nid,
                            terms=self.hp_terms(fn, sn, other), reason=code, text=p.words["incident_enquiry"])
                continue
            else:  # surname-only: a listed surname alone, research with no case
                self.access(t, s, system, "query", "person", "" if p.key == "A" else "(search)",
                            terms=(sn.upper() if p.key == "A" else f"SN:{sn.upper()}"), reason=code,
                            text=p.words["suspect_research"], count=rng.randint(2, 30))
                continue
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": f"high-profile-{how}",
                               "rule": "lookup-of-high-profile-person", "rules": ["lookup-of-high-profile-person"],
                               "user": s["id"], "start": self.ts(t), "end": self.ts(t), "description": what,
                               "also": also})
    # ---------------------------------------------------------------- sites: where a login comes from
    # Each member of staff works from a home site; each day they sit at a desk there, and many
    # move desk during the day (hot-desking: A..A, then B..B; now and then back to the first).
    # A few drive to another site and carry on there (a move the time allows), and office staff
    # work from home on the VPN in the evening. Force A places logins by address range
    # (10.x per site, EXW-WS-nnnn desks); force B by workstation name (NMC-<site>-PCnnnn,
    # logged by some systems as a lower-case FQDN), HQ by an IPv6 range, and the VPN by range.
    # Desks come from their own streams (per person and date), so the rest of the force is
    # drawn as before.

    def site_table(self):
        """[(site id, building, town, lat, lon, matches, remote)] of this force, and each
        site's desks as [(host, ip)]. Cached."""
        if getattr(self, "_sites", None):
            return self._sites
        rng = random.Random(self.seed_of("site-table"))
        if self.p.key == "A":
            rows = [("EXW-HQ", "Force Headquarters, Castle Street", "Exton", 52.1042, -1.5101, 40),
                    ("EXW-EXC", "Exton Central Police Station", "Exton", 52.0991, -1.4977, 41),
                    ("EXW-EXN", "Exton North Police Station", "Exton", 52.1380, -1.4890, 42),
                    ("EXW-WYF", "Wyford Police Station", "Wyford", 52.3512, -1.1978, 43),
                    ("EXW-HAL", "Hallam Police Station", "Hallam", 52.2270, -1.7320, 44),
                    ("EXW-BRK", "Brackley Roads Policing Base", "Brackley", 51.9570, -1.3400, 45)]
            sites = [(sid, b, town, lat, lon, [f"10.{net}.0.0/16"], False) for sid, b, town, lat, lon, net in rows]
            # The custody suite is a /20 inside Wyford's /16: the longer prefix places it.
            sites.append(("EXW-WYC", "Wyford Custody Suite", "Wyford", 52.3530, -1.2010, ["10.43.16.0/20"], False))
            sites.append(("EXW-VPN", "Remote access (VPN)", "", None, None, ["10.250.0.0/16"], True))
            desks, n = {}, 1000
            for sid, _, _, _, _, match, remote in sites:
                if remote:
                    continue
                net = match[0].split(".")
                base3 = int(net[2])
                desks[sid] = []
                for i in range(rng.randint(60, 120)):
                    n += rng.randint(1, 7)
                    desks[sid].append((f"EXW-WS-{n:04d}", f"10.{net[1]}.{base3 + i // 200}.{10 + i % 200}"))
        else:
            rows = [("NM-HQ", "Northmoor Constabulary Headquarters", "Ravensfield", 54.2101, -1.9502, "HQ"),
                    ("NM-HAR", "Harwick Police Station", "Harwick", 54.4530, -1.6010, "HAR"),
                    ("NM-MOO", "Moorside Police Station", "Moorside", None, None, "MOO"),
                    ("NM-ELL", "Ellerby Police Station", "Ellerby", None, None, "ELL"),
                    ("NM-STN", "Stanwick Custody Centre", "Stanwick", 54.0460, -2.2600, "STN"),
                    ("NM-COL", "Colby Police Office", "Colby", 54.3320, -2.1540, "COL")]
            sites = [(sid, b, town, lat, lon, [f"NMC-{code}-*"] + (["fd4e:4d43:10::/48"] if code == "HQ" else []), False)
                     for sid, b, town, lat, lon, code in rows]
            sites.append(("NM-VPN", "Agile working (VPN)", "", None, None, ["172.31.128.0/18"], True))
            desks = {}
            for k, (sid, _, _, _, _, match, remote) in enumerate(sites):
                if remote:
                    continue
                code = match[0][4:-2]
                desks[sid] = []
                for i in rng.sample(range(1, 900), rng.randint(50, 100)):
                    ip = f"fd4e:4d43:10:{i // 256:x}::{i % 256 + 16:x}" if code == "HQ" else f"172.{16 + k}.{i // 200}.{20 + i % 200}"
                    desks[sid].append((f"NMC-{code}-PC{i:04d}", ip))
        self._sites = (sites, desks)
        return self._sites

    def site_of(self, sid):
        return next(x for x in self.site_table()[0] if x[0] == sid)

    def home_site(self, s):
        """Office functions at HQ, custody at the custody suite, the rest spread over stations."""
        if "home_site" not in s:
            sites, desks = self.site_table()
            stations = [x[0] for x in sites if not x[6] and "Custody" not in x[1] and x[0] not in ("EXW-HQ", "NM-HQ")]
            r = random.Random(self.seed_of(f"home-site:{s['id']}"))
            if s["fn"] in self.p.office_fns or s["fn"] in ("psd", "intel", "training"):
                s["home_site"] = "EXW-HQ" if self.p.key == "A" else "NM-HQ"
            elif s["fn"] == "custody":
                s["home_site"] = "EXW-WYC" if self.p.key == "A" else "NM-STN"
            else:
                s["home_site"] = r.choice(stations)
            s["usual_desk"] = r.choice(desks[s["home_site"]])
        return s["home_site"]

    def least_travel_minutes(self, a, b):
        """What the pack's travel rule assumes: 100 km/h between coordinates; else 20 min
        between different towns; 0 within one town without coordinates."""
        _, _, ta, la, oa, _, _ = self.site_of(a)
        _, _, tb, lb, ob, _, _ = self.site_of(b)
        if None not in (la, oa, lb, ob):
            ra, rb = math.radians(la), math.radians(lb)
            h = (math.sin((rb - ra) / 2) ** 2 +
                 math.cos(ra) * math.cos(rb) * math.sin(math.radians(ob - oa) / 2) ** 2)
            return 2 * 6371 * math.asin(min(1, math.sqrt(h))) / 100 * 60
        return 20 if ta != tb else 0

    def desk_plan(self, s, date):
        """[(hour from, site, (host, ip))] of s on `date` from 07:00, and a move or None:
        (leave hour, arrive hour). Before 07:00 the previous date's last desk holds (nights)."""
        key = (s["id"], date)
        cache = self.__dict__.setdefault("_desk_plans", {})
        if key in cache:
            return cache[key]
        sites, desks = self.site_table()
        home = self.home_site(s)
        r = random.Random(self.seed_of(f"desk:{s['id']}:{date}"))
        mine = [s["usual_desk"]] + r.sample(desks[home], 2)
        first = mine[0] if r.random() < 0.6 else mine[1]
        plan, move = [(7.0, home, first)], None
        for _ in range(r.choices([0, 1, 2], [0.55, 0.33, 0.12])[0]):  # hot-desking
            h = r.uniform(plan[-1][0] + 0.5, 18)
            desk = r.choice([d for d in mine if d != plan[-1][2]])
            plan.append((h, home, desk))
        plan.sort(key=lambda x: x[0])
        # A move to another site (a meeting, a court, cover), the travel time taken; the
        # events drawn while on the road are not written.
        if self.moves_on and s["id"] not in self.no_moves and r.random() < 0.03:
            other = r.choice([x[0] for x in sites if not x[6] and x[0] != home])
            leave = r.uniform(9, 15)
            arrive = leave + (self.least_travel_minutes(home, other) * r.uniform(1.2, 2.0) + r.uniform(5, 20)) / 60
            plan = [x for x in plan if x[0] < leave] + [(arrive, other, r.choice(desks[other]))]
            move = (leave, arrive)
        if self.start.date() <= date < self.end.date():  # the benign catalogue counts scored days
            self.scored_catalogue["desk_change"] += sum(1 for a, b in zip(plan, plan[1:]) if a[1] == b[1])
            self.scored_catalogue["site_move"] += move is not None
        cache[key] = (plan, move)
        return cache[key]

    def desk_at(self, s, t):
        """(host, ip, in transit) of s at time t."""
        date, h = t.date(), t.hour + t.minute / 60 + t.second / 3600
        if h < 7:
            plan, _ = self.desk_plan(s, date - dt.timedelta(days=1))
            return plan[-1][2] + (False,)
        plan, move = self.desk_plan(s, date)
        desk = plan[0][2]
        for start, _, d in plan:
            if start <= h:
                desk = d
        if move and move[0] <= h < move[1]:
            return desk + (True,)
        return desk + (False,)

    def host_name(self, host, system):
        """B's records and intelligence systems log the FQDN, lower-cased; the rest the short name."""
        if self.p.key == "B" and system in ("NicheRMS", "SourceHub", "HOLMES2", "Unit4"):
            return f"{host.lower()}.northmoor.police.uk"
        return host

    def vpn_address(self, rng):
        if self.p.key == "A":
            return f"10.250.{rng.randint(0, 255)}.{rng.randint(2, 250)}", f"EXW-LT-{rng.randint(2000, 2999):04d}"
        return f"172.31.{rng.randint(128, 191)}.{rng.randint(2, 250)}", f"NMCLT{rng.randint(10000, 19999)}"

    def plant_sites(self):
        """One account at two sites no one could travel between in the time (towns with
        coordinates; B also towns without; A also two buildings of one town a minute apart);
        one account at two desks by turns (a shared login). Benign: VPN work in the evening
        after a day in the office, and the moves and hot-desking in the background."""
        rng, p = random.Random(self.seed_of("site-incidents")), self.p
        sites, desks = self.site_table()
        taken = {t["user"] for t in self.truth}
        cand = [s for s in self.staff if s["access_enabled"] and s["hr_status"] == "active" and s["systems"]
                and s["id"] not in taken and s["fn"] in p.operational_fns and s["pattern"] != "office"]
        rng.shuffle(cand)
        per = self.per_rule()
        travel = ["towns", "same-town" if p.key == "A" else "no-coordinates"]
        variants = [v for v in travel for _ in range(per)] + ["desks"] * (2 * per)
        weekdays = [d for d in range(self.days) if (self.start + dt.timedelta(days=d)).weekday() < 5]
        used = 0
        for s in cand:
            if used == len(variants):
                break
            day = rng.choice(weekdays or list(range(self.days)))
            ivs = self.intervals(s, day, (self.start + dt.timedelta(days=day)).date())
            ivs = [(a, b) for a, b in ivs if a >= 7 and b - a >= 6]
            if not ivs:
                continue
            how = variants[used]
            home = self.home_site(s)
            located = self.site_of(home)[3] is not None
            if (how in ("towns", "same-town") and not located) or (how == "no-coordinates" and located):
                continue  # each variant from a site that has (or lacks) coordinates
            if how == "same-town" and not any(x[2] == self.site_of(home)[2] and x[0] != home for x in sites):
                continue
            used += 1
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(ivs[0][0] + 1.5, ivs[0][1] - 2))
            system = max(s["systems"], key=s["systems"].get)
            code = s["reasons"][0]

            def look(tt, desk):
                num = rng.randint(1, 1999999)
                name, dob = self.person(num)
                self.access(tt, s, system, "view", "person", self.pid(num), name=name, dob=dob, reason=code,
                            text=p.words["incident_enquiry"], ref=self.ref_for(rng, code, system, tt),
                            ip=desk[1], host=self.host_name(desk[0], system))
            own = self.desk_at(s, t)[:2]
            if how == "desks":
                other = rng.choice([d for d in desks[home] if d != own])
                tt = t
                for i in range(rng.randint(5, 7)):
                    look(tt, own if i % 2 == 0 else other)
                    tt += dt.timedelta(minutes=rng.uniform(1, 2.5))
                end = tt
                what = f"used at {own[0]} and {other[0]} by turns within minutes ({self.site_of(home)[1]})"
                kind, rule = "account-used-at-two-workstations", "account-used-at-two-workstations"
            else:
                if how == "towns":
                    far = [x[0] for x in sites if not x[6] and x[3] is not None and self.site_of(home)[3] is not None
                           and self.least_travel_minutes(home, x[0]) >= 12]
                elif how == "same-town":
                    far = [x[0] for x in sites if not x[6] and x[0] != home and x[2] == self.site_of(home)[2]
                           and x[3] is not None and self.least_travel_minutes(home, x[0]) >= 1.5]
                else:
                    far = [x[0] for x in sites if not x[6] and x[3] is None and x[2] != self.site_of(home)[2]]
                if not far:  # home has no coordinates, or no sibling building: any far site
                    far = [x[0] for x in sites if not x[6] and self.least_travel_minutes(home, x[0]) >= 12]
                there = rng.choice(far)
                gap = self.least_travel_minutes(home, there) * rng.uniform(0.25, 0.6)
                look(t, own)
                tt = t + dt.timedelta(minutes=gap)
                desk = rng.choice(desks[there])
                for i in range(rng.randint(1, 3)):
                    look(tt + dt.timedelta(minutes=2 * i), desk)
                end = tt + dt.timedelta(minutes=2 * i)
                what = (f"used at {self.site_of(home)[1]} and {gap:.0f} min later at {self.site_of(there)[1]} "
                        f"({self.least_travel_minutes(home, there):.0f} min away)")
                kind, rule = "account-used-at-two-sites", "account-used-at-two-sites"
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": kind, "rule": rule,
                               "rules": [rule], "user": s["id"], "start": self.ts(t), "end": self.ts(end),
                               "description": what, "also": []})
        # Benign: work from home on the VPN after a day at the desk, half an hour or more after
        # leaving and before 20:00 (later is out-of-hours-access-office-role's business).
        office = [s for s in self.staff if s["access_enabled"] and s["hr_status"] == "active" and s["systems"]
                  and s["id"] not in taken and s["fn"] in p.office_fns]
        rng.shuffle(office)
        planted = 0
        for s in office:
            if planted == 4 * per:
                break
            day = rng.choice(weekdays or list(range(self.days)))
            ivs = self.intervals(s, day, (self.start + dt.timedelta(days=day)).date())
            start = (max(b for _, b in ivs) if ivs else 17) + rng.uniform(0.5, 1.2)
            if start + 0.4 > 19.9:
                continue
            planted += 1
            t = self.start + dt.timedelta(days=day, hours=start)
            ip, host = self.vpn_address(rng)
            system = rng.choice(list(s["systems"]))
            for i in range(rng.randint(2, 5)):
                tt = t + dt.timedelta(minutes=5 * i)
                self.access(tt, s, system, "view", "occurrence", self.ref_for(rng, s["reasons"][0], system, tt),
                            reason=s["reasons"][0], ref=self.ref_for(rng, s["reasons"][0], system, tt),
                            text=p.words["incident_enquiry"], ip=ip, host=host)
            self.scored_catalogue["vpn_evening"] += 1

    def write_sites(self, out):
        """register/sites.csv, each force its own way: A ranges, yes/no, 4-decimal degrees;
        B workstation patterns first, TRUE/FALSE, more decimals, an empty town for the VPN."""
        sites, _ = self.site_table()
        path = os.path.join(out, "register", "sites.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            if self.p.key == "A":
                w.writerow(["site_id", "match", "building", "town", "latitude", "longitude", "remote"])
                for sid, b, town, lat, lon, matches, remote in sites:
                    for m in matches:
                        w.writerow([sid, m, b, town, "" if lat is None else f"{lat:.4f}",
                                    "" if lon is None else f"{lon:.4f}", "yes" if remote else "no"])
            else:
                w.writerow(["match", "site_id", "town", "building", "remote", "latitude", "longitude"])
                for sid, b, town, lat, lon, matches, remote in sites:
                    for m in matches:
                        w.writerow([m.lower() if ":" in m else m, sid.lower(), town or "n/a", b.upper(),
                                    "TRUE" if remote else "FALSE", "" if lat is None else f"{lat:.6f}",
                                    "" if lon is None else f"{lon:.6f}"])
    # ---------------------------------------------------------------- declared associates with identity
    def spelt_otherwise(self, word):
        """The same name as another clerk spells it (Smith/Smyth, Philips/Filips, Carr/Car):
        what same_person's spelling key reads as one name."""
        for a, b in (("y", "i"), ("i", "y"), ("ph", "f"), ("ck", "k"), ("c", "k")):
            i = word.find(a, 1)
            if i > 0 and not (a == "c" and word[i + 1:i + 2] in ("e", "i", "y", "h")):  # a soft C is an S
                return word[:i] + b + word[i + len(a):]
        for i in range(1, len(word) - 1):
            if word[i] == word[i + 1]:
                return word[:i] + word[i + 1:]
        return word[:1] + word[1:] + word[-1]  # a doubled last letter

    def declared_name(self, fn, sn, alias=False):
        """A name as the declaration form holds it: A "James Hartley"; B "James Hartley", its
        aliases "HARTLEY, James" (the records systems write names their own way)."""
        return f"{sn.upper()}, {fn}" if alias and self.p.key == "B" else f"{fn} {sn}"

    def other_ids(self, rng, num):
        """The same person's ids in the force's systems, labelled the force's way: a PNC id
        and the records system's own (which events carry as subject.id)."""
        pnc = f"{rng.randint(80, 99):02d}/{num % 1000000:06d}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
        if self.p.key == "A":
            return [f"PNC:{pnc}", f"Niche:{self.pid(num)}"]
        return [f"PNC: {pnc}", f"NicheRMS: {self.pid(num).lower()}"]

    def plant_associates(self):
        """Declared associations with identity (name, date of birth, aliases, ids in other
        systems, address) and the ex-partner look-ups PSDs see most: the ex-partner found by
        id, by an id in another system, by name and date of birth, by an alias spelt another
        way; the new partner at the ex-partner's address (person record, address search); a
        declared family member, friend or business associate found only by name and date of
        birth. Benign near-misses: namesakes born another day, the house next door, a family
        liaison officer with a family sharing a declared relative's surname, and declared
        ex-partners and relatives never looked up. Own stream, so the force is drawn as before."""
        rng, p = random.Random(self.seed_of("associates")), self.p
        taken = {t["user"] for t in self.truth} | {x["id"] for how in getattr(self, "absent", {}).values() for x in how}
        declared = {a[0] for a in self.associations}
        cand = [s for s in self.staff if s["access_enabled"] and s["hr_status"] == "active"
                and s["id"] not in taken and s["id"] not in declared and s["fn"] in p.operational_fns]
        rng.shuffle(cand)
        per = self.per_rule()
        variants = (["ex-id", "ex-other-id", "ex-name", "ex-alias", "ex-case", "new-partner", "new-partner-search",
                     "assoc-name", "assoc-alias"] * per
                    + ["namesake", "next-door", "flo", "quiet-ex", "quiet-ex", "quiet-family"] * (2 * per))
        weekdays = [d for d in range(self.days) if (self.start + dt.timedelta(days=d)).weekday() < 5]
        fmt_date = (lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}") if p.key == "A" else (lambda y, m, d: f"{d:02d}/{m:02d}/{y:04d}")
        for s, how in zip(cand, variants):
            day = rng.choice(weekdays or list(range(self.days)))
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(9.5, 15.5))
            system = max(s["systems"], key=s["systems"].get)
            code = s["reasons"][0]
            num = rng.randint(1, 1999999)
            fn, sn, y, m, d = self.person_parts(num)
            name, dob = self.person(num)
            hr_addr, sys_addr = self.address(rng)
            if p.key == "A":  # A's records system abbreviates and upper-cases what HR writes out
                for word, abbr in ((" Road", " Rd"), (" Street", " St"), (" Lane", " Ln"), (" Avenue", " Ave")):
                    sys_addr = sys_addr.replace(word, abbr)
                sys_addr = sys_addr.upper()
            kind = "ex_partner" if how.startswith(("ex", "new", "namesake", "next", "quiet-ex")) else \
                rng.choice(["family", "friend", "business", "partner"])
            kind_text = {"A": {"ex_partner": "ex_partner", "family": "family", "friend": "friend",
                               "business": "business", "partner": "partner"},
                         "B": {"ex_partner": "Ex-Partner", "family": "Relative", "friend": "Close Friend",
                               "business": "Business Associate", "partner": "Spouse"}}[p.key][kind]
            row = {"party_id": self.pid(num), "party_name": self.declared_name(fn, sn), "party_dob": fmt_date(y, m, d),
                   "party_aliases": [], "party_ids": [], "party_address": hr_addr if kind == "ex_partner" else ""}
            if how == "ex-other-id":  # ids in other systems only: no name and date of birth to go by
                row.update(party_id="", party_ids=self.other_ids(rng, num), party_dob="")
            elif how in ("ex-name", "assoc-name", "namesake", "flo"):
                row["party_id"] = ""  # the declaration knows no record id
            elif how in ("ex-alias", "assoc-alias"):
                maiden = rng.choice([x for x in p.surnames if x != sn])
                row.update(party_id="", party_name=self.declared_name(fn, maiden),
                           party_aliases=[self.declared_name(fn, self.spelt_otherwise(sn), alias=True)])
            else:
                row["party_ids"] = self.other_ids(rng, num)[:1]
            self.associations.append((s["id"], row["party_id"], row["party_name"], kind_text, self.declared(rng),
                                      row["party_dob"], ";".join(row["party_aliases"]), ";".join(row["party_ids"]),
                                      row["party_address"]))
            ref = self.ref_for(rng, code, system, t)
            if how in ("quiet-ex", "quiet-family"):
                continue  # declared, never looked up
            if how == "namesake":  # the ex-partner's namesake, born another year, on a case
                self.access(t, s, system, "view", "person", self.pid(rng.randint(2000000, 2999999)),
                            name=name, dob=self.fmt_dob(y + rng.choice([-3, -2, 2, 5]), m, d),
                            reason=code, text=p.words["incident_enquiry"], ref=ref)
                continue
            if how == "next-door":  # the house next door to the ex-partner's, on a case
                parts = hr_addr.split(", ")
                head = [x for x in parts if not x.startswith("Flat ")][0]
                n, _, street = head.partition(" ")
                nxt = f"{int(n) + 2} {street}"
                addr = ", ".join(nxt if x == head else x for x in parts if not x.startswith("Flat "))
                addr = addr if p.key == "A" else addr.replace(",", "").upper()
                other = rng.randint(2000000, 2999999)
                o_name, o_dob = self.person(other)
                self.access(t, s, system, "view", "person", self.pid(other), name=o_name, dob=o_dob, reason=code,
                            text=p.words["incident_enquiry"], ref=ref, address=addr)
                continue
            if how == "flo":  # a family sharing a declared relative's surname, not theirs
                other = self.same_surname_num(rng, sn, fn)
                if other is None:
                    continue
                o_name, o_dob = self.person(other)
                self.access(t, s, system, "view", "person", self.pid(other), name=o_name, dob=o_dob, reason=code,
                            text=p.words["witness_trace"], ref=ref)
                continue
            what = {"ex-id": "their declared ex-partner, by the declared id",
                    "ex-other-id": "their declared ex-partner, declared with ids in other systems only",
                    "ex-name": "their declared ex-partner, declared by name and date of birth only",
                    "ex-alias": "their declared ex-partner, declared under another surname with an alias spelt otherwise",
                    "ex-case": "their declared ex-partner, citing a case reference",
                    "new-partner": "a person living at their declared ex-partner's address",
                    "new-partner-search": "their declared ex-partner's address",
                    "assoc-name": f"a declared {kind} associate, declared by name and date of birth only",
                    "assoc-alias": f"a declared {kind} associate, by an alias spelt otherwise"}[how]
            if how == "new-partner":
                other = rng.randint(2000000, 2999999)
                o_name, o_dob = self.person(other)
                self.access(t, s, system, "view", "person", self.pid(other), name=o_name, dob=o_dob, reason=code,
                            text=p.words["incident_enquiry"], address=sys_addr)
                rule = "lookup-at-ex-partner-address"
            elif how == "new-partner-search":
                self.access(t, s, system, "query", "address", sys_addr, reason=code,
                            text=p.words["concern_welfare"], terms=sys_addr)
                rule = "lookup-at-ex-partner-address"
            else:
                self.access(t, s, system, "view", "person", self.pid(num), name=name, dob=dob, reason=code,
                            text=p.words["incident_enquiry"], ref=ref if how == "ex-case" else None)
                rule = "lookup-of-ex-partner" if how.startswith("ex") else "lookup-of-declared-associate-by-name"
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": rule, "rule": rule, "rules": [rule],
                               "user": s["id"], "start": self.ts(t), "end": self.ts(t),
                               "description": f"looked up {what}",
                               "also": ["record-access-without-justification", "lookup-near-home-without-case"]})

    # ---------------------------------------------------------------- writing
    def write_reference(self, out):
        os.makedirs(os.path.join(out, "lists"), exist_ok=True)
        os.makedirs(os.path.join(out, "register"), exist_ok=True)
        cols = ["id", "surname", "forenames", "emails", "department", "role", "peer_group", "address",
                "hr_status", "leaving_date", "absence", "absent_from", "absent_to",
                "vetting_level", "vetting_granted", "vetting_expires", "vetting_status"]
        with open(os.path.join(out, "staff.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(cols)
            for s in self.staff:
                w.writerow([";".join(s[c]) if c == "emails" else s.get(c, "") for c in cols])
        with open(os.path.join(out, "associations.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["staff_id", "party_id", "party_name", "kind", "declared_on", "party_dob",
                        "party_aliases", "party_ids", "party_address"])
            seen = set()
            for a in self.associations:
                key = (a[0], a[1] or a[2], a[3])
                if key not in seen:
                    seen.add(key)
                    w.writerow(list(a) + [""] * (9 - len(a)))
        with open(os.path.join(out, "systems.csv"), "w", newline="") as f:
            f.write("system,required_vetting\n")
            for k, v in self.p.systems.items():
                f.write(f"{k},{v}\n")
        for name, items in self.lists.items():
            if name in SITE_LISTS:  # per-force facts: in site.yaml, not in state
                continue
            with open(os.path.join(out, "lists", name + ".txt"), "w") as f:
                f.write(f"# {name} ({self.p.name}, synthetic force {self.p.key}, seed {self.args.seed})\n")
                for v in items:
                    f.write(v + "\n")
        self.registers["subject_addresses"] = self.subject_addresses()
        for name, rows in self.registers.items():
            if not rows:
                continue
            with open(os.path.join(out, "register", name + ".csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)
        self.write_sites(out)
        self.write_site(os.path.join(out, "site.yaml"))

    def subject_addresses(self):
        """B's subject-address register (`probity state import subject_addresses`): its
        records system logs a person view by id only, so the force exports where each person
        the background viewed lives (a random address of the force area, drawn per person from
        its own stream) and the planted neighbours' addresses. A has none."""
        rows = {}
        for num in sorted(self.viewed_nums):
            rng = random.Random(self.seed_of("subject-address") ^ num)
            rows[self.pid(num)] = self.address(rng)[1]
        rows.update(self.registered_addresses)  # a planted view's address wins
        return [{"subject_id": sid, "address": a, "system": ""} for sid, a in sorted(rows.items())]

    def write_site(self, path):
        def q(s):  # YAML single-quoted scalar: backslashes stay as they are
            return "'" + s.replace("'", "''") + "'"
        p = self.p
        lines = [f"# Site facts of {p.name} (synthetic force {p.key}, seed {self.args.seed}), written by",
                 "# deploy/demo/generate.py for a rule pack to be configured from.",
                 "#",
                 "# reference_formats: per system (as source.system names it), RE2 patterns that match the",
                 "#   force's valid references (reason.ref); a reference is valid on a system if it matches",
                 "#   a pattern under the system's name or under \"*\" (every system).",
                 "# secure_partner_domains: domains OFFICIAL-SENSITIVE mail may go to; an entry covers",
                 "#   the domain and its subdomains (gov.uk covers mash.harwick.gov.uk).",
                 "# office_hours_peer_groups: staff peer groups (staff.csv peer_group) who work office hours.",
                 "# The named lists (watchlist_case_team, media_authorised_staff, ...) are in lists/.",
                 "reference_formats:"]
        for sysname, pats in p.site_formats.items():
            lines.append(f"  {q(sysname) if sysname == '*' else sysname}:")
            lines += [f"    - {q(x)}" for x in pats]
        lines.append("lists:")
        for name in SITE_LISTS:
            lines.append(f"  {name}:")
            lines += [f"    - {q(v)}" for v in self.lists[name]]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")

    # ---------------------------------------------------------------- events
    def emit(self, t, line):
        day = int((t - self.start).total_seconds() // 86400)
        if -self.warmup <= day < self.days:
            self.events.setdefault(day, []).append((t.timestamp(), line))

    @staticmethod
    def sd_escape(v):
        return str(v).translate(SD_ESCAPES)

    @staticmethod
    def ts(t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"

    def access(self, t, s, system, action, stype, sid, *, reason=None, ref=None, text=None,
               name=None, dob=None, terms=None, count=1, outcome="success", ip=None, address=None, host=None):
        desk_host, desk_ip, on_road = self.desk_at(s, t)  # the person's desk at t (sites section)
        if on_road and self.moves_on:  # drawn while driving between sites: not written
            return
        params = [("user.id", s["id"]), ("user.account", s["account"]), ("source.system", system),
                  ("client.ip", ip or desk_ip), ("client.host", host or self.host_name(desk_host, system)),
                  ("action", action),
                  ("op", {"update": "alter", "export": "disclose", "print": "disclose"}.get(action, "consult")),
                  ("subject.type", stype), ("subject.id", sid)]
        if name:
            params.append(("subject.name", name))
        if dob:
            params.append(("subject.dob", dob))
        if terms:
            params.append(("query.terms", terms))
        if address:
            params.append(("subject.address", address))
        if reason:
            params.append(("reason.code", reason))
        if text:
            params.append(("reason.text", text))
        if ref:
            params.append(("reason.ref", ref))
        params += [("result.count", count), ("outcome", outcome)]
        sd = " ".join(f'{k}="{self.sd_escape(v)}"' for k, v in params)
        host = self.p.hosts.get(system, "audit01")
        line = (f"<134>1 {self.ts(t)} {host} {system.lower()}-audit - ACCESS "
                f"[access@32473 {sd}] {action} {stype}")
        # Someone recorded absent does no work: their day is drawn (so everyone else's is as
        # before) but not written, unless it is a planted use of the account.
        if self.away(s, t.date()) and not self.planting_absence:
            return
        self.emit(t, line)

    def lookup(self, rng, t, s, system, num, code, ref, text, action="query", count=1):
        """A person look-up with the record's name and date of birth."""
        name, dob = self.person(num)
        self.access(t, s, system, action, "person", self.pid(num), name=name, dob=dob, reason=code, ref=ref,
                    text=text, count=count, terms=self.terms(num) if action == "query" else None)

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

    # ---------------------------------------------------------------- rotas
    def special_duty(self, s, day_idx, date):
        """Special constables volunteer irregularly: mostly Friday and Saturday evenings and
        nights, some weekend days, the odd weekday evening. A pure function of (id, day)."""
        h = stable_hash(s["id"], day_idx)
        wd = date.weekday()
        chance = 0.4 if wd in (4, 5) else (0.2 if wd == 6 else 0.06)
        if (h % 10000) / 10000.0 >= chance:
            return None
        if wd in (4, 5):
            return ["night", "evening", "day"][(h // 10000) % 3]
        return "day" if wd == 6 else "evening"

    def intervals(self, s, day_idx, date):
        """Working intervals (hours, in the day's UTC) of a member of staff on a day."""
        wd = date.weekday()
        p = s["pattern"]
        off = s["shift_offset"]
        if p == "shift":  # A: 10-day cycle: 2 earlies, 2 lates, 2 nights, 4 rest days
            c = (day_idx + off) % 10
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
            c = (day_idx + off) % 7
            if c in (5, 6):
                return []
            return [(7, 15)] if c < 3 else [(14, 22)]
        if p == "4on4off":  # B: two 12-hour days, two 12-hour nights, four rest days
            c = (day_idx + off) % 8
            prev = (c - 1) % 8
            iv = []
            if c in (0, 1):
                iv.append((7, 19))
            if c in (2, 3):
                iv.append((19, 24))
            if prev in (2, 3):
                iv.append((0, 7))
            return iv
        if p == "lpt":  # B: local policing: earlies, lates, a late-late, rest days
            c = (day_idx + off) % 10
            if c < 3:
                return [(8, 16)]
            if c < 6:
                return [(14, 22)]
            return [(16, 24)] if c == 6 else []
        if p == "special":
            iv = []
            if self.special_duty(s, day_idx - 1, date - dt.timedelta(days=1)) == "night":
                iv.append((0, 3))
            kind = self.special_duty(s, day_idx, date)
            if kind == "night":
                iv.append((19, 24))
            elif kind == "evening":
                iv.append((17, 23))
            elif kind == "day":
                iv.append((10, 18))
            return iv
        if wd >= 5:
            if p == "office-long" and (off + day_idx // 7) % 4 == 0 and wd == 5:
                return [(9, 15)]  # weekend duty
            return []
        return [s["hours"]]

    def when(self, rng, base, ivs):
        weights = [b - a for a, b in ivs]
        a, b = rng.choices(ivs, weights)[0]
        mid = (a + b) / 2
        h = rng.triangular(a, b, mid) if rng.random() < 0.7 else rng.uniform(a, b)
        h = min(max(h, a), b - 1e-6)
        return base + dt.timedelta(seconds=h * 3600 + rng.random())

    def valid_on(self, kind, system):
        ok = self.p.system_ref_kinds.get(system)
        return ok is None or kind in ok

    # ---------------------------------------------------------------- the background
    def background(self):
        """Every working day of every member of staff. The warm-up days before --start carry
        access events only: the history the baselines and first-seen rules learn from."""
        p = self.p
        caseloads = {}
        warm = random.Random(self.seed_of("warm-up"))
        live = random.Random(self.seed_of("scored"))
        self.moves_on, self.no_moves = True, {t["user"] for t in self.truth}  # planted users stay put
        self.case_team_set = set(self.case_team)
        for day in range(-self.warmup, self.days):
            date = (self.start + dt.timedelta(days=day)).date()
            base = self.start + dt.timedelta(days=day)
            warmup = day < 0
            r_ = warm if warmup else live
            self.catalogue = self.warm_catalogue if warmup else self.scored_catalogue
            working = []
            for s in self.staff:
                if not (s["access_enabled"] or s["mail_enabled"]):
                    continue
                ivs = self.intervals(s, day, date)
                if not ivs or (r_.random() < 0.09 and not s.get("always_works")):  # leave, sickness
                    continue
                working.append((s, ivs))
                net = OPS_NET.get(s["fn"], 60)
                s["ip"] = f"10.{net}.{r_.randint(0, 63)}.{r_.randint(2, 250)}"
                hours = sum(b - a for a, b in ivs)
                scale = hours / 8.0
                if r_.random() < 0.03:  # a busy day: a major incident, a court deadline
                    scale *= 1.6
                cl = caseloads.setdefault(s["id"], [])
                if s["access_enabled"] and s["systems"]:
                    n = int(r_.gauss(s["acc"] * scale, s["acc"] * scale * 0.25))
                    for _ in range(max(0, n)):
                        t = self.when(r_, base, ivs)
                        self.background_access(r_, s, t, cl)
                    self.access_items(r_, s, day, base, ivs, cl, warmup)
                if warmup or not s["mail_enabled"]:
                    continue
                n = int(r_.gauss(s["mails"] * scale, s["mails"] * scale * 0.3))
                for _ in range(max(0, n)):
                    t = self.when(r_, base, ivs)
                    self.background_email(r_, s, t)
                self.email_items(r_, s, day, base, ivs, cl)
            self.force_items(r_, day, base, date, working, warmup)
            if warmup:
                continue
            # inbound mail around the clock, mostly in the day
            for _ in range(int(self.args.staff * 1.2)):
                t = base + dt.timedelta(seconds=r_.triangular(0, 86400, 13 * 3600))
                s = self.staff[r_.randrange(len(self.staff))]
                if not s["mail_enabled"]:
                    continue
                r = r_.random()
                if r < 0.45:
                    frm = f"{r_.choice(['info', 'admin', 'j.smith', 'office', 'casework'])}@{r_.choice(p.partners)}"
                    subj = r_.choice(p.subjects["partner"])
                elif r < 0.8:
                    frm = f"{r_.choice(['enquiries', 'manager', 'reception', 'accounts'])}@{r_.choice(p.business + p.other_suppliers)}"
                    subj = r_.choice(p.subjects["business"])
                elif r < 0.93:
                    frm = f"{r_.choice(p.forenames).lower()}{r_.randint(1, 99)}@{r_.choice(p.webmail)}"
                    subj = r_.choice(p.subjects["inbound_public"])
                else:
                    frm = f"newsdesk@{r_.choice(p.media)}"
                    subj = "Media enquiry" if p.key == "A" else "Press enquiry"
                att = []
                if self.on("inbound_public_photos") or r < 0.8:
                    att = [r_.choice(["photo1.jpg", "letter.pdf", "report.docx"])] if r_.random() < 0.3 else []
                self.email(t, frm, r_.choice(s["emails"]), self.fill(r_, subj), "inbound", attachments=att)

    def background_access(self, rng, s, t, caseload):
        p = self.p
        system = rng.choices(s["sys_names"], cum_weights=s["sys_cum"])[0]
        if system in p.admin_systems:
            code = s["reasons"][0]
            ref = self.ref_for(rng, code, system, t)
            if p.key == "A":
                sid = f"E{rng.randint(10000, 99999)}"
            else:
                sid = self.staff[rng.randrange(len(self.staff))]["id"]
            text = self.reason_text(rng, code)
            code, ref, text = self.habits(rng, s, code, ref, text)
            self.access(t, s, system, rng.choice(["view", "view", "update", "query"]), "person", sid,
                        reason=code, ref=ref, text=text)
            return
        # Case team members work the watch-listed cases, under the operation's reference.
        if s["id"] in self.case_team_set and rng.random() < 0.04:
            sid = rng.choice(self.watchlist)
            op = self.watch_op[sid]
            if not self.valid_on("OP", system):
                system = next((x for x in s["systems"] if self.valid_on("OP", x)), system)
            self.lookup(rng, t, s, system, self.num_of(sid), p.code["crime"], op, p.words["op_enquiry"], action="view")
            return
        num = None
        if caseload and rng.random() < 0.55:
            code, ref, kind, text, stype, sid, name, dob, num = rng.choice(caseload)
            if not self.valid_on(kind, system):
                alt = [x for x in s["systems"] if self.valid_on(kind, x) and x not in p.admin_systems]
                if not alt:
                    return
                system = rng.choice(alt)
            action = rng.choice(["view", "view", "query", "update"])
        else:
            code = rng.choice(s["reasons"])
            ref, kind = self.ref_pick(rng, code, system, t)
            text = self.reason_text(rng, code)
            case = s.get("case_text")
            if case and case[4] > 0 and self.valid_on(case[2], system) and rng.random() < 0.5:
                code, ref, kind, text, left = case  # another person or vehicle in the same case
                s["case_text"] = (code, ref, kind, text, left - 1)
            elif rng.random() < 0.25:  # a case-specific free-text justification, on 1-5 records
                addr = f"{rng.randint(1, 240)} {rng.choice(p.streets)}, {rng.choice(p.towns)}"
                text = (f"{rng.choice(p.case_what)} at {addr} {t:%d/%m} - {rng.choice(p.case_why)}" if p.key == "A"
                        else f"{rng.choice(p.case_what)} {addr} ({t:%d.%m}) {rng.choice(p.case_why)}")
                s["case_text"] = (code, ref, kind, text, rng.randint(0, 4))
            stype = "vehicle" if system == p.anpr_system else rng.choices(
                ["person", "vehicle", "address", "occurrence"], [60, 20, 10, 10])[0]
            name = dob = None
            if stype == "person":
                num = rng.randint(1, 1999999)
                if self.on("same_surname") and rng.random() < 0.004:
                    num = self.same_surname_num(rng, s["surname"], s["forenames"]) or num
                if self.pid(num) in self.watch_set:
                    num += 1
                sid = self.pid(num)
                name, dob = self.person(num)
                if p.key == "B":
                    self.viewed_nums.add(num)
            elif stype == "vehicle":
                sid = self.vrm(rng)
            elif stype == "address":
                sid = self.address(rng)[1]
            else:
                sid = ref
            caseload.append((code, ref, kind, text, stype, sid, name, dob, num))
            if len(caseload) > 40:
                caseload.pop(0)
            action = "query"
        count = 1 if action != "query" else rng.choices([0, 1, 2, 3, 5, 8, 15, 40], [8, 60, 12, 8, 5, 4, 2, 1])[0]
        if s["fn"] == "intel" and rng.random() < 0.05:
            action, count = "export", rng.randint(5, 120)
        outcome = "no-trace" if count == 0 else "success"
        code, ref, text = self.habits(rng, s, code, ref, text)
        self.access(t, s, system, action, stype, sid, reason=code, ref=ref, text=text, name=name, dob=dob,
                    count=count, outcome=outcome,
                    terms=self.terms(num) if num is not None and action == "query" else None)

    def habits(self, rng, s, code, ref, text):
        """Terse writers' short reasons; the odd look-up saved with no reason at all."""
        if s["terse"] and rng.random() < s["terse"]:
            text = rng.choice(self.p.terse)
            self.catalogue["terse_reason"] += 1
        if self.on("no_reason") and rng.random() < 0.002:
            self.catalogue["no_reason"] += 1
            return None, None, None
        return code, ref, text

    def fill(self, rng, tpl, **kw):
        if "{" not in tpl:
            return tpl
        return tpl.format_map(_Fill(self, rng, kw))

    def placeholder(self, rng, key):
        p = self.p
        if key == "wk":
            return rng.randint(1, 52)
        if key == "d":
            return f"{rng.randint(1, 28)}/{rng.randint(1, 12)}" if p.key == "A" else f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}"
        if key == "ref":
            code = rng.choice(list(p.reasons)[:5])
            return self.ref_for(rng, code, p.records_system, self.start)
        if key == "ref2":
            return self.ref_for(rng, p.code["crime"], p.records_system, self.start).replace("/", "-")
        if key == "t":
            return rng.choice(p.tenders)[0]
        if key == "title":
            return rng.choice(p.tenders)[1]
        if key in ("op", "opname"):
            return rng.choice(p.op_names)
        if key == "n":
            return rng.randint(1, 40)
        if key == "n4":
            return rng.randint(1000, 9999)
        if key == "d1":
            return rng.randint(1, 9)
        if key == "d2":
            return rng.randint(50, 99)
        if key == "town":
            return rng.choice(p.towns)
        if key == "TOWN":
            return rng.choice(p.towns).upper()
        if key == "STREET":
            return rng.choice(p.streets).upper()
        if key == "street":
            return rng.choice(p.streets)
        if key == "mon":
            return rng.choice(["jan", "feb", "march", "april", "may", "june"])
        if key == "job":
            return rng.choice(p.jobs)
        if key in ("sn4", "SN"):
            sn = rng.choice(p.surnames).upper().replace("'", "")
            return sn[:4] if key == "sn4" else sn
        if key == "vrm2":
            return self.vrm(rng)[:2]
        if key in ("name", "surname"):
            fn, sn = self.person_parts(rng.randint(1, 1999999))[:2]
            return sn if key == "surname" else f"{fn} {sn}"
        if key == "officer":
            return rng.choice(p.surnames)
        if key in ("topic", "topic2"):
            t = rng.choice(p.community_topics)
            return t if key == "topic" else t.replace(" ", "_")
        raise KeyError(key)

    def background_email(self, rng, s, t):
        p = self.p
        frm = s["emails"][0]
        fn = s["fn"]
        r = rng.random()
        if fn == "press" and r < 0.5:
            self.catalogue["press"] += 1
            self.email(t, frm, f"{rng.choice(['newsdesk', 'news', 'crime.desk', 'planning'])}@{rng.choice(p.media)}",
                       self.fill(rng, rng.choice(p.subjects["media"])), "outbound",
                       attachments=[rng.choice(p.attachments["press"])] if rng.random() < 0.3 else [])
            return
        if s.get("media_contact") and r < 0.08:
            self.catalogue["media_contact"] += 1
            self.email(t, frm, f"{rng.choice(['news', 'editor', 'community'])}@{s['media_contact']}",
                       self.fill(rng, rng.choice(p.subjects["media_contact"])), "outbound")
            return
        if fn == "procurement" and r < 0.35:
            dom = rng.choice([d for _, _, sup in p.tenders for d in sup] + p.other_suppliers)
            self.email(t, frm, f"{rng.choice(['bids', 'sales', 'contracts'])}@{dom}",
                       self.fill(rng, rng.choice(p.subjects["supplier"])), "outbound",
                       attachments=["clarification_response.pdf"] if rng.random() < 0.3 else [])
            return
        if fn == "finance" and r < 0.2:
            self.email(t, frm, f"accounts@{rng.choice(p.other_suppliers)}", self.fill(rng, "Invoice {ref}"), "outbound",
                       attachments=["remittance.pdf"])
            return
        if r < 0.66:
            n = rng.choices([1, 2, 3, 6], [70, 15, 10, 5])[0]
            tos = [self.staff[rng.randrange(len(self.staff))]["emails"][0] for _ in range(n)]
            att = [self.fill(rng, rng.choice(p.attachments["internal"]))] if rng.random() < 0.25 else []
            self.email(t, frm, tos, self.fill(rng, rng.choice(p.subjects["internal"])), "internal", attachments=att)
        elif r < 0.86:
            att = [rng.choice(p.attachments["partner"])] if rng.random() < 0.35 else []
            subj = self.fill(rng, rng.choice(p.subjects["partner"]))
            dom = rng.choice(p.partners)
            if self.on("partner_marked") and "sensitive" in subj.lower() and rng.random() < 0.25:
                dom = rng.choice(p.partner_marked_domains)  # other forces, councils' secure subdomains
                self.catalogue["partner_marked"] += 1
            self.email(t, frm, f"{rng.choice(['casework', 'duty', 'safeguarding', 'admin'])}@{dom}", subj, "outbound",
                       attachments=att)
        elif r < 0.975:
            self.email(t, frm, f"{rng.choice(['info', 'manager', 'office'])}@{rng.choice(p.business)}",
                       self.fill(rng, rng.choice(p.subjects["business"])), "outbound")
        else:  # personal mail from work, no attachments
            self.email(t, frm, s["personal"], rng.choice(p.subjects["personal"]), "outbound")

    # ---------------------------------------------------------------- the benign catalogue
    # Each item is work a real force does that sits near a rule's edge. Rates are drawn:
    # per person (habits, lognormal) and per day (Poisson), never fixed counts.

    def op_ref(self, rng):
        p = self.p
        if p.key == "A":
            return f"OP/{rng.randint(10, 99):05d}/26"
        name = rng.choice(p.op_names)
        return rng.choice([f"Op {name.title()}", f"Operation {name}", f"OP {name}"])

    def access_items(self, rng, s, day, base, ivs, cl, warmup):
        p = self.p
        fn = s["fn"]
        # Analysts chart a network: 15-40 different people in about an hour, one operation
        # text pasted as every look-up's justification.
        if self.on("network_chart") and fn == "intel" and "Analyst" in s["role"] and rng.random() < 0.07:
            self.network_chart(rng, s, base, ivs)
        # Researchers run wildcard searches that return many records.
        if self.on("wildcard_research") and fn == "intel" and "Researcher" in s["role"]:
            for _ in range(poisson(rng, 0.15)):
                self.wildcard(rng, s, self.when(rng, base, ivs), p.code["intel"])
        # Leavers print case papers for their handover.
        if self.on("leaver_routine") and s["hr_status"] == "leaving" and rng.random() < 0.2:
            t = self.when(rng, base, ivs)
            for i in range(rng.randint(1, 3)):
                code = rng.choice(s["reasons"])
                system = rng.choice(list(s["systems"]))
                self.access(t + dt.timedelta(minutes=3 * i), s, system, "print", "occurrence",
                            self.ref_for(rng, code, system, t), reason=code, ref=self.ref_for(rng, code, system, t),
                            text=rng.choice(["Handover", "Handover of case papers", "File for successor"]), count=1)
            self.catalogue["leaver_print"] += 1
        # A: Professional Standards investigate colleagues (staff nominals).
        if self.on("psd_colleagues") and fn == "psd" and self.psd_subjects:
            for _ in range(poisson(rng, 0.6)):
                col = rng.choice(self.psd_subjects)
                t = self.when(rng, base, ivs)
                code = "PSD"
                system = rng.choice(list(s["systems"]))
                self.access(t, s, system, "view", "person", col["nominal"], name=self.fmt_name(col["forenames"], col["surname"]),
                            reason=code, ref=self.psd_case[col["id"]], text=self.reason_text(rng, code))
                self.catalogue["psd_colleagues"] += 1
        # B: the vetting unit checks applicants and their families, and re-vets serving staff.
        if self.on("vetting_unit") and fn == "vetting" and s["role"] == "Vetting Officer":
            for _ in range(poisson(rng, 2.5)):
                self.vetting_case(rng, s, self.when(rng, base, ivs))
        # B: firearms licensing: certificate holders and the people they live with.
        if self.on("firearms_licensing") and fn == "licensing":
            for _ in range(poisson(rng, 2.0 if "Enquiry" in s["role"] else 0.8)):
                self.licensing_case(rng, s, self.when(rng, base, ivs), warmup)
        # Office staff catching up from home in the evening (agile working).
        if self.on("evening_catch_up") and fn in p.office_fns and rng.random() < 0.004:
            t = base + dt.timedelta(hours=rng.uniform(20, 21.5))
            for i in range(rng.randint(1, 4)):
                self.background_access(rng, s, t + dt.timedelta(minutes=rng.uniform(0, 40)), cl)
            self.catalogue["evening_catch_up"] += 1

    def network_chart(self, rng, s, base, ivs):
        p = self.p
        t = self.when(rng, base, ivs)
        ref = self.op_ref(rng)
        text = self.fill(rng, p.network_text)
        systems = [x for x in s["systems"] if x not in p.admin_systems and self.valid_on("OP", x)] or list(s["systems"])
        for i in range(rng.randint(15, 40)):
            tt = t + dt.timedelta(seconds=rng.uniform(0, 3600 * rng.uniform(0.6, 1.2)))
            num = rng.randint(1, 1999999)
            self.lookup(rng, tt, s, rng.choice(systems), num, p.code["intel"], ref, text)
        self.catalogue["network_chart"] += 1

    def wildcard(self, rng, s, t, code, count=None, terms=None):
        p = self.p
        systems = [x for x in s["systems"] if x not in p.admin_systems]
        system = rng.choice(systems)
        terms = terms or self.fill(rng, rng.choice(p.wildcard_terms))
        count = count or max(12, min(4000, int(rng.lognormvariate(math.log(180), 1.0))))
        self.access(t, s, system, "query", "person", "*" if p.key == "A" else "(search)",
                    reason=code, ref=self.ref_for(rng, code, system, t), text=self.reason_text(rng, code),
                    terms=terms, count=count)
        self.catalogue["wildcard_research"] += 1

    def vetting_case(self, rng, s, t):
        p = self.p
        code = "VETTING"
        ref = self.ref_for(rng, code, "PNC", t)
        if rng.random() < 0.25:  # re-vetting a serving member of staff
            col = self.staff[rng.randrange(len(self.staff))]
            for i in range(rng.randint(1, 2)):
                system = rng.choice(["PNC", "PND", "NicheRMS"])
                self.access(t + dt.timedelta(minutes=2 * i), s, system, "query", "person", col["nominal"],
                            name=self.fmt_name(col["forenames"], col["surname"]), reason=code, ref=ref, text="Re-vetting")
            self.catalogue["vetting_staff"] += 1
            return
        # an applicant and their household: the same surname, other forenames
        num = rng.randint(2000000, 2999999)
        fn, sn = self.person_parts(num)[:2]
        self.lookup(rng, t, s, "PNC", num, code, ref, "Recruitment vetting")
        for i in range(rng.randint(1, 4)):
            other = self.same_surname_num(rng, sn, fn) or rng.randint(1, 1999999)
            self.lookup(rng, t + dt.timedelta(minutes=rng.uniform(1, 25)), s, rng.choice(["PNC", "PND"]), other, code,
                        ref, "Vetting - family member")
        if rng.random() < 0.15:
            self.wildcard(rng, s, t + dt.timedelta(minutes=30), code, count=rng.randint(5, 400),
                          terms=f"SN:{sn.upper()} TOWN:{rng.choice(p.towns).upper()}")
        self.catalogue["vetting_applicant"] += 1

    def licensing_case(self, rng, s, t, warmup):
        p = self.p
        code = "LICENSING"
        ref = self.ref_for(rng, code, "NFLMS", t)
        num = rng.randint(1, 1999999)
        fn, sn = self.person_parts(num)[:2]
        self.lookup(rng, t, s, "NFLMS", num, code, ref, "Certificate renewal", action="view")
        self.lookup(rng, t + dt.timedelta(minutes=2), s, "PNC", num, code, ref, "Certificate renewal")
        for i in range(rng.randint(0, 2)):  # co-habitants
            other = self.same_surname_num(rng, sn, fn) or rng.randint(1, 1999999)
            self.lookup(rng, t + dt.timedelta(minutes=4 + i), s, "PNC", other, code, ref, "Co-habitant check")
        self.catalogue["licensing_case"] += 1
        if warmup:
            return
        if rng.random() < 0.4:  # letter to the certificate holder, who uses webmail
            te = t + dt.timedelta(minutes=rng.uniform(20, 240))
            att = [self.fill(rng, rng.choice(p.attachments["firearms"]), surname=sn)] if rng.random() < 0.8 else []
            self.email(te, s["emails"][0], self.webmail_for(rng, fn, sn),
                       self.fill(rng, rng.choice(p.subjects["firearms"]), name=f"{fn} {sn}", ref=ref), "outbound",
                       attachments=att)
            self.catalogue["licensing_letter"] += 1
        if rng.random() < 0.2:  # medical enquiry to the holder's GP (secure)
            te = t + dt.timedelta(minutes=rng.uniform(20, 240))
            self.email(te, s["emails"][0], f"gp.{rng.choice(p.towns).lower().replace(' ', '')}{rng.randint(1, 9)}@nhs.net",
                       self.fill(rng, rng.choice(p.subjects["gp"]), name=f"{fn} {sn}"), "outbound")

    def email_items(self, rng, s, day, base, ivs, cl):
        p = self.p
        fn = s["fn"]
        frm = s["emails"][0]
        # Letters, leaflets and statements to victims and witnesses, who use webmail.
        if self.on("victim_letters") and s["victim"] and s["access_enabled"]:
            for _ in range(poisson(rng, s["victim"])):
                self.victim_letter(rng, s, base, ivs, cl)
        # Recruitment: applicants at webmail, with letters and forms.
        if self.on("recruitment") and fn in ("hr", "vetting"):
            lam = {"Recruitment Officer": 2.0, "HR Advisor": 0.8, "HR Officer": 0.5, "Vetting Officer": 0.5}.get(s["role"], 0.15)
            for _ in range(poisson(rng, lam)):
                num = rng.randint(3000000, 3999999)
                afn, asn = self.person_parts(num)[:2]
                kind = "recruit_vetting" if fn == "vetting" and p.subjects["recruit_vetting"] else "recruit"
                att = [self.fill(rng, rng.choice(p.attachments[kind]))] if rng.random() < 0.8 else []
                self.email(self.when(rng, base, ivs), frm, self.webmail_for(rng, afn, asn),
                           self.fill(rng, rng.choice(p.subjects[kind]), name=f"{afn} {asn}"), "outbound", attachments=att)
                self.catalogue["recruitment"] += 1
        # Tenders: the procurement team writes to bidders ("Invitation to Tender", clarifications).
        if self.on("tender_mail") and fn == "procurement":
            for _ in range(poisson(rng, 0.8)):
                tid, title, sup = rng.choice(p.tenders)
                att = [self.fill(rng, rng.choice(p.attachments["tender"]), t=tid)] if rng.random() < 0.5 else []
                self.email(self.when(rng, base, ivs), frm, f"{rng.choice(['bids', 'tenders', 'sales', 'bidmanager'])}@{rng.choice(sup)}",
                           self.fill(rng, rng.choice(p.subjects["tender"]), t=tid, title=title), "outbound", attachments=att)
                self.catalogue["tender_mail"] += 1
        # Rotas, leaving-do lists and photos sent to one's own webmail.
        if s["social"]:
            for _ in range(poisson(rng, s["social"])):
                att = [self.fill(rng, rng.choice(p.attachments["social"]))] if rng.random() < 0.7 else []
                self.email(self.when(rng, base, ivs), frm, s["personal"], rng.choice(p.subjects["social"]), "outbound",
                           attachments=att)
                self.catalogue["social_webmail"] += 1
        # Leavers send their own papers home.
        if self.on("leaver_routine") and s["hr_status"] == "leaving" and rng.random() < 0.15:
            self.email(self.when(rng, base, ivs), frm, s["personal"], rng.choice(p.subjects["leaver"]), "outbound",
                       attachments=[rng.choice(p.attachments["leaver"])])
            self.catalogue["leaver_personal"] += 1
        # B: neighbourhood alerts to residents (BCC, webmail, a leaflet).
        if self.on("community_messaging") and fn == "neighbourhood" and rng.random() < 0.03:
            tos = []
            for _ in range(rng.randint(5, 40)):
                num = rng.randint(4000000, 4999999)
                rfn, rsn = self.person_parts(num)[:2]
                tos.append(self.webmail_for(rng, rfn, rsn))
            topic = rng.choice(p.community_topics)
            att = [self.fill(rng, rng.choice(p.attachments["community"]), topic2=topic.replace(" ", "_"))] if rng.random() < 0.9 else []
            self.email(self.when(rng, base, ivs), frm, sorted(set(tos)),
                       self.fill(rng, rng.choice(p.subjects["community"]), topic=topic), "outbound", attachments=att)
            self.catalogue["community_messaging"] += 1
        # B: disclosure officers send schedules to the defence and the CPS over CJSM.
        if self.on("cjsm_disclosure") and fn == "cid":
            for _ in range(poisson(rng, 0.15)):
                ref = self.ref_for(rng, p.code["crime"], p.records_system, base)
                att = [self.fill(rng, rng.choice(p.attachments["cjsm"]), ref2=ref.replace("/", "-"))] if rng.random() < 0.85 else []
                self.email(self.when(rng, base, ivs), frm, f"{rng.choice(['disclosure', 'casework', 'admin', 'crime'])}@{rng.choice(p.cjsm)}",
                           self.fill(rng, rng.choice(p.subjects["cjsm"]), ref=ref), "outbound", attachments=att)
                self.catalogue["cjsm_disclosure"] += 1

    def victim_letter(self, rng, s, base, ivs, cl):
        p = self.p
        te = self.when(rng, base, ivs)
        people = [c for c in cl if c[8] is not None]
        if people and rng.random() < 0.7:
            code, ref, kind, text, stype, sid, name, dob, num = rng.choice(people)
        else:  # look the victim up first, then write
            code = p.code["crime"] if p.code["crime"] in s["reasons"] else s["reasons"][0]
            system = next((x for x in s["systems"] if x not in p.admin_systems and x != p.cad_system), next(iter(s["systems"])))
            ref = self.ref_for(rng, code, system, te)
            num = rng.randint(1, 1999999)
            tl = max(base + dt.timedelta(hours=ivs[0][0]), te - dt.timedelta(minutes=rng.uniform(5, 180)))
            self.lookup(rng, tl, s, system, num, code, ref, rng.choice(["Victim contact", "IP contact", "Witness trace",
                                                                          "Victim update", "VCOP update"]))
        fn, sn = self.person_parts(num)[:2]
        subj = self.fill(rng, rng.choice(p.subjects["victim"]), name=f"{fn} {sn}", ref=ref, surname=sn,
                         officer=s["surname"])
        att = []
        if rng.random() < 0.6:
            att = [self.fill(rng, x, surname=sn) for x in rng.sample(p.attachments["victim"], rng.choice([1, 1, 1, 2]))]
        self.email(te, s["emails"][0], self.webmail_for(rng, fn, sn), subj, "outbound", attachments=att)
        self.catalogue["victim_letters"] += 1

    def force_items(self, rng, day, base, date, working, warmup):
        """Force-wide benign events of the day: they involve teams, not one person's habits."""
        p = self.p
        n_staff = self.args.staff
        weekday = date.weekday() < 5

        def on_duty(pred, hour):
            return [(s, ivs) for s, ivs in working if s["access_enabled"] and pred(s)
                    and any(a <= hour < b for a, b in ivs)]

        # Early warrant starts: a team briefed at 04:00-05:30 looks up the targets first.
        if self.on("early_warrant") and weekday:
            for _ in range(poisson(rng, n_staff / 1500.0)):
                team = [s for s, ivs in working if s["access_enabled"] and s["fn"] in p.warrant_fns
                        and s["hr_status"] != "left"]
                if len(team) < 3:
                    break
                team = rng.sample(team, min(len(team), rng.randint(3, 8)))
                t0 = base + dt.timedelta(hours=rng.uniform(4.0, 5.5))
                code = "WARRANT"
                ref, kind = self.ref_pick(rng, code, "PNC", t0)
                targets = [rng.randint(1, 1999999) for _ in range(rng.randint(1, 4))]
                addr = self.address(rng)[1]
                for s in team:
                    systems = [x for x in s["systems"] if x not in p.admin_systems and x != p.cad_system
                               and self.valid_on(kind, x)] or ["PNC"]
                    tt = t0 + dt.timedelta(minutes=rng.uniform(0, 30))
                    for i in range(rng.randint(1, 5)):
                        tt += dt.timedelta(minutes=rng.uniform(0.5, 12))
                        if rng.random() < 0.2:
                            self.access(tt, s, rng.choice(systems), "query", "address", addr, reason=code, ref=ref,
                                        text=rng.choice(p.reasons[code][1]), terms=addr)
                        else:
                            self.lookup(rng, tt, s, rng.choice(systems), rng.choice(targets), code, ref,
                                        rng.choice(p.reasons[code][1]))
                self.catalogue["early_warrant"] += 1
        # Officers briefed on an operation look up its (watch-listed) nominals, citing it,
        # without being on the case team's list.
        if self.on("op_watchlist"):
            for _ in range(poisson(rng, n_staff * 0.002)):
                cands = [(s, ivs) for s, ivs in working if s["access_enabled"] and s["id"] not in self.case_team_set
                         and s["fn"] in ("response", "neighbourhood", "cid", "roads", "intel", "ppu")]
                if not cands:
                    break
                s, ivs = rng.choice(cands)
                sid = rng.choice(self.watchlist)
                op = self.watch_op[sid]
                systems = [x for x in s["systems"] if self.valid_on("OP", x) and x not in p.admin_systems]
                if not systems:
                    continue
                texts = (["Op briefing - subject of interest", "Tasked re {op}", "Intel from {op} briefing",
                          "Sighting of {op} nominal"] if p.key == "A" else
                         ["{op} - briefed nominal", "{op} tasking", "DMM tasking {op}", "Sighting - {op} nominal"])
                self.lookup(rng, self.when(rng, base, ivs), s, rng.choice(systems), self.num_of(sid), p.code["intel"], op,
                            rng.choice(texts).format(op=op), action="view")
                self.catalogue["op_watchlist"] += 1
        # A vehicle stop: the car, then its driver, who is a watch-listed nominal.
        if self.on("vehicle_stop_nominal"):
            for _ in range(poisson(rng, n_staff * 0.0012)):
                cands = [(s, ivs) for s, ivs in working if s["access_enabled"] and s["id"] not in self.case_team_set
                         and s["fn"] in ("roads", "response")]
                if not cands:
                    break
                s, ivs = rng.choice(cands)
                t = self.when(rng, base, ivs)
                code = p.code["roads"] if p.code["roads"] in s["reasons"] else s["reasons"][0]
                ref = self.ref_for(rng, code, "PNC", t)
                self.access(t, s, "PNC", "query", "vehicle", self.vrm(rng), reason=code, ref=ref, text=p.words["vehicle_stop"])
                sid = rng.choice(self.watchlist)
                self.lookup(rng, t + dt.timedelta(minutes=rng.uniform(1, 4)), s, "PNC", self.num_of(sid), code, ref,
                            p.words["driver"])
                for i in range(rng.randint(0, 2)):  # passengers
                    self.lookup(rng, t + dt.timedelta(minutes=rng.uniform(2, 8)), s, "PNC", rng.randint(1, 1999999), code,
                                ref, p.words["vehicle_stop"])
                self.catalogue["vehicle_stop_nominal"] += 1
        # Control-room night bursts: a major incident brings dozens of callers and occupants.
        if self.on("control_burst"):
            for _ in range(poisson(rng, n_staff * 0.0004)):
                hour = rng.uniform(0.2, 5.0)
                cands = on_duty(lambda s: s["fn"] == "control", hour)
                if not cands:
                    continue
                s, ivs = rng.choice(cands)
                t0 = base + dt.timedelta(hours=hour)
                code = p.code["incident"]
                ref = self.ref_for(rng, code, p.cad_system, t0)
                text = rng.choice(p.words["major_incident"])
                size = max(30, min(130, int(rng.lognormvariate(math.log(50), 0.35))))
                span = rng.uniform(40, 100) * 60
                for i in range(size):
                    tt = t0 + dt.timedelta(seconds=rng.uniform(0, span))
                    system = p.cad_system if rng.random() < 0.6 else "PNC"
                    self.lookup(rng, tt, s, system, rng.randint(1, 1999999), code, ref, text)
                self.catalogue["control_burst"] += 1
        if warmup:
            return
        # Tender panel members reply on a clarification thread, copying the procurement lead.
        if self.on("tender_mail") and weekday and self.procurement:
            for _ in range(poisson(rng, 0.1)):
                tid, sidd = rng.choice([x for x in self.panel if x[1] != self.gifted_panel])
                s = self.by_id[sidd]
                if not s["mail_enabled"]:
                    continue
                sup = next(x for t_, _, x in p.tenders if t_ == tid)
                t = base + dt.timedelta(hours=rng.uniform(9, 16.5))
                self.email(t, s["emails"][0], [f"bids@{rng.choice(sup)}", self.procurement[0]["emails"][0]],
                           self.fill(rng, rng.choice(p.subjects["tender_panel"]), t=tid), "outbound")
                self.catalogue["tender_panel_cc"] += 1
        # A: Operation Encompass: the morning after a domestic incident, the child's school hears.
        if self.on("encompass") and weekday:
            for _ in range(poisson(rng, n_staff * 0.003)):
                cands = on_duty(lambda s: s["fn"] in ("neighbourhood", "cid", "response") and s["mail_enabled"], 9.0)
                if not cands:
                    break
                s, ivs = rng.choice(cands)
                t = base + dt.timedelta(hours=rng.uniform(8, 10.5))
                self.email(t, s["emails"][0], f"dsl@{rng.choice(p.schools)}",
                           self.fill(rng, rng.choice(p.subjects["encompass"])), "outbound")
                self.catalogue["encompass"] += 1

    # ---------------------------------------------------------------- planted incidents
    def plant(self):
        p = self.p
        W = p.incident_words
        rng = random.Random(self.seed_of("incidents"))
        per_rule = max(2, round(self.args.staff * self.days / 7000))
        ops = [s for s in self.spare if s["fn"] in ("response", "cid", "custody", "roads", "neighbourhood", "intel", "ppu")
               and s["hr_status"] == "active" and s["vetting_status"] == "granted"]
        rng.shuffle(ops)
        used = set()

        def pick(pred=lambda s: True, pool=None):
            for s in (ops if pool is None else pool):
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

        def truth(rule, s, start, end, desc, also=(), evidence=None, kind=None, rules=None, **extra):
            # kind: what happened (default: the rule's name); rules: any of them finding it
            # counts (default: [rule]); evidence: text the alert message carries when the
            # source cannot name the user (Postfix forwards: the sender is outside the force).
            self.truth.append({"incident": f"PI-{len(self.truth) + 1:04d}", "kind": kind or rule, "rule": rule,
                               "rules": list(rules or [rule]), "user": s["id"],
                               "start": self.ts(start), "end": self.ts(end), "description": desc,
                               "also": list(also), **({"evidence": evidence} if evidence else {}), **extra})

        def person(num=None):
            num = num or rng.randint(1, 1999999)
            return (self.pid(num),) + self.person(num) + (num,)

        def sys_for(s):
            return next(x for x in s["systems"] if x not in p.admin_systems)

        def code_of(s):
            return s["reasons"][0]

        def ref(s, t, code=None, system=None):
            code = code or code_of(s)
            return self.ref_for(rng, code, system or sys_for(s), t)

        def own_terms(s):
            if p.key == "A":
                return f"{s['surname'].upper()}/{s['forenames'].upper()}"
            return f"SN:{s['surname'].upper()} FN:{s['forenames'].upper()}"

        def plain_webmail(s, hi=99):
            return f"{s['surname'].lower().replace(chr(39), '')}{rng.randint(1, hi)}@{rng.choice(p.webmail)}"

        SEQ = ["lookup-then-disclosure-email"]  # the single-rule email incidents follow a day's look-ups
        # Accounts with no history (disabled, or a system outside the role) are first seen too.
        FIRST = ["first-access-to-system"] if self.warmup >= LEARNING_DAYS else []
        for _ in range(per_rule):
            # 1. Justification
            # One look-up with no reason is every force's daily noise (a signal); a spree of
            # them by one person is the incident.
            s = pick()
            t = moment(s)
            for i in range(rng.randint(6, 10)):
                sid, name, dob, num = person()
                tt = t + dt.timedelta(minutes=rng.uniform(3, 25) * i)
                self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob)
            truth("record-access-without-justification", s, t, tt, "a spree of person look-ups with no reason code and no reference",
                  kind="unjustified-lookup-spree", rules=["unjustified-lookups-above-norm", "accumulated-risk"])
            s = pick(lambda s: not s.get("terse"))  # a habit is the user's norm, not a spree
            t = moment(s)
            for i in range(rng.randint(6, 10)):
                sid, name, dob, num = person()
                tt = t + dt.timedelta(minutes=4 * i)
                code = rng.choice(s["reasons"])
                self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob,
                            reason=code, text=rng.choice(W["generic"]), ref=ref(s, tt, code))
            truth("record-access-with-generic-justification", s, t, tt, "a spree of look-ups justified only by a generic word",
                  kind="placeholder-reason-spree", rules=["placeholder-reasons-above-norm", "accumulated-risk"])
            s = pick()
            t = moment(s)
            sid, name, dob, num = person()
            self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason=p.code["incident"],
                        text=p.words["incident_enquiry"], ref=rng.choice(W["invalid_refs"]))
            truth("record-access-with-invalid-reference", s, t, t, "look-up citing a reference that cannot exist")

            # 2. Self, colleague, family, declared associate
            s = pick(lambda s: any(a[0] == s["id"] and a[3] in ("family", "other", "criminal") for a in self.associations))
            a = next(a for a in self.associations if a[0] == s["id"] and a[3] in ("family", "other", "criminal"))
            t = moment(s)
            code = rng.choice(s["reasons"])
            self.access(t, s, sys_for(s), "query", "person", a[1], name=a[2], reason=code,
                        text=p.words["incident_enquiry"], ref=ref(s, t, code))
            truth("lookup-of-declared-associate", s, t, t, f"looked up declared {a[3]} associate {a[1]}")
            s = pick()
            col = self.staff[rng.randrange(len(self.staff))]
            t = moment(s)
            code = rng.choice(s["reasons"])
            self.access(t, s, sys_for(s), "view", "person", col["nominal"], name=self.fmt_name(col["forenames"], col["surname"]),
                        reason=code, text=p.words["suspect_research"], ref=ref(s, t, code))
            truth("lookup-of-staff-member", s, t, t, f"looked up the record of colleague {col['id']}")
            s = pick()
            t = moment(s)
            code = rng.choice(s["reasons"])
            self.access(t, s, sys_for(s), "query", "address", s["address_sys"], reason=code,
                        text=p.words["concern_welfare"], ref=ref(s, t, code), terms=s["address_sys"])
            truth("lookup-of-own-address", s, t, t, "looked up their own home address")
            s = pick()
            t = moment(s)
            sid, _name, dob, num = person()
            code = rng.choice(s["reasons"])
            self.access(t, s, sys_for(s), "query", "person", sid, name=self.fmt_name(s["forenames"], s["surname"]), dob=dob,
                        reason=code, text=p.words["witness_trace"], ref=ref(s, t, code), terms=own_terms(s))
            truth("lookup-of-self", s, t, t, "looked up a person with their own name")

            # 3. Watch list, not on the case
            s = pick(lambda s: s["id"] not in self.lists["watchlist_case_team"])
            t = moment(s)
            sid = rng.choice(self.watchlist)
            name, dob = self.person(self.num_of(sid))
            code = rng.choice(s["reasons"])
            self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason=code,
                        text=p.words["incident_enquiry"], ref=ref(s, t, code))
            truth("lookup-of-watch-listed-subject", s, t, t, f"looked up watch-listed {sid} without being on the case")

            # 5. Email: media without declared contact, PI, auto-forward to webmail, personal attachments
            s = pick()
            t = moment(s)
            dom = rng.choice(p.media)
            self.email(t, s["emails"][0], f"{rng.choice(['newsdesk', 'crime.reporter', 'tips'])}@{dom}",
                       self.fill(rng, rng.choice(W["media_subjects"])), "outbound")
            truth("email-to-media-without-declared-contact", s, t, t, f"emailed media domain {dom}", SEQ)
            s = pick()
            t = moment(s)
            dom = rng.choice(p.pi)
            self.email(t, s["emails"][0], f"{rng.choice(['office', 'jim', 'enquiries'])}@{dom}", W["pi_subject"],
                       "outbound", attachments=["details.docx"] if rng.random() < 0.5 else [])
            truth("email-to-private-investigator", s, t, t, f"emailed private investigators at {dom}", SEQ)
            s = pick()
            t = moment(s)
            personal = f"{s['forenames'].lower()}.{s['surname'].lower().replace(chr(39), '')}{rng.randint(1, 99)}@{rng.choice(p.webmail)}"
            for i in range(rng.randint(2, 4)):  # an inbox rule forwards incoming mail
                tt = t + dt.timedelta(minutes=37 * i)
                self.email(tt, f"casework@{rng.choice(p.partners)}", personal, self.fill(rng, rng.choice(p.subjects["partner"])),
                           "outbound", user=s["id"], orig_to=s["emails"][0])
            truth("auto-forward-to-webmail", s, t, tt, f"mailbox auto-forwards to {personal}",
                  ["protective-marking-sent-outside"], evidence=personal)
            # A file to one's own webmail is a signal (staff send rotas and photos home); files
            # about someone just looked up are the incident.
            s = pick()
            t = moment(s)
            sid, name, dob, num = person()
            self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason=code_of(s),
                        text=p.words["suspect_research"], ref=ref(s, t))
            personal = plain_webmail(s, 999)
            t2 = t + dt.timedelta(minutes=rng.uniform(20, 300))
            self.email(t2, s["emails"][0], personal, rng.choice(W["webmail_subjects"]), "outbound",
                       attachments=[f"{name.replace(' ', '_')}.pdf", f"{sid}_printout.pdf"][: rng.randint(1, 2)])
            truth("attachment-to-personal-webmail", s, t, t2, f"sent files about {sid} to personal address {personal}",
                  kind="files-about-a-person-to-webmail", rules=SEQ)

            # 6. Protective marking sent outside
            s = pick()
            t = moment(s)
            to = rng.choice([f"x{rng.randint(1, 99)}@{rng.choice(p.webmail)}", f"info@{rng.choice(p.business)}"])
            mark = rng.choice(W["marking"])
            self.email(t, s["emails"][0], to, mark[0], "outbound", attachments=mark[1])
            also = ["attachment-to-personal-webmail"] + SEQ if mark[1] and to.split("@")[1] in p.webmail else []
            truth("protective-marking-sent-outside", s, t, t, f"marked material sent to {to}", also)

            # 7. Vetting: lapsed, above level
            s = next(x for x in self.staff if x["vetting_status"] == "lapsed" and x["id"] not in used)
            used.add(s["id"])
            t = moment(s)
            for i in range(rng.randint(1, 4)):
                tt = t + dt.timedelta(minutes=9 * i)
                sid, name, dob, num = person()
                self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=code_of(s),
                            text=p.words["incident_enquiry"], ref=ref(s, tt))
            truth("access-with-lapsed-vetting", s, t, tt, "used a system after vetting lapsed (account not disabled)", FIRST)
            hi = p.above_vetting_system
            s = pick(lambda s: s["vetting_level"] == "NPPV2" and hi not in s["systems"])
            t = moment(s)
            sid, name, dob, num = person()
            self.access(t, s, hi, "query", "person", sid, name=name, dob=dob, reason=code_of(s),
                        text=p.words["incident_enquiry"], ref=ref(s, t, system=hi))
            truth("access-above-vetting-level", s, t, t, f"NPPV2 user queried {hi} (needs {p.systems[hi]})", FIRST)

            # 8. Suspended, departed, leaving
            for status in ("suspended", "left"):
                s = next(x for x in self.staff if x["hr_status"] == status and x["id"] not in used)
                used.add(s["id"])
                t = moment(None, (6, 23))
                for i in range(rng.randint(1, 3)):
                    tt = t + dt.timedelta(minutes=6 * i)
                    sid, name, dob, num = person()
                    self.access(tt, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=code_of(s),
                                text=p.words["incident_enquiry"], ref=ref(s, tt),
                                ip=f"10.99.{rng.randint(0, 9)}.{rng.randint(2, 250)}")
                truth("access-by-suspended-or-departed-staff", s, t, tt, f"{status} member of staff used {sys_for(s)}", FIRST)
            s = next(x for x in self.staff if x["hr_status"] == "leaving" and x["id"] not in used and x["fn"] != "intel")
            used.add(s["id"])
            t = moment(s)
            self.access(t, s, sys_for(s), "export", "occurrence", ref(s, t, p.code["crime"] if p.code["crime"] in s["reasons"] else None),
                        reason=code_of(s), text=p.words["case_file"], ref=ref(s, t), count=rng.randint(20, 180))
            truth("export-by-leaver", s, t, t, f"leaving on {s['leaving_date']}: exported records in notice period")

            # 9. Out of hours for an office-hours group
            cand = [x for x in self.staff if x["fn"] in ("hr", "training") and x["id"] not in used
                    and x["hr_status"] == "active" and x["vetting_status"] == "granted"]
            s = cand[rng.randrange(len(cand))]
            used.add(s["id"])
            day = rng.randrange(self.days)
            t = self.start + dt.timedelta(days=day, hours=rng.choice([1, 2, 3, 22, 23]), minutes=rng.randint(0, 50))
            sid, name, dob, num = person()
            self.access(t, s, "PNC", "query", "person", sid, name=name, dob=dob, reason=p.code["admin"],
                        text=p.words["record_maintenance"], ref=ref(s, t, p.code["admin"], "PNC"))
            truth("out-of-hours-access-office-role", s, t, t, f"{s['role']} used PNC at {t:%H:%M}", FIRST)

            # 10. Bulk look-up
            s = pick(lambda s: "Researcher" not in s["role"])
            t = moment(s)
            self.access(t, s, sys_for(s), "query", "person", "*" if p.key == "A" else "(search)", reason=code_of(s),
                        text=p.words["research"], ref=ref(s, t), terms=rng.choice(W["wildcards"]),
                        count=rng.randint(400, 5000))
            truth("bulk-record-query", s, t, t, "wildcard query returning hundreds of records")

        # ------------------------------------------------------------ correlations
        def work_days(s, first=0, last=None):
            last = self.days - 1 if last is None else last
            return [d for d in range(first, last + 1) if self.intervals(s, d, (self.start + dt.timedelta(days=d)).date())]

        def working_day(s, first=0, last=None):
            """A day the user works (index, base, intervals), in [first, last]."""
            last = self.days - 1 if last is None else last
            days = work_days(s, first, last)
            if not days:
                raise SystemExit(f"generate.py: {s['id']} works no day in the period; use more --days")
            d = rng.choice(days)
            base = self.start + dt.timedelta(days=d)
            return d, base, self.intervals(s, d, base.date())

        def lookups(s, t0, seconds, n, system=None, text=None, reason=None, reference=None, steady=False):
            last = t0
            for i in range(n):
                if steady:  # one after another at a steady pace
                    tt = t0 + dt.timedelta(seconds=seconds * (i + rng.uniform(0.2, 0.8)) / n)
                else:
                    tt = t0 + dt.timedelta(seconds=rng.uniform(0, seconds))
                last = max(last, tt)
                sid, name, dob, num = person()
                code = reason or rng.choice(s["reasons"])
                sysname = system or rng.choice([x for x in s["systems"] if x not in p.admin_systems])
                self.access(tt, s, sysname, "query", "person", sid, name=name, dob=dob,
                            reason=code, text=text or self.reason_text(rng, code),
                            ref=reference or self.ref_for(rng, code, sysname, tt), terms=self.terms(num))
            return last

        for _ in range(per_rule if self.days >= 2 else 0):
            # 4. Look-up, then email to media / PI / personal webmail within 24 h
            s = pick(lambda s: work_days(s, 0, self.days - 2))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            sid, name, dob, num = person()
            self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=code_of(s),
                        text=p.words["suspect_research"], ref=ref(s, t))
            t2 = t + dt.timedelta(hours=rng.uniform(1, 22))
            kind = rng.choice(["media", "pi", "webmail"])
            if kind == "media":
                dom = rng.choice(p.media)
                self.email(t2, s["emails"][0], f"{rng.choice(['crime.desk', 'tips', 'j.hunter'])}@{dom}",
                           rng.choice(W["seq_media_subjects"]), "outbound")
                also = ["email-to-media-without-declared-contact"]
            elif kind == "pi":
                dom = rng.choice(p.pi)
                self.email(t2, s["emails"][0], f"{rng.choice(['office', 'dave'])}@{dom}", W["seq_pi_subject"], "outbound")
                also = ["email-to-private-investigator"]
            else:
                to = plain_webmail(s)
                dom = to.split("@")[1]
                self.email(t2, s["emails"][0], to, W["seq_webmail"][0], "outbound",
                           attachments=[rng.choice([f"{sid}.png", name.replace(" ", "_") + ".pdf"])])
                also = ["attachment-to-personal-webmail"]
            truth("lookup-then-disclosure-email", s, t, t2, f"looked up {sid}, then emailed {kind} domain {dom}", also,
                  rules=SEQ + [r for r in also if r != "attachment-to-personal-webmail"])

            # 1. Templated justification: one text pasted on many look-ups of different people
            s = pick(lambda s: work_days(s, 0, self.days - 2))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            text = rng.choice(W["templated"])
            end = lookups(s, t, rng.uniform(2, 6) * 3600, rng.randint(12, 25), text=text)
            truth("templated-justification", s, t, end, f"pasted \"{text}\" on many look-ups",
                  rules=["templated-justification-above-norm", "accumulated-risk"])

            # 10. Bulk look-ups one at a time: 95-140 different people within an hour
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
                return [x for x in p.first_access_systems if x not in s["systems"]
                        and VETTING_ORDER[p.systems[x]] <= VETTING_ORDER[s["vetting_level"]]]
            s = pick(lambda s: work_days(s, 0, self.days - 2) and new_systems(s))
            system = rng.choice(new_systems(s))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            end = lookups(s, t, 600, rng.randint(1, 4), system=system)
            truth("first-access-to-system", s, t, end, f"{s['role']} used {system} for the first time")

            # 9. Night-time look-ups by a day worker (not an office-hours team)
            s = pick(lambda s: s["pattern"] in ("office", "office-long", "early-late", "lpt"))
            day = rng.randrange(1, self.days)
            t = self.start + dt.timedelta(days=day, hours=rng.uniform(0.5, 4.5))
            end = lookups(s, t, 1200, rng.randint(1, 4))
            truth("first-night-lookup", s, t, end, f"{s['role']} (works days) looked records up at {t:%H:%M}")

        # 8. Notice-period volume spike (leavers, analysts included)
        leavers = [x for x in self.staff if x["hr_status"] == "leaving" and x["id"] not in used and x["access_enabled"]]
        leavers.sort(key=lambda x: (x["fn"] != "intel", x["id"]))
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
                sid, name, dob, num = person()
                if kind == "none":
                    self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob)
                    signals.append("record-access-without-justification")
                elif kind == "generic":
                    self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=code_of(s),
                                text=rng.choice(W["generic"][:3] + ["."]), ref=ref(s, t))
                    signals.append("record-access-with-generic-justification")
                elif kind == "invalid":
                    self.access(t, s, sys_for(s), "view", "person", sid, name=name, dob=dob, reason=p.code["incident"],
                                text=p.words["incident_enquiry"], ref=rng.choice(W["invalid_refs"][:3]))
                    signals.append("record-access-with-invalid-reference")
                else:
                    self.email(t, s["emails"][0], plain_webmail(s).split("@")[0] + "@gmail.com",
                               "bits", "outbound", attachments=["notes.docx"])
                    signals += ["attachment-to-personal-webmail"] + SEQ
                if k == 0:
                    t0 = t
            truth("accumulated-risk", s, t0, t, "seven low-level signals over four days", sorted(set(signals)))

        # 11. Secondary employment (one incident per firm holder, up to per_rule)
        for s, firm, clients in self.secondary[:per_rule]:
            t = moment(s)
            self.email(t, s["emails"][0], f"ops@{firm}", rng.choice(W["secondary"]),
                       "outbound", attachments=["rota.xlsx"] if rng.random() < 0.5 else [])
            truth("email-to-own-secondary-employment", s, t, t, f"emailed own business {firm} from work")
            t = moment(s)
            c = clients[0]
            self.access(t, s, sys_for(s), "query", "person", c, name=self.person(self.num_of(c))[0],
                        reason=code_of(s), text=p.words["incident_enquiry"], ref=ref(s, t))
            truth("lookup-of-secondary-employment-client", s, t, t, f"looked up {c}, a client of {firm}")

        # 12. Procurement
        for tid, sidd in [x for x in self.panel if x[1] != self.gifted_panel][:per_rule]:
            s = self.by_id[sidd]
            sup = next(sup for x, _, sup in p.tenders if x == tid)
            t = moment(s)
            self.email(t, s["emails"][0], f"{rng.choice(['sales', 'mark', 'bids'])}@{rng.choice(sup)}",
                       rng.choice(W["panel"]), "outbound")
            truth("tender-panel-emails-bidder", s, t, t, f"{tid} panel member emailed a bidder")
        for _ in range(per_rule):
            s = pick()
            t = moment(s)
            sup = rng.choice([d for _, _, x in p.tenders for d in x])
            self.email(t, s["emails"][0], f"events@{sup}", rng.choice(W["hospitality"]), "outbound")
            truth("hospitality-with-bidder", s, t, t, f"hospitality discussed with bidder {sup}")
        # A panel member whom a bidder entertained (gifts register) writes to that bidder.
        if self.gifted_panel:
            s = self.by_id[self.gifted_panel]
            t = moment(s)
            self.email(t, s["emails"][0], f"{rng.choice(['mark', 'accounts.director'])}@{self.gifted_domain}",
                       rng.choice(W["panel"]), "outbound")
            truth("tender-panel-member-emails-bidder-after-hospitality", s, t, t,
                  f"panel member emailed {self.gifted_domain}, who entertained them (gifts register)",
                  ["tender-panel-emails-bidder", "hospitality-with-bidder"])

        if p.key == "B":
            self.plant_b(rng, per_rule, pick, moment, truth, person, sys_for, ref, work_days, working_day, lookups, used)

        # 7b. Vetting that expires during the period: every access after expiry.
        if self.days < 2:
            return
        exp = (self.start + dt.timedelta(days=max(1, self.days // 2))).date()
        last = self.days - 1
        s = pick(lambda s: s["fn"] in ("response", "custody", "neighbourhood")
                 and self.intervals(s, last, (self.start + dt.timedelta(days=last)).date()))
        s["always_works"] = True
        s["vetting_expires"] = exp.isoformat()
        truth("access-with-lapsed-vetting", s, dt.datetime.combine(exp, dt.time(0, 0, 0, 1000), dt.timezone.utc), self.end,
              f"vetting expired {exp} (not renewed) and the user kept working")

    def plant_b(self, rng, per_rule, pick, moment, truth, person, sys_for, ref, work_days, working_day, lookups, used):
        """Force B's own incidents, in its own wording."""
        p = self.p
        W = p.incident_words
        for i in range(max(per_rule, 3)):
            # A marking typed the force's way, no attachment, to the user's own webmail.
            s = pick()
            t = moment(s)
            sid, name, dob, num = person()
            fn, sn = self.person_parts(num)[:2]
            subj = self.fill(rng, W["marking_variants"][i % len(W["marking_variants"])], name=f"{fn} {sn}",
                             surname=sn.upper(), op=rng.choice(p.ops), ref=ref(s, t))
            self.email(t, s["emails"][0], s["personal"], subj, "outbound")
            truth("protective-marking-sent-outside", s, t, t, f"\"{subj}\" sent to own webmail {s['personal']}",
                  kind="marking-variant-to-webmail")

        for _ in range(per_rule):
            # A look-up of a watch-listed subject, off the case, with a vague reason.
            s = pick(lambda s: s["id"] not in self.case_team_set)
            t = moment(s)
            wid = rng.choice(self.watchlist)
            name, dob = self.person(self.num_of(wid))
            code = rng.choice(s["reasons"])
            vague = rng.choice(W["vague"])
            self.access(t, s, sys_for(s), "view", "person", wid, name=name, dob=dob, reason=code,
                        text=vague, ref=ref(s, t, code))
            truth("lookup-of-watch-listed-subject", s, t, t, f"looked up watch-listed {wid} off the case, reason \"{vague}\"",
                  ["record-access-with-generic-justification", "accumulated-risk"], kind="watchlist-vague-reason")

        low = [s for s in self.spare if s["hr_status"] == "active" and s["vetting_status"] == "granted"
               and s["access_enabled"] and any(x not in p.admin_systems for x in s["systems"])]
        rng.shuffle(low)
        for i in range(per_rule if self.days >= 2 else 0):
            # 100-140 different people over two hours at a steady pace, by someone who
            # makes about ten look-ups a day.
            s = pick(lambda s: 5 <= s["acc"] <= 16 and work_days(s, 0, self.days - 1), pool=low)
            day, base, ivs = working_day(s, 0, self.days - 1)
            a, b = max(ivs, key=lambda iv: iv[1] - iv[0])
            t = base + dt.timedelta(hours=rng.uniform(a, max(a, b - 2.2)))
            n = rng.randint(100, 140)
            end = lookups(s, t, 7200, n, steady=True)
            truth("many-people-looked-up-in-an-hour", s, t, end + dt.timedelta(hours=1),
                  f"{s['role']} (about {s['acc']:.0f} look-ups a day) looked up {n} different people in two hours",
                  ["accumulated-risk", "leaver-lookup-volume-spike"], kind="slow-steady-bulk-lookups",
                  rules=["many-people-looked-up-in-an-hour", "lookup-volume-above-own-baseline"])

            # A look-up, then hours later an email to webmail, media or a PI whose subject or
            # attachment carries the looked-up person's name or record id.
            s = pick(lambda s: work_days(s, 0, self.days - 2))
            day, base, ivs = working_day(s, 0, self.days - 2)
            t = self.when(rng, base, ivs)
            sid, name, dob, num = person()
            fn, sn = self.person_parts(num)[:2]
            code = s["reasons"][0]
            self.access(t, s, sys_for(s), "query", "person", sid, name=name, dob=dob, reason=code,
                        text=self.reason_text(rng, code), ref=ref(s, t, code), terms=self.terms(num))
            t2 = t + dt.timedelta(hours=rng.uniform(1, 20))
            channel = ["webmail-bare", "media", "pi", "webmail"][i % 4]
            att = []
            if channel == "media":
                to = f"{rng.choice(['newsdesk', 'crime', 'tips', 'sarah.k'])}@{rng.choice(p.media)}"
                subj = rng.choice([f"{fn} {sn}", f"RE: {sn.upper()}", f"the {sn} thing"])
                also = ["email-to-media-without-declared-contact"]
            elif channel == "pi":
                to = f"{rng.choice(['office', 'trace', 'gary'])}@{rng.choice(p.pi)}"
                subj = rng.choice([f"{sn}, {fn} - {dob}", f"RE: {sid}", "as discussed"])
                att = [f"{sn.upper()}_{fn}.pdf"] if "discussed" in subj or rng.random() < 0.3 else []
                also = ["email-to-private-investigator"]
            elif channel == "webmail":
                to = s["personal"]
                subj = rng.choice(["FW:", "-", "home"])
                att = [rng.choice([f"{sid}.png", f"{sn}_{fn}_{dob.replace('/', '')}.pdf", f"{sn.upper()}.jpg"])]
                also = ["attachment-to-personal-webmail"]
            else:
                to = s["personal"]
                subj = rng.choice([f"{fn} {sn} {dob}", f"{sid}", f"{sn} - address"])
                also = []
            self.email(t2, s["emails"][0], to, subj, "outbound", attachments=att)
            truth("lookup-then-disclosure-email", s, t, t2,
                  f"looked up {sid} ({name}), then emailed {to} \"{subj}\" {att}", also,
                  rules=["lookup-then-disclosure-email"] + [r for r in also if r != "attachment-to-personal-webmail"],
                  kind="lookup-then-disclosure-link", link={"subject.id": sid, "subject.name": name, "channel": channel})

        # An export spike in the notice period (not an analyst).
        leavers = [x for x in self.staff if x["hr_status"] == "leaving" and x["id"] not in used and x["access_enabled"]
                   and x["fn"] != "intel"]
        for s in (leavers[: per_rule] if self.days >= 2 else []):
            used.add(s["id"])
            days = [d for d in range(0, self.days)
                    if any(b - a >= 6 for a, b in self.intervals(s, d, (self.start + dt.timedelta(days=d)).date()))]
            if not days:
                continue
            day = rng.choice(days)
            base = self.start + dt.timedelta(days=day)
            a, b = max(self.intervals(s, day, base.date()), key=lambda iv: iv[1] - iv[0])
            t = base + dt.timedelta(hours=rng.uniform(a, b - 4))
            n = rng.randint(40, 120)
            span = rng.uniform(2, 4) * 3600
            last = t
            system = sys_for(s)
            for i in range(n):
                tt = t + dt.timedelta(seconds=rng.uniform(0, span))
                last = max(last, tt)
                if rng.random() < 0.5:
                    sid, name, dob, num = person()
                    self.access(tt, s, system, "export", "person", sid, name=name, dob=dob, reason=s["reasons"][0],
                                text=rng.choice(["file", "copy for file", "ongoing"]), ref=ref(s, tt),
                                count=rng.randint(1, 25))
                else:
                    r = ref(s, tt, p.code["crime"] if p.code["crime"] in s["reasons"] else None)
                    self.access(tt, s, system, "export", "occurrence", r, reason=s["reasons"][0],
                                text=rng.choice(["file", "copy for file", "ongoing"]), ref=r, count=rng.randint(1, 25))
            truth("export-by-leaver", s, t, last + dt.timedelta(hours=1),
                  f"leaving {s['leaving_date']}: {n} exports in an afternoon",
                  ["lookup-volume-above-own-baseline", "many-people-looked-up-in-an-hour", "accumulated-risk",
                   "bulk-record-query"], kind="leaver-export-spike",
                  rules=["export-by-leaver", "leaver-lookup-volume-spike"])

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


class _Fill(dict):
    """Template values: the caller's, else drawn on demand (in template order)."""

    def __init__(self, force, rng, kw):
        super().__init__(kw)
        self.force, self.rng = force, rng

    def __missing__(self, key):
        v = self.force.placeholder(self.rng, key)
        self[key] = v
        return v


SD_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "]": "\\]"})

# Second octet of client addresses per function.
OPS_NET = {fn: 20 + i for i, fn in enumerate(["response", "neighbourhood", "cid", "custody", "control", "intel", "roads",
                                              "major", "ppu", "csi", "specials"])}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--profile", choices=sorted(PROFILES), default="A",
                    help="which force: A (Exton and Wyford, the default) or B (Northmoor)")
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
    f = Force(args, PROFILES[args.profile]())
    f.make_staff()
    f.make_associations()
    f.make_lists()
    f.make_absences()
    f.plant()
    f.plant_absences()
    f.plant_neighbours()
    f.plant_training()
    f.plant_high_profile()
    f.plant_sites()
    f.plant_associates()
    f.background()
    os.makedirs(args.out, exist_ok=True)
    f.write_reference(args.out)
    f.write_events(args.out)
    kinds = collections.Counter(t["kind"] for t in f.truth)
    summary = {"profile": args.profile, "force": f.p.name, "staff": len(f.staff), "days": args.days,
               "seed": args.seed, "events": f.n_events,  # syslog lines
               "warmup_days": args.warmup_days, "warmup_events": f.n_warmup,
               "incidents": len(f.truth), "incident_kinds": dict(sorted(kinds.items())), "start": args.start,
               "benign": dict(sorted(f.scored_catalogue.items()))}
    with open(os.path.join(args.out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
