/*
 * Unit tests for lib/schema: typed fields read out of parsed YAML, each
 * refusal a positioned diagnostic "file:line:column: message", and the
 * reading carrying on so that every mistake is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dates.h"
#include "error.h"
#include "frontmatter.h"
#include "schema.h"
#include "util.h"

#define S_FILE "f.yaml"

static int S_clear(void **state)
{
	(void)state;
	sup_diag_clear();
	sup_error_clear();
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

/* Parse text (which must be valid YAML) as the whole of f.yaml. */
static struct sup_node *S_parse(const char *text)
{
	struct sup_node *root = NULL;

	if (sup_yaml_parse(&root, text, strlen(text), S_FILE, 1) < 0)
		fail_msg("YAML refused: %s", sup_error_last());
	assert_non_null(root);
	assert_int_equal(sup_diag_count(), 0);
	return root;
}

static struct sup_schema S_schema(void)
{
	struct sup_schema sc = { S_FILE, 0 };

	return sc;
}

/* Exactly one diagnostic, want, was added (and counted in sc). */
static void S_one(const struct sup_schema *sc, const char *want)
{
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0), want);
	assert_int_equal(sc->errors, 1);
	/* a diagnostic is also the last error, with the code of a refusal */
	assert_int_equal(sup_error_code(), SUP_EINVALID);
	sup_diag_clear();
}

static void S_none(const struct sup_schema *sc)
{
	if (sup_diag_count())
		fail_msg("unexpected diagnostic: %s", sup_diag_get(0));
	assert_int_equal(sc->errors, 0);
}

static sup_date S_date(const char *s)
{
	sup_date d;

	assert_int_equal(sup_date_parse(&d, s), 0);
	return d;
}

/* ---- the document ---- */

static void test_is_map(void **state)
{
	struct sup_node *root = S_parse("id: x\n");
	struct sup_node *seq = S_parse("- a\n- b\n");
	struct sup_node *scalar = S_parse("\n\n  just text\n");
	struct sup_schema sc = S_schema();

	(void)state;
	assert_int_equal(sup_schema_is_map(&sc, root), 1);
	S_none(&sc);
	assert_int_equal(sup_schema_is_map(&sc, seq), 0);
	S_one(&sc, "f.yaml:1:1: expected a mapping of 'key: value' lines");
	sc.errors = 0;
	assert_int_equal(sup_schema_is_map(&sc, scalar), 0);
	S_one(&sc, "f.yaml:3:3: expected a mapping of 'key: value' lines");
	sc.errors = 0;
	assert_int_equal(sup_schema_is_map(&sc, NULL), 0);
	S_one(&sc, "f.yaml:1:1: expected a mapping of 'key: value' lines");
	sup_node_free(root);
	sup_node_free(seq);
	sup_node_free(scalar);
}

static void test_schema_error(void **state)
{
	struct sup_node *root = S_parse("a: 1\nb:\n  c: 2\n");
	struct sup_schema sc = S_schema();

	(void)state;
	sup_schema_error(&sc, sup_node_get(sup_node_get(root, "b"), "c"),
			 "bad %s number %d", "c", 2);
	sup_schema_error(&sc, NULL, "no node");
	/* a built node has no position: 1:1 */
	{
		struct sup_node *built = sup_node_new_scalar("x", SUP_STYLE_STRING);

		sup_schema_error(&sc, built, "built");
		sup_node_free(built);
	}
	assert_int_equal(sc.errors, 3);
	assert_int_equal(sup_diag_count(), 3);
	assert_string_equal(sup_diag_get(0), "f.yaml:3:6: bad c number 2");
	assert_string_equal(sup_diag_get(1), "f.yaml:1:1: no node");
	assert_string_equal(sup_diag_get(2), "f.yaml:1:1: built");
	sup_node_free(root);
}

/* ---- sup_schema_known ---- */

static void test_known_keys(void **state)
{
	static const char *const known[] = { "id", "name", "supervisor", NULL };
	struct sup_node *root = S_parse("id: a\n"
					"nmae: Jo\n"
					"zzzzzz: 1\n"
					"supervisr: b\n"
					"name: Jo\n");
	struct sup_node *fine = S_parse("name: Jo\nid: a\n");
	struct sup_schema sc = S_schema();

	(void)state;
	sup_schema_known(&sc, fine, known);
	S_none(&sc);
	sup_schema_known(&sc, root, known);
	assert_int_equal(sc.errors, 3);
	assert_int_equal(sup_diag_count(), 3);
	assert_string_equal(sup_diag_get(0),
			    "f.yaml:2:1: unknown key 'nmae' (did you mean 'name'?)");
	assert_string_equal(sup_diag_get(1), "f.yaml:3:1: unknown key 'zzzzzz'");
	assert_string_equal(sup_diag_get(2),
			    "f.yaml:4:1: unknown key 'supervisr' (did you mean 'supervisor'?)");
	sup_node_free(root);
	sup_node_free(fine);
}

static void test_known_keys_nested_position(void **state)
{
	static const char *const known[] = { "from", "to", NULL };
	struct sup_node *root = S_parse("absences:\n  - {from: 2027-01-04, unto: 2027-02-01}\n");
	const struct sup_node *seq, *item;
	struct sup_schema sc = S_schema();

	(void)state;
	seq = sup_field_seq(&sc, root, "absences", 1);
	assert_non_null(seq);
	assert_int_equal(seq->n, 1);
	item = seq->items[0];
	sup_schema_known(&sc, item, known);
	/* "unto" is two edits from "to": suggested */
	S_one(&sc, "f.yaml:2:24: unknown key 'unto' (did you mean 'to'?)");
	sup_node_free(root);
}

/* ---- sup_field_str ---- */

static void test_str(void **state)
{
	struct sup_node *root = S_parse("name: Jo Smith\n"
					"quoted: 'no'\n"
					"tilde: ~\n"
					"null: null\n"
					"empty:\n"
					"multi: |\n"
					"  two\n"
					"  lines\n");
	struct sup_schema sc = S_schema();

	(void)state;
	assert_string_equal(sup_field_str(&sc, root, "name", 1), "Jo Smith");
	assert_string_equal(sup_field_str(&sc, root, "quoted", 1), "no");
	assert_string_equal(sup_field_str(&sc, root, "multi", 1), "two\nlines\n");
	/* absent or null and not required: NULL, quietly */
	assert_null(sup_field_str(&sc, root, "missing", 0));
	assert_null(sup_field_str(&sc, root, "tilde", 0));
	assert_null(sup_field_str(&sc, root, "null", 0));
	assert_null(sup_field_str(&sc, root, "empty", 0));
	S_none(&sc);
	sup_node_free(root);
}

static void test_str_required(void **state)
{
	struct sup_node *root = S_parse("name: Jo\n"
					"email:\n"
					"role: ~\n");
	struct sup_schema sc = S_schema();

	(void)state;
	assert_null(sup_field_str(&sc, root, "missing", 1));
	S_one(&sc, "f.yaml:1:1: missing required key 'missing'");
	sc.errors = 0;
	assert_null(sup_field_str(&sc, root, "email", 1));
	S_one(&sc, "f.yaml:2:7: 'email' is empty: it needs a value");
	sc.errors = 0;
	assert_null(sup_field_str(&sc, root, "role", 1));
	S_one(&sc, "f.yaml:3:7: 'role' is empty: it needs a value");
	sup_node_free(root);
}

static void test_str_not_scalar(void **state)
{
	struct sup_node *root = S_parse("list: [a, b]\n"
					"map:\n"
					"  k: v\n");
	struct sup_schema sc = S_schema();

	(void)state;
	assert_null(sup_field_str(&sc, root, "list", 0));
	S_one(&sc, "f.yaml:1:7: 'list' must be a single value, not a list");
	sc.errors = 0;
	assert_null(sup_field_str(&sc, root, "map", 1));
	S_one(&sc, "f.yaml:3:3: 'map' must be a single value, not a mapping");
	sup_node_free(root);
}

static void test_errors_accumulate(void **state)
{
	/* every problem is reported, in the order found */
	struct sup_node *root = S_parse("id: Bad_Id\n"
					"opened: 2026-13-01\n"
					"admin: maybe\n");
	struct sup_schema sc = S_schema();
	sup_date d;
	int b;

	(void)state;
	assert_null(sup_field_id(&sc, root, "id", 1));
	sup_field_date(&sc, root, "opened", 1, &d);
	sup_field_bool(&sc, root, "admin", 0, &b);
	assert_null(sup_field_str(&sc, root, "name", 1));
	assert_int_equal(sc.errors, 4);
	assert_int_equal(sup_diag_count(), 4);
	assert_string_equal(sup_diag_get(0),
			    "f.yaml:1:5: 'Bad_Id' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	assert_string_equal(sup_diag_get(1),
			    "f.yaml:2:9: 'opened': invalid date '2026-13-01': no month 13");
	assert_string_equal(sup_diag_get(2),
			    "f.yaml:3:8: 'admin' must be true or false, not 'maybe'");
	assert_string_equal(sup_diag_get(3),
			    "f.yaml:1:1: missing required key 'name'");
	assert_int_equal(d, SUP_DATE_NONE);
	assert_int_equal(b, 0);
	sup_node_free(root);
}

/* ---- ids and case references ---- */

static void test_id(void **state)
{
	struct sup_node *root = S_parse("a: jsmith\n"
					"b: 2nd-line-99\n"
					"c: JSmith\n"
					"d: j_smith\n"
					"e: -lead\n"
					"f: 'j smith'\n"
					"g: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
					"h: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
	struct sup_schema sc = S_schema();

	(void)state;
	assert_string_equal(sup_field_id(&sc, root, "a", 1), "jsmith");
	assert_string_equal(sup_field_id(&sc, root, "b", 1), "2nd-line-99");
	/* 64 characters is the longest id */
	assert_int_equal(strlen(sup_field_id(&sc, root, "g", 1)), 64);
	assert_null(sup_field_id(&sc, root, "absent", 0));
	S_none(&sc);

	assert_null(sup_field_id(&sc, root, "c", 1));
	S_one(&sc, "f.yaml:3:4: 'JSmith' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	sc.errors = 0;
	assert_null(sup_field_id(&sc, root, "d", 1));
	S_one(&sc, "f.yaml:4:4: 'j_smith' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	sc.errors = 0;
	assert_null(sup_field_id(&sc, root, "e", 1));
	S_one(&sc, "f.yaml:5:4: '-lead' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	sc.errors = 0;
	assert_null(sup_field_id(&sc, root, "f", 0));
	S_one(&sc, "f.yaml:6:4: 'j smith' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	sc.errors = 0;
	assert_null(sup_field_id(&sc, root, "h", 0));
	assert_int_equal(sup_diag_count(), 1);
	assert_true(sup_starts_with(sup_diag_get(0), "f.yaml:8:4: 'aaaa"));
	assert_true(sup_ends_with(sup_diag_get(0), "' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)"));
	sup_diag_clear();
	sc.errors = 0;
	assert_null(sup_field_id(&sc, root, "absent", 1));
	S_one(&sc, "f.yaml:1:1: missing required key 'absent'");
	sup_node_free(root);
}

static void test_caseref(void **state)
{
	struct sup_node *root = S_parse("a: C-10293\n"
					"b: case.2026_01-x\n"
					"c: a/b\n"
					"d: a..b\n"
					"e: .hidden\n"
					"f: Case 1\n");
	struct sup_schema sc = S_schema();

	(void)state;
	assert_string_equal(sup_field_caseref(&sc, root, "a", 1), "C-10293");
	assert_string_equal(sup_field_caseref(&sc, root, "b", 1), "case.2026_01-x");
	assert_null(sup_field_caseref(&sc, root, "absent", 0));
	S_none(&sc);
	assert_null(sup_field_caseref(&sc, root, "c", 1));
	S_one(&sc, "f.yaml:3:4: 'a/b' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')");
	sc.errors = 0;
	assert_null(sup_field_caseref(&sc, root, "d", 1));
	S_one(&sc, "f.yaml:4:4: 'a..b' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')");
	sc.errors = 0;
	assert_null(sup_field_caseref(&sc, root, "e", 1));
	S_one(&sc, "f.yaml:5:4: '.hidden' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')");
	sc.errors = 0;
	assert_null(sup_field_caseref(&sc, root, "f", 1));
	S_one(&sc, "f.yaml:6:4: 'Case 1' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')");
	sup_node_free(root);
}

/* ---- dates ---- */

static void test_date(void **state)
{
	struct sup_node *root = S_parse("opened: 2026-11-23\n"
					"quoted: '2024-02-29'\n"
					"closed:\n"
					"bad_day: 2026-02-29\n"
					"short: 2026-1-5\n"
					"list: [2026-01-01]\n"
					"year: 1066-01-01\n");
	struct sup_schema sc = S_schema();
	sup_date d = 12345;

	(void)state;
	sup_field_date(&sc, root, "opened", 1, &d);
	assert_int_equal(d, S_date("2026-11-23"));
	assert_int_equal(d, sup_date_from_ymd(2026, 11, 23));
	sup_field_date(&sc, root, "quoted", 1, &d);
	assert_int_equal(d, sup_date_from_ymd(2024, 2, 29));
	d = 12345;
	sup_field_date(&sc, root, "closed", 0, &d);
	assert_int_equal(d, SUP_DATE_NONE);
	d = 12345;
	sup_field_date(&sc, root, "absent", 0, &d);
	assert_int_equal(d, SUP_DATE_NONE);
	S_none(&sc);

	d = 12345;
	sup_field_date(&sc, root, "closed", 1, &d);
	assert_int_equal(d, SUP_DATE_NONE);
	S_one(&sc, "f.yaml:3:8: 'closed' is empty: it needs a value");
	sc.errors = 0;
	sup_field_date(&sc, root, "bad_day", 1, &d);
	assert_int_equal(d, SUP_DATE_NONE);
	S_one(&sc, "f.yaml:4:10: 'bad_day': invalid date '2026-02-29': no day 29 in 2026-02");
	sc.errors = 0;
	sup_field_date(&sc, root, "short", 1, &d);
	S_one(&sc, "f.yaml:5:8: 'short': invalid date '2026-1-5' (expected YYYY-MM-DD)");
	sc.errors = 0;
	sup_field_date(&sc, root, "list", 1, &d);
	S_one(&sc, "f.yaml:6:7: 'list' must be a single value, not a list");
	sc.errors = 0;
	sup_field_date(&sc, root, "year", 1, &d);
	assert_int_equal(d, SUP_DATE_NONE);
	assert_int_equal(sup_diag_count(), 1);
	assert_true(sup_starts_with(sup_diag_get(0),
				    "f.yaml:7:7: 'year': invalid date '1066-01-01': year outside "));
	sup_diag_clear();
	sup_node_free(root);
}

static void test_node_date(void **state)
{
	struct sup_node *root = S_parse("d:\n  - 2026-01-05\n  - {a: b}\n  - 2026-01-32\n");
	const struct sup_node *seq = sup_node_get(root, "d");
	struct sup_schema sc = S_schema();
	sup_date d;

	(void)state;
	sup_node_date(&sc, seq->items[0], "absence", &d);
	assert_int_equal(d, sup_date_from_ymd(2026, 1, 5));
	S_none(&sc);
	sup_node_date(&sc, seq->items[1], "absence", &d);
	assert_int_equal(d, SUP_DATE_NONE);
	S_one(&sc, "f.yaml:3:5: 'absence' must be a date YYYY-MM-DD");
	sc.errors = 0;
	sup_node_date(&sc, seq->items[2], "absence", &d);
	assert_int_equal(d, SUP_DATE_NONE);
	S_one(&sc, "f.yaml:4:5: 'absence': invalid date '2026-01-32': no day 32 in 2026-01");
	sup_node_free(root);
}

/* ---- booleans ---- */

static void test_bool(void **state)
{
	struct sup_node *root = S_parse("t: true\n"
					"f: false\n"
					"y: yes\n"
					"n: No\n"
					"T: TRUE\n"
					"nul: ~\n"
					"q: 'true'\n"
					"maybe: maybe\n"
					"one: 1\n"
					"list: [true]\n");
	struct sup_schema sc = S_schema();
	int b = -1;

	(void)state;
	sup_field_bool(&sc, root, "t", 0, &b);
	assert_int_equal(b, 1);
	sup_field_bool(&sc, root, "f", 1, &b);
	assert_int_equal(b, 0);
	sup_field_bool(&sc, root, "y", 0, &b);
	assert_int_equal(b, 1);
	sup_field_bool(&sc, root, "n", 1, &b);
	assert_int_equal(b, 0);
	sup_field_bool(&sc, root, "T", 0, &b);
	assert_int_equal(b, 1);
	/* absent or null: the default */
	sup_field_bool(&sc, root, "absent", 1, &b);
	assert_int_equal(b, 1);
	sup_field_bool(&sc, root, "absent", 0, &b);
	assert_int_equal(b, 0);
	sup_field_bool(&sc, root, "nul", 1, &b);
	assert_int_equal(b, 1);
	S_none(&sc);

	/* a quoted "true" is a string, not a boolean */
	b = -1;
	sup_field_bool(&sc, root, "q", 1, &b);
	assert_int_equal(b, 1);		/* the default, after the refusal */
	S_one(&sc, "f.yaml:7:4: 'q' must be true or false, not 'true'");
	sc.errors = 0;
	sup_field_bool(&sc, root, "maybe", 0, &b);
	assert_int_equal(b, 0);
	S_one(&sc, "f.yaml:8:8: 'maybe' must be true or false, not 'maybe'");
	sc.errors = 0;
	sup_field_bool(&sc, root, "one", 0, &b);
	S_one(&sc, "f.yaml:9:6: 'one' must be true or false, not '1'");
	sc.errors = 0;
	sup_field_bool(&sc, root, "list", 0, &b);
	S_one(&sc, "f.yaml:10:7: 'list' must be a single value, not a list");
	sup_node_free(root);
}

/* ---- integers ---- */

static void test_int(void **state)
{
	struct sup_node *root = S_parse("n: 5\n"
					"zero: 0\n"
					"max: 10\n"
					"over: 11\n"
					"neg: -1\n"
					"q: '5'\n"
					"x: 5x\n"
					"hex: 0x10\n"
					"huge: 99999999999999999999999\n"
					"frac: 1.5\n"
					"nul: ~\n");
	struct sup_schema sc = S_schema();
	long v = -7;

	(void)state;
	sup_field_int(&sc, root, "n", 3, 10, &v);
	assert_int_equal(v, 5);
	sup_field_int(&sc, root, "zero", 3, 10, &v);
	assert_int_equal(v, 0);
	sup_field_int(&sc, root, "max", 3, 10, &v);
	assert_int_equal(v, 10);
	sup_field_int(&sc, root, "absent", 3, 10, &v);
	assert_int_equal(v, 3);
	sup_field_int(&sc, root, "nul", 4, 10, &v);
	assert_int_equal(v, 4);
	S_none(&sc);

	v = -7;
	sup_field_int(&sc, root, "over", 3, 10, &v);
	assert_int_equal(v, 3);		/* the default, after the refusal */
	S_one(&sc, "f.yaml:4:7: 'over' must be a whole number from 0 to 10, not '11'");
	sc.errors = 0;
	sup_field_int(&sc, root, "neg", 3, 10, &v);
	S_one(&sc, "f.yaml:5:6: 'neg' must be a whole number from 0 to 10, not '-1'");
	sc.errors = 0;
	sup_field_int(&sc, root, "q", 3, 10, &v);
	S_one(&sc, "f.yaml:6:4: 'q' must be a whole number from 0 to 10, not '5'");
	sc.errors = 0;
	sup_field_int(&sc, root, "x", 3, 10, &v);
	S_one(&sc, "f.yaml:7:4: 'x' must be a whole number from 0 to 10, not '5x'");
	sc.errors = 0;
	sup_field_int(&sc, root, "hex", 3, 100, &v);
	S_one(&sc, "f.yaml:8:6: 'hex' must be a whole number from 0 to 100, not '0x10'");
	sc.errors = 0;
	sup_field_int(&sc, root, "huge", 3, 1000000, &v);
	S_one(&sc, "f.yaml:9:7: 'huge' must be a whole number from 0 to 1000000, not '99999999999999999999999'");
	sc.errors = 0;
	sup_field_int(&sc, root, "frac", 3, 10, &v);
	assert_int_equal(v, 3);
	S_one(&sc, "f.yaml:10:7: 'frac' must be a whole number from 0 to 10, not '1.5'");
	sup_node_free(root);
}

/* ---- durations ---- */

static void test_duration(void **state)
{
	struct sup_node *root = S_parse("a: 4 weeks\n"
					"b: 1 month\n"
					"c: calendar month\n"
					"d: 10 working days\n"
					"e: 1 day\n"
					"nul:\n");
	struct sup_schema sc = S_schema();
	struct sup_duration d;
	int present = -1;

	(void)state;
	sup_field_duration(&sc, root, "a", 1, &d, &present);
	assert_int_equal(present, 1);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.unit, SUP_UNIT_WEEKS);
	sup_field_duration(&sc, root, "b", 1, &d, &present);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.unit, SUP_UNIT_MONTHS);
	sup_field_duration(&sc, root, "c", 1, &d, &present);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.unit, SUP_UNIT_CALENDAR_MONTH);
	sup_field_duration(&sc, root, "d", 1, &d, NULL);
	assert_int_equal(d.n, 10);
	assert_int_equal(d.unit, SUP_UNIT_WORKING_DAYS);
	sup_field_duration(&sc, root, "e", 1, &d, &present);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.unit, SUP_UNIT_DAYS);
	sup_field_duration(&sc, root, "absent", 0, &d, &present);
	assert_int_equal(present, 0);
	present = -1;
	sup_field_duration(&sc, root, "nul", 0, &d, &present);
	assert_int_equal(present, 0);
	S_none(&sc);

	present = -1;
	sup_field_duration(&sc, root, "absent", 1, &d, &present);
	assert_int_equal(present, 0);
	S_one(&sc, "f.yaml:1:1: missing required key 'absent'");
	sup_node_free(root);
}

static void test_duration_refused(void **state)
{
	struct sup_node *root = S_parse("a: 4 week\n"
					"b: fortnight\n"
					"c: 0 days\n"
					"d: 4  weeks\n"
					"e: [4 weeks]\n");
	struct sup_schema sc = S_schema();
	struct sup_duration d = { 99, SUP_UNIT_DAYS };
	int present = -1;

	(void)state;
	sup_field_duration(&sc, root, "a", 1, &d, &present);
	assert_int_equal(present, 0);
	S_one(&sc, "f.yaml:1:4: 'a': invalid duration '4 week' (did you mean '4 weeks'?)");
	sc.errors = 0;
	present = -1;
	sup_field_duration(&sc, root, "b", 1, &d, &present);
	assert_int_equal(present, 0);
	S_one(&sc, "f.yaml:2:4: 'b': invalid duration 'fortnight' (expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\", N a whole number from 1 to 9999 and single spaces)");
	sc.errors = 0;
	sup_field_duration(&sc, root, "c", 1, &d, &present);
	S_one(&sc, "f.yaml:3:4: 'c': invalid duration '0 days': the number must be from 1 to 9999");
	sc.errors = 0;
	sup_field_duration(&sc, root, "d", 1, &d, &present);
	S_one(&sc, "f.yaml:4:4: 'd': invalid duration '4  weeks' (expected \"N days\", \"N weeks\", \"N months\", \"N working days\" or \"calendar month\", N a whole number from 1 to 9999 and single spaces)");
	sc.errors = 0;
	sup_field_duration(&sc, root, "e", 1, &d, &present);
	assert_int_equal(present, 0);
	S_one(&sc, "f.yaml:5:4: 'e' must be a single value, not a list");
	sup_node_free(root);
}

/* ---- sequences ---- */

static void test_seq(void **state)
{
	struct sup_node *root = S_parse("flow: [a, b, c]\n"
					"block:\n"
					"  - x\n"
					"  - y\n"
					"empty: []\n"
					"nul: ~\n"
					"scalar: a\n"
					"map: {a: 1}\n");
	struct sup_schema sc = S_schema();
	const struct sup_node *s;

	(void)state;
	s = sup_field_seq(&sc, root, "flow", 1);
	assert_non_null(s);
	assert_int_equal(s->type, SUP_NODE_SEQ);
	assert_int_equal(s->n, 3);
	assert_string_equal(s->items[2]->value, "c");
	s = sup_field_seq(&sc, root, "block", 1);
	assert_non_null(s);
	assert_int_equal(s->n, 2);
	assert_string_equal(s->items[0]->value, "x");
	assert_int_equal(s->items[1]->line, 4);
	s = sup_field_seq(&sc, root, "empty", 1);
	assert_non_null(s);
	assert_int_equal(s->n, 0);
	assert_null(sup_field_seq(&sc, root, "absent", 0));
	assert_null(sup_field_seq(&sc, root, "nul", 0));
	S_none(&sc);

	assert_null(sup_field_seq(&sc, root, "absent", 1));
	S_one(&sc, "f.yaml:1:1: missing required key 'absent'");
	sc.errors = 0;
	assert_null(sup_field_seq(&sc, root, "scalar", 0));
	S_one(&sc, "f.yaml:7:9: 'scalar' must be a list");
	sc.errors = 0;
	assert_null(sup_field_seq(&sc, root, "map", 1));
	S_one(&sc, "f.yaml:8:6: 'map' must be a list");
	sup_node_free(root);
}

static void test_positions_offset(void **state)
{
	/* front matter: the YAML's first line is line 2 of the file */
	static const char yaml[] = "id: Bad\nopened: 2026-02-30\n";
	struct sup_node *root = NULL;
	struct sup_schema sc = { "records/2026/r.md", 0 };
	sup_date d;

	(void)state;
	assert_int_equal(sup_yaml_parse(&root, yaml, strlen(yaml),
					"records/2026/r.md", 2), 0);
	assert_null(sup_field_id(&sc, root, "id", 1));
	sup_field_date(&sc, root, "opened", 1, &d);
	assert_int_equal(sup_diag_count(), 2);
	assert_string_equal(sup_diag_get(0),
			    "records/2026/r.md:2:5: 'Bad' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)");
	assert_string_equal(sup_diag_get(1),
			    "records/2026/r.md:3:9: 'opened': invalid date '2026-02-30': no day 30 in 2026-02");
	sup_node_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_is_map),
		T(test_schema_error),
		T(test_known_keys),
		T(test_known_keys_nested_position),
		T(test_str),
		T(test_str_required),
		T(test_str_not_scalar),
		T(test_errors_accumulate),
		T(test_id),
		T(test_caseref),
		T(test_date),
		T(test_node_date),
		T(test_bool),
		T(test_int),
		T(test_duration),
		T(test_duration_refused),
		T(test_seq),
		T(test_positions_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
