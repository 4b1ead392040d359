#!/bin/sh
test_description='sup diff: golden text and JSON output, the JSON shape'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"

R=2026-03-02-jsmith
RP=records/2026/2026-03-02-jsmith.md

test_expect_success 'setup: a session signed, disputed, then amended with body and field changes' '
	setup_repo &&
	new_session $R 2026-03-02 akhan jsmith C-100 C-101 &&
	sign_as akhan $R >/dev/null &&
	sign_as jsmith $R --dispute "C-101: we agreed a strategy meeting" >/dev/null &&
	git -C "$REPO" rev-parse HEAD >disputed &&
	become akhan &&
	edit_script amend <<-\EOS &&
	sed -i -e "s/^    decision: Keep to the plan for C-101$/    decision: Strategy meeting for C-101/" \
		-e "s/^minutes: 90$/minutes: 75/" \
		-e "s/^next_session: 2026-06-01$/next_session: 2026-05-18/" \
		-e "s/^  - {n: 1, text: Book the review meeting, owner: jsmith, due: 2026-05-01}$/&\n  - {n: 2, text: Request the strategy meeting, owner: akhan, due: 2026-03-04, case: C-101}/" \
		-e "/^### C-101$/{n;s/.*/Not working: the plan is to be reviewed at a strategy meeting./}" \
		-e "s/^Workload and the cases\.$/Workload, the cases and C-101 in particular./" "$1"
	EOS
	sup_edit_with amend --amend "the C-101 decision as disputed" $R >/dev/null &&
	git -C "$REPO" rev-parse HEAD >amended
'

test_expect_success 'golden: sup diff REV REV, text' '
	sup -C "$REPO" diff $R $(cat disputed) $(cat amended) >out &&
	golden_cmp diff-amend.txt out
'

test_expect_success 'golden: sup diff REV REV, JSON' '
	sup -C "$REPO" diff --format json $R $(cat disputed) $(cat amended) >out &&
	json_ok out &&
	golden_cmp diff-amend.json out
'

test_expect_success 'golden: the dispute as sign-off lines, text and JSON' '
	sup -C "$REPO" diff $R HEAD~3 HEAD~1 >out &&
	golden_cmp diff-signoffs.txt out &&
	sup -C "$REPO" diff --format json $R HEAD~3 HEAD~1 >out &&
	json_ok out &&
	golden_cmp diff-signoffs.json out
'

test_expect_success 'JSON: path, from, to, fields (path, change, old, new), body' '
	sup -C "$REPO" diff --format json $R $(cat disputed) $(cat amended) >j &&
	test "$(json_get j "list(d)")" = "[\"path\", \"from\", \"to\", \"fields\", \"body\"]" &&
	test "$(json_get j "sorted(set(tuple(f) for f in d[\"fields\"]))")" = "[[\"path\", \"change\", \"old\", \"new\"]]" &&
	test "$(json_get j "d[\"path\"]")" = $RP &&
	test "$(json_get j "sorted(set(f[\"change\"] for f in d[\"fields\"]))")" = "[\"added\", \"changed\", \"removed\"]" &&
	test "$(json_get j "[f[\"old\"] for f in d[\"fields\"] if f[\"change\"] == \"added\"]")" = "[null, null]" &&
	test "$(json_get j "[f[\"new\"] for f in d[\"fields\"] if f[\"change\"] == \"removed\"]")" = "[null, null]" &&
	test "$(json_get j "[f for f in d[\"fields\"] if f[\"path\"] == \"minutes\"]")" = \
		"[{\"path\": \"minutes\", \"change\": \"changed\", \"old\": \"90\", \"new\": \"75\"}]"
'

test_expect_success 'JSON body is the text body diff, byte for byte' '
	sup -C "$REPO" diff $R $(cat disputed) $(cat amended) >t &&
	body_of t >expect &&
	json_get j "d[\"body\"]" >actual.raw &&
	printf "%s" "$(cat actual.raw)" >actual &&
	printf "%s" "$(cat expect)" >expect.trim &&
	test_cmp expect.trim actual
'

test_expect_success 'JSON with no difference: empty fields and body' '
	sup -C "$REPO" diff --format json $R HEAD HEAD >j &&
	json_ok j &&
	test "$(json_get j "[d[\"fields\"], d[\"body\"]]")" = "[[], \"\"]"
'

test_expect_success PATCH 'the body diff applies with patch(1)' '
	git -C "$REPO" show $(cat disputed):$RP >old &&
	git -C "$REPO" show $(cat amended):$RP >new &&
	sup -C "$REPO" diff $R $(cat disputed) $(cat amended) >d &&
	body_applies old new d
'

test_done
