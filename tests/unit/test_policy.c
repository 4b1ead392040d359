/* Unit tests for lib/policy: sup.yaml parsing, diagnostics, lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"

/* The policy of DESIGN.md section 3. */
static const char design_policy[] =
	"organisation: Example Children's Services\n"
	"holidays: england-and-wales\n"
	"extra_holidays: [2027-06-07]\n"
	"functions: [performance, development, support]\n"
	"functions_window: 3\n"
	"recording_deadline: 5 working days\n"
	"signoff_deadline: 10 working days\n"
	"contract_review: 12 months\n"
	"counts_as_supervision: [session]\n"
	"first_session_within: 4 weeks\n"
	"frequency:\n"
	"  practitioner: 4 weeks\n"
	"  dsl: 6 weeks\n"
	"  manager: calendar month\n"
	"  student:  [{until: 6 weeks, every: 1 week}, {every: 2 weeks}]\n"
	"  asye:     [{until: 6 weeks, every: 1 week}, {until: 6 months, every: 2 weeks}, {every: 4 weeks}]\n"
	"cases:\n"
	"  every_open_case_each_session: true\n"
	"  child_protection_within: 4 weeks\n";

#define BASE "organisation: X\nfunctions: [performance, development, support]\n"

static int S_clear(void **state)
{
	(void)state;
	sup_diag_clear();
	sup_error_clear();
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

static sup_date S_date(const char *s)
{
	sup_date d;

	assert_int_equal(sup_date_parse(&d, s), 0);
	return d;
}

static void S_ok(struct sup_policy *p, const char *text)
{
	if (sup_policy_parse(p, text, strlen(text), "sup.yaml") < 0)
		fail_msg("parse failed: %s", sup_error_last());
	assert_int_equal(sup_diag_count(), 0);
}

/* Refused with exactly n diagnostics, the first one want. */
static void S_bad_n(const char *text, size_t n, const char *want)
{
	struct sup_policy p;

	sup_diag_clear();
	assert_int_equal(sup_policy_parse(&p, text, strlen(text), "sup.yaml"),
			 SUP_EINVALID);
	assert_int_equal(sup_diag_count(), n);
	assert_string_equal(sup_diag_get(0), want);
	/* released on failure */
	assert_null(p.roles);
	assert_null(p.organisation);
	sup_diag_clear();
}

static void S_bad(const char *text, const char *want)
{
	S_bad_n(text, 1, want);
}

static void S_dur(const struct sup_duration *d, int n, enum sup_unit unit)
{
	assert_int_equal(d->n, n);
	assert_int_equal(d->unit, unit);
}

static void test_design_policy(void **state)
{
	struct sup_policy p;
	const struct sup_role *r;

	(void)state;
	S_ok(&p, design_policy);
	assert_string_equal(p.organisation, "Example Children's Services");
	assert_string_equal(p.holiday_set_name, "england-and-wales");
	assert_int_equal(p.holidays.set, SUP_HOLIDAYS_ENGLAND_AND_WALES);
	assert_true(sup_is_holiday(&p.holidays, S_date("2027-06-07")));
	assert_true(sup_is_holiday(&p.holidays, S_date("2026-12-25")));
	assert_false(sup_is_holiday(&p.holidays, S_date("2027-06-08")));
	assert_int_equal(p.nfunctions, 3);
	assert_true(sup_policy_has_function(&p, "development"));
	assert_false(sup_policy_has_function(&p, "mediation"));
	assert_int_equal(p.functions_window, 3);
	S_dur(&p.recording_deadline, 5, SUP_UNIT_WORKING_DAYS);
	S_dur(&p.signoff_deadline, 10, SUP_UNIT_WORKING_DAYS);
	S_dur(&p.contract_review, 12, SUP_UNIT_MONTHS);
	S_dur(&p.first_session_within, 4, SUP_UNIT_WEEKS);
	assert_true(sup_policy_counts(&p, "session"));
	assert_false(sup_policy_counts(&p, "group"));
	assert_int_equal(p.nroles, 5);
	assert_true(p.every_open_case_each_session);
	assert_true(p.has_cp_within);
	S_dur(&p.cp_within, 4, SUP_UNIT_WEEKS);

	r = sup_policy_role(&p, "practitioner");
	assert_non_null(r);
	assert_int_equal(r->nphases, 1);
	assert_false(r->phases[0].has_until);
	S_dur(&r->phases[0].every, 4, SUP_UNIT_WEEKS);
	r = sup_policy_role(&p, "manager");
	S_dur(&r->phases[0].every, 1, SUP_UNIT_CALENDAR_MONTH);
	r = sup_policy_role(&p, "asye");
	assert_int_equal(r->nphases, 3);
	assert_true(r->phases[0].has_until);
	S_dur(&r->phases[1].until, 6, SUP_UNIT_MONTHS);
	assert_false(r->phases[2].has_until);
	sup_policy_release(&p);
	assert_null(p.roles);
	sup_policy_release(NULL);
}

static void test_unknown_role(void **state)
{
	struct sup_policy p;

	(void)state;
	S_ok(&p, design_policy);
	assert_null(sup_policy_role(&p, "wizard"));
	assert_null(sup_policy_role(&p, "Practitioner"));
	assert_null(sup_policy_role(&p, ""));
	assert_null(sup_policy_role(&p, NULL));
	sup_policy_release(&p);
}

static void test_phase_by_date(void **state)
{
	struct sup_policy p;
	const struct sup_role *asye, *dsl;
	sup_date start = S_date("2026-09-01");

	(void)state;
	S_ok(&p, design_policy);
	asye = sup_policy_role(&p, "asye");
	/* weekly for six weeks, fortnightly to six months, then monthly */
	S_dur(sup_role_frequency(asye, start, start), 1, SUP_UNIT_WEEKS);
	S_dur(sup_role_frequency(asye, start, S_date("2026-10-12")), 1, SUP_UNIT_WEEKS);
	S_dur(sup_role_frequency(asye, start, S_date("2026-10-13")), 2, SUP_UNIT_WEEKS);
	S_dur(sup_role_frequency(asye, start, S_date("2027-02-28")), 2, SUP_UNIT_WEEKS);
	S_dur(sup_role_frequency(asye, start, S_date("2027-03-01")), 4, SUP_UNIT_WEEKS);
	S_dur(sup_role_frequency(asye, start, S_date("2030-01-01")), 4, SUP_UNIT_WEEKS);
	dsl = sup_policy_role(&p, "dsl");
	S_dur(sup_role_frequency(dsl, start, S_date("2030-01-01")), 6, SUP_UNIT_WEEKS);
	sup_policy_release(&p);
}

static void test_defaults(void **state)
{
	struct sup_policy p;

	(void)state;
	S_ok(&p, BASE "frequency:\n  practitioner: 4 weeks\n");
	assert_string_equal(p.holiday_set_name, "none");
	assert_int_equal(p.holidays.set, SUP_HOLIDAYS_NONE);
	S_dur(&p.recording_deadline, 5, SUP_UNIT_WORKING_DAYS);
	S_dur(&p.signoff_deadline, 10, SUP_UNIT_WORKING_DAYS);
	S_dur(&p.contract_review, 12, SUP_UNIT_MONTHS);
	S_dur(&p.first_session_within, 4, SUP_UNIT_WEEKS);
	assert_int_equal(p.ncounts_as, 1);
	assert_true(sup_policy_counts(&p, "session"));
	assert_true(p.every_open_case_each_session);
	assert_false(p.has_cp_within);
	sup_policy_release(&p);
}

static void test_holiday_list(void **state)
{
	struct sup_policy p;

	(void)state;
	S_ok(&p, BASE "holidays: [2026-12-25, 2026-12-28]\nfrequency:\n  dsl: 6 weeks\n");
	assert_string_equal(p.holiday_set_name, "list");
	assert_true(sup_is_holiday(&p.holidays, S_date("2026-12-28")));
	assert_false(sup_is_holiday(&p.holidays, S_date("2026-12-26")));
	sup_policy_release(&p);
}

static void test_crlf(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_policy p;
	const char *c;

	(void)state;
	for (c = design_policy; *c; c++) {
		if (*c == '\n')
			sup_buf_putc(&b, '\r');
		sup_buf_putc(&b, *c);
	}
	S_ok(&p, b.ptr);
	assert_int_equal(p.nroles, 5);
	sup_policy_release(&p);
	sup_buf_release(&b);
}

static void test_malformed_duration(void **state)
{
	(void)state;
	S_bad(BASE "frequency:\n  practitioner: 4 fortnights\n",
	      "sup.yaml:4:17: 'practitioner': invalid duration '4 fortnights' (expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\", N a whole number from 1 to 9999 and single spaces)");
	S_bad(BASE "recording_deadline: 5 workdays\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:3:21: 'recording_deadline': invalid duration '5 workdays' (expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\", N a whole number from 1 to 9999 and single spaces)");
	S_bad(BASE "frequency:\n  dsl: 0 weeks\n",
	      "sup.yaml:4:8: 'dsl': invalid duration '0 weeks': the number must be from 1 to 9999");
	S_bad_n(BASE "frequency:\n  dsl: 6 weeks\ncases:\n  child_protection_within: 4 wks\n", 1,
		"sup.yaml:6:28: 'child_protection_within': invalid duration '4 wks' (expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\", N a whole number from 1 to 9999 and single spaces)");
}

static void test_phases_no_final_open_phase(void **state)
{
	(void)state;
	S_bad(BASE "frequency:\n  student: [{until: 6 weeks, every: 1 week}, {until: 3 months, every: 2 weeks}]\n",
	      "sup.yaml:4:46: the last phase of 'student' must be open-ended: remove its 'until' or add a phase {every: DURATION}");
	/* block style: the position is the phase's */
	S_bad(BASE "frequency:\n  student:\n    - until: 6 weeks\n      every: 1 week\n",
	      "sup.yaml:5:7: the last phase of 'student' must be open-ended: remove its 'until' or add a phase {every: DURATION}");
}

static void test_phases_other_mistakes(void **state)
{
	(void)state;
	S_bad(BASE "frequency:\n  student: [{every: 1 week}, {every: 2 weeks}]\n",
	      "sup.yaml:4:13: only the last phase of 'student' may be open-ended (add 'until:')");
	S_bad(BASE "frequency:\n  student: [{until: 6 months, every: 1 week}, {until: 6 weeks, every: 2 weeks}, {every: 4 weeks}]\n",
	      "sup.yaml:4:47: phases of 'student' must end in order");
	S_bad(BASE "frequency:\n  student: [{until: calendar month, every: 1 week}, {every: 4 weeks}]\n",
	      "sup.yaml:4:21: 'until' must be a length of time, not 'calendar month'");
	S_bad(BASE "frequency:\n  student: []\n",
	      "sup.yaml:4:12: frequency of 'student' must be a duration or a list of phases [{until: D, every: D}, ..., {every: D}]");
	S_bad_n(BASE "frequency:\n  student: [{until: 6 weeks, evry: 1 week}, {every: 4 weeks}]\n", 2,
		"sup.yaml:4:30: unknown key 'evry' (did you mean 'every'?)");
	S_bad(BASE "frequency:\n  student: [4 weeks]\n",
	      "sup.yaml:4:13: a phase is {until: DURATION, every: DURATION}");
}

static void test_unknown_holiday_set(void **state)
{
	(void)state;
	S_bad(BASE "holidays: narnia\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:3:11: unknown holiday set 'narnia' (expected england-and-wales, scotland, northern-ireland or none)");
	S_bad(BASE "holidays: [2026-12-25, 2026-02-30]\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:3:24: 'holidays': invalid date '2026-02-30': no day 30 in 2026-02");
	S_bad(BASE "extra_holidays: [2027-13-01]\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:3:18: 'extra_holidays': invalid date '2027-13-01': no month 13");
}

static void test_other_mistakes(void **state)
{
	(void)state;
	S_bad(BASE,
	      "sup.yaml:1:1: 'frequency' must map each role to how often it is supervised (practitioner: 4 weeks)");
	S_bad("organisation: X\nfunctions: []\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:2:12: 'functions' must name at least one function");
	S_bad(BASE "counts_as_supervision: [session, meeting]\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:3:34: unknown record type 'meeting' (one of session, group, oversight, contract, handover)");
	S_bad(BASE "functions_window: -1\nfrequency:\n  dsl: 6 weeks\n",
	      "sup.yaml:3:19: 'functions_window' must be a whole number from 0 to 100, not '-1'");
	S_bad(BASE "frequency:\n  dsl: 6 weeks\ncolour: blue\n",
	      "sup.yaml:5:1: unknown key 'colour'");
	S_bad(BASE "frequency:\n  dsl: 6 weeks\n  dsl: 4 weeks\n",
	      "sup.yaml:5:3: duplicate key 'dsl' (first at line 4)");
	S_bad(BASE "frequency:\n  dsl: &d 6 weeks\n  manager: *d\n",
	      "sup.yaml:4:8: anchors are not allowed");
	S_bad(BASE "frequency:\n\tdsl: 6 weeks\n",
	      "sup.yaml:4:1: tab character in indentation (use spaces)");
	S_bad_n("functions: [support]\nfrequency:\n  dsl: 6 weeks\n", 1,
		"sup.yaml:1:1: missing required key 'organisation'");
}

static void test_every_problem_reported(void **state)
{
	static const char text[] = BASE "holidays: narnia\nfrequency:\n"
		"  dsl: 6 fortnights\n  asye: [{every: 1 week}, {every: 2 weeks}]\n";
	struct sup_policy p;

	(void)state;
	assert_int_equal(sup_policy_parse(&p, text, strlen(text), "sup.yaml"),
			 SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 3);
	assert_true(sup_starts_with(sup_diag_get(0), "sup.yaml:3:11: "));
	assert_true(sup_starts_with(sup_diag_get(1), "sup.yaml:5:8: "));
	assert_true(sup_starts_with(sup_diag_get(2), "sup.yaml:6:10: "));
}

/* The installed default (templates/sup.yaml) must parse: sup init uses it. */
static void test_template_parses(void **state)
{
	static const char *const where[] = { "templates/sup.yaml",
		"../../templates/sup.yaml", "../templates/sup.yaml" };
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_policy p;
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(where); i++)
		if (sup_read_file(&b, where[i], SUP_MAX_FILE) == 0)
			break;
	/* not skip(): cmocka prints "not ok # SKIP", which prove counts as
	 * a failure */
	if (i == SUP_ARRAY_SIZE(where))
		fail_msg("templates/sup.yaml not found: run from the source tree");
	S_ok(&p, b.ptr);
	assert_non_null(sup_policy_role(&p, "practitioner"));
	assert_non_null(sup_policy_role(&p, "manager"));
	sup_policy_release(&p);
	sup_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_design_policy),
		T(test_unknown_role),
		T(test_phase_by_date),
		T(test_defaults),
		T(test_holiday_list),
		T(test_crlf),
		T(test_malformed_duration),
		T(test_phases_no_final_open_phase),
		T(test_phases_other_mistakes),
		T(test_unknown_holiday_set),
		T(test_other_mistakes),
		T(test_every_problem_reported),
		T(test_template_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
