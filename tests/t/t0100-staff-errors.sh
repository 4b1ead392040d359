#!/bin/sh
test_description='sup staff: when it cannot run or cannot sign, it says why and changes nothing'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	setup_repo &&
	become akhan
'

test_expect_success 'outside a repository: exit 2' '
	mkdir not-a-repo &&
	(cd not-a-repo && test_expect_code 2 sup staff list 2>../err) &&
	expect_error staff "^sup staff: not a git repository: .*/not-a-repo \(run .sup init. to make one" &&
	(cd not-a-repo && test_expect_code 2 sup case list 2>../err) &&
	expect_error case "not a git repository"
'

test_expect_success 'a repository with no commits: exit 2' '
	git init -q empty &&
	test_expect_code 2 sup -C empty staff list 2>err &&
	expect_error staff "not a sup repository: .*has no commits \(run .sup init.\)"
'

test_expect_success 'a repository without sup.yaml: exit 2, nothing changes' '
	git init -q nosup &&
	echo hello >nosup/README &&
	git -C nosup add README &&
	git -C nosup -c commit.gpgsign=false commit -q -m readme &&
	head=$(git -C nosup rev-parse HEAD) &&
	test_expect_code 2 sup -C nosup staff add dnew --name D --role practitioner 2>err &&
	expect_error staff "not a sup repository: sup.yaml is missing" &&
	test "$(git -C nosup rev-parse HEAD)" = "$head" &&
	git -C nosup status --porcelain >status &&
	test_must_be_empty status
'

test_expect_success 'a bare repository is refused' '
	git clone -q --bare "$REPO" bare.git &&
	test_expect_code 2 sup -C bare.git staff list 2>err &&
	expect_error staff "a bare repository has no working tree"
'

test_expect_success 'no signing key configured: exit 2, nothing changes' '
	git config --global --unset user.signingkey &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "no signing key: gpg.format is ssh but user.signingkey is not set" &&
	check_state
'

test_expect_success 'a signing key that cannot be read: exit 2' '
	git config --global user.signingkey "$KEYS/no-such-key" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "no signing key: user.signingkey names .*no-such-key., which cannot be read" &&
	check_state
'

test_expect_success 'an unsupported gpg.format: exit 2' '
	become akhan &&
	git config --global gpg.format x509 &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "gpg.format .x509. is not supported" &&
	check_state
'

test_expect_success 'a key not in the register: exit 2, HEAD unchanged' '
	make_ssh_key stranger &&
	become akhan stranger &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	fpr=$(ssh-keygen -l -E sha256 -f "$KEYS/stranger.pub" | cut -d" " -f2) &&
	expect_error staff "the signing key SHA256:.* is not one of akhan.s registered keys" &&
	test_grep -F "the signing key $fpr is not" err &&
	check_state &&
	test_path_is_missing "$REPO/staff/dnew.yaml"
'

test_expect_success 'someone else'\''s registered key: exit 2, HEAD unchanged' '
	become akhan jsmith &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "belongs to .jsmith., not to .akhan." &&
	check_state
'

test_expect_success 'ssh-keygen failing: exit 2 with its message, nothing changes' '
	become akhan &&
	cat >"$TRASH_DIRECTORY/failing-keygen" <<-\EOF &&
	#!/bin/sh
	echo "sign_and_send_pubkey: signing failed for ED25519: agent refused operation" >&2
	exit 1
	EOF
	chmod +x "$TRASH_DIRECTORY/failing-keygen" &&
	git config --global gpg.ssh.program "$TRASH_DIRECTORY/failing-keygen" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "signing failed: .*failing-keygen exited with status 1: sign_and_send_pubkey: signing failed for ED25519: agent refused operation" &&
	check_state &&
	git config --global --unset gpg.ssh.program
'

test_expect_success 'a gpg.ssh.program that does not exist: exit 2' '
	git config --global gpg.ssh.program "$TRASH_DIRECTORY/no-such-program" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	expect_error staff "no-such-program" &&
	check_state &&
	git config --global --unset gpg.ssh.program
'

test_expect_success 'the index lock held by another process: exit 2 after waiting' '
	save_state &&
	: >"$REPO/.git/index.lock" &&
	start=$(date +%s) &&
	test_expect_code 2 sup -C "$REPO" staff add dnew --name "D New" --role practitioner 2>err &&
	end=$(date +%s) &&
	test $((end - start)) -ge 1 &&
	expect_error staff "index.lock: another git process seems to be running" &&
	rm "$REPO/.git/index.lock" &&
	check_state
'

test_expect_success 'after the lock is released, the same command works' '
	(cd "$REPO" && test_tick && sup staff add dnew --name "D New" --role practitioner >/dev/null) &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: staff add dnew" >expect &&
	test_cmp expect subject &&
	test_path_is_missing "$REPO/.git/index.lock"
'

test_expect_success 'uncommitted work in the file to be written is not overwritten' '
	echo "# my notes" >>"$REPO/staff/dnew.yaml" &&
	cp "$REPO/staff/dnew.yaml" notes &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" staff set dnew --role dsl 2>err &&
	expect_error staff "staff/dnew.yaml: has uncommitted changes" &&
	check_state &&
	test_cmp notes "$REPO/staff/dnew.yaml" &&
	git -C "$REPO" checkout -- staff/dnew.yaml
'

test_expect_success 'uncommitted work elsewhere is left alone' '
	echo "# my notes" >>"$REPO/staff/jsmith.yaml" &&
	echo scratch >"$REPO/scratch.txt" &&
	(cd "$REPO" && test_tick && sup staff set dnew --role dsl >/dev/null) &&
	git -C "$REPO" status --porcelain >status &&
	printf " M staff/jsmith.yaml\n?? scratch.txt\n" >expect &&
	test_cmp expect status &&
	git -C "$REPO" checkout -- staff/jsmith.yaml &&
	rm "$REPO/scratch.txt"
'

test_expect_success 'a detached HEAD is refused: exit 2' '
	git -C "$REPO" checkout -q --detach &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff set dnew --role practitioner 2>err &&
	expect_error staff "HEAD is detached" &&
	check_state &&
	git -C "$REPO" checkout -q -
'

test_expect_success 'usage errors: exit 2' '
	test_expect_code 2 sup -C "$REPO" staff 2>err &&
	test_grep "^usage: sup staff add" err &&
	test_expect_code 2 sup -C "$REPO" staff frobnicate 2>err &&
	test_grep "^sup staff: unknown subcommand .frobnicate." err &&
	test_expect_code 2 sup -C "$REPO" staff key add jsmith 2>err &&
	test_grep "^usage: sup staff" err &&
	test_expect_code 2 sup -C "$REPO" staff add "J Smith" --name X --role dsl 2>err &&
	test_grep "^sup staff: .J Smith. is not a valid staff id" err &&
	sup -C "$REPO" staff --help >out &&
	test_grep "^usage: sup staff add" out
'

test_expect_success 'all the while, every commit verifies' '
	verify_all_commits &&
	ls "$TMPDIR" >tmpfiles &&
	test_must_be_empty tmpfiles
'

test_done
