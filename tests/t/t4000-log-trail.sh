#!/bin/sh
test_description='sup log and sup diff: a record from new to amended and signed again, each step with its actor and verdict'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"

# The life of one session record, one commit a step:
#   1 new     akhan records the session (sup new --from)
#   2 edit    akhan moves it to Room 7 and action 1 a week later
#   3 sign    akhan signs
#   4 sign    jsmith signs
#   5 amend   akhan amends the C-101 decision (sup edit --amend)
#   6 sign    akhan signs again
#   7 sign    jsmith signs again
#   8 edit    jsmith edits the body by hand, plain git, unsigned
#   9 edit    jsmith edits the body by hand, plain git, git commit -S with
#             her registered key
R=2026-03-02-jsmith
RP=records/2026/2026-03-02-jsmith.md
SQ="'"

test_expect_success 'setup: the record through its nine steps' '
	setup_repo &&
	new_session $R 2026-03-02 akhan jsmith C-100 C-101 &&
	edit_script room <<-\EOS &&
	sed -i -e "s/^location: Room 4$/location: Room 7/" -e "s/due: 2026-05-01}$/due: 2026-05-08}/" "$1"
	EOS
	sup_edit_with room $R >/dev/null &&
	sign_as akhan $R >/dev/null &&
	sign_as jsmith $R >/dev/null &&
	become akhan &&
	edit_script decision <<-\EOS &&
	sed -i -e "s/^    decision: Keep to the plan for C-101$/    decision: Strategy meeting for C-101/" "$1"
	EOS
	sup_edit_with decision --amend "the C-101 decision was wrong" $R >out &&
	echo "Amended $R." >expect &&
	test_cmp expect out &&
	sign_as akhan $R >/dev/null &&
	sign_as jsmith $R >/dev/null &&
	become jsmith &&
	hand_edit $RP "s/^Offered; nothing raised\.$/Offered; a reflective session was asked for./" &&
	test_tick &&
	git_commit_unsigned "wellbeing: what was asked for" &&
	hand_edit $RP "s/^Booked the court skills course\.$/Booked and attended the court skills course./" &&
	test_tick &&
	commit_signed_with jsmith "development: the course was attended" &&
	path_commits $RP >steps &&
	test_line_count = 9 steps &&
	tac steps >steps.old-first &&
	i=0 &&
	while read c; do
		i=$((i + 1)) &&
		echo $c >step$i &&
		git -C "$REPO" show $c:$RP >v$i || return 1
	done <steps.old-first
'

test_expect_success 'sup log ID: every step, newest first, with the right actor, action and verdict' '
	sup -C "$REPO" log $R >log &&
	test_line_count = 10 log &&
	log_rows log >rows &&
	cat >expect <<-EOF &&
	2026-01-01T00:10:00Z $(short $(cat step9)) jsmith edit $R good (jsmith) made with plain git
	2026-01-01T00:09:00Z $(short $(cat step8)) jsmith edit $R unsigned made with plain git
	2026-01-01T00:08:00Z $(short $(cat step7)) jsmith sign $R good (jsmith)
	2026-01-01T00:07:00Z $(short $(cat step6)) akhan sign $R good (akhan)
	2026-01-01T00:06:00Z $(short $(cat step5)) akhan amend $R good (akhan)
	2026-01-01T00:05:00Z $(short $(cat step4)) jsmith sign $R good (jsmith)
	2026-01-01T00:04:00Z $(short $(cat step3)) akhan sign $R good (akhan)
	2026-01-01T00:03:00Z $(short $(cat step2)) akhan edit $R good (akhan)
	2026-01-01T00:02:00Z $(short $(cat step1)) akhan new $R good (akhan)
	EOF
	test_cmp expect rows
'

test_expect_success 'sup log ID --format csv: the full commit ids are the ones git log -- PATH lists' '
	sup -C "$REPO" log --format csv $R >csv &&
	sed -n 1p csv >head &&
	echo "date,commit,actor,action,record,signature,signer,note" >expect &&
	test_cmp expect head &&
	sed 1d csv | cut -d, -f2 >ids &&
	test_cmp steps ids
'

test_expect_success 'the verdicts agree with stock git verify-commit' '
	allowed_signers &&
	for i in 1 2 3 4 5 6 7 9; do
		git -C "$REPO" verify-commit $(cat step$i) 2>/dev/null || return 1
	done &&
	test_must_fail git -C "$REPO" verify-commit $(cat step8) 2>/dev/null
'

# Adjacent steps: exactly the fields that changed, and the body diff only
# where the body changed.
diff_step () {
	sup -C "$REPO" diff $R $(cat step$1) $(cat step$2) >d$1-$2 &&
	fields_of d$1-$2 >f$1-$2
}

test_expect_success 'sup diff 1 2: the room and the due date of action 1, no body diff' '
	diff_step 1 2 &&
	cat >expect <<-\EOF &&
	location: Room 4 → Room 7
	actions[1].due: 2026-05-01 → 2026-05-08
	EOF
	test_cmp expect d1-2
'

test_expect_success 'sup diff 2 3 and 3 4: one sign-off added each' '
	diff_step 2 3 &&
	echo "signoffs: + akhan (supervisor)" >expect &&
	test_cmp expect d2-3 &&
	diff_step 3 4 &&
	echo "signoffs: + jsmith (supervisee)" >expect &&
	test_cmp expect d3-4
'

test_expect_success 'sup diff 4 5 (the amendment): the decision, both sign-offs gone, the amendment' '
	diff_step 4 5 &&
	cat >expect <<-EOF &&
	cases[C-101].decision: Keep to the plan for C-101 → Strategy meeting for C-101
	signoffs: - akhan (supervisor)
	signoffs: - jsmith (supervisee)
	+ amendments[akhan]: {by: akhan, at: $(commit_time $(cat step5)), reason: the C-101 decision was wrong}
	EOF
	test_cmp expect d4-5
'

test_expect_success 'sup diff 5 6, 6 7: the sign-offs again' '
	diff_step 5 6 &&
	echo "signoffs: + akhan (supervisor)" >expect &&
	test_cmp expect d5-6 &&
	diff_step 6 7 &&
	echo "signoffs: + jsmith (supervisee)" >expect &&
	test_cmp expect d6-7
'

test_expect_success 'sup diff 7 8 and 8 9 (hand edits): no field changed, one body line each' '
	diff_step 7 8 &&
	cat >expect <<-EOF &&
	--- $RP@$(short $(cat step7))
	+++ $RP@$(short $(cat step8))
	@@ -18,6 +18,6 @@
	 Booked the court skills course.
	 
	 ## Personal support and wellbeing
	-Offered; nothing raised.
	+Offered; a reflective session was asked for.
	 
	 ## Supervisee${SQ}s comments
	EOF
	test_cmp expect d7-8 &&
	diff_step 8 9 &&
	test_must_be_empty f8-9 &&
	body_of d8-9 >b &&
	grep "^[-+][^-+]" b >changed &&
	printf "%s\n" "-Booked the court skills course." "+Booked and attended the court skills course." >expect &&
	test_cmp expect changed
'

test_expect_success PYYAML,PATCH 'sup diff between every pair of steps: the fields an independent reading finds, a body diff that patch applies' '
	for i in 1 2 3 4 5 6 7 8 9; do
		for j in 1 2 3 4 5 6 7 8 9; do
			test $i = $j && continue
			sup -C "$REPO" diff $R $(cat step$i) $(cat step$j) >d &&
			fields_of d >fields &&
			fields_oracle v$i v$j >expect &&
			{ test_cmp expect fields || { echo "steps $i -> $j"; return 1; }; } &&
			{ body_applies v$i v$j d || { echo "body of steps $i -> $j"; return 1; }; } ||
			return 1
		done
	done
'

test_expect_success 'sup diff between a step and itself: nothing' '
	sup -C "$REPO" diff $R $(cat step5) $(cat step5) >d &&
	test_must_be_empty d
'

test_expect_success 'sup log -p ID: each entry followed by its diff' '
	sup -C "$REPO" log -p $R >p &&
	grep -c "^2026-01-01T" p >n &&
	echo 9 >expect &&
	test_cmp expect n &&
	sed -n "/^2026-01-01T00:07:00Z /,/^\$/p" p >entry &&
	cat >expect <<-EOF &&
	2026-01-01T00:07:00Z $(short $(cat step6)) akhan sign $R  signature good (akhan)
	signoffs: + akhan (supervisor)

	EOF
	test_cmp expect entry
'

# --- more verdicts: each a commit to the record made with plain git ---

test_expect_success 'a commit whose signature does not verify over it: bad' '
	become jsmith &&
	hand_edit $RP "s/^None\.$/None yet./" &&
	test_tick &&
	commit_signed_with jsmith "previous actions: none yet" &&
	tamper_head message &&
	git -C "$REPO" rev-parse HEAD >bad.commit &&
	test_must_fail git -C "$REPO" verify-commit HEAD 2>/dev/null &&
	sup -C "$REPO" log $R >log &&
	log_rows log | sed -n 1p >row &&
	echo "2026-01-01T00:11:00Z $(short HEAD) jsmith edit $R bad made with plain git" >expect &&
	test_cmp expect row
'

test_expect_success 'two signature headers: multiple-signatures, whoever signed' '
	hand_edit $RP "s/^None yet\.$/None at all./" &&
	test_tick &&
	commit_signed_with jsmith "previous actions: none at all" &&
	tamper_head twice &&
	test $(git -C "$REPO" cat-file commit HEAD | grep -c "^gpgsig ") = 2 &&
	sup -C "$REPO" log --format json $R >j &&
	json_ok j &&
	test "$(json_get j "[d[0][k] for k in (\"actor\", \"action\", \"signature\", \"signer\", \"note\")]")" = \
		"[\"jsmith\", \"edit\", \"multiple-signatures\", null, \"made with plain git\"]"
'

test_expect_success 'a key nobody in the register holds: unknown-key, the actor is whoever the author email names' '
	make_ssh_key mallory &&
	hand_edit $RP "s/^None at all\.$/Nothing./" &&
	test_tick &&
	commit_signed_with mallory "previous actions: nothing" &&
	sup -C "$REPO" log --format json $R >j &&
	test "$(json_get j "[d[0][k] for k in (\"actor\", \"signature\", \"signer\", \"key\")]")" = \
		"[\"jsmith\", \"unknown-key\", null, \"$(ssh_fpr "$KEYS/mallory.pub")\"]" &&
	sup -C "$REPO" log $R >log &&
	log_rows log | sed -n 1p >row &&
	echo "2026-01-01T00:13:00Z $(short HEAD) jsmith edit $R unknown-key made with plain git" >expect &&
	test_cmp expect row
'

# The register that counts is the one of the commit's first parent: a key
# added in the very commit it signs is not yet anybody's; removed, it no
# longer is.
test_expect_success 'a key added in the commit it signs is unknown; the next commit it signs is good' '
	make_ssh_key jsmith-laptop &&
	printf "  - %s\n" "$(cat "$KEYS/jsmith-laptop.pub")" >>"$REPO/staff/jsmith.yaml" &&
	git -C "$REPO" add staff/jsmith.yaml &&
	hand_edit $RP "s/^Nothing\.$/Nothing to review./" &&
	test_tick &&
	commit_signed_with jsmith-laptop "a new key, used at once" &&
	git -C "$REPO" rev-parse HEAD >added.commit &&
	hand_edit $RP "s/^Nothing to review\.$/Nothing to review yet./" &&
	test_tick &&
	commit_signed_with jsmith-laptop "the new key, a commit later" &&
	sup -C "$REPO" log --format csv $R >csv &&
	sed -n "2,3p" csv | cut -d, -f2,6,7 >actual &&
	cat >expect <<-EOF &&
	$(git -C "$REPO" rev-parse HEAD),good,jsmith
	$(cat added.commit),unknown-key,
	EOF
	test_cmp expect actual
'

test_expect_success 'once the key is removed from the register, what it signs is unknown-key again' '
	become akhan &&
	test_tick &&
	sup -C "$REPO" staff key remove jsmith "$(ssh_fpr "$KEYS/jsmith-laptop.pub")" >/dev/null &&
	become jsmith &&
	hand_edit $RP "s/^Nothing to review yet\.$/No actions were due./" &&
	test_tick &&
	commit_signed_with jsmith-laptop "the removed key" &&
	sup -C "$REPO" log --format csv $R >csv &&
	sed -n 2p csv | cut -d, -f6,7 >actual &&
	echo "unknown-key," >expect &&
	test_cmp expect actual
'

test_expect_success 'sup log --person: the actor or the signer' '
	sup -C "$REPO" log --format csv --person akhan $R >csv &&
	sed 1d csv | cut -d, -f3,4 >actual &&
	printf "%s\n" akhan,sign akhan,amend akhan,sign akhan,edit akhan,new >expect &&
	test_cmp expect actual
'

test_done
