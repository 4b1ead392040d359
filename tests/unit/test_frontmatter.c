/* Unit tests for lib/yaml: strict parsing, positions, front matter, emitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frontmatter.h"

static int S_clear(void **state)
{
	(void)state;
	sup_diag_clear();
	sup_error_clear();
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

static struct sup_node *S_parse_ok(const char *text, int first_line)
{
	struct sup_node *root = NULL;
	int rc = sup_yaml_parse(&root, text, strlen(text), "file.yaml", first_line);

	if (rc < 0)
		fail_msg("parse failed: %s", sup_error_last());
	assert_non_null(root);
	assert_int_equal(sup_diag_count(), 0);
	return root;
}

/* Parse must refuse with exactly one diagnostic, exactly want. */
static void S_refuse_n(const char *text, size_t len, int first_line,
		       const char *want)
{
	struct sup_node *root = (struct sup_node *)&root;

	sup_diag_clear();
	assert_int_equal(sup_yaml_parse(&root, text, len, "file.yaml", first_line),
			 SUP_EINVALID);
	assert_null(root);
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0), want);
	sup_diag_clear();
}

static void S_refuse(const char *text, const char *want)
{
	S_refuse_n(text, strlen(text), 1, want);
}

static char *S_crlf(const char *text)
{
	struct sup_buf b = SUP_BUF_INIT;

	for (; *text; text++) {
		if (*text == '\n')
			sup_buf_putc(&b, '\r');
		sup_buf_putc(&b, *text);
	}
	return sup_buf_detach(&b);
}

/* The refusal must be the same, position included, with CRLF endings. */
static void S_refuse_both(const char *text, const char *want)
{
	char *crlf = S_crlf(text);

	S_refuse(text, want);
	S_refuse(crlf, want);
	free(crlf);
}

static char *S_emit(const struct sup_node *root)
{
	struct sup_buf b = SUP_BUF_INIT;

	sup_yaml_emit(&b, root);
	return sup_buf_detach(&b);
}

/* Round trips */

/*
 * Strings a caller builds as text (SUP_STYLE_STRING) must read back as the
 * same text.  Those a reader could take for something else come back
 * quoted (SUP_STYLE_STRING); the rest are written plain and come back
 * SUP_STYLE_PLAIN, which reads as the same string.
 */
static const char *const quoted[] = {
	"no", "yes", "~", "2024-01-02", "123", "", "a: b", " lead", "#x",
	"line1\nline2",
	"No", "NO", "Y", "y", "n", "on", "Off", "TRUE", "false", "null", "NULL",
	"Null", "0x1F", "0o17", "017", "1_000", "1e3", "-1", "+1", ".5", "1.",
	".inf", "-.Inf", ".NaN", "1:20", "190:20:30.15", "10:00",
	"2024-01-02T10:00:00Z", "2024-01-02 10:00", "trail ", "a #b", "end:",
	"- x", "-", "? x", "?", ":", "[x]", "{x}", ",a", "@x", "`x",
	"%x", "!x", "&x", "*x", "|x", ">x", "'x", "\"x", "tab\there", "\ttab",
	"cr\rhere", "\x01" "ctl", "del\x7f", "\xc2\x85nel", "ls\xe2\x80\xa8ps",
	"\xef\xbb\xbf" "bom", "mid\xef\xbb\xbf", "<<", "=", "...",
	"---", "trailing\n", "\n", "a\n\nb", "  two\n  lines  ", "x: y: z", "#",
};

static const char *const plain[] = {
	"O'Brien", "quote\"d", "Zo\xc3\xab", "Jo Smith", "C#", "a:b", "1st",
	"k - v", "\xc2\xa0nbsp", "back\\slash", "a, b", "a]", "C-10293",
	"ssh-ed25519 AAAAC3Nza... jo@laptop", "50%", "x-y", "what?", "it's",
};

static void S_check_value(const struct sup_node *root, const char *key,
			  const char *want)
{
	const struct sup_node *v = sup_node_get(root, key);

	assert_non_null(v);
	assert_int_equal(v->type, SUP_NODE_SCALAR);
	assert_string_equal(v->value, want);
	assert_int_equal(v->style, SUP_STYLE_STRING);
}

static void S_roundtrip_block(const char *value, enum sup_style want)
{
	struct sup_node *map = sup_node_new_map(), *back;
	const struct sup_node *v;
	char *text;

	sup_node_set_str(map, "v", value);
	sup_node_set_str(map, "after", "x");
	text = S_emit(map);
	back = S_parse_ok(text, 1);
	v = sup_node_get(back, "v");
	assert_non_null(v);
	assert_string_equal(v->value, value);
	if (v->style != want)
		fail_msg("'%s' came back as %s", text,
			 v->style == SUP_STYLE_PLAIN ? "plain" : "a string");
	assert_string_equal(sup_node_get(back, "after")->value, "x");
	assert_int_equal(back->n, 2);
	sup_node_free(back);
	sup_node_free(map);
	free(text);
}

static void test_roundtrip_block(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(quoted); i++)
		S_roundtrip_block(quoted[i], SUP_STYLE_STRING);
	for (i = 0; i < SUP_ARRAY_SIZE(plain); i++)
		S_roundtrip_block(plain[i], SUP_STYLE_PLAIN);
}

/* In a flow sequence, a flow mapping and as a key. */
static void S_roundtrip_flow(const char *value, int must_quote)
{
	struct sup_node *map = sup_node_new_map(), *seq, *inner, *fm;
	struct sup_node *back, *got;
	const struct sup_node *k;
	char *text;

	seq = sup_node_new_seq();
	seq->flow = 1;
	sup_node_append(seq, sup_node_new_scalar(value, SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("z", SUP_STYLE_STRING));
	sup_node_set(map, "flow", seq);
	inner = sup_node_new_seq();
	fm = sup_node_new_map();
	fm->flow = 1;
	sup_node_set_str(fm, value, value);
	sup_node_set_str(fm, "k", "v");
	sup_node_append(inner, fm);
	sup_node_set(map, "maps", inner);
	sup_node_set_str(map, value, "as key");

	text = S_emit(map);
	back = S_parse_ok(text, 1);
	got = sup_node_get(back, "flow");
	assert_non_null(got);
	assert_int_equal(got->type, SUP_NODE_SEQ);
	assert_int_equal(got->n, 2);
	assert_true(got->flow);
	assert_string_equal(got->items[0]->value, value);
	if (must_quote)
		assert_int_equal(got->items[0]->style, SUP_STYLE_STRING);
	assert_string_equal(got->items[1]->value, "z");
	got = sup_node_get(back, "maps");
	assert_non_null(got);
	assert_int_equal(got->n, 1);
	got = got->items[0];
	assert_true(got->flow);
	assert_int_equal(got->n, 2);
	k = sup_node_key(got, value);
	assert_non_null(k);
	assert_string_equal(sup_node_get(got, value)->value, value);
	if (must_quote) {
		assert_int_equal(k->style, SUP_STYLE_STRING);
		S_check_value(got, value, value);
	}
	assert_string_equal(sup_node_get(got, "k")->value, "v");
	assert_string_equal(sup_node_get(back, value)->value, "as key");
	if (must_quote)
		assert_int_equal(sup_node_key(back, value)->style, SUP_STYLE_STRING);
	sup_node_free(back);
	sup_node_free(map);
	free(text);
}

static void test_roundtrip_flow_and_keys(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(quoted); i++)
		S_roundtrip_flow(quoted[i], 1);
	for (i = 0; i < SUP_ARRAY_SIZE(plain); i++)
		S_roundtrip_flow(plain[i], 0);
}

static void S_emits_as(const char *value, const char *want)
{
	struct sup_node *map = sup_node_new_map();
	char *text;

	sup_node_set_str(map, "v", value);
	text = S_emit(map);
	assert_string_equal(text, want);
	free(text);
	sup_node_free(map);
}

static void test_emit_quoting(void **state)
{
	(void)state;
	/* plain where plain reads back the same */
	S_emits_as("Jo Smith", "v: Jo Smith\n");
	S_emits_as("O'Brien", "v: O'Brien\n");
	S_emits_as("quote\"d", "v: quote\"d\n");
	S_emits_as("Zo\xc3\xab", "v: Zo\xc3\xab\n");
	S_emits_as("a:b", "v: a:b\n");
	S_emits_as("C#", "v: C#\n");
	S_emits_as("1st", "v: 1st\n");
	S_emits_as("C-10293", "v: C-10293\n");
	/* quoted where a reader would see something else */
	S_emits_as("no", "v: \"no\"\n");
	S_emits_as("Yes", "v: \"Yes\"\n");
	S_emits_as("~", "v: \"~\"\n");
	S_emits_as("", "v: \"\"\n");
	S_emits_as("123", "v: \"123\"\n");
	S_emits_as("2024-01-02", "v: \"2024-01-02\"\n");
	S_emits_as("10:00", "v: \"10:00\"\n");
	S_emits_as(".inf", "v: \".inf\"\n");
	S_emits_as("a: b", "v: \"a: b\"\n");
	S_emits_as("a #b", "v: \"a #b\"\n");
	S_emits_as(" lead", "v: \" lead\"\n");
	S_emits_as("#x", "v: \"#x\"\n");
	S_emits_as("line1\nline2", "v: \"line1\\nline2\"\n");
	S_emits_as("q\"\\\t\r\x01\x7f", "v: \"q\\\"\\\\\\t\\r\\x01\\x7F\"\n");
	S_emits_as("\xc2\x85\xe2\x80\xa8\xef\xbb\xbf",
		   "v: \"\\u0085\\u2028\\uFEFF\"\n");
	S_emits_as("Convene: core group", "v: \"Convene: core group\"\n");
}

static void test_emit_flow_quoting(void **state)
{
	struct sup_node *map = sup_node_new_map(), *seq = sup_node_new_seq();
	char *text;

	(void)state;
	seq->flow = 1;
	sup_node_append(seq, sup_node_new_scalar("a:b", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("a, b", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("x]", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("plain words", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("2026-11-24T09:12:00Z",
						 SUP_STYLE_PLAIN));
	sup_node_set(map, "f", seq);
	text = S_emit(map);
	assert_string_equal(text, "f: [\"a:b\", \"a, b\", \"x]\", plain words, "
			    "2026-11-24T09:12:00Z]\n");
	free(text);
	sup_node_free(map);
}

/* Emitter */

static const char golden[] =
	"id: jsmith\n"
	"name: Jo Smith\n"
	"left:\n"
	"functions: [performance, development, support]\n"
	"absences:\n"
	"  - {from: 2027-01-04, to: 2027-04-30, reason: maternity leave}\n"
	"keys:\n"
	"  - ssh-ed25519 AAAAC3Nza... jo@laptop\n"
	"cases:\n"
	"  - ref: C-10293\n"
	"    decision: \"Convene: core group\"\n"
	"    review: 2026-12-21\n";

static struct sup_node *S_golden_tree(void)
{
	struct sup_node *root = sup_node_new_map(), *seq, *m;

	sup_node_set_str(root, "id", "jsmith");
	sup_node_set_str(root, "name", "Jo Smith");
	sup_node_set_plain(root, "left", "");
	seq = sup_node_new_seq();
	seq->flow = 1;
	sup_node_append(seq, sup_node_new_scalar("performance", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("development", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("support", SUP_STYLE_STRING));
	sup_node_set(root, "functions", seq);
	seq = sup_node_new_seq();
	m = sup_node_new_map();
	m->flow = 1;
	sup_node_set_plain(m, "from", "2027-01-04");
	sup_node_set_plain(m, "to", "2027-04-30");
	sup_node_set_str(m, "reason", "maternity leave");
	sup_node_append(seq, m);
	sup_node_set(root, "absences", seq);
	seq = sup_node_new_seq();
	sup_node_append(seq, sup_node_new_scalar("ssh-ed25519 AAAAC3Nza... jo@laptop",
						 SUP_STYLE_STRING));
	sup_node_set(root, "keys", seq);
	seq = sup_node_new_seq();
	m = sup_node_new_map();
	sup_node_set_str(m, "ref", "C-10293");
	sup_node_set_str(m, "decision", "Convene: core group");
	sup_node_set_plain(m, "review", "2026-12-21");
	sup_node_append(seq, m);
	sup_node_set(root, "cases", seq);
	return root;
}

static void test_emit_golden(void **state)
{
	struct sup_node *root = S_golden_tree(), *back;
	char *text, *again;

	(void)state;
	text = S_emit(root);
	assert_string_equal(text, golden);

	/* what was parsed is emitted the same way again */
	back = S_parse_ok(golden, 1);
	again = S_emit(back);
	assert_string_equal(again, golden);
	assert_true(sup_node_get(back, "functions")->flow);
	assert_true(sup_node_get(back, "absences")->items[0]->flow);
	assert_false(sup_node_get(back, "cases")->items[0]->flow);
	assert_true(sup_node_is_null(sup_node_get(back, "left")));
	sup_node_free(back);
	sup_node_free(root);
	free(text);
	free(again);
}

static void test_emit_shapes(void **state)
{
	struct sup_node *root = sup_node_new_map(), *seq, *m, *inner, *back;
	char *text, *again;
	static const char want[] =
		"empty_map: {}\n"
		"empty_seq: []\n"
		"block_list:\n"
		"  - a\n"
		"  -\n"
		"  - []\n"
		"  - {}\n"
		"  - - x\n"
		"    - \"y\"\n"
		"  - k: v\n"
		"    list:\n"
		"      - 1\n"
		"    sub:\n"
		"      deep: \"yes\"\n"
		"  - from: 2027-01-04\n"
		"    to:\n"
		"flow_with_null:\n"
		"  - a\n"
		"  -\n"
		"nested:\n"
		"  inner: {a: b}\n"
		"  more:\n"
		"    x: \"y\"\n";

	(void)state;
	sup_node_set(root, "empty_map", sup_node_new_map());
	sup_node_set(root, "empty_seq", sup_node_new_seq());
	seq = sup_node_new_seq();
	seq->flow = 1;	/* not all scalars: block anyway */
	sup_node_append(seq, sup_node_new_scalar("a", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("", SUP_STYLE_PLAIN));
	sup_node_append(seq, sup_node_new_seq());
	sup_node_append(seq, sup_node_new_map());
	inner = sup_node_new_seq();
	sup_node_append(inner, sup_node_new_scalar("x", SUP_STYLE_STRING));
	sup_node_append(inner, sup_node_new_scalar("y", SUP_STYLE_STRING));
	sup_node_append(seq, inner);
	m = sup_node_new_map();
	sup_node_set_str(m, "k", "v");
	inner = sup_node_new_seq();
	sup_node_append(inner, sup_node_new_scalar("1", SUP_STYLE_PLAIN));
	sup_node_set(m, "list", inner);
	inner = sup_node_new_map();
	sup_node_set_str(inner, "deep", "yes");
	sup_node_set(m, "sub", inner);
	sup_node_append(seq, m);
	m = sup_node_new_map();
	m->flow = 1;	/* an empty value cannot be written in flow style */
	sup_node_set_plain(m, "from", "2027-01-04");
	sup_node_set_plain(m, "to", "");
	sup_node_append(seq, m);
	sup_node_set(root, "block_list", seq);
	seq = sup_node_new_seq();
	seq->flow = 1;
	sup_node_append(seq, sup_node_new_scalar("a", SUP_STYLE_STRING));
	sup_node_append(seq, sup_node_new_scalar("", SUP_STYLE_PLAIN));
	sup_node_set(root, "flow_with_null", seq);
	m = sup_node_new_map();
	inner = sup_node_new_map();
	inner->flow = 1;
	sup_node_set_str(inner, "a", "b");
	sup_node_set(m, "inner", inner);
	inner = sup_node_new_map();
	sup_node_set_str(inner, "x", "y");
	sup_node_set(m, "more", inner);
	sup_node_set(root, "nested", m);

	text = S_emit(root);
	assert_string_equal(text, want);
	back = S_parse_ok(text, 1);
	again = S_emit(back);
	assert_string_equal(again, want);
	sup_node_free(back);
	sup_node_free(root);
	free(text);
	free(again);
}

static void test_emit_empty_and_odd_roots(void **state)
{
	struct sup_node *n = sup_node_new_map();
	char *text;

	(void)state;
	text = S_emit(n);
	assert_string_equal(text, "");
	free(text);
	sup_node_free(n);
	text = S_emit(NULL);
	assert_string_equal(text, "");
	free(text);
	n = sup_node_new_scalar("no", SUP_STYLE_STRING);
	text = S_emit(n);
	assert_string_equal(text, "\"no\"\n");
	free(text);
	sup_node_free(n);
}

/* Parsing */

static void test_parse_styles(void **state)
{
	struct sup_node *root;

	(void)state;
	root = S_parse_ok("a: plain\nb: 'single'\nc: \"double\"\n"
			  "d: |\n  lit\n  eral\ne: >\n  fol\n  ded\nf:\n"
			  "g: ~\nh: 2024-01-02\n", 1);
	assert_int_equal(sup_node_get(root, "a")->style, SUP_STYLE_PLAIN);
	S_check_value(root, "b", "single");
	S_check_value(root, "c", "double");
	S_check_value(root, "d", "lit\neral\n");
	S_check_value(root, "e", "fol ded\n");
	assert_string_equal(sup_node_get(root, "f")->value, "");
	assert_int_equal(sup_node_get(root, "f")->style, SUP_STYLE_PLAIN);
	assert_true(sup_node_is_null(sup_node_get(root, "f")));
	assert_true(sup_node_is_null(sup_node_get(root, "g")));
	assert_false(sup_node_is_null(sup_node_get(root, "b")));
	assert_string_equal(sup_node_get(root, "h")->value, "2024-01-02");
	assert_int_equal(sup_node_get(root, "h")->style, SUP_STYLE_PLAIN);
	/* a byte order mark is skipped and does not count as a column */
	sup_node_free(root);
	root = S_parse_ok("\xef\xbb\xbf" "a: 1\nb: x\n", 1);
	assert_string_equal(sup_node_get(root, "a")->value, "1");
	assert_int_equal(sup_node_get(root, "a")->col, 4);
	/* a tab that is not indentation is fine */
	sup_node_free(root);
	root = S_parse_ok("a: b\tc\n", 1);
	assert_string_equal(sup_node_get(root, "a")->value, "b\tc");
	sup_node_free(root);
}

static void test_parse_empty(void **state)
{
	static const char *const empties[] = {
		"", "\n", "# only a comment\n", "# a\n\n# b", "---\n", "---\n...\n",
		"--- # c\n",
	};
	struct sup_node *root;
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(empties); i++) {
		root = S_parse_ok(empties[i], 1);
		assert_int_equal(root->type, SUP_NODE_MAP);
		assert_int_equal(root->n, 0);
		sup_node_free(root);
	}
	/* other roots come back for the caller to refuse */
	root = S_parse_ok("- a\n- b\n", 1);
	assert_int_equal(root->type, SUP_NODE_SEQ);
	assert_int_equal(root->n, 2);
	sup_node_free(root);
	assert_int_equal(sup_yaml_parse(&root, NULL, 0, "file.yaml", 1), 0);
	assert_int_equal(root->type, SUP_NODE_MAP);
	assert_int_equal(root->n, 0);
	assert_int_equal(root->line, 1);
	sup_node_free(root);
	root = S_parse_ok("just text\n", 1);
	assert_int_equal(root->type, SUP_NODE_SCALAR);
	assert_string_equal(root->value, "just text");
	sup_node_free(root);
	root = S_parse_ok("---\na: 1\n...\n", 1);
	assert_int_equal(root->type, SUP_NODE_MAP);
	assert_string_equal(sup_node_get(root, "a")->value, "1");
	sup_node_free(root);
}

static const char positions_doc[] =
	"id: jsmith\n"
	"name: Zo\xc3\xab Smith\n"
	"cases:\n"
	"  - ref: C-1\n"
	"    review: 2026-12-21\n"
	"functions: [a, \xc3\xa9t\xc3\xa9, b]\n"
	"note: |\n"
	"  x\n"
	"  y\n"
	"last: \"q\"\n";

static void S_check_positions(const struct sup_node *root, int off)
{
	const struct sup_node *cases, *item, *f;

	assert_int_equal(root->line, 1 + off);
	assert_int_equal(root->col, 1);
	assert_int_equal(sup_node_key(root, "name")->line, 2 + off);
	assert_int_equal(sup_node_key(root, "name")->col, 1);
	assert_int_equal(sup_node_get(root, "name")->line, 2 + off);
	assert_int_equal(sup_node_get(root, "name")->col, 7);
	assert_string_equal(sup_node_get(root, "name")->value, "Zo\xc3\xab Smith");
	cases = sup_node_get(root, "cases");
	assert_int_equal(cases->line, 4 + off);
	assert_int_equal(cases->col, 3);
	item = cases->items[0];
	assert_int_equal(item->type, SUP_NODE_MAP);
	assert_int_equal(item->line, 4 + off);
	assert_int_equal(item->col, 5);
	assert_int_equal(sup_node_key(item, "review")->line, 5 + off);
	assert_int_equal(sup_node_key(item, "review")->col, 5);
	assert_int_equal(sup_node_get(item, "review")->line, 5 + off);
	assert_int_equal(sup_node_get(item, "review")->col, 13);
	f = sup_node_get(root, "functions");
	assert_int_equal(f->line, 6 + off);
	assert_int_equal(f->col, 12);
	/* columns count characters: "été" is three */
	assert_int_equal(f->items[2]->line, 6 + off);
	assert_int_equal(f->items[2]->col, 21);
	assert_string_equal(sup_node_get(root, "note")->value, "x\ny\n");
	assert_int_equal(sup_node_get(root, "note")->line, 7 + off);
	assert_int_equal(sup_node_get(root, "note")->col, 7);
	assert_int_equal(sup_node_get(root, "last")->line, 10 + off);
	assert_int_equal(sup_node_get(root, "last")->col, 7);
}

static void test_positions(void **state)
{
	struct sup_node *root;

	(void)state;
	root = S_parse_ok(positions_doc, 1);
	S_check_positions(root, 0);
	sup_node_free(root);
	root = S_parse_ok(positions_doc, 2);
	S_check_positions(root, 1);
	sup_node_free(root);
}

static void S_no_cr(const struct sup_node *n)
{
	size_t i;

	if (n->type == SUP_NODE_SCALAR) {
		assert_null(strchr(n->value, '\r'));
		return;
	}
	for (i = 0; i < n->n; i++) {
		S_no_cr(n->items[i]);
		if (n->keys)
			S_no_cr(n->keys[i]);
	}
}

static void test_crlf(void **state)
{
	char *crlf = S_crlf(positions_doc), *a, *b;
	struct sup_node *lf_root, *crlf_root;

	(void)state;
	lf_root = S_parse_ok(positions_doc, 1);
	crlf_root = S_parse_ok(crlf, 1);
	S_check_positions(crlf_root, 0);
	S_no_cr(crlf_root);
	a = S_emit(lf_root);
	b = S_emit(crlf_root);
	assert_string_equal(a, b);
	free(a);
	free(b);
	sup_node_free(lf_root);
	sup_node_free(crlf_root);
	free(crlf);

	crlf_root = S_parse_ok("a: \"x\r\n  y\"\r\nb: >\r\n  p\r\n  q\r\n", 1);
	S_check_value(crlf_root, "a", "x y");
	S_check_value(crlf_root, "b", "p q\n");
	sup_node_free(crlf_root);
}

/* Refusals */

static void test_refuse_alias(void **state)
{
	(void)state;
	S_refuse_both("a: 1\nb: *x\n",
		      "file.yaml:2:4: aliases are not allowed (write the value out in full)");
	S_refuse_both("a:\n  - x\n  - *x\n",
		      "file.yaml:3:5: aliases are not allowed (write the value out in full)");
	/* columns count characters, not bytes */
	S_refuse_both("k: [\xc3\xa9, \xc3\xbc, *b]\n",
		      "file.yaml:1:11: aliases are not allowed (write the value out in full)");
	/* positions are offset by first_line */
	S_refuse_n("a: 1\nb: *x\n", 10, 2,
		   "file.yaml:3:4: aliases are not allowed (write the value out in full)");
}

static void test_refuse_anchor(void **state)
{
	(void)state;
	S_refuse_both("a: 1\nb: &x 2\n", "file.yaml:2:4: anchors are not allowed");
	S_refuse_both("a:\n  b: &m\n    c: 1\n", "file.yaml:2:6: anchors are not allowed");
	S_refuse_both("&k a: 1\n", "file.yaml:1:1: anchors are not allowed");
	S_refuse_both("a: &s [1]\n", "file.yaml:1:4: anchors are not allowed");
}

static void test_refuse_tag(void **state)
{
	(void)state;
	S_refuse_both("a: 1\nb: !!str 2\n", "file.yaml:2:4: tags are not allowed");
	S_refuse_both("a:\n  - !foo x\n", "file.yaml:2:5: tags are not allowed");
	S_refuse_both("a: !!map {}\n", "file.yaml:1:4: tags are not allowed");
	S_refuse_both("a: ! x\n", "file.yaml:1:4: tags are not allowed");
}

static void test_refuse_duplicate(void **state)
{
	(void)state;
	S_refuse_both("id: a\nx: 1\nname: b\ny:\n  name: nested is fine\nname: c\n",
		      "file.yaml:6:1: duplicate key 'name' (first at line 3)");
	S_refuse_both("a:\n  b:\n    c: 1\n    c: 2\n",
		      "file.yaml:4:5: duplicate key 'c' (first at line 3)");
	/* compared by value, whatever the quoting */
	S_refuse_both("'x': 1\nx: 2\n",
		      "file.yaml:2:1: duplicate key 'x' (first at line 1)");
	S_refuse_both("- {a: 1, b: 2, a: 3}\n",
		      "file.yaml:1:16: duplicate key 'a' (first at line 1)");
}

static void test_duplicate_many_keys(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_node *root;
	char *want;
	int i;

	(void)state;
	/* enough keys to exercise the hash table's growth */
	for (i = 0; i < 5000; i++)
		sup_buf_printf(&b, "k%d: %d\n", i, i);
	root = S_parse_ok(sup_buf_cstr(&b), 1);
	assert_int_equal(root->n, 5000);
	assert_string_equal(sup_node_get(root, "k4321")->value, "4321");
	sup_node_free(root);
	sup_buf_puts(&b, "k1234: again\n");
	want = sup_xasprintf("file.yaml:5001:1: duplicate key 'k1234' (first at line 1235)");
	S_refuse(sup_buf_cstr(&b), want);
	free(want);
	sup_buf_release(&b);
}

static void test_refuse_tab(void **state)
{
	(void)state;
	S_refuse_both("a:\n  b: 1\n \tc: 2\n",
		      "file.yaml:3:2: tab character in indentation (use spaces)");
	S_refuse_both("a:\n  b:\n    c: 1\n    \td: 2\n",
		      "file.yaml:4:5: tab character in indentation (use spaces)");
	S_refuse_both("\ta: 1\n",
		      "file.yaml:1:1: tab character in indentation (use spaces)");
	S_refuse_both("a: |\n  x\n  \ty\n",
		      "file.yaml:3:3: tab character in indentation (use spaces)");
}

static void test_refuse_depth(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_node *root, *n;
	int i, depth;

	(void)state;
	/* 16 nested mappings, the document's own included */
	for (i = 0; i < 16; i++)
		sup_buf_printf(&b, "%*sa:%s\n", 2 * i, "", i == 15 ? " x" : "");
	root = S_parse_ok(sup_buf_cstr(&b), 1);
	for (depth = 1, n = root; sup_node_get(n, "a")->type == SUP_NODE_MAP;
	     n = sup_node_get(n, "a"))
		depth++;
	assert_int_equal(depth, 16);
	sup_node_free(root);
	sup_buf_release(&b);

	for (i = 0; i < 17; i++)
		sup_buf_printf(&b, "%*sa:%s\n", 2 * i, "", i == 16 ? " x" : "");
	S_refuse_both(sup_buf_cstr(&b),
		      "file.yaml:17:33: nesting deeper than 16 levels");
	sup_buf_release(&b);

	/* flow collections count the same */
	root = S_parse_ok("a: [[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]\n", 1);
	sup_node_free(root);
	S_refuse("a: [[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]\n",
		 "file.yaml:1:19: nesting deeper than 16 levels");
}

static void test_refuse_documents(void **state)
{
	(void)state;
	S_refuse_both("a: 1\n---\nb: 2\n",
		      "file.yaml:2:1: more than one YAML document");
	S_refuse_both("a: 1\n...\n---\nb: 2\n",
		      "file.yaml:3:1: more than one YAML document");
	S_refuse_both("---\na: 1\n--- \n",
		      "file.yaml:3:1: more than one YAML document");
	S_refuse_both("%YAML 1.1\n---\na: 1\n",
		      "file.yaml:1:1: directives (%YAML, %TAG) are not allowed");
}

static void test_refuse_key(void **state)
{
	(void)state;
	S_refuse_both("a: 1\n[x]: 2\n",
		      "file.yaml:2:1: a mapping key must be a plain or quoted scalar");
	S_refuse_both("? {a: 1}\n: 2\n",
		      "file.yaml:1:3: a mapping key must be a plain or quoted scalar");
	S_refuse_both("? |\n  x\n: 1\n",
		      "file.yaml:1:3: a mapping key must be a plain or quoted scalar");
	S_refuse_both("a: 1\n*x : 2\n",
		      "file.yaml:2:1: aliases are not allowed (write the value out in full)");
}

static void test_refuse_syntax(void **state)
{
	(void)state;
	S_refuse_both("a:\n  b: 1\n c: 2\n",
		      "file.yaml:3:2: did not find expected key while parsing a block mapping");
	S_refuse_both("a: [1, 2\nb: 3\n",
		      "file.yaml:2:2: did not find expected ',' or ']' while parsing a flow sequence");
	S_refuse_both("a: 1\n...\nb: 2\n",
		      "file.yaml:3:1: did not find expected <document start>");
	S_refuse_both("a: \"open\n",
		      "file.yaml:2:1: found unexpected end of stream while scanning a quoted scalar");
	/* libyaml's reader counts bytes: positions must still be characters */
	S_refuse("a: \xc3\xa9\x01\n",
		 "file.yaml:1:5: control characters are not allowed");
}

static void test_refuse_encoding(void **state)
{
	static const char nul[] = "a: b\nc: x\0y\n";

	(void)state;
	S_refuse_both("a: b\nc: \xff\n",
		      "file.yaml:2:4: not valid UTF-8 (save the file as UTF-8)");
	S_refuse("a: Zo\xc3\xab \xc3\n",
		 "file.yaml:1:8: not valid UTF-8 (save the file as UTF-8)");
	S_refuse_n(nul, sizeof(nul) - 1, 1, "file.yaml:2:5: NUL byte in file");
	S_refuse_n(nul, sizeof(nul) - 1, 5, "file.yaml:6:5: NUL byte in file");
	/* a bad byte before a NUL is the first problem */
	S_refuse_n("\xff\0", 2, 1,
		   "file.yaml:1:1: not valid UTF-8 (save the file as UTF-8)");
	S_refuse_both("a: \"x\\0y\"\n",
		      "file.yaml:1:4: NUL character in a string (remove the \\0 escape)");
	S_refuse("a: 1\rb: 2\n",
		 "file.yaml:1:5: carriage return without a line feed (use LF or CRLF line endings)");
	S_refuse("a: 1\r\nb: 2\r\r\n",
		 "file.yaml:2:5: carriage return without a line feed (use LF or CRLF line endings)");
}

static void test_refuse_size(void **state)
{
	char *big = sup_xmalloc(SUP_MAX_FILE + 2);
	struct sup_node *root = NULL;
	size_t n = SUP_MAX_FILE;

	(void)state;
	memcpy(big, "a: ", 3);
	memset(big + 3, 'x', SUP_MAX_FILE + 2 - 3);
	big[n - 1] = '\n';
	assert_int_equal(sup_yaml_parse(&root, big, n, "file.yaml", 1), 0);
	assert_int_equal(strlen(sup_node_get(root, "a")->value), n - 4);
	sup_node_free(root);

	big[n - 1] = 'x';
	big[n] = '\n';
	S_refuse_n(big, n + 1, 1,
		   "file.yaml: file is larger than 1 MiB (1048577 bytes; the limit is 1048576)");
	free(big);
}

/* Front matter */

static void S_split_ok(const char *text, size_t yaml_off, size_t yaml_len,
		       size_t body_off)
{
	size_t yo = 99, yl = 99, bo = 99;
	int first = 0;

	assert_int_equal(sup_frontmatter_split(text, strlen(text), "rec.md",
					       &yo, &yl, &bo, &first), 0);
	assert_int_equal(yo, yaml_off);
	assert_int_equal(yl, yaml_len);
	assert_int_equal(bo, body_off);
	assert_int_equal(first, 2);
	assert_int_equal(sup_diag_count(), 0);
}

static void S_split_refused(const char *text, const char *want)
{
	size_t yo, yl, bo;
	int first;

	sup_diag_clear();
	assert_int_equal(sup_frontmatter_split(text, strlen(text), "rec.md",
					       &yo, &yl, &bo, &first),
			 SUP_EINVALID);
	assert_int_equal(sup_diag_count(), 1);
	assert_string_equal(sup_diag_get(0), want);
	sup_diag_clear();
}

static void test_frontmatter_split(void **state)
{
	(void)state;
	S_split_ok("---\nid: x\n---\nbody\n", 4, 6, 14);
	S_split_ok("---\r\nid: x\r\n---\r\nbody\r\n", 5, 7, 17);
	S_split_ok("---\nid: x\n...\nbody\n", 4, 6, 14);
	S_split_ok("---\na: 1\n---", 4, 5, 12);
	S_split_ok("---\na: 1\n---\r\n", 4, 5, 14);
	S_split_ok("---\n---\n", 4, 0, 8);
	S_split_ok("---\r\n---\r\n# Body\n", 5, 0, 10);
	/* only an exact line closes it */
	S_split_ok("---\na: ---\n ---\n----\n---\nb\n", 4, 17, 25);
}

static void test_frontmatter_refused(void **state)
{
	static const char missing[] =
		"rec.md:1:1: missing front matter: a record starts with a line '---'";
	static const char unclosed[] =
		"rec.md:1:1: front matter is not closed: add a line '---' after it";

	(void)state;
	S_split_refused("", missing);
	S_split_refused("# Title\n---\na: 1\n---\n", missing);
	S_split_refused("--- \na: 1\n---\n", missing);
	S_split_refused("----\na: 1\n---\n", missing);
	S_split_refused("\n---\na: 1\n---\n", missing);
	S_split_refused("---", unclosed);
	S_split_refused("---\n", unclosed);
	S_split_refused("---\na: 1\n", unclosed);
	S_split_refused("---\na: 1\n----\n--- x\n", unclosed);
}

static void test_frontmatter_then_parse(void **state)
{
	static const char rec[] = "---\r\nid: r1\r\nb: *x\r\n---\r\n# Notes\r\n";
	struct sup_node *root = (struct sup_node *)&root;
	size_t yo, yl, bo;
	int first;

	(void)state;
	assert_int_equal(sup_frontmatter_split(rec, strlen(rec), "rec.md", &yo,
					       &yl, &bo, &first), 0);
	assert_string_equal(rec + bo, "# Notes\r\n");
	assert_int_equal(sup_yaml_parse(&root, rec + yo, yl, "rec.md", first),
			 SUP_EINVALID);
	assert_null(root);
	assert_string_equal(sup_diag_get(0),
			    "rec.md:3:4: aliases are not allowed (write the value out in full)");
}

/* Nodes */

static void test_node_helpers(void **state)
{
	struct sup_node *map = sup_node_new_map(), *copy, *seq;
	int b = -1;

	(void)state;
	sup_node_free(NULL);
	sup_node_set_str(map, "a", "1");
	sup_node_set_plain(map, "b", "2");
	sup_node_set_str(map, "c", "3");
	/* replacing keeps the order */
	sup_node_set_plain(map, "a", "one");
	assert_int_equal(map->n, 3);
	assert_string_equal(map->keys[0]->value, "a");
	assert_string_equal(map->items[0]->value, "one");
	assert_int_equal(map->items[0]->style, SUP_STYLE_PLAIN);
	assert_string_equal(sup_node_key(map, "c")->value, "c");
	assert_null(sup_node_get(map, "zz"));
	assert_null(sup_node_key(map, "zz"));
	assert_null(sup_node_get(NULL, "a"));
	assert_null(sup_node_get(map->items[0], "a"));

	copy = sup_node_dup(map);
	assert_int_equal(sup_node_remove(map, "b"), 0);
	assert_int_equal(sup_node_remove(map, "b"), SUP_ENOTFOUND);
	assert_int_equal(map->n, 2);
	assert_string_equal(map->keys[1]->value, "c");
	assert_int_equal(copy->n, 3);
	assert_string_equal(sup_node_get(copy, "b")->value, "2");
	assert_ptr_not_equal(copy->items[0], map->items[0]);
	assert_null(sup_node_dup(NULL));

	seq = sup_node_new_seq();
	seq->flow = 1;
	sup_node_append(seq, sup_node_new_scalar(NULL, SUP_STYLE_STRING));
	sup_node_set(map, "s", seq);
	sup_node_free(copy);
	copy = sup_node_dup(map);
	assert_true(sup_node_get(copy, "s")->flow);
	assert_string_equal(sup_node_get(copy, "s")->items[0]->value, "");
	assert_int_equal(sup_node_get(copy, "s")->items[0]->style, SUP_STYLE_STRING);
	sup_node_free(copy);
	sup_node_free(map);

	/* null and bool readings are for plain scalars only */
	map = S_parse_ok("a:\nb: ~\nc: Null\nd: 'null'\ne: nul\nf: yes\n"
			 "g: Off\nh: TRUE\ni: \"true\"\nj: tRUE\nk: 1\nl: [x]\n", 1);
	assert_true(sup_node_is_null(NULL));
	assert_true(sup_node_is_null(sup_node_get(map, "a")));
	assert_true(sup_node_is_null(sup_node_get(map, "b")));
	assert_true(sup_node_is_null(sup_node_get(map, "c")));
	assert_false(sup_node_is_null(sup_node_get(map, "d")));
	assert_false(sup_node_is_null(sup_node_get(map, "e")));
	assert_false(sup_node_is_null(sup_node_get(map, "l")));
	assert_int_equal(sup_node_bool(sup_node_get(map, "f"), &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(sup_node_bool(sup_node_get(map, "g"), &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(sup_node_bool(sup_node_get(map, "h"), &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(sup_node_bool(sup_node_get(map, "i"), &b), SUP_EINVALID);
	assert_int_equal(sup_node_bool(sup_node_get(map, "j"), &b), SUP_EINVALID);
	assert_int_equal(sup_node_bool(sup_node_get(map, "k"), &b), SUP_EINVALID);
	assert_int_equal(sup_node_bool(sup_node_get(map, "l"), &b), SUP_EINVALID);
	assert_int_equal(sup_node_bool(NULL, &b), SUP_EINVALID);
	sup_node_free(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip_block),
		T(test_roundtrip_flow_and_keys),
		T(test_emit_quoting),
		T(test_emit_flow_quoting),
		T(test_emit_golden),
		T(test_emit_shapes),
		T(test_emit_empty_and_odd_roots),
		T(test_parse_styles),
		T(test_parse_empty),
		T(test_positions),
		T(test_crlf),
		T(test_refuse_alias),
		T(test_refuse_anchor),
		T(test_refuse_tag),
		T(test_refuse_duplicate),
		T(test_duplicate_many_keys),
		T(test_refuse_tab),
		T(test_refuse_depth),
		T(test_refuse_documents),
		T(test_refuse_key),
		T(test_refuse_syntax),
		T(test_refuse_encoding),
		T(test_refuse_size),
		T(test_frontmatter_split),
		T(test_frontmatter_refused),
		T(test_frontmatter_then_parse),
		T(test_node_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
