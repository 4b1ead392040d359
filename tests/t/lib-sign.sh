# lib-sign.sh - helpers for the sign-off and signature tests (t2000, t2100).
# Source it after test-lib.sh:
#
#	. "$(dirname "$0")/test-lib.sh"
#	. "$TEST_DIRECTORY/lib-sign.sh"

DIGEST_PY="$TEST_DIRECTORY/digest.py"
export DIGEST_PY

# make_key_type TYPE NAME: $KEYS/NAME of ssh-keygen type TYPE: ed25519,
# ecdsa256 (nistp256) or rsa3072.
make_key_type () {
	test -f "$KEYS/$2" && return 0
	case "$1" in
	ed25519) set -- "-t ed25519" "$2" ;;
	ecdsa256) set -- "-t ecdsa -b 256" "$2" ;;
	rsa3072) set -- "-t rsa -b 3072" "$2" ;;
	*) echo >&2 "make_key_type: unknown type $1"; return 1 ;;
	esac
	ssh-keygen $1 -N '' -q -C "$2@test" -f "$KEYS/$2"
}

# session_text ID DATE SUPERVISOR SUPERVISEE [CASE...]: a complete session
# record (it passes sup sign's completeness check) on standard output.
session_text () {
	_id=$1 _date=$2 _sor=$3 _see=$4
	shift 4
	printf '%s\n' --- "id: $_id" "type: session" "date: $_date" \
		'start: "10:00"' "minutes: 90" "supervisor: $_sor" \
		"supervisee: $_see" "location: Room 4" \
		"functions: [performance, development, support]"
	if test $# -gt 0; then
		echo "cases:"
		for c in "$@"; do
			printf '  - ref: %s\n    decision: Keep to the plan for %s\n    review: 2026-06-01\n' "$c" "$c"
		done
	else
		echo "cases: []"
	fi
	printf '%s\n' "reviewed_actions: []" "actions:" \
		"  - {n: 1, text: Book the review meeting, owner: $_see, due: 2026-05-01}" \
		"next_session: 2026-06-01" --- "" \
		"## Agenda" "Workload and the cases." "" \
		"## Review of previous actions" "None." "" \
		"## Case discussions"
	if test $# -gt 0; then
		for c in "$@"; do
			printf '### %s\nThe plan is working; the child was seen alone.\n' "$c"
		done
	else
		echo "No open cases."
	fi
	printf '%s\n' "" "## Performance and practice" "Visits and recording up to date." "" \
		"## Professional development" "Booked the court skills course." "" \
		"## Personal support and wellbeing" "Offered; nothing raised." "" \
		"## Supervisee's comments"
}

# new_session ID DATE SUPERVISOR SUPERVISEE [CASE...]: the current person
# records that session with sup new --from, in $REPO.
new_session () {
	session_text "$@" >"$TRASH_DIRECTORY/.new-record.md" &&
	test_tick &&
	(cd "$REPO" && sup new session --from "$TRASH_DIRECTORY/.new-record.md") >/dev/null
}

# record_path ID: records/<yyyy>/ID.md
record_path () {
	printf 'records/%s/%s.md\n' "$(printf %s "$1" | cut -c1-4)" "$1"
}

# sign_as ID RECORD [ARGS...]: become ID and run sup sign in $REPO.
sign_as () {
	_who=$1 _rec=$2
	shift 2
	become "$_who" &&
	test_tick &&
	(cd "$REPO" && sup sign "$@" "$_rec")
}

# show_json RECORD FILE: sup show --format json of RECORD into FILE.
show_json () {
	sup -C "$REPO" show --format json "$1" >"$2"
}

# json_get FILE EXPR: print a value from a JSON file.  EXPR is a Python
# expression over `d`, e.g. 'd["state"]' or 'party(d, "jsmith")["state"]'.
json_get () {
	python3 - "$1" "$2" <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	def party(d, who):
	    for p in d["parties"]:
	        if p["id"] == who:
	            return p
	    raise SystemExit("no party %s" % who)
	v = eval(sys.argv[2])
	print("null" if v is None else v if isinstance(v, str) else json.dumps(v))
	EOF
}

# ssh_fpr PUBKEYFILE: the SHA256:... fingerprint, as ssh-keygen prints it.
ssh_fpr () {
	ssh-keygen -lf "$1" | awk '{ print $2 }'
}

# add_signoff_by_hand RECORD BY ROLE AT: write BY's sign-off into the
# working-tree file of RECORD (not committed), with the digest that
# digest.py computes - what someone editing the file by hand would do.
add_signoff_by_hand () {
	_f="$REPO/$(record_path "$1")" &&
	_d=$(python3 "$DIGEST_PY" "$_f") &&
	awk -v line="  - {by: $2, role: $3, at: $4, digest: \"$_d\"}" '
		NR == 1 { print; next }
		!done && /^signoffs:/ { have = 1 }
		!done && ($0 == "---" || $0 == "...") {
			if (!have) print "signoffs:"
			print line
			done = 1
		}
		{ print }' "$_f" >"$_f.new" &&
	mv "$_f.new" "$_f"
}

# raw_commit REV FILE: the raw commit object.
raw_commit () {
	git -C "$REPO" cat-file commit "$1" >"$2"
}

# write_commit FILE: store FILE as a commit object, print its id.
write_commit () {
	git -C "$REPO" hash-object -t commit -w --stdin <"$1"
}

# move_branch OID: point the current branch at OID (a hand-made commit).
move_branch () {
	git -C "$REPO" update-ref "$(git -C "$REPO" symbolic-ref HEAD)" "$1"
}

# git_verdict REV: git's own verdict with stock `git verify-commit`: prints
# "good" (exit 0) or "rejected" (non-zero), and keeps git's words in
# $TRASH_DIRECTORY/.git-verify.
git_verdict () {
	if git -C "$REPO" verify-commit "$1" >"$TRASH_DIRECTORY/.git-verify" 2>&1; then
		echo good
	else
		echo rejected
	fi
}

# verdict_row CASE SUP GIT WHY: one row of the table printed at the end.
# WHY begins "agree" when sup and git agree (both call it good, or both
# reject it); otherwise it says why sup is right.
VERDICTS="$TRASH_DIRECTORY/verdicts"
verdict_row () {
	printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >>"$VERDICTS"
}

# print_verdicts: the table, as TAP comments (call outside test bodies).
print_verdicts () {
	test -s "$VERDICTS" || return 0
	echo "#"
	{
		echo "commit|sup|git|agreement"
		echo "------|---|---|---------"
		cat "$VERDICTS"
	} | awk -F'|' '{ printf "# %-28s %-20s %-9s %s\n", $1, $2, $3, $4 }'
	echo "#"
}

# check_verdicts: every row where sup and git agree says "agree", and every
# row where they differ says why.
check_verdicts () {
	test -s "$VERDICTS" &&
	awk -F'|' '
		{ same = (($2 == "good") == ($3 == "good")); says = ($4 ~ /^agree/) }
		same != says { print "row " NR ": " $0; bad = 1 }
		END { exit bad }' "$VERDICTS"
}

# re_escape TEXT: TEXT as a grep -E pattern that matches it literally
# (key fingerprints hold "+" and "/").
re_escape () {
	printf '%s\n' "$1" | sed -e 's/[][\.*^$+?(){}|]/\\&/g'
}
