#!/bin/sh
test_description='the demonstration repository: an independent digest agrees with sup on every record, and git verifies every commit'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'make the demonstration repository (tests/demo.sh, as make demo does)' '
	sh "$SRC/tests/demo.sh" "$SUP_BUILD_DIR" "$TRASH_DIRECTORY/demo" >demo.log 2>&1 ||
	{ tail -20 demo.log >&2; false; } &&
	D="$TRASH_DIRECTORY/demo/repo" &&
	test "$(ls "$D"/records/*/*.md | wc -l)" -gt 50
'

test_expect_success 'digest.py (written from sup-record(5) only) agrees with sup for every record' '
	D="$TRASH_DIRECTORY/demo/repo" &&
	n=0 &&
	for f in "$D"/records/*/*.md; do
		id=$(basename "$f" .md) &&
		mine=$(python3 "$TEST_DIRECTORY/digest.py" "$f") &&
		theirs=$(sup -C "$D" show --format json "$id" |
			python3 -c "import json,sys; print(json.load(sys.stdin)[\"digest\"])") &&
		if test "$mine" != "$theirs"; then
			echo "$id: digest.py $mine, sup $theirs" >&2
			return 1
		fi &&
		n=$((n + 1)) || return 1
	done &&
	echo "# $n records agree"
'

test_expect_success 'the demo records: signed by both, one disputed, one awaiting Lena' '
	D="$TRASH_DIRECTORY/demo/repo" &&
	sup -C "$D" list --format csv >list &&
	test "$(grep -c ",signed$" list)" -gt 50 &&
	grep -q ",disputed$" list &&
	grep -q ",awaiting lmensah$" list
'

test_expect_success 'git verifies every commit of the demo with sup staff allowed-signers' '
	D="$TRASH_DIRECTORY/demo/repo" &&
	sup -C "$D" staff allowed-signers >signers &&
	for c in $(git -C "$D" rev-list HEAD); do
		git -C "$D" -c gpg.ssh.allowedSignersFile="$TRASH_DIRECTORY/signers" \
			verify-commit "$c" 2>/dev/null || { echo "$c" >&2; return 1; }
	done &&
	git -C "$D" fsck --no-dangling 2>err && test_must_be_empty err
'

test_done
