# lib-history.sh - helpers for the history tests (t4000 sup log, t4100
# sup diff, t4200 scale).  Source it after test-lib.sh and lib-sign.sh:
#
#	. "$(dirname "$0")/test-lib.sh"
#	. "$TEST_DIRECTORY/lib-sign.sh"
#	. "$TEST_DIRECTORY/lib-history.sh"
#
# Commit ids and key fingerprints change with every run (the keys are made
# afresh), so output compared with a golden file is normalised first:
# every commit id, full or abbreviated to 12, becomes c01, c02 ... in the
# order of `git rev-list --reverse --all`; every key fingerprint becomes
# <fpr:NAME> for the key $KEYS/NAME; and the one time sup does not take
# from GIT_COMMITTER_DATE (an amendment's "at", see t1100) becomes
# <amended-at>.

GOLDEN="$TEST_DIRECTORY/golden"

command -v patch >/dev/null 2>&1 && test_set_prereq PATCH
python3 -c 'import yaml' >/dev/null 2>&1 && test_set_prereq PYYAML

# edit_script NAME: stdin (sh commands; "$1" is the file) becomes the
# executable editor $TRASH_DIRECTORY/editors/NAME; prints its path.
edit_script () {
	mkdir -p "$TRASH_DIRECTORY/editors" &&
	{
		echo "#!/bin/sh" &&
		echo "set -e" &&
		cat
	} >"$TRASH_DIRECTORY/editors/$1" &&
	chmod +x "$TRASH_DIRECTORY/editors/$1"
}

# sup_edit_with NAME ARGS...: sup edit ARGS... in $REPO, a tick later,
# with the editor script NAME.
sup_edit_with () {
	_ed=$1
	shift
	test_tick &&
	(cd "$REPO" && EDITOR="$TRASH_DIRECTORY/editors/$_ed" sup edit "$@")
}

# path_commits PATH: `git log --format=%H -- PATH` in $REPO, newest first.
path_commits () {
	git -C "$REPO" log --format=%H -- "$1"
}

# normalise [FILE]: stdin (or FILE) with run-dependent ids replaced, as
# described at the top.
normalise () {
	git -C "$REPO" rev-list --reverse --all >"$TRASH_DIRECTORY/.revs" &&
	for k in "$KEYS"/*.pub; do
		test -f "$k" || continue
		n=${k##*/}
		printf '%s %s\n' "$(ssh-keygen -lf "$k" | awk '{ print $2 }')" "${n%.pub}"
	done >"$TRASH_DIRECTORY/.fprs" &&
	python3 -c '
import re, sys
revs = open(sys.argv[1]).read().split()
names = {}
for i, r in enumerate(revs):
    names[r] = "c%02d" % (i + 1)
    names.setdefault(r[:12], "c%02d" % (i + 1))
fprs = dict(l.split() for l in open(sys.argv[2]) if l.strip())
text = open(sys.argv[3]).read() if len(sys.argv) > 3 else sys.stdin.read()
for f, n in fprs.items():
    text = text.replace(f, "<fpr:%s>" % n)
def hexid(m):
    s = m.group(0)
    return names.get(s, "<unknown-%d-hex>" % len(s))
text = re.sub(r"(?<![0-9a-f])([0-9a-f]{40}|[0-9a-f]{12})(?![0-9a-f])", hexid, text)
text = re.sub(r"(\bat: )[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z(, reason: )",
              r"\1<amended-at>\2", text)
sys.stdout.write(text)
' "$TRASH_DIRECTORY/.revs" "$TRASH_DIRECTORY/.fprs" "$@"
}

# golden_cmp NAME FILE: FILE, normalised, is the golden file NAME.  With
# SUP_UPDATE_GOLDEN=1 the golden file is (re)written instead.
golden_cmp () {
	normalise "$2" >"$2.norm" &&
	if test -n "${SUP_UPDATE_GOLDEN:-}"; then
		cp "$2.norm" "$GOLDEN/$1"
	fi &&
	test_cmp "$GOLDEN/$1" "$2.norm"
}

# log_rows FILE: the rows of a text `sup log` table (header dropped), with
# runs of blanks squeezed to one, trailing blanks dropped.
log_rows () {
	sed -e 1d -e 's/  */ /g' -e 's/ *$//' "$1"
}

# fields_of FILE: the field lines of a text `sup diff` (everything before
# the body's "--- " header or the blank line before it).
fields_of () {
	awk '/^--- / || /^$/ { exit } { print }' "$1"
}

# body_of FILE: the unified diff of the body in a text `sup diff`.
body_of () {
	sed -n '/^--- /,$p' "$1"
}

# short REV: the 12-digit id sup prints.
short () {
	git -C "$REPO" rev-parse "$1" | cut -c1-12
}

# json_ok FILE: FILE is one JSON document (python3 -m json.tool).
json_ok () {
	python3 -m json.tool "$1" >/dev/null || {
		echo >&2 "not JSON:"
		cat >&2 "$1"
		return 1
	}
}
