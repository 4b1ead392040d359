#!/bin/sh
test_description='sup staff: an admin who signs with OpenPGP (gpg)'
. "$(dirname "$0")/test-lib.sh"

test_expect_success GPG 'setup: a repository, and a gpg key for dlee' '
	setup_repo &&
	mkdir -m 700 "$GNUPGHOME" &&
	gpg --batch --passphrase "" --quick-gen-key "Dana Lee <dlee@example.org>" \
		ed25519 sign never 2>gpg.err &&
	gpg --batch --with-colons --list-secret-keys dlee@example.org >colons &&
	awk -F: "/^fpr:/ { print \$10; exit }" colons >fpr &&
	test_grep -E "^[0-9A-F]{40}$" fpr &&
	gpg --batch --armor --export dlee@example.org >dlee.asc &&
	test_grep "^-----BEGIN PGP PUBLIC KEY BLOCK-----" dlee.asc
'

test_expect_success GPG 'an admin registers dlee with the armored key file' '
	(cd "$REPO" && test_tick && sup staff add dlee --name "Dana Lee" \
		--email dlee@example.org --role manager --admin \
		--key "$TRASH_DIRECTORY/dlee.asc" >/dev/null) &&
	git -C "$REPO" show HEAD:staff/dlee.yaml >y &&
	test_grep -x "admin: true" y &&
	test_grep "BEGIN PGP PUBLIC KEY BLOCK" y &&
	sup -C "$REPO" staff show dlee >show &&
	test_grep "OpenPGP" show
'

test_expect_success GPG 'the register file with the key block reads back' '
	sup -C "$REPO" staff list --format csv >list &&
	test_grep -x "dlee,Dana Lee,manager,,[0-9-]*,,true,false" list &&
	sup -C "$REPO" staff allowed-signers >as &&
	test_grep ! "dlee" as
'

test_expect_success GPG 'dlee changes the register with gpg.format=openpgp' '
	become_openpgp dlee "$(cat fpr)" &&
	git -C "$REPO" rev-parse HEAD >before &&
	(cd "$REPO" && test_tick && sup staff set jsmith --trained 2026-05-05 >out) &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" cat-file commit HEAD >raw &&
	test_grep "^gpgsig -----BEGIN PGP SIGNATURE-----" raw &&
	git -C "$REPO" log -1 --format="%an <%ae>|%(trailers:key=Sup-Actor,valueonly,separator=)" >who &&
	echo "Dana Lee <dlee@example.org>|dlee" >expect &&
	test_cmp expect who &&
	git -C "$REPO" show HEAD:staff/jsmith.yaml >y &&
	test_grep -x "supervisor_trained: 2026-05-05" y
'

test_expect_success GPG 'stock git verify-commit (with dlee in GNUPGHOME) accepts it' '
	git -C "$REPO" verify-commit --raw HEAD 2>verify &&
	test_grep "^\[GNUPG:\] VALIDSIG $(cat fpr) " verify &&
	test_grep "^\[GNUPG:\] GOODSIG " verify
'

test_expect_success GPG 'the SSH-signed history still verifies as before' '
	git config --global gpg.ssh.allowedSignersFile "$TRASH_DIRECTORY/as" &&
	sup -C "$REPO" staff allowed-signers >as &&
	for c in $(git -C "$REPO" rev-list HEAD^); do
		git -C "$REPO" verify-commit "$c" 2>/dev/null || return 1
	done
'

test_expect_success GPG 'an OpenPGP key not in the register is refused (exit 2)' '
	gpg --batch --passphrase "" --quick-gen-key "Dana Lee <dlee2@example.org>" \
		ed25519 sign never 2>/dev/null &&
	gpg --batch --with-colons --list-secret-keys dlee2@example.org |
		awk -F: "/^fpr:/ { print \$10; exit }" >fpr2 &&
	test_grep -E "^[0-9A-F]{40}$" fpr2 &&
	git config --global user.signingkey "$(cat fpr2)" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff set jsmith --trained 2026-06-06 2>err &&
	keyid=$(cut -c25-40 fpr2) &&
	expect_error staff "the signing key $keyid is not one of dlee.s registered keys" &&
	check_state
'

test_expect_success GPG 'a gpg that fails to sign: exit 2, its message shown' '
	git config --global user.signingkey "$(cat fpr)" &&
	cat >"$TRASH_DIRECTORY/bad-gpg" <<-\EOF &&
	#!/bin/sh
	echo "gpg: signing failed: No secret key" >&2
	exit 2
	EOF
	chmod +x "$TRASH_DIRECTORY/bad-gpg" &&
	git config --global gpg.program "$TRASH_DIRECTORY/bad-gpg" &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" staff set jsmith --trained 2026-06-06 2>err &&
	expect_error staff "signing failed: .*bad-gpg exited with status 2: gpg: signing failed: No secret key" &&
	check_state &&
	git config --global --unset gpg.program
'

test_done
