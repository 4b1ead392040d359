#!/bin/sh
test_description='sup: the dispatcher finds and runs sup-COMMAND'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'sup --version prints the version' '
	sup --version >out &&
	test_grep -E "^sup version [0-9]+\.[0-9]+\.[0-9]+$" out
'

test_expect_success 'sup help lists the built commands' '
	sup help >out &&
	test_grep "^usage: sup " out &&
	for c in init staff case; do
		test_grep -E "^  $c +[a-z]" out || return 1
	done
'

test_expect_success 'sup with no command lists the commands too' '
	sup >out &&
	test_grep -E "^  staff " out
'

test_expect_success 'unknown command: exit 2 and the nearest command suggested' '
	test_expect_code 2 sup stafff 2>err &&
	test_grep "^sup: .stafff. is not a sup command" err &&
	test_grep -E "^[[:space:]]+staff$" err
'

test_expect_success 'unknown command far from any: no suggestion' '
	test_expect_code 2 sup zzzzzzzzzz 2>err &&
	test_grep "is not a sup command" err &&
	test_grep ! "most similar" err
'

test_expect_success 'command names with other characters are refused' '
	for bad in Staff ../staff "st aff" staff/x sup_x; do
		test_expect_code 2 sup "$bad" 2>err &&
		test_grep "^sup: .* is not a sup command (command names are lowercase" err ||
		return 1
	done
'

test_expect_success 'an unknown option is a usage error' '
	test_expect_code 2 sup --frobnicate 2>err &&
	test_grep "unknown option" err &&
	test_grep "^usage: sup" err
'

test_expect_success '-C DIR runs the command in DIR' '
	mkdir elsewhere &&
	test_expect_code 2 sup -C elsewhere staff list 2>err &&
	test_grep "^sup staff: not a git repository: .*elsewhere" err &&
	test_expect_code 2 sup -C does-not-exist staff list 2>err &&
	test_grep "^sup: cannot change to .does-not-exist." err
'

test_expect_success 'extension: sup-NAME on PATH is run with its arguments' '
	mkdir bin &&
	cat >bin/sup-hello <<-\EOF &&
	#!/bin/sh
	echo "hello from an extension: $*"
	exit 3
	EOF
	chmod +x bin/sup-hello &&
	PATH="$TRASH_DIRECTORY/bin:$PATH" test_expect_code 3 sup hello a "b c" >out &&
	echo "hello from an extension: a b c" >expect &&
	test_cmp expect out &&
	PATH="$TRASH_DIRECTORY/bin:$PATH" sup help >out &&
	test_grep -E "^  hello +\(extension\)" out
'

test_expect_success 'a non-executable sup-NAME is not a command' '
	mkdir noexec &&
	printf "#!/bin/sh\necho ran\n" >noexec/sup-quiet &&
	PATH="$TRASH_DIRECTORY/noexec:$PATH" test_expect_code 2 sup quiet >out 2>err &&
	test_must_be_empty out &&
	test_grep "not a sup command" err
'

test_expect_success '--exec-path=DIR is searched first' '
	mkdir xp &&
	printf "#!/bin/sh\necho exec-path staff \"\$@\"\n" >xp/sup-staff &&
	chmod +x xp/sup-staff &&
	sup --exec-path="$TRASH_DIRECTORY/xp" staff list >out &&
	echo "exec-path staff list" >expect &&
	test_cmp expect out &&
	SUP_EXEC_PATH="$TRASH_DIRECTORY/xp" sup staff list >out &&
	test_cmp expect out
'

test_expect_success '--exec-path without a value prints the default' '
	sup --exec-path >out &&
	echo "$SUP_BUILD_DIR" >expect &&
	test_cmp expect out
'

test_expect_success 'make install DESTDIR=... PREFIX=/usr installs a working sup' '
	make -s -C "$SRC" install DESTDIR="$TRASH_DIRECTORY/x" PREFIX=/usr \
		>make.out 2>&1 || { cat make.out; false; } &&
	test -x x/usr/bin/sup &&
	for c in init staff case; do
		test -x x/usr/libexec/sup/sup-$c || return 1
	done &&
	test -f x/usr/share/sup/sup.yaml &&
	# only the installed tree: nothing from the build directory on PATH
	PATH=/usr/bin:/bin x/usr/bin/sup --exec-path="$TRASH_DIRECTORY/x/usr/libexec/sup" help >out &&
	for c in init staff case; do
		test_grep -E "^  $c +[a-z]" out || return 1
	done &&
	PATH=/usr/bin:/bin x/usr/bin/sup --exec-path="$TRASH_DIRECTORY/x/usr/libexec/sup" --version >out &&
	test_grep "^sup version" out
'

test_done
