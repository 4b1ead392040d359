#!/bin/sh
test_description='sup audit --late, --unsigned: recording and sign-off deadlines, stale sign-offs, disputes; the first-seen cache'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup' '
	audit_setup
'

test_expect_success 'late-record: committed on the 5th working day is in time' '
	at 2026-02-09 &&
	session 2026-02-02-jsmith 2026-02-02 akhan jsmith &&
	audit --late --as-of 2026-03-01 &&
	test "$status" = 0 &&
	hasnt late-record jsmith
'

test_expect_success 'late-record: committed on the 6th working day is late' '
	at 2026-03-10 &&
	session 2026-03-02-jsmith 2026-03-02 akhan jsmith &&
	audit --late --as-of 2026-03-20 --format json &&
	test "$status" = 1 &&
	test "$(finding_field late-record jsmith record)" = 2026-03-02-jsmith &&
	test "$(finding_field late-record jsmith due)" = 2026-03-09 &&
	test "$(finding_field late-record jsmith severity)" = warning &&
	finding_field late-record jsmith message >msg &&
	test_grep "first committed 2026-03-10, 6 working days after the meeting" msg
'

test_expect_success 'late-record: bank holidays are not working days (Easter 2026)' '
	# Monday 30 March + 5 working days, skipping Good Friday and Easter
	# Monday, is Wednesday 8 April
	at 2026-04-08 &&
	session 2026-03-30-bwilson 2026-03-30 akhan bwilson &&
	audit --late --person bwilson --as-of 2026-04-20 &&
	test "$status" = 0 &&
	hasnt late-record bwilson &&
	at 2026-04-09 &&
	session 2026-03-31-bwilson 2026-03-31 akhan bwilson &&
	audit --late --person bwilson --as-of 2026-04-20 &&
	hasnt late-record bwilson &&
	# Wednesday 1 April: Thursday, then Tuesday to Friday 10 April
	at 2026-04-13 &&
	session 2026-04-01-bwilson 2026-04-01 akhan bwilson &&
	audit --late --person bwilson --as-of 2026-04-20 --format csv &&
	test "$status" = 1 &&
	test_grep ",late-record,bwilson,2026-04-01-bwilson,2026-04-01,2026-04-10," out &&
	test_line_count = 2 out
'

test_expect_success 'the first-seen cache: made, resumed, rebuilt; never changes an answer' '
	cache="$REPO/.git/sup/cache/first-seen" &&
	test_path_is_file "$cache" &&
	head -n 2 "$cache" >head &&
	test_grep "^sup first-seen cache 1\$" head &&
	test_grep "^head $(git -C "$REPO" rev-parse HEAD)\$" head &&
	audit --late --as-of 2026-04-20 --format json &&
	cp out with-cache &&
	rm -f "$cache" &&
	audit --late --as-of 2026-04-20 --format json &&
	test_cmp with-cache out &&
	# a damaged cache is rebuilt, not trusted
	printf "sup first-seen cache 1\nhead %s\n1\trecords/2026/2026-03-02-jsmith.md\n" \
		"$(git -C "$REPO" rev-parse HEAD)" >"$cache" &&
	audit --late --as-of 2026-04-20 --format json &&
	test_expect_code 1 test_cmp with-cache out >/dev/null &&
	rm -f "$cache" &&
	printf "garbage\n" >"$cache" &&
	audit --late --as-of 2026-04-20 --format json &&
	test_cmp with-cache out &&
	# a cache of a head that is not an ancestor (history rewritten) is
	# thrown away
	printf "sup first-seen cache 1\nhead %s\n1\trecords/2026/2026-02-02-jsmith.md\n" \
		"$(git -C "$REPO" hash-object -t blob /dev/null)" >"$cache" &&
	audit --late --as-of 2026-04-20 --format json &&
	test_cmp with-cache out &&
	test_grep "^head $(git -C "$REPO" rev-parse HEAD)\$" "$cache"
'

test_expect_success 'the cache resumes from an ancestor head' '
	cache="$REPO/.git/sup/cache/first-seen" &&
	old=$(git -C "$REPO" rev-parse HEAD) &&
	at 2026-04-30 &&
	session 2026-04-20-jsmith 2026-04-20 akhan jsmith &&
	test_grep "^head $old\$" "$cache" &&
	audit --late --as-of 2026-05-01 --format json &&
	test "$(finding_field late-record jsmith record)" = 2026-03-02-jsmith &&
	test_grep "^head $(git -C "$REPO" rev-parse HEAD)\$" "$cache" &&
	test_grep "	records/2026/2026-04-20-jsmith.md\$" "$cache" &&
	python3 -c "
import json
recs = sorted(f[\"record\"] for f in json.load(open(\"out\"))[\"findings\"])
assert recs == [\"2026-03-02-jsmith\", \"2026-04-01-bwilson\", \"2026-04-20-jsmith\"], recs
" &&
	cp out resumed &&
	rm -f "$cache" &&
	audit --late --as-of 2026-05-01 --format json &&
	test_cmp resumed out
'

test_expect_success 'unsigned: not before the sign-off deadline, then for each missing party' '
	audit --unsigned --person jsmith --as-of 2026-02-16 &&
	hasnt unsigned jsmith &&
	grep 2026-02-02-jsmith out >/dev/null && false || true &&
	audit --unsigned --person jsmith --as-of 2026-02-17 --format json &&
	test "$status" = 1 &&
	test "$(finding_field unsigned jsmith record)" = 2026-02-02-jsmith &&
	test "$(finding_field unsigned jsmith due)" = 2026-02-16 &&
	finding_field unsigned jsmith message >msg &&
	test_grep "not signed by akhan (supervisor), jsmith (supervisee)" msg
'

test_expect_success 'unsigned: one signature is not enough; both sign and it is gone' '
	at 2026-02-20 &&
	sign akhan 2026-02-02-jsmith &&
	audit --unsigned --as-of 2026-02-20 --format json &&
	finding_field unsigned jsmith message >msg &&
	test_grep "not signed by jsmith (supervisee);" msg &&
	! grep akhan msg &&
	sign jsmith 2026-02-02-jsmith &&
	audit --unsigned --as-of 2026-02-20 --format csv &&
	! grep ",2026-02-02-jsmith," out
'

test_expect_success 'stale-signoff: the record changed after both signed' '
	f="$REPO/records/2026/2026-02-02-jsmith.md" &&
	echo "A line added by hand." >>"$f" &&
	git -C "$REPO" add "$f" &&
	git_commit_unsigned "hand edit" &&
	audit --unsigned --person jsmith --as-of 2026-02-20 --format json &&
	test "$status" = 1 &&
	test "$(finding_field stale-signoff jsmith record)" = 2026-02-02-jsmith &&
	finding_field stale-signoff jsmith message >msg &&
	test_grep "akhan (signed 20" msg &&
	test_grep "jsmith (signed 20" msg
'

test_expect_success 'stale-signoff: corrected when both sign the record as it is' '
	at 2026-02-21 &&
	signed_by_both 2026-02-02-jsmith akhan jsmith &&
	audit --unsigned --person jsmith --as-of 2026-02-21 --format csv &&
	! grep ",2026-02-02-jsmith," out
'

test_expect_success 'disputed: a sign-off with a dispute is information (exit 0)' '
	at 2026-03-12 &&
	sign akhan 2026-03-02-jsmith &&
	sign jsmith 2026-03-02-jsmith --dispute "the actions were not agreed" &&
	audit --unsigned --person jsmith --as-of 2026-03-20 --format json &&
	test "$status" = 0 &&
	test "$(finding_field disputed jsmith severity)" = info &&
	test "$(finding_field disputed jsmith record)" = 2026-03-02-jsmith &&
	finding_field disputed jsmith message >msg &&
	test_grep "jsmith (supervisee) signed with a dispute: the actions were not agreed" msg
'

test_expect_success 'disputed: resolved by an amendment both sign' '
	write_editor() { { echo "#!/bin/sh"; cat; } >"$TRASH_DIRECTORY/$1" && chmod +x "$TRASH_DIRECTORY/$1"; } &&
	write_editor resolve <<-\EOF &&
	printf "\nActions agreed after a further meeting.\n" >>"$1"
	EOF
	at 2026-03-13 &&
	act akhan env EDITOR="$TRASH_DIRECTORY/resolve" sup edit --amend "actions agreed" 2026-03-02-jsmith >/dev/null &&
	signed_by_both 2026-03-02-jsmith akhan jsmith &&
	audit --unsigned --person jsmith --as-of 2026-03-20 &&
	test "$status" = 0 &&
	hasnt disputed jsmith &&
	test_grep "No findings" out
'

test_done
