#!/bin/sh
test_description='sup audit --cases: every open case in each session; child protection cases within the limit'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# jsmith's cases (setup_repo): C-100 opened 2026-02-01, C-101 (child
# protection) opened 2026-03-01; child_protection_within: 4 weeks.

test_expect_success 'setup' '
	audit_setup
'

test_expect_success 'cp-case-gap: a child protection case not discussed since it opened' '
	audit --cases --person jsmith --as-of 2026-03-29 &&
	test "$status" = 0 &&
	hasnt cp-case-gap jsmith &&
	audit --cases --person jsmith --as-of 2026-03-30 --format json &&
	test "$status" = 1 &&
	test "$(finding_field cp-case-gap jsmith severity)" = error &&
	test "$(finding_field cp-case-gap jsmith due)" = 2026-03-29 &&
	finding_field cp-case-gap jsmith message >msg &&
	test_grep "child protection case C-101 not discussed in supervision since it opened 2026-03-01" msg
'

test_expect_success 'case-not-discussed: an open case missing from the latest session' '
	at 2026-03-02 &&
	session 2026-03-02-jsmith 2026-03-02 akhan jsmith "" "cases: [{ref: C-100, decision: Carry on}]" &&
	audit --cases --person jsmith --as-of 2026-03-03 --format json &&
	test "$status" = 1 &&
	test "$(finding_field case-not-discussed jsmith record)" = 2026-03-02-jsmith &&
	finding_field case-not-discussed jsmith message >msg &&
	test_grep "open case C-101 is not among the cases of the latest session" msg &&
	python3 -c "
import json
n = [f for f in json.load(open(\"out\"))[\"findings\"] if f[\"code\"] == \"case-not-discussed\"]
assert len(n) == 1, n
"
'

test_expect_success 'case-not-discussed: corrected by a session with every open case' '
	at 2026-03-09 &&
	session 2026-03-09-jsmith 2026-03-09 akhan jsmith "" \
		"cases: [{ref: C-100, decision: Carry on}, {ref: C-101, decision: Core group}]" &&
	audit --cases --person jsmith --as-of 2026-03-10 &&
	test "$status" = 0 &&
	hasnt case-not-discussed jsmith
'

test_expect_success 'a case closed before the session need not be discussed' '
	at 2026-03-10 &&
	act akhan sup case close C-100 --closed 2026-03-12 >/dev/null &&
	at 2026-03-16 &&
	session 2026-03-16-jsmith 2026-03-16 akhan jsmith "" \
		"cases: [{ref: C-101, decision: Core group}]" &&
	audit --cases --person jsmith --as-of 2026-03-17 &&
	test "$status" = 0 &&
	hasnt case-not-discussed jsmith
'

test_expect_success 'cp-case-gap: the limit runs from the last discussion' '
	audit --cases --person jsmith --as-of 2026-04-13 &&
	hasnt cp-case-gap jsmith &&
	audit --cases --person jsmith --as-of 2026-04-14 --format json &&
	test "$(finding_field cp-case-gap jsmith due)" = 2026-04-13 &&
	test "$(finding_field cp-case-gap jsmith date)" = 2026-03-16 &&
	finding_field cp-case-gap jsmith message >msg &&
	test_grep "last discussed in supervision 2026-03-16" msg
'

test_expect_success 'cp-case-gap: corrected by discussing it again' '
	at 2026-04-10 &&
	session 2026-04-10-jsmith 2026-04-10 akhan jsmith "" \
		"cases: [{ref: C-101, decision: Review conference booked}]" &&
	audit --cases --person jsmith --as-of 2026-04-14 &&
	test "$status" = 0 &&
	hasnt cp-case-gap jsmith
'

test_expect_success 'every_open_case_each_session: false turns the first rule off' '
	at 2026-04-11 &&
	act akhan sup case open C-102 --worker jsmith --opened 2026-04-01 >/dev/null &&
	audit --cases --person jsmith --as-of 2026-04-14 &&
	has case-not-discussed jsmith &&
	python3 - "$REPO/sup.yaml" <<-\PY &&
	import sys
	p = sys.argv[1]
	s = open(p).read().replace("every_open_case_each_session: true", "every_open_case_each_session: false")
	open(p, "w").write(s)
	PY
	git -C "$REPO" add sup.yaml &&
	git_commit_unsigned "policy" &&
	audit --cases --person jsmith --as-of 2026-04-14 &&
	hasnt case-not-discussed jsmith
'

test_done
