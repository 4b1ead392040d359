#!/bin/sh
test_description='sup staff, sup case: only an admin may change the registers'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	setup_repo &&
	become jsmith
'

test_expect_success 'a non-admin cannot add staff (exit 1, nothing changes)' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "only an admin may change the staff register; .jsmith. is not an admin" &&
	check_state
'

test_expect_success 'a non-admin cannot make themselves an admin' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff set jsmith --admin 2>err &&
	expect_error staff "only an admin may" &&
	check_state
'

test_expect_success 'a non-admin cannot add a key, even their own' '
	make_ssh_key jsmith-2 &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff key add jsmith "$KEYS/jsmith-2.pub" 2>err &&
	expect_error staff "only an admin may" &&
	check_state
'

test_expect_success 'a non-admin cannot open or close cases' '
	save_state &&
	test_expect_code 1 sup -C "$REPO" case open C-200 --worker jsmith 2>err &&
	expect_error case "only an admin may change the case register; .jsmith. is not an admin" &&
	test_expect_code 1 sup -C "$REPO" case close C-100 2>err &&
	expect_error case "only an admin may" &&
	check_state
'

test_expect_success 'a non-admin may read the registers' '
	sup -C "$REPO" staff list >list &&
	test_grep "^jsmith " list &&
	sup -C "$REPO" case list >list &&
	test_grep "^C-100 " list
'

test_expect_success 'identity by user.email when sup.user is not set' '
	git -C "$REPO" config --unset sup.user &&
	git config --global --unset sup.user &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff ".jsmith. is not an admin" &&
	check_state
'

test_expect_success 'someone not in the register at all: exit 2' '
	git config --global user.email stranger@example.org &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "no one in the staff register has the email .stranger@example.org." &&
	check_state
'

test_expect_success 'sup.user naming someone not in the register: exit 2' '
	git config --global sup.user nobody &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" case open C-200 --worker jsmith 2>err &&
	expect_error case "git config sup.user is .nobody., who is not in the staff register" &&
	check_state
'

test_expect_success 'once made an admin, they may' '
	become akhan &&
	(cd "$REPO" && test_tick && sup staff set jsmith --admin >/dev/null) &&
	become jsmith &&
	(cd "$REPO" && test_tick && sup staff add dnew --name "D New" --role practitioner >/dev/null) &&
	git -C "$REPO" log -1 --format="%an <%ae>|%(trailers:key=Sup-Actor,valueonly,separator=)" >who &&
	echo "Jo Smith <jsmith@example.org>|jsmith" >expect &&
	test_cmp expect who &&
	verify_all_commits
'

test_expect_success 'an admin removed by another admin is refused from then on' '
	become akhan &&
	(cd "$REPO" && test_tick && sup staff set jsmith --no-admin >/dev/null) &&
	become jsmith &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff set dnew --role dsl 2>err &&
	expect_error staff "only an admin may" &&
	check_state
'

test_done
