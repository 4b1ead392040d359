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
# <fpr:NAME> for the key $KEYS/NAME.  Times need no normalising: they all
# come from GIT_AUTHOR_DATE/GIT_COMMITTER_DATE (test_tick).

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

# commit_time REV: the committer time of REV as sup writes times,
# YYYY-MM-DDTHH:MM:SSZ.
commit_time () {
	date -u -d "@$(git -C "$REPO" log -1 --format=%ct "$1")" +%Y-%m-%dT%H:%M:%SZ
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

# log_rows FILE: the rows of a text `sup log` table, without its header
# row, with runs of spaces squeezed.
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

# front_matter_of FILE / body_after FILE: a record's YAML (without the ---
# lines) and its body (everything after the closing ---).
body_after () {
	awk 'done { print; next } NR > 1 && $0 == "---" { done = 1 }' "$1"
}

# fields_oracle OLD NEW: the field lines `sup diff` should print between
# two versions of a record, worked out independently with PyYAML (every
# scalar read as text): mappings by key (old order, then new keys), lists
# of mappings matched by their identifying key (signoffs and amendments by
# "by", cases by "ref", actions by "n", reviewed_actions by "action") and
# other lists by position; a sign-off added or removed reads
# "signoffs: + ID (ROLE)".
fields_oracle () {
	python3 - "$1" "$2" <<-\PY
	import sys, yaml
	def fm(path):
	    t = open(path, encoding="utf-8").read()
	    end = t.index("\n---\n", 3)
	    return yaml.load(t[4:end + 1], Loader=yaml.BaseLoader)
	KEYS = {"signoffs": "by", "amendments": "by", "cases": "ref",
	        "actions": "n", "reviewed_actions": "action"}
	def flow(v):
	    if isinstance(v, dict):
	        return "{" + ", ".join("%s: %s" % (k, flow(x)) for k, x in v.items()) + "}"
	    if isinstance(v, list):
	        return "[" + ", ".join(flow(x) for x in v) + "]"
	    return v
	out = []
	def push(kind, path, a, b):
	    n = a if a is not None else b
	    if path.startswith("signoffs[") and kind != "changed" and "by" in n and "role" in n:
	        d = ", disputed: " + n["dispute"] if "dispute" in n else ""
	        out.append("signoffs: %s %s (%s)%s" % ("+" if kind == "added" else "-", n["by"], n["role"], d))
	    elif kind == "changed":
	        out.append("%s: %s \u2192 %s" % (path, flow(a) or "(empty)", flow(b) or "(empty)"))
	    elif kind == "added":
	        out.append("+ %s: %s" % (path, flow(b)))
	    else:
	        out.append("- %s: %s" % (path, flow(a)))
	def seq(path, a, b):
	    key = KEYS.get(path.rsplit(".", 1)[-1])
	    if key and all(isinstance(x, dict) and isinstance(x.get(key), str) for x in a + b):
	        ids = lambda l: [x[key] for x in l]
	        for x in a:
	            m = [y for y in b if y[key] == x[key]]
	            diff("%s[%s]" % (path, x[key]), x, m[0] if m else None)
	        for y in b:
	            if y[key] not in ids(a):
	                diff("%s[%s]" % (path, y[key]), None, y)
	    else:
	        for i in range(max(len(a), len(b))):
	            diff("%s[%d]" % (path, i + 1), a[i] if i < len(a) else None,
	                 b[i] if i < len(b) else None)
	def diff(path, a, b):
	    if a is None and b is None:
	        return
	    n = a if a is not None else b
	    if (a is None or b is None) and KEYS.get(path.rsplit(".", 1)[-1]) and isinstance(n, list):
	        return seq(path, a or [], b or [])
	    if a is None or b is None:
	        return push("removed" if b is None else "added", path, a, b)
	    if type(a) != type(b):
	        return push("changed", path, a, b)
	    if isinstance(a, str):
	        if a != b:
	            push("changed", path, a, b)
	    elif isinstance(a, list):
	        seq(path, a, b)
	    else:
	        for k in a:
	            diff(path + "." + k if path else k, a[k], b.get(k))
	        for k in b:
	            if k not in a:
	                diff(path + "." + k if path else k, None, b[k])
	diff("", fm(sys.argv[1]), fm(sys.argv[2]))
	for l in out:
	    print(l)
	PY
}

# body_applies OLD NEW DIFF: the body diff in the text `sup diff` output
# DIFF, applied with patch(1) to OLD's body, gives NEW's body.
body_applies () {
	body_after "$1" >"$TRASH_DIRECTORY/.body.old" &&
	body_after "$2" >"$TRASH_DIRECTORY/.body.new" &&
	body_of "$3" >"$TRASH_DIRECTORY/.body.diff" &&
	if test -s "$TRASH_DIRECTORY/.body.diff"; then
		patch -s -o "$TRASH_DIRECTORY/.body.patched" "$TRASH_DIRECTORY/.body.old" \
			<"$TRASH_DIRECTORY/.body.diff"
	else
		cp "$TRASH_DIRECTORY/.body.old" "$TRASH_DIRECTORY/.body.patched"
	fi &&
	test_cmp "$TRASH_DIRECTORY/.body.new" "$TRASH_DIRECTORY/.body.patched"
}

# commit_signed_with KEY MSG: commit what is staged in $REPO with plain
# git, signed with the SSH key $KEYS/KEY (git commit -S, gpg.format=ssh).
commit_signed_with () {
	git -C "$REPO" -c gpg.format=ssh -c user.signingkey="$KEYS/$1" \
		commit -q -S -m "$2"
}

# tamper_head HOW: replace the tip of $REPO's branch with a copy of it whose
# raw object was changed: "message" (the message reworded: the signature no
# longer verifies) or "twice" (the gpgsig header repeated).
tamper_head () {
	git -C "$REPO" cat-file commit HEAD >"$TRASH_DIRECTORY/.raw" &&
	case "$1" in
	message)
		sed -e '$s/$/ (reworded)/' "$TRASH_DIRECTORY/.raw" ;;
	twice)
		awk '
			/^gpgsig / { insig = 1 }
			insig && !/^gpgsig / && !/^ / { printf "%s", sig; printf "%s", sig; insig = 0; done = 1 }
			insig { sig = sig $0 "\n"; next }
			{ print }' "$TRASH_DIRECTORY/.raw" ;;
	esac >"$TRASH_DIRECTORY/.raw.new" &&
	! cmp -s "$TRASH_DIRECTORY/.raw" "$TRASH_DIRECTORY/.raw.new" &&
	new=$(git -C "$REPO" hash-object -t commit -w --stdin <"$TRASH_DIRECTORY/.raw.new") &&
	git -C "$REPO" update-ref "$(git -C "$REPO" symbolic-ref HEAD)" "$new"
}

# hand_edit FILE SED-EXPR: edit a file of $REPO in place and stage it.
hand_edit () {
	sed -i -e "$2" "$REPO/$1" &&
	git -C "$REPO" add "$1"
}
