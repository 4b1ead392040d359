#!/bin/sh
test_description='sup new: next_session is pre-filled by the policy engine (phases, absences), as sup due sees it'
. "$(dirname "$0")/test-lib.sh"

next_of () {
	sed -n 's/^next_session: //p' "$REPO/records/2026/$1.md"
}

test_expect_success 'setup' '
	setup_repo &&
	(cd "$REPO" &&
	 sup staff add kasye --name "Kim Asye" --role asye --supervisor akhan \
		--started 2026-09-07 --phase-start 2026-09-07 >/dev/null &&
	 sup staff absence jsmith --from 2026-06-08 --to 2026-06-19 \
		--reason "annual leave" >/dev/null)
'

test_expect_success 'a practitioner: four weeks on' '
	sup -C "$REPO" new session --no-edit --with jsmith --date 2026-04-06 >/dev/null &&
	test "$(next_of 2026-04-06-jsmith)" = 2026-05-04
'

test_expect_success 'an absence within the interval pushes it back by the days absent' '
	sup -C "$REPO" new session --no-edit --with jsmith --date 2026-06-01 >/dev/null &&
	test "$(next_of 2026-06-01-jsmith)" = 2026-07-11
'

test_expect_success 'an ASYE in the weekly phase: a week on, not four' '
	sup -C "$REPO" new session --no-edit --with kasye --date 2026-09-14 >/dev/null &&
	test "$(next_of 2026-09-14-kasye)" = 2026-09-21
'

test_expect_success 'the same date sup due gives' '
	sup -C "$REPO" due --as-of 2026-09-15 --format csv >due &&
	grep ",kasye," due | grep -q "^2026-09-21,"
'

test_done
