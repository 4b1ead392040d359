#!/bin/sh
test_description='sup diff: the revision forms, the working tree, --signed, keyed lists, JSON'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"

R=2026-03-02-jsmith
RP=records/2026/2026-03-02-jsmith.md
N=2026-03-16-jsmith
NP=records/2026/2026-03-16-jsmith.md
USAGE="usage: sup diff [--signed] [--format text|json] id [rev [rev]]"

test_expect_success 'setup: a session signed by both' '
	setup_repo &&
	new_session $R 2026-03-02 akhan jsmith C-100 C-101 &&
	git -C "$REPO" rev-parse HEAD >new.commit &&
	sign_as akhan $R >/dev/null &&
	sign_as jsmith $R >/dev/null &&
	git -C "$REPO" rev-parse HEAD >signed.commit &&
	git -C "$REPO" tag v-signed &&
	become akhan
'

test_expect_success 'no rev, a clean working tree: nothing, exit 0' '
	sup -C "$REPO" diff $R >out &&
	test_must_be_empty out
'

test_expect_success 'no rev: the last commit against the working tree' '
	sed -i "s/^location: Room 4$/location: Room 9/" "$REPO/$RP" &&
	sup -C "$REPO" diff $R >out &&
	echo "location: Room 4 → Room 9" >expect &&
	test_cmp expect out &&
	sup -C "$REPO" diff --format json $R >j &&
	test "$(json_get j "[d[\"from\"], d[\"to\"]]")" = "[\"$RP@$(short HEAD)\", \"(working tree)\"]"
'

test_expect_success 'one rev: that revision against the working tree (id, short id, tag, HEAD~N)' '
	for rev in $(cat new.commit) $(short $(cat new.commit)) HEAD~2; do
		sup -C "$REPO" diff $R $rev >out &&
		fields_of out >fields &&
		cat >expect <<-\EOF &&
		location: Room 4 → Room 9
		signoffs: + akhan (supervisor)
		signoffs: + jsmith (supervisee)
		EOF
		test_cmp expect fields || return 1
	done &&
	sup -C "$REPO" diff $R v-signed >out &&
	echo "location: Room 4 → Room 9" >expect &&
	test_cmp expect out
'

test_expect_success 'two revs: from the first to the second, the working tree left out' '
	sup -C "$REPO" diff $R HEAD~2 HEAD >out &&
	printf "%s\n" "signoffs: + akhan (supervisor)" "signoffs: + jsmith (supervisee)" >expect &&
	test_cmp expect out &&
	sup -C "$REPO" diff $R HEAD HEAD~2 >out &&
	printf "%s\n" "signoffs: - akhan (supervisor)" "signoffs: - jsmith (supervisee)" >expect &&
	test_cmp expect out &&
	git -C "$REPO" checkout -q -- $RP
'

test_expect_success 'the record by its path, or by a unique prefix of its id' '
	sup -C "$REPO" diff $R HEAD~2 HEAD >byid &&
	test_line_count = 2 byid &&
	sup -C "$REPO" diff $RP HEAD~2 HEAD >a &&
	sup -C "$REPO" diff 2026-03-02 HEAD~2 HEAD >b &&
	test_cmp byid a &&
	test_cmp byid b
'

test_expect_success 'a keyed list: an item inserted in the middle is one addition' '
	session_text $N 2026-03-16 akhan jsmith C-101 >n.md &&
	sed -i "s/^  - {n: 1, text: Book the review meeting, owner: jsmith, due: 2026-05-01}$/&\n  - {n: 3, text: Ring the school, owner: jsmith, due: 2026-05-15}/" n.md &&
	test_tick &&
	(cd "$REPO" && sup new session --from "$TRASH_DIRECTORY/n.md") >/dev/null &&
	edit_script insert <<-\EOS &&
	sed -i -e "s/^  - {n: 3, text: Ring the school/  - {n: 2, text: Write to the GP, owner: jsmith, due: 2026-05-08}\n&/" \
		-e "s/^cases:$/&\n  - ref: C-100\n    decision: Close at review\n    review: 2026-06-01/" "$1"
	EOS
	sup_edit_with insert $N >/dev/null &&
	git -C "$REPO" show HEAD:$NP >after &&
	grep -n "^  - {n: \|^  - ref: " after >order &&
	cat >expect <<-\EOF &&
	12:  - ref: C-100
	15:  - ref: C-101
	20:  - {n: 1, text: Book the review meeting, owner: jsmith, due: 2026-05-01}
	21:  - {n: 2, text: Write to the GP, owner: jsmith, due: 2026-05-08}
	22:  - {n: 3, text: Ring the school, owner: jsmith, due: 2026-05-15}
	EOF
	test_cmp expect order &&
	sup -C "$REPO" diff $N HEAD~1 HEAD >out &&
	cat >expect <<-\EOF &&
	+ cases[C-100]: {ref: C-100, decision: Close at review, review: 2026-06-01}
	+ actions[2]: {n: 2, text: Write to the GP, owner: jsmith, due: 2026-05-08}
	EOF
	test_cmp expect out
'

test_expect_success 'a keyed item changed: its path names the key, not the position' '
	edit_script due <<-\EOS &&
	sed -i -e "s/due: 2026-05-15}$/due: 2026-05-22}/" -e "s/^    decision: Close at review$/    decision: Close now/" "$1"
	EOS
	sup_edit_with due $N >/dev/null &&
	sup -C "$REPO" diff $N HEAD~1 HEAD >out &&
	cat >expect <<-\EOF &&
	cases[C-100].decision: Close at review → Close now
	actions[3].due: 2026-05-15 → 2026-05-22
	EOF
	test_cmp expect out
'

test_expect_success 'a list without a key (functions) is compared by position' '
	edit_script functions <<-\EOS &&
	sed -i -e "s/^functions: \[performance, development, support\]$/functions: [performance, support]/" "$1"
	EOS
	sup_edit_with functions $N >/dev/null &&
	sup -C "$REPO" diff $N HEAD~1 HEAD >out &&
	cat >expect <<-\EOF &&
	functions[2]: development → support
	- functions[3]: support
	EOF
	test_cmp expect out
'

test_expect_success '--signed: from the last version everyone had signed' '
	edit_script room <<-\EOS &&
	sed -i -e "s/^location: Room 4$/location: Room 5/" "$1"
	EOS
	sup_edit_with room --amend "wrong room" $R >/dev/null &&
	git -C "$REPO" rev-parse HEAD >amend.commit &&
	sup -C "$REPO" diff --signed $R >out &&
	cat >expect <<-EOF &&
	location: Room 4 → Room 5
	signoffs: - akhan (supervisor)
	signoffs: - jsmith (supervisee)
	+ amendments[akhan]: {by: akhan, at: $(commit_time HEAD), reason: wrong room}
	EOF
	test_cmp expect out &&
	sup -C "$REPO" diff --signed --format json $R >j &&
	test "$(json_get j "[d[\"from\"], d[\"to\"]]")" = "[\"$RP@$(short $(cat signed.commit)) (signed)\", \"(working tree)\"]"
'

test_expect_success '--signed REV: from the last signed version to REV' '
	sup -C "$REPO" diff --signed $R $(cat signed.commit) >out &&
	test_must_be_empty out &&
	sup -C "$REPO" diff --signed $R HEAD >out &&
	test_cmp expect out
'

test_expect_success '--signed, never signed by all: an error naming the record' '
	test_expect_code 2 sup -C "$REPO" diff --signed $N 2>err &&
	expect_error diff "^sup diff: $NP has never been signed by everyone who must sign it$"
'

test_expect_success '--signed with two revs, no id, three revs, csv: usage, exit 2' '
	test_expect_code 2 sup -C "$REPO" diff --signed $R HEAD~1 HEAD 2>err &&
	grep -Fx "$USAGE" err &&
	test_expect_code 2 sup -C "$REPO" diff 2>err &&
	grep -Fx "$USAGE" err &&
	test_expect_code 2 sup -C "$REPO" diff $R HEAD~2 HEAD~1 HEAD 2>err &&
	grep -Fx "$USAGE" err &&
	test_expect_code 2 sup -C "$REPO" diff --format csv $R 2>err &&
	test_grep "^sup diff: --format is text or json$" err
'

test_expect_success 'an ambiguous id: exit 1, the candidates named' '
	test_expect_code 1 sup -C "$REPO" diff 2026-03 2>err &&
	test_grep "^sup diff: .2026-03. is ambiguous" err &&
	test_grep "	$R$" err
'

test_expect_success 'a revision that does not exist: exit 2, sup diff: ...' '
	test_expect_code 2 sup -C "$REPO" diff $R no-such-rev >out 2>err &&
	test_must_be_empty out &&
	expect_error diff "no-such-rev"
'

test_expect_success 'a front matter that does not parse: the whole files compared as text' '
	sed -i "s/^location: Room 5$/location: [Room 5/" "$REPO/$RP" &&
	sup -C "$REPO" diff $R >out &&
	cat >expect <<-EOF &&
	--- $RP@$(short HEAD)
	+++ (working tree)
	@@ -6,7 +6,7 @@
	 minutes: 90
	 supervisor: akhan
	 supervisee: jsmith
	-location: Room 5
	+location: [Room 5
	 functions: [performance, development, support]
	 cases:
	   - ref: C-100
	EOF
	test_cmp expect out &&
	git -C "$REPO" checkout -q -- $RP
'

test_expect_success 'a record removed from the working tree: the body all removed' '
	rm "$REPO/$RP" &&
	sup -C "$REPO" diff $R >out &&
	test_grep "^+++ $RP (working tree: deleted)$" out &&
	test_grep ! "^+[^+]" out &&
	test_grep "^-## Agenda$" out &&
	git -C "$REPO" checkout -q -- $RP
'

# A version that is absent (a new record, a deleted one) is diffed as one
# field with an empty path: "+ : {id: ..., type: ..., ...}" - the whole
# front matter on one line (lib/textdiff.c sup_fields_diff pushes the
# root itself when one side is NULL).  Each top-level field should be its
# own line, as for any other added or removed key.
test_expect_success 'a new record: one line per field, no empty path' '
	sup -C "$REPO" diff $R $(cat new.commit)~1 $(cat new.commit) >out &&
	test_grep ! "^[-+] : " out &&
	test_grep "^+ id: $R$" out &&
	test_grep "^+ location: Room 4$" out
'

test_expect_success 'a deleted record: one line per field, no empty path' '
	rm "$REPO/$RP" &&
	sup -C "$REPO" diff $R >out;
	git -C "$REPO" checkout -q -- $RP &&
	test_grep ! "^[-+] : " out &&
	test_grep "^- id: $R$" out
'

# amendments are matched by "by" (lib/textdiff.c S_ident_key), which is
# not unique: a second amendment by the same person matches the first and
# is not reported at all (S_diff_seq checks that every item has a key,
# not that the keys are distinct, as its comment says).
test_expect_success 'a second amendment by the same person is reported' '
	sign_as akhan $R >/dev/null &&
	sign_as jsmith $R >/dev/null &&
	become akhan &&
	edit_script room6 <<-\EOS &&
	sed -i -e "s/^location: Room 5$/location: Room 6/" "$1"
	EOS
	sup_edit_with room6 --amend "still the wrong room" $R >/dev/null &&
	sup -C "$REPO" diff $R HEAD~1 HEAD >out &&
	test_grep "still the wrong room" out
'

# A valid id that was never a record anywhere: both sides are absent and
# sup diff prints nothing, exit 0 - as if the record existed unchanged.
# lib/revision.c sup_version_path accepts any valid id for a deleted
# record without checking that its path ever existed (sup log does:
# "no history for ...").
test_expect_success 'an id that never existed: an error, not an empty diff' '
	test_expect_code 2 sup -C "$REPO" diff 2026-01-05-nobody 2>err &&
	expect_error diff "2026-01-05-nobody"
'

test_done
