#!/bin/sh
test_description='sup case import: a caseload export in one commit, or nothing'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	setup_repo &&
	become akhan
'

# 500 cases C-100 ... C-599, alternately bwilson'\''s and jsmith'\''s, every
# seventh on a child protection plan.  C-100 and C-101 are in the register
# already and change (worker, opened).
test_expect_success 'setup: a 500-row caseload export' '
	awk "BEGIN {
		print \"ref,worker,opened,closed,child_protection\"
		for (i = 0; i < 500; i++)
			printf \"C-%d,%s,2026-01-%02d,,%s\n\", 100 + i,
				i % 2 ? \"jsmith\" : \"bwilson\", i % 28 + 1,
				i % 7 ? \"false\" : \"true\"
	}" >caseload.csv &&
	test_line_count = 501 caseload.csv
'

test_expect_success 'import writes 500 files in one signed commit' '
	git -C "$REPO" rev-parse HEAD >before &&
	(cd "$REPO" && test_tick && sup case import "$TRASH_DIRECTORY/caseload.csv") >out &&
	echo "Imported 500 cases (498 new, 2 updated)." >expect &&
	test_cmp expect out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" diff-tree --no-commit-id --name-status -r HEAD >changed &&
	test_line_count = 500 changed &&
	grep -c "^A	cases/" changed >n && echo 498 >expect && test_cmp expect n &&
	grep "^M" changed >m &&
	printf "M\tcases/C-100.yaml\nM\tcases/C-101.yaml\n" >expect &&
	test_cmp expect m &&
	git -C "$REPO" ls-tree --name-only HEAD cases/ >files &&
	test_line_count = 500 files &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: case import 500 cases" >expect &&
	test_cmp expect subject
'

test_expect_success 'the imported files are canonical' '
	cat >expect <<-\EOF &&
	ref: C-107
	worker: jsmith
	opened: 2026-01-08
	closed:
	child_protection: true
	EOF
	git -C "$REPO" show HEAD:cases/C-107.yaml >actual &&
	test_cmp expect actual &&
	test_cmp expect "$REPO/cases/C-107.yaml"
'

test_expect_success 'case list --format csv has 501 lines' '
	sup -C "$REPO" case list --format csv >list.csv &&
	test_line_count = 501 list.csv &&
	head -n 1 list.csv >head &&
	echo "ref,worker,opened,closed,child_protection" >expect &&
	test_cmp expect head &&
	test_grep -x "C-100,bwilson,2026-01-01,,true" list.csv &&
	sup -C "$REPO" case list --worker jsmith --format csv >js.csv &&
	test_line_count = 251 js.csv
'

test_expect_success 'the import commit verifies; the tree is clean' '
	verify_all_commits &&
	git -C "$REPO" status --porcelain --untracked-files=all >status &&
	test_must_be_empty status &&
	git -C "$REPO" fsck --no-progress 2>fsck.err &&
	test_must_be_empty fsck.err
'

test_expect_success 'CRLF line endings and a byte-order mark are accepted' '
	printf "\357\273\277ref,worker,opened,closed,child_protection\r\nX-1,jsmith,2026-05-01,,yes\r\nX-2,bwilson,2026-05-02,2026-05-20,no\r\n" >crlf.csv &&
	(cd "$REPO" && test_tick && sup case import "$TRASH_DIRECTORY/crlf.csv") >out &&
	echo "Imported 2 cases (2 new, 0 updated)." >expect &&
	test_cmp expect out &&
	git -C "$REPO" show HEAD:cases/X-2.yaml >y &&
	test_grep -x "closed: 2026-05-20" y &&
	test_grep -x "child_protection: false" y &&
	! grep -q "$(printf "\r")" y
'

test_expect_success 'columns in any order, optional columns left out' '
	printf "opened,ref,worker\n2026-06-01,Y-1,jsmith\n" >order.csv &&
	(cd "$REPO" && test_tick && sup case import "$TRASH_DIRECTORY/order.csv" >/dev/null) &&
	git -C "$REPO" show HEAD:cases/Y-1.yaml >y &&
	test_grep -x "opened: 2026-06-01" y &&
	test_grep -x "child_protection: false" y
'

# Bad input: "sup case: FILE:LINE:COLUMN: ...", exit 1, nothing changed.
# import_refused FILE PATTERN runs "sup case import ../FILE" in $REPO.
import_refused () {
	save_state &&
	(cd "$REPO" && test_expect_code 1 sup case import "../$1" 2>"$TRASH_DIRECTORY/err") &&
	expect_error case "$2" &&
	check_state
}

test_expect_success 'a date that does not exist' '
	printf "ref,worker,opened\nZ-1,jsmith,2026-01-01\nZ-2,jsmith,2026-02-30\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:3:12: opened: invalid date .2026-02-30." &&
	test_line_count = 1 err
'

test_expect_success 'a case reference with / or ..' '
	printf "ref,worker,opened\n../Z-1,jsmith,2026-01-01\nZ/2,jsmith,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:2:1: .\.\./Z-1. is not a valid case reference" &&
	test_grep "^sup case: \\.\\./bad.csv:3:1: .Z/2. is not a valid case reference" err
'

test_expect_success 'an unknown worker, with a suggestion' '
	printf "ref,worker,opened\nZ-1,jsmith,2026-01-01\nZ-2,jsmiht,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:3:5: case Z-2: unknown staff id .jsmiht. for the worker \(did you mean .jsmith.\?\)"
'

test_expect_success 'an invalid staff id as worker' '
	printf "ref,worker,opened\nZ-1,J Smith,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:2:5: .J Smith. is not a valid staff id"
'

test_expect_success 'child_protection that is not a boolean' '
	printf "ref,worker,opened,child_protection\nZ-1,jsmith,2026-01-01,maybe\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:2:23: child_protection must be true or false, not .maybe."
'

test_expect_success 'every problem is reported at once' '
	printf "ref,worker,opened\nZ-1,jsmith,2026-13-01\nZ/2,jsmith,2026-01-01\nZ-3,jsmith,2026-01-01\nZ-3,jsmith,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:2:12: " &&
	test_grep "^sup case: \\.\\./bad.csv:3:1: " err &&
	test_grep "^sup case: \\.\\./bad.csv:5:1: case Z-3 appears twice" err &&
	test_line_count = 3 err
'

test_expect_success 'an unknown column, and no header row' '
	printf "ref,worker,opend\nZ-1,jsmith,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:1:12: unknown column .opend." &&
	test_grep "^sup case: \\.\\./bad.csv:1:1: the header row has no .opened. column" err &&
	printf "Z-1,jsmith,2026-01-01\n" >nohead.csv &&
	import_refused nohead.csv "^sup case: \\.\\./nohead.csv:1:1: unknown column .Z-1."
'

test_expect_success 'a row with too few fields' '
	printf "ref,worker,opened\nZ-1,jsmith\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:2:1: missing the .opened. field"
'

test_expect_success 'a row with more fields than the header: an unquoted comma' '
	printf "ref,worker,opened\nZ-1,jsmith,2026-01-01\nZ-2,jsmith,2026-01-02,extra\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:3:23: this row has 4 fields and the header row 3: put a value that contains a comma in double quotes" &&
	test_line_count = 1 err &&
	printf "ref,worker,opened\n\"Z-3\",jsmith,2026-01-01\n" >ok.csv &&
	(cd "$REPO" && sup case import ../ok.csv)
'

test_expect_success 'not UTF-8' '
	printf "ref,worker,opened\nZ-1,jsmith,2026-01-01\nZ-\377,jsmith,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:3:3: not valid UTF-8"
'

test_expect_success 'a NUL byte' '
	printf "ref,worker,opened\nZ-1,js\000mith,2026-01-01\n" >bad.csv &&
	import_refused bad.csv "^sup case: \\.\\./bad.csv:2:7: "
'

test_expect_success 'an empty file' '
	: >empty.csv &&
	import_refused empty.csv "^sup case: \\.\\./empty.csv:1:1: empty file"
'

test_expect_success 'a header row and no cases' '
	echo "ref,worker,opened" >hdr.csv &&
	import_refused hdr.csv "^sup case: \\.\\./hdr.csv: no cases in the file"
'

test_expect_success 'a file that does not exist: exit 2' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" case import "$TRASH_DIRECTORY/nonexist.csv" 2>err &&
	expect_error case "nonexist.csv" &&
	check_state
'

test_expect_success 'a non-admin cannot import' '
	become jsmith &&
	import_refused order.csv "only an admin may change the case register" &&
	become akhan
'

test_done
