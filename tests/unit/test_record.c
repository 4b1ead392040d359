/* Unit tests for lib/record, lib/compose (templates) and lib/signoff:
 * parsing good and bad records of each type, the structure and
 * completeness checks, the digest, sign-off state, template expansion, and
 * rewriting sign-offs without touching any other byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compose.h"
#include "record.h"
#include "signoff.h"
#include "sshsig.h"

static int S_clear(void **state)
{
	(void)state;
	sup_diag_clear();
	sup_error_clear();
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

static const char session_text[] =
	"---\n"
	"id: 2026-04-06-jsmith\n"
	"type: session\n"
	"date: 2026-04-06\n"
	"start: \"10:00\"\n"
	"minutes: 90\n"
	"supervisor: akhan\n"
	"supervisee: jsmith\n"
	"location: Room 4\n"
	"functions: [performance, development, support]\n"
	"cases:\n"
	"  - ref: C-100\n"
	"    decision: Convene core group\n"
	"    review: 2026-05-04\n"
	"reviewed_actions:\n"
	"  - {action: 2026-03-02-jsmith#2, status: done}\n"
	"actions:\n"
	"  - {n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-100}\n"
	"next_session: 2026-05-04\n"
	"---\n"
	"\n"
	"## Agenda\n"
	"\n"
	"Caseload.\n"
	"\n"
	"## Supervisee's comments\n"
	"<!-- optional -->\n";

static const char *const session_path = "records/2026/2026-04-06-jsmith.md";

static const char group_text[] =
	"---\n"
	"id: 2026-04-08-group-akhan\n"
	"type: group\n"
	"date: 2026-04-08\n"
	"supervisor: akhan\n"
	"supervisees: [jsmith, bwilson]\n"
	"ground_rules_agreed: true\n"
	"functions: [support]\n"
	"cases: []\n"
	"reviewed_actions: []\n"
	"actions: []\n"
	"---\n";

static const char *const group_path = "records/2026/2026-04-08-group-akhan.md";

static struct sup_record *S_parse_ok(const char *text, const char *path)
{
	struct sup_record *rec = NULL;

	if (sup_record_parse(&rec, text, strlen(text), path, 0) < 0)
		fail_msg("parse of %s failed: %s", path,
			 sup_diag_count() ? sup_diag_get(0) : sup_error_last());
	assert_non_null(rec);
	assert_int_equal(sup_diag_count(), 0);
	return rec;
}

/* Parsing must fail, the first diagnostic exactly want. */
static void S_refuse(const char *text, const char *path, int line_offset,
		     const char *want)
{
	struct sup_record *rec = (struct sup_record *)&rec;

	sup_diag_clear();
	assert_int_equal(sup_record_parse(&rec, text, strlen(text), path, line_offset),
			 SUP_EINVALID);
	assert_null(rec);
	assert_true(sup_diag_count() >= 1);
	assert_string_equal(sup_diag_get(0), want);
	sup_diag_clear();
}

/* The session text with one line replaced (from: the whole line, with its
 * newline; to: the new line(s)). */
static char *S_with(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	struct sup_buf b = SUP_BUF_INIT;

	if (!at)
		fail_msg("'%s' not in the text", from);
	sup_buf_put(&b, text, (size_t)(at - text));
	sup_buf_puts(&b, to);
	sup_buf_puts(&b, at + strlen(from));
	return sup_buf_detach(&b);
}

static void S_refuse_with(const char *from, const char *to, const char *want)
{
	char *t = S_with(session_text, from, to);

	S_refuse(t, session_path, 0, want);
	free(t);
}

/* ---- types ---- */

static void test_type_names(void **state)
{
	static const char *const names[] = { "session", "group", "oversight",
		"contract", "handover" };
	enum sup_record_type t;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		assert_int_equal(sup_record_type_parse(&t, names[i]), 0);
		assert_int_equal((int)t, (int)i);
		assert_string_equal(sup_record_type_name(t), names[i]);
	}
	assert_int_equal(sup_record_type_parse(&t, "Session"), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "unknown record type 'Session' (one of session, group, oversight, contract, handover)");
	assert_int_equal(sup_record_type_parse(&t, NULL), SUP_EINVALID);
}

static void test_record_path(void **state)
{
	char *p;

	(void)state;
	p = sup_record_path("2026-04-06-jsmith");
	assert_string_equal(p, "records/2026/2026-04-06-jsmith.md");
	free(p);
	p = sup_record_path("2027-01-04-group-akhan-2");
	assert_string_equal(p, "records/2027/2027-01-04-group-akhan-2.md");
	free(p);
}

/* ---- good records of each type ---- */

static void test_parse_session(void **state)
{
	struct sup_record *rec = S_parse_ok(session_text, session_path);
	sup_date d;

	(void)state;
	assert_string_equal(rec->id, "2026-04-06-jsmith");
	assert_int_equal(rec->type, SUP_REC_SESSION);
	assert_int_equal(sup_date_parse(&d, "2026-04-06"), 0);
	assert_int_equal(rec->date, d);
	assert_string_equal(rec->supervisor, "akhan");
	assert_string_equal(rec->supervisee, "jsmith");
	assert_int_equal(rec->nfunctions, 3);
	assert_string_equal(rec->functions[1], "development");
	assert_int_equal(rec->ncases, 1);
	assert_string_equal(rec->cases[0].ref, "C-100");
	assert_string_equal(rec->cases[0].decision, "Convene core group");
	assert_int_equal(rec->cases[0].pos.line, 12);
	assert_int_equal(rec->cases[0].pos.col, 5);
	assert_int_equal(rec->nreviewed, 1);
	assert_string_equal(rec->reviewed[0].action, "2026-03-02-jsmith#2");
	assert_string_equal(rec->reviewed[0].status, "done");
	assert_int_equal(rec->nactions, 1);
	assert_int_equal(rec->actions[0].n, 1);
	assert_string_equal(rec->actions[0].owner, "jsmith");
	assert_string_equal(rec->actions[0].case_ref, "C-100");
	assert_int_equal(sup_date_parse(&d, "2026-05-04"), 0);
	assert_int_equal(rec->next_session, d);
	assert_int_equal(rec->nsignoffs, 0);
	/* the body starts right after the closing --- */
	assert_int_equal(rec->body_line, 21);
	assert_memory_equal(rec->text + rec->body_off, "\n## Agenda\n", 11);
	assert_int_equal(rec->len, strlen(session_text));
	assert_string_equal(rec->path, session_path);
	sup_record_free(rec);
}

static void test_parse_group(void **state)
{
	struct sup_record *rec = S_parse_ok(group_text, group_path);

	(void)state;
	assert_int_equal(rec->type, SUP_REC_GROUP);
	assert_int_equal(rec->nsupervisees, 2);
	assert_string_equal(rec->supervisees[1], "bwilson");
	assert_int_equal(rec->ground_rules_agreed, 1);
	assert_null(rec->supervisee);
	assert_string_equal(sup_record_role(rec, "akhan"), "facilitator");
	assert_string_equal(sup_record_role(rec, "bwilson"), "attendee");
	assert_null(sup_record_role(rec, "cjones"));
	assert_true(sup_record_about(rec, "jsmith"));
	assert_false(sup_record_about(rec, "akhan"));
	assert_true(sup_record_must_sign(rec, "facilitator"));
	assert_false(sup_record_must_sign(rec, "attendee"));
	assert_int_equal(rec->body_off, strlen(group_text));
	sup_record_free(rec);
}

static void test_parse_oversight(void **state)
{
	static const char text[] =
		"---\n"
		"id: 2026-04-09-jsmith-oversight\n"
		"type: oversight\n"
		"date: 2026-04-09\n"
		"supervisor: akhan\n"
		"supervisee: jsmith\n"
		"case: C-101\n"
		"actions:\n"
		"  - {n: 1, text: Strategy discussion, owner: jsmith, due: 2026-04-09}\n"
		"---\n"
		"## Context\n";
	struct sup_record *rec = S_parse_ok(text, "records/2026/2026-04-09-jsmith-oversight.md");

	(void)state;
	assert_int_equal(rec->type, SUP_REC_OVERSIGHT);
	assert_string_equal(rec->case_ref, "C-101");
	assert_true(sup_record_must_sign(rec, "supervisor"));
	assert_false(sup_record_must_sign(rec, "supervisee"));
	sup_record_free(rec);
}

static void test_parse_contract(void **state)
{
	static const char text[] =
		"---\n"
		"id: 2026-04-01-cjones-contract\n"
		"type: contract\n"
		"date: 2026-04-01\n"
		"supervisor: akhan\n"
		"supervisee: cjones\n"
		"frequency: 3 weeks\n"
		"review_due: 2027-04-01\n"
		"---\n";
	struct sup_record *rec = S_parse_ok(text, "records/2026/2026-04-01-cjones-contract.md");
	sup_date d;

	(void)state;
	assert_int_equal(rec->type, SUP_REC_CONTRACT);
	assert_true(rec->has_frequency);
	assert_int_equal(sup_date_parse(&d, "2027-04-01"), 0);
	assert_int_equal(rec->review_due, d);
	sup_record_free(rec);
}

static void test_parse_handover(void **state)
{
	static const char text[] =
		"---\n"
		"id: 2026-04-24-jsmith-handover\n"
		"type: handover\n"
		"date: 2026-04-24\n"
		"from: akhan\n"
		"to: dlee\n"
		"supervisee: jsmith\n"
		"cases: []\n"
		"actions: []\n"
		"---\n";
	struct sup_record *rec = S_parse_ok(text, "records/2026/2026-04-24-jsmith-handover.md");
	const char *ids[8], *roles[8];

	(void)state;
	assert_int_equal(rec->type, SUP_REC_HANDOVER);
	assert_string_equal(rec->from, "akhan");
	assert_string_equal(rec->to, "dlee");
	assert_null(rec->supervisor);
	assert_int_equal(sup_record_parties(rec, ids, roles, 8), 3);
	assert_string_equal(roles[0], "outgoing");
	assert_string_equal(roles[1], "incoming");
	assert_string_equal(ids[2], "jsmith");
	assert_true(sup_record_must_sign(rec, "outgoing"));
	assert_true(sup_record_must_sign(rec, "incoming"));
	assert_false(sup_record_must_sign(rec, "supervisee"));
	sup_record_free(rec);
}

static void test_parse_crlf(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_record *rec;
	const char *p;

	(void)state;
	for (p = session_text; *p; p++) {
		if (*p == '\n')
			sup_buf_putc(&b, '\r');
		sup_buf_putc(&b, *p);
	}
	rec = S_parse_ok(sup_buf_cstr(&b), session_path);
	assert_string_equal(rec->supervisee, "jsmith");
	assert_int_equal(rec->len, b.len);
	sup_record_free(rec);
	sup_buf_release(&b);
}

/* ---- bad records ---- */

static void test_parse_bad(void **state)
{
	(void)state;
	S_refuse(session_text, "records/2026/2026-04-06-bwilson.md", 0,
		 "records/2026/2026-04-06-bwilson.md:2:5: id '2026-04-06-jsmith' does not match the file name '2026-04-06-bwilson.md' (the file must be 2026-04-06-jsmith.md)");
	S_refuse(session_text, "records/2025/2026-04-06-jsmith.md", 0,
		 "records/2025/2026-04-06-jsmith.md:4:7: a record dated 2026-04-06 belongs under records/2026/");
	S_refuse_with("type: session\n", "type: sesion\n",
		      "records/2026/2026-04-06-jsmith.md:3:7: unknown record type 'sesion' (one of session, group, oversight, contract, handover)");
	S_refuse_with("date: 2026-04-06\n", "date: 06/04/2026\n",
		      "records/2026/2026-04-06-jsmith.md:4:7: 'date': invalid date '06/04/2026' (expected YYYY-MM-DD)");
	S_refuse_with("start: \"10:00\"\n", "start: \"25:00\"\n",
		      "records/2026/2026-04-06-jsmith.md:5:8: 'start' must be a time HH:MM, such as \"10:00\"");
	S_refuse_with("location: Room 4\n", "location: Room 4\nlocation: Room 5\n",
		      "records/2026/2026-04-06-jsmith.md:10:1: duplicate key 'location' (first at line 9)");
	S_refuse_with("  - {action: 2026-03-02-jsmith#2, status: done}\n",
		      "  - {action: 2026-03-02-jsmith#2, status: finished}\n",
		      "records/2026/2026-04-06-jsmith.md:16:43: status must be done, carried or dropped, not 'finished'");
	S_refuse_with("  - {action: 2026-03-02-jsmith#2, status: done}\n",
		      "  - {action: 2026-03-02-jsmith, status: done}\n",
		      "records/2026/2026-04-06-jsmith.md:16:14: '2026-03-02-jsmith' is not an action reference (RECORD-ID#N, e.g. 2026-10-26-jsmith#2)");
	S_refuse_with("  - {n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-100}\n",
		      "  - {n: 1, text: A, owner: jsmith}\n  - {n: 1, text: B, owner: jsmith}\n",
		      "records/2026/2026-04-06-jsmith.md:19:9: action number 1 is used twice");
	S_refuse_with("  - {n: 1, text: Book core group, owner: jsmith, due: 2026-04-20, case: C-100}\n",
		      "  - {n: 1, text: Book core group, due: 2026-04-20}\n",
		      "records/2026/2026-04-06-jsmith.md:18:5: missing required key 'owner'");
	S_refuse_with("supervisee: jsmith\n", "supervisees: [jsmith]\n",
		      "records/2026/2026-04-06-jsmith.md:8:1: unknown key 'supervisees' (did you mean 'supervisee'?)");
	S_refuse_with("next_session: 2026-05-04\n",
		      "signoffs: []\nnext_session: 2026-05-04\n",
		      "records/2026/2026-04-06-jsmith.md:19:1: 'signoffs' must be the last key of the front matter");
}

static void test_parse_bad_yaml(void **state)
{
	(void)state;
	S_refuse_with("supervisor: akhan\n", "supervisor: &a akhan\n",
		      "records/2026/2026-04-06-jsmith.md:7:13: anchors are not allowed");
	S_refuse_with("  - ref: C-100\n", "\t- ref: C-100\n",
		      "records/2026/2026-04-06-jsmith.md:12:1: tab character in indentation (use spaces)");
}

static void test_parse_line_offset(void **state)
{
	char *t = S_with(session_text, "date: 2026-04-06\n", "date: 2026-02-30\n");

	(void)state;
	/* a block of 3 comment lines above the text shifts every line by 3 */
	S_refuse(t, session_path, 3,
		 "records/2026/2026-04-06-jsmith.md:7:7: 'date': invalid date '2026-02-30': no day 30 in 2026-02");
	free(t);
}

static void test_parse_no_front_matter(void **state)
{
	struct sup_record *rec = NULL;

	(void)state;
	assert_int_equal(sup_record_parse(&rec, "## Agenda\n", 10, session_path, 0),
			 SUP_EINVALID);
	assert_null(rec);
	assert_true(sup_diag_count() + (sup_error_last() != NULL) >= 1);
}

/* ---- structure check against the register ---- */

static const char policy_text[] =
	"organisation: Test\n"
	"holidays: none\n"
	"extra_holidays: []\n"
	"functions: [performance, development, support]\n"
	"functions_window: 3\n"
	"recording_deadline: 5 working days\n"
	"signoff_deadline: 10 working days\n"
	"contract_review: 12 months\n"
	"counts_as_supervision: [session]\n"
	"first_session_within: 4 weeks\n"
	"frequency:\n"
	"  practitioner: 4 weeks\n"
	"  manager: 6 weeks\n"
	"cases:\n"
	"  every_open_case_each_session: true\n"
	"  child_protection_within: 4 weeks\n";

struct fixture {
	struct sup_policy pol;
	struct sup_register reg;
};

static void S_add_staff(struct sup_register *reg, const char *id, const char *role,
			const char *supervisor)
{
	struct sup_staff st;
	char *text = sup_xasprintf("id: %s\nname: %s\nemail: %s@example.org\nrole: %s\n"
				   "started: 2026-01-05\nsupervisor: %s\n",
				   id, id, id, role, supervisor ? supervisor : "");
	char *path = sup_xasprintf("staff/%s.yaml", id);

	if (sup_staff_parse(&st, text, strlen(text), path) < 0)
		fail_msg("staff %s: %s", id, sup_diag_count() ? sup_diag_get(0) : sup_error_last());
	sup_register_put_staff(reg, &st);
	free(text);
	free(path);
}

static void S_add_case(struct sup_register *reg, const char *ref, const char *worker)
{
	struct sup_case c;
	char *text = sup_xasprintf("ref: %s\nworker: %s\nopened: 2026-02-01\nclosed:\nchild_protection: false\n",
				   ref, worker);
	char *path = sup_xasprintf("cases/%s.yaml", ref);

	if (sup_case_parse(&c, text, strlen(text), path) < 0)
		fail_msg("case %s: %s", ref, sup_diag_count() ? sup_diag_get(0) : sup_error_last());
	sup_register_put_case(reg, &c);
	free(text);
	free(path);
}

static int S_setup_fixture(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	S_clear(state);
	if (!fx || sup_policy_parse(&fx->pol, policy_text, strlen(policy_text), "sup.yaml") < 0) {
		fprintf(stderr, "policy: %s\n", sup_diag_count() ? sup_diag_get(0) : sup_error_last());
		free(fx);
		return -1;
	}
	S_add_staff(&fx->reg, "akhan", "manager", NULL);
	S_add_staff(&fx->reg, "jsmith", "practitioner", "akhan");
	S_add_case(&fx->reg, "C-100", "jsmith");
	*state = fx;
	return 0;
}

static int S_teardown_fixture(void **state)
{
	struct fixture *fx = *state;

	sup_policy_release(&fx->pol);
	sup_register_release(&fx->reg);
	free(fx);
	S_clear(state);
	return 0;
}

/* lookup: only 2026-03-02-jsmith#1 and #2 exist */
static int S_lookup(const char *record_id, long n, void *payload)
{
	int *calls = payload;

	(*calls)++;
	return !strcmp(record_id, "2026-03-02-jsmith") && (n == 1 || n == 2);
}

static void S_check_one(struct fixture *fx, const char *from, const char *to,
			const char *want)
{
	char *t = S_with(session_text, from, to);
	struct sup_record *rec = S_parse_ok(t, session_path);
	int calls = 0;

	assert_int_equal(sup_record_check(rec, &fx->pol, &fx->reg, S_lookup, &calls),
			 want ? SUP_EINVALID : 0);
	if (want) {
		assert_true(sup_diag_count() >= 1);
		assert_string_equal(sup_diag_get(0), want);
	} else {
		assert_int_equal(sup_diag_count(), 0);
	}
	sup_diag_clear();
	sup_record_free(rec);
	free(t);
}

static void test_check(void **state)
{
	struct fixture *fx = *state;

	S_check_one(fx, "location: Room 4\n", "location: Room 4\n", NULL);
	S_check_one(fx, "supervisee: jsmith\n", "supervisee: jsmth\n",
		    "records/2026/2026-04-06-jsmith.md:8:13: unknown staff id 'jsmth' (did you mean 'jsmith'?)");
	S_check_one(fx, "supervisee: jsmith\n", "supervisee: akhan\n",
		    "records/2026/2026-04-06-jsmith.md:8:13: 'akhan' cannot supervise themselves");
	S_check_one(fx, "  - ref: C-100\n", "  - ref: C-999\n",
		    "records/2026/2026-04-06-jsmith.md:12:5: unknown case 'C-999' (add it with 'sup case open')");
	S_check_one(fx, "functions: [performance, development, support]\n",
		    "functions: [performance, mediation]\n",
		    "records/2026/2026-04-06-jsmith.md:10:26: unknown function 'mediation' (sup.yaml functions are: performance, development, support)");
	S_check_one(fx, "{action: 2026-03-02-jsmith#2, status: done}",
		    "{action: 2026-03-02-jsmith#7, status: done}",
		    "records/2026/2026-04-06-jsmith.md:16:5: reviewed action '2026-03-02-jsmith#7' does not exist (no action 7 in that record)");
	S_check_one(fx, "owner: jsmith, due: 2026-04-20, case: C-100}",
		    "owner: jsmth, due: 2026-04-20, case: C-100}",
		    "records/2026/2026-04-06-jsmith.md:18:5: action owner: unknown staff id 'jsmth' (did you mean 'jsmith'?)");
}

/* ---- completeness ---- */

static const char tmpl[] =
	"<!-- guidance -->\n"
	"\n"
	"## Agenda\n"
	"<!-- what to talk about -->\n"
	"\n"
	"## Supervisee's comments\n"
	"<!-- optional -->\n";

static void test_complete_ok(void **state)
{
	struct sup_record *rec = S_parse_ok(session_text, session_path);

	(void)state;
	assert_int_equal(sup_record_complete(rec, tmpl, strlen(tmpl)), 0);
	assert_int_equal(sup_diag_count(), 0);
	/* no template: only the front matter is judged */
	assert_int_equal(sup_record_complete(rec, NULL, 0), 0);
	sup_record_free(rec);
}

static int S_has_diag(const char *want)
{
	size_t i;

	for (i = 0; i < sup_diag_count(); i++)
		if (strstr(sup_diag_get(i), want))
			return 1;
	return 0;
}

static void test_complete_missing(void **state)
{
	char *t1 = S_with(session_text, "functions: [performance, development, support]\n",
			  "functions: []\n");
	char *t2 = S_with(t1, "    decision: Convene core group\n", "    decision:\n");
	char *t3 = S_with(t2, "status: done}", "status: }");
	char *t4 = S_with(t3, ", due: 2026-04-20, case: C-100}", ", case: C-100}");
	char *t5 = S_with(t4, "Caseload.\n", "<!-- nothing yet -->\n");
	struct sup_record *rec = S_parse_ok(t5, session_path);

	(void)state;
	assert_int_equal(sup_record_complete(rec, tmpl, strlen(tmpl)), SUP_EINVALID);
	assert_true(S_has_diag(":10:12: no function of supervision recorded"));
	assert_true(S_has_diag(":12:5: case C-100 has no decision recorded"));
	assert_true(S_has_diag(":16:5: reviewed action 2026-03-02-jsmith#2 has no status"));
	assert_true(S_has_diag(":18:5: action 'Book core group' has no due date"));
	assert_true(S_has_diag(":22:1: the section 'Agenda' is empty"));
	/* the optional section, empty, is not a problem */
	assert_false(S_has_diag("Supervisee's comments"));
	assert_int_equal(sup_diag_count(), 5);
	sup_record_free(rec);
	free(t1);
	free(t2);
	free(t3);
	free(t4);
	free(t5);
}

static void test_complete_section_missing(void **state)
{
	static const char t2[] =
		"## Agenda\n<!-- -->\n\n## Performance and practice\n<!-- -->\n";
	struct sup_record *rec = S_parse_ok(session_text, session_path);

	(void)state;
	assert_int_equal(sup_record_complete(rec, t2, strlen(t2)), SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0),
			    "records/2026/2026-04-06-jsmith.md:21:1: the section '## Performance and practice' is missing");
	sup_record_free(rec);
}

static void test_complete_installed_template(void **state)
{
	struct sup_buf t = SUP_BUF_INIT;
	struct sup_record *rec = S_parse_ok(session_text, session_path);

	(void)state;
	/* make check-unit runs from the top of the source tree */
	if (sup_read_file(&t, "templates/session.md", SUP_MAX_FILE) < 0) {
		sup_record_free(rec);
		skip();
	}
	assert_int_equal(sup_record_complete(rec, sup_buf_cstr(&t), t.len), SUP_EINVALID);
	assert_true(S_has_diag("the section '## Case discussions' is missing"));
	assert_true(S_has_diag("the section '## Personal support and wellbeing' is missing"));
	assert_false(S_has_diag("Supervisee's comments"));
	sup_record_free(rec);
	sup_buf_release(&t);
}

/* ---- templates ---- */

static void test_template_expand(void **state)
{
	static const char t[] =
		"For {{supervisee_name}} with {{supervisor_name}} on {{date}}.\n"
		"<!-- each case -->\n"
		"### {{ref}}\n"
		"Notes on {{ref}}; {{unknown}} stays.\n"
		"<!-- end each case -->\n"
		"## End {{ref}}\n";
	const char *refs[] = { "C-1", "C-2" };
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	sup_template_expand(&out, t, strlen(t), refs, 2, "Jo Smith", "Aisha Khan", "2026-04-06");
	assert_string_equal(sup_buf_cstr(&out),
			    "For Jo Smith with Aisha Khan on 2026-04-06.\n"
			    "### C-1\n"
			    "Notes on C-1; {{unknown}} stays.\n"
			    "### C-2\n"
			    "Notes on C-2; {{unknown}} stays.\n"
			    "## End \n");
	sup_buf_truncate(&out, 0);
	/* no cases: the block goes */
	sup_template_expand(&out, t, strlen(t), NULL, 0, "Jo", "Aisha", "2026-04-06");
	assert_string_equal(sup_buf_cstr(&out), "For Jo with Aisha on 2026-04-06.\n## End \n");
	sup_buf_truncate(&out, 0);
	/* no block markers: substitution only */
	sup_template_expand(&out, "{{date}} {x} {", 14, refs, 2, "Jo", "Aisha", "2026-04-06");
	assert_string_equal(sup_buf_cstr(&out), "2026-04-06 {x} {");
	sup_buf_release(&out);
}

/* ---- digest and sign-off state ---- */

static void test_digest(void **state)
{
	char d1[72], d2[72], d3[72], hex[65], want[72];
	char *signed_text = S_with(session_text, "---\n\n## Agenda",
				   "signoffs:\n  - {by: akhan, role: supervisor, at: 2026-04-07T09:00:00Z, digest: \"sha256:00\"}\n---\n\n## Agenda");
	char *changed = S_with(session_text, "Caseload.", "Caseload!");
	struct sup_buf crlf = SUP_BUF_INIT;
	const char *p;

	(void)state;
	sup_record_digest(d1, session_text, strlen(session_text));
	sup_sha256_hex(hex, session_text, strlen(session_text));
	snprintf(want, sizeof(want), "sha256:%s", hex);
	/* with no sign-offs, the canonical form is the file itself */
	assert_string_equal(d1, want);
	assert_int_equal(strlen(d1), 71);
	/* sign-offs are not covered */
	sup_record_digest(d2, signed_text, strlen(signed_text));
	assert_string_equal(d1, d2);
	/* CRLF is the same record */
	for (p = signed_text; *p; p++) {
		if (*p == '\n')
			sup_buf_putc(&crlf, '\r');
		sup_buf_putc(&crlf, *p);
	}
	sup_record_digest(d3, crlf.ptr, crlf.len);
	assert_string_equal(d1, d3);
	/* a change in the body is a different record */
	sup_record_digest(d3, changed, strlen(changed));
	assert_string_not_equal(d1, d3);
	free(signed_text);
	free(changed);
	sup_buf_release(&crlf);
}

/* session_text with sign-offs: akhan's digest current, jsmith's as given */
static char *S_signed(const char *jsmith_digest, const char *dispute)
{
	char d[72];
	char *so, *t;

	sup_record_digest(d, session_text, strlen(session_text));
	so = sup_xasprintf("next_session: 2026-05-04\nsignoffs:\n"
			   "  - {by: akhan, role: supervisor, at: 2026-04-07T09:00:00Z, digest: \"%s\"}\n"
			   "%s%s%s%s%s",
			   d, jsmith_digest ? "  - {by: jsmith, role: supervisee, at: 2026-04-08T09:00:00Z, digest: \"" : "",
			   jsmith_digest ? (*jsmith_digest ? jsmith_digest : d) : "",
			   jsmith_digest ? "\"" : "",
			   dispute ? ", dispute: " : "", dispute ? dispute : "");
	t = sup_xasprintf("%s%s", so, jsmith_digest ? "}\n" : "");
	free(so);
	so = S_with(session_text, "next_session: 2026-05-04\n", t);
	free(t);
	return so;
}

static void S_state(const char *text, const char *summary, int complete, int stale,
		    enum sup_party_state akhan, enum sup_party_state jsmith)
{
	struct sup_record *rec = S_parse_ok(text, session_path);
	struct sup_signstate st;
	struct sup_buf b = SUP_BUF_INIT;

	sup_record_signstate(&st, rec);
	assert_int_equal(st.n, 2);
	assert_string_equal(st.id[0], "akhan");
	assert_string_equal(st.role[1], "supervisee");
	assert_true(st.must[0] && st.must[1]);
	assert_int_equal(st.state[0], akhan);
	assert_int_equal(st.state[1], jsmith);
	assert_int_equal(st.complete, complete);
	assert_int_equal(st.stale, stale);
	sup_signstate_summary(&b, &st);
	assert_string_equal(sup_buf_cstr(&b), summary);
	sup_buf_release(&b);
	sup_record_free(rec);
}

static void test_signstate(void **state)
{
	static const char old[] =
		"sha256:0000000000000000000000000000000000000000000000000000000000000000";
	char *t;

	(void)state;
	S_state(session_text, "awaiting akhan, jsmith", 0, 0,
		SUP_PARTY_UNSIGNED, SUP_PARTY_UNSIGNED);
	t = S_signed(NULL, NULL);
	S_state(t, "awaiting jsmith", 0, 0, SUP_PARTY_SIGNED, SUP_PARTY_UNSIGNED);
	free(t);
	t = S_signed("", NULL);
	S_state(t, "signed", 1, 0, SUP_PARTY_SIGNED, SUP_PARTY_SIGNED);
	free(t);
	t = S_signed("", "\"not what we agreed\"");
	S_state(t, "disputed", 1, 0, SUP_PARTY_SIGNED, SUP_PARTY_DISPUTED);
	free(t);
	t = S_signed(old, NULL);
	S_state(t, "stale", 0, 1, SUP_PARTY_SIGNED, SUP_PARTY_STALE);
	free(t);
}

/* ---- rewriting sign-offs keeps every other byte ---- */

static const char odd_text[] =
	"---\n"
	"# a comment sup did not write\n"
	"id:   2026-04-06-jsmith      # spaced out\n"
	"type: 'session'\n"
	"date: 2026-04-06\n"
	"supervisor: akhan\n"
	"supervisee: jsmith\n"
	"functions:\n"
	"  - support\n"
	"signoffs:\n"
	"  - {by: akhan, role: supervisor, at: 2026-04-07T09:00:00Z, digest: \"sha256:1111111111111111111111111111111111111111111111111111111111111111\"}\n"
	"---\n"
	"Body with trailing spaces   \n"
	"---\n"
	"and no final newline";

static void test_with_signoffs(void **state)
{
	struct sup_record *rec = S_parse_ok(odd_text, session_path);
	struct sup_node *seq = sup_node_new_seq(), *e = sup_node_new_map();
	struct sup_buf out = SUP_BUF_INIT;
	const char *cut = strstr(odd_text, "signoffs:\n");
	const char *end = strstr(odd_text, "\n---\n") + 1;
	char before[72], after[72];
	struct sup_record *again;

	(void)state;
	e->flow = 1;
	sup_node_set_str(e, "by", "jsmith");
	sup_node_set_str(e, "role", "supervisee");
	sup_node_set_plain(e, "at", "2026-04-08T09:00:00Z");
	sup_node_set_str(e, "digest", "sha256:2222222222222222222222222222222222222222222222222222222222222222");
	sup_node_append(seq, e);
	sup_record_with_signoffs(&out, rec, seq);
	/* everything before the sign-offs, byte for byte */
	assert_true(out.len > (size_t)(cut - odd_text));
	assert_memory_equal(out.ptr, odd_text, (size_t)(cut - odd_text));
	/* then the new list, then the rest of the file as it was */
	assert_non_null(strstr(out.ptr, "signoffs:\n  - {by: jsmith"));
	assert_false(strstr(out.ptr, "by: akhan") != NULL);
	assert_true(out.len >= strlen(end));
	assert_memory_equal(out.ptr + out.len - strlen(end), end, strlen(end));
	/* the digest the other sign-offs cover does not move */
	sup_record_digest(before, odd_text, strlen(odd_text));
	sup_record_digest(after, out.ptr, out.len);
	assert_string_equal(before, after);
	/* and it still parses as the same record */
	again = S_parse_ok(sup_buf_cstr(&out), session_path);
	assert_int_equal(again->nsignoffs, 1);
	assert_string_equal(again->signoffs[0].by, "jsmith");
	sup_record_free(again);

	/* an empty list removes the block altogether */
	sup_buf_truncate(&out, 0);
	sup_node_free(seq);
	seq = sup_node_new_seq();
	sup_record_with_signoffs(&out, rec, seq);
	assert_int_equal(out.len, strlen(odd_text) - (size_t)(end - cut));
	assert_memory_equal(out.ptr, odd_text, (size_t)(cut - odd_text));
	assert_memory_equal(out.ptr + (cut - odd_text), end, strlen(end));
	sup_node_free(seq);
	sup_buf_release(&out);
	sup_record_free(rec);
}

static void test_with_signoffs_adds_block(void **state)
{
	struct sup_record *rec = S_parse_ok(session_text, session_path);
	struct sup_node *seq = sup_node_new_seq(), *e = sup_node_new_map();
	struct sup_buf out = SUP_BUF_INIT;
	const char *end = strstr(session_text, "\n---\n") + 1;
	char *want;

	(void)state;
	e->flow = 1;
	sup_node_set_str(e, "by", "akhan");
	sup_node_set_str(e, "role", "supervisor");
	sup_node_set_plain(e, "at", "2026-04-07T09:00:00Z");
	sup_node_set_str(e, "digest", "sha256:3333333333333333333333333333333333333333333333333333333333333333");
	sup_node_append(seq, e);
	sup_record_with_signoffs(&out, rec, seq);
	want = sup_xasprintf("%.*ssignoffs:\n  - {by: akhan, role: supervisor, at: 2026-04-07T09:00:00Z, digest: \"sha256:3333333333333333333333333333333333333333333333333333333333333333\"}\n%s",
			     (int)(end - session_text), session_text, end);
	assert_string_equal(sup_buf_cstr(&out), want);
	free(want);
	sup_node_free(seq);
	sup_buf_release(&out);
	sup_record_free(rec);
}

/* Judged from the cached bytes as from the record itself; cut short,
 * the bytes say "damaged" rather than guess. */
static void test_peek_wanted(void **state)
{
	static const struct {
		const char *person;
		int type;
		const char *since, *until;
		int session, group;	/* wanted? */
	} cases[] = {
		{ NULL, -1, NULL, NULL, 1, 1 },
		{ "jsmith", -1, NULL, NULL, 1, 1 },
		{ "akhan", -1, NULL, NULL, 1, 1 },
		{ "bwilson", -1, NULL, NULL, 0, 1 },
		{ "jsmit", -1, NULL, NULL, 0, 0 },
		{ "nobody", -1, NULL, NULL, 0, 0 },
		{ "jsmith", SUP_REC_SESSION, NULL, NULL, 1, 0 },
		{ NULL, SUP_REC_GROUP, NULL, NULL, 0, 1 },
		{ NULL, -1, "2026-04-07", NULL, 0, 1 },
		{ NULL, -1, NULL, "2026-04-07", 1, 0 },
		{ "jsmith", -1, "2026-04-06", "2026-04-08", 1, 1 },
	};
	struct sup_record *recs[2];
	struct sup_buf ser[2] = { SUP_BUF_INIT, SUP_BUF_INIT };
	size_t i, k, cut;

	(void)state;
	recs[0] = S_parse_ok(session_text, session_path);
	recs[1] = S_parse_ok(group_text, group_path);
	for (k = 0; k < 2; k++)
		sup_record_serialize(&ser[k], recs[k]);
	for (i = 0; i < SUP_ARRAY_SIZE(cases); i++) {
		struct sup_record_want w;

		w.person = cases[i].person;
		w.type = cases[i].type;
		w.since = w.until = SUP_DATE_NONE;
		if (cases[i].since)
			assert_int_equal(sup_date_parse(&w.since, cases[i].since), 0);
		if (cases[i].until)
			assert_int_equal(sup_date_parse(&w.until, cases[i].until), 0);
		for (k = 0; k < 2; k++) {
			int want = k ? cases[i].group : cases[i].session;

			assert_int_equal(sup_record_wanted(recs[k], &w), want);
			assert_int_equal(sup_record_peek((const unsigned char *)ser[k].ptr,
							 ser[k].len, &w), want);
		}
	}
	/* every cut of the bytes: damaged, or the same answer */
	for (k = 0; k < 2; k++)
		for (cut = 0; cut < ser[k].len; cut++) {
			struct sup_record_want w = { "bwilson", -1, SUP_DATE_NONE, SUP_DATE_NONE };
			int rc = sup_record_peek((const unsigned char *)ser[k].ptr, cut, &w);

			assert_true(rc == -1 || rc == (int)k);
		}
	for (k = 0; k < 2; k++) {
		sup_buf_release(&ser[k]);
		sup_record_free(recs[k]);
	}
}

/* Rebuilt from the cache whole, or lean (no decision text); the sizes at
 * the end are believed only as far as they fit, and every cut of the
 * bytes is refused, not half-built. */
static void test_deserialize_lean(void **state)
{
	struct sup_record *rec = S_parse_ok(session_text, session_path), *back;
	struct sup_buf ser = SUP_BUF_INIT;
	size_t cut;

	(void)state;
	sup_record_shed(rec);
	sup_record_serialize(&ser, rec);
	back = sup_record_deserialize((const unsigned char *)ser.ptr, ser.len);
	assert_non_null(back);
	assert_string_equal(back->cases[0].decision, "Convene core group");
	assert_string_equal(back->actions[0].text, "Book core group");
	assert_string_equal(back->digest, rec->digest);
	sup_record_free(back);
	back = sup_record_deserialize_ex((const unsigned char *)ser.ptr, ser.len, SUP_RECORD_LEAN);
	assert_non_null(back);
	assert_ptr_equal(back->cases[0].decision, sup_record_not_loaded);
	assert_string_equal(back->cases[0].ref, "C-100");
	assert_string_equal(back->actions[0].text, "Book core group");
	assert_string_equal(back->supervisee, "jsmith");
	sup_record_free(back);
	/* a string size smaller than the strings: refused */
	ser.ptr[ser.len - 5] = 10;
	ser.ptr[ser.len - 6] = 0;
	ser.ptr[ser.len - 7] = 0;
	ser.ptr[ser.len - 8] = 0;
	assert_null(sup_record_deserialize((const unsigned char *)ser.ptr, ser.len));
	sup_buf_truncate(&ser, 0);
	sup_record_serialize(&ser, rec);
	for (cut = 0; cut < ser.len; cut++)
		assert_null(sup_record_deserialize((const unsigned char *)ser.ptr, cut));
	sup_buf_release(&ser);
	sup_record_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_type_names),
		T(test_record_path),
		T(test_parse_session),
		T(test_parse_group),
		T(test_parse_oversight),
		T(test_parse_contract),
		T(test_parse_handover),
		T(test_parse_crlf),
		T(test_parse_bad),
		T(test_parse_bad_yaml),
		T(test_parse_line_offset),
		T(test_parse_no_front_matter),
		cmocka_unit_test_setup_teardown(test_check, S_setup_fixture, S_teardown_fixture),
		T(test_complete_ok),
		T(test_complete_missing),
		T(test_complete_section_missing),
		T(test_complete_installed_template),
		T(test_template_expand),
		T(test_digest),
		T(test_signstate),
		T(test_with_signoffs),
		T(test_with_signoffs_adds_block),
		T(test_peek_wanted),
		T(test_deserialize_lean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
