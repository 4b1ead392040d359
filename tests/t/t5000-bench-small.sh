#!/bin/sh
test_description='bench: the generated repository is a real, signed sup repository'
. "$(dirname "$0")/test-lib.sh"

# The generator and verifier are built by `make bench` (or make
# $SUP_BUILD_DIR/bench/gen $SUP_BUILD_DIR/bench/verify).
GEN=$SUP_BUILD_DIR/bench/gen
VERIFY=$SUP_BUILD_DIR/bench/verify
test -x "$GEN" && test_set_prereq GEN
test -x "$VERIFY" && test_set_prereq VERIFY
test -x "$SUP_BUILD_DIR/sup-audit" && test_set_prereq AUDIT

G=$TRASH_DIRECTORY/gen
REPO=$G/repo

test_expect_success GEN 'generate the tiny size, checking every record as it is written' '
	"$GEN" --size tiny --seed 7 --check --templates "$SRC/templates" --out "$G" >stats &&
	test_grep "^records: " stats &&
	git -C "$REPO" rev-parse HEAD >head &&
	test "$(git -C "$REPO" rev-list --count HEAD)" -gt 100
'

test_expect_success GEN 'the same seed gives the same history, commit ids included' '
	"$GEN" --size tiny --seed 7 --templates "$SRC/templates" --out "$TRASH_DIRECTORY/again" >/dev/null &&
	git -C "$TRASH_DIRECTORY/again/repo" rev-parse HEAD >head2 &&
	test_cmp head head2 &&
	"$GEN" --size tiny --seed 8 --templates "$SRC/templates" --out "$TRASH_DIRECTORY/other" >/dev/null &&
	git -C "$TRASH_DIRECTORY/other/repo" rev-parse HEAD >head3 &&
	! test_cmp head head3
'

test_expect_success GEN 'git fsck finds nothing wrong; objects are packed, none loose' '
	git -C "$REPO" fsck --full --strict >fsck 2>&1 &&
	test_must_be_empty fsck &&
	git -C "$REPO" count-objects -v >count &&
	test_grep "^count: 0$" count &&
	test_grep "^packs: [1-9]" count &&
	git -C "$REPO" status --porcelain >status &&
	test_must_be_empty status
'

test_expect_success GEN 'stock git verify-commit accepts a sample of commits' '
	sup -C "$REPO" staff allowed-signers >allowed &&
	git -C "$REPO" config gpg.ssh.allowedSignersFile "$TRASH_DIRECTORY/allowed" &&
	git -C "$REPO" rev-list HEAD | awk "NR % 17 == 1" >sample &&
	git -C "$REPO" rev-list --max-parents=0 HEAD >>sample &&
	test "$(wc -l <sample)" -gt 10 &&
	while read c; do
		git -C "$REPO" verify-commit "$c" 2>>verified || return 1
	done <sample &&
	test "$(grep -c "^Good \"git\" signature for " verified)" = "$(wc -l <sample)"
'

test_expect_success GEN 'each commit is signed by the person it names' '
	git -C "$REPO" log --format="%H %ae" -n 40 >commits &&
	while read c email; do
		git -C "$REPO" verify-commit "$c" 2>out || return 1
		test_grep "signature for $email with" out || return 1
	done <commits
'

test_expect_success GEN,VERIFY 'sup verifies every signature in the history as good' '
	"$VERIFY" "$REPO" >verify &&
	n=$(git -C "$REPO" rev-list --count HEAD) &&
	test_grep "^commits: $n$" verify &&
	test_grep "^good: $n$" verify
'

test_expect_success GEN,SSHKEYGEN 'the written private keys are OpenSSH keys of the registered public keys' '
	id=$(git -C "$REPO" log -1 --format=%ae | sed "s/@.*//") &&
	for k in "$G"/keys/*.pub; do
		priv=${k%.pub} &&
		ssh-keygen -y -f "$priv" >derived &&
		cut -d" " -f1,2 "$k" >want &&
		cut -d" " -f1,2 derived >got &&
		test_cmp want got || return 1
	done &&
	echo hello >msg &&
	ssh-keygen -Y sign -n git -f "$priv" msg 2>/dev/null &&
	test -s msg.sig
'

test_expect_success GEN 'sup list and sup show read the generated records' '
	sup -C "$REPO" list >list &&
	git -C "$REPO" ls-tree -r --name-only HEAD records >files &&
	test "$(($(wc -l <list) - 1))" = "$(wc -l <files)" &&
	id=$(awk "NR == 2 { print \$1 }" list) &&
	sup -C "$REPO" show "$id" >show &&
	test_grep "^id: \"*$id\"*$" show
'

test_expect_success GEN 'sup log of a session lists its creation and both sign-offs, all good' '
	id=$(sup -C "$REPO" list --type session | awk "\$NF == \"signed\" { print \$1; exit }") &&
	test -n "$id" &&
	sup -C "$REPO" log "$id" >log &&
	test "$(grep -c " $id " log)" = 3 &&
	test "$(grep -c " good (" log)" = 3 &&
	test_grep " new  *$id " log &&
	test "$(grep -c " sign  *$id " log)" = 2
'

test_expect_success GEN,AUDIT 'deleting the audit cache changes no audit answer' '
	audit () {
		sup -C "$REPO" audit --as-of 2026-10-30 --format json >"$1"
		echo $? >"$1.status"
	} &&
	rm -rf "$REPO/.git/sup/cache" &&
	audit audit-cold &&
	test -s audit-cold &&
	audit audit-warm &&
	test_cmp audit-cold audit-warm &&
	test_cmp audit-cold.status audit-warm.status &&
	rm -rf "$REPO/.git/sup/cache" &&
	audit audit-again &&
	test_cmp audit-cold audit-again &&
	test_cmp audit-cold.status audit-again.status
'

test_done
