#!/bin/sh
test_description='signature verdicts: sup against stock git verify-commit on a corpus of commits'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"

# Each commit of the corpus adds one sign-off to its own record, so that
# sup's verdict on it is the "signature" of that party in
# `sup show --format json`.  git's verdict is `git verify-commit` with the
# register's allowed signers (sup staff allowed-signers) for SSH, and the
# test's GNUPGHOME keyring for OpenPGP.  The table is printed at the end.
#
# people: akhan (admin, ed25519), jsmith (ed25519), ecarter (ecdsa
# nistp256), rpatel (rsa 3072), dlee (OpenPGP); keys nobody registered:
# mallory (ssh), eve (OpenPGP, in the keyring git uses).

# corpus CASE RECORD PARTY SUP-EXPECTED GIT-EXPECTED WHY: read both verdicts
# on the commit that added PARTY's sign-off to RECORD, check them, and add
# the row to the table.
corpus () {
	show_json "$2" j &&
	sup_v=$(json_get j "party(d, \"$3\")[\"signature\"]") &&
	commit=$(json_get j "party(d, \"$3\")[\"commit\"]") &&
	test "$commit" = "$(git -C "$REPO" rev-parse HEAD)" &&
	git_v=$(git_verdict "$commit") &&
	echo "sup: $sup_v; git: $git_v: $(cat "$TRASH_DIRECTORY/.git-verify")" &&
	test "$sup_v" = "$4" &&
	test "$git_v" = "$5" &&
	verdict_row "$1" "$sup_v" "$git_v" "$6"
}

test_expect_success 'setup: the register, with keys of every kind' '
	setup_repo &&
	make_key_type ecdsa256 ecarter &&
	make_key_type rsa3072 rpatel &&
	make_ssh_key mallory &&
	(cd "$REPO" &&
	 test_tick &&
	 sup staff add ecarter --name "Em Carter" --role practitioner \
		--email ecarter@example.org --supervisor akhan --started 2026-01-05 \
		--key "$KEYS/ecarter.pub" &&
	 test_tick &&
	 sup staff add rpatel --name "Raj Patel" --role practitioner \
		--email rpatel@example.org --supervisor akhan --started 2026-01-05 \
		--key "$KEYS/rpatel.pub") >/dev/null &&
	git -C "$REPO" show HEAD:staff/ecarter.yaml | test_grep "ecdsa-sha2-nistp256 " - &&
	git -C "$REPO" show HEAD:staff/rpatel.yaml | test_grep "ssh-rsa " - &&
	allowed_signers &&
	test_line_count = 5 "$TRASH_DIRECTORY/allowed_signers"
'

test_expect_success GPG 'setup: dlee signs with OpenPGP; eve is only in the keyring' '
	mkdir -m 700 "$GNUPGHOME" &&
	gpg --batch --passphrase "" --quick-gen-key "Dana Lee <dlee@example.org>" ed25519 sign never 2>/dev/null &&
	gpg --batch --passphrase "" --quick-gen-key "Eve Example <eve@example.org>" ed25519 sign never 2>/dev/null &&
	gpg --batch --with-colons --list-secret-keys dlee@example.org | awk -F: "/^fpr:/ { print \$10; exit }" >dlee.fpr &&
	gpg --batch --with-colons --list-secret-keys eve@example.org | awk -F: "/^fpr:/ { print \$10; exit }" >eve.fpr &&
	gpg --batch --armor --export dlee@example.org >dlee.asc &&
	become akhan &&
	(cd "$REPO" && test_tick &&
	 sup staff add dlee --name "Dana Lee" --role practitioner \
		--email dlee@example.org --supervisor akhan --started 2026-01-05 \
		--key "$TRASH_DIRECTORY/dlee.asc") >/dev/null
'
test_have_prereq GPG && test -s "$TRASH_DIRECTORY/dlee.fpr" && test_set_prereq GPGSETUP

# One record per case, recorded by akhan; jsmith is the supervisee unless
# the case is about another person's key.
test_expect_success 'setup: the records' '
	become akhan &&
	for n in 01 02 03 04 05 06 07 08 09 10 11 12; do
		new_session 2026-02-$n-jsmith 2026-02-$n akhan jsmith C-100 C-101 || return 1
	done &&
	new_session 2026-02-13-ecarter 2026-02-13 akhan ecarter &&
	new_session 2026-02-14-rpatel 2026-02-14 akhan rpatel &&
	if test_have_prereq GPGSETUP; then
		new_session 2026-02-15-dlee 2026-02-15 akhan dlee &&
		new_session 2026-02-16-dlee 2026-02-16 akhan dlee
	fi
'

test_expect_success 'good: ed25519, sup sign by jsmith' '
	sign_as jsmith 2026-02-01-jsmith >/dev/null &&
	corpus "good ssh-ed25519" 2026-02-01-jsmith jsmith good good "agree" &&
	test "$(json_get j "party(d, \"jsmith\")[\"key\"]")" = "$(ssh_fpr "$KEYS/jsmith.pub")"
'

test_expect_success 'good: ecdsa nistp256, sup sign by ecarter' '
	sign_as ecarter 2026-02-13-ecarter >/dev/null &&
	corpus "good ecdsa-nistp256" 2026-02-13-ecarter ecarter good good "agree" &&
	test "$(json_get j "party(d, \"ecarter\")[\"key\"]")" = "$(ssh_fpr "$KEYS/ecarter.pub")" &&
	test_grep "with ECDSA key $(ssh_fpr "$KEYS/ecarter.pub")" "$TRASH_DIRECTORY/.git-verify"
'

test_expect_success 'good: rsa 3072, sup sign by rpatel' '
	sign_as rpatel 2026-02-14-rpatel >/dev/null &&
	corpus "good rsa-3072" 2026-02-14-rpatel rpatel good good "agree" &&
	test "$(json_get j "party(d, \"rpatel\")[\"key\"]")" = "$(ssh_fpr "$KEYS/rpatel.pub")" &&
	test_grep "with RSA key $(ssh_fpr "$KEYS/rpatel.pub")" "$TRASH_DIRECTORY/.git-verify"
'

test_expect_success GPGSETUP 'good: OpenPGP, sup sign by dlee with gpg.format openpgp' '
	become_openpgp dlee "$(cat dlee.fpr)" &&
	test_tick &&
	(cd "$REPO" && sup sign 2026-02-15-dlee) >/dev/null &&
	git -C "$REPO" cat-file commit HEAD | test_grep "^gpgsig -----BEGIN PGP SIGNATURE-----" - &&
	corpus "good openpgp" 2026-02-15-dlee dlee good good "agree" &&
	test "$(json_get j "party(d, \"dlee\")[\"key\"]")" = "$(cat dlee.fpr)"
'

test_expect_success 'unsigned: the sign-off written by hand, committed with plain git' '
	become jsmith &&
	add_signoff_by_hand 2026-02-02-jsmith jsmith supervisee 2026-01-02T10:00:00Z &&
	git -C "$REPO" add -A &&
	test_tick &&
	git_commit_unsigned "sign by hand" &&
	show_json 2026-02-02-jsmith j &&
	test "$(json_get j "party(d, \"jsmith\")[\"state\"]")" = signed &&
	corpus "unsigned" 2026-02-02-jsmith jsmith unsigned rejected "agree (git: no signature, silent)"
'

test_expect_success 'unknown key: git commit -S with a key nobody registered' '
	become jsmith mallory &&
	add_signoff_by_hand 2026-02-03-jsmith jsmith supervisee 2026-01-03T10:00:00Z &&
	git -C "$REPO" add -A &&
	test_tick &&
	git -C "$REPO" commit -q -S -m "sup: sign 2026-02-03-jsmith" &&
	corpus "ssh key not registered" 2026-02-03-jsmith jsmith unknown-key rejected "agree" &&
	test_grep "No principal matched" "$TRASH_DIRECTORY/.git-verify" &&
	test "$(json_get j "party(d, \"jsmith\")[\"key\"]")" = "$(ssh_fpr "$KEYS/mallory.pub")"
'

test_expect_success 'tampered: a byte of a signed commit.s message changed' '
	sign_as jsmith 2026-02-04-jsmith >/dev/null &&
	raw_commit HEAD good.raw &&
	sed "s/^sup: sign 2026-02-04-jsmith\$/sup: sign 2026-02-04-jsmitH/" good.raw >bad.raw &&
	! test_cmp good.raw bad.raw >/dev/null &&
	test "$(cmp -l good.raw bad.raw | wc -l)" = 1 &&
	oid=$(write_commit bad.raw) &&
	move_branch $oid &&
	git -C "$REPO" status --porcelain >st && test_must_be_empty st &&
	corpus "tampered message" 2026-02-04-jsmith jsmith bad rejected "agree" &&
	test_grep "Signature verification failed\|incorrect signature\|Could not verify" "$TRASH_DIRECTORY/.git-verify"
'

test_expect_success 'tampered: the tree changed under a good signature' '
	sign_as jsmith 2026-02-05-jsmith >/dev/null &&
	raw_commit HEAD good.raw &&
	p=records/2026/2026-02-05-jsmith.md &&
	git -C "$REPO" show HEAD:$p | sed "s/^Offered; nothing raised\./Nothing offered./" >"$REPO/$p" &&
	git -C "$REPO" add $p &&
	tree=$(git -C "$REPO" write-tree) &&
	sed "1s/^tree .*/tree $tree/" good.raw >bad.raw &&
	oid=$(write_commit bad.raw) &&
	move_branch $oid &&
	git -C "$REPO" status --porcelain >st && test_must_be_empty st &&
	corpus "tampered tree" 2026-02-05-jsmith jsmith bad rejected "agree"
'

test_expect_success 'a signature copied into another commit.s message body' '
	raw_commit "$(git -C "$REPO" log -1 --format=%H --grep="sign 2026-02-01-jsmith")" src.raw &&
	sed -n "/^gpgsig /,/^ -----END SSH SIGNATURE-----/p" src.raw >sigblock &&
	test_line_count -gt 3 sigblock &&
	become jsmith &&
	add_signoff_by_hand 2026-02-06-jsmith jsmith supervisee 2026-01-06T10:00:00Z &&
	git -C "$REPO" add -A &&
	{ printf "sup: sign 2026-02-06-jsmith\n\n" && cat sigblock; } >msg &&
	test_tick &&
	git -C "$REPO" -c commit.gpgsign=false commit -q --cleanup=verbatim -F "$TRASH_DIRECTORY/msg" &&
	raw_commit HEAD copied.raw &&
	test "$(grep -c "^gpgsig " copied.raw)" = 1 &&
	sed -n "1,/^\$/p" copied.raw | test_grep ! "^gpgsig" - &&
	corpus "signature in message body" 2026-02-06-jsmith jsmith unsigned rejected "agree (the look-alike is not a header)"
'

# strip_sig RAW: the commit without its signature header(s): what git signs.
strip_sig () {
	awk 'h && /^$/ { h = 0 } h && /^gpgsig/ { s = 1; next } h && s && /^ / { next } { s = 0; print }' h=1 "$1"
}

test_expect_success 'two signature headers (both valid SSH signatures by jsmith)' '
	sign_as jsmith 2026-02-07-jsmith >/dev/null &&
	raw_commit HEAD good.raw &&
	strip_sig good.raw >payload &&
	rm -f payload.sig &&
	ssh-keygen -Y sign -n git -f "$KEYS/jsmith" payload 2>/dev/null &&
	ssh-keygen -Y verify -n git -I jsmith@example.org -f "$TRASH_DIRECTORY/allowed_signers" -s payload.sig <payload &&
	sed "s/^/ /; 1s/^ /gpgsig /" payload.sig >second &&
	awk -v f=second "!done && /^\$/ { while ((getline l < f) > 0) print l; done = 1 } { print }" good.raw >two.raw &&
	test "$(grep -c "^gpgsig " two.raw)" = 2 &&
	strip_sig two.raw >payload2 &&
	test_cmp payload payload2 &&
	oid=$(write_commit two.raw) &&
	move_branch $oid &&
	gv=$(git_verdict $oid) &&
	if test "$gv" = good; then
		why="git is fooled: it accepts a commit with two signatures; DESIGN 5.1 wants exactly one"
	else
		why="agree"
	fi &&
	corpus "two signature headers" 2026-02-07-jsmith jsmith multiple-signatures "$gv" "$why"
'

test_expect_success 'wrong namespace: the commit payload signed with -n file' '
	become jsmith &&
	add_signoff_by_hand 2026-02-08-jsmith jsmith supervisee 2026-01-08T10:00:00Z &&
	git -C "$REPO" add -A &&
	tree=$(git -C "$REPO" write-tree) &&
	test_tick &&
	{
		echo "tree $tree" &&
		echo "parent $(git -C "$REPO" rev-parse HEAD)" &&
		echo "author Jo Smith <jsmith@example.org> $test_tick +0000" &&
		echo "committer Jo Smith <jsmith@example.org> $test_tick +0000" &&
		printf "\nsup: sign 2026-02-08-jsmith\n\nSup-Record: 2026-02-08-jsmith\nSup-Action: sign\nSup-Actor: jsmith\n"
	} >payload &&
	rm -f payload.sig &&
	ssh-keygen -Y sign -n file -f "$KEYS/jsmith" payload 2>/dev/null &&
	ssh-keygen -Y check-novalidate -n file -s payload.sig <payload >/dev/null 2>&1 &&
	sed "s/^/ /; 1s/^ /gpgsig /" payload.sig >sighdr &&
	awk -v f=sighdr "{ print } /^committer / { while ((getline l < f) > 0) print l }" payload >wrongns.raw &&
	oid=$(write_commit wrongns.raw) &&
	move_branch $oid &&
	git -C "$REPO" status --porcelain >st && test_must_be_empty st &&
	corpus "namespace file, not git" 2026-02-08-jsmith jsmith bad rejected "agree"
'

test_expect_success 'git is fooled: a good signature by akhan adding jsmith.s sign-off' '
	become akhan &&
	add_signoff_by_hand 2026-02-09-jsmith jsmith supervisee 2026-01-09T10:00:00Z &&
	git -C "$REPO" add -A &&
	test_tick &&
	git -C "$REPO" commit -q -S -m "sup: sign 2026-02-09-jsmith" &&
	corpus "good sig, wrong person" 2026-02-09-jsmith jsmith signed-by-another good \
		"git only knows akhan may sign; the sign-off is by jsmith, so only a key of jsmith proves it" &&
	test_grep "Good \"git\" signature for akhan@example.org" "$TRASH_DIRECTORY/.git-verify" &&
	sup -C "$REPO" show 2026-02-09-jsmith >show &&
	test_grep -E "^ +supervisee +jsmith +signed +at .* signature signed-by-another by akhan key " show
'

test_expect_success GPGSETUP 'git is fooled: an OpenPGP key in the keyring but not in the register' '
	become_openpgp dlee "$(cat eve.fpr)" &&
	add_signoff_by_hand 2026-02-16-dlee dlee supervisee 2026-01-16T10:00:00Z &&
	git -C "$REPO" add -A &&
	test_tick &&
	git -C "$REPO" commit -q -S -m "sup: sign 2026-02-16-dlee" &&
	corpus "openpgp key not registered" 2026-02-16-dlee dlee unknown-key good \
		"git trusts any key in the keyring; only the register says whose key counts" &&
	test_grep "Good signature from \"Eve Example" "$TRASH_DIRECTORY/.git-verify"
'

test_expect_success 'revoked: a key removed from the register signs afterwards' '
	become akhan &&
	make_ssh_key jsmith2 &&
	(cd "$REPO" && test_tick && sup staff key add jsmith "$KEYS/jsmith2.pub" >/dev/null &&
	 test_tick && sup staff key remove jsmith "$(cut -d" " -f1-2 "$KEYS/jsmith.pub")" >/dev/null) &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	test_grep ! "$(cut -d" " -f2 "$KEYS/jsmith.pub")" y &&
	cp "$TRASH_DIRECTORY/allowed_signers" old_allowed_signers &&
	become jsmith &&
	add_signoff_by_hand 2026-02-10-jsmith jsmith supervisee 2026-01-10T10:00:00Z &&
	git -C "$REPO" add -A &&
	test_tick &&
	git -C "$REPO" commit -q -S -m "sup: sign 2026-02-10-jsmith" &&
	allowed_signers &&
	corpus "revoked key" 2026-02-10-jsmith jsmith unknown-key rejected "agree (git with the current register)" &&
	git -c gpg.ssh.allowedSignersFile="$TRASH_DIRECTORY/old_allowed_signers" -C "$REPO" verify-commit HEAD 2>old.verify &&
	verdict_row "  same, old allowed_signers" unknown-key good "git is only as current as its allowed_signers file; sup reads the register of the parent commit"
' 

test_expect_success 'good again: jsmith signs with the new registered key' '
	become jsmith jsmith2 &&
	test_tick &&
	(cd "$REPO" && sup sign 2026-02-11-jsmith) >/dev/null &&
	corpus "good ed25519 (new key)" 2026-02-11-jsmith jsmith good good "agree" &&
	test "$(json_get j "party(d, \"jsmith\")[\"key\"]")" = "$(ssh_fpr "$KEYS/jsmith2.pub")"
'

print_verdicts

test_expect_success 'sup matched git wherever git has a verdict; each difference says why' '
	check_verdicts
'

test_done
