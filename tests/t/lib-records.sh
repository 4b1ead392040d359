# lib-records.sh - helpers for the record tests (t1000-t1399), sourced
# after test-lib.sh:
#
#	. "$(dirname "$0")/test-lib.sh"
#	. "$TEST_DIRECTORY/lib-records.sh"
#
# The editor is driven for real: each test writes a small script that
# edits the file sup hands it, the way a person would (sed on one line, a
# python edit, ed), and points EDITOR at it.

EDITORS="$TRASH_DIRECTORY/editors"
mkdir -p "$EDITORS"

# write_editor NAME: stdin (a sh script body; "$1" is the file) becomes
# the executable $EDITORS/NAME.
write_editor () {
	{
		echo "#!/bin/sh" &&
		cat
	} >"$EDITORS/$1" &&
	chmod +x "$EDITORS/$1"
}

# act_as ID: switch the person in the repository's own configuration:
# sup.user, the signing key and git's name and email.
act_as () {
	git -C "$REPO" config sup.user "$1" &&
	git -C "$REPO" config user.signingkey "$KEYS/$1" &&
	git -C "$REPO" config user.email "$1@example.org" &&
	git -C "$REPO" config user.name "$1" &&
	git -C "$REPO" config gpg.format ssh
}

# draft_of ID: where the kept draft of record ID lives.
draft_of () {
	echo "$REPO/.git/sup/drafts/$1.md"
}

# no_drafts: nothing is left under .git/sup/drafts.
no_drafts () {
	if test -d "$REPO/.git/sup/drafts"; then
		ls -A "$REPO/.git/sup/drafts" >"$TRASH_DIRECTORY/.drafts" &&
		test_must_be_empty "$TRASH_DIRECTORY/.drafts"
	fi
}

# fm_block FILE KEY: the top-level KEY's line and the indented lines under
# it, from the front matter of FILE.
fm_block () {
	awk -v key="$2" '
		NR == 1 && $0 == "---" { infm = 1; next }
		infm && $0 == "---" { exit }
		!infm { next }
		/^[^ ]/ { on = (index($0, key ":") == 1) }
		on { print }
	' "$1"
}

# fm_value FILE KEY: the value of a top-level scalar key.
fm_value () {
	fm_block "$1" "$2" | sed -n -e "1s/^$2: *//p"
}

# rec_path ID: records/<yyyy>/ID.md in $REPO.
rec_path () {
	echo "$REPO/records/$(echo "$1" | cut -c1-4)/$1.md"
}

# The "complete" editor: what a supervisor does when writing a whole
# record - fills start, minutes and location, the functions, a decision
# and a review date for every case, a status for every reviewed action
# ($SUP_TEST_STATUS, default done; or per action in $SUP_TEST_STATUSES as
# "ID#N=status ..."; "-" leaves it empty), the actions in $SUP_TEST_ACTIONS (YAML flow maps, one
# a line), and a sentence under every section heading of the body.
write_editor complete <<\EOF
exec python3 - "$1" <<\PY
import os, re, sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
status = os.environ.get("SUP_TEST_STATUS", "done")
per = dict(kv.split("=", 1) for kv in os.environ.get("SUP_TEST_STATUSES", "").split())
actions = [a for a in os.environ.get("SUP_TEST_ACTIONS", "").split("\n") if a.strip()]
out, fm, last_action = [], 0, None
for line in lines:
    if line == "---":
        fm += 1
        out.append(line)
        continue
    if fm == 1:
        if line == "start:":
            line = 'start: "10:00"'
        elif line == "minutes:":
            line = "minutes: 90"
        elif line == "location:":
            line = "location: Room 4"
        elif line == "functions: []":
            line = "functions: [performance, development, support]"
        elif line == "    decision:":
            line = "    decision: Continue the plan; review at the next session"
        elif line == "    review:":
            line = "    review: 2026-12-21"
        elif line == "to:" and os.environ.get("SUP_TEST_TO"):
            line = "to: " + os.environ["SUP_TEST_TO"]
        elif re.match(r"^  - action: ", line):
            last_action = line.split(": ", 1)[1].strip('"')
        elif line == "    status:":
            st = per.get(last_action, status)
            line = "    status:" + ("" if st == "-" else " " + st)
        elif line == "actions: []" and actions:
            out.append("actions:")
            out.extend("  - " + a for a in actions)
            continue
        out.append(line)
        continue
    out.append(line)
    if fm >= 2 and line.startswith("## "):
        out.extend(["", "Discussed: " + line[3:].lower() + ".", ""])
open(path, "w", encoding="utf-8").write("\n".join(out))
PY
EOF

# new_complete TYPE ARGS...: `sup new TYPE ARGS...` in $REPO with the
# complete editor, a tick later.
new_complete () {
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/complete" sup new "$@")
}

# sign_as ID RECORD: ID signs RECORD, a tick later.
sign_as () {
	act_as "$1" &&
	test_tick &&
	(cd "$REPO" && sup sign "$2")
}

# front_matter FILE: the front matter of FILE with its two --- lines.
front_matter () {
	awk 'NR == 1 { print; next } { print } $0 == "---" { exit }' "$1"
}

# golden NAME FILE: FILE must equal tests/t/golden/NAME.  With
# SUP_GOLDEN_UPDATE=1 in the environment, write it instead (then review
# the diff before keeping it).
golden () {
	if test -n "${SUP_GOLDEN_UPDATE:-}"; then
		mkdir -p "$TEST_DIRECTORY/golden" &&
		cp "$2" "$TEST_DIRECTORY/golden/$1"
	else
		test_cmp "$TEST_DIRECTORY/golden/$1" "$2"
	fi
}

# mask_proofs: commit ids and key fingerprints change with every run (the
# keys are made afresh); everything else sup prints is fixed.
mask_proofs () {
	sed -E -e 's/commit [0-9a-f]{12}/commit COMMIT/g' \
	       -e 's/"commit":"[0-9a-f]{40}"/"commit":"COMMIT"/g' \
	       -e 's/SHA256:[A-Za-z0-9+\/]{43}/SHA256:KEY/g'
}
