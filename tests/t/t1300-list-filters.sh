#!/bin/sh
test_description='sup list: filters, text/json/csv (golden files), and a record written by hand'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

test_expect_success 'setup: records of every type, by two supervisors, in every state' '
	setup_repo &&
	make_ssh_key cjones &&
	make_ssh_key dlee &&
	(
		cd "$REPO" &&
		test_tick &&
		sup staff add dlee --name "Dee Lee" --role manager \
			--email dlee@example.org --started 2024-01-01 \
			--key "$KEYS/dlee.pub" >/dev/null &&
		test_tick &&
		sup staff add cjones --name "Cal Jones" --role practitioner \
			--email cjones@example.org --supervisor dlee \
			--started 2026-01-05 --key "$KEYS/cjones.pub" >/dev/null
	) &&
	act_as akhan &&
	new_complete session --with jsmith --date 2026-03-02 >/dev/null &&
	sign_as akhan 2026-03-02-jsmith >/dev/null &&
	sign_as jsmith 2026-03-02-jsmith >/dev/null &&
	act_as akhan &&
	new_complete contract --with bwilson --date 2026-03-09 >/dev/null &&
	sign_as akhan 2026-03-09-bwilson-contract >/dev/null &&
	act_as akhan &&
	new_complete group --with jsmith,bwilson --date 2026-03-16 >/dev/null &&
	new_complete oversight --with jsmith --case C-101 --date 2026-05-04 >/dev/null &&
	sign_as akhan 2026-05-04-jsmith-oversight >/dev/null &&
	act_as akhan &&
	new_complete handover --with jsmith --set to=dlee --date 2026-04-24 >/dev/null &&
	act_as dlee &&
	new_complete session --with cjones --date 2026-04-13 >/dev/null &&
	act_as akhan
'

test_expect_success 'a record signed by all, then changed by a plain git commit, is stale' '
	new_complete session --with bwilson --date 2026-02-02 >/dev/null &&
	sign_as akhan 2026-02-02-bwilson >/dev/null &&
	sign_as bwilson 2026-02-02-bwilson >/dev/null &&
	act_as akhan &&
	echo "Added later, unsigned." >>"$REPO/records/2026/2026-02-02-bwilson.md" &&
	git -C "$REPO" add records &&
	test_tick &&
	git_commit_unsigned "hand edit after signing"
'

test_expect_success 'a record written by hand and committed with git commit -S is listed and shown' '
	cat >"$REPO/records/2026/2026-05-11-bwilson.md" <<-\EOF &&
	---
	id: 2026-05-11-bwilson
	type: session
	date: 2026-05-11
	start: "14:00"
	minutes: 60
	supervisor: akhan
	supervisee: bwilson
	location: Written by hand in another editor
	functions: [support]
	cases: []
	reviewed_actions: []
	actions:
	  - {n: 1, text: Read the DSL refresher, owner: bwilson, due: 2026-06-01}
	next_session: 2026-06-22
	---

	## Agenda

	Written by hand, not by sup new.
	EOF
	git -C "$REPO" add records/2026/2026-05-11-bwilson.md &&
	test_tick &&
	git -C "$REPO" -c user.signingkey="$KEYS/akhan" -c gpg.format=ssh \
		commit -q -S -m "hand-written record" &&
	allowed_signers &&
	git -C "$REPO" verify-commit HEAD 2>verify &&
	test_grep "Good \"git\" signature for akhan@example.org" verify &&
	sup -C "$REPO" list --format csv >list &&
	test_grep -x "2026-05-11-bwilson,session,2026-05-11,akhan,bwilson,\"awaiting akhan, bwilson\"" list &&
	sup -C "$REPO" show 2026-05-11-bwilson >show &&
	head -n "$(wc -l <"$REPO/records/2026/2026-05-11-bwilson.md")" show >head &&
	test_cmp "$REPO/records/2026/2026-05-11-bwilson.md" head &&
	test_grep "^-- sign-off: awaiting akhan, bwilson " show &&
	sup -C "$REPO" show --format json 2026-05-11-bwilson >json &&
	test_grep "\"location\":\"Written by hand in another editor\"" json
'

test_expect_success 'sup list (text): golden' '
	sup -C "$REPO" list >actual &&
	golden t1300-list.txt actual
'

test_expect_success 'sup list --format csv: golden' '
	sup -C "$REPO" list --format csv >actual &&
	golden t1300-list.csv actual &&
	test_line_count = 9 actual
'

test_expect_success PYTHON 'sup list --format json: golden, and the same rows as csv' '
	sup -C "$REPO" list --format json >actual &&
	golden t1300-list.json actual &&
	sup -C "$REPO" list --format csv >csv &&
	python3 - <<-\PY
	import csv, json
	j = json.load(open("actual"))
	c = list(csv.DictReader(open("csv")))
	assert len(j) == len(c) == 8, (len(j), len(c))
	for a, b in zip(j, c):
	    for k in ("id", "type", "date", "supervisor", "supervisee", "state"):
	        assert a[k] == b[k], (k, a[k], b[k])
	    assert a["path"] == "records/%s/%s.md" % (a["date"][:4], a["id"])
	PY
'

# ids FILTER...: the ids sup list --format csv prints for FILTER.
ids () {
	sup -C "$REPO" list --format csv "$@" | sed -e 1d | cut -d, -f1
}

test_expect_success '--type' '
	ids --type session >actual &&
	printf "%s\n" 2026-02-02-bwilson 2026-03-02-jsmith 2026-04-13-cjones 2026-05-11-bwilson >expect &&
	test_cmp expect actual &&
	ids --type handover >actual &&
	echo 2026-04-24-jsmith-handover >expect &&
	test_cmp expect actual
'

test_expect_success '--type with an unknown type is a usage error (exit 2)' '
	test_expect_code 2 sup -C "$REPO" list --type sesion 2>err &&
	test_grep "^sup list: unknown record type .sesion." err
'

test_expect_success '--supervisee (group attendance counts)' '
	ids --supervisee jsmith >actual &&
	printf "%s\n" 2026-03-02-jsmith 2026-03-16-group-akhan 2026-04-24-jsmith-handover 2026-05-04-jsmith-oversight >expect &&
	test_cmp expect actual
'

test_expect_success '--supervisor (a handover counts for both supervisors)' '
	ids --supervisor dlee >actual &&
	printf "%s\n" 2026-04-13-cjones 2026-04-24-jsmith-handover >expect &&
	test_cmp expect actual
'

test_expect_success '--since and --until are inclusive' '
	ids --since 2026-03-09 --until 2026-04-24 >actual &&
	printf "%s\n" 2026-03-09-bwilson-contract 2026-03-16-group-akhan 2026-04-13-cjones 2026-04-24-jsmith-handover >expect &&
	test_cmp expect actual
'

test_expect_success '--since with a bad date is a usage error (exit 2)' '
	test_expect_code 2 sup -C "$REPO" list --since 2026-13-01 2>err &&
	test_grep "^sup list: --since: " err
'

test_expect_success '--mine: the records the current person is a party of' '
	act_as jsmith &&
	ids --mine >actual &&
	act_as akhan &&
	printf "%s\n" 2026-03-02-jsmith 2026-03-16-group-akhan 2026-04-24-jsmith-handover 2026-05-04-jsmith-oversight >expect &&
	test_cmp expect actual &&
	act_as dlee &&
	ids --mine >actual &&
	act_as akhan &&
	printf "%s\n" 2026-04-13-cjones 2026-04-24-jsmith-handover >expect &&
	test_cmp expect actual
'

test_expect_success '--unsigned: everything not fully signed, stale included' '
	ids --unsigned >actual &&
	printf "%s\n" 2026-02-02-bwilson 2026-03-09-bwilson-contract 2026-03-16-group-akhan 2026-04-13-cjones 2026-04-24-jsmith-handover 2026-05-11-bwilson >expect &&
	test_cmp expect actual
'

test_expect_success 'filters combine' '
	ids --unsigned --supervisee bwilson --type session >actual &&
	printf "%s\n" 2026-02-02-bwilson 2026-05-11-bwilson >expect &&
	test_cmp expect actual &&
	ids --supervisor akhan --since 2026-05-01 --format json >/dev/null &&
	sup -C "$REPO" list --supervisor akhan --since 2026-05-01 --format json >actual &&
	test_grep "\"id\":\"2026-05-04-jsmith-oversight\"" actual &&
	test_grep "\"id\":\"2026-05-11-bwilson\"" actual &&
	! grep "2026-03-02-jsmith" actual
'

test_expect_success 'no match: just the header (csv), an empty array (json)' '
	sup -C "$REPO" list --format csv --since 2027-01-01 >actual &&
	echo "id,type,date,supervisor,supervisee,state" >expect &&
	test_cmp expect actual &&
	sup -C "$REPO" list --format json --since 2027-01-01 >actual &&
	echo "[]" >expect &&
	test_cmp expect actual
'

test_expect_success 'a record that does not parse is warned about, the rest listed' '
	cat >"$REPO/records/2026/2026-06-01-jsmith.md" <<-\EOF &&
	---
	id: 2026-06-01-jsmith
	type: session
	date: 2026-06-01
	date: 2026-06-02
	---
	EOF
	git -C "$REPO" add records &&
	test_tick &&
	git_commit_unsigned "a broken record" &&
	sup -C "$REPO" list --format csv >actual 2>err &&
	test_line_count = 9 actual &&
	test_grep "^sup list: warning: records/2026/2026-06-01-jsmith.md:5:1: duplicate key .date." err &&
	git -C "$REPO" reset -q --hard HEAD^
'

test_expect_success 'sup commits verify (the hand commits are not sup'"'"'s); fsck clean' '
	allowed_signers &&
	for c in $(git -C "$REPO" log --format=%H --grep="^Sup-Action:"); do
		git -C "$REPO" verify-commit "$c" 2>/dev/null || return 1
	done &&
	git -C "$REPO" fsck --strict --no-dangling >fsck 2>&1 &&
	test_must_be_empty fsck
'

test_done
