#!/bin/sh
test_description='sup audit --actions, --functions, --training'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# edit_record ID SED-SCRIPT: change an unsigned record with sup edit, the
# editor being sed.
edit_record () {
	printf '#!/bin/sh\nsed -i -e %s "$1"\n' "'$2'" >"$TRASH_DIRECTORY/ed.sh" &&
	chmod +x "$TRASH_DIRECTORY/ed.sh" &&
	act akhan env EDITOR="$TRASH_DIRECTORY/ed.sh" sup edit "$1" >/dev/null
}

test_expect_success 'setup' '
	audit_setup &&
	at 2026-02-02 &&
	session 2026-02-02-jsmith 2026-02-02 akhan jsmith "" "actions:
  - {n: 1, text: Book core group, owner: jsmith, due: 2026-02-20}
  - {n: 2, text: Write the assessment, owner: jsmith, due: 2026-03-20}"
'

test_expect_success 'action-overdue: due passed, not marked done or dropped' '
	audit --actions --person jsmith --as-of 2026-02-20 &&
	test "$status" = 0 &&
	audit --actions --person jsmith --as-of 2026-02-21 --format json &&
	test "$status" = 1 &&
	test "$(finding_field action-overdue jsmith record)" = 2026-02-02-jsmith &&
	test "$(finding_field action-overdue jsmith due)" = 2026-02-20 &&
	finding_field action-overdue jsmith message >msg &&
	test_grep "action 2026-02-02-jsmith#1 (Book core group, owner jsmith) was due 2026-02-20" msg
'

test_expect_success 'action-not-reviewed: an open action missing from the next session' '
	at 2026-03-02 &&
	session 2026-03-02-jsmith 2026-03-02 akhan jsmith "" "reviewed_actions:
  - {action: 2026-02-02-jsmith#1, status: done}" &&
	audit --actions --person jsmith --as-of 2026-03-03 --format json &&
	test "$status" = 1 &&
	test "$(finding_field action-not-reviewed jsmith record)" = 2026-03-02-jsmith &&
	finding_field action-not-reviewed jsmith message >msg &&
	test_grep "action 2026-02-02-jsmith#2 (Write the assessment) is not among the reviewed actions" msg
'

test_expect_success 'action-overdue: corrected once a later record marks it done' '
	hasnt action-overdue jsmith
'

test_expect_success 'action-not-reviewed: corrected when the next session reviews it' '
	edit_record 2026-03-02-jsmith "s/^  - {action: 2026-02-02-jsmith#1, status: done}/&\n  - {action: 2026-02-02-jsmith#2, status: carried}/" &&
	grep "jsmith#2, status: carried" "$REPO/records/2026/2026-03-02-jsmith.md" &&
	audit --actions --person jsmith --as-of 2026-03-03 &&
	test "$status" = 0 &&
	hasnt action-not-reviewed jsmith
'

test_expect_success 'a carried action is still open: overdue after its due date' '
	audit --actions --person jsmith --as-of 2026-03-21 &&
	has action-overdue jsmith &&
	at 2026-03-23 &&
	session 2026-03-23-jsmith 2026-03-23 akhan jsmith "" "reviewed_actions:
  - {action: 2026-02-02-jsmith#2, status: dropped}" &&
	audit --actions --person jsmith --as-of 2026-03-24 &&
	test "$status" = 0
'

test_expect_success 'function-gap: a function missing from functions_window (3) consecutive sessions' '
	at 2026-04-01 &&
	session 2026-04-01-jsmith 2026-04-01 akhan jsmith "performance, development" &&
	at 2026-04-08 &&
	session 2026-04-08-jsmith 2026-04-08 akhan jsmith "performance, development" &&
	audit --functions --person jsmith --as-of 2026-04-09 &&
	test "$status" = 0 &&
	at 2026-04-15 &&
	session 2026-04-15-jsmith 2026-04-15 akhan jsmith "performance" &&
	audit --functions --person jsmith --as-of 2026-04-16 --format json &&
	test "$status" = 1 &&
	test "$(finding_field function-gap jsmith record)" = 2026-04-15-jsmith &&
	finding_field function-gap jsmith message >msg &&
	test_grep "^.support. not covered in 3 consecutive sessions, 2026-04-01 to 2026-04-15" msg &&
	python3 -c "
import json
n = [f for f in json.load(open(\"out\"))[\"findings\"] if f[\"code\"] == \"function-gap\"]
assert len(n) == 1, n
"
'

test_expect_success 'function-gap: corrected when the window covers it' '
	edit_record 2026-04-08-jsmith "s/^functions: .*/functions: [performance, development, support]/" &&
	audit --functions --person jsmith --as-of 2026-04-16 &&
	test "$status" = 0 &&
	hasnt function-gap jsmith
'

test_expect_success 'untrained-supervisor: someone supervising with no training date' '
	at 2026-04-20 &&
	act akhan sup staff set student --supervisor jsmith >/dev/null &&
	audit --training --as-of 2026-04-21 --format json &&
	test "$status" = 1 &&
	test "$(finding_field untrained-supervisor jsmith supervisor)" = akhan &&
	finding_field untrained-supervisor jsmith message >msg &&
	test_grep "supervises student with no supervision-skills training recorded" msg
'

test_expect_success 'untrained-supervisor: training after the as-of date does not count yet' '
	act akhan sup staff set jsmith --trained 2026-05-04 >/dev/null &&
	audit --training --as-of 2026-04-21 &&
	has untrained-supervisor jsmith &&
	audit --training --as-of 2026-05-04 &&
	test "$status" = 0 &&
	hasnt untrained-supervisor jsmith
'

test_expect_success 'untrained-supervisor: no one to supervise, no finding' '
	act akhan sup staff set jsmith --trained 2026-05-04 >/dev/null &&
	act akhan sup staff set student --supervisor akhan >/dev/null &&
	act akhan sup staff set bwilson --supervisor akhan >/dev/null &&
	audit --training --as-of 2026-04-21 &&
	test "$status" = 0
'

test_done
