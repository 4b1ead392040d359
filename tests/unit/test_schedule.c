/* test_schedule: unit tests for lib/schedule.c, with records in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "record.h"
#include "schedule.h"
#include "util.h"

static const char policy_text[] =
	"organisation: Test\n"
	"holidays: england-and-wales\n"
	"functions: [performance, development, support]\n"
	"counts_as_supervision: [session]\n"
	"first_session_within: 4 weeks\n"
	"frequency:\n"
	"  practitioner: 4 weeks\n"
	"  student: [{until: 6 weeks, every: 1 week}, {every: 2 weeks}]\n"
	"  asye: [{until: 6 weeks, every: 1 week}, {until: 6 months, every: 2 weeks}, {every: 4 weeks}]\n"
	"  monthly: calendar month\n";

static struct sup_policy pol;

static sup_date D(const char *s)
{
	sup_date d = SUP_DATE_NONE;

	assert_int_equal(sup_date_parse(&d, s), 0);
	return d;
}

static const char *F(sup_date d)
{
	static char buf[4][11];
	static int i;

	i = (i + 1) % 4;
	sup_date_format(buf[i], d);
	return buf[i];
}

static int setup(void **state)
{
	(void)state;
	return sup_policy_parse(&pol, policy_text, strlen(policy_text), "sup.yaml");
}

static int teardown(void **state)
{
	(void)state;
	sup_policy_release(&pol);
	return 0;
}

static struct sup_staff S(const char *id, const char *role, const char *started)
{
	struct sup_staff st;

	memset(&st, 0, sizeof(st));
	st.id = (char *)id;
	st.role = (char *)role;
	st.supervisor = (char *)"boss";
	st.started = D(started);
	st.phase_start = SUP_DATE_NONE;
	st.left = SUP_DATE_NONE;
	st.supervisor_trained = SUP_DATE_NONE;
	return st;
}

/* A record from front matter lines (the body does not matter here). */
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

static struct sup_record *session(const char *date, const char *who)
{
	char *id = sup_xasprintf("%s-%s", date, who);
	char *fm = sup_xasprintf("type: session\ndate: %s\nsupervisor: boss\nsupervisee: %s\n",
				 date, who);
	struct sup_record *r = R(id, fm);

	free(id);
	free(fm);
	return r;
}

/* A contract, signed by both with matching digests when sign is set. */
static struct sup_record *contract(const char *date, const char *who,
				   const char *freq, int sign)
{
	char *id = sup_xasprintf("%s-%s-contract", date, who);
	char *fm = sup_xasprintf("type: contract\ndate: %s\nsupervisor: boss\nsupervisee: %s\nfrequency: %s\n",
				 date, who, freq);
	struct sup_record *r = R(id, fm);

	if (sign) {
		char digest[72];
		char *fm2;

		sup_record_digest(digest, r->text, r->len);
		fm2 = sup_xasprintf("%ssignoffs:\n"
				    "  - {by: boss, role: supervisor, at: 2026-01-01T00:00:00Z, digest: \"%s\"}\n"
				    "  - {by: %s, role: supervisee, at: 2026-01-01T00:00:00Z, digest: \"%s\"}\n",
				    fm, digest, who, digest);
		sup_record_free(r);
		r = R(id, fm2);
		free(fm2);
	}
	free(id);
	free(fm);
	return r;
}

static sup_date due_of(struct sup_record **recs, size_t n, const struct sup_staff *st,
		       const char *as_of, struct sup_due *out)
{
	struct sup_register reg;
	struct sup_schedule s;
	struct sup_due d;

	memset(&reg, 0, sizeof(reg));
	sup_schedule_init(&s, &pol, &reg, recs, n, D(as_of));
	assert_int_equal(sup_schedule_due(&d, &s, st), 0);
	sup_schedule_release(&s);
	if (out)
		*out = d;
	return d.due;
}

static void free_all(struct sup_record **recs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sup_record_free(recs[i]);
}

static void test_practitioner(void **state)
{
	struct sup_staff st = S("jo", "practitioner", "2026-01-05");
	struct sup_record *recs[2];
	struct sup_due d;

	(void)state;
	/* new starter: first_session_within from started */
	assert_string_equal(F(due_of(NULL, 0, &st, "2026-01-10", &d)), "2026-02-02");
	assert_int_equal(d.status, SUP_DUE_FIRST);
	due_of(NULL, 0, &st, "2026-02-03", &d);
	assert_int_equal(d.status, SUP_DUE_NEVER);
	recs[0] = session("2026-01-20", "jo");
	recs[1] = session("2026-02-16", "jo");
	assert_string_equal(F(due_of(recs, 2, &st, "2026-01-21", &d)), "2026-02-17");
	assert_int_equal(d.status, SUP_DUE_SCHEDULED);
	/* the later record is not yet counted before its date */
	assert_string_equal(F(due_of(recs, 2, &st, "2026-02-15", &d)), "2026-02-17");
	due_of(recs, 1, &st, "2026-02-18", &d);
	assert_int_equal(d.status, SUP_DUE_OVERDUE);
	assert_string_equal(F(due_of(recs, 2, &st, "2026-02-16", &d)), "2026-03-16");
	free_all(recs, 2);
}

static void test_asye_phases(void **state)
{
	struct sup_staff st = S("ann", "asye", "2026-01-05");
	struct sup_record *r;

	(void)state;
	st.phase_start = D("2026-01-05");
	/* the first session within a week: the role is stricter than 4 weeks */
	assert_string_equal(F(due_of(NULL, 0, &st, "2026-01-05", NULL)), "2026-01-12");
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-01-20"))), "2026-01-27");
	/* day 40 of the weekly phase: fortnightly from day 42 */
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-02-14"))), "2026-02-28");
	/* 6 months is 2026-07-05: then monthly */
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-06-01"))), "2026-06-15");
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-06-30"))), "2026-07-28");
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-08-01"))), "2026-08-29");
	r = session("2026-02-14", "ann");
	assert_string_equal(F(due_of(&r, 1, &st, "2026-02-20", NULL)), "2026-02-28");
	sup_record_free(r);
}

static void test_student_and_calendar_month(void **state)
{
	struct sup_staff st = S("sam", "student", "2026-01-05");
	struct sup_staff m = S("mo", "monthly", "2026-01-05");

	(void)state;
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-01-09"))), "2026-01-16");
	assert_string_equal(F(sup_schedule_next(&pol, &st, NULL, D("2026-02-12"))), "2026-02-26");
	/* calendar month: by the end of the next month */
	assert_string_equal(F(sup_schedule_next(&pol, &m, NULL, D("2026-01-31"))), "2026-02-28");
	assert_string_equal(F(sup_schedule_next(&pol, &m, NULL, D("2026-01-01"))), "2026-02-28");
}

static void test_contract_override(void **state)
{
	struct sup_staff st = S("jo", "practitioner", "2025-01-06");
	struct sup_record *recs[3];
	struct sup_due d;
	int from;

	(void)state;
	recs[0] = contract("2026-01-05", "jo", "2 weeks", 1);
	recs[1] = session("2026-02-02", "jo");
	assert_string_equal(F(due_of(recs, 2, &st, "2026-02-03", &d)), "2026-02-16");
	assert_int_equal(d.freq_from_contract, 1);
	assert_non_null(d.contract);
	/* before the contract's date, the policy's rate */
	assert_int_equal(sup_schedule_frequency(&pol, &st, recs[0], D("2026-01-04"), &from)->n, 4);
	assert_int_equal(from, 0);
	sup_record_free(recs[0]);
	/* an unsigned contract does not count */
	recs[0] = contract("2026-01-05", "jo", "2 weeks", 0);
	assert_string_equal(F(due_of(recs, 2, &st, "2026-02-03", &d)), "2026-03-02");
	assert_null(d.contract);
	sup_record_free(recs[0]);
	/* a less frequent contract does not override */
	recs[0] = contract("2026-01-05", "jo", "6 weeks", 1);
	assert_string_equal(F(due_of(recs, 2, &st, "2026-02-03", &d)), "2026-03-02");
	assert_int_equal(d.freq_from_contract, 0);
	assert_non_null(d.contract);
	/* a contract with another supervisor does not count */
	st.supervisor = (char *)"other";
	due_of(recs, 2, &st, "2026-02-03", &d);
	assert_null(d.contract);
	/* a contract dated after the last session shortens the interval
	 * from its date */
	st.supervisor = (char *)"boss";
	recs[2] = contract("2026-02-20", "jo", "1 week", 1);
	assert_string_equal(F(due_of(recs, 3, &st, "2026-02-21", &d)), "2026-02-20");
	free_all(recs, 3);
}

static void test_absences(void **state)
{
	struct sup_staff st = S("bo", "practitioner", "2025-01-06");
	struct sup_absence a[2];
	struct sup_record *r;
	struct sup_due d;
	int paused;

	(void)state;
	memset(a, 0, sizeof(a));
	a[0].from = D("2026-02-10");
	a[0].to = D("2026-03-31");
	st.absences = a;
	st.nabsences = 1;
	r = session("2026-01-15", "bo");
	/* 25 days used before the absence, 3 left after it */
	assert_string_equal(F(due_of(&r, 1, &st, "2026-03-01", &d)), "2026-04-03");
	assert_int_equal(d.paused, 50);
	assert_int_equal(d.absent, 1);
	assert_int_equal(d.status, SUP_DUE_SCHEDULED);
	/* an absence after the due date changes nothing */
	a[0].from = D("2026-03-01");
	assert_string_equal(F(due_of(&r, 1, &st, "2026-02-01", &d)), "2026-02-12");
	assert_int_equal(d.paused, 0);
	/* the moved date reaching a second absence */
	a[0].from = D("2026-02-10");
	a[0].to = D("2026-02-19");
	a[1].from = D("2026-02-20");
	a[1].to = D("2026-02-24");
	st.nabsences = 2;
	assert_string_equal(F(sup_schedule_pause(&st, D("2026-01-15"), D("2026-02-12"), &paused)),
			    "2026-02-27");
	assert_int_equal(paused, 15);
	sup_record_free(r);
}

static void test_applies(void **state)
{
	struct sup_staff st = S("lee", "practitioner", "2026-01-05");

	(void)state;
	assert_false(sup_schedule_applies(&st, D("2026-01-04")));
	assert_true(sup_schedule_applies(&st, D("2026-01-05")));
	st.left = D("2026-06-30");
	assert_true(sup_schedule_applies(&st, D("2026-06-29")));
	assert_false(sup_schedule_applies(&st, D("2026-06-30")));
	st.left = SUP_DATE_NONE;
	st.supervisor = NULL;
	assert_false(sup_schedule_applies(&st, D("2026-02-01")));
}

static void test_group_counts_only_when_listed(void **state)
{
	struct sup_staff st = S("jo", "practitioner", "2025-01-06");
	struct sup_record *recs[2];
	struct sup_due d;
	char **saved = pol.counts_as;
	size_t nsaved = pol.ncounts_as;
	char *both[] = { (char *)"session", (char *)"group" };

	(void)state;
	recs[0] = session("2026-01-05", "jo");
	recs[1] = R("2026-01-26-group-boss",
		    "type: group\ndate: 2026-01-26\nsupervisor: boss\nsupervisees: [jo, al]\n");
	assert_string_equal(F(due_of(recs, 2, &st, "2026-01-27", &d)), "2026-02-02");
	pol.counts_as = both;
	pol.ncounts_as = 2;
	assert_string_equal(F(due_of(recs, 2, &st, "2026-01-27", &d)), "2026-02-23");
	assert_ptr_equal(d.last_rec, recs[1]);
	pol.counts_as = saved;
	pol.ncounts_as = nsaved;
	free_all(recs, 2);
}

static void test_unknown_role(void **state)
{
	struct sup_staff st = S("x", "wizard", "2026-01-05");
	struct sup_register reg;
	struct sup_schedule s;
	struct sup_due d;

	(void)state;
	memset(&reg, 0, sizeof(reg));
	sup_schedule_init(&s, &pol, &reg, NULL, 0, D("2026-02-01"));
	assert_int_equal(sup_schedule_due(&d, &s, &st), SUP_EINVALID);
	assert_non_null(strstr(sup_error_last(), "unknown role 'wizard'"));
	assert_int_equal(sup_schedule_due_date(&pol, &reg, NULL, 0, &st, D("2026-02-01")),
			 SUP_DATE_NONE);
	sup_schedule_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_practitioner),
		cmocka_unit_test(test_asye_phases),
		cmocka_unit_test(test_student_and_calendar_month),
		cmocka_unit_test(test_contract_override),
		cmocka_unit_test(test_absences),
		cmocka_unit_test(test_applies),
		cmocka_unit_test(test_group_counts_only_when_listed),
		cmocka_unit_test(test_unknown_role),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
