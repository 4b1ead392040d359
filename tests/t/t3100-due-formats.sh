#!/bin/sh
test_description='sup due: next due dates as text, JSON, CSV and iCalendar; --within; sup new orders by it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup' '
	audit_setup &&
	at 2026-02-02 &&
	session 2026-02-02-jsmith 2026-02-02 akhan jsmith &&
	session 2026-02-02-bwilson 2026-02-02 akhan bwilson &&
	at 2026-02-03 &&
	act akhan sup staff set student --name "Sam Student, of the Very Long Named Placement Programme (Ünïcödé)" >/dev/null
'

test_expect_success 'text: one row per person in post, soonest first' '
	(cd "$REPO" && sup due --as-of 2026-02-10) >out &&
	cat >expect <<-\EOF &&
	DUE         PERSON   NAME                                                               SUPERVISOR  ROLE          EVERY    LAST        STATUS
	2026-01-12  asye     Ann Asye                                                           akhan       asye          1 week   -           never supervised, first overdue 29 days
	2026-01-12  student  Sam Student, of the Very Long Named Placement Programme (Ünïcödé)  akhan       student       1 week   -           never supervised, first overdue 29 days
	2026-03-02  jsmith   Jo Smith                                                           akhan       practitioner  4 weeks  2026-02-02  in 20 days
	2026-03-16  bwilson  Ben Wilson                                                         akhan       dsl           6 weeks  2026-02-02  in 34 days
	EOF
	test_cmp expect out
'

test_expect_success '--within DAYS: only those due by then (overdue included)' '
	(cd "$REPO" && sup due --as-of 2026-02-10 --within 20 --format csv) >out &&
	cut -d, -f2 out >people &&
	printf "person\nasye\nstudent\njsmith\n" >expect &&
	test_cmp expect people &&
	(cd "$REPO" && sup due --as-of 2026-02-10 --within 19 --format csv) >out &&
	test_line_count = 3 out
'

test_expect_success 'csv opens with a header row' '
	(cd "$REPO" && sup due --as-of 2026-02-10 --format csv) >out &&
	head -n 1 out >head &&
	echo "due,person,name,supervisor,role,frequency,frequency_from,last,last_record,days,status" >expect &&
	test_cmp expect head &&
	test_grep "^2026-03-02,jsmith,Jo Smith,akhan,practitioner,4 weeks,policy,2026-02-02,2026-02-02-jsmith,20,scheduled\$" out &&
	test_grep "^2026-01-12,student,\"Sam Student, of the" out
'

test_expect_success 'json: one document' '
	(cd "$REPO" && sup due --as-of 2026-02-10 --format json) >out &&
	python3 -c "
import json
doc = json.load(open(\"out\"))
assert doc[\"as_of\"] == \"2026-02-10\"
p = {x[\"person\"]: x for x in doc[\"people\"]}
assert set(p) == {\"asye\", \"student\", \"jsmith\", \"bwilson\"}, p
assert p[\"asye\"][\"status\"] == \"never-supervised\" and p[\"asye\"][\"last\"] is None
assert p[\"jsmith\"][\"days\"] == 20 and p[\"jsmith\"][\"frequency\"] == \"4 weeks\"
assert p[\"bwilson\"][\"due\"] == \"2026-03-16\"
"
'

test_expect_success 'ics: CRLF, folded at 75 octets, DTSTAMP, one all-day event each' '
	(cd "$REPO" && SOURCE_DATE_EPOCH=1770000000 sup due --as-of 2026-02-10 --format ics) >cal.ics &&
	# every line ends in CRLF, none is longer than 75 octets
	! LC_ALL=C grep -v "$(printf "\r")\$" cal.ics &&
	LC_ALL=C awk "{ sub(/\r\$/, \"\"); if (length(\$0) > 75) { print; bad = 1 } } END { exit bad }" cal.ics &&
	grep "^ " cal.ics &&
	test "$(grep -c "^BEGIN:VEVENT" cal.ics)" = 4 &&
	test "$(grep -c "^DTSTAMP:20260202T024000Z" cal.ics)" = 4 &&
	test_grep "^DTSTART;VALUE=DATE:20260302" cal.ics &&
	test_grep "^UID:sup-due-jsmith-after-2026-02-02@example-children-s-services" cal.ics
'

test_expect_success ICALENDAR 'ics: a real parser reads it back' '
	"$ICAL_PYTHON" -c "
import datetime, icalendar
cal = icalendar.Calendar.from_ical(open(\"cal.ics\", \"rb\").read())
ev = {str(e[\"UID\"]): e for e in cal.walk(\"VEVENT\")}
assert len(ev) == 4, ev.keys()
j = ev[\"sup-due-jsmith-after-2026-02-02@example-children-s-services\"]
assert j.decoded(\"DTSTART\") == datetime.date(2026, 3, 2)
assert j.decoded(\"DTEND\") == datetime.date(2026, 3, 3)
s = [e for e in ev.values() if \"student\" in str(e[\"UID\"])][0]
assert str(s[\"SUMMARY\"]) == \"Supervision due: Sam Student, of the Very Long Named Placement Programme (Ünïcödé) (student)\", str(s[\"SUMMARY\"])
assert \"Last supervised\" in str(j[\"DESCRIPTION\"])
"
'

test_expect_success 'ics: UIDs are stable: the same run twice, and the same supervision when its date moves' '
	(cd "$REPO" && sup due --as-of 2026-02-10 --format ics) >cal2.ics &&
	grep "^UID:" cal.ics >uids1 &&
	grep "^UID:" cal2.ics >uids2 &&
	test_cmp uids1 uids2 &&
	at 2026-02-11 &&
	act akhan sup staff absence jsmith --from 2026-02-20 --to 2026-02-26 \
		--reason "annual leave" >/dev/null &&
	(cd "$REPO" && sup due --as-of 2026-02-10 --format ics) >cal3.ics &&
	tr -d "\r" <cal3.ics >cal3.txt &&
	grep -A3 "^UID:sup-due-jsmith-after-2026-02-02@" cal3.txt >jevent &&
	test_grep "^DTSTART;VALUE=DATE:20260309" jevent
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 sup -C "$REPO" due --within soon 2>err &&
	test_grep "^sup due: --within: " err &&
	test_expect_code 2 sup -C "$REPO" due --format pdf 2>err &&
	test_expect_code 2 sup -C "$REPO" due --as-of yesterday 2>err &&
	sup -C "$REPO" due --help >out &&
	test_grep "^usage: sup due " out
'

test_expect_success 'sup new asks about the most overdue first, by the same engine' '
	test_have_prereq SCRIPT || command -v script >/dev/null || return 0
	# today is the system date: records dated before it
	at 2026-02-12 &&
	act akhan sup staff absence bwilson --from 2026-02-10 --to 2099-12-31 \
		--reason "secondment" >/dev/null &&
	(cd "$REPO" && echo q | script -qec "sup new session" /dev/null) >menu 2>&1;
	tr -d "\r" <menu | grep "^  [0-9])" >choices &&
	sed -n "\$p" choices | grep bwilson &&
	sed -n "1p" choices | grep -E "asye|student"
'

test_done
