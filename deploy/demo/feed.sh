#!/usr/bin/env bash
# Sends a short demo feed to a Probity listener with the real `logger` (RFC 5424,
# octet-counted TCP): access-audit records and gateway email events for the demo force
# in deploy/demo/ (staff.csv, ..., sites.csv loaded with `probity state import`).
# Usage: feed.sh [HOST] [PORT]
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-5514}

access() {  # user system action subject reason-code message
  logger --tcp --octet-count --rfc5424 -n "$host" -P "$port" -t audit --msgid ACCESS \
    --sd-id access@32473 --sd-param "user.id=\"$1\"" --sd-param "source.system=\"$2\"" \
    --sd-param "action=\"$3\"" --sd-param "subject.type=\"person\"" \
    --sd-param "subject.id=\"$4\"" --sd-param "reason.code=\"$5\"" \
    --sd-param "reason.ref=\"${6:-}\"" --sd-param "outcome=\"success\"" "record consulted"
}

access_from() {  # user system subject workstation address: where the login comes from
  logger --tcp --octet-count --rfc5424 -n "$host" -P "$port" -t audit --msgid ACCESS \
    --sd-id access@32473 --sd-param "user.id=\"$1\"" --sd-param "source.system=\"$2\"" \
    --sd-param "action=\"view\"" --sd-param "subject.type=\"person\"" \
    --sd-param "subject.id=\"$3\"" --sd-param "reason.code=\"INC\"" \
    --sd-param "reason.ref=\"INC/2230/26\"" --sd-param "client.host=\"$4\"" \
    --sd-param "client.ip=\"$5\"" --sd-param "outcome=\"success\"" "record consulted"
person() {  # user system subject name dob address: a person record with the system's details
  logger --tcp --octet-count --rfc5424 -n "$host" -P "$port" -t audit --msgid ACCESS \
    --sd-id access@32473 --sd-param "user.id=\"$1\"" --sd-param "source.system=\"$2\"" \
    --sd-param "action=\"view\"" --sd-param "subject.type=\"person\"" \
    --sd-param "subject.id=\"$3\"" --sd-param "subject.name=\"$4\"" \
    --sd-param "subject.dob=\"$5\"" --sd-param "subject.address=\"$6\"" \
    --sd-param "reason.code=\"INC\"" --sd-param "outcome=\"success\"" "record consulted"
}

email() {  # from to subject
  logger --tcp --octet-count --rfc5424 -n "$host" -P "$port" -t mailgw --msgid EMAIL \
    --sd-id email@32473 --sd-param "email.from=\"$1\"" --sd-param "email.to=\"$2\"" \
    --sd-param "email.subject=\"$3\"" --sd-param "email.direction=\"outbound\"" \
    --sd-param "email.action=\"delivered\"" --sd-param "gateway=\"demo\"" "message sent"
}

access PC1001 PNC query P0310001 INC "INC/2211/26"        # routine, justified: no alert
access PC1001 PNC query P0042117 INC "INC/2212/26"        # declared family associate
access PC1002 PND view P0310002 CRIME "CR/0457/26"        # vetting lapsed
access ST3001 Niche view P0310003 INC "INC/2219/26"       # suspended member of staff
access PC1003 PNC query P0077001 "" ""                    # watch-listed subject, no reason
# One account at Exton Central and, seconds later, Wyford (33 km): two sites at once
# (sites.csv, `probity state import sites deploy/demo/sites.csv`).
access_from PS2001 PND P0310004 EXC-WS-0112 10.41.2.17
access_from PS2001 PND P0310005 EXW-WS-3301 10.43.1.40
person PC1002 Niche P0310004 "WHITFIELD, Joanne" "04/11/1988" ""            # declared ex-partner, by name and date of birth
person PC1002 Niche P0310005 "Dean Carver" "1986-02-10" "FLAT 2 14 MOOR RD WYFORD"  # at the ex-partner's address
email sean.brennan@force.police.uk colleague@force.police.uk "Rota"          # internal: no alert
email niamh.walsh@force.police.uk newsdesk@dailyclarion.co.uk "Tonight"      # undeclared media
