#!/bin/sh
test_description='sup audit --contracts: signed contracts, reviews, agreed frequencies and their override'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup' '
	audit_setup
'

test_expect_success 'no-contract: not while a new starter is within first_session_within' '
	audit --contracts --person jsmith --as-of 2026-02-02 &&
	test "$status" = 0 &&
	hasnt no-contract jsmith
'

test_expect_success 'no-contract: fires after it' '
	audit --contracts --person jsmith --as-of 2026-02-03 --format json &&
	test "$status" = 1 &&
	test "$(finding_field no-contract jsmith record)" = null &&
	finding_field no-contract jsmith message >msg &&
	test_grep "no signed supervision contract with akhan" msg
'

test_expect_success 'no-contract: a contract not signed by both is not enough' '
	at 2026-02-05 &&
	contract 2026-02-05-jsmith-contract 2026-02-05 akhan jsmith "2 weeks" &&
	sign akhan 2026-02-05-jsmith-contract &&
	audit --contracts --person jsmith --as-of 2026-02-10 --format json &&
	test "$(finding_field no-contract jsmith record)" = 2026-02-05-jsmith-contract &&
	finding_field no-contract jsmith message >msg &&
	test_grep "is not signed by both" msg
'

test_expect_success 'no-contract: corrected when both have signed' '
	sign jsmith 2026-02-05-jsmith-contract &&
	audit --contracts --person jsmith --as-of 2026-02-10 &&
	test "$status" = 0 &&
	hasnt no-contract jsmith
'

test_expect_success 'a more frequent contract overrides the policy (2 weeks, not 4)' '
	at 2026-03-02 &&
	session 2026-03-02-jsmith 2026-03-02 akhan jsmith &&
	audit --overdue --person jsmith --as-of 2026-03-16 &&
	hasnt overdue jsmith &&
	audit --overdue --person jsmith --as-of 2026-03-17 --format json &&
	test "$(finding_field overdue jsmith due)" = 2026-03-16 &&
	finding_field overdue jsmith message >msg &&
	test_grep "every 2 weeks by contract" msg &&
	audit --contracts --person jsmith --as-of 2026-03-17 &&
	hasnt contract-frequency jsmith
'

test_expect_success 'contract-frequency: a less frequent contract does not override, and is a finding' '
	at 2026-03-05 &&
	contract 2026-03-05-jsmith-contract 2026-03-05 akhan jsmith "6 weeks" &&
	signed_by_both 2026-03-05-jsmith-contract akhan jsmith &&
	audit --overdue --person jsmith --as-of 2026-03-17 &&
	hasnt overdue jsmith &&
	audit --overdue --person jsmith --as-of 2026-03-31 --format json &&
	test "$(finding_field overdue jsmith due)" = 2026-03-30 &&
	audit --contracts --person jsmith --as-of 2026-03-31 --format json &&
	test "$status" = 1 &&
	test "$(finding_field contract-frequency jsmith record)" = 2026-03-05-jsmith-contract &&
	finding_field contract-frequency jsmith message >msg &&
	test_grep "agrees every 6 weeks, less often than the policy.s 4 weeks for practitioner" msg
'

test_expect_success 'contract-frequency: corrected by a contract at the policy rate' '
	at 2026-03-06 &&
	contract 2026-03-06-jsmith-contract 2026-03-06 akhan jsmith "4 weeks" &&
	signed_by_both 2026-03-06-jsmith-contract akhan jsmith &&
	audit --contracts --person jsmith --as-of 2026-03-31 &&
	test "$status" = 0 &&
	hasnt contract-frequency jsmith
'

test_expect_success 'contract-review: due contract_review (12 months) after the contract' '
	audit --contracts --person jsmith --as-of 2027-03-06 &&
	hasnt contract-review jsmith &&
	audit --contracts --person jsmith --as-of 2027-03-07 --format json &&
	test "$status" = 1 &&
	test "$(finding_field contract-review jsmith due)" = 2027-03-06 &&
	test "$(finding_field contract-review jsmith record)" = 2026-03-06-jsmith-contract
'

test_expect_success 'contract-review: an earlier review_due in the contract comes first' '
	at 2026-03-09 &&
	contract 2026-03-09-jsmith-contract 2026-03-09 akhan jsmith "4 weeks" 2026-09-09 &&
	signed_by_both 2026-03-09-jsmith-contract akhan jsmith &&
	audit --contracts --person jsmith --as-of 2026-09-10 --format json &&
	test "$(finding_field contract-review jsmith due)" = 2026-09-09
'

test_expect_success 'contract-review: corrected by a reviewed contract' '
	at 2026-09-01 &&
	contract 2026-09-01-jsmith-contract 2026-09-01 akhan jsmith "4 weeks" &&
	signed_by_both 2026-09-01-jsmith-contract akhan jsmith &&
	audit --contracts --person jsmith --as-of 2026-09-10 &&
	test "$status" = 0 &&
	hasnt contract-review jsmith
'

test_expect_success 'a contract with a previous supervisor does not count' '
	at 2026-09-02 &&
	act akhan sup staff set bwilson --trained 2024-01-08 >/dev/null &&
	act akhan sup staff set jsmith --supervisor bwilson >/dev/null &&
	audit --contracts --person jsmith --as-of 2026-09-10 --format csv &&
	test_grep "^2026-09-10,bwilson,warning,no-contract,jsmith,," out
'

test_done
