#!/bin/sh
test_description='sup show: md, html and json (golden files), lookup by id, prefix and path'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

ID=2026-04-06-jsmith

test_expect_success 'setup: a session with HTML in it, signed by akhan, disputed by jsmith' '
	setup_repo &&
	act_as akhan &&
	SUP_TEST_ACTIONS="{n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-101}" \
	new_complete session --with jsmith --date 2026-04-06 >/dev/null &&
	write_editor inject <<-\EOF &&
	sed -i -e "s/^location: .*/location: \"<b>Room 4<\/b> \& annexe\"/" \
	       -e "/^## Agenda/a\\
	\\
	<script>alert(1)</script>\\
	\\
	Caseload <em>first</em>, then **C-101**." "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/inject" sup edit $ID) >/dev/null &&
	test_grep -x "<script>alert(1)</script>" "$(rec_path $ID)" &&
	sign_as akhan $ID >/dev/null &&
	act_as jsmith &&
	test_tick &&
	(cd "$REPO" && sup sign --dispute "The review date for C-101 was 2026-05-11" $ID) >/dev/null &&
	act_as akhan &&
	new_complete session --with jsmith --date 2026-04-20 >/dev/null &&
	new_complete session --with bwilson --date 2026-04-07 >/dev/null
'

test_expect_success 'show (md): the record as written, then the sign-off state' '
	sup -C "$REPO" show $ID >out &&
	mask_proofs <out >actual &&
	golden t1200-show.md actual &&
	# the record itself comes first, byte for byte
	head -c "$(wc -c <"$(rec_path $ID)")" out >head &&
	test_cmp "$(rec_path $ID)" head &&
	test_grep "^-- sign-off: disputed (digest sha256:[0-9a-f]\{64\})\$" out &&
	test_grep "^   supervisor  akhan        signed    at 2026-01-01T00:[0-9:]*Z commit [0-9a-f]\{12\} signature good by akhan key SHA256:" out &&
	test_grep "^               disputed: The review date for C-101 was 2026-05-11\$" out
'

test_expect_success 'show --format md is the default' '
	sup -C "$REPO" show --format md $ID >md &&
	sup -C "$REPO" show $ID >default &&
	test_cmp default md
'

test_expect_success 'show --format html: golden, and no raw HTML from the record' '
	sup -C "$REPO" show --format html $ID >actual &&
	golden t1200-show.html actual &&
	! grep -i "<script" actual &&
	! grep "alert(1)" actual &&
	! grep "<em>" actual &&
	! grep "<b>" actual &&
	test_grep "<dt>location</dt><dd>&lt;b&gt;Room 4&lt;/b&gt; &amp; annexe</dd>" actual &&
	test_grep "<strong>C-101</strong>" actual &&
	test_grep "^<p class=\"state\">Sign-off: disputed</p>\$" actual
'

test_expect_success PYTHON 'show --format json: golden, valid JSON with the fields sup wrote' '
	sup -C "$REPO" show --format json $ID >out &&
	mask_proofs <out >actual &&
	golden t1200-show.json actual &&
	python3 - <<-\PY
	import json
	d = json.load(open("out"))
	fm = d["front_matter"]
	assert d["path"] == "records/2026/2026-04-06-jsmith.md"
	assert fm["id"] == "2026-04-06-jsmith" and fm["type"] == "session"
	assert fm["date"] == "2026-04-06" and fm["minutes"] == 90
	assert fm["location"] == "<b>Room 4</b> & annexe"
	assert fm["functions"] == ["performance", "development", "support"]
	assert [c["ref"] for c in fm["cases"]] == ["C-100", "C-101"]
	assert fm["actions"][0] == {"n": 1, "text": "Book core group", "owner": "jsmith",
	                            "due": "2026-04-20", "case": "C-101"}
	assert "<script>alert(1)</script>" in d["body"]
	assert d["state"] == "disputed"
	p = {x["id"]: x for x in d["parties"]}
	assert p["akhan"]["state"] == "signed" and p["akhan"]["signature"] == "good"
	assert p["jsmith"]["state"] == "disputed" and p["jsmith"]["must_sign"] is True
	assert len(p["akhan"]["commit"]) == 40
	assert d["digest"].startswith("sha256:") and len(d["digest"]) == 71
	PY
'

test_expect_success 'lookup by unique prefix and by path gives the same record' '
	sup -C "$REPO" show $ID >by-id &&
	sup -C "$REPO" show 2026-04-06 >by-prefix &&
	test_cmp by-id by-prefix &&
	sup -C "$REPO" show records/2026/$ID.md >by-path &&
	test_cmp by-id by-path &&
	(cd "$REPO/records/2026" && sup show ./$ID.md) >by-relpath &&
	test_cmp by-id by-relpath &&
	sup -C "$REPO" show $ID.md >by-name &&
	test_cmp by-id by-name
'

test_expect_success 'an ambiguous prefix lists the candidates (exit 1)' '
	test_expect_code 1 sup -C "$REPO" show 2026-04 2>err &&
	printf "sup show: %s is ambiguous: it could be any of\n\t%s\n\t%s\n\t%s\n" \
		"'"'"'2026-04'"'"'" 2026-04-06-jsmith 2026-04-07-bwilson 2026-04-20-jsmith >expect &&
	test_cmp expect err
'

test_expect_success 'no such record (exit 2: SUP_ENOTFOUND is "could not run")' '
	test_expect_code 2 sup -C "$REPO" show 2026-05 2>err &&
	expect_error show "^sup show: no record .2026-05. \(see .sup list. for the records there are\)$"
'

test_expect_success 'an unknown format is a usage error (exit 2)' '
	test_expect_code 2 sup -C "$REPO" show --format pdf $ID 2>err &&
	test_grep "^sup show: unknown format .pdf. (md, html or json)" err
'

test_expect_success 'show an unsigned record: awaiting both' '
	sup -C "$REPO" show 2026-04-07-bwilson >out &&
	test_grep "^-- sign-off: awaiting akhan, bwilson (digest sha256:" out &&
	test_grep "^   supervisee  bwilson      unsigned *\$" out
'

test_done
