#!/bin/sh
test_description='sup edit: edits in a scripted editor, refusals that keep the draft, --amend of signed records'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

ID=2026-04-06-jsmith
FILE=records/2026/$ID.md

test_expect_success 'setup: a complete session signed by both, and an unsigned one' '
	setup_repo &&
	act_as akhan &&
	SUP_TEST_ACTIONS="{n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-101}" \
	new_complete session --with jsmith --date 2026-04-06 >/dev/null &&
	sign_as akhan $ID >/dev/null &&
	sign_as jsmith $ID >/dev/null &&
	act_as akhan &&
	new_complete session --with bwilson --date 2026-04-07 >/dev/null &&
	fm_block "$REPO/$FILE" signoffs >signoffs &&
	test_line_count = 3 signoffs &&
	write_editor must-not-run <<-\EOF
	echo ran >"$TRASH_DIRECTORY/editor-ran"
	EOF
'

test_expect_success 'edit an unsigned record: one signed commit "sup: edit ID"' '
	write_editor move-room <<-\EOF &&
	sed -i -e "s/^location: Room 4\$/location: Room 9/" "$1"
	EOF
	git -C "$REPO" rev-parse HEAD >before &&
	git -C "$REPO" show HEAD:records/2026/2026-04-07-bwilson.md >old &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/move-room" sup edit 2026-04-07-bwilson) >out &&
	test_grep -x "Saved 2026-04-07-bwilson." out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" log -1 --format=%B >msg &&
	printf "sup: edit %s\n\nSup-Record: %s\nSup-Action: edit\nSup-Actor: akhan\n\n" \
		2026-04-07-bwilson 2026-04-07-bwilson >expect &&
	test_cmp expect msg &&
	git -C "$REPO" diff HEAD^ HEAD --stat --format= >stat &&
	test_grep "records/2026/2026-04-07-bwilson.md | 2 +-" stat &&
	# every other byte is as it was
	sed -e "s/^location: Room 4\$/location: Room 9/" old >expect &&
	test_cmp expect "$(rec_path 2026-04-07-bwilson)" &&
	no_drafts
'

test_expect_success 'the record by unique prefix and by path' '
	write_editor loc2 <<-\EOF &&
	sed -i -e "s/^location: .*/location: Room 2/" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/loc2" sup edit 2026-04-07) >out &&
	test_grep -x "Saved 2026-04-07-bwilson." out &&
	write_editor loc3 <<-\EOF &&
	sed -i -e "s/^location: .*/location: Room 3/" "$1"
	EOF
	test_tick &&
	(cd "$REPO/records" && EDITOR="$EDITORS/loc3" sup edit 2026/2026-04-07-bwilson.md) >out &&
	test_grep -x "Saved 2026-04-07-bwilson." out &&
	test "$(fm_value "$(rec_path 2026-04-07-bwilson)" location)" = "Room 3"
'

test_expect_success 'saving it unchanged changes nothing: exit 0, no commit, no draft' '
	save_state &&
	(cd "$REPO" && EDITOR=true sup edit 2026-04-07-bwilson) >out &&
	test_grep -x "Nothing changed." out &&
	check_state &&
	no_drafts
'

test_expect_success 'an id that does not match the file name: refused at 2:5, draft kept' '
	write_editor bad-id <<-\EOF &&
	sed -i -e "s/^id: .*/id: 2026-04-07-bwilsn/" \
	       -e "/^## Agenda/a\\
	Typed in the edit" "$1"
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/bad-id" \
		sup -C "$REPO" edit 2026-04-07-bwilson 2>err &&
	expect_error edit "^sup edit: records/2026/2026-04-07-bwilson.md:2:5: id .2026-04-07-bwilsn. does not match the file name .2026-04-07-bwilson.md. \(the file must be 2026-04-07-bwilsn.md\)$" &&
	test_grep "^sup edit: your text is kept in $(draft_of 2026-04-07-bwilson); run .sup edit --resume 2026-04-07-bwilson. to go on with it$" err &&
	test_grep -x "id: 2026-04-07-bwilsn" "$(draft_of 2026-04-07-bwilson)" &&
	test_grep -x "Typed in the edit" "$(draft_of 2026-04-07-bwilson)" &&
	check_state
'

test_expect_success 'the next edit refuses, naming --resume and --discard' '
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" edit 2026-04-07-bwilson 2>err &&
	expect_error edit "a draft of 2026-04-07-bwilson is kept at $(draft_of 2026-04-07-bwilson) from an earlier try; run .sup edit. again with --resume to go on with it, or --discard to start afresh" &&
	test_path_is_missing editor-ran &&
	check_state
'

test_expect_success 'edit --resume: the editor sees the typed text; put right, it saves' '
	write_editor fix-id <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/resumed"
	sed -i -e "s/^id: .*/id: 2026-04-07-bwilson/" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/fix-id" sup edit --resume 2026-04-07-bwilson) >out &&
	test_grep -x "id: 2026-04-07-bwilsn" resumed &&
	test_grep -x "Typed in the edit" resumed &&
	test_grep -x "Saved 2026-04-07-bwilson." out &&
	test_grep -x "Typed in the edit" "$(rec_path 2026-04-07-bwilson)" &&
	no_drafts
'

test_expect_success 'edit: YAML errors are refused with their position' '
	write_editor dup <<-\EOF &&
	sed -i -e "s/^minutes: 90/minutes: 90\nminutes: 60/" "$1"
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/dup" sup -C "$REPO" edit 2026-04-07-bwilson 2>err &&
	expect_error edit "^sup edit: records/2026/2026-04-07-bwilson.md:7:1: duplicate key .minutes. \(first at line 6\)$" &&
	test_grep -x "minutes: 60" "$(draft_of 2026-04-07-bwilson)" &&
	check_state &&
	(cd "$REPO" && EDITOR=true sup edit --discard 2026-04-07-bwilson) >out &&
	test_grep -x "Nothing changed." out &&
	no_drafts
'

test_expect_success 'edit: writing a sign-off by hand is refused' '
	write_editor forge <<-\EOF &&
	sed -i -e "/^next_session:/a\\
	signoffs:\\
	  - {by: bwilson, role: supervisee, at: 2026-04-08T10:00:00Z, digest: \"sha256:0000000000000000000000000000000000000000000000000000000000000000\"}" "$1"
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/forge" sup -C "$REPO" edit 2026-04-07-bwilson 2>err &&
	expect_error edit "^sup edit: records/2026/2026-04-07-bwilson.md:15:1: sign-offs are written only by .sup sign.; leave the .signoffs. list as it was$" &&
	check_state &&
	rm "$(draft_of 2026-04-07-bwilson)"
'

test_expect_success 'only a party may edit: bwilson may not edit a record of jsmith' '
	act_as bwilson &&
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/must-not-run" sup -C "$REPO" edit $ID 2>err &&
	expect_error edit "^sup edit: $FILE: only a party of the record may change it, and .bwilson. is not one$" &&
	test_path_is_missing editor-ran &&
	check_state &&
	act_as akhan
'

test_expect_success 'a signed record is refused without --amend (exit 1), before the editor' '
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/must-not-run" sup -C "$REPO" edit $ID 2>err &&
	expect_error edit "^sup edit: $ID is signed; to change it, give a reason: sup edit --amend \"REASON\" $ID \(the sign-offs are cleared and everyone signs again\)$" &&
	test_path_is_missing editor-ran &&
	check_state &&
	no_drafts
'

test_expect_success '--amend on an unsigned record is refused (exit 1)' '
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" edit --amend "why" 2026-04-07-bwilson 2>err &&
	expect_error edit "^sup edit: 2026-04-07-bwilson is not signed yet: edit it without --amend$" &&
	check_state
'

test_expect_success '--amend with an empty reason is a usage error (exit 2)' '
	save_state &&
	test_expect_code 2 env EDITOR="$EDITORS/must-not-run" sup -C "$REPO" edit --amend "" $ID 2>err &&
	test_grep "^sup edit: --amend needs a reason" err &&
	check_state
'

test_expect_success '--amend REASON: sign-offs cleared, amendments: [{by, at, reason}] added' '
	write_editor review-date <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/amend-offered"
	sed -i -e "/^  - ref: C-101/{n;n;s/review: .*/review: 2026-05-11/}" "$1"
	EOF
	git -C "$REPO" show HEAD:$FILE >old &&
	git -C "$REPO" rev-parse HEAD >before &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/review-date" sup edit --amend "wrong review date" $ID) >out &&
	test_grep -x "Amended $ID." out &&
	# the editor was offered the record without sign-offs, with the amendment
	! grep "^signoffs:" amend-offered &&
	test_grep "^  - {by: akhan, at: [0-9T:-]*Z, reason: \"\{0,1\}wrong review date\"\{0,1\}}\$" amend-offered &&
	f="$REPO/$FILE" &&
	! grep "^signoffs:" "$f" &&
	fm_block "$f" amendments >amendments &&
	test_line_count = 2 amendments &&
	test_grep "^amendments:\$" amendments &&
	test_grep "^  - {by: akhan, at: 20[0-9-]*T[0-9:]*Z, reason: \"\{0,1\}wrong review date\"\{0,1\}}\$" amendments &&
	test_grep -x "    review: 2026-05-11" "$f" &&
	# nothing else changed: the body is byte for byte the same
	awk "f; /^---\$/ && ++n == 2 { f = 1 }" old >old.body &&
	awk "f; /^---\$/ && ++n == 2 { f = 1 }" "$f" >new.body &&
	test_cmp old.body new.body &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" log -1 --format=%B >msg &&
	printf "sup: amend %s\n\nSup-Record: %s\nSup-Action: amend\nSup-Actor: akhan\n\n" $ID $ID >expect &&
	test_cmp expect msg &&
	no_drafts
'

test_expect_success 'after the amendment the record awaits both signatures again' '
	sup -C "$REPO" list --format csv >list &&
	test_grep "^$ID,session,2026-04-06,akhan,jsmith,\"\{0,1\}awaiting akhan, jsmith\"\{0,1\}\$" list &&
	sign_as akhan $ID >/dev/null &&
	sign_as jsmith $ID >/dev/null &&
	act_as akhan &&
	sup -C "$REPO" list --format csv >list &&
	test_grep "^$ID,session,2026-04-06,akhan,jsmith,signed\$" list &&
	fm_block "$REPO/$FILE" amendments >amendments &&
	test_line_count = 2 amendments
'

test_expect_success 'a second amendment is appended to the first' '
	write_editor room <<-\EOF &&
	sed -i -e "s/^location: .*/location: Room 12/" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/room" sup edit --amend "room was 12" $ID) >out &&
	fm_block "$REPO/$FILE" amendments >amendments &&
	test_line_count = 3 amendments &&
	sed -n 2p amendments >first &&
	test_grep "reason: \"\{0,1\}wrong review date" first &&
	sed -n 3p amendments >second &&
	test_grep "reason: \"\{0,1\}room was 12" second
'

test_expect_success '--amend, then quitting unchanged: nothing is amended' '
	sign_as akhan $ID >/dev/null && sign_as jsmith $ID >/dev/null && act_as akhan &&
	save_state &&
	(cd "$REPO" && EDITOR=true sup edit --amend "second thoughts" $ID) >out &&
	test_grep -x "Nothing changed." out &&
	check_state &&
	no_drafts
'

# The amendment's "at" is the time of the amend commit, as a sign-off's is
# (it once was the wall clock, whatever GIT_COMMITTER_DATE said).
test_expect_success 'the amendment is stamped with the commit time (GIT_COMMITTER_DATE)' '
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/loc2" sup edit --amend "room 2 after all" $ID) >out &&
	want=$(git -C "$REPO" log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ) &&
	fm_block "$REPO/$FILE" amendments | tail -n 1 >last &&
	test_grep "at: $want," last
'

test_expect_success 'every commit verifies with git verify-commit; fsck is clean' '
	verify_all_commits &&
	git -C "$REPO" fsck --strict --no-dangling >fsck 2>&1 &&
	test_must_be_empty fsck
'

test_done
