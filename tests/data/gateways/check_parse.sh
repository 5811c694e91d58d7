#!/bin/sh
# Runs `probity parse --source NAME` on each gateway sample and checks the canonical events
# it prints: how many, and text each must contain. Usage: check_parse.sh PROBITY DATA_DIR
set -u
probity=$1
dir=$2
failed=0

check() {  # source file expected_event_count text...
  src=$1 file=$2 want=$3
  shift 3
  out=$("$probity" parse --source "$src" < "$dir/$file" 2>&1)
  status=$?
  if [ $status -ne 0 ]; then
    echo "FAIL $src: probity parse exited $status"
    echo "$out"
    failed=1
    return
  fi
  n=$(printf '%s\n' "$out" | grep -c '"event.kind"')
  if [ "$n" != "$want" ]; then
    echo "FAIL $src: $n events, expected $want"
    echo "$out"
    failed=1
  fi
  for text in "$@"; do
    if ! printf '%s\n' "$out" | grep -qF -- "$text"; then
      echo "FAIL $src: no $text in"
      echo "$out"
      failed=1
    fi
  done
  [ $failed -eq 0 ] && echo "ok   $src: $n events"
}

check postfix postfix.log 4 \
  '"email.to":"newsdesk@paper.example"' '"email.subject":"Tonight'"'"'s story"' \
  '"email.action":"delivered"' '"email.action":"deferred"' '"email.action":"rejected"' \
  '"gateway":"postfix"' '"queue_id":"3Pt2mN2VXxznjll"'
check mimecast mimecast.log 1 \
  '"email.subject":"Re: tonight | the story"' '"email.attachments.names":["custody-photo.jpg"]' \
  '"email.direction":"outbound"' '"gateway":"mimecast"'
check mimecast mimecast-json.log 1 '"email.subject":"Press enquiry, re: arrest"' \
  '"email.direction":"inbound"'
check exchange exchange.log 2 \
  '"email.to":"newsdesk@paper.example"' '"email.to":"bob.smith@force.police.uk"' \
  '"email.subject":"Re: tonight, the story"' '"email.direction":"outbound"' \
  '"email.action":"delivered"' '"gateway":"exchange"' '"event-id":"SEND"'
check exchange-online exchange-online.log 2 '"email.subject":"Custody photos, as discussed"' \
  '"email.action":"delivered"' '"email.action":"rejected"' '"gateway":"exchange-online"' \
  '"email.size":524288'
check cisco-esa cisco-esa.log 2 \
  '"email.to":"newsdesk@paper.example"' '"email.subject":"Tonight, the story"' \
  '"email.action":"delivered"' '"email.action":"rejected"' '"email.direction":"outbound"' \
  '"gateway":"cisco-esa"' '"mid":"200257070"' '"email.attachments.names":["custody-photo.jpg"]'
check proofpoint proofpoint.log 1 \
  '"email.to":"newsdesk@paper.example"' '"email.subject":"Tonight, the story"' \
  '"email.action":"delivered"' '"gateway":"proofpoint"' '"qid":"621B3C4D5E6F78"' \
  '"rules":"spam:notspam;av:clean"'
check proofpoint-pod proofpoint-pod.log 3 \
  '"email.to":"editor@paper.example"' '"email.subject":"Tonight, the story"' \
  '"email.action":"delivered"' '"email.action":"rejected"' '"gateway":"proofpoint-pod"' \
  '"event.id":"vRq4ZIFWHXbuABCDEFghij0U4VvIc71x/newsdesk@paper.example"' \
  '"email.attachments.names":["custody-photo.jpg"]'
check cef cef.log 2 '"user.id":"pc1234"' '"source.system":"Niche RMS"' '"action":"view"' \
  '"subject.id":"N-445566"' '"reason.text":"Enquiry INC 22/11 = routine"' '"event.id":"niche-771"'
check leef leef.log 2 '"user.id":"pc1234"' '"source.system":"PND"' '"action":"query"' \
  '"subject.id":"P-998877"' '"client.ip":"10.1.2.3"'
exit $failed
