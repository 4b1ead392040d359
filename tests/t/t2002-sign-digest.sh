#!/bin/sh
test_description='sup sign: the digest, recomputed independently (digest.py) for every record'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"

# digest.py is written from the documentation only; sup's own digest is the
# "digest" of `sup show --format json`.  They must agree on every record of
# a repository like the demo: sessions, a contract, an oversight, signed,
# half signed, unsigned, amended, and records committed by hand with CRLF
# line endings, a "..." end of front matter, no final newline, and a body
# that looks like front matter.

if ! test_have_prereq PYTHON; then
	echo "1..0 # SKIP python3 is needed for digest.py"
	test_done_called=t
	exit 0
fi

# fill: an editor that writes a line under every "## " heading.
cat >"$TRASH_DIRECTORY/fill" <<-\EOF
#!/bin/sh
awk '{ print } /^## / { print "Agreed, discussed and written down." }' "$1" >"$1.new" &&
mv "$1.new" "$1"
EOF
chmod +x "$TRASH_DIRECTORY/fill"

# check_digest PATH: sup and digest.py agree on the committed PATH.
check_digest () {
	git -C "$REPO" show "HEAD:$1" >blob &&
	sup -C "$REPO" show --format json "$1" >j &&
	sup_d=$(json_get j "d[\"digest\"]") &&
	py_d=$(python3 "$DIGEST_PY" blob) &&
	echo "$py_d" | grep -E "^sha256:[0-9a-f]{64}$" >/dev/null &&
	if test "$sup_d" != "$py_d"; then
		echo >&2 "$1: sup says $sup_d, digest.py says $py_d"
		return 1
	fi
}

test_expect_success 'setup: a demo-like repository' '
	setup_repo &&
	become akhan &&
	(cd "$REPO" && test_tick &&
	 sup new contract --with jsmith --date 2026-01-12 --no-edit &&
	 test_tick &&
	 EDITOR="$TRASH_DIRECTORY/fill" sup edit 2026-01-12-jsmith-contract &&
	 test_tick &&
	 sup new oversight --with jsmith --case C-101 --date 2026-02-10 --no-edit &&
	 test_tick &&
	 EDITOR="$TRASH_DIRECTORY/fill" sup edit 2026-02-10-jsmith-oversight) >/dev/null &&
	new_session 2026-03-02-jsmith 2026-03-02 akhan jsmith C-100 C-101 &&
	new_session 2026-03-09-bwilson 2026-03-09 akhan bwilson &&
	new_session 2026-03-30-jsmith 2026-03-30 akhan jsmith C-100 C-101 &&
	new_session 2026-04-27-jsmith 2026-04-27 akhan jsmith C-100 C-101 &&
	sign_as akhan 2026-01-12-jsmith-contract &&
	sign_as jsmith 2026-01-12-jsmith-contract &&
	sign_as akhan 2026-02-10-jsmith-oversight &&
	sign_as akhan 2026-03-02-jsmith &&
	sign_as jsmith 2026-03-02-jsmith &&
	sign_as akhan 2026-03-09-bwilson &&
	sign_as akhan 2026-04-27-jsmith &&
	sign_as jsmith 2026-04-27-jsmith --dispute "not what we agreed" &&
	become akhan &&
	cat >"$TRASH_DIRECTORY/amend" <<-\EOF &&
	#!/bin/sh
	sed -i "s/^Booked the court skills course\.$/Booked the court skills course for June./" "$1"
	EOF
	chmod +x "$TRASH_DIRECTORY/amend" &&
	test_tick &&
	EDITOR="$TRASH_DIRECTORY/amend" sup -C "$REPO" edit --amend "date of the course" 2026-03-02-jsmith &&
	sign_as akhan 2026-03-02-jsmith
'

test_expect_success 'setup: a record with CRLF line endings, committed by hand' '
	session_text 2026-04-06-bwilson 2026-04-06 akhan bwilson | sed "s/\$/\r/" >"$REPO/records/2026/2026-04-06-bwilson.md" &&
	test "$(grep -c "$(printf "\r")\$" "$REPO/records/2026/2026-04-06-bwilson.md")" = "$(wc -l <"$REPO/records/2026/2026-04-06-bwilson.md")" &&
	git -C "$REPO" add records/2026/2026-04-06-bwilson.md &&
	test_tick &&
	git_commit_unsigned "a record written on Windows" &&
	git -C "$REPO" show HEAD:records/2026/2026-04-06-bwilson.md >crlf &&
	test_grep "$(printf "\r")\$" crlf
'

test_expect_success 'setup: "..." ends the front matter; no final newline; a body that looks like front matter' '
	session_text 2026-04-13-bwilson 2026-04-13 akhan bwilson |
		sed "s/^---\$/.../; 1s/^...\$/---/" >"$REPO/records/2026/2026-04-13-bwilson.md" &&
	sed -n 2,30p "$REPO/records/2026/2026-04-13-bwilson.md" | test_grep -x "\.\.\." - &&
	session_text 2026-04-20-bwilson 2026-04-20 akhan bwilson >body.md &&
	{
		cat body.md &&
		printf "%s\n" "Quoted from an old record:" "" "---" "signoffs:" \
			"  - {by: bwilson, role: supervisee}" "---" &&
		printf "last line without a newline"
	} >"$REPO/records/2026/2026-04-20-bwilson.md" &&
	git -C "$REPO" add records/2026 &&
	test_tick &&
	git_commit_unsigned "two records by hand" &&
	sup -C "$REPO" show 2026-04-13-bwilson >/dev/null &&
	sup -C "$REPO" show 2026-04-20-bwilson >/dev/null
'

test_expect_success 'sup signs the CRLF record and the hand-written ones' '
	sign_as akhan 2026-04-06-bwilson &&
	sign_as bwilson 2026-04-06-bwilson &&
	sign_as akhan 2026-04-13-bwilson &&
	sign_as akhan 2026-04-20-bwilson &&
	git -C "$REPO" show HEAD~3:records/2026/2026-04-06-bwilson.md >crlf-signed &&
	sed -n "/^signoffs:/,\$p" crlf-signed >so &&
	test -s so &&
	git -C "$REPO" show HEAD:records/2026/2026-04-20-bwilson.md >tail-signed &&
	test "$(tail -c 27 tail-signed)" = "last line without a newline"
'

test_expect_success 'digest.py agrees with sup on every record' '
	git -C "$REPO" ls-tree -r --name-only HEAD records >paths &&
	test_line_count = 9 paths &&
	while read -r p; do
		check_digest "$p" || return 1
	done <paths
'

test_expect_success 'every sign-off that sup calls current carries the digest digest.py computes' '
	while read -r p; do
		git -C "$REPO" show "HEAD:$p" >blob &&
		d=$(python3 "$DIGEST_PY" blob) &&
		sup -C "$REPO" show --format json "$p" >j &&
		json_get j "\" \".join(s[\"digest\"] for s in d[\"front_matter\"].get(\"signoffs\", []))" >so &&
		for s in $(cat so); do
			test "$s" = "$d" || { echo >&2 "$p: sign-off digest $s, record $d"; return 1; }
		done
	done <paths
'

test_expect_success 'digest.py matches the record'"'"'s states: current, stale after a change' '
	sup -C "$REPO" list --format csv >list &&
	test_grep "^2026-03-02-jsmith,session,2026-03-02,akhan,jsmith,awaiting jsmith$" list &&
	test_grep "^2026-04-06-bwilson,session,2026-04-06,akhan,bwilson,signed$" list &&
	test_grep "^2026-04-27-jsmith,session,2026-04-27,akhan,jsmith,disputed$" list &&
	test_grep "^2026-03-30-jsmith,session,2026-03-30,akhan,jsmith,\"awaiting akhan, jsmith\"$" list &&
	p=records/2026/2026-04-06-bwilson.md &&
	sed -i "s/^Offered; nothing raised\./Offered; raised workload./" "$REPO/$p" &&
	git -C "$REPO" add $p &&
	test_tick &&
	git_commit_unsigned "change under the sign-offs" &&
	check_digest $p &&
	sup -C "$REPO" show --format json $p >j &&
	test "$(json_get j "d[\"state\"]")" = stale
'

test_expect_success 'CRLF and LF forms of a record have one digest; a signed CRLF record stays current' '
	git -C "$REPO" show HEAD~4:records/2026/2026-04-06-bwilson.md >crlf &&
	tr -d "\r" <crlf >lf &&
	! test_cmp crlf lf >/dev/null &&
	test "$(python3 "$DIGEST_PY" crlf)" = "$(python3 "$DIGEST_PY" lf)" &&
	p=records/2026/2026-04-06-bwilson.md &&
	git -C "$REPO" show HEAD~1:$p >crlf-signed &&
	tr -d "\r" <crlf-signed >"$REPO/$p" &&
	git -C "$REPO" add $p &&
	test_tick &&
	git_commit_unsigned "line endings to LF" &&
	check_digest $p &&
	sup -C "$REPO" show --format json $p >j &&
	test "$(json_get j "d[\"state\"]")" = signed
'

test_expect_success 'what the digest covers: the sign-off block only' '
	p=records/2026/2026-04-13-bwilson.md &&
	git -C "$REPO" show HEAD:$p >base &&
	d0=$(python3 "$DIGEST_PY" base) &&
	sed "s/^location: Room 4\$/location: Room 5/" base >t1 &&
	test "$(python3 "$DIGEST_PY" t1)" != "$d0" &&
	sed "s/^No open cases\.\$/No open cases!/" base >t2 &&
	test "$(python3 "$DIGEST_PY" t2)" != "$d0" &&
	sed "s/by: akhan, role: supervisor, at: [^,]*,/by: akhan, role: supervisor, at: 2030-01-01T00:00:00Z,/" base >t3 &&
	! test_cmp base t3 >/dev/null &&
	test "$(python3 "$DIGEST_PY" t3)" = "$d0" &&
	cp t1 "$REPO/$p" && git -C "$REPO" add $p && test_tick &&
	git_commit_unsigned "t1" && check_digest $p &&
	cp t2 "$REPO/$p" && git -C "$REPO" add $p && test_tick &&
	git_commit_unsigned "t2" && check_digest $p &&
	cp t3 "$REPO/$p" && git -C "$REPO" add $p && test_tick &&
	git_commit_unsigned "t3" && check_digest $p
'

# The digest's canonical form is line-based: the first line of the front
# matter that begins "signoffs:" starts the removed block.  A quoted value
# may run on to a line beginning "signoffs:" at column 0 - YAML allows it
# and sup new accepts it - and then everything after it in the front
# matter (functions, cases and their decisions, actions) is outside the
# digest, and sup sign's own rewrite of the block breaks the record.
# Expected: such a record is refused when written (exit 1, file:line), or
# signed with a digest that covers every field.
test_expect_success 'a value running on to a "signoffs:" line cannot hide the fields after it' '
	session_text 2026-05-04-bwilson 2026-05-04 akhan bwilson |
		awk "/^location:/ { print \"location: \\\"Room 4,\"; print \"signoffs: none\\\"\"; next } { print }" >trick.md &&
	become akhan &&
	test_tick &&
	if (cd "$REPO" && sup new session --from "$TRASH_DIRECTORY/trick.md") >/dev/null 2>err
	then
		sign_as akhan 2026-05-04-bwilson &&
		git -C "$REPO" show HEAD:records/2026/2026-05-04-bwilson.md >trick &&
		d0=$(python3 "$DIGEST_PY" trick) &&
		sed "s/^next_session: 2026-06-01\$/next_session: 2027-06-01/" trick >trick2 &&
		test "$(python3 "$DIGEST_PY" trick2)" != "$d0"
	else
		test_grep "^sup new: .*:10:" err
	fi
'

test_expect_success 'digest.py on its own: the documented form, byte for byte' '
	printf -- "---\r\nid: x\r\nsignoffs:\r\n  - {by: a}\r\n---\r\nbody\r\n" >a &&
	printf -- "---\nid: x\n---\nbody\n" >expect &&
	python3 -c "
import sys; sys.path.insert(0, sys.argv[1]); import digest
sys.stdout.buffer.write(digest.canonical(open(\"a\", \"rb\").read()))" "$TEST_DIRECTORY" >got &&
	test_cmp expect got &&
	test "$(python3 "$DIGEST_PY" a)" = "sha256:$(sha256sum <expect | cut -d" " -f1)" &&
	printf -- "---\nid: x\nsignoffs: []\n...\nsignoffs: body text\n" >b &&
	printf -- "---\nid: x\n...\nsignoffs: body text\n" >expect &&
	test "$(python3 "$DIGEST_PY" b)" = "sha256:$(sha256sum <expect | cut -d" " -f1)" &&
	printf -- "no front matter\nsignoffs: x\n" >c &&
	test "$(python3 "$DIGEST_PY" c)" = "sha256:$(sha256sum <c | cut -d" " -f1)"
'

test_done
