#!/bin/sh
test_description='sup audit and sup due with a broken policy: sup.yaml:line:column, exit 2'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup' '
	audit_setup &&
	cp "$REPO/sup.yaml" good.yaml &&
	git -C "$REPO" rev-parse HEAD >good.head
'

# break_policy PYTHON-EXPR: sup.yaml becomes the expression applied to
# the good text s, committed with plain git.
break_policy () {
	git -C "$REPO" reset -q --hard "$(cat good.head)" &&
	python3 -c "
import sys
s = open(\"good.yaml\").read()
open(sys.argv[1], \"w\").write($1)
" "$REPO/sup.yaml" &&
	git -C "$REPO" add sup.yaml &&
	git_commit_unsigned "policy"
}

test_expect_success 'an unknown role: a staff member whose role is not in frequency' '
	break_policy "s.replace(\"  dsl: 6 weeks\n\", \"\")" &&
	line=$(grep -n "^frequency:" "$REPO/sup.yaml" | cut -d: -f1) &&
	audit --overdue &&
	test "$status" = 2 &&
	expect_error audit "^sup audit: sup.yaml:$line:1: .frequency. has no role .dsl., which staff/bwilson.yaml:[0-9]*:[0-9]* gives bwilson" &&
	test_must_be_empty out &&
	test_expect_code 2 sup -C "$REPO" due >out 2>err &&
	expect_error due "^sup due: sup.yaml:$line:1: "
'

test_expect_success 'a malformed duration' '
	break_policy "s.replace(\"practitioner: 4 weeks\", \"practitioner: 4 wekes\")" &&
	line=$(grep -n "^  practitioner: 4 wekes" "$REPO/sup.yaml" | cut -d: -f1) &&
	audit &&
	test "$status" = 2 &&
	expect_error audit "^sup audit: sup.yaml:$line:17: .practitioner.: " &&
	test_must_be_empty out
'

test_expect_success 'a phase list with no final open phase' '
	break_policy "s.replace(\"{every: 2 weeks}]\", \"{until: 6 months, every: 2 weeks}]\")" &&
	line=$(grep -n "^  student:" "$REPO/sup.yaml" | cut -d: -f1) &&
	audit --overdue &&
	test "$status" = 2 &&
	expect_error audit "^sup audit: sup.yaml:$line:[0-9]*: the last phase of .student. must be open-ended"
'

test_expect_success 'an unknown holiday set' '
	break_policy "s.replace(\"holidays: england-and-wales\", \"holidays: wales-and-england\")" &&
	line=$(grep -n "^holidays:" "$REPO/sup.yaml" | cut -d: -f1) &&
	audit --late &&
	test "$status" = 2 &&
	expect_error audit "^sup audit: sup.yaml:$line:11: .*wales-and-england"
'

test_expect_success 'the policy mended: the audit runs again' '
	git -C "$REPO" reset -q --hard "$(cat good.head)" &&
	audit --training &&
	test "$status" = 0
'

test_expect_success 'not a sup repository: exit 2' '
	mkdir empty &&
	test_expect_code 2 sup -C empty audit >out 2>err &&
	expect_error audit "not a git repository|not a sup repository"
'

test_done
