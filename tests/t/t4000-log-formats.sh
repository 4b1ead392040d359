#!/bin/sh
test_description='sup log: the repository activity and a record history as text, JSON and CSV; --person, --since, --until'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"

R1=2026-03-02-jsmith
R2=2026-03-09-bwilson
R2P=records/2026/2026-03-09-bwilson.md
LF="
"

# at DATE: the next commit is made at noon UTC on DATE (author and
# committer), later ones a minute apart.
at () {
	test_tick=$(($(date -u -d "$1 12:00:00" +%s) - 60))
}

test_expect_success 'setup: two sessions over ten days, signed, disputed, edited by hand' '
	setup_repo &&
	at 2026-03-02 && new_session $R1 2026-03-02 akhan jsmith C-100 C-101 &&
	at 2026-03-03 && sign_as akhan $R1 >/dev/null &&
	at 2026-03-05 && sign_as jsmith $R1 --dispute "C-101 needs a strategy meeting" >/dev/null &&
	become akhan &&
	at 2026-03-09 && new_session $R2 2026-03-09 akhan bwilson &&
	become bwilson &&
	hand_edit $R2P "s/^Offered; nothing raised\.$/Offered; asked about the rota./" &&
	at 2026-03-10 && test_tick && git_commit_unsigned "wellbeing" &&
	at 2026-03-11 && sign_as bwilson $R2 >/dev/null
'

test_expect_success 'sup log (no id): every commit of the branch, newest first' '
	sup -C "$REPO" log --format csv >csv &&
	sed 1d csv | cut -d, -f2 >ids &&
	git -C "$REPO" rev-list HEAD >expect &&
	test_cmp expect ids
'

test_expect_success 'golden: sup log, text' '
	sup -C "$REPO" log >out &&
	golden_cmp log-all.txt out
'

test_expect_success 'golden: sup log, JSON' '
	sup -C "$REPO" log --format json >out &&
	json_ok out &&
	golden_cmp log-all.json out
'

test_expect_success 'golden: sup log ID, text and JSON' '
	sup -C "$REPO" log $R1 >out &&
	golden_cmp log-record.txt out &&
	sup -C "$REPO" log --format json $R1 >out &&
	json_ok out &&
	golden_cmp log-record.json out
'

test_expect_success 'golden: sup log -p ID' '
	sup -C "$REPO" log -p $R2 >out &&
	golden_cmp log-record-patch.txt out
'

test_expect_success 'JSON: an array of objects with the same nine keys, nulls for what is not there' '
	sup -C "$REPO" log --format json >j &&
	json_get j "sorted(set(tuple(sorted(e)) for e in d))" >keyset &&
	echo "[[\"action\", \"actor\", \"commit\", \"date\", \"key\", \"note\", \"record\", \"signature\", \"signer\"]]" >expect &&
	test_cmp expect keyset &&
	json_get j "[e[\"record\"] for e in d if e[\"action\"] == \"staff add jsmith\"]" >rec &&
	echo "[\"\"]" >expect &&
	test_cmp expect rec
'

test_expect_success 'CSV: a header row, then one row a commit, eight columns' '
	sup -C "$REPO" log --format csv >csv &&
	sed -n 1p csv >head &&
	echo "date,commit,actor,action,record,signature,signer,note" >expect &&
	test_cmp expect head &&
	test $(sed 1d csv | wc -l) = $(git -C "$REPO" rev-list --count HEAD) &&
	python3 -c "import csv, sys; rows = list(csv.reader(open(sys.argv[1]))); assert all(len(r) == 8 for r in rows), rows" csv
'

test_expect_success '--since and --until: whole days, both ends included' '
	sup -C "$REPO" log --format csv --since 2026-03-03 --until 2026-03-09 >csv &&
	sed 1d csv | cut -d, -f1,4,5 >actual &&
	cat >expect <<-EOF &&
	2026-03-09T12:00:00Z,new,$R2
	2026-03-05T12:00:00Z,dispute,$R1
	2026-03-03T12:00:00Z,sign,$R1
	EOF
	test_cmp expect actual &&
	sup -C "$REPO" log --format csv --since 2026-03-10 $R2 >csv &&
	sed 1d csv | cut -d, -f1,4 >actual &&
	printf "%s\n" 2026-03-11T12:00:00Z,sign 2026-03-10T12:00:00Z,edit >expect &&
	test_cmp expect actual
'

test_expect_success '--since and --until are on the author date, not the committer date' '
	become bwilson &&
	hand_edit $R2P "s/^Offered; asked about the rota\.$/Offered; asked about the on-call rota./" &&
	GIT_AUTHOR_DATE="2026-03-20T09:00:00Z" GIT_COMMITTER_DATE="2026-04-01T09:00:00Z" \
		git_commit_unsigned "the rota" &&
	sup -C "$REPO" log --format csv --since 2026-03-20 --until 2026-03-20 $R2 >csv &&
	sed 1d csv | cut -d, -f1,4 >actual &&
	echo "2026-03-20T09:00:00Z,edit" >expect &&
	test_cmp expect actual &&
	sup -C "$REPO" log --format csv --since 2026-03-21 $R2 >csv &&
	test_line_count = 1 csv
'

test_expect_success '--person: entries whose actor is the person' '
	sup -C "$REPO" log --format csv --person bwilson $R2 >csv &&
	sed 1d csv | cut -d, -f3,4,5 >actual &&
	cat >expect <<-EOF &&
	bwilson,edit,$R2
	bwilson,sign,$R2
	bwilson,edit,$R2
	EOF
	test_cmp expect actual
'

test_expect_success '--person: entries the person signed though another is named the actor' '
	become jsmith &&
	hand_edit $R2P "s/^Visits and recording up to date\.$/Visits up to date./" &&
	test_tick &&
	git -C "$REPO" -c user.signingkey="$KEYS/jsmith" commit -q -S \
		-m "covering for akhan" -m "Sup-Action: edit${LF}Sup-Actor: akhan" &&
	sup -C "$REPO" log --format csv --person jsmith $R2 >csv &&
	sed 1d csv | cut -d, -f3,4,6,7 >actual &&
	echo "akhan,edit,good,jsmith" >expect &&
	test_cmp expect actual &&
	sup -C "$REPO" log --format csv --person akhan $R2 >csv &&
	test_grep "^[^,]*,[0-9a-f]*,akhan,edit,$R2,good,jsmith,$" csv
'

test_expect_success 'filters that leave nothing: empty output, exit 0 (text, JSON []; CSV the header)' '
	sup -C "$REPO" log --person nobody $R1 >out &&
	test_must_be_empty out &&
	sup -C "$REPO" log --format json --since 2030-01-01 >out &&
	json_ok out &&
	test "$(json_get out "d")" = "[]" &&
	sup -C "$REPO" log --format csv --until 2020-01-01 >out &&
	test_line_count = 1 out
'

test_expect_success 'the repository log stops 100 commits past --since, as git log does' '
	# X: authored in range, committed long before; then commits committed
	# before --since on top of it
	GIT_AUTHOR_DATE="2031-01-01T09:00:00Z" GIT_COMMITTER_DATE="2019-01-01T09:00:00Z" \
		git -C "$REPO" -c commit.gpgsign=false commit -q --allow-empty -m X &&
	x=$(git -C "$REPO" rev-parse HEAD) &&
	empty_commits () {
		i=0
		while test $i -lt $1; do
			GIT_AUTHOR_DATE="2020-01-01T09:00:00Z" GIT_COMMITTER_DATE="2020-01-01T09:00:00Z" \
				git -C "$REPO" -c commit.gpgsign=false commit -q --allow-empty -m "old $i" || return 1
			i=$((i + 1))
		done
	} &&
	empty_commits 5 &&
	sup -C "$REPO" log --format csv --since 2030-01-01 >csv &&
	test_grep ",$x," csv &&
	test_line_count = 2 csv &&
	empty_commits 100 &&
	sup -C "$REPO" log --format csv --since 2030-01-01 >csv &&
	test_line_count = 1 csv &&
	git -C "$REPO" reset -q --hard "$x^"
'

test_expect_success 'usage errors: exit 2 with the usage string' '
	usage="usage: sup log [--since date] [--until date] [--person id] [--format text|json|csv] [-p] [id]" &&
	test_expect_code 2 sup -C "$REPO" log $R1 $R2 2>err &&
	echo "$usage" >expect &&
	test_cmp expect err &&
	test_expect_code 2 sup -C "$REPO" log --since 2026-02-30 2>err &&
	test_grep "^sup log: --since: " err &&
	grep -Fx "$usage" err &&
	test_expect_code 2 sup -C "$REPO" log --format xml 2>err &&
	grep -Fx "$usage" err &&
	sup log --help >out &&
	echo "$usage" >expect &&
	test_cmp expect out
'

test_expect_success 'outside a repository: exit 2, sup log: ...' '
	mkdir -p empty &&
	test_expect_code 2 sup -C empty log 2>err &&
	expect_error log .
'

test_done
