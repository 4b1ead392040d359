#!/bin/sh
test_description='sup sign: refused input, no usable key, and nothing lost'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"

R=2026-03-02-jsmith
RP=records/2026/2026-03-02-jsmith.md

# Each refusal: a message "sup sign: ...", the exit status of DESIGN.md
# section 4, the branch, index and working tree as they were, and no
# temporary files left behind.
tmp_is_empty () {
	ls -A "$TMPDIR" >tmp.left &&
	test_must_be_empty tmp.left
}

test_expect_success 'setup: a complete session of jsmith, recorded by akhan' '
	setup_repo &&
	new_session $R 2026-03-02 akhan jsmith C-100 C-101 &&
	rm -rf "$TMPDIR"/* &&
	become jsmith
'

test_expect_success 'no signing key (user.signingkey unset): exit 2, says what to set' '
	git config --global --unset user.signingkey &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: no signing key: gpg.format is ssh but user.signingkey is not set" &&
	test_line_count = 1 err &&
	check_state &&
	tmp_is_empty
'

test_expect_success 'a signing key file that is not there: exit 2, names the file' '
	git config --global user.signingkey "$KEYS/nobody" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: no signing key: user.signingkey names .*/keys/nobody., which cannot be read$" &&
	check_state &&
	tmp_is_empty
'

test_expect_success 'the agent refuses (literal public key, no SSH_AUTH_SOCK): exit 2, ssh-keygen.s words' '
	git config --global user.signingkey "$(cat "$KEYS/jsmith.pub")" &&
	save_state &&
	(unset SSH_AUTH_SOCK; test_expect_code 2 sup -C "$REPO" sign $R 2>err) &&
	expect_error sign "^sup sign: signing failed: ssh-keygen exited with status [1-9][0-9]*: " &&
	check_state &&
	tmp_is_empty
'

test_expect_success 'the same with key:: prefix' '
	git config --global user.signingkey "key::$(cat "$KEYS/jsmith.pub")" &&
	save_state &&
	(unset SSH_AUTH_SOCK; test_expect_code 2 sup -C "$REPO" sign $R 2>err) &&
	expect_error sign "^sup sign: signing failed: ssh-keygen exited with status" &&
	check_state
'

test_expect_success 'an ssh-keygen that fails: exit 2, its message shown' '
	become jsmith &&
	cat >"$TRASH_DIRECTORY/bad-keygen" <<-\EOF &&
	#!/bin/sh
	echo "sign_and_send_pubkey: signing failed for ED25519: agent refused operation" >&2
	exit 255
	EOF
	chmod +x "$TRASH_DIRECTORY/bad-keygen" &&
	git config --global gpg.ssh.program "$TRASH_DIRECTORY/bad-keygen" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	git config --global --unset gpg.ssh.program &&
	expect_error sign "^sup sign: signing failed: .*bad-keygen exited with status 255: sign_and_send_pubkey: signing failed for ED25519: agent refused operation$" &&
	check_state &&
	tmp_is_empty
'

test_expect_success 'signing with another person.s registered key is refused: exit 2' '
	become jsmith akhan &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	fpr=$(ssh_fpr "$KEYS/akhan.pub") &&
	expect_error sign "^sup sign: the signing key \($(re_escape "$fpr")\) belongs to .akhan., not to .jsmith.; set user.signingkey to one of your own registered keys$" &&
	check_state &&
	tmp_is_empty &&
	git -C "$REPO" show HEAD:$RP >now &&
	test_grep ! "^signoffs:" now
'

test_expect_success 'signing with a key nobody registered is refused: exit 2' '
	make_ssh_key mallory &&
	become jsmith mallory &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	fpr=$(ssh_fpr "$KEYS/mallory.pub") &&
	expect_error sign "^sup sign: the signing key $(re_escape "$fpr") is not one of jsmith.s registered keys; ask an admin" &&
	check_state
'

test_expect_success 'a gpg.format sup does not know: exit 2' '
	become jsmith &&
	git config --global gpg.format x509 &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "gpg.format .x509. is not supported by sup" &&
	check_state &&
	git config --global gpg.format ssh
'

test_expect_success 'the record changed on disk since the last commit: refused (exit 1), the edit kept' '
	become jsmith &&
	echo "My own note, not yet committed." >>"$REPO/$RP" &&
	cp "$REPO/$RP" edited &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: $RP: has uncommitted changes in the working tree" &&
	check_state &&
	test_cmp edited "$REPO/$RP" &&
	git -C "$REPO" show HEAD:$RP >committed &&
	test_grep ! "My own note" committed &&
	tmp_is_empty
'

test_expect_success 'the record staged but not committed: refused (exit 1), the index kept' '
	git -C "$REPO" add $RP &&
	git -C "$REPO" checkout-index -f -- $RP &&
	cp "$REPO/$RP" edited &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: $RP: has " &&
	check_state &&
	test_cmp edited "$REPO/$RP" &&
	git -C "$REPO" diff --cached --name-only >staged &&
	echo $RP >expect &&
	test_cmp expect staged &&
	git -C "$REPO" reset -q HEAD -- $RP &&
	git -C "$REPO" checkout -- $RP
'

test_expect_success 'someone who is not a party cannot sign: exit 1' '
	become bwilson &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: $RP: .bwilson. is not a party of this record, so cannot sign it$" &&
	check_state
'

test_expect_success 'someone who is not in the register cannot sign: exit 2' '
	become nobody jsmith &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "sup.user is .nobody., who is not in the staff register" &&
	check_state
'

test_expect_success 'a record that does not exist: a clear message' '
	become jsmith &&
	save_state &&
	test_must_fail sup -C "$REPO" sign 2026-09-09-jsmith 2>err &&
	expect_error sign "^sup sign: no record .2026-09-09-jsmith." &&
	check_state
'

test_expect_success 'usage errors: exit 2' '
	test_expect_code 2 sup -C "$REPO" sign 2>err &&
	test_grep "^usage: sup sign \[--dispute text\] id$" err &&
	test_expect_code 2 sup -C "$REPO" sign $R $R 2>err &&
	test_grep "^usage: sup sign" err &&
	test_expect_code 2 sup -C "$REPO" sign --nonsense $R 2>err
'

test_expect_success 'signing the same content twice is refused: exit 1' '
	sign_as jsmith $R >/dev/null &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: $RP: jsmith has already signed this version \(at 2026-[0-9T:-]*Z\)$" &&
	test_line_count = 1 err &&
	check_state
'

test_expect_success 'changing one.s mind is a new sign-off; the same dispute twice is refused' '
	sign_as jsmith $R --dispute "changed my mind" >out &&
	test_grep "^Signed, with your dispute recorded, $R as supervisee.$" out &&
	show_json $R j &&
	test "$(json_get j "party(d, \"jsmith\")[\"state\"]")" = disputed &&
	git -C "$REPO" show HEAD:$RP >now &&
	test "$(grep -c "by: jsmith" now)" = 1 &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign --dispute "changed my mind" $R 2>err &&
	expect_error sign "already signed this version" &&
	check_state &&
	sign_as jsmith $R >/dev/null &&
	show_json $R j &&
	test "$(json_get j "party(d, \"jsmith\")[\"state\"]")" = signed &&
	test "$(json_get j "party(d, \"jsmith\")[\"signature\"]")" = good
'

# An incomplete record: one earlier session with an action, then one that
# leaves every gap the completeness check knows.
test_expect_success 'setup: an incomplete record' '
	become akhan &&
	new_session 2026-04-06-jsmith 2026-04-06 akhan jsmith C-100 C-101 &&
	cat >incomplete.md <<-\EOF &&
	---
	id: 2026-05-04-jsmith
	type: session
	date: 2026-05-04
	start: "10:00"
	minutes: 60
	supervisor: akhan
	supervisee: jsmith
	location: Room 4
	functions: []
	cases:
	  - ref: C-100
	    decision: Close the case
	    review: 2026-06-01
	  - ref: C-101
	    decision:
	    review: 2026-06-01
	reviewed_actions:
	  - {action: 2026-04-06-jsmith#1}
	actions:
	  - {n: 1, text: Call the school, owner: jsmith}
	  - {n: 2, text: Write the report, owner: jsmith, due: 2026-05-20}
	next_session: 2026-06-01
	---

	## Agenda
	Cases.

	## Review of previous actions

	## Case discussions
	### C-100
	Closing.

	## Professional development
	Nothing new.

	## Personal support and wellbeing
	Offered; nothing raised.
	EOF
	test_tick &&
	(cd "$REPO" && sup new session --from "$TRASH_DIRECTORY/incomplete.md") >/dev/null &&
	git -C "$REPO" show HEAD:records/2026/2026-05-04-jsmith.md >stored &&
	test_cmp incomplete.md stored
'

test_expect_success 'an incomplete record is refused (exit 1), every gap listed with file:line' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign 2026-05-04-jsmith 2>err &&
	F=records/2026/2026-05-04-jsmith.md &&
	cat >expect <<-EOF &&
	sup sign: $F:10:12: no function of supervision recorded: list in .functions. which were covered
	sup sign: $F:15:5: case C-101 has no decision recorded
	sup sign: $F:19:5: reviewed action 2026-04-06-jsmith#1 has no status (done, carried or dropped)
	sup sign: $F:21:5: action .Call the school. has no due date
	sup sign: $F:29:1: the section .Review of previous actions. is empty
	sup sign: $F:25:1: the section .## Performance and practice. is missing
	EOF
	while read -r line; do
		grep -x -- "$line" err >/dev/null || { echo >&2 "missing: $line"; cat >&2 err; return 1; }
	done <expect &&
	grep -v "Supervisee.s comments" err >gaps &&
	test_line_count = 6 gaps &&
	check_state
'

# sup-record(5) and the template: "Write something under every heading
# before signing, except one marked optional"; DESIGN.md 2.3: "required
# body headings present and not empty".  "Supervisee's comments" is marked
# <!-- optional --> in the session template.
test_expect_success 'an optional section left out is not a gap' '
	cp err gaps.err &&
	session_text 2026-05-18-jsmith 2026-05-18 akhan jsmith C-100 C-101 |
		sed -e "/^## Supervisee.s comments/d" >no-comments.md &&
	become akhan &&
	test_tick &&
	(cd "$REPO" && sup new session --from "$TRASH_DIRECTORY/no-comments.md") >/dev/null &&
	sign_as akhan 2026-05-18-jsmith 2>err &&
	test_grep ! "Supervisee.s comments" gaps.err
'

test_expect_success 'each gap points at the line it is about' '
	sed -n 10p stored | test_grep "^functions: \[\]$" - &&
	sed -n 15p stored | test_grep "^  - ref: C-101$" - &&
	sed -n 19p stored | test_grep "2026-04-06-jsmith#1" - &&
	sed -n 21p stored | test_grep "Call the school" - &&
	sed -n 29p stored | test_grep "^## Review of previous actions$" -
'

test_expect_success 'the supervisee may still dispute an incomplete record' '
	sign_as jsmith 2026-05-04-jsmith --dispute "the C-101 decision is missing" >out &&
	test_grep "^Signed, with your dispute recorded, 2026-05-04-jsmith as supervisee.$" out &&
	show_json 2026-05-04-jsmith j &&
	test "$(json_get j "party(d, \"jsmith\")[\"state\"]")" = disputed &&
	test "$(json_get j "d[\"state\"]")" = "awaiting akhan"
'

test_done
