#!/bin/sh
test_description='sup sign: supervisor and supervisee sign, dispute, stale, amend and sign again'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sign.sh"

R=2026-03-02-jsmith
RP=records/2026/2026-03-02-jsmith.md

test_expect_success 'setup: akhan records a session with jsmith' '
	setup_repo &&
	new_session $R 2026-03-02 akhan jsmith C-100 C-101 &&
	git -C "$REPO" show HEAD:$RP >recorded &&
	test_grep ! "^signoffs:" recorded &&
	sup -C "$REPO" show $R >show &&
	test_grep "^-- sign-off: awaiting akhan, jsmith (digest sha256:[0-9a-f]\{64\})$" show
'

test_expect_success 'the supervisor signs: one signed commit that adds only the sign-off' '
	git -C "$REPO" rev-parse HEAD >before &&
	sign_as akhan $R >out &&
	echo "Signed $R as supervisor." >expect &&
	test_cmp expect out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat before)" &&
	git -C "$REPO" rev-parse HEAD >akhan.commit &&
	git -C "$REPO" diff-tree --no-commit-id --name-status -r HEAD >changed &&
	printf "M\t%s\n" $RP >expect &&
	test_cmp expect changed &&
	git -C "$REPO" log -1 --format=%B >msg &&
	printf "sup: sign %s\n\nSup-Record: %s\nSup-Action: sign\nSup-Actor: akhan\n\n" $R $R >expect &&
	test_cmp expect msg &&
	git -C "$REPO" log -1 --format="%an <%ae>|%cn <%ce>|%ct" >who &&
	echo "Aisha Khan <akhan@example.org>|Aisha Khan <akhan@example.org>|$test_tick" >expect &&
	test_cmp expect who &&
	git -C "$REPO" cat-file commit HEAD >raw &&
	test_grep "^gpgsig -----BEGIN SSH SIGNATURE-----$" raw &&
	test "$(grep -c "^gpgsig" raw)" = 1 &&
	git -C "$REPO" status --porcelain >status &&
	test_must_be_empty status
'

test_expect_success 'the sign-off is the last thing in the front matter; the rest is byte for byte the same' '
	git -C "$REPO" show HEAD:$RP >signed &&
	d=$(python3 "$DIGEST_PY" recorded) &&
	at=$(date -u -d @$test_tick +%Y-%m-%dT%H:%M:%SZ) &&
	awk "/^next_session:/ { print; print \"signoffs:\"; print \"  - {by: akhan, role: supervisor, at: $at, digest: \\\"$d\\\"}\"; next } { print }" recorded >expect &&
	test_cmp expect signed &&
	python3 "$DIGEST_PY" signed >d2 &&
	echo "$d" >d1 &&
	test_cmp d1 d2
'

test_expect_success 'sup show: akhan signed with a good signature by his own key' '
	sup -C "$REPO" show $R >show &&
	test_grep "^-- sign-off: awaiting jsmith " show &&
	fpr=$(ssh_fpr "$KEYS/akhan.pub") &&
	c=$(cut -c1-12 akhan.commit) &&
	test_grep -E "^ +supervisor +akhan +signed +at [0-9T:Z-]+ commit $c signature good by akhan key $(re_escape "$fpr")$" show &&
	test_grep -E "^ +supervisee +jsmith +unsigned *$" show
'

test_expect_success 'the supervisee signs' '
	sign_as jsmith $R >out &&
	echo "Signed $R as supervisee." >expect &&
	test_cmp expect out &&
	git -C "$REPO" rev-parse HEAD >jsmith.commit &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat akhan.commit)" &&
	git -C "$REPO" log -1 --format="%an <%ae>|%(trailers:key=Sup-Actor,valueonly,separator=)|%(trailers:key=Sup-Action,valueonly,separator=)" >who &&
	echo "Jo Smith <jsmith@example.org>|jsmith|sign" >expect &&
	test_cmp expect who &&
	git -C "$REPO" show HEAD:$RP >both &&
	sed -n "/^signoffs:/,/^---$/p" both >block &&
	test_line_count = 4 block &&
	test_grep "^  - {by: akhan, role: supervisor, " block &&
	test_grep "^  - {by: jsmith, role: supervisee, " block
'

test_expect_success 'stock git verify-commit accepts both sign-offs, naming the right person' '
	allowed_signers &&
	git -C "$REPO" verify-commit "$(cat akhan.commit)" 2>v1 &&
	test_grep "Good \"git\" signature for akhan@example.org with ED25519 key $(ssh_fpr "$KEYS/akhan.pub")" v1 &&
	git -C "$REPO" verify-commit "$(cat jsmith.commit)" 2>v2 &&
	test_grep "Good \"git\" signature for jsmith@example.org with ED25519 key $(ssh_fpr "$KEYS/jsmith.pub")" v2 &&
	git -C "$REPO" log -2 --format="%G? %GS" >gs &&
	printf "G jsmith@example.org\nG akhan@example.org\n" >expect &&
	test_cmp expect gs &&
	verify_all_commits
'

test_expect_success 'sup show: signed, each sign-off proved by its own commit' '
	sup -C "$REPO" show $R >show &&
	test_grep "^-- sign-off: signed " show &&
	test_grep -E "^ +supervisor +akhan +signed +at .* commit $(cut -c1-12 akhan.commit) signature good by akhan key $(re_escape "$(ssh_fpr "$KEYS/akhan.pub")")$" show &&
	test_grep -E "^ +supervisee +jsmith +signed +at .* commit $(cut -c1-12 jsmith.commit) signature good by jsmith key $(re_escape "$(ssh_fpr "$KEYS/jsmith.pub")")$" show &&
	show_json $R j &&
	test "$(json_get j "d[\"state\"]")" = signed &&
	test "$(json_get j "[p[\"signature\"] for p in d[\"parties\"]]")" = "[\"good\", \"good\"]" &&
	test "$(json_get j "party(d, \"akhan\")[\"commit\"]")" = "$(cat akhan.commit)" &&
	test "$(json_get j "party(d, \"jsmith\")[\"commit\"]")" = "$(cat jsmith.commit)" &&
	test "$(json_get j "party(d, \"jsmith\")[\"key\"]")" = "$(ssh_fpr "$KEYS/jsmith.pub")" &&
	test "$(json_get j "d[\"digest\"]")" = "$(python3 "$DIGEST_PY" "$REPO/$RP")" &&
	sup -C "$REPO" list >list &&
	test_grep -E "^$R +session +2026-03-02 +akhan +jsmith +signed *$" list &&
	sup -C "$REPO" list --unsigned >unsigned &&
	test_grep ! "$R" unsigned
'

test_expect_success 'signing the same content twice is refused (exit 1), nothing changes' '
	become jsmith &&
	save_state &&
	test_expect_code 1 sup -C "$REPO" sign $R 2>err &&
	expect_error sign "^sup sign: $RP: jsmith has already signed this version \(at 2026-" &&
	check_state
'

test_expect_success 'a plain edit of a signed record is refused: it needs --amend' '
	become akhan &&
	write_script_editor () {
		printf "#!/bin/sh\nsed -i \"s/^Visits and recording up to date.\$/$1/\" \"\$1\"\n" >"$TRASH_DIRECTORY/editor" &&
		chmod +x "$TRASH_DIRECTORY/editor"
	} &&
	write_script_editor "Two visits are late." &&
	save_state &&
	test_expect_code 1 env EDITOR="$TRASH_DIRECTORY/editor" sup -C "$REPO" edit $R 2>err &&
	expect_error edit "is signed; to change it, give a reason: sup edit --amend" &&
	check_state
'

test_expect_success 'a supervisee disputes a record: state disputed in show and list' '
	become akhan &&
	new_session 2026-03-30-jsmith 2026-03-30 akhan jsmith C-100 C-101 &&
	sign_as akhan 2026-03-30-jsmith >/dev/null &&
	sign_as jsmith 2026-03-30-jsmith --dispute "The C-101 decision was not what we agreed" >out &&
	echo "Signed, with your dispute recorded, 2026-03-30-jsmith as supervisee." >expect &&
	test_cmp expect out &&
	git -C "$REPO" log -1 --format="%s|%(trailers:key=Sup-Action,valueonly,separator=)" >s &&
	echo "sup: dispute 2026-03-30-jsmith|dispute" >expect &&
	test_cmp expect s &&
	git -C "$REPO" show HEAD:records/2026/2026-03-30-jsmith.md >disputed &&
	test_grep "^  - {by: jsmith, role: supervisee, at: [0-9T:Z-]*, digest: \"sha256:[0-9a-f]*\", dispute: \"\{0,1\}The C-101 decision was not what we agreed\"\{0,1\}}$" disputed &&
	show_json 2026-03-30-jsmith j &&
	test "$(json_get j "d[\"state\"]")" = disputed &&
	test "$(json_get j "party(d, \"jsmith\")[\"state\"]")" = disputed &&
	test "$(json_get j "party(d, \"jsmith\")[\"signature\"]")" = good &&
	test "$(json_get j "party(d, \"akhan\")[\"state\"]")" = signed &&
	sup -C "$REPO" show 2026-03-30-jsmith >show &&
	test_grep "^-- sign-off: disputed " show &&
	test_grep "^ *disputed: The C-101 decision was not what we agreed$" show &&
	sup -C "$REPO" list >list &&
	test_grep -E "^2026-03-30-jsmith +session +2026-03-30 +akhan +jsmith +disputed *$" list &&
	verify_all_commits
'

test_expect_success 'a dispute needs a reason (usage, exit 2)' '
	become jsmith &&
	save_state &&
	test_expect_code 2 sup -C "$REPO" sign --dispute "" $R 2>err &&
	test_grep "^sup sign: --dispute needs the reason you disagree$" err &&
	check_state
'

test_expect_success 'a hand edit of the body under the sign-offs (plain git): both stale' '
	sed -i "s/^Visits and recording up to date.\$/Two visits are late./" "$REPO/$RP" &&
	git -C "$REPO" add $RP &&
	test_tick &&
	git_commit_unsigned "tidy the wording" &&
	show_json $R j &&
	test "$(json_get j "d[\"state\"]")" = stale &&
	test "$(json_get j "[p[\"state\"] for p in d[\"parties\"]]")" = "[\"stale\", \"stale\"]" &&
	test "$(json_get j "d[\"digest\"]")" = "$(python3 "$DIGEST_PY" "$REPO/$RP")" &&
	test "$(json_get j "d[\"digest\"]")" != "$(python3 "$DIGEST_PY" both)" &&
	sup -C "$REPO" show $R >show &&
	test_grep "^-- sign-off: stale " show &&
	test_grep -E "^ +supervisor +akhan +stale " show &&
	test_grep -E "^ +supervisee +jsmith +stale " show &&
	sup -C "$REPO" list --unsigned >unsigned &&
	test_grep -E "^$R +session +2026-03-02 +akhan +jsmith +stale *$" unsigned &&
	test_grep ! "2026-03-30-jsmith" unsigned
'

test_expect_success 'the stale sign-offs still show the commits that made them, good' '
	test "$(json_get j "party(d, \"akhan\")[\"commit\"]")" = "$(cat akhan.commit)" &&
	test "$(json_get j "party(d, \"akhan\")[\"signature\"]")" = good
'

test_expect_success 'sup edit --amend: sign-offs cleared, the reason kept, then both sign again' '
	become akhan &&
	cat >"$TRASH_DIRECTORY/editor" <<-\EOF &&
	#!/bin/sh
	sed -i "s/^Two visits are late\.$/Two visits are late; catch-up plan agreed./" "$1"
	EOF
	chmod +x "$TRASH_DIRECTORY/editor" &&
	test_tick &&
	EDITOR="$TRASH_DIRECTORY/editor" sup -C "$REPO" edit --amend "late visits were not recorded" $R >out &&
	echo "Amended $R." >expect &&
	test_cmp expect out &&
	git -C "$REPO" show HEAD:$RP >amended &&
	test_grep ! "^signoffs:" amended &&
	test_grep "^  - {by: akhan, at: [0-9T:Z-]*, reason: \"\{0,1\}late visits were not recorded\"\{0,1\}}$" amended &&
	test_grep "^Two visits are late; catch-up plan agreed.$" amended &&
	git -C "$REPO" log -1 --format="%(trailers:key=Sup-Action,valueonly,separator=)" >a &&
	echo amend >expect &&
	test_cmp expect a &&
	show_json $R j &&
	test "$(json_get j "d[\"state\"]")" = "awaiting akhan, jsmith" &&
	sign_as akhan $R >/dev/null &&
	sign_as jsmith $R >/dev/null &&
	show_json $R j &&
	test "$(json_get j "d[\"state\"]")" = signed &&
	test "$(json_get j "[(p[\"state\"], p[\"signature\"]) for p in d[\"parties\"]]")" = "[[\"signed\", \"good\"], [\"signed\", \"good\"]]" &&
	test "$(json_get j "party(d, \"jsmith\")[\"commit\"]")" = "$(git -C "$REPO" rev-parse HEAD)" &&
	sup -C "$REPO" list --unsigned >unsigned &&
	test_grep ! "$R" unsigned &&
	git -C "$REPO" show HEAD:$RP >resigned &&
	test "$(python3 "$DIGEST_PY" resigned)" = "$(python3 "$DIGEST_PY" amended)"
'

test_expect_success 'the amendment time honours GIT_COMMITTER_DATE, as sign-offs do' '
	git -C "$REPO" log -1 --format=%ct --grep="^Sup-Action: amend" >ct &&
	at=$(date -u -d @$(cat ct) +%Y-%m-%dT%H:%M:%SZ) &&
	test_grep "^  - {by: akhan, at: $at, " amended
'

test_expect_success 'every commit of the repository passes stock git verify-commit but the hand edit' '
	allowed_signers &&
	for c in $(git -C "$REPO" rev-list HEAD); do
		if git -C "$REPO" verify-commit "$c" 2>/dev/null; then
			echo "good $(git -C "$REPO" log -1 --format=%s $c)"
		else
			echo "rejected $(git -C "$REPO" log -1 --format=%s $c)"
		fi
	done >verdicts &&
	test_grep -x "rejected tidy the wording" verdicts &&
	test "$(grep -c "^rejected" verdicts)" = 1
'

test_done
