#!/bin/sh
test_description='sup log ID on a long history: exactly the commits git log -- PATH lists, and how long each takes'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"
. "$TEST_DIRECTORY/lib-history.sh"

# Slow on purpose: run with SUP_SCALE_TESTS=1 (SUP_SCALE_COMMITS, default
# 2000, sets the size of the history).
if test "${SUP_SCALE_TESTS:-}" != 1; then
	echo "ok 1 # skip the scale test: set SUP_SCALE_TESTS=1 to run it"
	test_count=1
	test_done
fi

N=${SUP_SCALE_COMMITS:-2000}
ID=2026-02-02-p007
P=records/2026/$ID.md

# now_ms: milliseconds since the epoch.
now_ms () {
	echo $(($(date +%s%N) / 1000000))
}

test_expect_success "setup: $N unsigned commits by git fast-import over 40 records" '
	setup_repo &&
	branch=$(git -C "$REPO" symbolic-ref HEAD) &&
	python3 - "$N" "$(git -C "$REPO" rev-parse HEAD)" "$branch" >stream <<-\PY &&
	import random, sys
	n, base, branch = int(sys.argv[1]), sys.argv[2], sys.argv[3]
	rnd = random.Random(4200)
	out = sys.stdout
	def data(s):
	    b = s.encode()
	    out.write("data %d\n" % len(b))
	    out.write(s + "\n")
	t = 1769990400  # 2026-02-02
	version = {}
	for i in range(n):
	    # mostly one record, sometimes two, now and then a case file too
	    touched = {rnd.randrange(40)}
	    if rnd.random() < 0.2:
	        touched.add(rnd.randrange(40))
	    out.write("commit %s\nmark :%d\n" % (branch, i + 1))
	    out.write("author Jo Smith <jsmith@example.org> %d +0000\n" % (t + 60 * i))
	    out.write("committer Jo Smith <jsmith@example.org> %d +0000\n" % (t + 60 * i))
	    data("bulk edit %d" % i)
	    if i == 0:
	        out.write("from %s\n" % base)
	    for r in sorted(touched):
	        version[r] = version.get(r, 0) + 1
	        rid = "2026-02-02-p%03d" % r
	        out.write("M 100644 inline records/2026/%s.md\n" % rid)
	        data("---\nid: %s\ntype: session\ndate: 2026-02-02\nsupervisor: akhan\n"
	             "supervisee: jsmith\nminutes: %d\n---\n\n## Agenda\nVersion %d.\n"
	             % (rid, version[r], version[r]))
	    if rnd.random() < 0.05:
	        out.write("M 100644 inline cases/X-%d.yaml\n" % i)
	        data("ref: X-%d\nworker: jsmith\nopened: 2026-02-02\n" % i)
	PY
	git -C "$REPO" fast-import --quiet <stream &&
	git -C "$REPO" reset -q --hard &&
	test $(git -C "$REPO" rev-list --count HEAD) -gt $N
'

test_expect_success "sup log $ID lists exactly the commits git log -- $P lists, in the same order" '
	t0=$(now_ms) &&
	git -C "$REPO" log --format=%H -- $P >expect &&
	t1=$(now_ms) &&
	sup -C "$REPO" log --format csv $ID >csv &&
	t2=$(now_ms) &&
	sed 1d csv | cut -d, -f2 >actual &&
	test $(wc -l <expect) -gt 10 &&
	test_cmp expect actual &&
	echo "git log -- PATH: $((t1 - t0)) ms, $(wc -l <expect) commits" >timings &&
	echo "sup log ID:      $((t2 - t1)) ms" >>timings
'

test_expect_success 'every entry of the bulk history: plain git, unsigned, an edit by jsmith' '
	sed 1d csv | cut -d, -f3,4,6,8 | sort | uniq -c >kinds &&
	test_grep -E "^ *[0-9]+ jsmith,edit,unsigned,made with plain git$" kinds &&
	test $(wc -l <kinds) = 2 &&
	test_grep -E "^ +1 jsmith,add,unsigned,made with plain git$" kinds
'

if test -f "$TRASH_DIRECTORY/timings"; then
	sed -e "s/^/# /" "$TRASH_DIRECTORY/timings"
fi

test_done
