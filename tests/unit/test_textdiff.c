/* Unit tests for lib/textdiff: the unified line diff and the field diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "textdiff.h"


/* ---- unified diff ---- */

/* The unified diff of a and b, labelled "a" and "b"; caller frees. */
static char *S_udiff(const char *a, const char *b, size_t *changed)
{
	struct sup_buf out = SUP_BUF_INIT;
	size_t n = sup_unified_diff(&out, a, strlen(a), b, strlen(b), "a", "b");

	if (changed)
		*changed = n;
	return sup_buf_detach(&out);
}

static void S_expect_udiff(const char *a, const char *b, const char *want,
			   size_t want_changed)
{
	size_t changed = 99;
	char *got = S_udiff(a, b, &changed);

	assert_string_equal(got, want);
	assert_int_equal(changed, want_changed);
	free(got);
}

static void test_udiff_identical(void **state)
{
	(void)state;
	S_expect_udiff("one\ntwo\n", "one\ntwo\n", "", 0);
	S_expect_udiff("no newline", "no newline", "", 0);
}

static void test_udiff_both_empty(void **state)
{
	(void)state;
	S_expect_udiff("", "", "", 0);
}

static void test_udiff_empty_old(void **state)
{
	(void)state;
	S_expect_udiff("", "x\ny\n",
		       "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", 2);
}

static void test_udiff_empty_new(void **state)
{
	(void)state;
	S_expect_udiff("x\ny\n", "",
		       "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n", 2);
}

static void test_udiff_one_change_with_context(void **state)
{
	(void)state;
	S_expect_udiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n",
		       "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
		       "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", 2);
}

static void test_udiff_insert_middle(void **state)
{
	(void)state;
	S_expect_udiff("a\nb\nd\ne\n", "a\nb\nc\nd\ne\n",
		       "--- a\n+++ b\n@@ -1,4 +1,5 @@\n a\n b\n+c\n d\n e\n", 1);
}

static void test_udiff_change_at_start_and_end(void **state)
{
	(void)state;
	S_expect_udiff("a\nb\nc\n", "A\nb\nC\n",
		       "--- a\n+++ b\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n-c\n+C\n", 4);
}

/* Changes 6 lines apart share a hunk (2 x 3 lines of context); 7 apart
 * make two. */
static void test_udiff_hunks_merge_or_split(void **state)
{
	(void)state;
	S_expect_udiff("x\n1\n2\n3\n4\n5\n6\ny\n",
		       "X\n1\n2\n3\n4\n5\n6\nY\n",
		       "--- a\n+++ b\n@@ -1,8 +1,8 @@\n-x\n+X\n 1\n 2\n 3\n 4\n 5\n 6\n-y\n+Y\n", 4);
	S_expect_udiff("x\n1\n2\n3\n4\n5\n6\n7\ny\n",
		       "X\n1\n2\n3\n4\n5\n6\n7\nY\n",
		       "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-x\n+X\n 1\n 2\n 3\n"
		       "@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-y\n+Y\n", 4);
}

static void test_udiff_no_trailing_newline(void **state)
{
	(void)state;
	S_expect_udiff("a\nb", "a\nc",
		       "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
		       "+c\n\\ No newline at end of file\n", 2);
	/* only the final newline differs */
	S_expect_udiff("a\nb", "a\nb\n",
		       "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", 2);
}

/*
 * A context line without a newline also needs the marker (as diff -u and
 * git write it), or patch(1) adds a newline the file does not have.
 * (Once a bug: such a context line ended with a bare newline.)
 */
static void test_udiff_context_line_without_newline(void **state)
{
	const char *want = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+z\n y\n\\ No newline at end of file\n";
	const char *known_wrong = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+z\n y\n";
	char *got = S_udiff("x\ny", "z\ny", NULL);

	(void)state;
	assert_string_not_equal(got, known_wrong);
	assert_string_equal(got, want);
	free(got);
}

/* ---- field diff ---- */

static struct sup_node *S_yaml(const char *text)
{
	struct sup_node *n = NULL;

	assert_int_equal(sup_yaml_parse(&n, text, strlen(text), "test.yaml", 1), 0);
	return n;
}

/* The formatted field lines, one a line; caller frees. */
static char *S_fields(const char *a, const char *b)
{
	struct sup_node *na = a ? S_yaml(a) : NULL, *nb = b ? S_yaml(b) : NULL;
	struct sup_field_diff *d = NULL;
	struct sup_buf out = SUP_BUF_INIT;
	size_t n = 0, i;

	sup_fields_diff(&d, &n, na, nb);
	for (i = 0; i < n; i++) {
		sup_field_diff_format(&out, &d[i]);
		sup_buf_putc(&out, '\n');
	}
	sup_fields_diff_free(d, n);
	sup_node_free(na);
	sup_node_free(nb);
	return sup_buf_detach(&out);
}

static void S_expect_fields(const char *a, const char *b, const char *want)
{
	char *got = S_fields(a, b);

	assert_string_equal(got, want);
	free(got);
}

static void test_fields_identical(void **state)
{
	(void)state;
	S_expect_fields("a: 1\nb: [x, y]\n", "a: 1\nb: [x, y]\n", "");
}

static void test_fields_scalar_change(void **state)
{
	struct sup_node *a = S_yaml("location: Room 4\nminutes: 90\n");
	struct sup_node *b = S_yaml("location: Room 7\nminutes: 90\n");
	struct sup_field_diff *d = NULL;
	size_t n = 0;

	(void)state;
	sup_fields_diff(&d, &n, a, b);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].change, SUP_FIELD_CHANGED);
	assert_string_equal(d[0].path, "location");
	assert_string_equal(d[0].old_value, "Room 4");
	assert_string_equal(d[0].new_value, "Room 7");
	assert_null(d[0].summary);
	sup_fields_diff_free(d, n);
	sup_node_free(a);
	sup_node_free(b);
	S_expect_fields("location: Room 4\n", "location: Room 7\n",
			"location: Room 4 \xe2\x86\x92 Room 7\n");
}

static void test_fields_empty_values(void **state)
{
	(void)state;
	S_expect_fields("left:\n", "left: 2026-04-30\n",
			"left: (empty) \xe2\x86\x92 2026-04-30\n");
	S_expect_fields("left: 2026-04-30\n", "left:\n",
			"left: 2026-04-30 \xe2\x86\x92 (empty)\n");
}

static void test_fields_added_removed_keys(void **state)
{
	(void)state;
	/* the old keys in order, then the new ones */
	S_expect_fields("a: 1\nb: 2\n", "b: 2\nc: 3\nd: {x: 1}\n",
			"- a: 1\n+ c: 3\n+ d: {x: 1}\n");
}

static void test_fields_nested_path(void **state)
{
	(void)state;
	S_expect_fields("outer:\n  inner: 1\n", "outer:\n  inner: 2\n",
			"outer.inner: 1 \xe2\x86\x92 2\n");
}

static void test_fields_type_change(void **state)
{
	(void)state;
	S_expect_fields("x: 1\n", "x: [1]\n", "x: 1 \xe2\x86\x92 [1]\n");
}

/* An action inserted between two others is one addition, not a cascade
 * of changes to the items after it. */
static void test_fields_keyed_insert_middle(void **state)
{
	struct sup_node *a = S_yaml("actions:\n"
		"  - {n: 1, text: One, owner: jsmith, due: 2026-05-01}\n"
		"  - {n: 3, text: Three, owner: jsmith, due: 2026-05-03}\n");
	struct sup_node *b = S_yaml("actions:\n"
		"  - {n: 1, text: One, owner: jsmith, due: 2026-05-01}\n"
		"  - {n: 2, text: Two, owner: akhan, due: 2026-05-02}\n"
		"  - {n: 3, text: Three, owner: jsmith, due: 2026-05-03}\n");
	struct sup_field_diff *d = NULL;
	size_t n = 0;

	(void)state;
	sup_fields_diff(&d, &n, a, b);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].change, SUP_FIELD_ADDED);
	assert_string_equal(d[0].path, "actions[2]");
	assert_null(d[0].old_value);
	assert_string_equal(d[0].new_value, "{n: 2, text: Two, owner: akhan, due: 2026-05-02}");
	sup_fields_diff_free(d, n);
	sup_node_free(a);
	sup_node_free(b);
}

static void test_fields_keyed_change_and_remove(void **state)
{
	(void)state;
	S_expect_fields("actions:\n  - {n: 1, due: 2026-05-01}\n  - {n: 2, due: 2026-05-02}\n",
			"actions:\n  - {n: 2, due: 2026-05-09}\n",
			"- actions[1]: {n: 1, due: 2026-05-01}\n"
			"actions[2].due: 2026-05-02 \xe2\x86\x92 2026-05-09\n");
	S_expect_fields("cases:\n  - {ref: C-1, decision: Wait}\n  - {ref: C-2, decision: Act}\n",
			"cases:\n  - {ref: C-2, decision: Act}\n  - {ref: C-1, decision: Convene}\n",
			"cases[C-1].decision: Wait \xe2\x86\x92 Convene\n");
	S_expect_fields("reviewed_actions:\n  - {action: 2026-01-05-jsmith#1, status: carried}\n",
			"reviewed_actions:\n  - {action: 2026-01-05-jsmith#1, status: done}\n",
			"reviewed_actions[2026-01-05-jsmith#1].status: carried \xe2\x86\x92 done\n");
}

/* Without an identifying key in every item, a list is compared by
 * position. */
static void test_fields_unkeyed_list(void **state)
{
	(void)state;
	S_expect_fields("functions: [performance, development, support]\n",
			"functions: [performance, support]\n",
			"functions[2]: development \xe2\x86\x92 support\n- functions[3]: support\n");
	S_expect_fields("actions:\n  - {text: a}\n", "actions:\n  - {text: b}\n",
			"actions[1].text: a \xe2\x86\x92 b\n");
}

static void test_fields_signoffs_summary(void **state)
{
	struct sup_node *a = S_yaml("id: x\nsignoffs:\n"
		"  - {by: akhan, role: supervisor, at: 2026-01-01T00:00:00Z, digest: \"sha256:00\"}\n");
	struct sup_node *b = S_yaml("id: x\nsignoffs:\n"
		"  - {by: akhan, role: supervisor, at: 2026-01-01T00:00:00Z, digest: \"sha256:00\"}\n"
		"  - {by: jsmith, role: supervisee, at: 2026-01-02T00:00:00Z, digest: \"sha256:00\"}\n");
	struct sup_field_diff *d = NULL;
	size_t n = 0;

	(void)state;
	sup_fields_diff(&d, &n, a, b);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].path, "signoffs[jsmith]");
	assert_string_equal(d[0].summary, "jsmith (supervisee)");
	sup_fields_diff_free(d, n);
	sup_node_free(a);
	sup_node_free(b);
	/* a first sign-off: the list appears, read item by item */
	S_expect_fields("id: x\n",
			"id: x\nsignoffs:\n  - {by: akhan, role: supervisor, at: t, digest: d}\n",
			"signoffs: + akhan (supervisor)\n");
	/* all cleared (an amendment) */
	S_expect_fields("signoffs:\n  - {by: akhan, role: supervisor, at: t, digest: d}\n"
			"  - {by: jsmith, role: supervisee, at: t, digest: d, dispute: not agreed}\n",
			"signoffs: []\n",
			"signoffs: - akhan (supervisor)\n"
			"signoffs: - jsmith (supervisee), disputed: not agreed\n");
	/* a sign-off that changed in place is a field change, not a summary */
	S_expect_fields("signoffs:\n  - {by: akhan, role: supervisor, at: t1, digest: d}\n",
			"signoffs:\n  - {by: akhan, role: supervisor, at: t2, digest: d}\n",
			"signoffs[akhan].at: t1 \xe2\x86\x92 t2\n");
}

/*
 * Amendments are matched by "by" only while that key is distinct: two
 * amendments by the same person are compared by position, so the second
 * is reported (once a bug: it was not reported at all).
 */
static void test_fields_repeated_key(void **state)
{
	char *got = S_fields("amendments:\n  - {by: akhan, at: t1, reason: one}\n",
			     "amendments:\n  - {by: akhan, at: t1, reason: one}\n"
			     "  - {by: akhan, at: t2, reason: two}\n");

	(void)state;
	assert_non_null(strstr(got, "reason: two"));
	free(got);
}

/*
 * A whole tree against nothing (a new or deleted record) is one line per
 * top-level key (once a bug: one line with an empty path).
 */
static void test_fields_absent_side(void **state)
{
	char *got = S_fields(NULL, "a: 1\nb: 2\n");

	(void)state;
	assert_string_equal(got, "+ a: 1\n+ b: 2\n");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udiff_identical),
		cmocka_unit_test(test_udiff_both_empty),
		cmocka_unit_test(test_udiff_empty_old),
		cmocka_unit_test(test_udiff_empty_new),
		cmocka_unit_test(test_udiff_one_change_with_context),
		cmocka_unit_test(test_udiff_insert_middle),
		cmocka_unit_test(test_udiff_change_at_start_and_end),
		cmocka_unit_test(test_udiff_hunks_merge_or_split),
		cmocka_unit_test(test_udiff_no_trailing_newline),
		cmocka_unit_test(test_udiff_context_line_without_newline),
		cmocka_unit_test(test_fields_identical),
		cmocka_unit_test(test_fields_scalar_change),
		cmocka_unit_test(test_fields_empty_values),
		cmocka_unit_test(test_fields_added_removed_keys),
		cmocka_unit_test(test_fields_nested_path),
		cmocka_unit_test(test_fields_type_change),
		cmocka_unit_test(test_fields_keyed_insert_middle),
		cmocka_unit_test(test_fields_keyed_change_and_remove),
		cmocka_unit_test(test_fields_unkeyed_list),
		cmocka_unit_test(test_fields_signoffs_summary),
		cmocka_unit_test(test_fields_repeated_key),
		cmocka_unit_test(test_fields_absent_side),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
