#!/bin/sh
# demo.sh BUILD_DIR DEMO_DIR - make a demonstration sup repository.
#
# `make demo` runs this.  Everything is done through the sup commands
# themselves: a repository for a made-up children's services department,
# its staff (each with their own ed25519 key, under DEMO_DIR/keys/), their
# supervisors, an absence, and a caseload imported from a CSV export.
# Every commit is signed by the person who made it, and at the end git
# itself checks every signature against `sup staff allowed-signers`.
#
# DEMO_DIR is made afresh each time (removed first), with its own HOME in
# DEMO_DIR/.home so that your own git configuration is neither used nor
# changed.  The signing configuration the repository needs is written into
# DEMO_DIR/repo/.git/config, so the repository can be used afterwards.
# Commit times are fixed (GIT_AUTHOR_DATE, GIT_COMMITTER_DATE); the keys are
# new each time, so the commit ids are not.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: sh tests/demo.sh BUILD_DIR DEMO_DIR" >&2
	exit 2
fi
BUILD=$1
DEMO=$2
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
case $DEMO in /*) ;; *) DEMO=$(pwd)/$DEMO ;; esac
DEMO=${DEMO%/}

if [ ! -x "$BUILD/sup" ] || [ ! -x "$BUILD/sup-staff" ]; then
	echo "demo: $BUILD/sup is not built; run make first" >&2
	exit 2
fi
for tool in git ssh-keygen; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "demo: $tool is needed (make deps installs it)" >&2
		exit 2
	fi
done
# Refuse to remove a directory that this script did not make.
if [ -z "$DEMO" ] || [ "$DEMO" = / ]; then
	echo "demo: refusing to use '$2' as the demo directory" >&2
	exit 2
fi
if [ -e "$DEMO" ] && [ ! -d "$DEMO/.home" ] &&
   [ -n "$(ls -A "$DEMO" 2>/dev/null)" ]; then
	echo "demo: $DEMO exists and was not made by this script; not removing it" >&2
	exit 2
fi

rm -rf "$DEMO"
mkdir -p "$DEMO/.home" "$DEMO/keys"
REPO=$DEMO/repo
KEYS=$DEMO/keys

# A hermetic environment: the demo's own HOME, the commands from this
# build, no pager, no colour, no repository inherited from the caller.
export HOME="$DEMO/.home"
export SUP_EXEC_PATH="$BUILD"
export PAGER=cat NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CONFIG_PARAMETERS \
	GIT_CONFIG_COUNT SUP_TEMPLATE_DIR VISUAL EDITOR || :

sup() {
	"$BUILD/sup" "$@"
}

# when TIME: the time of the next commits (author and committer).
when() {
	GIT_AUTHOR_DATE=$1
	GIT_COMMITTER_DATE=$1
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

# as ID COMMAND...: run a command as staff member ID, signing with their
# key.  libgit2, which sup uses, reads neither `git -c` nor
# GIT_CONFIG_COUNT, so the identity goes into the repository's own
# configuration, as a person sharing a checkout would set it.
as() {
	who=$1
	shift
	git -C "$REPO" config sup.user "$who"
	git -C "$REPO" config user.signingkey "$KEYS/$who"
	(cd "$REPO" && "$@")
}

say() {
	printf '\n== %s\n' "$*"
}

say "keys for each person in $KEYS/"
PEOPLE="akhan bokafor cdavies jsmith pnowak lmensah rahmed tbrown gwilliams"
for id in $PEOPLE; do
	ssh-keygen -q -t ed25519 -N '' -C "$id@demo" -f "$KEYS/$id"
done
# Piotr also signs from a second device.
ssh-keygen -q -t ed25519 -N '' -C "pnowak@laptop" -f "$KEYS/pnowak-laptop"
ls "$KEYS"

say "sup init: the repository and its first admin, Amira Khan"
# The repository does not exist yet, so sup init takes the signing
# configuration from the (demo's own) global git configuration.
git config --global gpg.format ssh
git config --global user.signingkey "$KEYS/akhan"
when 2026-09-01T09:00:00Z
sup init "$REPO" --org "Example Children's Services" --admin akhan \
	--name "Amira Khan" --email amira.khan@example.org \
	--key "$KEYS/akhan.pub" --role manager
# From here on the repository carries its own signing configuration.
git -C "$REPO" config gpg.format ssh

say "sup staff: the register"
when 2026-09-01T09:10:00Z
as akhan sup staff set akhan --started 2015-04-01 --trained 2016-06-20 \
	--auditor
when 2026-09-01T09:15:00Z
as akhan sup staff add bokafor --name "Ben Okafor" --role manager \
	--email ben.okafor@example.org --supervisor akhan \
	--started 2019-02-04 --trained 2021-03-10 --admin \
	--key "$KEYS/bokafor.pub"
when 2026-09-01T09:20:00Z
as akhan sup staff add cdavies --name "Carys Davies" --role manager \
	--email carys.davies@example.org --supervisor akhan \
	--started 2021-09-06 --trained 2023-11-02 \
	--key "$KEYS/cdavies.pub"
# Ben, an admin too, registers his own team.
when 2026-09-01T10:02:00Z
as bokafor sup staff add pnowak --name "Piotr Nowak" --role practitioner \
	--email piotr.nowak@example.org --supervisor bokafor \
	--started 2022-01-10 --key "$KEYS/pnowak.pub"
when 2026-09-01T10:04:00Z
as bokafor sup staff add rahmed --name "Rukhsana Ahmed" \
	--role practitioner --email rukhsana.ahmed@example.org \
	--supervisor bokafor --started 2018-05-14 --key "$KEYS/rahmed.pub"
when 2026-09-01T10:06:00Z
as bokafor sup staff add jsmith --name "Jo Smith" --role asye \
	--email jo.smith@example.org --supervisor bokafor \
	--started 2026-09-07 --phase-start 2026-09-07 \
	--key "$(cat "$KEYS/jsmith.pub")"
when 2026-09-01T11:30:00Z
as akhan sup staff add lmensah --name "Lena Mensah" --role practitioner \
	--email lena.mensah@example.org --supervisor cdavies \
	--started 2020-03-02 --key "$KEYS/lmensah.pub"
when 2026-09-01T11:32:00Z
as akhan sup staff add tbrown --name "Tom Brown" --role student \
	--email tom.brown@example.org --supervisor cdavies \
	--started 2026-10-05 --phase-start 2026-10-05 --key "$KEYS/tbrown.pub"
when 2026-09-01T11:34:00Z
as akhan sup staff add gwilliams --name "Grace Williams" --role dsl \
	--email grace.williams@example.org --supervisor akhan \
	--started 2017-09-01 --key "$KEYS/gwilliams.pub"
when 2026-09-02T08:45:00Z
as akhan sup staff key add pnowak "$KEYS/pnowak-laptop.pub"
when 2026-09-28T16:10:00Z
as bokafor sup staff absence rahmed --from 2026-10-05 --to 2027-03-26 \
	--reason "maternity leave"

say "sup case import: the caseload exported from the case system"
# Columns in any order, as an export gives them; children are named by
# case reference only.
cat >"$DEMO/caseload.csv" <<'EOF'
ref,opened,worker,child_protection,closed
C-10231,2025-11-03,pnowak,true,
C-10244,2026-01-19,pnowak,false,
C-10257,2026-03-02,pnowak,true,
F-2041,2026-04-14,pnowak,false,
C-10262,2025-12-08,lmensah,true,
C-10270,2026-02-16,lmensah,false,
C-10288,2026-05-11,lmensah,false,
F-2055,2026-06-22,lmensah,true,
C-10293,2026-09-14,jsmith,true,
C-10301,2026-09-21,jsmith,false,
C-10305,2026-10-12,jsmith,false,
C-10310,2026-10-19,tbrown,false,
C-10312,2026-10-26,tbrown,false,
CPOMS-0412,2026-02-03,gwilliams,true,
CPOMS-0419,2026-06-09,gwilliams,false,
EOF
when 2025-11-03T09:00:00Z
as akhan sup case import "$DEMO/caseload.csv"


say "a year of supervision: sessions written, then signed by both, as each person"
# Each session is prepared as a file (as a supervisor might from notes)
# and recorded with sup new --from, then signed in separate commits by
# the supervisor and the supervisee with their own keys.  Commit times
# follow the meetings, so the audit sees records written on time.  The
# year has what an auditor looks for: Piotr's last session was 21
# September (practitioners every 4 weeks: due 19 October); Lena's last, on
# 12 October, she has not signed (due again 9 November); Grace (DSL, every
# 6 weeks) was last seen 13 July; Piotr disputed his June record;
# Rukhsana's maternity leave from 5 October pauses her clock; Jo (ASYE)
# and Tom (student) are seen weekly in their first six weeks.

# the open cases of PERSON on DATE, from the register
open_cases() {
	sup -C "$REPO" case list --all --worker "$1" --format csv |
		awk -F, -v d="$2" 'NR > 1 && $3 <= d && ($4 == "" || $4 > d) { print $1 }'
}

# session DATE SUPERVISOR SUPERVISEE [dispute TEXT | unsigned]
session() {
	date=$1 sv=$2 se=$3 mode=${4:-} text=${5:-}
	id="$date-$se"
	f="$DEMO/sessions/$id.md"
	mkdir -p "$DEMO/sessions"
	cases=$(open_cases "$se" "$date")
	{
		echo "---"
		echo "id: $id"
		echo "type: session"
		echo "date: $date"
		echo "start: \"10:00\""
		echo "minutes: 90"
		echo "supervisor: $sv"
		echo "supervisee: $se"
		echo "location: Room 4"
		echo "functions: [performance, development, support]"
		if [ -n "$cases" ]; then
			echo "cases:"
			for c in $cases; do
				echo "  - ref: $c"
				echo "    decision: Plan reviewed and kept; next visit within 10 working days"
				echo "    review: $date"
			done
		else
			echo "cases: []"
		fi
		echo "reviewed_actions: []"
		echo "actions: []"
		echo "---"
		echo "## Agenda"
		echo "Caseload, the week's visits and training."
		echo "## Review of previous actions"
		echo "None outstanding."
		echo "## Case discussions"
		if [ -n "$cases" ]; then
			for c in $cases; do
				echo "### $c"
				echo "The child was seen alone; their wishes are in the plan."
			done
		else
			echo "No open cases."
		fi
		echo "## Performance and practice"
		echo "Recording up to date; visits on time."
		echo "## Professional development"
		echo "Reflective practice course booked."
		echo "## Personal support and wellbeing"
		echo "Offered; nothing raised."
		echo "## Supervisee's comments"
		echo "Agreed."
	} >"$f"
	when "${date}T16:00:00Z"
	as "$sv" sup new session --from "$f" >/dev/null
	as "$sv" sup sign "$id" >/dev/null
	case $mode in
	unsigned) ;;
	dispute)
		when "$(date -u -d "$date + 1 day" +%Y-%m-%d)T09:30:00Z"
		as "$se" sup sign --dispute "$text" "$id" >/dev/null ;;
	*)
		when "$(date -u -d "$date + 1 day" +%Y-%m-%d)T09:30:00Z"
		as "$se" sup sign "$id" >/dev/null ;;
	esac
}

# every N days from FIRST to LAST (inclusive), as SUPERVISOR with SUPERVISEE
every() {
	d=$1 last=$2 n=$3 sv=$4 se=$5
	while [ "$d" \< "$last" ] || [ "$d" = "$last" ]; do
		session "$d" "$sv" "$se"
		d=$(date -u -d "$d + $n days" +%Y-%m-%d)
	done
}

every 2025-12-01 2026-05-04 28 bokafor pnowak
session 2026-06-01 bokafor pnowak dispute "C-10257: I asked for a strategy meeting, not a review"
every 2026-06-29 2026-10-05 28 bokafor pnowak
every 2025-12-08 2026-09-14 28 cdavies lmensah
session 2026-10-12 cdavies lmensah unsigned
every 2025-12-01 2026-09-21 28 bokafor rahmed
every 2025-12-15 2026-11-16 42 akhan bokafor
every 2025-12-15 2026-11-16 42 akhan cdavies
every 2025-12-15 2026-08-17 42 akhan gwilliams
every 2026-09-14 2026-10-12 7 bokafor jsmith
every 2026-10-26 2026-11-09 14 bokafor jsmith
every 2026-10-12 2026-11-16 7 cdavies tbrown

when 2026-10-30T14:05:00Z
as bokafor sup case close F-2041 --closed 2026-10-30
when 2026-11-02T10:20:00Z
as bokafor sup case open C-10320 --worker pnowak --opened 2026-11-02 \
	--child-protection

say "only admins may change the register (Jo is not one)"
when 2026-11-03T09:00:00Z
if as jsmith sup case open C-10399 --worker jsmith 2>&1; then
	echo "demo: a non-admin was allowed to open a case" >&2
	exit 1
fi

# Leave the repository acting as Amira, the first admin.
git -C "$REPO" config sup.user akhan
git -C "$REPO" config user.signingkey "$KEYS/akhan"
unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE

say "sup staff list"
sup -C "$REPO" staff list
say "sup case list --all"
sup -C "$REPO" case list --all

say "every commit, checked by git against sup staff allowed-signers"
sup -C "$REPO" staff allowed-signers >"$DEMO/allowed_signers"
git -C "$REPO" config gpg.ssh.allowedSignersFile "$DEMO/allowed_signers"
bad=0
n=0
for c in $(git -C "$REPO" rev-list HEAD); do
	n=$((n + 1))
	if ! git -C "$REPO" verify-commit "$c" 2>/dev/null; then
		echo "demo: commit $c does not verify" >&2
		bad=1
	fi
done
git -C "$REPO" log --reverse --format='%h %G? %<(27)%GS %ad %s' --date=short
if [ $bad -ne 0 ]; then
	exit 1
fi
if [ -n "$(git -C "$REPO" status --porcelain)" ]; then
	echo "demo: the working tree is not clean after sup's commits" >&2
	git -C "$REPO" status --short >&2
	exit 1
fi
echo "All $n commits carry a good signature by a registered key (G)."

rel() {
	case $1 in "$(pwd)"/*) echo "${1#"$(pwd)"/}" ;; *) echo "$1" ;; esac
}
R=$(rel "$REPO")
K=$(rel "$KEYS")
cat <<EOF

The demonstration repository is $R, acting as Amira Khan (akhan,
admin).  Try:

    $(rel "$BUILD")/sup -C $R staff list
    $(rel "$BUILD")/sup -C $R staff show jsmith
    git -C $R log --show-signature -1

To act as someone else, give the repository their id and key, e.g. Jo Smith:

    git -C $R config sup.user jsmith
    git -C $R config user.signingkey $KEYS/jsmith

People: $PEOPLE
(private keys in $K/ID; admins: akhan, bokafor).  git checks the
signatures with $(rel "$DEMO")/allowed_signers, which the repository's
gpg.ssh.allowedSignersFile names; make it again after the register changes:

    $(rel "$BUILD")/sup -C $R staff allowed-signers > $(rel "$DEMO")/allowed_signers
EOF

say "sup audit --overdue: who is overdue for supervision today"
# The audit exits 1 when it finds something, as a cron job wants; here
# findings are the point of the demonstration, not a failure.
status=0
sup -C "$REPO" audit --overdue || status=$?
if [ "$status" -gt 1 ]; then
	echo "demo: sup audit could not run (status $status)" >&2
	exit 1
fi
