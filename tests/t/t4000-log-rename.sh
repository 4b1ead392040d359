#!/bin/sh
test_description='sup log: records renamed or deleted with plain git, the history followed under the old name'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"

# A = 2026-03-02-jsmith, recorded and signed by both, then moved with
#     `git mv` to 2026-03-03-jsmith (the meeting was on the 3rd), then
#     edited by hand under its new name.
# B = 2026-03-09-bwilson, recorded, then removed with `git rm`.
A=2026-03-02-jsmith
AP=records/2026/2026-03-02-jsmith.md
A2=2026-03-03-jsmith
A2P=records/2026/2026-03-03-jsmith.md
B=2026-03-09-bwilson
BP=records/2026/2026-03-09-bwilson.md

test_expect_success 'setup: two records; one renamed and edited, the other deleted, with plain git' '
	setup_repo &&
	new_session $A 2026-03-02 akhan jsmith C-100 C-101 &&
	git -C "$REPO" rev-parse HEAD >a.new &&
	sign_as akhan $A >/dev/null &&
	git -C "$REPO" rev-parse HEAD >a.sign1 &&
	sign_as jsmith $A >/dev/null &&
	git -C "$REPO" rev-parse HEAD >a.sign2 &&
	become akhan &&
	new_session $B 2026-03-09 akhan bwilson &&
	git -C "$REPO" rev-parse HEAD >b.new &&
	git -C "$REPO" mv $AP $A2P &&
	test_tick &&
	git_commit_unsigned "the meeting was on the 3rd" &&
	git -C "$REPO" rev-parse HEAD >a.rename &&
	hand_edit $A2P "s/^Workload and the cases\.$/Workload, the cases and the move./" &&
	test_tick &&
	git_commit_unsigned "agenda" &&
	git -C "$REPO" rev-parse HEAD >a.edit &&
	git -C "$REPO" rm -q $BP &&
	test_tick &&
	commit_signed_with akhan "recorded twice: remove the copy" &&
	git -C "$REPO" rev-parse HEAD >b.rm &&
	git -C "$REPO" log --format=%H --follow -- $A2P >a.follow &&
	test_line_count = 5 a.follow
'

test_expect_success 'sup log NEW-ID: the edit, "renamed from", then the history under the old name' '
	sup -C "$REPO" log --format csv $A2 >csv &&
	sed 1d csv | cut -d, -f2-5,6,8 >actual &&
	cat >expect <<-EOF &&
	$(cat a.edit),akhan,edit,$A2,unsigned,made with plain git
	$(cat a.rename),akhan,rename,$A2,unsigned,renamed from $AP
	$(cat a.sign2),jsmith,sign,$A,good,
	$(cat a.sign1),akhan,sign,$A,good,
	$(cat a.new),akhan,new,$A,good,
	EOF
	test_cmp expect actual
'

test_expect_success 'the history continues exactly as git log --follow finds it' '
	sed 1d csv | cut -d, -f2 >ids &&
	test_cmp a.follow ids
'

test_expect_success 'sup log NEW-ID (text): the note in the last column' '
	sup -C "$REPO" log $A2 >log &&
	log_rows log | sed -n 2p >row &&
	echo "2026-01-01T00:06:00Z $(short $(cat a.rename)) akhan rename $A2 unsigned renamed from $AP" >expect &&
	test_cmp expect row
'

test_expect_success 'sup log -p NEW-ID: older entries are diffs of the old path' '
	sup -C "$REPO" log -p $A2 >p &&
	test_grep "^+++ $A2P@$(short $(cat a.edit))$" p &&
	test_grep "^--- $AP (before)$" p &&
	test_grep "^+++ $AP@$(short $(cat a.new))$" p &&
	test_grep "^signoffs: + jsmith (supervisee)$" p
'

# An exact move changes nothing in the record, but sup log -p prints the
# whole record as added at the rename: lib/history.c S_record_visit sets
# parent_path for a rename but not parent_blob/has_parent_blob (the blob
# that left the old path), so cmd/sup-log.c diffs against nothing.
test_expect_success 'sup log -p NEW-ID: an exact rename shows no change' '
	sed -n "/ rename /,/^2026-/p" p | sed "\$d" >entry &&
	cat >expect <<-EOF &&
	2026-01-01T00:06:00Z $(short $(cat a.rename)) akhan rename $A2  signature unsigned  renamed from $AP

	EOF
	test_cmp expect entry
'

test_expect_success 'sup log ID of a deleted record: "deleted" first, then its history' '
	sup -C "$REPO" log --format csv $B >csv &&
	sed 1d csv | cut -d, -f2-8 >actual &&
	cat >expect <<-EOF &&
	$(cat b.rm),akhan,delete,$B,good,akhan,deleted
	$(cat b.new),akhan,new,$B,good,akhan,
	EOF
	test_cmp expect actual &&
	sup -C "$REPO" log $B >log &&
	log_rows log | sed -n 1p >row &&
	echo "2026-01-01T00:08:00Z $(short $(cat b.rm)) akhan delete $B good (akhan) deleted" >expect &&
	test_cmp expect row
'

test_expect_success 'sup log -p of the deletion: every field removed, the body gone' '
	sup -C "$REPO" log -p $B >p &&
	sed -n "1,/^--- /p" p >entry &&
	test_grep "^--- $BP (before)$" entry &&
	awk "/^--- / { on = 1 } on && /^2026-/ { exit } on" p >body &&
	test_grep "^+++ $BP@$(short $(cat b.rm))$" body &&
	test_grep "^@@ -1,[0-9]* +0,0 @@$" body &&
	test_grep ! "^+[^+]" body &&
	test_grep "^-## Agenda$" body
'

test_expect_success 'sup log OLD-ID: the history under the old name, ending where it left' '
	sup -C "$REPO" log --format csv $A >csv &&
	sed 1d csv | cut -d, -f2,4,8 >actual &&
	cat >expect <<-EOF &&
	$(cat a.rename),rename,renamed to $A2P
	$(cat a.sign2),sign,
	$(cat a.sign1),sign,
	$(cat a.new),new,
	EOF
	test_cmp expect actual
'

# Where a record went is as useful as where it came from: the old name's
# log calls the commit that moved it "deleted" (lib/history.c
# S_record_visit knows only the add side of a rename).
test_expect_success 'sup log OLD-ID says where the record went' '
	test_grep "renamed to $A2P" csv
'

test_expect_success 'a rename that also changes the text is an add (renames are exact moves only)' '
	git -C "$REPO" mv $A2P records/2026/2026-03-04-jsmith.md &&
	hand_edit records/2026/2026-03-04-jsmith.md "s/^date: 2026-03-02$/date: 2026-03-04/" &&
	test_tick &&
	git_commit_unsigned "moved again, and the date" &&
	sup -C "$REPO" log --format csv 2026-03-04-jsmith >csv &&
	sed 1d csv | cut -d, -f4,8 >actual &&
	echo "add,made with plain git" >expect &&
	test_cmp expect actual
'

test_expect_success 'the whole-repository log lists the rename and the deletion too' '
	sup -C "$REPO" log --format csv >all &&
	test_grep "^[^,]*,$(cat a.rename),akhan,[a-z]*,$A2,unsigned,,made with plain git$" all &&
	test_grep "^[^,]*,$(cat b.rm),akhan,[a-z]*,$B,good,akhan,made with plain git$" all
'

# For a commit made with plain git, sup log ID derives the action from
# what happened to the file: add, edit, delete, rename.  The whole
# repository's log (lib/history.c S_all_visit) uses other words for the
# same commits - "added", "changed", "deleted" - and calls a rename
# "added".  The two views should agree.
test_expect_success 'plain-git actions use the same words in both logs' '
	test_grep "^[^,]*,$(cat a.rename),akhan,rename," all &&
	test_grep "^[^,]*,$(cat a.edit),akhan,edit," all &&
	test_grep "^[^,]*,$(cat b.rm),akhan,delete," all
'

test_expect_success 'an id that never existed: exit 2, nothing printed' '
	test_expect_code 2 sup -C "$REPO" log 2026-01-05-nobody >out 2>err &&
	test_must_be_empty out &&
	expect_error log "no record .2026-01-05-nobody., now or in the history"
'

# A deleted record is found by the path its id implies - but only when no
# record at the tip has that id as a prefix: with 2026-03-16-jsmith gone
# and 2026-03-16-jsmith-2 (a second session that day) still there, `sup
# log 2026-03-16-jsmith` shows the other record's history.
# lib/revision.c sup_version_path tries the prefix match before the path.
test_expect_success 'the log of a deleted record is its own, even when another id starts with it' '
	become akhan &&
	new_session 2026-03-16-jsmith 2026-03-16 akhan jsmith C-100 C-101 &&
	git -C "$REPO" rev-parse HEAD >c.new &&
	session_text 2026-03-16-jsmith-2 2026-03-16 akhan jsmith C-100 C-101 >second.md &&
	test_tick &&
	(cd "$REPO" && sup new session --from "$TRASH_DIRECTORY/second.md") >/dev/null &&
	git -C "$REPO" rm -q records/2026/2026-03-16-jsmith.md &&
	test_tick &&
	git_commit_unsigned "the first was a mistake" &&
	git -C "$REPO" rev-parse HEAD >c.rm &&
	sup -C "$REPO" log --format csv 2026-03-16-jsmith >csv &&
	sed 1d csv | cut -d, -f2,5,8 >actual &&
	cat >expect <<-EOF &&
	$(cat c.rm),2026-03-16-jsmith,deleted
	$(cat c.new),2026-03-16-jsmith,
	EOF
	test_cmp expect actual
'

test_done
