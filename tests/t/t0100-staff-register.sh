#!/bin/sh
test_description='sup staff: an admin keeps the register, every change a signed commit'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: a repository with staff and cases' '
	setup_repo &&
	git -C "$REPO" rev-list HEAD >commits &&
	test_line_count = 5 commits
'

test_expect_success 'staff add writes staff/ID.yaml in one signed commit' '
	make_ssh_key cdavies &&
	git -C "$REPO" rev-parse HEAD >before &&
	(cd "$REPO" && sup staff add cdavies --name "Cai Davies" --role student \
		--email cdavies@example.org --supervisor jsmith --started 2026-09-01 \
		--trained 2025-03-10 --key "$KEYS/cdavies.pub") >out &&
	echo "Added cdavies." >expect &&
	test_cmp expect out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" diff-tree --no-commit-id --name-status -r HEAD >changed &&
	printf "A\tstaff/cdavies.yaml\n" >expect &&
	test_cmp expect changed &&
	cat >expect <<-EOF &&
	id: cdavies
	name: Cai Davies
	email: cdavies@example.org
	role: student
	started: 2026-09-01
	left:
	supervisor: jsmith
	admin: false
	auditor: false
	supervisor_trained: 2025-03-10
	absences: []
	keys:
	  - $(cat "$KEYS/cdavies.pub")
	EOF
	git -C "$REPO" show HEAD:staff/cdavies.yaml >actual &&
	test_cmp expect actual &&
	test_cmp expect "$REPO/staff/cdavies.yaml"
'

test_expect_success 'the commit message: subject and trailers' '
	git -C "$REPO" log -1 --format=%B >msg &&
	cat >expect <<-\EOF &&
	sup: staff add cdavies

	Sup-Action: staff
	Sup-Actor: akhan

	EOF
	test_cmp expect msg
'

test_expect_success 'staff add of an existing id is refused (exit 1)' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff add jsmith --name X --role practitioner 2>err &&
	expect_error staff "already in the register" &&
	check_state
'

test_expect_success 'staff add with an unknown role is refused (exit 1)' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff add dnew --name "D New" --role wizard 2>err &&
	expect_error staff "unknown role .wizard. \(sup.yaml has: practitioner, dsl, manager, student, asye\)" &&
	check_state
'

test_expect_success 'staff add with an unknown supervisor suggests the nearest id' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff add dnew --name "D New" \
		--role practitioner --supervisor jsmth 2>err &&
	expect_error staff "unknown staff id .jsmth. for --supervisor \(did you mean .jsmith.\?\)" &&
	check_state
'

test_expect_success 'staff add without --name or --role is a usage error (exit 2)' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --role practitioner 2>err &&
	test_grep "^sup staff: --name and --role are needed" err &&
	check_state
'

test_expect_success 'staff set changes fields, keeps the rest' '
	(cd "$REPO" && test_tick && sup staff set jsmith --role asye \
		--phase-start 2026-01-05 --trained 2026-02-02) >out &&
	echo "Updated jsmith." >expect &&
	test_cmp expect out &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: staff set jsmith" >expect &&
	test_cmp expect subject &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	test_grep -x "role: asye" y &&
	test_grep -x "phase_start: 2026-01-05" y &&
	test_grep -x "supervisor_trained: 2026-02-02" y &&
	test_grep -x "name: Jo Smith" y &&
	test_grep -x "supervisor: akhan" y
'

test_expect_success 'staff set of someone not in the register suggests the nearest' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff set jsmiht --role dsl 2>err &&
	expect_error staff "no staff member .jsmiht. \(did you mean .jsmith.\?\)" &&
	check_state
'

test_expect_success 'nobody may supervise themselves' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff set jsmith --supervisor jsmith 2>err &&
	expect_error staff "cannot supervise themselves" &&
	check_state
'

test_expect_success 'staff key add adds a second key' '
	make_ssh_key jsmith-laptop &&
	(cd "$REPO" && test_tick && sup staff key add jsmith "$KEYS/jsmith-laptop.pub") &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: staff key add jsmith" >expect &&
	test_cmp expect subject &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	test_grep -F "  - $(cat "$KEYS/jsmith.pub")" y &&
	test_grep -F "  - $(cat "$KEYS/jsmith-laptop.pub")" y &&
	sup -C "$REPO" staff allowed-signers >as &&
	test_grep -c "^jsmith@example.org " as >n &&
	echo 2 >expect &&
	test_cmp expect n
'

test_expect_success 'staff key add of a key already there is refused' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff key add jsmith "$(cat "$KEYS/jsmith-laptop.pub")" 2>err &&
	expect_error staff "jsmith already has that key" &&
	check_state
'

test_expect_success 'staff key add of something that is not a key is refused' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff key add jsmith "ssh-ed25519 AAAAnotbase64!" 2>err &&
	expect_error staff "give a public key line" &&
	check_state
'

test_expect_success 'staff key remove by comment' '
	(cd "$REPO" && test_tick && sup staff key remove jsmith jsmith-laptop@test) &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: staff key remove jsmith" >expect &&
	test_cmp expect subject &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	test_grep ! -F "jsmith-laptop@test" y &&
	test_grep -F "$(cat "$KEYS/jsmith.pub")" y
'

test_expect_success 'staff key remove by fingerprint' '
	(cd "$REPO" && test_tick &&
	 sup staff key add jsmith "$KEYS/jsmith-laptop.pub" >/dev/null &&
	 test_tick &&
	 fpr=$(ssh-keygen -l -E sha256 -f "$KEYS/jsmith-laptop.pub" | cut -d" " -f2) &&
	 sup staff key remove jsmith "$fpr") &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	test_grep ! -F "jsmith-laptop@test" y
'

test_expect_success 'staff key remove of an unknown key is refused' '
	save_state &&
	test_must_fail sup -C "$REPO" staff key remove jsmith nosuch@test 2>err &&
	expect_error staff "jsmith has no key .nosuch@test." &&
	check_state
'

test_expect_success 'the last key of an admin cannot be removed' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff key remove akhan akhan@test 2>err &&
	expect_error staff "akhan is an admin and this is their only key" &&
	check_state
'

test_expect_success 'staff absence records a long absence' '
	(cd "$REPO" && test_tick &&
	 sup staff absence bwilson --from 2026-04-01 --to 2026-07-31 --reason "maternity leave") &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: staff absence bwilson" >expect &&
	test_cmp expect subject &&
	git -C "$REPO" show HEAD:staff/bwilson.yaml >y &&
	test_grep -x "  - {from: 2026-04-01, to: 2026-07-31, reason: maternity leave}" y
'

test_expect_success 'an overlapping or backwards absence is refused' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff absence bwilson --from 2026-07-01 --to 2026-08-31 2>err &&
	expect_error staff "overlaps an absence already recorded for bwilson" &&
	test_expect_code 1 sup -C "$REPO" staff absence bwilson --from 2026-10-01 --to 2026-09-01 2>err &&
	expect_error staff "ends before it starts" &&
	check_state
'

test_expect_success 'a date that does not exist is a usage error' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff absence bwilson --from 2026-02-30 --to 2026-03-01 2>err &&
	test_grep "^sup staff: --from: " err &&
	check_state
'

test_expect_success 'staff set --left: leavers drop out of the list, not of --all' '
	(cd "$REPO" && test_tick && sup staff set cdavies --left 2026-10-01 >/dev/null) &&
	sup -C "$REPO" staff list >list &&
	test_grep ! "^cdavies " list &&
	sup -C "$REPO" staff list --all >list &&
	test_grep "^cdavies " list
'

test_expect_success 'staff list: an aligned table' '
	sup -C "$REPO" staff list --all >list &&
	head -n 1 list >head &&
	test_grep -E "^id +name +role +supervisor +started +left +admin +auditor$" head &&
	test_grep -E "^akhan +Aisha Khan +manager +[0-9-]+ +yes$" list &&
	test_grep -E "^jsmith +Jo Smith +asye +akhan +2026-01-05$" list &&
	test_line_count = 5 list
'

test_expect_success PYTHON 'staff list --format json is one valid JSON document' '
	sup -C "$REPO" staff list --all --format json >list.json &&
	python3 -m json.tool list.json >/dev/null &&
	python3 -c "
import json, sys
d = json.load(open(\"list.json\"))
ids = [p[\"id\"] for p in d]
assert ids == [\"akhan\", \"bwilson\", \"cdavies\", \"jsmith\"], ids
j = d[3]
assert j[\"email\"] == \"jsmith@example.org\" and j[\"supervisor\"] == \"akhan\", j
assert j[\"admin\"] is False and d[0][\"admin\"] is True, d
assert d[2][\"left\"] == \"2026-10-01\", d[2]
"
'

test_expect_success 'staff list --format csv has a header row' '
	sup -C "$REPO" staff list --all --format csv >list.csv &&
	head -n 1 list.csv >head &&
	echo "id,name,role,supervisor,started,left,admin,auditor" >expect &&
	test_cmp expect head &&
	test_line_count = 5 list.csv &&
	test_grep -x "jsmith,Jo Smith,asye,akhan,2026-01-05,,false,false" list.csv
'

test_expect_success 'staff list --format with an unknown format is a usage error' '
	test_expect_code 2 sup -C "$REPO" staff list --format xml 2>err &&
	test_grep "^usage: sup staff" err
'

test_expect_success 'staff show prints the canonical file and key fingerprints' '
	sup -C "$REPO" staff show jsmith >show &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	head -n "$(wc -l <y)" show >top &&
	test_cmp y top &&
	fpr=$(ssh-keygen -l -E sha256 -f "$KEYS/jsmith.pub" | cut -d" " -f2) &&
	test_grep -x "#   $fpr jsmith@test" show
'

test_expect_success 'every commit verifies with stock git verify-commit' '
	git -C "$REPO" rev-list HEAD >commits &&
	test_line_count -gt 12 commits &&
	verify_all_commits
'

test_expect_success 'every commit: author and committer are the register entry of the actor' '
	git -C "$REPO" log --format="%an <%ae>|%cn <%ce>|%(trailers:key=Sup-Actor,valueonly,separator=)" >who &&
	sort -u who >uniq &&
	echo "Aisha Khan <akhan@example.org>|Aisha Khan <akhan@example.org>|akhan" >expect &&
	test_cmp expect uniq
'

test_expect_success 'commit dates come from GIT_COMMITTER_DATE (test_tick)' '
	git -C "$REPO" log --format=%ct >dates &&
	awk "\$1 < 1767225600 || \$1 > 1767235600 { bad = 1 } END { exit bad }" dates &&
	sort -n dates | head -n 1 >first &&
	echo 1767225600 >expect &&
	test_cmp expect first
'

test_expect_success 'the repository is clean and fsck is happy' '
	git -C "$REPO" status --porcelain --untracked-files=all >status &&
	test_must_be_empty status &&
	git -C "$REPO" fsck --no-progress >fsck.out 2>fsck.err &&
	test_must_be_empty fsck.err &&
	ls "$TMPDIR" >tmpfiles &&
	test_must_be_empty tmpfiles
'

test_done
