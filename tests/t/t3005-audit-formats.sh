#!/bin/sh
test_description='sup audit: all selectors, text, JSON (against its schema) and CSV'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SCHEMA="$SRC/man/sup-audit.schema.json"

test_expect_success 'setup: a repository with something for every rule' '
	audit_setup &&
	at 2026-02-09 &&
	session 2026-02-02-jsmith 2026-02-02 akhan jsmith "performance" "cases: [{ref: C-100, decision: Go on}]
actions:
  - {n: 1, text: \"Book core group, then \\\"review\\\"\", owner: jsmith, due: 2026-02-20}" &&
	at 2026-03-20 &&
	session 2026-03-02-jsmith 2026-03-02 akhan jsmith "performance" &&
	at 2026-03-21 &&
	session 2026-03-09-jsmith 2026-03-09 akhan jsmith "performance" &&
	sign jsmith 2026-03-09-jsmith --dispute "not what was said" &&
	contract 2026-03-09-jsmith-contract 2026-03-09 akhan jsmith "6 weeks" 2026-03-20 &&
	signed_by_both 2026-03-09-jsmith-contract akhan jsmith &&
	act akhan sup staff set student --supervisor jsmith >/dev/null &&
	f="$REPO/records/2026/2026-03-02-jsmith.md" &&
	sign akhan 2026-03-02-jsmith &&
	echo "Hand edit." >>"$f" &&
	git -C "$REPO" add "$f" &&
	git_commit_unsigned "hand edit"
'

test_expect_success 'no selector runs every rule: every code of the audit' '
	audit --as-of 2026-04-10 --format json &&
	test "$status" = 1 &&
	python3 -c "
import json
doc = json.load(open(\"out\"))
codes = set(f[\"code\"] for f in doc[\"findings\"])
want = {\"overdue\", \"never-supervised\", \"late-record\", \"unsigned\",
        \"stale-signoff\", \"disputed\", \"contract-review\",
        \"contract-frequency\", \"case-not-discussed\", \"cp-case-gap\",
        \"action-overdue\", \"action-not-reviewed\", \"function-gap\",
        \"untrained-supervisor\", \"no-contract\"}
missing = want - codes
assert not missing, missing
assert doc[\"as_of\"] == \"2026-04-10\"
s = doc[\"summary\"]
assert s[\"total\"] == len(doc[\"findings\"]) == s[\"error\"] + s[\"warning\"] + s[\"info\"]
assert sum(s[\"by_code\"].values()) == s[\"total\"]
"
'

test_expect_success PYTHON '--format json validates against man/sup-audit.schema.json' '
	audit --as-of 2026-04-10 --format json &&
	validate_schema "$SCHEMA" out &&
	audit --as-of 2026-01-01 --format json &&
	validate_schema "$SCHEMA" out &&
	# and the validator does fail: a finding with an unknown code
	sed -e "s/\"code\":\"overdue\"/\"code\":\"made-up\"/" out >bad.json &&
	audit --as-of 2026-04-10 --format json &&
	sed -e "s/\"code\":\"overdue\"/\"code\":\"made-up\"/" out >bad.json &&
	! validate_schema "$SCHEMA" bad.json 2>/dev/null
'

test_expect_success 'the findings are sorted: supervisor, severity, person, code' '
	audit --as-of 2026-04-10 --format json &&
	python3 -c "
import json
rank = {\"error\": 0, \"warning\": 1, \"info\": 2}
f = json.load(open(\"out\"))[\"findings\"]
keys = [(x[\"supervisor\"] or \"~\", rank[x[\"severity\"]], x[\"person\"], x[\"code\"]) for x in f]
assert keys == sorted(keys), keys
"
'

test_expect_success '--format csv opens with a header row, one row per finding' '
	audit --as-of 2026-04-10 --format csv &&
	head -n 1 out >head &&
	echo "as_of,supervisor,severity,code,person,record,date,due,message" >expect &&
	test_cmp expect head &&
	audit --as-of 2026-04-10 --format json &&
	cp out json &&
	audit --as-of 2026-04-10 --format csv &&
	python3 -c "
import csv, json
rows = list(csv.DictReader(open(\"out\", newline=\"\")))
doc = json.load(open(\"json\"))
assert len(rows) == len(doc[\"findings\"])
for r, f in zip(rows, doc[\"findings\"]):
    assert r[\"code\"] == f[\"code\"] and r[\"person\"] == f[\"person\"]
    assert r[\"message\"] == f[\"message\"], (r, f)
"
'

test_expect_success 'text: a table per supervisor, a summary line, no colour off a terminal' '
	audit --as-of 2026-04-10 &&
	test "$status" = 1 &&
	test_grep "^Supervisor akhan (Aisha Khan): [0-9]* findings\$" out &&
	test_grep "^Supervisor jsmith (Jo Smith): 2 findings\$" out &&
	test_grep "^SEVERITY  CODE  *PERSON  *RECORD  *DATE  *DUE  *MESSAGE\$" out &&
	test_grep "^[0-9]* findings as of 2026-04-10: [0-9]* errors, [0-9]* warnings, 1 info\$" out &&
	! grep "$(printf "\033")" out &&
	! grep " \$" out
'

test_expect_success 'a clean audit exits 0 and says so' '
	audit --as-of 2026-04-10 --person bwilson --training &&
	test "$status" = 0 &&
	echo "No findings as of 2026-04-10." >expect &&
	test_cmp expect out &&
	audit --as-of 2026-04-10 --person bwilson --training --format csv &&
	test_line_count = 1 out &&
	audit --as-of 2026-04-10 --person bwilson --training --format json &&
	validate_schema "$SCHEMA" out
'

test_expect_success 'colour on a terminal, by severity; NO_COLOR turns it off' '
	if command -v script >/dev/null 2>&1; then
		{ (cd "$REPO" && TERM=xterm NO_COLOR= PAGER=cat script -qec "sup audit --as-of 2026-04-10" /dev/null) >tty.out; true; } &&
		grep "$(printf "\033")\[31m" tty.out &&
		{ (cd "$REPO" && TERM=xterm NO_COLOR=1 PAGER=cat script -qec "sup audit --as-of 2026-04-10" /dev/null) >tty.out; true; } &&
		test_grep "findings as of" tty.out &&
		! grep "$(printf "\033")\[31m" tty.out
	fi
'

test_expect_success 'deleting the first-seen cache changes no answer' '
	audit --as-of 2026-04-10 --format json &&
	cp out before &&
	rm -rf "$REPO/.git/sup/cache" &&
	audit --as-of 2026-04-10 --format json &&
	test_cmp before out
'

test_done
