/*
 * Unit tests for lib/admin: reading a caseload CSV (as spreadsheets export
 * it) with every problem positioned, reading a key argument, and the
 * allowed-signers file for git.  Keys are made by ssh-keygen at test time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "admin.h"
#include "dates.h"
#include "error.h"
#include "register.h"
#include "util.h"

#define S_CSV "cases.csv"

static char S_dir[] = "/tmp/sup-test-admin.XXXXXX";
/* The public key lines of the keys made in S_setup, without newline. */
static char *S_ed25519, *S_ecdsa;

static int S_run(const char *fmt, ...) SUP_PRINTF(1, 2);
static int S_run(const char *fmt, ...)
{
	struct sup_buf cmd = SUP_BUF_INIT;
	va_list ap;
	int st;

	va_start(ap, fmt);
	sup_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	st = system(cmd.ptr);
	sup_buf_release(&cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static char *S_path(const char *name)
{
	return sup_xasprintf("%s/%s", S_dir, name);
}

static char *S_publine(const char *name)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *p = S_path(name);

	if (sup_read_file(&b, p, 4096) < 0) {
		free(p);
		return NULL;
	}
	free(p);
	while (b.len && b.ptr[b.len - 1] == '\n')
		sup_buf_truncate(&b, b.len - 1);
	return sup_buf_detach(&b);
}

static int S_setup(void **state)
{
	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	if (S_run("ssh-keygen -q -t ed25519 -N '' -C jo@laptop -f %s/ed25519 </dev/null", S_dir) ||
	    S_run("ssh-keygen -q -t ecdsa -b 256 -N '' -C jo@phone -f %s/ecdsa </dev/null", S_dir))
		return -1;
	S_ed25519 = S_publine("ed25519.pub");
	S_ecdsa = S_publine("ecdsa.pub");
	return S_ed25519 && S_ecdsa ? 0 : -1;
}

static int S_teardown(void **state)
{
	(void)state;
	free(S_ed25519);
	free(S_ecdsa);
	return S_run("rm -rf '%s'", S_dir) == 0 ? 0 : -1;
}

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

static void S_cases_free(struct sup_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sup_case_release(&c[i]);
	free(c);
}

/* Parse text that must be accepted; *n cases. */
static struct sup_case *S_csv_ok(const char *text, size_t len, size_t *n)
{
	struct sup_case *c = NULL;

	if (sup_case_csv_parse(&c, n, text, len, S_CSV) != 0)
		fail_msg("refused: %s", sup_diag_count() ? sup_diag_get(0) :
			 sup_error_last());
	assert_int_equal(sup_diag_count(), 0);
	return c;
}

/* Parse text that must be refused with exactly the diagnostics want
 * (NULL-terminated). */
static void S_csv_bad(const char *text, const char *const *want)
{
	struct sup_case *c = (struct sup_case *)&c;
	size_t n = 99, i;

	sup_diag_clear();
	assert_int_equal(sup_case_csv_parse(&c, &n, text, strlen(text), S_CSV),
			 SUP_EINVALID);
	assert_null(c);
	assert_int_equal(n, 0);
	for (i = 0; want[i]; i++) {
		if (i >= sup_diag_count())
			fail_msg("missing diagnostic %zu: %s", i, want[i]);
		assert_string_equal(sup_diag_get(i), want[i]);
	}
	if (sup_diag_count() != i)
		fail_msg("%zu diagnostics, expected %zu; extra: %s",
			 sup_diag_count(), i, sup_diag_get(i));
	sup_diag_clear();
}

/* ---- CSV: accepted ---- */

static void test_csv_plain(void **state)
{
	static const char csv[] =
		"ref,worker,opened,closed,child_protection\n"
		"C-10293,jsmith,2026-05-01,,true\n"
		"C-10294,akhan,2026-05-02,2026-06-30,false\n";
	struct sup_case *c;
	size_t n = 0;

	(void)state;
	c = S_csv_ok(csv, strlen(csv), &n);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].ref, "C-10293");
	assert_string_equal(c[0].worker, "jsmith");
	assert_int_equal(c[0].worker_line, 2);
	assert_int_equal(c[0].worker_col, 9);
	assert_int_equal(c[0].opened, S_date("2026-05-01"));
	assert_int_equal(c[0].closed, SUP_DATE_NONE);
	assert_int_equal(c[0].child_protection, 1);
	assert_string_equal(c[1].ref, "C-10294");
	assert_string_equal(c[1].worker, "akhan");
	assert_int_equal(c[1].worker_line, 3);
	assert_int_equal(c[1].opened, S_date("2026-05-02"));
	assert_int_equal(c[1].closed, S_date("2026-06-30"));
	assert_int_equal(c[1].child_protection, 0);
	S_cases_free(c, n);
}

static void test_csv_header_any_order(void **state)
{
	/* optional columns left out, the rest in another order */
	static const char csv[] =
		"opened,worker,ref\n"
		"2026-01-05,jsmith,C-1\n";
	struct sup_case *c;
	size_t n = 0;

	(void)state;
	c = S_csv_ok(csv, strlen(csv), &n);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].ref, "C-1");
	assert_string_equal(c[0].worker, "jsmith");
	assert_int_equal(c[0].worker_col, 12);
	assert_int_equal(c[0].opened, S_date("2026-01-05"));
	assert_int_equal(c[0].closed, SUP_DATE_NONE);
	assert_int_equal(c[0].child_protection, 0);
	S_cases_free(c, n);
}

static void test_csv_bom_crlf_blank_lines(void **state)
{
	/* a spreadsheet's export: byte-order mark, CRLF, blank lines, and no
	 * line break at the end */
	static const char csv[] =
		"\xef\xbb\xbf" "child_protection,ref,opened,worker\r\n"
		"\r\n"
		"yes,C-1,2026-01-05,jsmith\r\n"
		"\r\n"
		"\r\n"
		"0,C-2,2026-02-05,akhan";
	struct sup_case *c;
	size_t n = 0;

	(void)state;
	c = S_csv_ok(csv, strlen(csv), &n);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].ref, "C-1");
	assert_string_equal(c[0].worker, "jsmith");	/* no '\r' kept */
	assert_int_equal(c[0].child_protection, 1);
	assert_int_equal(c[0].worker_line, 3);
	assert_int_equal(c[0].worker_col, 20);
	assert_string_equal(c[1].ref, "C-2");
	assert_string_equal(c[1].worker, "akhan");
	assert_int_equal(c[1].worker_line, 6);
	assert_int_equal(c[1].child_protection, 0);
	assert_int_equal(c[1].opened, S_date("2026-02-05"));
	S_cases_free(c, n);
}

static void test_csv_quoted_fields(void **state)
{
	/* quotes around any field; commas and doubled quotes inside them are
	 * data (here they make the reference invalid, which shows it) */
	static const char csv[] =
		"\"ref\",\"worker\",opened,closed\n"
		"\"C-1\",\"jsmith\",\"2026-01-05\",\"\"\n";
	static const char csv2[] =
		"ref,worker,opened\n"
		"\"C,1\",jsmith,2026-01-05\n"
		"\"say \"\"hi\"\"\",akhan,2026-01-05\n";
	static const char *const want[] = {
		"cases.csv:2:1: 'C,1' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')",
		"cases.csv:3:1: 'say \"hi\"' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')",
		NULL
	};
	struct sup_case *c;
	size_t n = 0;

	(void)state;
	c = S_csv_ok(csv, strlen(csv), &n);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].ref, "C-1");
	assert_string_equal(c[0].worker, "jsmith");
	assert_int_equal(c[0].worker_col, 7);
	assert_int_equal(c[0].opened, S_date("2026-01-05"));
	assert_int_equal(c[0].closed, SUP_DATE_NONE);
	S_cases_free(c, n);
	S_csv_bad(csv2, want);
}

static void test_csv_quoted_comma_in_worker_column(void **state)
{
	/* the comma inside quotes does not shift the columns after it */
	static const char csv[] =
		"ref,worker,opened,child_protection\n"
		"C-1,\"j,smith\",2026-01-05,maybe\n";
	static const char *const want[] = {
		"cases.csv:2:5: 'j,smith' is not a valid staff id",
		"cases.csv:2:26: child_protection must be true or false, not 'maybe'",
		NULL
	};

	(void)state;
	S_csv_bad(csv, want);
}

static void test_csv_header_only(void **state)
{
	static const char csv[] = "ref,worker,opened\n";
	struct sup_case *c;
	size_t n = 99;

	(void)state;
	c = S_csv_ok(csv, strlen(csv), &n);
	assert_null(c);
	assert_int_equal(n, 0);
}

/* ---- CSV: refused ---- */

static void test_csv_unknown_column(void **state)
{
	static const char *const want[] = {
		"cases.csv:1:15: unknown column 'team' (expected ref, worker, opened, closed, child_protection)",
		"cases.csv:1:20: unknown column 'Ref' (expected ref, worker, opened, closed, child_protection)",
		"cases.csv:1:1: the header row has no 'ref' column (a header row ref,worker,opened,closed,child_protection is required)",
		NULL
	};

	(void)state;
	S_csv_bad("worker,opened,team,Ref\njsmith,2026-01-05,a,C-1\n", want);
}

static void test_csv_missing_required(void **state)
{
	static const char *const want[] = {
		"cases.csv:1:1: the header row has no 'worker' column (a header row ref,worker,opened,closed,child_protection is required)",
		"cases.csv:1:1: the header row has no 'opened' column (a header row ref,worker,opened,closed,child_protection is required)",
		NULL
	};
	static const char *const empty[] = {
		"cases.csv:1:1: empty file: expected a header row ref,worker,opened,closed,child_protection",
		NULL
	};

	(void)state;
	S_csv_bad("ref,closed\nC-1,2026-01-05\n", want);
	S_csv_bad("", empty);
	S_csv_bad("\xef\xbb\xbf", empty);
}

static void test_csv_missing_field(void **state)
{
	static const char *const want[] = {
		"cases.csv:3:1: missing the 'opened' field",
		NULL
	};

	(void)state;
	S_csv_bad("ref,worker,opened\nC-1,jsmith,2026-01-05\nC-2,jsmith\n", want);
}

static void test_csv_bad_values(void **state)
{
	static const char *const want[] = {
		"cases.csv:2:12: opened: invalid date '2026-02-30': no day 30 in 2026-02",
		"cases.csv:3:1: 'a/b' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')",
		"cases.csv:4:5: 'JSmith' is not a valid staff id",
		"cases.csv:5:23: closed: invalid date '5/1/2026' (expected YYYY-MM-DD)",
		"cases.csv:6:1: '../x' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')",
		NULL
	};

	(void)state;
	S_csv_bad("ref,worker,opened,closed\n"
		  "C-1,jsmith,2026-02-30,\n"
		  "a/b,jsmith,2026-01-05,\n"
		  "C-3,JSmith,2026-01-05,\n"
		  "C-4,jsmith,2026-01-05,5/1/2026\n"
		  "../x,jsmith,2026-01-05,\n", want);
}

static void test_csv_duplicate_ref(void **state)
{
	static const char *const want[] = {
		"cases.csv:4:1: case C-1 appears twice",
		NULL
	};

	(void)state;
	S_csv_bad("ref,worker,opened\n"
		  "C-1,jsmith,2026-01-05\n"
		  "C-2,jsmith,2026-01-05\n"
		  "C-1,akhan,2026-02-05\n", want);
}

static void test_csv_unterminated_quote(void **state)
{
	/* the quote runs to the end of the file: its field and everything
	 * after it on the line are lost, so the row is short as well */
	static const char *const want[] = {
		"cases.csv:3:5: unterminated quoted field (a \" opened here is never closed)",
		"cases.csv:3:5: 'jsmith,2026-01-05' is not a valid staff id",
		"cases.csv:3:1: missing the 'opened' field",
		NULL
	};
	static const char *const in_header[] = {
		"cases.csv:1:5: unterminated quoted field (a \" opened here is never closed)",
		"cases.csv:1:5: unknown column 'worker,opened' (expected ref, worker, opened, closed, child_protection)",
		"cases.csv:1:1: the header row has no 'worker' column (a header row ref,worker,opened,closed,child_protection is required)",
		"cases.csv:1:1: the header row has no 'opened' column (a header row ref,worker,opened,closed,child_protection is required)",
		NULL
	};

	(void)state;
	S_csv_bad("ref,worker,opened\n"
		  "C-1,jsmith,2026-01-05\n"
		  "C-2,\"jsmith,2026-01-05", want);
	S_csv_bad("ref,\"worker,opened", in_header);
}

static void test_csv_not_utf8(void **state)
{
	static const char *const want[] = {
		"cases.csv:2:6: not valid UTF-8 text (save the export as UTF-8 CSV)",
		NULL
	};

	(void)state;
	S_csv_bad("ref,worker,opened\nC-1,j\xe9smith,2026-01-05\n", want);
}

/*
 * Once bugs in lib/admin.c sup_case_csv_parse, now fixed and guarded here:
 *   - a quoted field holding a line break shifts the line numbers of every
 *     later row back by one (the row's line is reset after the field);
 *   - an unterminated quote is placed on the last line of the file, at
 *     the column where the quote opened on an earlier line;
 *   - a header naming a column twice is accepted, and the later column
 *     silently wins.
 */
static void test_csv_known_bugs(void **state)
{
	static const char *const after_multiline[] = {
		"cases.csv:2:23: closed: invalid date '\n' (expected YYYY-MM-DD)",
		"cases.csv:4:5: 'Bad' is not a valid staff id",
		NULL
	};
	static const char *const unterminated[] = {
		"cases.csv:2:5: unterminated quoted field (a \" opened here is never closed)",
		NULL
	};
	struct sup_case *c = NULL;
	size_t n = 0;
	int rc;

	(void)state;
	S_csv_bad("ref,worker,opened,closed\n"
		  "C-1,jsmith,2026-01-05,\"\n\"\n"
		  "C-2,Bad,2026-01-05,\n", after_multiline);
	sup_diag_clear();
	rc = sup_case_csv_parse(&c, &n, "ref,worker,opened\nC-1,\"jsmith,\n2026-01-05\n",
				strlen("ref,worker,opened\nC-1,\"jsmith,\n2026-01-05\n"),
				S_CSV);
	assert_int_equal(rc, SUP_EINVALID);
	assert_string_equal(sup_diag_get(0), unterminated[0]);
	sup_diag_clear();
	rc = sup_case_csv_parse(&c, &n, "ref,ref,worker,opened\nC-1,C-2,jsmith,2026-01-05\n",
				strlen("ref,ref,worker,opened\nC-1,C-2,jsmith,2026-01-05\n"),
				S_CSV);
	S_cases_free(c, n);
	assert_int_equal(rc, SUP_EINVALID);
}

/* ---- sup_admin_read_key ---- */

static void test_read_key_pub_file(void **state)
{
	char *path = S_path("ed25519.pub"), *out = NULL;

	(void)state;
	assert_int_equal(sup_admin_read_key(&out, path), 0);
	/* the file's line, comment kept, newline dropped */
	assert_string_equal(out, S_ed25519);
	assert_true(sup_starts_with(out, "ssh-ed25519 AAAA"));
	assert_true(sup_ends_with(out, " jo@laptop"));
	free(out);
	free(path);
}

static void test_read_key_literal(void **state)
{
	char *out = NULL, *padded = sup_xasprintf("%s  \r\n", S_ecdsa);

	(void)state;
	assert_int_equal(sup_admin_read_key(&out, S_ecdsa), 0);
	assert_string_equal(out, S_ecdsa);
	free(out);
	out = NULL;
	/* trailing blanks and line ends are not part of the key */
	assert_int_equal(sup_admin_read_key(&out, padded), 0);
	assert_string_equal(out, S_ecdsa);
	free(out);
	free(padded);
}

static void test_read_key_openpgp(void **state)
{
	/* an armored OpenPGP key is taken as it is (gpg judges it later) */
	static const char block[] =
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
		"\n"
		"mDMEZQAAABYJKwYBBAHaRw8BAQdA\n"
		"-----END PGP PUBLIC KEY BLOCK-----";
	char *path = S_path("key.asc"), *file_text = sup_xasprintf("%s\n\n", block);
	char *out = NULL;

	(void)state;
	assert_int_equal(sup_write_file(path, file_text, strlen(file_text)), 0);
	assert_int_equal(sup_admin_read_key(&out, path), 0);
	assert_string_equal(out, block);
	free(out);
	free(path);
	free(file_text);
}

static void test_read_key_two_lines(void **state)
{
	char *path = S_path("two.pub"), *out = (char *)"sentinel";
	char *text = sup_xasprintf("%s\n%s\n", S_ed25519, S_ecdsa);
	char *want = sup_xasprintf("'%s' holds more than one line: give one public key", path);
	char *lit = sup_xasprintf("%s\n%s", S_ed25519, S_ecdsa);

	(void)state;
	assert_int_equal(sup_write_file(path, text, strlen(text)), 0);
	assert_int_equal(sup_admin_read_key(&out, path), SUP_EINVALID);
	assert_null(out);
	assert_string_equal(sup_error_last(), want);
	/* the same two lines given literally */
	out = (char *)"sentinel";
	assert_int_equal(sup_admin_read_key(&out, lit), SUP_EINVALID);
	assert_null(out);
	assert_true(sup_ends_with(sup_error_last(), "' holds more than one line: give one public key"));
	free(path);
	free(text);
	free(want);
	free(lit);
}

static void test_read_key_junk(void **state)
{
	char *out = (char *)"sentinel";
	char *empty = S_path("empty.pub");

	(void)state;
	assert_int_equal(sup_admin_read_key(&out, "not a key"), SUP_EINVALID);
	assert_null(out);
	assert_string_equal(sup_error_last(),
			    "'not a key': unsupported key type 'not' (give a public key line such as the contents of ~/.ssh/id_ed25519.pub, or that file)");
	assert_int_equal(sup_admin_read_key(&out, "ssh-ed25519 !!!!"), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "'ssh-ed25519 !!!!': malformed public key: bad base64 (give a public key line such as the contents of ~/.ssh/id_ed25519.pub, or that file)");
	assert_int_equal(sup_admin_read_key(&out, "ssh-ed25519"), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "'ssh-ed25519': public key 'ssh-ed25519' has no key data (give a public key line such as the contents of ~/.ssh/id_ed25519.pub, or that file)");
	/* a missing file is taken as a literal key, and refused as one */
	assert_int_equal(sup_admin_read_key(&out, "/nonexistent/id.pub"), SUP_EINVALID);
	assert_true(sup_starts_with(sup_error_last(), "'/nonexistent/id.pub': "));
	/* an empty file */
	assert_int_equal(sup_write_file(empty, "\n", 1), 0);
	assert_int_equal(sup_admin_read_key(&out, empty), SUP_EINVALID);
	assert_null(out);
	{
		char *want = sup_xasprintf("'%s': empty public key (give a public key line such as the contents of ~/.ssh/id_ed25519.pub, or that file)",
					   empty);

		assert_string_equal(sup_error_last(), want);
		free(want);
	}
	/* a private key file is not a public key */
	{
		char *priv = S_path("ed25519");

		assert_int_equal(sup_admin_read_key(&out, priv), SUP_EINVALID);
		assert_null(out);
		free(priv);
	}
	free(empty);
}

/* ---- sup_allowed_signers ---- */

/* The "TYPE BASE64" part of a key line (no comment); caller frees. */
static char *S_no_comment(const char *line)
{
	const char *sp = strchr(line, ' ');

	sp = strchr(sp + 1, ' ');
	return sp ? sup_xstrndup(line, (size_t)(sp - line)) : sup_xstrdup(line);
}

static void test_allowed_signers(void **state)
{
	static const char pgp[] =
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZQ==\n-----END PGP PUBLIC KEY BLOCK-----";
	char *akhan_keys[] = { NULL, (char *)pgp, (char *)"ssh-ed25519 garbage" };
	char *jsmith_keys[] = { NULL };
	char *nomail_keys[] = { NULL };
	struct sup_staff staff[4];
	struct sup_register reg;
	struct sup_buf out = SUP_BUF_INIT;
	char *ed = S_no_comment(S_ed25519), *ec = S_no_comment(S_ecdsa);
	char *want;

	(void)state;
	akhan_keys[0] = S_ecdsa;
	jsmith_keys[0] = S_ed25519;
	nomail_keys[0] = S_ecdsa;
	memset(staff, 0, sizeof(staff));
	memset(&reg, 0, sizeof(reg));
	staff[0].id = (char *)"akhan";
	staff[0].email = (char *)"aisha.khan@example.org";
	staff[0].keys = akhan_keys;
	staff[0].nkeys = 3;
	staff[1].id = (char *)"jsmith";
	staff[1].email = (char *)"jo.smith@example.org";
	staff[1].keys = jsmith_keys;
	staff[1].nkeys = 1;
	staff[2].id = (char *)"nomail";	/* no email: the id is the principal */
	staff[2].keys = nomail_keys;
	staff[2].nkeys = 1;
	staff[3].id = (char *)"zkeyless";
	staff[3].email = (char *)"z@example.org";
	reg.staff = staff;
	reg.nstaff = 4;

	sup_error_set(SUP_ERROR, "left over");
	sup_buf_puts(&out, "# kept\n");
	sup_allowed_signers(&out, &reg);
	want = sup_xasprintf("# kept\n"
			     "aisha.khan@example.org namespaces=\"git\" %s\n"
			     "jo.smith@example.org namespaces=\"git\" %s\n"
			     "nomail namespaces=\"git\" %s\n",
			     ec, ed, ec);
	assert_string_equal(sup_buf_cstr(&out), want);
	/* the key that did not parse leaves no error behind */
	assert_int_equal(sup_error_code(), 0);
	free(want);

	/* an empty register: nothing */
	sup_buf_truncate(&out, 0);
	reg.nstaff = 0;
	sup_allowed_signers(&out, &reg);
	assert_int_equal(out.len, 0);
	sup_buf_release(&out);
	free(ed);
	free(ec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_csv_plain),
		T(test_csv_header_any_order),
		T(test_csv_bom_crlf_blank_lines),
		T(test_csv_quoted_fields),
		T(test_csv_quoted_comma_in_worker_column),
		T(test_csv_header_only),
		T(test_csv_unknown_column),
		T(test_csv_missing_required),
		T(test_csv_missing_field),
		T(test_csv_bad_values),
		T(test_csv_duplicate_ref),
		T(test_csv_unterminated_quote),
		T(test_csv_not_utf8),
		T(test_csv_known_bugs),
		T(test_read_key_pub_file),
		T(test_read_key_literal),
		T(test_read_key_openpgp),
		T(test_read_key_two_lines),
		T(test_read_key_junk),
		T(test_allowed_signers),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
