#!/bin/sh
test_description='register and policy files that are not what sup writes: refused with file:line:column'

# sup writes only canonical YAML, so bad files get into the repository by
# hand: a plain (unsigned) git commit of an edited file.  Reading commands
# must then refuse with "sup COMMAND: FILE:LINE:COLUMN: ...", exit 1
# (input refused), and leave the repository as it was.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	setup_repo &&
	become akhan &&
	git -C "$REPO" rev-parse HEAD >good
'

# hand_edit FILE: commit stdin as FILE in $REPO with plain git, on top of
# the good state; then save the state for check_state.
hand_edit () {
	git -C "$REPO" reset -q --hard "$(cat "$TRASH_DIRECTORY/good")" &&
	mkdir -p "$(dirname "$REPO/$1")" &&
	cat >"$REPO/$1" &&
	git -C "$REPO" add "$1" &&
	git_commit_unsigned "hand edit of $1" &&
	save_state
}

# refused CMD PATTERN [NLINES]: "sup CMD list" exits 1, stderr lines all
# start "sup CMD: " and match PATTERN (first line), NLINES of them (1).
refused () {
	test_expect_code 1 sup -C "$REPO" "$1" list 2>err &&
	expect_error "$1" "$2" &&
	head -n 1 err >first &&
	test_grep -E "$2" first &&
	test_line_count = "${3:-1}" err &&
	check_state
}

jsmith () {
	git -C "$REPO" show "$(cat "$TRASH_DIRECTORY/good"):staff/jsmith.yaml"
}

test_expect_success 'the good register reads' '
	sup -C "$REPO" staff list >out &&
	test_grep "^jsmith " out
'

test_expect_success 'invalid YAML' '
	jsmith | sed -e "s/^name: .*/name: [Jo Smith/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:3:6: did not find expected"
'

test_expect_success 'a duplicate key' '
	jsmith | sed -e "s/^role: .*/role: practitioner\nrole: dsl/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:5:1: duplicate key .role. \(first at line 4\)$"
'

test_expect_success 'an anchor and an alias' '
	jsmith | sed -e "s/^name: .*/name: \&n Jo Smith/" -e "s/^email: .*/email: *n/" |
	hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:2:7: anchors are not allowed"
'

test_expect_success 'an alias' '
	jsmith | sed -e "s/^email: .*/email: *n/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:3:8: aliases are not allowed"
'

test_expect_success 'a tab in the indentation' '
	jsmith | sed -e "s/^  - /	- /" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:13:1: tab character in indentation"
'

test_expect_success 'a date that does not exist: 2026-02-30' '
	jsmith | sed -e "s/^started: .*/started: 2026-02-30/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:5:10: .started.: invalid date .2026-02-30."
'

test_expect_success 'an unknown staff id in supervisor:' '
	jsmith | sed -e "s/^supervisor: .*/supervisor: akhn/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:7:13: unknown staff id .akhn. \(did you mean .akhan.\?\)$"
'

test_expect_success 'a role that sup.yaml does not schedule' '
	jsmith | sed -e "s/^role: .*/role: wizard/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:4:7: unknown role .wizard. \(sup.yaml frequency has: practitioner, dsl, manager, student, asye\)$"
'

test_expect_success 'an id that does not match the file name' '
	jsmith | sed -e "s/^id: .*/id: jsmith2/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:1:5: id .jsmith2. does not match the file name"
'

test_expect_success 'an unknown key, with the position of the key' '
	{ jsmith && echo "colour: blue"; } | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:14:1: unknown key .colour."
'

test_expect_success 'a key that is not a public key' '
	jsmith | sed -e "s/^  - ssh-ed25519 .*/  - ssh-ed25519 notakey/" | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:13:5: "
'

test_expect_success 'several problems in one file are reported together' '
	jsmith | sed -e "s/^started: .*/started: 2026-02-30/" -e "s/^admin: .*/admin: maybe/" |
	hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:5:10: " 2 &&
	test_grep "^sup staff: staff/jsmith.yaml:8:8: .admin. must be true or false" err
'

test_expect_success 'nesting deeper than 16 levels' '
	{
		jsmith | sed -e "/^absences:/d" &&
		echo "absences:" &&
		i=1 && while test $i -le 20; do
			printf "%*s- \n" $((i * 2)) "" && i=$((i + 1)) || return 1
		done
	} | hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:[0-9]+:[0-9]+: nesting deeper than 16 levels"
'

test_expect_success 'a file over 1 MiB' '
	{
		jsmith &&
		awk "BEGIN { for (i = 0; i < 20000; i++) printf \"# padding %060d\n\", i }"
	} | hand_edit staff/jsmith.yaml &&
	test "$(wc -c <"$REPO/staff/jsmith.yaml")" -gt 1048576 &&
	refused staff "^sup staff: staff/jsmith.yaml: file is larger than 1 MiB"
'

test_expect_success 'a NUL byte' '
	jsmith | sed -e "s/^role: .*/role: pr%ctitioner/" | tr "%" "\000" |
	hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:4:9: NUL byte in file"
'

test_expect_success 'not UTF-8' '
	jsmith | sed -e "s/^name: .*/name: Jo Sm%th/" | tr "%" "\377" |
	hand_edit staff/jsmith.yaml &&
	refused staff "^sup staff: staff/jsmith.yaml:2:12: not valid UTF-8"
'

test_expect_success 'CRLF line endings are accepted' '
	jsmith | sed -e "s/\$/$(printf "\r")/" | hand_edit staff/jsmith.yaml &&
	grep -q "$(printf "\r")" "$REPO/staff/jsmith.yaml" &&
	sup -C "$REPO" staff list --format csv >list &&
	test_grep -x "jsmith,Jo Smith,practitioner,akhan,2026-01-05,,false,false" list &&
	sup -C "$REPO" staff show jsmith >show &&
	test_grep -x "email: jsmith@example.org" show
'

test_expect_success 'a CRLF file is rewritten canonically by the next change' '
	(cd "$REPO" && test_tick && sup staff set jsmith --trained 2026-03-03 >/dev/null) &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	! grep -q "$(printf "\r")" y &&
	test_grep -x "supervisor_trained: 2026-03-03" y &&
	git -C "$REPO" status --porcelain >status &&
	test_must_be_empty status
'

test_expect_success 'a bad register file blocks every command, writes too' '
	jsmith | sed -e "s/^started: .*/started: 2026-02-30/" | hand_edit staff/jsmith.yaml &&
	test_expect_code 1 sup -C "$REPO" case open C-900 --worker bwilson 2>err &&
	expect_error case "^sup case: staff/jsmith.yaml:5:10: " &&
	test_expect_code 1 sup -C "$REPO" staff add dnew --name D --role dsl 2>err &&
	expect_error staff "^sup staff: staff/jsmith.yaml:5:10: " &&
	check_state
'

test_expect_success 'a bad case file: unknown worker' '
	git -C "$REPO" show "$(cat good):cases/C-100.yaml" |
	sed -e "s/^worker: .*/worker: nobody/" | hand_edit cases/C-100.yaml &&
	refused case "^sup case: cases/C-100.yaml:2:9: unknown staff id .nobody.$"
'

test_expect_success 'a bad case file: a reference with ..' '
	git -C "$REPO" show "$(cat good):cases/C-100.yaml" |
	sed -e "s/^ref: .*/ref: C..100/" | hand_edit cases/C..100.yaml &&
	refused case "^sup case: cases/C..100.yaml:1:6: .C..100. is not a valid case reference"
'

test_expect_success 'a bad case file: closed before opened' '
	git -C "$REPO" show "$(cat good):cases/C-100.yaml" |
	sed -e "s/^closed:.*/closed: 2025-01-01/" | hand_edit cases/C-100.yaml &&
	refused case "^sup case: cases/C-100.yaml:4:9: .closed. is before .opened."
'

policy () {
	git -C "$REPO" show "$(cat "$TRASH_DIRECTORY/good"):sup.yaml"
}

test_expect_success 'sup.yaml: a malformed duration' '
	policy | sed -e "s/^  dsl: .*/  dsl: 6 fortnights/" | hand_edit sup.yaml &&
	line=$(grep -n "^  dsl:" "$REPO/sup.yaml" | cut -d: -f1) &&
	refused staff "^sup staff: sup.yaml:$line:8: .dsl.: invalid duration .6 fortnights."
'

test_expect_success 'sup.yaml: an unknown holiday set' '
	policy | sed -e "s/^holidays: .*/holidays: narnia/" | hand_edit sup.yaml &&
	line=$(grep -n "^holidays:" "$REPO/sup.yaml" | cut -d: -f1) &&
	refused staff "^sup staff: sup.yaml:$line:11: unknown holiday set .narnia."
'

test_expect_success 'sup.yaml: phases with no final open phase' '
	policy | sed -e "s/{every: 2 weeks}/{until: 3 months, every: 2 weeks}/" | hand_edit sup.yaml &&
	line=$(grep -n "^  student:" "$REPO/sup.yaml" | cut -d: -f1) &&
	refused case "^sup case: sup.yaml:$line:[0-9]+: the last phase of .student. must be open-ended"
'

test_expect_success 'sup.yaml: a duplicate key' '
	{ policy && echo "functions_window: 4"; } | hand_edit sup.yaml &&
	refused staff "^sup staff: sup.yaml:[0-9]+:1: duplicate key .functions_window."
'

test_expect_success 'sup.yaml removed: not a sup repository (exit 2)' '
	git -C "$REPO" reset -q --hard "$(cat good)" &&
	git -C "$REPO" rm -q sup.yaml &&
	git_commit_unsigned "no policy" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff list 2>err &&
	expect_error staff "^sup staff: not a sup repository: sup.yaml is missing" &&
	check_state
'

test_done
