/*
 * Unit tests for lib/verify: splitting a raw commit object into the signed
 * payload and its signature header, as git does (the headers end at the
 * first blank line; a "gpgsig" look-alike in the message is not a
 * signature), and reading a trailer from the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "register.h"
#include "util.h"
#include "verify.h"

#define S_TREE "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
#define S_PARENT "parent 8f2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5\n"
#define S_PEOPLE \
	"author Aisha Khan <akhan@example.org> 1767225600 +0000\n" \
	"committer Aisha Khan <akhan@example.org> 1767225600 +0000\n"
#define S_MESSAGE \
	"\n" \
	"sup: sign 2026-03-02-jsmith\n" \
	"\n" \
	"Sup-Record: 2026-03-02-jsmith\n" \
	"Sup-Action: sign\n" \
	"Sup-Actor: akhan\n"

/* An SSH signature header as libgit2 writes it: continuation lines begin
 * with one space, and the armor's final newline leaves a lone " " line. */
#define S_SIG_HEADER \
	"gpgsig -----BEGIN SSH SIGNATURE-----\n" \
	" U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgk3dX4uuLM6aXUpXS00r/ek8Vo+\n" \
	" M6oLLA9th2yhYkSskAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n" \
	" -----END SSH SIGNATURE-----\n" \
	" \n"
#define S_SIG_VALUE \
	"-----BEGIN SSH SIGNATURE-----\n" \
	"U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgk3dX4uuLM6aXUpXS00r/ek8Vo+\n" \
	"M6oLLA9th2yhYkSskAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n" \
	"-----END SSH SIGNATURE-----\n" \
	"\n"

#define S_SIG2_HEADER \
	"gpgsig -----BEGIN SSH SIGNATURE-----\n" \
	" U1NIU0lHAAAAAQAAADMAAAALc3NoLWVjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAy\n" \
	" -----END SSH SIGNATURE-----\n"

/* The object without signature headers: what git signs. */
static const char S_unsigned[] = S_TREE S_PARENT S_PEOPLE S_MESSAGE;

struct S_split {
	struct sup_buf payload, sig;
	int nsigs;
};

static void S_do_split(struct S_split *s, const char *raw, size_t len)
{
	struct sup_buf p = SUP_BUF_INIT, g = SUP_BUF_INIT;

	s->payload = p;
	s->sig = g;
	s->nsigs = -1;
	sup_commit_split(&s->payload, &s->sig, &s->nsigs, raw, len);
}

static void S_release(struct S_split *s)
{
	sup_buf_release(&s->payload);
	sup_buf_release(&s->sig);
}

/* exact byte comparison, with both shown on failure */
static void S_assert_buf(const struct sup_buf *b, const char *want)
{
	assert_string_equal(sup_buf_cstr(b), want);
	assert_int_equal(b->len, strlen(want));
}

static void test_split_one_signature(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 1);
	S_assert_buf(&s.payload, S_unsigned);
	S_assert_buf(&s.sig, S_SIG_VALUE);
	S_release(&s);
}

static void test_split_signature_first_header_after_tree(void **state)
{
	/* a root commit (no parent), signature right after the tree */
	static const char raw[] = S_TREE S_SIG_HEADER S_PEOPLE S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 1);
	S_assert_buf(&s.payload, S_TREE S_PEOPLE S_MESSAGE);
	S_assert_buf(&s.sig, S_SIG_VALUE);
	S_release(&s);
}

static void test_split_unsigned(void **state)
{
	struct S_split s;

	(void)state;
	S_do_split(&s, S_unsigned, sizeof(S_unsigned) - 1);
	assert_int_equal(s.nsigs, 0);
	S_assert_buf(&s.payload, S_unsigned);
	S_assert_buf(&s.sig, "");
	assert_non_null(s.sig.ptr);	/* "" is a string, never NULL */
	S_release(&s);
}

static void test_split_two_signatures(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER
		S_SIG2_HEADER S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 2);
	/* neither header, nor the second's continuation lines, is signed */
	S_assert_buf(&s.payload, S_unsigned);
	/* only the first is kept as "the" signature, never the two glued */
	S_assert_buf(&s.sig, S_SIG_VALUE);
	S_release(&s);
}

static void test_split_two_signatures_apart(void **state)
{
	/* a second header after an ordinary one still counts */
	static const char raw[] = S_TREE S_SIG_HEADER S_PARENT S_SIG2_HEADER
		S_PEOPLE S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 2);
	S_assert_buf(&s.payload, S_unsigned);
	S_release(&s);
}

static void test_split_lookalike_in_body(void **state)
{
	/* a signature pasted into the message: not a header, so not a
	 * signature, and every byte of it is part of the payload */
	static const char raw[] = S_TREE S_PARENT S_PEOPLE
		"\n"
		"sup: sign 2026-03-02-jsmith\n"
		"\n"
		S_SIG_HEADER
		"gpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n"
		" iQ==\n"
		" -----END PGP SIGNATURE-----\n";
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 0);
	S_assert_buf(&s.payload, raw);
	S_assert_buf(&s.sig, "");
	S_release(&s);
}

static void test_split_lookalike_after_real_one(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER
		"\n"
		"sup: sign\n"
		"\n"
		S_SIG2_HEADER;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 1);
	S_assert_buf(&s.sig, S_SIG_VALUE);
	S_assert_buf(&s.payload, S_TREE S_PARENT S_PEOPLE "\nsup: sign\n\n" S_SIG2_HEADER);
	S_release(&s);
}

static void test_split_gpgsig_sha256(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE
		"gpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n"
		" \n"
		" iHUEABYKAB0WIQQ=\n"
		" =abcd\n"
		" -----END PGP SIGNATURE-----\n"
		S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 1);
	S_assert_buf(&s.payload, S_unsigned);
	/* the armor's blank line survives as a blank line */
	S_assert_buf(&s.sig, "-----BEGIN PGP SIGNATURE-----\n"
		     "\n"
		     "iHUEABYKAB0WIQQ=\n"
		     "=abcd\n"
		     "-----END PGP SIGNATURE-----\n");
	S_release(&s);
}

static void test_split_gpgsig_and_sha256_is_two(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER
		"gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n"
		" -----END SSH SIGNATURE-----\n"
		S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 2);
	S_assert_buf(&s.payload, S_unsigned);
	S_release(&s);
}

static void test_split_not_quite_a_signature_header(void **state)
{
	/* "gpgsigx" and a mergetag's continuation lines are ordinary headers */
	static const char raw[] = S_TREE S_PARENT S_PEOPLE
		"gpgsigx something\n"
		"mergetag object 8f2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5\n"
		" type commit\n"
		" tag v1\n"
		S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 0);
	S_assert_buf(&s.payload, raw);
	S_release(&s);
}

static void test_split_continuation_after_signature_ends(void **state)
{
	/* a mergetag after the signature: its continuation lines are not
	 * signature lines */
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER
		"mergetag object 8f2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5\n"
		" type commit\n"
		S_MESSAGE;
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 1);
	S_assert_buf(&s.sig, S_SIG_VALUE);
	S_assert_buf(&s.payload, S_TREE S_PARENT S_PEOPLE
		     "mergetag object 8f2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5\n"
		     " type commit\n"
		     S_MESSAGE);
	S_release(&s);
}

static void test_split_no_message_no_newline(void **state)
{
	/* truncated objects must not be read past their end */
	static const char raw[] = S_TREE "gpgsig -----BEGIN SSH SIGNATURE-----";
	struct S_split s;

	(void)state;
	S_do_split(&s, raw, sizeof(raw) - 1);
	assert_int_equal(s.nsigs, 1);
	S_assert_buf(&s.payload, S_TREE);
	S_assert_buf(&s.sig, "-----BEGIN SSH SIGNATURE-----");
	S_release(&s);

	S_do_split(&s, "", 0);
	assert_int_equal(s.nsigs, 0);
	S_assert_buf(&s.payload, "");
	S_release(&s);
}

static void test_verify_unsigned_and_multiple(void **state)
{
	static const char two[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER
		S_SIG2_HEADER S_MESSAGE;
	static const char body_only[] = S_TREE S_PARENT S_PEOPLE "\nmsg\n\n"
		S_SIG_HEADER;
	struct sup_register reg;
	struct sup_sigcheck c;

	(void)state;
	memset(&reg, 0, sizeof(reg));
	assert_int_equal(sup_verify_commit(&c, &reg, NULL, S_unsigned,
					   sizeof(S_unsigned) - 1), 0);
	assert_int_equal(c.verdict, SUP_VERDICT_UNSIGNED);
	assert_null(c.signer);
	sup_sigcheck_release(&c);

	assert_int_equal(sup_verify_commit(&c, &reg, NULL, body_only,
					   sizeof(body_only) - 1), 0);
	assert_int_equal(c.verdict, SUP_VERDICT_UNSIGNED);
	sup_sigcheck_release(&c);

	assert_int_equal(sup_verify_commit(&c, &reg, NULL, two, sizeof(two) - 1), 0);
	assert_int_equal(c.verdict, SUP_VERDICT_MULTIPLE);
	assert_null(c.signer);
	assert_non_null(c.detail);
	sup_sigcheck_release(&c);
	assert_string_equal(sup_verdict_name(SUP_VERDICT_MULTIPLE), "multiple-signatures");
	assert_string_equal(sup_verdict_name(SUP_VERDICT_UNKNOWN_KEY), "unknown-key");
}

static void test_verify_garbage_signature_is_bad(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER S_MESSAGE;
	struct sup_register reg;
	struct sup_sigcheck c;

	(void)state;
	memset(&reg, 0, sizeof(reg));
	assert_int_equal(sup_verify_commit(&c, &reg, NULL, raw, sizeof(raw) - 1), 0);
	assert_int_equal(c.verdict, SUP_VERDICT_BAD);
	assert_null(c.signer);
	sup_sigcheck_release(&c);
	sup_error_clear();
}

/* ---- trailers ---- */

static void test_trailer(void **state)
{
	static const char raw[] = S_TREE S_PARENT S_PEOPLE S_SIG_HEADER S_MESSAGE;
	char *v;

	(void)state;
	v = sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Action");
	assert_non_null(v);
	assert_string_equal(v, "sign");
	free(v);
	v = sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Record");
	assert_string_equal(v, "2026-03-02-jsmith");
	free(v);
	/* names are case-insensitive, as git's trailers are */
	v = sup_commit_trailer(raw, sizeof(raw) - 1, "sup-actor");
	assert_string_equal(v, "akhan");
	free(v);
	assert_null(sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Missing"));
	/* a prefix of a trailer's name is not that trailer */
	assert_null(sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Act"));
	assert_null(sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Record-"));
}

/*
 * git reads trailers only from the last paragraph of the message, and
 * never from the subject: a "Sup-Action:" line in a middle paragraph of a
 * message with no trailer block is not a trailer, nor is the subject
 * "sup: sign x" a "sup" trailer.
 */
static void test_trailer_only_last_paragraph(void **state)
{
	static const char middle[] = S_TREE S_PEOPLE
		"\n"
		"sup: sign x\n"
		"\n"
		"Sup-Action: sign\n"
		"\n"
		"Written by hand, after the trailers.\n";
	static const char subject[] = S_TREE S_PEOPLE
		"\n"
		"Sup-Action: sign\n";
	char *v;

	(void)state;
	v = sup_commit_trailer(middle, sizeof(middle) - 1, "Sup-Action");
	assert_null(v);
	v = sup_commit_trailer(subject, sizeof(subject) - 1, "Sup-Action");
	assert_null(v);
	v = sup_commit_trailer(S_unsigned, sizeof(S_unsigned) - 1, "sup");
	assert_null(v);
}

static void test_trailer_last_wins_and_headers_ignored(void **state)
{
	/* "author" is a header, not a trailer; the last Sup-Action wins */
	static const char raw[] = S_TREE S_PEOPLE
		"\n"
		"sup: amend x\n"
		"\n"
		"Sup-Action: edit\n"
		"Sup-Action:   amend\n";
	char *v;

	(void)state;
	v = sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Action");
	assert_string_equal(v, "amend");
	free(v);
	assert_null(sup_commit_trailer(raw, sizeof(raw) - 1, "author"));
	assert_null(sup_commit_trailer(raw, sizeof(raw) - 1, "tree"));
}

static void test_trailer_no_message(void **state)
{
	static const char raw[] = S_TREE S_PEOPLE;
	static const char empty_value[] = S_TREE S_PEOPLE "\nsubject\n\nSup-Action:\n";
	char *v;

	(void)state;
	assert_null(sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Action"));
	assert_null(sup_commit_trailer("", 0, "Sup-Action"));
	/* "Sup-Action:" with nothing after it is no value */
	v = sup_commit_trailer(empty_value, sizeof(empty_value) - 1, "Sup-Action");
	assert_true(v == NULL || *v == '\0');
	free(v);
}

static void test_trailer_not_in_signature(void **state)
{
	/* a trailer-looking line inside the signature header is not the
	 * message: the message starts after the first blank line */
	static const char raw[] = S_TREE S_PEOPLE
		"gpgsig -----BEGIN SSH SIGNATURE-----\n"
		" Sup-Actor: mallory\n"
		" -----END SSH SIGNATURE-----\n"
		"\n"
		"sup: sign x\n"
		"\n"
		"Sup-Actor: akhan\n";
	char *v;

	(void)state;
	v = sup_commit_trailer(raw, sizeof(raw) - 1, "Sup-Actor");
	assert_string_equal(v, "akhan");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_one_signature),
		cmocka_unit_test(test_split_signature_first_header_after_tree),
		cmocka_unit_test(test_split_unsigned),
		cmocka_unit_test(test_split_two_signatures),
		cmocka_unit_test(test_split_two_signatures_apart),
		cmocka_unit_test(test_split_lookalike_in_body),
		cmocka_unit_test(test_split_lookalike_after_real_one),
		cmocka_unit_test(test_split_gpgsig_sha256),
		cmocka_unit_test(test_split_gpgsig_and_sha256_is_two),
		cmocka_unit_test(test_split_not_quite_a_signature_header),
		cmocka_unit_test(test_split_continuation_after_signature_ends),
		cmocka_unit_test(test_split_no_message_no_newline),
		cmocka_unit_test(test_verify_unsigned_and_multiple),
		cmocka_unit_test(test_verify_garbage_signature_is_bad),
		cmocka_unit_test(test_trailer),
		cmocka_unit_test(test_trailer_only_last_paragraph),
		cmocka_unit_test(test_trailer_last_wins_and_headers_ignored),
		cmocka_unit_test(test_trailer_no_message),
		cmocka_unit_test(test_trailer_not_in_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
