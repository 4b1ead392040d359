#!/bin/sh
test_description='scratch'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"
R=2026-03-02-jsmith
RP=records/2026/2026-03-02-jsmith.md
test_expect_success 'x' '
	setup_repo &&
	new_session $R 2026-03-02 akhan jsmith C-100 C-101 &&
	edit_script loc <<-\EOS &&
	sed -i -e "s/^location: Room 4$/location: Room 7/" -e "s/due: 2026-05-01}/due: 2026-05-08}/" "$1"
	EOS
	sup_edit_with loc $R &&
	sign_as akhan $R && sign_as jsmith $R &&
	become akhan &&
	edit_script amend <<-\EOS &&
	sed -i -e "s/^    decision: Keep to the plan for C-101$/    decision: Strategy meeting for C-101/" "$1"
	EOS
	sup_edit_with amend --amend "the C-101 decision was wrong" $R &&
	sign_as akhan $R && sign_as jsmith $R &&
	become jsmith &&
	sed -i "s/^Offered; nothing raised.$/Offered; jsmith asked for a reflective session./" "$REPO/$RP" &&
	git -C "$REPO" add $RP && test_tick && git_commit_unsigned "hand edit" &&
	sed -i "s/^Booked the court skills course.$/Booked and attended the court skills course./" "$REPO/$RP" &&
	git -C "$REPO" add $RP && test_tick && git -C "$REPO" commit -q -S -m "signed hand edit" &&
	cd "$REPO" && sup log $R && sup log && sup log --format json $R && sup log --format csv && sup log -p $R | head -80 &&
	sup diff $R HEAD~3 HEAD && sup diff --format json $R HEAD~1 HEAD
'
test_done
