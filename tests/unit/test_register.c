/* Unit tests for lib/register: staff and case files, cross references,
 * changes to one person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "register.h"

#define KEY1 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH5IeC7UGWZhB9eK4Ox6XwDiDXO/yHlJUO5TXKWqxlWY jo@laptop"
#define KEY2 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7gOUiZAuR/RSZx0IOZ6mfE2njX0k49cEJhCOIs0gv/ jo@phone"

/* A staff file as sup writes it: every key, canonical order. */
static const char full_staff[] =
	"id: jsmith\n"
	"name: Jo Smith\n"
	"email: jo.smith@example.org\n"
	"role: asye\n"
	"phase_start: 2026-09-01\n"
	"started: 2026-08-20\n"
	"left:\n"
	"supervisor: akhan\n"
	"admin: false\n"
	"auditor: true\n"
	"supervisor_trained: 2025-03-10\n"
	"absences:\n"
	"  - {from: 2027-01-04, to: 2027-04-30, reason: maternity leave}\n"
	"keys:\n"
	"  - " KEY1 "\n";

static const char full_case[] =
	"ref: C-10293\n"
	"worker: jsmith\n"
	"opened: 2026-05-01\n"
	"closed:\n"
	"child_protection: true\n";

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

static void S_staff_ok(struct sup_staff *st, const char *text, const char *path)
{
	int rc = sup_staff_parse(st, text, strlen(text), path);

	if (rc < 0)
		fail_msg("parse failed: %s", sup_error_last());
	assert_int_equal(sup_diag_count(), 0);
}

/* Parsing must fail with SUP_EINVALID; the first diagnostic is want, and
 * there are n of them. */
static void S_staff_bad(const char *text, const char *path, size_t n,
			const char *want)
{
	struct sup_staff st;

	sup_diag_clear();
	assert_int_equal(sup_staff_parse(&st, text, strlen(text), path), SUP_EINVALID);
	assert_int_equal(sup_diag_count(), n);
	assert_string_equal(sup_diag_get(0), want);
	/* released on failure: nothing to free, nothing left pointing */
	assert_null(st.id);
	assert_null(st.keys);
	sup_diag_clear();
}

static void S_case_bad(const char *text, const char *path, const char *want)
{
	struct sup_case c;

	sup_diag_clear();
	assert_int_equal(sup_case_parse(&c, text, strlen(text), path), SUP_EINVALID);
	assert_true(sup_diag_count() >= 1);
	assert_string_equal(sup_diag_get(0), want);
	assert_null(c.ref);
	sup_diag_clear();
}

/* text with the line starting "key:" (or "key " or the whole line key)
 * replaced by repl (a whole line, or
 * "" to drop it); caller frees. */
static char *S_edit(const char *text, const char *key, const char *repl)
{
	struct sup_buf b = SUP_BUF_INIT;
	size_t klen = strlen(key);
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);

		if (!strncmp(p, key, klen) &&
		    (p[klen] == ':' || p[klen] == ' ' || p[klen] == '\n'))
			sup_buf_puts(&b, repl);
		else
			sup_buf_put(&b, p, len);
		p += len;
	}
	return sup_buf_detach(&b);
}

static void test_staff_full(void **state)
{
	struct sup_staff st;

	(void)state;
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	assert_string_equal(st.id, "jsmith");
	assert_string_equal(st.name, "Jo Smith");
	assert_string_equal(st.email, "jo.smith@example.org");
	assert_string_equal(st.role, "asye");
	assert_int_equal(st.role_line, 4);
	assert_int_equal(st.role_col, 7);
	assert_int_equal(st.phase_start, S_date("2026-09-01"));
	assert_int_equal(st.started, S_date("2026-08-20"));
	assert_int_equal(st.left, SUP_DATE_NONE);
	assert_string_equal(st.supervisor, "akhan");
	assert_int_equal(st.supervisor_line, 8);
	assert_int_equal(st.supervisor_col, 13);
	assert_false(st.admin);
	assert_true(st.auditor);
	assert_int_equal(st.supervisor_trained, S_date("2025-03-10"));
	assert_int_equal(st.nabsences, 1);
	assert_int_equal(st.absences[0].from, S_date("2027-01-04"));
	assert_int_equal(st.absences[0].to, S_date("2027-04-30"));
	assert_string_equal(st.absences[0].reason, "maternity leave");
	assert_int_equal(st.nkeys, 1);
	assert_string_equal(st.keys[0], KEY1);
	sup_staff_release(&st);
	assert_null(st.id);
	sup_staff_release(NULL);
}

static void test_staff_emit_roundtrip(void **state)
{
	struct sup_staff st, back;
	struct sup_buf out = SUP_BUF_INIT, again = SUP_BUF_INIT;

	(void)state;
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	sup_staff_emit(&out, &st);
	assert_string_equal(sup_buf_cstr(&out), full_staff);
	S_staff_ok(&back, out.ptr, "staff/jsmith.yaml");
	sup_staff_emit(&again, &back);
	assert_string_equal(sup_buf_cstr(&again), full_staff);
	sup_staff_release(&st);
	sup_staff_release(&back);
	sup_buf_release(&out);
	sup_buf_release(&again);
}

static void test_staff_minimal_defaults(void **state)
{
	static const char text[] =
		"id: akhan\nname: Aisha Khan\nrole: manager\nstarted: 2020-01-06\n";
	static const char canonical[] =
		"id: akhan\n"
		"name: Aisha Khan\n"
		"email:\n"
		"role: manager\n"
		"started: 2020-01-06\n"
		"left:\n"
		"supervisor:\n"
		"admin: false\n"
		"auditor: false\n"
		"supervisor_trained:\n"
		"absences: []\n"
		"keys: []\n";
	struct sup_staff st;
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	S_staff_ok(&st, text, "staff/akhan.yaml");
	assert_null(st.email);
	assert_null(st.supervisor);
	assert_int_equal(st.phase_start, SUP_DATE_NONE);
	assert_int_equal(st.left, SUP_DATE_NONE);
	assert_false(st.admin);
	assert_int_equal(st.nkeys, 0);
	assert_int_equal(st.nabsences, 0);
	sup_staff_emit(&out, &st);
	assert_string_equal(sup_buf_cstr(&out), canonical);
	sup_staff_release(&st);
	sup_buf_release(&out);
}

static void test_staff_emit_quotes_what_needs_it(void **state)
{
	struct sup_staff st, back;
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	free(st.name);
	st.name = sup_xstrdup("O'Brien: #1, [lead]");
	free(st.absences[0].reason);
	st.absences[0].reason = sup_xstrdup("sick: {long}");
	sup_staff_emit(&out, &st);
	S_staff_ok(&back, out.ptr, "staff/jsmith.yaml");
	assert_string_equal(back.name, "O'Brien: #1, [lead]");
	assert_string_equal(back.absences[0].reason, "sick: {long}");
	sup_staff_release(&st);
	sup_staff_release(&back);
	sup_buf_release(&out);
}

static void test_staff_crlf_accepted(void **state)
{
	struct sup_buf crlf = SUP_BUF_INIT;
	struct sup_staff st;
	const char *p;

	(void)state;
	for (p = full_staff; *p; p++) {
		if (*p == '\n')
			sup_buf_putc(&crlf, '\r');
		sup_buf_putc(&crlf, *p);
	}
	S_staff_ok(&st, crlf.ptr, "staff/jsmith.yaml");
	assert_string_equal(st.name, "Jo Smith");
	assert_string_equal(st.keys[0], KEY1);
	sup_staff_release(&st);
	sup_buf_release(&crlf);
}

static void test_staff_missing_required(void **state)
{
	char *t = S_edit(full_staff, "name", "");

	(void)state;
	S_staff_bad(t, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:1:1: missing required key 'name'");
	free(t);
}

static void test_staff_bad_date(void **state)
{
	char *t = S_edit(full_staff, "started", "started: 2026-02-30\n");

	(void)state;
	S_staff_bad(t, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:6:10: 'started': invalid date '2026-02-30': no day 30 in 2026-02");
	free(t);
}

static void test_staff_duplicate_key(void **state)
{
	char *t = S_edit(full_staff, "role", "role: asye\nrole: dsl\n");

	(void)state;
	S_staff_bad(t, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:5:1: duplicate key 'role' (first at line 4)");
	free(t);
}

static void test_staff_alias_and_anchor(void **state)
{
	char *t = S_edit(full_staff, "email", "email: *n\n");
	char *u = S_edit(full_staff, "name", "name: &n Jo\n");

	(void)state;
	S_staff_bad(t, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:3:8: aliases are not allowed (write the value out in full)");
	S_staff_bad(u, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:2:7: anchors are not allowed");
	free(t);
	free(u);
}

static void test_staff_tab_indent(void **state)
{
	char *t = S_edit(full_staff, "keys", "keys:\n\t- " KEY1 "\n");
	char *u = S_edit(t, "  - " KEY1, "");

	(void)state;
	S_staff_bad(u, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:15:1: tab character in indentation (use spaces)");
	free(t);
	free(u);
}

static void test_staff_unknown_key(void **state)
{
	char *t = S_edit(full_staff, "auditor", "auditer: true\n");

	(void)state;
	S_staff_bad(t, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:10:1: unknown key 'auditer' (did you mean 'auditor'?)");
	free(t);
}

static void test_staff_id_and_file_name(void **state)
{
	(void)state;
	S_staff_bad(full_staff, "staff/jsmith2.yaml", 1,
		    "staff/jsmith2.yaml:1:5: id 'jsmith' does not match the file name 'jsmith2.yaml' (rename the file or fix the id)");
}

static void test_staff_bad_id(void **state)
{
	char *t;

	(void)state;
	t = S_edit(full_staff, "id", "id: J.Smith\n");
	S_staff_bad(t, "staff/J.Smith.yaml", 1,
		    "staff/J.Smith.yaml:1:5: 'J.Smith' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	free(t);
}

/* Each problem alone: exactly one diagnostic at the value. */
static void test_staff_each_value(void **state)
{
	static const struct {
		const char *key, *line, *want;
	} cases[] = {
		{ "email", "email: jo.smith\n",
		  "staff/jsmith.yaml:3:8: 'jo.smith' is not an email address" },
		{ "left", "left: 2026-01-01\n",
		  "staff/jsmith.yaml:7:7: 'left' is before 'started'" },
		{ "admin", "admin: maybe\n",
		  "staff/jsmith.yaml:9:8: 'admin' must be true or false, not 'maybe'" },
		{ "supervisor", "supervisor: A Khan\n",
		  "staff/jsmith.yaml:8:13: 'A Khan' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(cases); i++) {
		char *t = S_edit(full_staff, cases[i].key, cases[i].line);
		struct sup_staff st;

		sup_diag_clear();
		assert_int_equal(sup_staff_parse(&st, t, strlen(t), "staff/jsmith.yaml"),
				 SUP_EINVALID);
		assert_int_equal(sup_diag_count(), 1);
		assert_string_equal(sup_diag_get(0), cases[i].want);
		free(t);
	}
}

static void test_staff_bad_absence_and_key(void **state)
{
	char *t = S_edit(full_staff, "  - {from",
			 "  - {from: 2027-04-30, to: 2027-01-04}\n");
	char *u = S_edit(full_staff, "  - ssh-ed25519", "  - ssh-ed25519 AAAA!!\n");

	(void)state;
	S_staff_bad(t, "staff/jsmith.yaml", 1,
		    "staff/jsmith.yaml:13:5: absence ends before it starts");
	sup_diag_clear();
	{
		struct sup_staff st;

		assert_int_equal(sup_staff_parse(&st, u, strlen(u), "staff/jsmith.yaml"),
				 SUP_EINVALID);
		assert_int_equal(sup_diag_count(), 1);
		assert_true(sup_starts_with(sup_diag_get(0), "staff/jsmith.yaml:15:5: "));
	}
	free(t);
	free(u);
}

static void test_staff_not_a_mapping(void **state)
{
	(void)state;
	S_staff_bad("- a\n- b\n", "staff/x.yaml", 1,
		    "staff/x.yaml:1:1: expected a mapping of 'key: value' lines");
	S_staff_bad("", "staff/x.yaml", 4,
		    "staff/x.yaml:1:1: missing required key 'id'");
}

static void test_staff_nul_and_utf8(void **state)
{
	static const char nul[] = "id: jsmith\nname: Jo\0Smith\n";
	static const char latin1[] = "id: jsmith\nname: Jo Sm\xefth\n";
	struct sup_staff st;

	(void)state;
	assert_int_equal(sup_staff_parse(&st, nul, sizeof(nul) - 1, "staff/jsmith.yaml"),
			 SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0), "staff/jsmith.yaml:2:9: NUL byte in file");
	sup_diag_clear();
	assert_int_equal(sup_staff_parse(&st, latin1, sizeof(latin1) - 1, "staff/jsmith.yaml"),
			 SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 1);
	assert_true(sup_starts_with(sup_diag_get(0), "staff/jsmith.yaml:2:12: not valid UTF-8"));
}

static void test_staff_too_big(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_staff st;

	(void)state;
	sup_buf_puts(&b, full_staff);
	while (b.len <= SUP_MAX_FILE)
		sup_buf_puts(&b, "# padding padding padding padding padding padding\n");
	assert_int_equal(sup_staff_parse(&st, b.ptr, b.len, "staff/jsmith.yaml"),
			 SUP_EINVALID);
	assert_non_null(strstr(sup_error_last(), "staff/jsmith.yaml"));
	assert_non_null(strstr(sup_error_last(), "1 MiB"));
	sup_buf_release(&b);
}

static void test_case_roundtrip(void **state)
{
	struct sup_case c;
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	assert_int_equal(sup_case_parse(&c, full_case, strlen(full_case),
					"cases/C-10293.yaml"), 0);
	assert_string_equal(c.ref, "C-10293");
	assert_string_equal(c.worker, "jsmith");
	assert_int_equal(c.worker_line, 2);
	assert_int_equal(c.worker_col, 9);
	assert_int_equal(c.opened, S_date("2026-05-01"));
	assert_int_equal(c.closed, SUP_DATE_NONE);
	assert_true(c.child_protection);
	sup_case_emit(&out, &c);
	assert_string_equal(sup_buf_cstr(&out), full_case);
	sup_case_release(&c);
	sup_case_release(NULL);
	sup_buf_release(&out);
}

static void test_case_bad(void **state)
{
	char *t;

	(void)state;
	t = S_edit(full_case, "ref", "ref: C/10293\n");
	S_case_bad(t, "cases/C-10293.yaml",
		   "cases/C-10293.yaml:1:6: 'C/10293' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')");
	free(t);
	t = S_edit(full_case, "ref", "ref: C..1\n");
	S_case_bad(t, "cases/C..1.yaml",
		   "cases/C..1.yaml:1:6: 'C..1' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')");
	free(t);
	t = S_edit(full_case, "closed", "closed: 2026-04-30\n");
	S_case_bad(t, "cases/C-10293.yaml",
		   "cases/C-10293.yaml:4:9: 'closed' is before 'opened'");
	free(t);
	t = S_edit(full_case, "opened", "opened: 2026-13-01\n");
	S_case_bad(t, "cases/C-10293.yaml",
		   "cases/C-10293.yaml:3:9: 'opened': invalid date '2026-13-01': no month 13");
	free(t);
	t = S_edit(full_case, "child_protection", "child_protection: perhaps\n");
	S_case_bad(t, "cases/C-10293.yaml",
		   "cases/C-10293.yaml:5:19: 'child_protection' must be true or false, not 'perhaps'");
	free(t);
	S_case_bad(full_case, "cases/C-1.yaml",
		   "cases/C-1.yaml:1:6: ref 'C-10293' does not match the file name 'C-1.yaml' (rename the file or fix the ref)");
}

/* A register of akhan, jsmith (supervised by akhan) and one case. */
static void S_register(struct sup_register *r)
{
	static const char akhan[] =
		"id: akhan\nname: Aisha Khan\nrole: manager\nstarted: 2020-01-06\n"
		"admin: true\nkeys:\n  - " KEY2 "\n";
	struct sup_staff st;
	struct sup_case c;

	memset(r, 0, sizeof(*r));
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	sup_register_put_staff(r, &st);
	assert_null(st.id);
	S_staff_ok(&st, akhan, "staff/akhan.yaml");
	sup_register_put_staff(r, &st);
	assert_int_equal(sup_case_parse(&c, full_case, strlen(full_case),
					"cases/C-10293.yaml"), 0);
	sup_register_put_case(r, &c);
}

static void test_register_lookup(void **state)
{
	struct sup_register r;

	(void)state;
	S_register(&r);
	assert_int_equal(r.nstaff, 2);
	assert_string_equal(r.staff[0].id, "akhan");	/* kept sorted */
	assert_non_null(sup_register_staff(&r, "jsmith"));
	assert_null(sup_register_staff(&r, "jsmit"));
	assert_null(sup_register_staff(&r, NULL));
	assert_string_equal(sup_register_suggest(&r, "jsmit"), "jsmith");
	assert_string_equal(sup_register_suggest(&r, "akhn"), "akhan");
	assert_null(sup_register_suggest(&r, "zzzzzz"));
	assert_string_equal(sup_register_by_email(&r, "JO.SMITH@example.org")->id, "jsmith");
	assert_null(sup_register_by_email(&r, "nobody@example.org"));
	assert_non_null(sup_register_case(&r, "C-10293"));
	assert_null(sup_register_case(&r, "c-10293"));
	assert_int_equal(sup_register_check(&r), 0);
	assert_int_equal(sup_diag_count(), 0);
	sup_register_release(&r);
	sup_register_release(NULL);
}

static void test_register_unknown_supervisor(void **state)
{
	struct sup_register r;
	struct sup_staff *js;

	(void)state;
	S_register(&r);
	js = (struct sup_staff *)sup_register_staff(&r, "jsmith");
	free(js->supervisor);
	js->supervisor = sup_xstrdup("akhn");
	assert_int_equal(sup_register_check(&r), SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0),
			    "staff/jsmith.yaml:8:13: unknown staff id 'akhn' (did you mean 'akhan'?)");
	sup_diag_clear();
	free(js->supervisor);
	js->supervisor = sup_xstrdup("jsmith");
	assert_int_equal(sup_register_check(&r), SUP_EINVALID);
	assert_string_equal(sup_diag_get(0),
			    "staff/jsmith.yaml:8:13: 'jsmith' cannot supervise themselves");
	sup_register_release(&r);
}

static void test_register_unknown_worker(void **state)
{
	struct sup_register r;
	struct sup_case *c;

	(void)state;
	S_register(&r);
	c = sup_register_case(&r, "C-10293");
	free(c->worker);
	c->worker = sup_xstrdup("nobody");
	assert_int_equal(sup_register_check(&r), SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0),
			    "cases/C-10293.yaml:2:9: unknown staff id 'nobody'");
	sup_register_release(&r);
}

static void test_keys(void **state)
{
	struct sup_staff st;
	char *d;

	(void)state;
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	assert_int_equal(sup_staff_add_key(&st, KEY1), SUP_EEXISTS);
	assert_int_equal(sup_staff_add_key(&st, KEY2), 0);
	assert_int_equal(st.nkeys, 2);
	d = sup_key_describe(KEY2);
	assert_true(sup_starts_with(d, "SHA256:"));
	assert_true(sup_ends_with(d, " jo@phone"));
	free(d);
	assert_int_equal(sup_staff_remove_key(&st, "nosuch"), SUP_ENOTFOUND);
	assert_int_equal(sup_staff_remove_key(&st, "jo@phone"), 0);
	assert_int_equal(st.nkeys, 1);
	assert_string_equal(st.keys[0], KEY1);
	/* the last key of an admin stays */
	st.admin = 1;
	assert_int_equal(sup_staff_remove_key(&st, KEY1), SUP_EINVALID);
	assert_int_equal(st.nkeys, 1);
	st.admin = 0;
	assert_int_equal(sup_staff_remove_key(&st, KEY1), 0);
	assert_int_equal(st.nkeys, 0);
	sup_staff_release(&st);
}

static void test_absences_and_activity(void **state)
{
	struct sup_staff st;

	(void)state;
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	assert_int_equal(sup_staff_add_absence(&st, S_date("2027-04-01"),
					       S_date("2027-05-01"), NULL), SUP_EINVALID);
	assert_int_equal(sup_staff_add_absence(&st, S_date("2027-06-02"),
					       S_date("2027-06-01"), NULL), SUP_EINVALID);
	assert_int_equal(sup_staff_add_absence(&st, S_date("2027-06-01"),
					       S_date("2027-06-30"), "sick leave"), 0);
	assert_int_equal(st.nabsences, 2);
	assert_false(sup_staff_active(&st, S_date("2026-08-19")));
	assert_true(sup_staff_active(&st, S_date("2026-08-20")));
	st.left = S_date("2028-01-01");
	assert_true(sup_staff_active(&st, S_date("2027-12-31")));
	assert_false(sup_staff_active(&st, S_date("2028-01-01")));
	sup_staff_release(&st);
}

static void test_copy_is_deep(void **state)
{
	struct sup_staff st, cp;

	(void)state;
	S_staff_ok(&st, full_staff, "staff/jsmith.yaml");
	sup_staff_copy(&cp, &st);
	sup_staff_release(&st);
	assert_string_equal(cp.id, "jsmith");
	assert_string_equal(cp.keys[0], KEY1);
	assert_string_equal(cp.absences[0].reason, "maternity leave");
	sup_staff_release(&cp);
}

static void test_paths(void **state)
{
	char *p;

	(void)state;
	p = sup_staff_path("jsmith");
	assert_string_equal(p, "staff/jsmith.yaml");
	free(p);
	p = sup_case_path("C-10293");
	assert_string_equal(p, "cases/C-10293.yaml");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_staff_full),
		T(test_staff_emit_roundtrip),
		T(test_staff_minimal_defaults),
		T(test_staff_emit_quotes_what_needs_it),
		T(test_staff_crlf_accepted),
		T(test_staff_missing_required),
		T(test_staff_bad_date),
		T(test_staff_duplicate_key),
		T(test_staff_alias_and_anchor),
		T(test_staff_tab_indent),
		T(test_staff_unknown_key),
		T(test_staff_id_and_file_name),
		T(test_staff_bad_id),
		T(test_staff_each_value),
		T(test_staff_bad_absence_and_key),
		T(test_staff_not_a_mapping),
		T(test_staff_nul_and_utf8),
		T(test_staff_too_big),
		T(test_case_roundtrip),
		T(test_case_bad),
		T(test_register_lookup),
		T(test_register_unknown_supervisor),
		T(test_register_unknown_worker),
		T(test_keys),
		T(test_absences_and_activity),
		T(test_copy_is_deep),
		T(test_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
