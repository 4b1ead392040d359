#!/bin/sh
test_description='sup list over 10,000 records committed with plain git in one commit'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

test_expect_success 'setup' '
	setup_repo &&
	act_as akhan
'

# 10,000 sessions through 2026: for each day, in turn, jsmith and bwilson
# (supervised by akhan), ids <date>-<who>, then -2, -3 ... as sup names a
# second record of the same day.  Each record is valid for the register:
# known staff, known cases, real dates, an action, a sign-off state.
test_expect_success PYTHON 'generate 10,000 records and commit them in one plain git commit' '
	python3 - "$REPO" <<-\PY &&
	import datetime, os, sys
	repo = sys.argv[1]
	os.makedirs(os.path.join(repo, "records", "2026"), exist_ok=True)
	start = datetime.date(2026, 1, 1)
	seen = {}
	count = {"bwilson-h2": 0}
	for i in range(10000):
	    day = start + datetime.timedelta(days=(i // 2) % 365)
	    who = ("jsmith", "bwilson")[i % 2]
	    base = "%s-%s" % (day.isoformat(), who)
	    k = seen.get(base, 0) + 1
	    seen[base] = k
	    rid = base if k == 1 else "%s-%d" % (base, k)
	    if who == "bwilson" and day >= datetime.date(2026, 7, 1):
	        count["bwilson-h2"] += 1
	    cases = "  - {ref: C-100, decision: Keep going, review: 2026-12-21}\n" if who == "jsmith" else ""
	    text = ("---\n"
	            "id: %s\n"
	            "type: session\n"
	            "date: %s\n"
	            "start: \"10:00\"\n"
	            "minutes: 60\n"
	            "supervisor: akhan\n"
	            "supervisee: %s\n"
	            "location: Room %d\n"
	            "functions: [performance, support]\n"
	            "cases:%s\n%s"
	            "reviewed_actions: []\n"
	            "actions:\n"
	            "  - {n: 1, text: Action %d, owner: %s, due: 2026-12-31}\n"
	            "---\n\n## Agenda\n\nRecord %d.\n") % (
	        rid, day.isoformat(), who, i % 9, "" if cases else " []", cases, i, who, i)
	    with open(os.path.join(repo, "records", "2026", rid + ".md"), "w") as f:
	        f.write(text)
	open("expect-bwilson-h2", "w").write("%d\n" % count["bwilson-h2"])
	PY
	ls "$REPO/records/2026" | wc -l >count &&
	echo 10000 >expect && test_cmp expect count &&
	git -C "$REPO" add records &&
	test_tick &&
	git_commit_unsigned "10,000 records" &&
	git -C "$REPO" diff-tree --no-commit-id -r --name-only HEAD | wc -l >count &&
	test_cmp expect count
'

test_expect_success PYTHON 'sup list --format csv: a header and 10,000 rows' '
	t0=$(date +%s.%N) &&
	sup -C "$REPO" list --format csv >list.csv 2>err &&
	t1=$(date +%s.%N) &&
	test_must_be_empty err &&
	wc -l <list.csv | tr -d " " >count &&
	echo 10001 >expect &&
	test_cmp expect count &&
	echo "$t0 $t1" >times
'
test -f "$TRASH_DIRECTORY/times" &&
	awk '{ printf "# sup list --format csv over 10,000 records took %.2f s\n", $2 - $1 }' "$TRASH_DIRECTORY/times"

test_expect_success PYTHON 'a filtered count is right' '
	t0=$(date +%s.%N) &&
	sup -C "$REPO" list --format csv --supervisee bwilson --since 2026-07-01 >list.csv &&
	t1=$(date +%s.%N) &&
	sed -e 1d list.csv | wc -l | tr -d " " >count &&
	test_cmp expect-bwilson-h2 count &&
	! sed -e 1d list.csv | grep -v ",2026-\(0[7-9]\|1[0-2]\)-[0-3][0-9],akhan,bwilson," &&
	echo "$t0 $t1" >times2
'
test -f "$TRASH_DIRECTORY/times2" &&
	awk '{ printf "# sup list --supervisee bwilson --since 2026-07-01 took %.2f s\n", $2 - $1 }' "$TRASH_DIRECTORY/times2"

test_expect_success PYTHON 'an exact id wins over the longer ids it prefixes' '
	sup -C "$REPO" show 2026-12-31-bwilson >out &&
	test_grep "^id: 2026-12-31-bwilson\$" out
'

test_expect_success PYTHON 'an ambiguous prefix lists ten candidates and "..." (exit 1)' '
	test_expect_code 1 sup -C "$REPO" show 2026-12-31 2>err &&
	test_grep "^sup show: .2026-12-31. is ambiguous: it could be any of\$" err &&
	grep -c "^	2026-12-31-" err >count &&
	echo 10 >expect &&
	test_cmp expect count &&
	test_grep "^	\.\.\.\$" err
'

test_done
