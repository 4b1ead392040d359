/* Unit tests for lib/output: JSON, CSV, tables, colour and the pager. */
#define _XOPEN_SOURCE 700	/* posix_openpt and friends for the tty tests */

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "output.h"

/* Helpers */

static char S_tmpdir[] = "/tmp/sup-test-output.XXXXXX";

static int S_setup(void **state)
{
	(void)state;
	if (!mkdtemp(S_tmpdir))
		return -1;
	return 0;
}

static int S_teardown(void **state)
{
	char *cmd = sup_xasprintf("rm -rf '%s'", S_tmpdir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *S_path(const char *name)
{
	return sup_xasprintf("%s/%s", S_tmpdir, name);
}

static char *S_slurp(const char *path)
{
	struct sup_buf b = SUP_BUF_INIT;

	assert_int_equal(sup_read_file(&b, path, SUP_MAX_FILE), 0);
	return sup_buf_detach(&b);
}

/* Standard output redirected to a file, and put back. */
struct capture {
	int saved;
	char *path;
};

static void S_capture_start(struct capture *c, const char *name)
{
	int fd;

	c->path = S_path(name);
	fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	fflush(stdout);
	c->saved = dup(STDOUT_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	close(fd);
}

/* Returns what was written; caller frees. */
static char *S_capture_end(struct capture *c)
{
	char *text;

	fflush(stdout);
	dup2(c->saved, STDOUT_FILENO);
	close(c->saved);
	text = S_slurp(c->path);
	free(c->path);
	return text;
}

/* A pseudo-terminal so that the "on a terminal" paths can be tested
 * without one.  Output post-processing is off so that "\n" stays "\n". */
struct pty {
	int master, slave;
};

static int S_pty_open(struct pty *p)
{
	struct termios tio;
	char *name;

	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (p->master < 0)
		return -1;
	if (grantpt(p->master) < 0 || unlockpt(p->master) < 0 ||
	    !(name = ptsname(p->master))) {
		close(p->master);
		return -1;
	}
	p->slave = open(name, O_RDWR | O_NOCTTY);
	if (p->slave < 0) {
		close(p->master);
		return -1;
	}
	if (tcgetattr(p->slave, &tio) == 0) {
		tio.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(p->slave, TCSANOW, &tio);
	}
	return 0;
}

static void S_pty_close(struct pty *p)
{
	close(p->slave);
	close(p->master);
}

/* Everything the pty has to give within a short wait; caller frees. */
static char *S_pty_drain(struct pty *p)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct pollfd pfd;
	char tmp[4096];
	ssize_t n;

	pfd.fd = p->master;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 200) > 0) {
		n = read(p->master, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		sup_buf_put(&b, tmp, (size_t)n);
	}
	return sup_buf_detach(&b);
}

/* sup_format_parse */

static void test_format_parse(void **state)
{
	enum sup_format f = SUP_FORMAT_CSV;

	(void)state;
	assert_int_equal(sup_format_parse(&f, "text"), 0);
	assert_int_equal(f, SUP_FORMAT_TEXT);
	assert_int_equal(sup_format_parse(&f, "json"), 0);
	assert_int_equal(f, SUP_FORMAT_JSON);
	assert_int_equal(sup_format_parse(&f, "csv"), 0);
	assert_int_equal(f, SUP_FORMAT_CSV);
	assert_int_equal(sup_format_parse(&f, "JSON"), SUP_EUSAGE);
	assert_int_equal(sup_format_parse(&f, "yaml"), SUP_EUSAGE);
	assert_non_null(strstr(sup_error_last(), "'yaml'"));
	assert_int_equal(sup_format_parse(&f, ""), SUP_EUSAGE);
	assert_int_equal(sup_format_parse(&f, NULL), SUP_EUSAGE);
	assert_int_equal(f, SUP_FORMAT_CSV);
	sup_error_clear();
}

/* JSON */

static void test_json_simple(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	(void)state;
	sup_json_init(&j, &b);
	sup_json_begin_object(&j);
	sup_json_key(&j, "a");
	sup_json_int(&j, 1);
	sup_json_key(&j, "b");
	sup_json_begin_array(&j);
	sup_json_bool(&j, 1);
	sup_json_null(&j);
	sup_json_string(&j, "x");
	sup_json_end_array(&j);
	sup_json_end_object(&j);
	sup_json_finish(&j);
	assert_string_equal(sup_buf_cstr(&b), "{\"a\":1,\"b\":[true,null,\"x\"]}\n");
	sup_buf_release(&b);
}

static void test_json_nested(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	(void)state;
	sup_json_init(&j, &b);
	sup_json_begin_array(&j);
	sup_json_begin_object(&j);
	sup_json_end_object(&j);
	sup_json_begin_array(&j);
	sup_json_end_array(&j);
	sup_json_begin_object(&j);
	sup_json_key(&j, "id");
	sup_json_string(&j, "2026-01-05-jsmith");
	sup_json_key(&j, "signed");
	sup_json_bool(&j, 0);
	sup_json_key(&j, "case");
	sup_json_string(&j, NULL);
	sup_json_key(&j, "n");
	sup_json_int(&j, -9223372036854775807LL - 1);
	sup_json_key(&j, "with");
	sup_json_begin_array(&j);
	sup_json_begin_object(&j);
	sup_json_key(&j, "id");
	sup_json_string(&j, "amy");
	sup_json_end_object(&j);
	sup_json_begin_object(&j);
	sup_json_key(&j, "id");
	sup_json_string(&j, "bob");
	sup_json_key(&j, "tags");
	sup_json_begin_array(&j);
	sup_json_int(&j, 0);
	sup_json_begin_array(&j);
	sup_json_int(&j, 1);
	sup_json_end_array(&j);
	sup_json_end_array(&j);
	sup_json_end_object(&j);
	sup_json_end_array(&j);
	sup_json_key(&j, "empty");
	sup_json_begin_object(&j);
	sup_json_end_object(&j);
	sup_json_end_object(&j);
	sup_json_end_array(&j);
	sup_json_finish(&j);
	assert_string_equal(sup_buf_cstr(&b),
		"[{},[],{\"id\":\"2026-01-05-jsmith\",\"signed\":false,"
		"\"case\":null,\"n\":-9223372036854775808,"
		"\"with\":[{\"id\":\"amy\"},{\"id\":\"bob\",\"tags\":[0,[1]]}],"
		"\"empty\":{}}]\n");
	sup_buf_release(&b);
}

/* The writer appends: what is in the buffer already stays. */
static void test_json_appends(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	(void)state;
	sup_buf_puts(&b, "x=");
	sup_json_init(&j, &b);
	sup_json_string(&j, "y");
	sup_json_finish(&j);
	assert_string_equal(sup_buf_cstr(&b), "x=\"y\"\n");
	sup_buf_release(&b);
}

static void test_json_escape_controls(void **state)
{
	struct sup_buf in = SUP_BUF_INIT, want = SUP_BUF_INIT;
	struct sup_buf out = SUP_BUF_INIT;
	int c;

	(void)state;
	sup_buf_putc(&want, '"');
	for (c = 1; c < 0x20; c++) {
		sup_buf_putc(&in, c);
		switch (c) {
		case '\b': sup_buf_puts(&want, "\\b"); break;
		case '\t': sup_buf_puts(&want, "\\t"); break;
		case '\n': sup_buf_puts(&want, "\\n"); break;
		case '\f': sup_buf_puts(&want, "\\f"); break;
		case '\r': sup_buf_puts(&want, "\\r"); break;
		default: sup_buf_printf(&want, "\\u%04x", c); break;
		}
	}
	sup_buf_putc(&want, '"');
	sup_json_quote(&out, sup_buf_cstr(&in));
	assert_string_equal(sup_buf_cstr(&out), sup_buf_cstr(&want));
	/* spot checks, so that the test does not only mirror the code */
	assert_non_null(strstr(sup_buf_cstr(&out), "\\u0001"));
	assert_non_null(strstr(sup_buf_cstr(&out), "\\u001f"));
	assert_non_null(strstr(sup_buf_cstr(&out), "\\u000b"));
	assert_null(strchr(sup_buf_cstr(&out), '\n'));
	sup_buf_release(&in);
	sup_buf_release(&want);
	sup_buf_release(&out);
}

static void test_json_escape_quotes(void **state)
{
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	sup_json_quote(&out, "say \"hi\" C:\\dir\\ / \x7f");
	assert_string_equal(sup_buf_cstr(&out),
			    "\"say \\\"hi\\\" C:\\\\dir\\\\ / \x7f\"");
	sup_buf_truncate(&out, 0);
	sup_json_quote(&out, "");
	assert_string_equal(sup_buf_cstr(&out), "\"\"");
	sup_buf_truncate(&out, 0);
	sup_json_quote(&out, "\\\"");
	assert_string_equal(sup_buf_cstr(&out), "\"\\\\\\\"\"");
	sup_buf_release(&out);
}

static void test_json_keys_escaped(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	(void)state;
	sup_json_init(&j, &b);
	sup_json_begin_object(&j);
	sup_json_key(&j, "a\"b\n");
	sup_json_string(&j, "v");
	sup_json_end_object(&j);
	sup_json_finish(&j);
	assert_string_equal(sup_buf_cstr(&b), "{\"a\\\"b\\n\":\"v\"}\n");
	sup_buf_release(&b);
}

static void test_json_utf8(void **state)
{
	struct sup_buf out = SUP_BUF_INIT;

	(void)state;
	/* 2-, 3- and 4-byte sequences pass through unchanged */
	sup_json_quote(&out, "Zo\xc3\xab \xe2\x9c\x93 \xf0\x9f\x98\x80 \xef\xbf\xbf");
	assert_string_equal(sup_buf_cstr(&out),
			    "\"Zo\xc3\xab \xe2\x9c\x93 \xf0\x9f\x98\x80 \xef\xbf\xbf\"");
	/* what is not UTF-8 cannot go into a JSON text */
	sup_buf_truncate(&out, 0);
	sup_json_quote(&out, "a\xff" "b\xc3" "c\xed\xa0\x80" "d\xc0\xaf");
	assert_string_equal(sup_buf_cstr(&out),
			    "\"a\\ufffdb\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd\\ufffd\"");
	/* truncated at the end of the string */
	sup_buf_truncate(&out, 0);
	sup_json_quote(&out, "x\xe2\x9c");
	assert_string_equal(sup_buf_cstr(&out), "\"x\\ufffd\\ufffd\"");
	sup_buf_release(&out);
}

static void test_json_depth_63(void **state)
{
	struct sup_buf b = SUP_BUF_INIT, want = SUP_BUF_INIT;
	struct sup_json j;
	int i;

	(void)state;
	sup_json_init(&j, &b);
	for (i = 0; i < 63; i++) {
		sup_json_begin_array(&j);
		sup_buf_putc(&want, '[');
	}
	sup_json_int(&j, 7);
	sup_buf_putc(&want, '7');
	for (i = 0; i < 63; i++) {
		sup_json_end_array(&j);
		sup_buf_putc(&want, ']');
	}
	sup_json_finish(&j);
	sup_buf_putc(&want, '\n');
	assert_string_equal(sup_buf_cstr(&b), sup_buf_cstr(&want));
	sup_buf_release(&b);
	sup_buf_release(&want);
}

/* Runs f in a child and says whether it died of SIGABRT. */
static int S_aborts(void (*f)(void))
{
	int status, devnull;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		f();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void S_too_deep(void)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;
	int i;

	sup_json_init(&j, &b);
	for (i = 0; i < 64; i++)
		sup_json_begin_object(&j);
}

static void S_end_without_begin(void)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	sup_json_init(&j, &b);
	sup_json_end_array(&j);
}

static void S_finish_open(void)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	sup_json_init(&j, &b);
	sup_json_begin_array(&j);
	sup_json_finish(&j);
}

static void S_fine(void)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_json j;

	sup_json_init(&j, &b);
	sup_json_begin_array(&j);
	sup_json_end_array(&j);
	sup_json_finish(&j);
	sup_buf_release(&b);
}

static void test_json_misuse_aborts(void **state)
{
	(void)state;
	assert_true(S_aborts(S_too_deep));
	assert_true(S_aborts(S_end_without_begin));
	assert_true(S_aborts(S_finish_open));
	assert_false(S_aborts(S_fine));
}

/* CSV */

static char *S_csv_row(const char *const *fields, size_t n)
{
	struct sup_buf b = SUP_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		sup_csv_field(&b, fields[i], i + 1 == n);
	return sup_buf_detach(&b);
}

static void test_csv_plain(void **state)
{
	const char *const row[] = { "id", "date", "Zo\xc3\xab Smith", "" };
	char *s;

	(void)state;
	s = S_csv_row(row, SUP_ARRAY_SIZE(row));
	assert_string_equal(s, "id,date,Zo\xc3\xab Smith,\n");
	free(s);
}

static void test_csv_quoting(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;

	(void)state;
	sup_csv_field(&b, "a,b", 0);
	sup_csv_field(&b, "say \"hi\"", 0);
	sup_csv_field(&b, "two\nlines", 0);
	sup_csv_field(&b, "cr\rhere", 0);
	sup_csv_field(&b, "\"", 0);
	sup_csv_field(&b, NULL, 0);
	sup_csv_field(&b, "x y;z'", 1);
	assert_string_equal(sup_buf_cstr(&b),
		"\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\","
		"\"\"\"\",,x y;z'\n");
	sup_buf_release(&b);
}

static void test_csv_formula(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;

	(void)state;
	sup_csv_field(&b, "=SUM(A1)", 1);
	sup_csv_field(&b, "+1", 1);
	sup_csv_field(&b, "-1", 1);	/* a plain number is data */
	sup_csv_field(&b, "-1+cmd|x", 1);
	sup_csv_field(&b, "@cmd", 1);
	sup_csv_field(&b, "\t=x", 1);
	sup_csv_field(&b, "=HYPERLINK(\"u\",\"a,b\")", 1);
	/* only a leading sign is a formula */
	sup_csv_field(&b, "a=b", 1);
	assert_string_equal(sup_buf_cstr(&b),
		"\"'=SUM(A1)\"\n"
		"\"'+1\"\n"
		"-1\n"
		"\"'-1+cmd|x\"\n"
		"\"'@cmd\"\n"
		"\"'\t=x\"\n"
		"\"'=HYPERLINK(\"\"u\"\",\"\"a,b\"\")\"\n"
		"a=b\n");
	sup_buf_release(&b);
}

/* Tables */

static void test_display_width(void **state)
{
	(void)state;
	assert_int_equal(sup_display_width(""), 0);
	assert_int_equal(sup_display_width(NULL), 0);
	assert_int_equal(sup_display_width("abc"), 3);
	assert_int_equal(sup_display_width("Zo\xc3\xab"), 3);
	assert_int_equal(sup_display_width("\xe2\x9c\x93\xf0\x9f\x98\x80"), 2);
}

static void S_fill(struct sup_table *t)
{
	const char *const head[] = { "ID", "NAME", "DUE" };
	const char *const r1[] = { "zoe", "Zo\xc3\xab Smith", "2026-02-01" };
	const char *const r2[] = { "jsmith", "Jo", "overdue" };

	sup_table_add(t, head, NULL);
	sup_table_add(t, r1, NULL);
	sup_table_add(t, r2, "31");
}

static void test_table_align(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_table t;

	(void)state;
	sup_table_init(&t, 3);
	S_fill(&t);
	sup_table_write(&b, &t, 0);
	assert_string_equal(sup_buf_cstr(&b),
		"ID      NAME       DUE\n"
		"zoe     Zo\xc3\xab Smith  2026-02-01\n"
		"jsmith  Jo         overdue\n");
	sup_table_release(&t);
	sup_buf_release(&b);
}

static void test_table_colour(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_table t;

	(void)state;
	sup_table_init(&t, 3);
	S_fill(&t);
	sup_table_write(&b, &t, 1);
	assert_string_equal(sup_buf_cstr(&b),
		"ID      NAME       DUE\n"
		"zoe     Zo\xc3\xab Smith  2026-02-01\n"
		"\033[31mjsmith  Jo         overdue\033[m\n");
	sup_table_release(&t);
	sup_buf_release(&b);
}

static void test_table_no_trailing_spaces(void **state)
{
	const char *const r1[] = { "a", "", NULL };
	const char *const r2[] = { "bbbb", "cc", "d" };
	const char *const r3[] = { "", "", "" };
	const char *const r4[] = { NULL, "x", NULL };
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_table t;

	(void)state;
	sup_table_init(&t, 3);
	sup_table_add(&t, r1, NULL);
	sup_table_add(&t, r2, NULL);
	sup_table_add(&t, r3, "1");
	sup_table_add(&t, r4, NULL);
	sup_table_write(&b, &t, 1);
	assert_string_equal(sup_buf_cstr(&b),
		"a\n"
		"bbbb  cc  d\n"
		"\033[1m\033[m\n"
		"      x\n");
	sup_table_release(&t);
	sup_buf_release(&b);
}

static void test_table_sanitises(void **state)
{
	const char *const r1[] = { "a\033[2Jb", "x\ny", ("c\xc2\x9b" "d\xff") };
	const char *const r2[] = { "1", "2", "3" };
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_table t;

	(void)state;
	sup_table_init(&t, 3);
	sup_table_add(&t, r1, NULL);
	sup_table_add(&t, r2, NULL);
	sup_table_write(&b, &t, 0);
	assert_string_equal(sup_buf_cstr(&b),
		"a?[2Jb  x?y  c?d?\n"
		"1       2    3\n");
	sup_table_release(&t);
	sup_buf_release(&b);
}

static void test_table_many_rows(void **state)
{
	struct sup_buf b = SUP_BUF_INIT, want = SUP_BUF_INIT;
	struct sup_table t;
	char num[32];
	int i;

	(void)state;
	sup_table_init(&t, 2);
	for (i = 0; i < 1000; i++) {
		const char *row[2];

		snprintf(num, sizeof(num), "%d", i);
		row[0] = num;
		row[1] = "v";
		sup_table_add(&t, row, i % 2 ? "2" : NULL);
		sup_buf_printf(&want, "%-3d  v\n", i);
	}
	assert_int_equal(t.nrows, 1000);
	sup_table_write(&b, &t, 0);
	assert_string_equal(sup_buf_cstr(&b), sup_buf_cstr(&want));
	sup_table_release(&t);
	sup_buf_release(&b);
	sup_buf_release(&want);
}

static void test_table_empty(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_table t;

	(void)state;
	sup_table_init(&t, 4);
	sup_table_write(&b, &t, 1);
	assert_string_equal(sup_buf_cstr(&b), "");
	sup_table_release(&t);
	sup_buf_release(&b);
}

/* Colour */

static void test_colour_not_a_tty(void **state)
{
	FILE *f;
	int fd[2];

	(void)state;
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_int_equal(sup_use_colour(f), 0);
	fclose(f);
	assert_int_equal(pipe(fd), 0);
	f = fdopen(fd[1], "w");
	assert_non_null(f);
	assert_int_equal(sup_use_colour(f), 0);
	fclose(f);
	close(fd[0]);
	assert_int_equal(sup_use_colour(NULL), 0);
}

static void test_colour_tty(void **state)
{
	struct pty p;
	FILE *f;

	(void)state;
	if (S_pty_open(&p) < 0)
		skip();
	f = fdopen(dup(p.slave), "w");
	assert_non_null(f);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	assert_int_equal(sup_use_colour(f), 1);
	setenv("NO_COLOR", "", 1);	/* empty: no effect, per no-color.org */
	assert_int_equal(sup_use_colour(f), 1);
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(sup_use_colour(f), 0);
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	assert_int_equal(sup_use_colour(f), 0);
	setenv("TERM", "xterm", 1);
	fclose(f);
	S_pty_close(&p);
}

static void test_colour_no_color(void **state)
{
	(void)state;
	setenv("NO_COLOR", "yes", 1);
	setenv("TERM", "xterm", 1);
	assert_int_equal(sup_use_colour(stdout), 0);
	assert_int_equal(sup_use_colour(stderr), 0);
	unsetenv("NO_COLOR");
}

/* The pager */

static const char S_text[] = "line one\nZo\xc3\xab\n\033[31mred\033[m\n";

static void test_page_not_a_tty(void **state)
{
	struct capture c;
	char *got;

	(void)state;
	setenv("PAGER", "false", 1);	/* must not be run */
	S_capture_start(&c, "page1");
	assert_int_equal(sup_page(S_text, strlen(S_text)), 0);
	got = S_capture_end(&c);
	assert_string_equal(got, S_text);
	free(got);

	/* text with a NUL in it goes out as given */
	S_capture_start(&c, "page2");
	assert_int_equal(sup_page("a\0b", 3), 0);
	got = S_capture_end(&c);
	assert_memory_equal(got, "a\0b", 3);
	free(got);

	/* stdio output before the call keeps its place */
	S_capture_start(&c, "page3");
	fputs("before\n", stdout);
	assert_int_equal(sup_page("after\n", 6), 0);
	got = S_capture_end(&c);
	assert_string_equal(got, "before\nafter\n");
	free(got);
	unsetenv("PAGER");
}

/* Runs sup_page with stdout on a pty, with PAGER set to pager (NULL:
 * unset).  Returns what reached the terminal; caller frees. */
static char *S_page_on_tty(struct pty *p, const char *pager)
{
	int saved;
	char *got;

	if (pager)
		setenv("PAGER", pager, 1);
	else
		unsetenv("PAGER");
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	dup2(p->slave, STDOUT_FILENO);
	assert_int_equal(sup_page(S_text, strlen(S_text)), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	got = S_pty_drain(p);
	unsetenv("PAGER");
	return got;
}

static void test_page_tty_pager(void **state)
{
	char *pager, *got, *seen, *less, *path;
	struct pty p;

	(void)state;
	if (S_pty_open(&p) < 0)
		skip();
	path = S_path("paged");
	less = S_path("less");
	pager = sup_xasprintf("printf %%s \"$LESS\" > '%s'; cat > '%s'",
			      less, path);

	unsetenv("LESS");
	got = S_page_on_tty(&p, pager);
	assert_string_equal(got, "");	/* it all went to the pager */
	free(got);
	seen = S_slurp(path);
	assert_string_equal(seen, S_text);
	free(seen);
	seen = S_slurp(less);
	assert_string_equal(seen, "FRX");
	free(seen);
	assert_null(getenv("LESS"));	/* the parent's is untouched */

	/* a LESS of the user's own is left alone */
	setenv("LESS", "-R", 1);
	got = S_page_on_tty(&p, pager);
	free(got);
	seen = S_slurp(less);
	assert_string_equal(seen, "-R");
	free(seen);
	unsetenv("LESS");

	free(pager);
	free(path);
	free(less);
	S_pty_close(&p);
}

static void test_page_tty_pager_quits_early(void **state)
{
	struct sup_buf big = SUP_BUF_INIT;
	struct sigaction before, after;
	struct pty p;
	int saved;
	size_t i;

	(void)state;
	if (S_pty_open(&p) < 0)
		skip();
	/* larger than a pipe buffer, so the write meets EPIPE */
	for (i = 0; i < 20000; i++)
		sup_buf_puts(&big, "0123456789abcdef\n");
	/* nothing should reach the terminal; were it written there directly,
	 * a full pty would block the test for ever rather than fail it */
	fcntl(p.slave, F_SETFL, fcntl(p.slave, F_GETFL) | O_NONBLOCK);
	assert_int_equal(sigaction(SIGPIPE, NULL, &before), 0);
	setenv("PAGER", "true", 1);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(p.slave, STDOUT_FILENO);
	assert_int_equal(sup_page(big.ptr, big.len), 0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	/* SIGPIPE is back as it was */
	assert_int_equal(sigaction(SIGPIPE, NULL, &after), 0);
	assert_true(after.sa_handler == before.sa_handler);
	unsetenv("PAGER");
	sup_buf_release(&big);
	S_pty_close(&p);
}

static void test_page_tty_no_pager(void **state)
{
	struct pty p;
	char *got;
	int saved_err, devnull;

	(void)state;
	if (S_pty_open(&p) < 0)
		skip();
	got = S_page_on_tty(&p, "");
	assert_string_equal(got, S_text);
	free(got);
	got = S_page_on_tty(&p, "cat");
	assert_string_equal(got, S_text);
	free(got);

	/* a pager that cannot be found still lets the text through; the
	 * shell's complaint is kept out of the test output */
	fflush(stderr);
	saved_err = dup(STDERR_FILENO);
	devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, STDERR_FILENO);
	close(devnull);
	got = S_page_on_tty(&p, "/nonexistent/sup-pager");
	dup2(saved_err, STDERR_FILENO);
	close(saved_err);
	assert_string_equal(got, S_text);
	free(got);
	S_pty_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_json_simple),
		cmocka_unit_test(test_json_nested),
		cmocka_unit_test(test_json_appends),
		cmocka_unit_test(test_json_escape_controls),
		cmocka_unit_test(test_json_escape_quotes),
		cmocka_unit_test(test_json_keys_escaped),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_json_depth_63),
		cmocka_unit_test(test_json_misuse_aborts),
		cmocka_unit_test(test_csv_plain),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_table_align),
		cmocka_unit_test(test_table_colour),
		cmocka_unit_test(test_table_no_trailing_spaces),
		cmocka_unit_test(test_table_sanitises),
		cmocka_unit_test(test_table_many_rows),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test(test_colour_not_a_tty),
		cmocka_unit_test(test_colour_tty),
		cmocka_unit_test(test_colour_no_color),
		cmocka_unit_test(test_page_not_a_tty),
		cmocka_unit_test(test_page_tty_pager),
		cmocka_unit_test(test_page_tty_pager_quits_early),
		cmocka_unit_test(test_page_tty_no_pager),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
