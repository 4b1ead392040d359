#!/bin/sh
# test-lib.sh - a small sharness-like TAP library for sup's end-to-end tests.
#
# A test script sources this file, then calls test_expect_success and
# friends, then test_done:
#
#	#!/bin/sh
#	test_description='sup staff: the register'
#	. "$(dirname "$0")/test-lib.sh"
#	test_expect_success 'setup' 'setup_repo'
#	test_expect_success 'list' 'sup -C "$REPO" staff list >out && grep jsmith out'
#	test_done
#
# Each script runs in its own trash directory (a fresh temporary directory,
# which is also $HOME's parent), with TZ=UTC, LC_ALL=C, no system git
# configuration, no editor or pager, and fixed commit dates (test_tick).
# The programs under test come first in PATH: $SUP_BUILD_DIR, default
# build/ at the top of the source tree.
#
# Environment:
#	SUP_BUILD_DIR	where sup and sup-* are (default: SRC/build)
#	TEST_VERBOSE=1	show every test's output (also: script -v)
#	TEST_KEEP=1	keep the trash directory when a test failed
#
# Output is TAP: "ok N - ...", "not ok N - ...", "# TODO" for known
# breakages, and the plan "1..N" at the end.

# prove runs tests/t/t*.sh, which takes in this file: run on its own, it
# is a test script with nothing to test.
case "${0##*/}" in
test-lib.sh)
	echo "1..0 # SKIP test-lib.sh is the library the test scripts source"
	exit 0
	;;
esac

# ---- where things are ----

case "$0" in
*/*) TEST_DIRECTORY=$(cd "${0%/*}" && pwd) ;;
*) TEST_DIRECTORY=$(pwd) ;;
esac
SRC=$(cd "$TEST_DIRECTORY/../.." && pwd)
: "${SUP_BUILD_DIR:=$SRC/build}"
SUP_BUILD_DIR=$(cd "$SUP_BUILD_DIR" 2>/dev/null && pwd) || {
	echo "Bail out! SUP_BUILD_DIR $SUP_BUILD_DIR does not exist: run make first"
	exit 1
}
if ! test -x "$SUP_BUILD_DIR/sup"; then
	echo "Bail out! $SUP_BUILD_DIR/sup is not built: run make first"
	exit 1
fi
export SUP_BUILD_DIR SRC TEST_DIRECTORY

this_test=${0##*/}
this_test=${this_test%.sh}

for arg in "$@"; do
	case "$arg" in
	-v|--verbose) TEST_VERBOSE=1 ;;
	-k|--keep) TEST_KEEP=1 ;;
	esac
done

# ---- a hermetic environment ----

TRASH_DIRECTORY=$(mktemp -d "${TMPDIR:-/tmp}/sup-test.$this_test.XXXXXX") || {
	echo "Bail out! cannot make a trash directory"
	exit 1
}
TRASH_DIRECTORY=$(cd "$TRASH_DIRECTORY" && pwd -P)
export TRASH_DIRECTORY
HOME="$TRASH_DIRECTORY/home"
KEYS="$TRASH_DIRECTORY/keys"
REPO="$TRASH_DIRECTORY/repo"
GNUPGHOME="$TRASH_DIRECTORY/gnupg"
mkdir -p "$HOME" "$KEYS" "$TRASH_DIRECTORY/tmp"
export HOME KEYS REPO GNUPGHOME
TMPDIR="$TRASH_DIRECTORY/tmp"
export TMPDIR

TZ=UTC
LC_ALL=C
LANG=C
NO_COLOR=1
PAGER=cat
GIT_PAGER=cat
GIT_CONFIG_NOSYSTEM=1
GIT_CEILING_DIRECTORIES="$TRASH_DIRECTORY"
GIT_MERGE_AUTOEDIT=no
export TZ LC_ALL LANG NO_COLOR PAGER GIT_PAGER GIT_CONFIG_NOSYSTEM \
	GIT_CEILING_DIRECTORIES GIT_MERGE_AUTOEDIT
unset EDITOR VISUAL GIT_EDITOR XDG_CONFIG_HOME GIT_DIR GIT_WORK_TREE \
	GIT_INDEX_FILE GIT_CONFIG_GLOBAL GIT_CONFIG GIT_CONFIG_PARAMETERS \
	GIT_CONFIG_COUNT SUP_EXEC_PATH SUP_TEMPLATE_DIR SSH_AUTH_SOCK \
	GPG_AGENT_INFO CDPATH
PATH="$SUP_BUILD_DIR:$PATH"
export PATH

# Sanitizer builds: fail loudly, with the report in the test's output.
ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS

# Fixed commit dates, advanced by test_tick as git's test suite does.
test_tick () {
	if test -z "${test_tick:-}"; then
		test_tick=1767225600	# 2026-01-01T00:00:00Z
	else
		test_tick=$((test_tick + 60))
	fi
	GIT_COMMITTER_DATE="$test_tick +0000"
	GIT_AUTHOR_DATE="$test_tick +0000"
	export GIT_COMMITTER_DATE GIT_AUTHOR_DATE
}
test_tick

# ---- the TAP harness ----

test_count=0
test_failure=0
test_fixed=0
test_broken=0
test_done_called=

say_lines () {
	sed -e 's/^/# /'
}

test_cleanup_trash () {
	cd "$TEST_DIRECTORY" 2>/dev/null || cd /
	if test -d "$GNUPGHOME" && command -v gpgconf >/dev/null 2>&1; then
		gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1
	fi
	if test "$test_failure" -ne 0 && test -n "${TEST_KEEP:-}"; then
		echo "# trash directory kept: $TRASH_DIRECTORY"
		return
	fi
	chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
	rm -rf "$TRASH_DIRECTORY"
}

test_exit_trap () {
	code=$?
	if test -z "$test_done_called"; then
		echo "not ok $((test_count + 1)) - $this_test exited before test_done (status $code)"
		echo "1..$((test_count + 1))"
		test_failure=$((test_failure + 1))
		test_cleanup_trash
		exit 1
	fi
}
trap 'test_exit_trap' EXIT
trap 'exit 130' INT TERM

# Prerequisites: test_set_prereq NAME; test_have_prereq NAME[,NAME...].
satisfied_prereq=" "
test_set_prereq () {
	satisfied_prereq="$satisfied_prereq$1 "
}
test_have_prereq () {
	save_IFS=$IFS
	IFS=,
	set -- $1
	IFS=$save_IFS
	for p in "$@"; do
		case "$satisfied_prereq" in
		*" $p "*) ;;
		*) return 1 ;;
		esac
	done
	return 0
}
command -v gpg >/dev/null 2>&1 && test_set_prereq GPG
command -v python3 >/dev/null 2>&1 && test_set_prereq PYTHON
command -v ssh-keygen >/dev/null 2>&1 && test_set_prereq SSHKEYGEN

# Run a test body in this shell (so that it may set variables), from the
# trash directory, with its output kept aside and shown on failure.
test_run_ () {
	cd "$TRASH_DIRECTORY" || exit 1
	out="$TRASH_DIRECTORY/.test-output"
	eval "
$1
" >"$out" 2>&1 </dev/null
	test_eval_ret=$?
	cd "$TRASH_DIRECTORY" || exit 1
	if test -n "${TEST_VERBOSE:-}"; then
		say_lines <"$out"
	fi
	return $test_eval_ret
}

test_show_failure_ () {
	echo "#	failed test body:"
	printf '%s\n' "$1" | sed -e 's/^/#	/'
	if test -s "$TRASH_DIRECTORY/.test-output"; then
		echo "#	output:"
		sed -e 's/^/#	/' "$TRASH_DIRECTORY/.test-output"
	fi
}

test_skip_ () {
	if test -n "$1" && ! test_have_prereq "$1"; then
		test_count=$((test_count + 1))
		echo "ok $test_count # skip $2 (missing $1)"
		return 0
	fi
	return 1
}

# test_expect_success [PREREQ] DESCRIPTION BODY
test_expect_success () {
	test "$#" = 3 && { prereq=$1; shift; } || prereq=
	test "$#" = 2 || { echo "Bail out! bug in the test script: test_expect_success needs 2 or 3 arguments"; exit 1; }
	test_skip_ "$prereq" "$1" && return 0
	test_count=$((test_count + 1))
	if test_run_ "$2"; then
		echo "ok $test_count - $1"
	else
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - $1"
		# on stderr too, so that prove shows it without -v
		test_show_failure_ "$2" >&2
	fi
}

# test_expect_failure [PREREQ] DESCRIPTION BODY: a known breakage.
test_expect_failure () {
	test "$#" = 3 && { prereq=$1; shift; } || prereq=
	test "$#" = 2 || { echo "Bail out! bug in the test script: test_expect_failure needs 2 or 3 arguments"; exit 1; }
	test_skip_ "$prereq" "$1" && return 0
	test_count=$((test_count + 1))
	if test_run_ "$2"; then
		test_fixed=$((test_fixed + 1))
		echo "ok $test_count - $1 # TODO known breakage vanished"
	else
		test_broken=$((test_broken + 1))
		echo "not ok $test_count - $1 # TODO known breakage"
	fi
}

test_done () {
	test_done_called=t
	echo "1..$test_count"
	if test "$test_fixed" -gt 0; then
		echo "# $test_fixed known breakage(s) vanished; mark them test_expect_success"
	fi
	if test "$test_broken" -gt 0; then
		echo "# still have $test_broken known breakage(s)"
	fi
	if test "$test_failure" -gt 0; then
		echo "# failed $test_failure among $test_count test(s)"
	fi
	test_cleanup_trash
	test "$test_failure" -eq 0
	exit $?
}

# ---- assertions ----

# test_expect_code N CMD...: CMD must exit with status N.
test_expect_code () {
	want=$1
	shift
	"$@"
	got=$?
	if test "$got" = "$want"; then
		return 0
	fi
	echo >&2 "test_expect_code: command exited with $got, we wanted $want: $*"
	return 1
}

# test_must_fail CMD...: CMD must fail in a controlled way (1 or 2, not a
# crash or a signal).
test_must_fail () {
	"$@"
	got=$?
	case "$got" in
	1|2) return 0 ;;
	0) echo >&2 "test_must_fail: command succeeded: $*" ;;
	*) echo >&2 "test_must_fail: command died with status $got: $*" ;;
	esac
	return 1
}

test_cmp () {
	diff -u "$1" "$2"
}

# test_line_count OP N FILE
test_line_count () {
	n=$(wc -l <"$3" | tr -d ' ')
	if test "$n" "$1" "$2"; then
		return 0
	fi
	echo >&2 "test_line_count: line count of $3 is $n, not $1 $2"
	cat >&2 "$3"
	return 1
}

test_path_is_missing () {
	if test -e "$1"; then
		echo >&2 "path '$1' exists but should not"
		return 1
	fi
}

test_path_is_file () {
	test -f "$1" || { echo >&2 "file '$1' does not exist"; return 1; }
}

test_must_be_empty () {
	if test -s "$1"; then
		echo >&2 "'$1' is not empty, it contains:"
		cat >&2 "$1"
		return 1
	fi
}

# test_grep [-v] [GREP-OPTIONS] PATTERN FILE: grep that shows the file on
# failure.
test_grep () {
	invert=
	if test "$1" = "!"; then
		invert=t
		shift
	fi
	last=
	for a in "$@"; do last=$a; done
	if test -z "$invert"; then
		grep "$@" && return 0
		echo >&2 "test_grep: no match for: $*"
	else
		! grep "$@" && return 0
		echo >&2 "test_grep: unexpected match for: $*"
	fi
	echo >&2 "--- $last:"
	cat >&2 "$last"
	return 1
}

# ---- people, keys and repositories ----

# make_ssh_key NAME: $KEYS/NAME and $KEYS/NAME.pub, comment NAME@test.
make_ssh_key () {
	test -f "$KEYS/$1" && return 0
	ssh-keygen -t ed25519 -N '' -q -C "$1@test" -f "$KEYS/$1"
}

# become ID [KEYNAME]: act as staff member ID (email ID@example.org),
# signing with the SSH key $KEYS/KEYNAME (default ID).  Sets the global git
# configuration and, once it exists, $REPO's own sup.user (sup init sets
# that for the first admin).
become () {
	git config --global user.name "$1" &&
	git config --global user.email "$1@example.org" &&
	git config --global gpg.format ssh &&
	git config --global user.signingkey "$KEYS/${2:-$1}" &&
	git config --global sup.user "$1" &&
	if test -d "$REPO/.git"; then
		git -C "$REPO" config sup.user "$1"
	fi
}

# become_openpgp ID FPR: act as ID signing with the OpenPGP key FPR in
# $GNUPGHOME.
become_openpgp () {
	become "$1" &&
	git config --global gpg.format openpgp &&
	git config --global user.signingkey "$2"
}

# setup_repo: $REPO with admin akhan (manager), jsmith (practitioner,
# supervised by akhan), bwilson (dsl, supervised by akhan) and two open
# cases of jsmith's, C-100 and C-101 (child protection), each a sup commit
# signed by akhan.
setup_repo () {
	make_ssh_key akhan &&
	make_ssh_key jsmith &&
	make_ssh_key bwilson &&
	become akhan &&
	sup init "$REPO" --org "Example Children's Services" --admin akhan \
		--name "Aisha Khan" --email akhan@example.org \
		--key "$KEYS/akhan.pub" >/dev/null &&
	(
		cd "$REPO" &&
		test_tick &&
		sup staff add jsmith --name "Jo Smith" --role practitioner \
			--email jsmith@example.org --supervisor akhan \
			--started 2026-01-05 --key "$KEYS/jsmith.pub" >/dev/null &&
		test_tick &&
		sup staff add bwilson --name "Ben Wilson" --role dsl \
			--email bwilson@example.org --supervisor akhan \
			--started 2025-06-01 --key "$KEYS/bwilson.pub" >/dev/null &&
		test_tick &&
		sup case open C-100 --worker jsmith --opened 2026-02-01 >/dev/null &&
		test_tick &&
		sup case open C-101 --worker jsmith --opened 2026-03-01 \
			--child-protection >/dev/null
	) &&
	test_tick
}

# allowed_signers: $TRASH_DIRECTORY/allowed_signers from the register, and
# git configured to use it.
allowed_signers () {
	sup -C "$REPO" staff allowed-signers >"$TRASH_DIRECTORY/allowed_signers" &&
	test -s "$TRASH_DIRECTORY/allowed_signers" &&
	git config --global gpg.ssh.allowedSignersFile "$TRASH_DIRECTORY/allowed_signers"
}

# verify_all_commits [REV]: every commit reachable from REV (HEAD) passes
# stock `git verify-commit`.
verify_all_commits () {
	allowed_signers &&
	for c in $(git -C "$REPO" rev-list "${1:-HEAD}"); do
		git -C "$REPO" verify-commit "$c" 2>"$TRASH_DIRECTORY/.verify" || {
			echo >&2 "git verify-commit $c failed:"
			cat >&2 "$TRASH_DIRECTORY/.verify"
			return 1
		}
	done
}

# git_commit_unsigned MSG: commit what is staged in $REPO with plain git,
# unsigned - how hand edits get into the repository.
git_commit_unsigned () {
	git -C "$REPO" -c commit.gpgsign=false commit -q -m "$1"
}

# save_state / check_state: the repository must be left as it was - same
# branch tip, same working tree and index, no new fsck complaints.
# (Unreachable objects from a refused commit are not complaints: sup
# writes the signed commit object before it checks it; --no-dangling.)
repo_state_ () {
	git -C "$REPO" rev-parse HEAD &&
	git -C "$REPO" status --porcelain --untracked-files=all &&
	git -C "$REPO" fsck --no-dangling --no-progress 2>&1 &&
	{ test -e "$REPO/.git/index.lock" && echo "index.lock left behind" || true; }
}
save_state () {
	repo_state_ >"$TRASH_DIRECTORY/.state.before"
}
check_state () {
	repo_state_ >"$TRASH_DIRECTORY/.state.after" &&
	test_cmp "$TRASH_DIRECTORY/.state.before" "$TRASH_DIRECTORY/.state.after"
}

# expect_error CMD STATUS PATTERN: stderr of the last run (file err)
# starts with "sup CMD: ", matches PATTERN (grep -E), and STATUS was the
# exit status.  Use as: test_expect_code 1 sup staff list 2>err &&
# expect_error staff 'staff/x.yaml:3:5: '
expect_error () {
	test -s err || { echo >&2 "no error message on stderr"; return 1; }
	if grep -v "^sup $1: " err >"$TRASH_DIRECTORY/.bad_lines"; then
		echo >&2 "stderr lines not starting 'sup $1: ':"
		cat >&2 "$TRASH_DIRECTORY/.bad_lines"
		return 1
	fi
	test_grep -E "$2" err
}
