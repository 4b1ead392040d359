#!/bin/sh
test_description='sup audit --overdue: frequencies, phases, absences, leavers, new starters'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup' '
	audit_setup
'

# due_of PERSON AS_OF: the due date sup due gives PERSON.
due_of () {
	(cd "$REPO" && sup due --as-of "$2" --format json) >due.json &&
	python3 -c "
import json, sys
for p in json.load(open(\"due.json\"))[\"people\"]:
    if p[\"person\"] == sys.argv[1]:
        print(p[\"due\"], p[\"status\"])
" "$1"
}

test_expect_success 'a new starter with no record is not due before first_session_within' '
	audit --overdue --person jsmith --as-of 2026-01-20 &&
	test "$status" = 0 &&
	test_grep "No findings as of 2026-01-20" out &&
	echo "2026-02-02 first" >expect &&
	due_of jsmith 2026-01-20 >actual &&
	test_cmp expect actual
'

test_expect_success 'never-supervised fires once first_session_within has passed' '
	audit --overdue --person jsmith --as-of 2026-02-03 --format csv &&
	test "$status" = 1 &&
	test_grep "^2026-02-03,akhan,error,never-supervised,jsmith,,2026-01-05,2026-02-02," out
'

test_expect_success 'never-supervised: corrected by a first session' '
	at 2026-01-30 &&
	session 2026-01-30-jsmith 2026-01-30 akhan jsmith &&
	audit --overdue --person jsmith --as-of 2026-02-03 &&
	test "$status" = 0 &&
	hasnt never-supervised jsmith
'

test_expect_success 'overdue fires the day after last session + 4 weeks' '
	audit --overdue --person jsmith --as-of 2026-02-27 &&
	test "$status" = 0 &&
	audit --overdue --person jsmith --as-of 2026-02-28 --format json &&
	test "$status" = 1 &&
	test "$(finding_field overdue jsmith due)" = 2026-02-27 &&
	test "$(finding_field overdue jsmith record)" = 2026-01-30-jsmith &&
	test "$(finding_field overdue jsmith severity)" = error
'

test_expect_success 'overdue: corrected by a session' '
	at 2026-02-25 &&
	session 2026-02-25-jsmith 2026-02-25 akhan jsmith &&
	audit --overdue --person jsmith --as-of 2026-02-28 &&
	test "$status" = 0 &&
	hasnt overdue jsmith
'

test_expect_success 'ASYE: weekly for six weeks, first session due within a week' '
	echo "2026-01-12 first" >expect &&
	due_of asye 2026-01-06 >actual &&
	test_cmp expect actual &&
	audit --overdue --person asye --as-of 2026-01-13 &&
	has never-supervised asye &&
	at 2026-01-12 &&
	session 2026-01-12-asye 2026-01-12 akhan asye &&
	echo "2026-01-19 scheduled" >expect &&
	due_of asye 2026-01-13 >actual &&
	test_cmp expect actual &&
	audit --overdue --person asye --as-of 2026-01-20 &&
	has overdue asye
'

test_expect_success 'ASYE: weekly to fortnightly at six weeks, fortnightly to monthly at six months' '
	at 2026-02-13 &&
	session 2026-02-13-asye 2026-02-13 akhan asye &&
	at 2026-06-30 &&
	session 2026-06-30-asye 2026-06-30 akhan asye &&
	at 2026-07-20 &&
	session 2026-07-20-asye 2026-07-20 akhan asye &&
	# day 39, weekly phase: the next, in the fortnightly phase, is 2 weeks on
	echo "2026-02-27 scheduled" >expect &&
	due_of asye 2026-02-14 >actual &&
	test_cmp expect actual &&
	# day 176, fortnightly: the next, past six months, is 4 weeks on
	echo "2026-07-28 scheduled" >expect &&
	due_of asye 2026-07-01 >actual &&
	test_cmp expect actual &&
	# in the monthly phase
	echo "2026-08-17 scheduled" >expect &&
	due_of asye 2026-07-21 >actual &&
	test_cmp expect actual &&
	audit --overdue --person asye --as-of 2026-08-17 &&
	hasnt overdue asye &&
	audit --overdue --person asye --as-of 2026-08-18 &&
	has overdue asye
'

test_expect_success 'student: weekly for six weeks, then fortnightly' '
	at 2026-01-09 &&
	session 2026-01-09-student 2026-01-09 akhan student &&
	at 2026-02-12 &&
	session 2026-02-12-student 2026-02-12 akhan student &&
	echo "2026-01-16 scheduled" >expect &&
	due_of student 2026-01-10 >actual &&
	test_cmp expect actual &&
	audit --overdue --person student --as-of 2026-01-17 &&
	has overdue student &&
	echo "2026-02-26 scheduled" >expect &&
	due_of student 2026-02-13 >actual &&
	test_cmp expect actual &&
	audit --overdue --person student --as-of 2026-02-26 &&
	hasnt overdue student &&
	audit --overdue --person student --as-of 2026-02-27 &&
	has overdue student
'

test_expect_success 'an absence spanning the due date pauses the clock' '
	at 2026-01-15 &&
	session 2026-01-15-bwilson 2026-01-15 akhan bwilson &&
	audit --overdue --person bwilson --as-of 2026-03-01 &&
	has overdue bwilson &&
	act akhan sup staff absence bwilson --from 2026-02-10 --to 2026-03-31 \
		--reason "sick leave" >/dev/null &&
	audit --overdue --person bwilson --as-of 2026-03-01 &&
	test "$status" = 0 &&
	hasnt overdue bwilson &&
	(cd "$REPO" && sup due --as-of 2026-03-01 --format json) >due.json &&
	python3 -c "
import json
p = [p for p in json.load(open(\"due.json\"))[\"people\"] if p[\"person\"] == \"bwilson\"][0]
assert p[\"due\"] == \"2026-04-17\", p
assert p[\"paused_days\"] == 50, p
assert p[\"absent\"] is True, p
" &&
	audit --overdue --person bwilson --as-of 2026-04-17 &&
	hasnt overdue bwilson &&
	audit --overdue --person bwilson --as-of 2026-04-18 &&
	has overdue bwilson
'

test_expect_success 'a leaver drops out on their leaving date' '
	audit --overdue --person bwilson --as-of 2026-04-30 &&
	has overdue bwilson &&
	at 2026-04-01 &&
	act akhan sup staff set bwilson --left 2026-04-30 >/dev/null &&
	audit --overdue --person bwilson --as-of 2026-04-29 &&
	has overdue bwilson &&
	audit --overdue --as-of 2026-04-30 &&
	hasnt overdue bwilson &&
	(cd "$REPO" && sup due --as-of 2026-04-30) >due.out &&
	! grep bwilson due.out
'

test_expect_success 'a person not yet started is not scheduled' '
	at 2026-04-02 &&
	make_ssh_key newbie &&
	act akhan sup staff add newbie --name "New Bie" --role practitioner \
		--email newbie@example.org --supervisor akhan --started 2026-05-04 \
		--key "$KEYS/newbie.pub" >/dev/null &&
	(cd "$REPO" && sup due --as-of 2026-05-01) >due.out &&
	! grep newbie due.out &&
	(cd "$REPO" && sup due --as-of 2026-05-04) >due.out &&
	test_grep "newbie" due.out
'

test_expect_success 'group supervision counts only where the policy says so' '
	at 2026-03-25 &&
	record group <<-\EOF &&
	id: 2026-03-25-group-akhan
	type: group
	date: 2026-03-25
	supervisor: akhan
	supervisees: [jsmith, student]
	ground_rules_agreed: true
	functions: [performance, development, support]
	EOF
	add group akhan &&
	audit --overdue --person jsmith --as-of 2026-04-01 &&
	has overdue jsmith &&
	policy_set counts_as_supervision "[session, group]" &&
	audit --overdue --person jsmith --as-of 2026-04-01 &&
	test "$status" = 0 &&
	hasnt overdue jsmith &&
	echo "2026-04-22 scheduled" >expect &&
	due_of jsmith 2026-04-01 >actual &&
	test_cmp expect actual
'

test_expect_success 'text output groups by supervisor, most severe first' '
	at 2026-04-02 &&
	act akhan sup staff set student --supervisor jsmith >/dev/null &&
	act akhan sup staff set jsmith --trained 2025-01-06 >/dev/null &&
	audit --overdue --training --as-of 2026-06-01 &&
	test "$status" = 1 &&
	test_grep "^Supervisor akhan (Aisha Khan): " out &&
	test_grep "^Supervisor jsmith (Jo Smith): 1 finding" out &&
	sed -n "/^Supervisor akhan/,/^\$/p" out >akhan.out &&
	head -n 2 akhan.out | tail -n 1 | grep "^SEVERITY  CODE" &&
	sed -n "3p" akhan.out | grep "^error" &&
	test_grep "findings as of 2026-06-01: " out &&
	! grep "$(printf "\033")" out
'

test_expect_success '--supervisor keeps their team, --person one person' '
	audit --overdue --as-of 2026-06-01 --supervisor jsmith --format csv &&
	test "$(tail -n +2 out | cut -d, -f2 | sort -u)" = jsmith &&
	has overdue student &&
	audit --overdue --as-of 2026-06-01 --person asye --format csv &&
	test "$(tail -n +2 out | cut -d, -f5 | sort -u)" = asye
'

test_expect_success 'an unknown --person or --supervisor could not run (exit 2)' '
	audit --person jsmtih &&
	test "$status" = 2 &&
	expect_error audit "unknown staff id .jsmtih. \(did you mean .jsmith.\?\)" &&
	audit --supervisor nobody &&
	test "$status" = 2
'

test_expect_success 'usage errors exit 2' '
	audit --as-of 2026-02-30 &&
	test "$status" = 2 &&
	test_grep "^usage: sup audit" err &&
	audit --format yaml &&
	test "$status" = 2 &&
	audit extra &&
	test "$status" = 2
'

test_done
