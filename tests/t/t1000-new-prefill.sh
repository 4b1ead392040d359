#!/bin/sh
test_description='sup new: the pre-fill carries forward exactly the open cases and the open actions'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

# The new record is a session for jsmith on 2026-06-01.
#
# Cases (worker jsmith unless said):
#   C-100  opened 2026-02-01                      open      -> listed
#   C-101  opened 2026-03-01                      open      -> listed
#   C-200  opened 2026-01-10, closed 2026-03-15   closed    -> not listed
#   C-201  opened 2026-02-01, closed 2026-06-01   closed that day -> not listed
#   C-202  opened 2026-02-01, closed 2026-06-02   open that day   -> listed
#   C-203  opened 2026-06-01                      opened that day -> listed
#   C-204  opened 2026-06-15                      not yet open    -> not listed
#   C-300  worker bwilson                         not jsmith's    -> not listed
#
# Actions, and what later records said of them before 2026-06-01:
#   2026-03-02-jsmith#1  done (04-06)                          closed
#   2026-03-02-jsmith#2  dropped (04-06)                       closed
#   2026-03-02-jsmith#3  carried (04-06), carried (05-04)      open
#   2026-03-02-jsmith#4  never given a status                  open
#   2026-03-20-jsmith-oversight#1  carried (04-06), done (05-04)  closed
#   2026-04-06-jsmith#1  done (group 04-20)                    closed
#   2026-04-06-jsmith#2  carried (05-04)                       open
#   2026-04-20-group-akhan#1  (owner bwilson) carried (05-04)  open
#   2026-05-04-jsmith#1  new                                   open
#   2026-05-11-bwilson#1 bwilson's own                         not jsmith's
#   2026-07-06-jsmith#1  after the new record                  not listed
# and 2026-07-06-jsmith marks 2026-03-02-jsmith#3 done: too late to count.

test_expect_success 'setup: cases open and closed at various dates' '
	setup_repo &&
	act_as akhan &&
	(
		cd "$REPO" &&
		sup case open C-200 --worker jsmith --opened 2026-01-10 &&
		sup case close C-200 --closed 2026-03-15 &&
		sup case open C-201 --worker jsmith --opened 2026-02-01 &&
		sup case close C-201 --closed 2026-06-01 &&
		sup case open C-202 --worker jsmith --opened 2026-02-01 &&
		sup case close C-202 --closed 2026-06-02 &&
		sup case open C-203 --worker jsmith --opened 2026-06-01 &&
		sup case open C-204 --worker jsmith --opened 2026-06-15 &&
		sup case open C-300 --worker bwilson --opened 2026-01-01
	) >/dev/null
'

test_expect_success 'setup: earlier records with actions, later ones reviewing them' '
	SUP_TEST_ACTIONS="{n: 1, text: Action A, owner: jsmith, due: 2026-03-16}
{n: 2, text: Action B, owner: jsmith, due: 2026-03-16}
{n: 3, text: Action C, owner: jsmith, due: 2026-03-30}
{n: 4, text: Action D, owner: akhan, due: 2026-03-30}" \
	new_complete session --with jsmith --date 2026-03-02 >/dev/null &&
	SUP_TEST_ACTIONS="{n: 1, text: Action E, owner: jsmith, due: 2026-03-27, case: C-101}" \
	new_complete oversight --with jsmith --case C-101 --date 2026-03-20 >/dev/null &&
	SUP_TEST_STATUS=- \
	SUP_TEST_STATUSES="2026-03-02-jsmith#1=done 2026-03-02-jsmith#2=dropped 2026-03-02-jsmith#3=carried 2026-03-20-jsmith-oversight#1=carried" \
	SUP_TEST_ACTIONS="{n: 1, text: Action F, owner: jsmith, due: 2026-04-20}
{n: 2, text: Action G, owner: jsmith, due: 2026-05-01}" \
	new_complete session --with jsmith --date 2026-04-06 >/dev/null &&
	SUP_TEST_STATUS=- SUP_TEST_STATUSES="2026-04-06-jsmith#1=done" \
	SUP_TEST_ACTIONS="{n: 1, text: Action H, owner: bwilson, due: 2026-05-01}" \
	new_complete group --with jsmith,bwilson --date 2026-04-20 >/dev/null &&
	SUP_TEST_STATUS=- \
	SUP_TEST_STATUSES="2026-03-02-jsmith#3=carried 2026-03-20-jsmith-oversight#1=done 2026-04-06-jsmith#2=carried 2026-04-20-group-akhan#1=carried" \
	SUP_TEST_ACTIONS="{n: 1, text: Action I, owner: jsmith, due: 2026-06-01}" \
	new_complete session --with jsmith --date 2026-05-04 >/dev/null &&
	SUP_TEST_STATUS=- \
	SUP_TEST_ACTIONS="{n: 1, text: Action X, owner: bwilson, due: 2026-06-01}" \
	new_complete session --with bwilson --date 2026-05-11 >/dev/null &&
	SUP_TEST_STATUS=- SUP_TEST_STATUSES="2026-03-02-jsmith#3=done" \
	SUP_TEST_ACTIONS="{n: 1, text: Action Z, owner: jsmith, due: 2026-08-01}" \
	new_complete session --with jsmith --date 2026-07-06 >/dev/null &&
	git -C "$REPO" log --format=%s | grep "^sup: new " >log &&
	test_line_count = 7 log
'

test_expect_success 'the statuses were written as the setup says' '
	fm_block "$(rec_path 2026-05-04-jsmith)" reviewed_actions >actual &&
	cat >expect <<-\EOF &&
	reviewed_actions:
	  - action: "2026-03-02-jsmith#3"
	    status: carried
	  - action: "2026-03-02-jsmith#4"
	    status:
	  - action: "2026-03-20-jsmith-oversight#1"
	    status: done
	  - action: "2026-04-06-jsmith#2"
	    status: carried
	  - action: "2026-04-20-group-akhan#1"
	    status: carried
	EOF
	test_cmp expect actual
'

test_expect_success 'the editor is offered exactly the open cases and open actions' '
	write_editor look <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/offered"
	EOF
	save_state &&
	(cd "$REPO" && EDITOR="$EDITORS/look" sup new session --with jsmith --date 2026-06-01) >out &&
	test_grep -x "Nothing saved: the record was left unchanged." out &&
	check_state &&
	fm_block offered cases >actual &&
	cat >expect <<-\EOF &&
	cases:
	  - ref: C-100
	    decision:
	    review:
	  - ref: C-101
	    decision:
	    review:
	  - ref: C-202
	    decision:
	    review:
	  - ref: C-203
	    decision:
	    review:
	EOF
	test_cmp expect actual &&
	fm_block offered reviewed_actions >actual &&
	cat >expect <<-\EOF &&
	reviewed_actions:
	  - action: "2026-03-02-jsmith#3"
	    status:
	  - action: "2026-03-02-jsmith#4"
	    status:
	  - action: "2026-04-06-jsmith#2"
	    status:
	  - action: "2026-04-20-group-akhan#1"
	    status:
	  - action: "2026-05-04-jsmith#1"
	    status:
	EOF
	test_cmp expect actual &&
	test "$(fm_value offered actions)" = "[]" &&
	# one block of case headings in the body per listed case
	grep "^### " offered >headings &&
	printf "### C-100\n### C-101\n### C-202\n### C-203\n" >expect &&
	test_cmp expect headings
'

test_expect_success 'the committed record (--no-edit) holds the same lists' '
	test_tick &&
	(cd "$REPO" && sup new session --with jsmith --date 2026-06-01 --no-edit) >out &&
	f=$(rec_path 2026-06-01-jsmith) &&
	fm_block "$f" cases >c1 && fm_block offered cases >c2 && test_cmp c2 c1 &&
	fm_block "$f" reviewed_actions >r1 && fm_block offered reviewed_actions >r2 &&
	test_cmp r2 r1
'

test_expect_success 'a later record sees what the 2026-06-01 record closed' '
	write_editor close-two <<-\EOF &&
	sed -i -e "/action: \"2026-03-02-jsmith#4\"/{n;s/status:\$/status: done/}" \
	       -e "/action: \"2026-05-04-jsmith#1\"/{n;s/status:\$/status: dropped/}" \
	       -e "/action: \"2026-04-06-jsmith#2\"/{n;s/status:\$/status: carried/}" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/close-two" sup edit 2026-06-01-jsmith) >out &&
	test_grep -x "Saved 2026-06-01-jsmith." out &&
	write_editor look2 <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/offered2"
	EOF
	(cd "$REPO" && EDITOR="$EDITORS/look2" sup new session --with jsmith --date 2026-06-29) >out &&
	fm_block offered2 reviewed_actions >actual &&
	cat >expect <<-\EOF &&
	reviewed_actions:
	  - action: "2026-03-02-jsmith#3"
	    status:
	  - action: "2026-04-06-jsmith#2"
	    status:
	  - action: "2026-04-20-group-akhan#1"
	    status:
	EOF
	test_cmp expect actual &&
	# C-202 closed on 2026-06-02: gone by 2026-06-29; C-204 opened 2026-06-15
	fm_block offered2 cases | sed -n "s/^  - ref: //p" >actual &&
	printf "C-100\nC-101\nC-203\nC-204\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--case adds a case once, after the open ones' '
	(cd "$REPO" && EDITOR="$EDITORS/look2" sup new session --with jsmith --date 2026-06-29 \
		--case C-300 --case C-101) >out &&
	fm_block offered2 cases | sed -n "s/^  - ref: //p" >actual &&
	printf "C-100\nC-101\nC-203\nC-204\nC-300\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'an unknown --case is refused before the editor (exit 1)' '
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/look2" \
		sup -C "$REPO" new session --with jsmith --case C-999 --date 2026-06-29 2>err &&
	expect_error new "unknown case .C-999. \(add it with .sup case open.\)" &&
	check_state
'

test_expect_success 'an unknown --with is refused with a suggestion (exit 1)' '
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/look2" \
		sup -C "$REPO" new session --with jsmit --date 2026-06-29 2>err &&
	expect_error new "unknown staff id .jsmit. \(did you mean .jsmith.\?\)" &&
	check_state
'

test_expect_success 'a group is offered the open actions of every attendee' '
	(cd "$REPO" && EDITOR="$EDITORS/look2" sup new group --with bwilson --date 2026-06-29) &&
	fm_block offered2 reviewed_actions | sed -n "s/^  - action: //p" >actual &&
	printf "\"2026-04-20-group-akhan#1\"\n\"2026-05-11-bwilson#1\"\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a group lists an action shared by two attendees once' '
	(cd "$REPO" && EDITOR="$EDITORS/look2" sup new group --with jsmith,bwilson --date 2026-06-29) &&
	fm_block offered2 reviewed_actions | sed -n "s/^  - action: //p" >actual &&
	sort actual >sorted &&
	sort -u actual >unique &&
	test_cmp unique sorted
'

test_expect_success 'all commits verify' '
	verify_all_commits
'

test_done
