#!/bin/sh
test_description='sup new: every record type written in a real (scripted) editor, signed commits, read back by pandoc'

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-records.sh"

command -v pandoc >/dev/null 2>&1 && test_set_prereq PANDOC
command -v tmux >/dev/null 2>&1 && test_set_prereq TMUX
command -v ed >/dev/null 2>&1 && test_set_prereq ED

test_expect_success 'setup: akhan supervises jsmith, bwilson, cjones; dlee is a manager' '
	setup_repo &&
	make_ssh_key cjones &&
	make_ssh_key dlee &&
	(
		cd "$REPO" &&
		test_tick &&
		sup staff add cjones --name "Cal Jones" --role practitioner \
			--email cjones@example.org --supervisor akhan \
			--started 2026-04-01 --key "$KEYS/cjones.pub" >/dev/null &&
		test_tick &&
		sup staff add dlee --name "Dee Lee" --role manager \
			--email dlee@example.org --started 2024-01-01 \
			--key "$KEYS/dlee.pub" >/dev/null
	) &&
	act_as akhan
'

# commit_is ID ACTION: HEAD is sup's one signed commit writing record ID,
# on top of $TRASH_DIRECTORY/before, touching only its file.
commit_is () {
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$(cat "$TRASH_DIRECTORY/before")" &&
	git -C "$REPO" diff-tree --no-commit-id --name-status -r HEAD >changed &&
	printf "A\trecords/%s/%s.md\n" "$(echo "$1" | cut -c1-4)" "$1" >expect.changed &&
	test_cmp expect.changed changed &&
	git -C "$REPO" log -1 --format=%B >msg &&
	printf "sup: %s %s\n\nSup-Record: %s\nSup-Action: %s\nSup-Actor: akhan\n\n" \
		"$2" "$1" "$1" "$2" >expect.msg &&
	test_cmp expect.msg msg &&
	git -C "$REPO" log -1 --format="%an <%ae>" >author &&
	echo "Aisha Khan <akhan@example.org>" >expect.author &&
	test_cmp expect.author author &&
	allowed_signers &&
	git -C "$REPO" verify-commit HEAD 2>verify &&
	test_grep "Good \"git\" signature for akhan@example.org" verify &&
	git -C "$REPO" status --porcelain >status &&
	test_must_be_empty status &&
	no_drafts
}

test_expect_success 'session: sed edits of single lines, as a person would' '
	write_editor session-sed <<-\EOF &&
	cp "$1" "$TRASH_DIRECTORY/seen"
	sed -i -e "s/^start:\$/start: \"09:30\"/" \
	       -e "s/^minutes:\$/minutes: 75/" \
	       -e "s/^location:\$/location: Room 4/" \
	       -e "s/^functions: \\[\\]/functions: [performance, support]/" \
	       -e "/^  - ref: C-101/{n;s/decision:\$/decision: Core group within 10 days/;n;s/review:\$/review: 2026-05-18/}" \
	       -e "s/^actions: \\[\\]/actions:\\n  - {n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-101}/" \
	       -e "/^## Agenda/a\\
	\\
	Caseload and the core group for C-101." "$1"
	EOF
	git -C "$REPO" rev-parse HEAD >before &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/session-sed" sup new session --with jsmith --date 2026-04-06) >out &&
	echo "Recorded 2026-04-06-jsmith (records/2026/2026-04-06-jsmith.md)." >expect &&
	test_cmp expect out &&
	commit_is 2026-04-06-jsmith new &&
	f=$(rec_path 2026-04-06-jsmith) &&
	cat >expect <<-\EOF &&
	---
	id: "2026-04-06-jsmith"
	type: session
	date: 2026-04-06
	start: "09:30"
	minutes: 75
	supervisor: akhan
	supervisee: jsmith
	location: Room 4
	functions: [performance, support]
	cases:
	  - ref: C-100
	    decision:
	    review:
	  - ref: C-101
	    decision: Core group within 10 days
	    review: 2026-05-18
	reviewed_actions: []
	actions:
	  - {n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-101}
	next_session: 2026-05-04
	---
	EOF
	front_matter "$f" >actual &&
	test_cmp expect actual &&
	test_grep -x "Caseload and the core group for C-101." "$f" &&
	test_grep -x "### C-100" "$f" &&
	test_grep -x "### C-101" "$f" &&
	test_grep -x "## Personal support and wellbeing" "$f" &&
	# the editor saw the pre-filled record, not an empty file
	test_grep -x "supervisee: jsmith" "$TRASH_DIRECTORY/seen" &&
	test_grep -x "## Agenda" "$TRASH_DIRECTORY/seen" &&
	git -C "$REPO" show HEAD:records/2026/2026-04-06-jsmith.md >committed &&
	test_cmp committed "$f"
'

test_expect_success PYTHON 'group: a python edit of the minutes, attendees from --with' '
	write_editor group-py <<-\EOF &&
	exec python3 - "$1" <<PY
	import sys
	p = sys.argv[1]
	t = open(p).read()
	t = t.replace("ground_rules_agreed: false", "ground_rules_agreed: true")
	t = t.replace("functions: []", "functions: [development, support]")
	t = t.replace("location:\n", "location: Hub, Room 2\n")
	t = t.replace("## Attendees and apologies\n", "## Attendees and apologies\n\nJo, Ben; apologies from Cal.\n")
	open(p, "w").write(t)
	PY
	EOF
	git -C "$REPO" rev-parse HEAD >before &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/group-py" sup new group --with jsmith,bwilson --date 2026-04-08) >out &&
	test_grep -x "Recorded 2026-04-08-group-akhan (records/2026/2026-04-08-group-akhan.md)." out &&
	commit_is 2026-04-08-group-akhan new &&
	f=$(rec_path 2026-04-08-group-akhan) &&
	test "$(fm_value "$f" type)" = group &&
	test "$(fm_value "$f" supervisees)" = "[jsmith, bwilson]" &&
	test "$(fm_value "$f" ground_rules_agreed)" = true &&
	test "$(fm_value "$f" location)" = "Hub, Room 2" &&
	test "$(fm_value "$f" functions)" = "[development, support]" &&
	# a group carries no one'"'"'s cases by default
	test "$(fm_value "$f" cases)" = "[]" &&
	test_grep -x "Jo, Ben; apologies from Cal." "$f"
'

test_expect_success ED 'oversight: an ed session adds an action under the one case' '
	write_editor oversight-ed <<-\EOF &&
	ed -s "$1" <<ED
	/^location:/s/\$/ Phone/
	/^actions: \[\]/c
	actions:
	  - {n: 1, text: Strategy discussion today, owner: jsmith, due: 2026-04-09, case: C-101}
	.
	/^## Decision and rationale/a

	Strategy discussion under section 47 today.
	.
	w
	q
	ED
	EOF
	git -C "$REPO" rev-parse HEAD >before &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/oversight-ed" sup new oversight --with jsmith --case C-101 --date 2026-04-09) >out &&
	test_grep -x "Recorded 2026-04-09-jsmith-oversight (records/2026/2026-04-09-jsmith-oversight.md)." out &&
	commit_is 2026-04-09-jsmith-oversight new &&
	f=$(rec_path 2026-04-09-jsmith-oversight) &&
	test "$(fm_value "$f" case)" = C-101 &&
	test "$(fm_value "$f" location)" = Phone &&
	fm_block "$f" actions >actual &&
	cat >expect <<-\EOF &&
	actions:
	  - {n: 1, text: Strategy discussion today, owner: jsmith, due: 2026-04-09, case: C-101}
	EOF
	test_cmp expect actual &&
	test_grep -x "Strategy discussion under section 47 today." "$f"
'

test_expect_success 'oversight needs exactly one --case (exit 2, nothing written)' '
	save_state &&
	test_expect_code 2 sup -C "$REPO" new oversight --with jsmith --date 2026-04-09 2>err &&
	expect_error new "an oversight record is about one case: give --case REF" &&
	check_state &&
	no_drafts
'

test_expect_success 'contract: frequency and review date pre-filled from the policy' '
	write_editor contract-sed <<-\EOF &&
	sed -i -e "s/^location:\$/location: Room 4, or Teams when remote/" \
	       -e "s/^frequency: .*/frequency: 3 weeks/" "$1"
	EOF
	git -C "$REPO" rev-parse HEAD >before &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/contract-sed" sup new contract --with cjones --date 2026-04-01) >out &&
	commit_is 2026-04-01-cjones-contract new &&
	f=$(rec_path 2026-04-01-cjones-contract) &&
	test "$(fm_value "$f" frequency)" = "3 weeks" &&
	test "$(fm_value "$f" review_due)" = 2027-04-01 &&
	test "$(fm_value "$f" supervisee)" = cjones &&
	test_grep "^Supervision agreement between Cal Jones (supervisee) and\$" "$f" &&
	test_grep "^Aisha Khan (supervisor), made on 2026-04-01.\$" "$f" &&
	! grep "{{" "$f"
'

test_expect_success 'handover: --set to=ID names the incoming supervisor' '
	write_editor handover-sed <<-\EOF &&
	sed -i -e "/^## Reason for the change/a\\
	\\
	Akhan moves to the fostering team on 1 May." "$1"
	EOF
	git -C "$REPO" rev-parse HEAD >before &&
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/handover-sed" sup new handover --with jsmith --set to=dlee --date 2026-04-24) >out &&
	commit_is 2026-04-24-jsmith-handover new &&
	f=$(rec_path 2026-04-24-jsmith-handover) &&
	test "$(fm_value "$f" from)" = akhan &&
	test "$(fm_value "$f" to)" = dlee &&
	test "$(fm_value "$f" supervisee)" = jsmith &&
	fm_block "$f" cases >actual &&
	cat >expect <<-\EOF &&
	cases:
	  - ref: C-100
	    decision:
	    review:
	  - ref: C-101
	    decision:
	    review:
	EOF
	test_cmp expect actual &&
	test_grep -x "Handover of supervision for Jo Smith, 2026-04-24." "$f" &&
	test_grep -x "Akhan moves to the fostering team on 1 May." "$f"
'

test_expect_success 'handover without to: is refused at the to: line, the draft kept' '
	write_editor touch-location <<-\EOF &&
	sed -i -e "s/^location:\$/location: Room 1/" "$1"
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/touch-location" \
		sup -C "$REPO" new handover --with bwilson --date 2026-04-24 2>err &&
	line=$(grep -n "^to:" "$(draft_of 2026-04-24-bwilson-handover)" | cut -d: -f1) &&
	test_grep "^sup new: records/2026/2026-04-24-bwilson-handover.md:$line:[0-9]*: " err &&
	test_grep -x "location: Room 1" "$(draft_of 2026-04-24-bwilson-handover)" &&
	check_state &&
	rm "$(draft_of 2026-04-24-bwilson-handover)"
'

test_expect_success 'a second session on the same day gets the id -2' '
	write_editor loc <<-\EOF &&
	sed -i -e "s/^location:\$/location: Car park/" "$1"
	EOF
	test_tick &&
	(cd "$REPO" && EDITOR="$EDITORS/loc" sup new session --with jsmith --date 2026-04-06) >out &&
	test_grep -x "Recorded 2026-04-06-jsmith-2 (records/2026/2026-04-06-jsmith-2.md)." out &&
	test "$(fm_value "$(rec_path 2026-04-06-jsmith-2)" id)" = "\"2026-04-06-jsmith-2\""
'

test_expect_success 'quitting the editor without a change abandons: exit 0, no commit, no draft' '
	save_state &&
	(cd "$REPO" && EDITOR=true sup new session --with bwilson --date 2026-04-10) >out 2>err &&
	test_grep -x "Nothing saved: the record was left unchanged." out &&
	test_must_be_empty err &&
	check_state &&
	no_drafts
'

test_expect_success 'emptying the file abandons too' '
	write_editor empty <<-\EOF &&
	: >"$1"
	EOF
	save_state &&
	(cd "$REPO" && EDITOR="$EDITORS/empty" sup new session --with bwilson --date 2026-04-10) >out &&
	test_grep -x "Nothing saved: the record was left unchanged." out &&
	check_state &&
	no_drafts
'

test_expect_success 'an unknown record type on the command line: exit 1, before any editor' '
	write_editor must-not-run <<-\EOF &&
	echo ran >"$TRASH_DIRECTORY/editor-ran"
	EOF
	save_state &&
	test_expect_code 1 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" new sesion --with jsmith 2>err &&
	expect_error new "^sup new: unknown record type .sesion. \(one of session, group, oversight, contract, handover\)$" &&
	test_path_is_missing editor-ran &&
	check_state
'

test_expect_success 'no --with and no terminal: exit 2, asks for --with' '
	save_state &&
	test_expect_code 2 env EDITOR="$EDITORS/must-not-run" \
		sup -C "$REPO" new session --date 2026-04-10 2>err </dev/null &&
	test_grep "^sup new: whom is the record about? give --with ID" err &&
	test_path_is_missing editor-ran &&
	check_state
'

cat >"$TRASH_DIRECTORY/meta.tpl" <<\EOF
id=$id$
type=$type$
date=$date$
supervisor=$supervisor$
supervisee=$supervisee$
functions=$for(functions)$$functions$$sep$,$endfor$
cases=$for(cases)$$cases.ref$:$cases.review$$sep$,$endfor$
actions=$for(actions)$$actions.n$/$actions.owner$/$actions.due$$sep$,$endfor$
EOF

test_expect_success PANDOC 'pandoc reads the front matter sup wrote: the same values' '
	f=$(rec_path 2026-04-06-jsmith) &&
	pandoc -f markdown -t plain --template="$TRASH_DIRECTORY/meta.tpl" "$f" >actual &&
	cat >expect <<-\EOF &&
	id=2026-04-06-jsmith
	type=session
	date=2026-04-06
	supervisor=akhan
	supervisee=jsmith
	functions=performance,support
	cases=C-100:,C-101:2026-05-18
	actions=1/jsmith/2026-04-20
	EOF
	test_cmp expect actual
'

test_expect_success PANDOC,PYTHON 'pandoc JSON metadata agrees with sup show --format json' '
	f=$(rec_path 2026-04-08-group-akhan) &&
	pandoc -s -f markdown -t json "$f" >pandoc.json &&
	sup -C "$REPO" show --format json 2026-04-08-group-akhan >sup.json &&
	python3 - <<-\PY
	import json
	def text(v):
	    # pandoc metadata: MetaInlines / MetaString / MetaBool / MetaList
	    t, c = v["t"], v.get("c")
	    if t == "MetaList":
	        return [text(x) for x in c]
	    if t == "MetaBool":
	        return c
	    if t == "MetaString":
	        return c
	    out = []
	    for i in c:
	        out.append({"Str": lambda: i["c"], "Space": lambda: " "}.get(i["t"], lambda: "")())
	    return "".join(out)
	meta = json.load(open("pandoc.json"))["meta"]
	fm = json.load(open("sup.json"))["front_matter"]
	for k in ("id", "type", "date", "supervisor", "supervisees", "location",
	          "ground_rules_agreed", "functions"):
	    assert text(meta[k]) == fm[k], (k, text(meta[k]), fm[k])
	PY
'

test_expect_success TMUX 'on a terminal with no --with: a numbered choice, most overdue first' '
	write_editor tmux-fill <<-\EOF &&
	sed -i -e "s/^location:\$/location: Chosen on a terminal/" "$1"
	EOF
	# cjones started 2026-04-01 (first session within 4 weeks: 2026-04-29);
	# bwilson started 2025-06-01 (2025-06-29); jsmith had a session on
	# 2026-04-06 (practitioner, 4 weeks: 2026-05-04)
	TMUX_TMPDIR="$TRASH_DIRECTORY/tmp" &&
	export TMUX_TMPDIR &&
	# no prompt: on a loaded machine the shell can print its first prompt
	# after the typed command, in front of what sup prints
	sock=supt$$ &&
	tmux -L $sock -f /dev/null new-session -d -s sup -x 160 -y 40 \
		"env PS1= EDITOR=$EDITORS/tmux-fill sh" &&
	tmux -L $sock send-keys -t sup \
		"cd \"$REPO\" && sup new session --date 2026-04-13; echo EXIT=\$?" Enter &&
	i=0 &&
	while ! tmux -L $sock capture-pane -p -J -t sup | grep -q "^Number (1-3)"; do
		i=$((i + 1)) && test $i -lt 600 && sleep 0.1 || break
	done &&
	tmux -L $sock capture-pane -p -J -t sup >screen1 &&
	# on failure, show what the terminal showed
	{ grep -q "^Number (1-3)" screen1 || { cat screen1 >&2; false; }; } &&
	sed -n -e "/Whom is the record about/,/Number/p" screen1 |
		sed -e "s/  *\$//" -e "s/overdue since/due/" >choices &&
	cat >expect <<-\EOF &&
	Whom is the record about? (most overdue first)
	  1) bwilson      Ben Wilson               due 2025-06-29
	  2) cjones       Cal Jones                due 2026-04-29
	  3) jsmith       Jo Smith                 due 2026-05-04
	Number (1-3), or q to stop:
	EOF
	{ test_cmp expect choices || { cat screen1 >&2; false; }; } &&
	tmux -L $sock send-keys -t sup "2" Enter &&
	i=0 &&
	while ! tmux -L $sock capture-pane -p -J -t sup | grep -q "^EXIT=[0-9]"; do
		i=$((i + 1)) && test $i -lt 600 && sleep 0.1 || break
		# on a loaded machine a keystroke can go missing: if the answer
		# has not appeared after the prompt, type it again
		if test $((i % 100)) = 0 &&
		   ! tmux -L $sock capture-pane -p -J -t sup | grep -q "stop: 2"; then
			tmux -L $sock send-keys -t sup "2" Enter
		fi
	done &&
	tmux -L $sock capture-pane -p -J -t sup >screen2 &&
	tmux -L $sock kill-server &&
	{ grep -q "^EXIT=[0-9]" screen2 || { cat screen2 >&2; false; }; } &&
	test_grep "^Recorded 2026-04-13-cjones (records/2026/2026-04-13-cjones.md).\$" screen2 &&
	test_grep "^EXIT=0\$" screen2 &&
	f=$(rec_path 2026-04-13-cjones) &&
	test "$(fm_value "$f" supervisee)" = cjones &&
	test "$(fm_value "$f" location)" = "Chosen on a terminal" &&
	git -C "$REPO" log -1 --format=%s >subject &&
	echo "sup: new 2026-04-13-cjones" >expect &&
	test_cmp expect subject
'

# a failed run above may leave the tmux server up
TMUX_TMPDIR="$TRASH_DIRECTORY/tmp" tmux -L supt$$ kill-server >/dev/null 2>&1

test_expect_success 'every commit verifies with git verify-commit; fsck is clean' '
	verify_all_commits &&
	git -C "$REPO" fsck --strict --no-dangling 2>fsck &&
	test_must_be_empty fsck
'

test_done
