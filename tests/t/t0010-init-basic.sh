#!/bin/sh
test_description='sup init: a new repository with its first admin and a signed root commit'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: a key for the first admin' '
	make_ssh_key akhan &&
	become akhan
'

test_expect_success 'missing options are a usage error' '
	test_expect_code 2 sup init "$REPO" --org Example --admin akhan 2>err &&
	test_grep "^sup init: --org, --admin, --name, --email and --key are all needed" err &&
	test_grep "^usage: sup init" err &&
	test_path_is_missing "$REPO"
'

test_expect_success 'an invalid admin id is refused' '
	test_expect_code 2 sup init "$REPO" --org Example --admin "A Khan" \
		--name "Aisha Khan" --email akhan@example.org --key "$KEYS/akhan.pub" 2>err &&
	test_grep "^sup init: .A Khan. is not a valid staff id" err &&
	test_path_is_missing "$REPO/.git"
'

test_expect_success 'a key that is not a public key is refused' '
	echo "not a key" >bad.pub &&
	test_expect_code 1 sup init "$REPO" --org Example --admin akhan \
		--name "Aisha Khan" --email akhan@example.org --key bad.pub 2>err &&
	test_grep "^sup init: .bad.pub.: " err &&
	test_path_is_missing "$REPO/.git"
'

test_expect_success 'sup init makes a repository' '
	sup init "$REPO" --org "Example Children'\''s Services" --admin akhan \
		--name "Aisha Khan" --email akhan@example.org \
		--key "$KEYS/akhan.pub" >out &&
	test_grep "^Initialised sup repository for Example Children.s Services" out &&
	test -d "$REPO/.git" &&
	git -C "$REPO" rev-parse --verify HEAD >head &&
	test_line_count = 1 head
'

test_expect_success 'sup.yaml and staff/akhan.yaml are committed, nothing else' '
	git -C "$REPO" ls-tree -r --name-only HEAD >files &&
	printf "%s\n" staff/akhan.yaml sup.yaml >expect &&
	test_cmp expect files &&
	git -C "$REPO" show HEAD:sup.yaml >sup.yaml &&
	test_grep "^organisation: Example Children'\''s Services\$" sup.yaml &&
	test_grep "^frequency:" sup.yaml &&
	git -C "$REPO" show HEAD:staff/akhan.yaml >akhan.yaml &&
	test_grep "^id: akhan$" akhan.yaml &&
	test_grep "^name: Aisha Khan$" akhan.yaml &&
	test_grep "^email: akhan@example.org$" akhan.yaml &&
	test_grep "^role: manager$" akhan.yaml &&
	test_grep "^admin: true$" akhan.yaml &&
	test_grep "^  - $(cut -d" " -f1-2 "$KEYS/akhan.pub")" akhan.yaml
'

test_expect_success 'the working tree matches the commit' '
	git -C "$REPO" status --porcelain --untracked-files=all >status &&
	test_must_be_empty status &&
	git -C "$REPO" diff --exit-code HEAD
'

test_expect_success 'the root commit: message, trailers, author' '
	git -C "$REPO" rev-list HEAD >commits &&
	test_line_count = 1 commits &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: init Example Children'\''s Services" >expect &&
	test_cmp expect subject &&
	git -C "$REPO" log -1 --format="%(trailers:key=Sup-Action,valueonly)" >action &&
	test_grep -x "init" action &&
	git -C "$REPO" log -1 --format="%(trailers:key=Sup-Actor,valueonly)" >actor &&
	test_grep -x "akhan" actor &&
	git -C "$REPO" log -1 --format="%an <%ae>|%cn <%ce>|%at|%ct" >who &&
	echo "Aisha Khan <akhan@example.org>|Aisha Khan <akhan@example.org>|$test_tick|$test_tick" >expect &&
	test_cmp expect who
'

test_expect_success 'the root commit verifies with stock git verify-commit' '
	sup -C "$REPO" staff allowed-signers >allowed &&
	echo "akhan@example.org namespaces=\"git\" $(cut -d" " -f1-2 "$KEYS/akhan.pub")" >expect &&
	test_cmp expect allowed &&
	git -C "$REPO" -c gpg.ssh.allowedSignersFile="$TRASH_DIRECTORY/allowed" \
		verify-commit HEAD 2>verify &&
	test_grep "Good \"git\" signature for akhan@example.org" verify
'

test_expect_success 'git fsck finds nothing wrong' '
	git -C "$REPO" fsck --strict --no-progress >fsck.out 2>fsck.err &&
	test_must_be_empty fsck.err &&
	test_grep ! -i -E "error|missing|broken|dangling" fsck.out
'

test_expect_success 'the first admin is sup.user in the repository' '
	git -C "$REPO" config --local sup.user >user &&
	echo akhan >expect &&
	test_cmp expect user
'

test_expect_success 'init twice is refused and changes nothing' '
	save_state &&
	test_expect_code 1 sup init "$REPO" --org Other --admin other \
		--name Other --email other@example.org --key "$KEYS/akhan.pub" 2>err &&
	test_grep "^sup init: .*already holds a repository" err &&
	check_state
'

test_expect_success 'init in the current directory' '
	mkdir here &&
	(cd here && sup init --org Here --admin akhan --name "Aisha Khan" \
		--email akhan@example.org --key "$(cat "$KEYS/akhan.pub")" >/dev/null) &&
	git -C here ls-tree -r --name-only HEAD >files &&
	test_grep -x "staff/akhan.yaml" files
'

test_expect_success 'an unknown --role is refused' '
	test_expect_code 2 sup init norole --org X --admin akhan --name A \
		--email a@example.org --key "$KEYS/akhan.pub" --role wizard 2>err &&
	test_grep "^sup init: unknown role .wizard." err &&
	test_path_is_missing norole/.git
'

test_done
