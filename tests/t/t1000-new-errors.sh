#!/bin/sh
test_description='sup new: refused input names FILE:LINE:COL, exits 1 and keeps what was typed'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

ID=2026-04-06-jsmith
FILE=records/2026/$ID.md

test_expect_success 'setup: an earlier record with action #1' '
	setup_repo &&
	act_as akhan &&
	SUP_TEST_ACTIONS="{n: 1, text: Book core group, owner: jsmith, due: 2026-03-16}" \
	new_complete session --with jsmith --date 2026-03-02 >/dev/null &&
	write_editor must-not-run <<-\EOF
	echo ran >"$TRASH_DIRECTORY/editor-ran"
	EOF
'

# bad NAME SED-EXPRESSION: an editor that types a line into the body (so
# that there is something to lose) and makes one mistake.
bad () {
	write_editor "$1" <<-EOF
	sed -i -e "/^## Agenda/a\\\\
	Typed by hand before the mistake: $1" -e "$2" "\$1"
	EOF
}

# refused NAME PATTERN: sup new with editor NAME exits 1; its first error
# line matches "sup new: $FILE:PATTERN"; the draft holds the typed text
# (and the mistake); nothing was committed.  The draft is then removed.
refused () {
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/$1" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-06 2>err &&
	expect_error new "^sup new: $FILE:$2" &&
	head -n 1 err >first &&
	test_grep -E "^sup new: $FILE:$2" first &&
	test_grep "^sup new: your text is kept in $(draft_of $ID); run .sup new session --with jsmith" err &&
	test_grep -x "Typed by hand before the mistake: $1" "$(draft_of $ID)" &&
	head -n 1 "$(draft_of $ID)" >draft-first &&
	echo "---" >expect &&
	test_cmp expect draft-first &&
	check_state &&
	rm "$(draft_of $ID)"
}

test_expect_success 'an unknown record type in type:' '
	bad type "s/^type: session/type: sesion/" &&
	refused type "3:7: unknown record type .sesion. \(one of session, group, oversight, contract, handover\)$"
'

test_expect_success 'an unknown staff id as supervisee, with a suggestion' '
	bad staff "s/^supervisee: jsmith/supervisee: jsmth/" &&
	refused staff "8:13: unknown staff id .jsmth. \(did you mean .jsmith.\?\)$"
'

test_expect_success 'an unknown case reference' '
	bad case "s/^  - ref: C-101/  - ref: C-999/" &&
	refused case "15:5: unknown case .C-999. \(add it with .sup case open.\)$"
'

test_expect_success 'an action with no owner' '
	bad owner "s/^actions: \\\\[\\\\]/actions:\\\\n  - {n: 1, text: Ring school, due: 2026-04-20}/" &&
	refused owner "22:5: missing required key .owner.$"
'

test_expect_success 'a reviewed action that does not exist' '
	bad review "s/action: \\\"2026-03-02-jsmith#1\\\"/action: \\\"2026-03-02-jsmith#7\\\"/" &&
	refused review "19:5: reviewed action .2026-03-02-jsmith#7. does not exist \(no action 7 in that record\)$"
'

test_expect_success 'a reviewed action of a record that does not exist' '
	bad review2 "s/action: \\\"2026-03-02-jsmith#1\\\"/action: \\\"2026-03-01-jsmith#1\\\"/" &&
	refused review2 "19:5: reviewed action .2026-03-01-jsmith#1. does not exist"
'

test_expect_success 'a date in the wrong format' '
	bad date "s|^date: .*|date: 06/04/2026|" &&
	refused date "4:7: .date.: invalid date .06/04/2026. \(expected YYYY-MM-DD\)$"
'

test_expect_success 'a date that does not exist' '
	bad date2 "s|^next_session: .*|next_session: 2026-02-30|" &&
	refused date2 "[0-9]+:15: .next_session.: invalid date .2026-02-30."
'

test_expect_success 'YAML: a duplicate key' '
	bad dup "s/^location:/location: Room 4\\\\nlocation: Room 5/" &&
	refused dup "10:1: duplicate key .location. \(first at line 9\)$"
'

test_expect_success 'YAML: an anchor' '
	bad anchor "s/^supervisor: akhan/supervisor: \\\\&a akhan/" &&
	refused anchor "7:13: anchors are not allowed"
'

test_expect_success 'YAML: an alias' '
	bad alias "s/^location:/location: *a/" &&
	refused alias "9:11: aliases are not allowed"
'

test_expect_success 'YAML: a tab in the indentation' '
	bad tab "s/^  - ref: C-101/	- ref: C-101/" &&
	refused tab "15:1: tab character in indentation"
'

test_expect_success 'YAML: not YAML at all' '
	bad invalid "s/^location:/location: [Room 4/" &&
	refused invalid "[0-9]+:[0-9]+: did not find expected"
'

test_expect_success 'a key the record type does not have' '
	bad unknownkey "s/^location:/colour: blue\\\\nlocation:/" &&
	refused unknownkey "9:1: unknown key .colour."
'

test_expect_success 'the editor killed by SIGKILL after editing: exit 1, the draft kept' '
	write_editor killed <<-\EOF &&
	sed -i -e "/^## Agenda/a\\
	Typed before the crash" "$1"
	kill -KILL $$
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/killed" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-06 2>err &&
	test_grep "^sup new: the editor was stopped by signal 9; your text is kept in $(draft_of $ID)" err &&
	test_grep -x "Typed before the crash" "$(draft_of $ID)" &&
	check_state
'

test_expect_success 'the next sup new refuses to overwrite the draft, naming --resume and --discard' '
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-06 2>err &&
	expect_error new "^sup new: a draft of $ID is kept at $(draft_of $ID) from an earlier try; run .sup new. again with --resume to go on with it, or --discard to start afresh$" &&
	test_grep -x "Typed before the crash" "$(draft_of $ID)" &&
	check_state
'

test_expect_success '--resume brings the typed text back into the editor' '
	write_editor resume <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/resumed"
	sed -i -e "s/^location:\$/location: Room 7/" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/resume" sup new session --with jsmith --date 2026-04-06 --resume) >out &&
	test_grep -x "Typed before the crash" resumed &&
	test_grep -x "Recorded $ID ($FILE)." out &&
	test_grep -x "Typed before the crash" "$REPO/$FILE" &&
	test_grep -x "location: Room 7" "$REPO/$FILE" &&
	no_drafts
'

test_expect_success '--resume with no draft: refused (exit 2)' '
	save_state &&
	test_expect_code 2 env EDITOR="$EDITORS/resume" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-13 --resume 2>err &&
	expect_error new "there is no kept draft of 2026-04-13-jsmith to resume" &&
	check_state
'

test_expect_success 'a refused save, then --resume: the mistake comes back to be put right' '
	bad staff2 "s/^supervisee: jsmith/supervisee: nobody/" &&
	test_expect_code 1 env EDITOR="$EDITORS/staff2" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-13 2>err &&
	test_grep "^sup new: records/2026/2026-04-13-jsmith.md:8:13: unknown staff id .nobody.$" err &&
	write_editor fix <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/resumed2"
	sed -i -e "s/^supervisee: nobody/supervisee: jsmith/" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/fix" sup new session --with jsmith --date 2026-04-13 --resume) >out &&
	test_grep -x "supervisee: nobody" resumed2 &&
	test_grep -x "Typed by hand before the mistake: staff2" resumed2 &&
	! grep "^# sup:" resumed2 &&
	test_grep -x "Recorded 2026-04-13-jsmith (records/2026/2026-04-13-jsmith.md)." out &&
	test_grep -x "Typed by hand before the mistake: staff2" "$(rec_path 2026-04-13-jsmith)" &&
	no_drafts
'

test_expect_success '--discard starts afresh from the pre-fill' '
	test_expect_code 1 env EDITOR="$EDITORS/staff2" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-20 2>err &&
	test_path_is_file "$(draft_of 2026-04-20-jsmith)" &&
	write_editor fresh <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/fresh"
	EOF
	(cd "$REPO" && EDITOR="$EDITORS/fresh" sup new session --with jsmith --date 2026-04-20 --discard) >out &&
	test_grep -x "supervisee: jsmith" fresh &&
	! grep "Typed by hand" fresh &&
	test_grep -x "Nothing saved: the record was left unchanged." out &&
	no_drafts
'

# The hint once left out --date, so the command it suggested composed
# today's id and found no draft to resume.
test_expect_success 'the resume hint after a refused save is a command that works' '
	test_expect_code 1 env EDITOR="$EDITORS/staff2" \
		sup -C "$REPO" new session --with jsmith --date 2026-04-27 2>err &&
	hint=$(sed -n -e "s/.*; run .\(sup new [^'"'"']*\). to go on with it\$/\1/p" err) &&
	test -n "$hint" &&
	(cd "$REPO" && EDITOR="$EDITORS/fix" $hint) >out &&
	test_grep "^Recorded 2026-04-27-jsmith " out
'

test_expect_success 'the hint'"'"'s command committed the record and left no draft' '
	test_path_is_file "$(rec_path 2026-04-27-jsmith)" &&
	no_drafts
'

test_expect_success 'a plain file at .git/sup/drafts: refused before the editor opens (exit 2)' '
	# DESIGN 4: exit 2 is "could not run"; sup cannot keep a draft, so it
	# does not open the editor at all rather than risk losing the text.
	mkdir -p "$REPO/.git/sup" &&
	rm -rf "$REPO/.git/sup/drafts" &&
	echo "in the way" >"$REPO/.git/sup/drafts" &&
	save_state &&
	test_expect_code 2 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" new session --with jsmith --date 2026-05-04 2>err &&
	expect_error new "^sup new: cannot keep drafts: cannot create directory .*\.git/sup/drafts.: a file is in the way$" &&
	test_path_is_missing editor-ran &&
	check_state &&
	rm "$REPO/.git/sup/drafts"
'

test_expect_success 'a plain file at .git/sup: refused the same way (exit 2)' '
	rm -rf "$REPO/.git/sup" &&
	echo "in the way" >"$REPO/.git/sup" &&
	save_state &&
	test_expect_code 2 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" new session --with jsmith --date 2026-05-04 2>err &&
	expect_error new "^sup new: cannot keep drafts: cannot create directory .*\.git/sup.: a file is in the way$" &&
	test_path_is_missing editor-ran &&
	check_state &&
	rm "$REPO/.git/sup"
'

test_expect_success 'an editor that exits non-zero: exit 1, the draft kept' '
	write_editor fails <<-\EOF &&
	sed -i -e "s/^location:\$/location: Room 3/" "$1"
	exit 3
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/fails" \
		sup -C "$REPO" new session --with jsmith --date 2026-05-04 2>err &&
	test_grep "^sup new: the editor .*fails. exited with status 3; your text is kept in $(draft_of 2026-05-04-jsmith)" err &&
	test_grep -x "location: Room 3" "$(draft_of 2026-05-04-jsmith)" &&
	check_state &&
	rm "$(draft_of 2026-05-04-jsmith)"
'

test_expect_success '--no-edit --discard leaves no stale draft behind' '
	test_expect_code 1 env EDITOR="$EDITORS/staff2" \
		sup -C "$REPO" new session --with jsmith --date 2026-05-11 2>err &&
	test_tick &&
	(cd "$REPO" && sup new session --with jsmith --date 2026-05-11 --no-edit --discard) >out &&
	test_grep -x "Recorded 2026-05-11-jsmith (records/2026/2026-05-11-jsmith.md)." out &&
	test_path_is_missing "$(draft_of 2026-05-11-jsmith)"
'

test_expect_success 'every commit verifies; fsck is clean' '
	verify_all_commits &&
	git -C "$REPO" fsck --strict --no-dangling >fsck 2>&1 &&
	test_must_be_empty fsck
'

test_done
