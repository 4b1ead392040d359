/* test_audit: unit tests for lib/audit.c, with a register and records in
 * memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "record.h"
#include "util.h"

static const char policy_text[] =
	"organisation: Test\n"
	"holidays: england-and-wales\n"
	"functions: [performance, development, support]\n"
	"functions_window: 2\n"
	"first_session_within: 4 weeks\n"
	"frequency:\n"
	"  practitioner: 4 weeks\n"
	"  manager: 6 weeks\n"
	"cases:\n"
	"  every_open_case_each_session: true\n"
	"  child_protection_within: 4 weeks\n";

static struct sup_policy pol;
static struct sup_staff staff[3];
static struct sup_case cases[2];
static struct sup_register reg;

static sup_date D(const char *s)
{
	sup_date d = SUP_DATE_NONE;

	assert_int_equal(sup_date_parse(&d, s), 0);
	return d;
}

static void person(struct sup_staff *st, const char *id, const char *role,
		   const char *sv, const char *started)
{
	memset(st, 0, sizeof(*st));
	st->id = (char *)id;
	st->name = (char *)id;
	st->role = (char *)role;
	st->supervisor = (char *)sv;
	st->started = D(started);
	st->phase_start = st->left = st->supervisor_trained = SUP_DATE_NONE;
}

static int setup(void **state)
{
	(void)state;
	if (sup_policy_parse(&pol, policy_text, strlen(policy_text), "sup.yaml") < 0)
		return -1;
	/* sorted by id, as the register keeps them */
	person(&staff[0], "boss", "manager", NULL, "2020-01-06");
	staff[0].supervisor_trained = D("2021-01-04");
	person(&staff[1], "jo", "practitioner", "boss", "2025-01-06");
	person(&staff[2], "kim", "practitioner", "jo", "2025-01-06");
	reg.staff = staff;
	reg.nstaff = 3;
	memset(cases, 0, sizeof(cases));
	cases[0].ref = (char *)"C-1";
	cases[0].worker = (char *)"jo";
	cases[0].opened = D("2026-01-01");
	cases[0].closed = SUP_DATE_NONE;
	cases[1].ref = (char *)"C-2";
	cases[1].worker = (char *)"jo";
	cases[1].opened = D("2026-01-01");
	cases[1].closed = SUP_DATE_NONE;
	cases[1].child_protection = 1;
	reg.cases = cases;
	reg.ncases = 2;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sup_policy_release(&pol);
	return 0;
}

static struct sup_record *R(const char *id, const char *fm)
{
	struct sup_record *r = NULL;
	char *text = sup_xasprintf("---\nid: %s\n%s---\nbody\n", id, fm);
	char *path = sup_xasprintf("records/%.4s/%s.md", id, id);

	if (sup_record_parse(&r, text, strlen(text), path, 0) < 0) {
		size_t i;

		for (i = 0; i < sup_diag_count(); i++)
			print_error("%s\n", sup_diag_get(i));
		fail_msg("record %s does not parse", id);
	}
	free(text);
	free(path);
	return r;
}

static size_t count(const struct sup_findings *f, const char *code, const char *who)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].code, code) && (!who || !strcmp(f->v[i].person, who)))
			n++;
	return n;
}

static void run(struct sup_findings *f, struct sup_record **recs, size_t n,
		const char *as_of, unsigned sel)
{
	memset(f, 0, sizeof(*f));
	sup_audit_run(f, &pol, &reg, recs, n, NULL, D(as_of), sel, NULL, NULL);
}

static void free_all(struct sup_record **recs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sup_record_free(recs[i]);
}

static void test_cases_rules(void **state)
{
	struct sup_record *recs[2];
	struct sup_findings f;

	(void)state;
	recs[0] = R("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\n"
		    "supervisee: jo\ncases: [{ref: C-1}, {ref: C-2}]\n");
	recs[1] = R("2026-02-02-jo", "type: session\ndate: 2026-02-02\nsupervisor: boss\n"
		    "supervisee: jo\ncases: [{ref: C-1}]\n");
	run(&f, recs, 2, "2026-02-02", SUP_AUDIT_CASES);
	assert_int_equal(count(&f, "case-not-discussed", "jo"), 1);
	assert_string_equal(f.v[0].record, "2026-02-02-jo");
	assert_int_equal(count(&f, "cp-case-gap", NULL), 0);
	sup_findings_release(&f);
	/* C-2 last discussed 2026-01-05: due again by 2026-02-02 */
	run(&f, recs, 2, "2026-02-03", SUP_AUDIT_CASES);
	assert_int_equal(count(&f, "cp-case-gap", "jo"), 1);
	sup_findings_release(&f);
	/* a case closed on the session's date was not open at it */
	cases[1].closed = D("2026-02-02");
	run(&f, recs, 2, "2026-02-03", SUP_AUDIT_CASES);
	assert_int_equal(f.n, 0);
	cases[1].closed = SUP_DATE_NONE;
	sup_findings_release(&f);
	free_all(recs, 2);
}

static void test_actions_rules(void **state)
{
	struct sup_record *recs[3];
	struct sup_findings f;

	(void)state;
	recs[0] = R("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\n"
		    "supervisee: jo\nactions:\n"
		    "  - {n: 1, text: One, owner: jo, due: 2026-01-20}\n"
		    "  - {n: 2, text: Two, owner: boss, due: 2026-03-20}\n");
	/* an oversight note is not the next session, but may close an action */
	recs[1] = R("2026-01-10-jo-oversight", "type: oversight\ndate: 2026-01-10\n"
		    "supervisor: boss\nsupervisee: jo\ncase: C-1\n");
	recs[2] = R("2026-02-02-jo", "type: session\ndate: 2026-02-02\nsupervisor: boss\n"
		    "supervisee: jo\nreviewed_actions:\n"
		    "  - {action: 2026-01-05-jo#2, status: carried}\n");
	run(&f, recs, 3, "2026-02-03", SUP_AUDIT_ACTIONS);
	assert_int_equal(count(&f, "action-overdue", "jo"), 1);
	assert_int_equal(count(&f, "action-not-reviewed", "jo"), 1);
	assert_non_null(strstr(f.v[0].message, "#1") ? f.v[0].message : f.v[1].message);
	sup_findings_release(&f);
	/* the carried action is overdue after its due date */
	run(&f, recs, 3, "2026-03-21", SUP_AUDIT_ACTIONS);
	assert_int_equal(count(&f, "action-overdue", "jo"), 2);
	sup_findings_release(&f);
	free_all(recs, 3);
}

static void test_functions_runs(void **state)
{
	struct sup_record *recs[4];
	struct sup_findings f;

	(void)state;
	recs[0] = R("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\n"
		    "supervisee: jo\nfunctions: [performance]\n");
	recs[1] = R("2026-01-12-jo", "type: session\ndate: 2026-01-12\nsupervisor: boss\n"
		    "supervisee: jo\nfunctions: [performance, support]\n");
	recs[2] = R("2026-01-19-jo", "type: session\ndate: 2026-01-19\nsupervisor: boss\n"
		    "supervisee: jo\nfunctions: [performance]\n");
	recs[3] = R("2026-01-26-jo", "type: session\ndate: 2026-01-26\nsupervisor: boss\n"
		    "supervisee: jo\nfunctions: [performance, development, support]\n");
	/* window 2: development missing from a run of 3 (one finding),
	 * support from runs of 1 only */
	run(&f, recs, 4, "2026-02-01", SUP_AUDIT_FUNCTIONS);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "function-gap");
	assert_string_equal(f.v[0].record, "2026-01-19-jo");
	assert_non_null(strstr(f.v[0].message, "'development' not covered in 3 consecutive sessions"));
	sup_findings_release(&f);
	free_all(recs, 4);
}

static void test_training_and_sorting(void **state)
{
	struct sup_findings f;
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	run(&f, NULL, 0, "2026-03-01", SUP_AUDIT_ALL & ~SUP_AUDIT_LATE);
	assert_int_equal(count(&f, "untrained-supervisor", "jo"), 1);
	assert_int_equal(count(&f, "untrained-supervisor", "boss"), 0);
	assert_int_equal(count(&f, "never-supervised", "jo"), 1);
	assert_int_equal(count(&f, "never-supervised", "kim"), 1);
	assert_int_equal(count(&f, "never-supervised", "boss"), 0);
	/* boss's team first, errors first within it */
	assert_string_equal(f.v[0].supervisor, "boss");
	assert_int_equal(f.v[0].severity, SUP_SEV_ERROR);
	assert_string_equal(f.v[f.n - 1].supervisor, "jo");
	assert_true(sup_findings_fail(&f));
	sup_audit_write(&out, &f, &reg, D("2026-03-01"), SUP_FORMAT_CSV, 0);
	assert_true(sup_starts_with(sup_buf_cstr(&out),
				    "as_of,supervisor,severity,code,person,record,date,due,message\n"));
	sup_buf_release(&out);
	sup_audit_write(&out, &f, &reg, D("2026-03-01"), SUP_FORMAT_JSON, 0);
	assert_true(sup_starts_with(sup_buf_cstr(&out), "{\"as_of\":\"2026-03-01\",\"findings\":[{\"code\":\"cp-case-gap\",\"severity\":\"error\",\"person\":\"jo\",\"supervisor\":\"boss\""));
	assert_non_null(strstr(sup_buf_cstr(&out), "\"by_code\":{\"overdue\":0,\"never-supervised\":2,"));
	sup_buf_release(&out);
	sup_findings_release(&f);
	/* filters */
	memset(&f, 0, sizeof(f));
	sup_audit_run(&f, &pol, &reg, NULL, 0, NULL, D("2026-03-01"), SUP_AUDIT_OVERDUE,
		      "jo", NULL);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].person, "kim");
	sup_findings_release(&f);
	/* a leaver drops out on their leaving date */
	staff[2].left = D("2026-03-01");
	run(&f, NULL, 0, "2026-03-01", SUP_AUDIT_OVERDUE | SUP_AUDIT_TRAINING);
	assert_int_equal(count(&f, "never-supervised", "kim"), 0);
	assert_int_equal(count(&f, "untrained-supervisor", "jo"), 0);
	staff[2].left = SUP_DATE_NONE;
	sup_findings_release(&f);
}

static void test_late_and_first_seen(void **state)
{
	struct sup_first_seens fs;
	struct sup_record *r;
	struct sup_findings f;
	struct sup_schedule s;

	(void)state;
	memset(&fs, 0, sizeof(fs));
	/* 2026-01-05 12:00 UTC and later; the earliest of duplicates wins */
	sup_first_seens_put(&fs, "records/2026/2026-01-05-jo.md", 1768219200);
	sup_first_seens_put(&fs, "records/2026/2026-01-05-jo.md", 1767614400);
	sup_first_seens_put(&fs, "records/2026/a.md", 5);
	sup_first_seens_sort(&fs);
	assert_int_equal(fs.n, 2);
	assert_int_equal(sup_first_seens_get(&fs, "records/2026/2026-01-05-jo.md"), 1767614400);
	assert_int_equal(sup_first_seens_get(&fs, "records/2026/none.md"), -1);
	r = R("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\nsupervisee: jo\n");
	sup_schedule_init(&s, &pol, &reg, &r, 1, D("2026-02-01"));
	memset(&f, 0, sizeof(f));
	sup_audit_late(&f, &s, &r, 1, &fs);
	assert_int_equal(f.n, 0);
	/* 2026-01-13: 6 working days after a Monday meeting */
	fs.v[0].when = 1768305600;
	sup_audit_late(&f, &s, &r, 1, &fs);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "late-record");
	assert_int_equal(f.v[0].due, D("2026-01-12"));
	assert_false(sup_findings_fail(&(struct sup_findings){ NULL, 0, 0 }));
	sup_findings_release(&f);
	sup_schedule_release(&s);
	sup_record_free(r);
	sup_first_seens_release(&fs);
}

static void test_unsigned_states(void **state)
{
	struct sup_record *r;
	struct sup_findings f;
	char digest[72];
	char *fm;

	(void)state;
	r = R("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\nsupervisee: jo\n");
	run(&f, &r, 1, "2026-01-19", SUP_AUDIT_UNSIGNED);
	assert_int_equal(f.n, 0);	/* deadline 2026-01-19 */
	sup_findings_release(&f);
	run(&f, &r, 1, "2026-01-20", SUP_AUDIT_UNSIGNED);
	assert_int_equal(count(&f, "unsigned", "jo"), 1);
	sup_findings_release(&f);
	sup_record_digest(digest, r->text, r->len);
	sup_record_free(r);
	fm = sup_xasprintf("type: session\ndate: 2026-01-05\nsupervisor: boss\nsupervisee: jo\n"
			   "signoffs:\n"
			   "  - {by: boss, role: supervisor, at: 2026-01-06T00:00:00Z, digest: \"%s\"}\n"
			   "  - {by: jo, role: supervisee, at: 2026-01-06T00:00:00Z, digest: \"%s\", dispute: No}\n",
			   digest, digest);
	r = R("2026-01-05-jo", fm);
	run(&f, &r, 1, "2026-01-20", SUP_AUDIT_UNSIGNED);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "disputed");
	assert_int_equal(f.v[0].severity, SUP_SEV_INFO);
	assert_false(sup_findings_fail(&f));
	sup_findings_release(&f);
	sup_record_free(r);
	free(fm);
	/* a different digest: stale */
	fm = sup_xasprintf("type: session\ndate: 2026-01-05\nsupervisor: boss\nsupervisee: jo\n"
			   "location: changed\nsignoffs:\n"
			   "  - {by: boss, role: supervisor, at: 2026-01-06T00:00:00Z, digest: \"%s\"}\n",
			   digest);
	r = R("2026-01-05-jo", fm);
	run(&f, &r, 1, "2026-01-10", SUP_AUDIT_UNSIGNED);
	assert_int_equal(count(&f, "stale-signoff", "jo"), 1);
	assert_int_equal(count(&f, "unsigned", "jo"), 0);
	sup_findings_release(&f);
	sup_record_free(r);
	free(fm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_rules),
		cmocka_unit_test(test_actions_rules),
		cmocka_unit_test(test_functions_runs),
		cmocka_unit_test(test_training_and_sorting),
		cmocka_unit_test(test_late_and_first_seen),
		cmocka_unit_test(test_unsigned_states),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
