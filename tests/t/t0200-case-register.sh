#!/bin/sh
test_description='sup case: open, close, set and list cases'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	setup_repo &&
	become akhan
'

test_expect_success 'case open writes cases/REF.yaml in one signed commit' '
	git -C "$REPO" rev-parse HEAD >before &&
	(cd "$REPO" && test_tick && sup case open MOS-20931 --worker bwilson \
		--opened 2026-04-02 --child-protection) >out &&
	echo "Case MOS-20931: opened." >expect &&
	test_cmp expect out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" diff-tree --no-commit-id --name-status -r HEAD >changed &&
	printf "A\tcases/MOS-20931.yaml\n" >expect &&
	test_cmp expect changed &&
	cat >expect <<-\EOF &&
	ref: MOS-20931
	worker: bwilson
	opened: 2026-04-02
	closed:
	child_protection: true
	EOF
	git -C "$REPO" show HEAD:cases/MOS-20931.yaml >actual &&
	test_cmp expect actual &&
	test_cmp expect "$REPO/cases/MOS-20931.yaml" &&
	git -C "$REPO" log -1 --format=%B >msg &&
	printf "sup: case open MOS-20931\n\nSup-Action: case\nSup-Actor: akhan\n\n" >expect &&
	test_cmp expect msg
'

test_expect_success 'case references keep the case system spelling' '
	(cd "$REPO" && test_tick && sup case open lcs.2026_77 --worker jsmith --opened 2026-04-03 >/dev/null) &&
	git -C "$REPO" cat-file -e HEAD:cases/lcs.2026_77.yaml
'

test_expect_success 'opening a case twice is refused (exit 1)' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" case open C-100 --worker jsmith 2>err &&
	expect_error case "case C-100 is already in the register" &&
	check_state
'

test_expect_success 'case open needs --worker (exit 2)' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" case open C-300 2>err &&
	test_grep "^sup case: --worker is needed" err &&
	check_state
'

test_expect_success 'an unknown worker is refused with a suggestion (exit 1)' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" case open C-300 --worker bwilsn 2>err &&
	expect_error case "case C-300: unknown staff id .bwilsn. for the worker \(did you mean .bwilson.\?\)" &&
	check_state
'

test_expect_success 'a case reference with / or .. is refused' '
	save_state &&
	for ref in a/b ../C-1 C..1 .hidden "C 1" -C1; do
		test_expect_code 2 sup -C "$REPO" case open "$ref" --worker jsmith 2>err || return 1
		case "$ref" in
		-*) test_grep "^usage: sup case" err ;;
		*) expect_error case "is not a valid case reference" ;;
		esac || return 1
	done &&
	check_state &&
	test_path_is_missing "$TRASH_DIRECTORY/C-1.yaml" &&
	test_path_is_missing "$REPO/cases/a"
'

test_expect_success 'case close sets the closing date' '
	(cd "$REPO" && test_tick && sup case close C-100 --closed 2026-06-30) >out &&
	echo "Case C-100: closed." >expect &&
	test_cmp expect out &&
	git -C "$REPO" show HEAD:cases/C-100.yaml >y &&
	test_grep -x "closed: 2026-06-30" y &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: case close C-100" >expect &&
	test_cmp expect subject
'

test_expect_success 'closing before opening is refused (exit 1)' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" case close C-101 --closed 2026-01-01 2>err &&
	expect_error case "the closing date is before the case was opened" &&
	check_state
'

test_expect_success 'closing a case not in the register (exit 2)' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" case close C-999 2>err &&
	expect_error case "no case .C-999. in the register" &&
	check_state
'

test_expect_success 'case set reallocates and changes the child protection flag' '
	(cd "$REPO" && test_tick && sup case set C-101 --worker bwilson --no-child-protection) >out &&
	echo "Case C-101: updated." >expect &&
	test_cmp expect out &&
	cat >expect <<-\EOF &&
	ref: C-101
	worker: bwilson
	opened: 2026-03-01
	closed:
	child_protection: false
	EOF
	git -C "$REPO" show HEAD:cases/C-101.yaml >actual &&
	test_cmp expect actual
'

test_expect_success 'case set --closed is a usage error (use close)' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" case set C-101 --closed 2026-07-01 2>err &&
	test_grep "^usage: sup case" err &&
	check_state
'

test_expect_success 'case list: open cases, aligned' '
	sup -C "$REPO" case list >list &&
	cat >expect <<-\EOF &&
	ref          worker   opened      closed  child_protection
	C-101        bwilson  2026-03-01
	MOS-20931    bwilson  2026-04-02          yes
	lcs.2026_77  jsmith   2026-04-03
	EOF
	sed -e "s/ *$//" list >actual &&
	test_cmp expect actual
'

test_expect_success 'case list --all includes closed cases; --worker filters' '
	sup -C "$REPO" case list --all --format csv >all.csv &&
	test_grep -x "C-100,jsmith,2026-02-01,2026-06-30,false" all.csv &&
	sup -C "$REPO" case list --worker jsmith --format csv >js.csv &&
	cat >expect <<-\EOF &&
	ref,worker,opened,closed,child_protection
	lcs.2026_77,jsmith,2026-04-03,,false
	EOF
	test_cmp expect js.csv
'

test_expect_success PYTHON 'case list --format json is valid JSON' '
	sup -C "$REPO" case list --all --format json >list.json &&
	python3 -m json.tool list.json >/dev/null &&
	python3 -c "
import json
d = json.load(open(\"list.json\"))
assert [c[\"ref\"] for c in d] == [\"C-100\", \"C-101\", \"MOS-20931\", \"lcs.2026_77\"], d
assert d[0][\"closed\"] == \"2026-06-30\" and d[1][\"closed\"] is None, d
assert d[2][\"child_protection\"] is True and d[1][\"child_protection\"] is False, d
"
'

test_expect_success 'case list --format csv: header row, one line per case' '
	sup -C "$REPO" case list --format csv >list.csv &&
	head -n 1 list.csv >head &&
	echo "ref,worker,opened,closed,child_protection" >expect &&
	test_cmp expect head &&
	test_line_count = 4 list.csv
'

test_expect_success 'every commit verifies; the tree is clean' '
	verify_all_commits &&
	git -C "$REPO" log --format="%an <%ae>" | sort -u >who &&
	echo "Aisha Khan <akhan@example.org>" >expect &&
	test_cmp expect who &&
	git -C "$REPO" status --porcelain --untracked-files=all >status &&
	test_must_be_empty status &&
	git -C "$REPO" fsck --no-progress 2>fsck.err &&
	test_must_be_empty fsck.err
'

test_done
