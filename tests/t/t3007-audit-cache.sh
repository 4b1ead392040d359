#!/bin/sh
test_description='the caches under .git/sup/cache are disposable: deleting, damaging or outliving them changes no answer'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

CACHE="$REPO/.git/sup/cache"

# every reader whose answer could come from a cache, in every format
answers () {
	for f in text json csv; do
		sup -C "$REPO" audit --as-of 2026-04-10 --format $f
		echo "audit exit $?"
		sup -C "$REPO" list --format $f
		sup -C "$REPO" list --supervisee jsmith --format $f
		sup -C "$REPO" staff list --format $f
		sup -C "$REPO" case list --all --format $f
	done >"$1" 2>&1
	sup -C "$REPO" due --as-of 2026-04-10 --format csv >>"$1" 2>&1
	return 0
}

test_expect_success 'setup: records, sign-offs, a dispute and a hand edit' '
	audit_setup &&
	at 2026-02-09 &&
	session 2026-02-02-jsmith 2026-02-02 akhan jsmith "performance" "cases: [{ref: C-100, decision: Go on}]
actions:
  - {n: 1, text: Book core group, owner: jsmith, due: 2026-02-20}" &&
	at 2026-03-20 &&
	session 2026-03-02-jsmith 2026-03-02 akhan jsmith "performance" &&
	sign jsmith 2026-03-02-jsmith --dispute "not what was said" &&
	f="$REPO/records/2026/2026-03-02-jsmith.md" &&
	echo "Hand edit." >>"$f" &&
	git -C "$REPO" add "$f" &&
	git_commit_unsigned "hand edit"
'

test_expect_success 'the first run writes the caches' '
	rm -rf "$CACHE" &&
	answers cold &&
	test_path_is_file "$CACHE/records" &&
	test_path_is_file "$CACHE/staff" &&
	test_path_is_file "$CACHE/cases" &&
	test_path_is_file "$CACHE/parties" &&
	grep -q stale-signoff cold
'

test_expect_success 'answers from the caches are the answers without them' '
	answers warm &&
	test_cmp cold warm &&
	rm -rf "$CACHE" &&
	answers again &&
	test_cmp cold again
'

test_expect_success 'a damaged cache is ignored, not believed' '
	answers before &&
	for c in records staff cases first-seen parties caseload; do
		test -f "$CACHE/$c" || continue
		# keep the header, scramble the rest
		head -c 40 "$CACHE/$c" >"$CACHE/$c.tmp" &&
		printf "\377\377\377\377garbage that is no entry" >>"$CACHE/$c.tmp" &&
		mv "$CACHE/$c.tmp" "$CACHE/$c" || return 1
	done &&
	answers damaged &&
	test_cmp before damaged &&
	printf "not a cache at all" >"$CACHE/records" &&
	answers foreign &&
	test_cmp before foreign
'

test_expect_success 'a flipped byte inside an entry is caught by its checksum' '
	rm -rf "$CACHE" &&
	answers before &&
	python3 - "$CACHE/records" <<-\PY &&
	import sys
	p = sys.argv[1]
	b = bytearray(open(p, "rb").read())
	i = b.find(b"Book core group")
	assert i > 0
	b[i] = ord("L")
	open(p, "wb").write(bytes(b))
	PY
	answers flipped &&
	test_cmp before flipped
'

test_expect_success 'a flipped byte in the first fields of an entry, which a list by person peeks at, is caught too' '
	rm -rf "$CACHE" &&
	sup -C "$REPO" list --supervisee jsmith >before &&
	grep -q "^2026-02-02-jsmith " before &&
	python3 - "$CACHE/records" <<-\PY &&
	import sys
	p = sys.argv[1]
	b = bytearray(open(p, "rb").read())
	i = b.find(b"records/2026/2026-02-02-jsmith.md")
	assert i > 0
	j = b.find(b"\x00\x00\x00\x06jsmith", i)
	assert 0 < j - i < 256
	b[j + 9] = ord("X")	# the supervisee: jsmitX
	open(p, "wb").write(bytes(b))
	PY
	sup -C "$REPO" list --supervisee jsmith >after &&
	test_cmp before after
'

test_expect_success 'an unchanged audit is answered from the last answer, exit status and all' '
	rm -rf "$CACHE" &&
	sup -C "$REPO" audit --as-of 2026-04-10 >first; s1=$? &&
	test_path_is_file "$CACHE/audit" &&
	sup -C "$REPO" audit --as-of 2026-04-10 >second; s2=$? &&
	test "$s1" = 1 && test "$s2" = 1 &&
	test_cmp first second &&
	sup -C "$REPO" audit --as-of 2026-04-11 --format json >other; s3=$? &&
	test "$s3" = 1 &&
	grep -q "\"as_of\":\"2026-04-11\"" other
'

test_expect_success 'a change to a record is seen at once (entries are keyed by content)' '
	answers old &&
	at 2026-04-01 &&
	sign akhan 2026-02-02-jsmith &&
	answers new &&
	! test_cmp old new >/dev/null &&
	rm -rf "$CACHE" &&
	answers fresh &&
	test_cmp new fresh
'

# the record sup new pre-fills for jsmith (C-100 and C-101 are hers),
# committed and then taken back, so that each run starts from one tip
prefill () {
	act akhan sup new session --with jsmith --date 2026-04-06 --no-edit >/dev/null &&
	cp "$REPO/records/2026/2026-04-06-jsmith.md" "$1" &&
	git -C "$REPO" reset -q --hard HEAD~1
}

test_expect_success 'sup new pre-fills the same without, with and despite the caseload and parties indexes' '
	rm -rf "$CACHE" &&
	prefill cold.md &&
	grep -q "ref: C-100" cold.md &&
	test_path_is_file "$CACHE/caseload" &&
	prefill warm.md &&
	test_cmp cold.md warm.md &&
	python3 - "$CACHE/caseload" "$CACHE/parties" <<-\PY &&
	import sys
	# a path of hers, changed to one that is not there
	for p, s in zip(sys.argv[1:], [b"cases/C-100.yaml", b"records/2026/2026-02-02-jsmith.md"]):
	    b = bytearray(open(p, "rb").read())
	    i = b.find(s)
	    assert i > 0
	    b[i + len(s) - 6] ^= 0x01
	    open(p, "wb").write(bytes(b))
	PY
	prefill flipped.md &&
	test_cmp cold.md flipped.md
'

test_expect_success 'an index from an older tree is brought up to date, not believed' '
	rm -rf "$CACHE" &&
	sup -C "$REPO" list --supervisee jsmith >old &&
	cp "$CACHE/parties" parties.old &&
	at 2026-04-07 &&
	session 2026-04-06-jsmith 2026-04-06 akhan jsmith "performance" &&
	sup -C "$REPO" list --supervisee jsmith >new &&
	grep -q "^2026-04-06-jsmith " new &&
	! grep -q "^2026-04-06-jsmith " old &&
	# the older index again: the changed tree is compared, not trusted
	cp parties.old "$CACHE/parties" &&
	sup -C "$REPO" list --supervisee jsmith >again &&
	test_cmp new again &&
	rm -rf "$CACHE" &&
	sup -C "$REPO" list --supervisee jsmith >fresh &&
	test_cmp new fresh
'

test_done
