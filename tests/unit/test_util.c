/* Unit tests for lib/util: buffers, files, identifiers, UTF-8. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

static char S_tmpdir[] = "/tmp/sup-test-util.XXXXXX";

static int S_setup(void **state)
{
	(void)state;
	return mkdtemp(S_tmpdir) ? 0 : -1;
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

static void S_put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int S_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Allocation and buffers */

static void test_xstrdup(void **state)
{
	char *s;

	(void)state;
	s = sup_xstrdup("abc");
	assert_string_equal(s, "abc");
	free(s);
	s = sup_xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = sup_xasprintf("%s-%d", "x", 42);
	assert_string_equal(s, "x-42");
	free(s);
	s = sup_xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
}

static void test_buf_empty(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(sup_buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	s = sup_buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	assert_null(b.ptr);
	/* adding nothing still gives a terminated string */
	sup_buf_put(&b, "", 0);
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	sup_buf_release(&b);
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	sup_buf_release(&b);	/* twice is harmless */
}

static void test_buf_growth(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		sup_buf_putc(&b, 'a' + (int)(i % 26));
		assert_true(b.cap > b.len);
		assert_int_equal(b.ptr[b.len], '\0');
	}
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(b.ptr), 10000);
	for (i = 0; i < 10000; i++)
		assert_int_equal(b.ptr[i], 'a' + (int)(i % 26));
	/* a large put in one go */
	{
		char *big = sup_xmalloc(100000);

		memset(big, 'z', 100000);
		sup_buf_put(&b, big, 100000);
		free(big);
	}
	assert_int_equal(b.len, 110000);
	assert_int_equal(b.ptr[109999], 'z');
	assert_int_equal(b.ptr[110000], '\0');
	sup_buf_release(&b);
}

static void test_buf_binary(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;

	(void)state;
	sup_buf_put(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.ptr, "a\0b", 4);
	sup_buf_release(&b);
}

static void test_buf_printf(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *long_str;
	size_t i;

	(void)state;
	sup_buf_printf(&b, "%s", "");
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	sup_buf_printf(&b, "%d:%s", 7, "x");
	sup_buf_puts(&b, "|");
	sup_buf_printf(&b, "%05.1f", 2.5);
	assert_string_equal(sup_buf_cstr(&b), "7:x|002.5");
	/* longer than any first allocation */
	long_str = sup_xmalloc(501);
	for (i = 0; i < 500; i++)
		long_str[i] = (char)('0' + i % 10);
	long_str[500] = '\0';
	sup_buf_printf(&b, "[%s]", long_str);
	assert_int_equal(b.len, 9 + 502);
	assert_int_equal(strlen(b.ptr), b.len);
	assert_memory_equal(b.ptr + 10, long_str, 500);
	assert_int_equal(b.ptr[b.len - 1], ']');
	free(long_str);
	sup_buf_release(&b);
}

static void test_buf_truncate_detach(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *s;

	(void)state;
	sup_buf_puts(&b, "hello world");
	sup_buf_truncate(&b, 5);
	assert_string_equal(sup_buf_cstr(&b), "hello");
	sup_buf_truncate(&b, 50);	/* longer: no change */
	assert_string_equal(sup_buf_cstr(&b), "hello");
	s = sup_buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_string_equal(sup_buf_cstr(&b), "");
	/* the buffer is usable again after a detach */
	sup_buf_puts(&b, "again");
	assert_string_equal(sup_buf_cstr(&b), "again");
	free(s);
	sup_buf_release(&b);
}

/* Files */

static void test_read_file(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *path = S_path("r.txt");
	char data[100];

	(void)state;
	memset(data, 'q', sizeof(data));
	data[50] = '\0';
	S_put_file(path, data, sizeof(data));
	assert_int_equal(sup_read_file(&b, path, 100), 0);
	assert_int_equal(b.len, 100);
	assert_memory_equal(b.ptr, data, 100);
	/* appends */
	assert_int_equal(sup_read_file(&b, path, 100), 0);
	assert_int_equal(b.len, 200);
	sup_buf_release(&b);
	free(path);
}

static void test_read_file_limit(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *path = S_path("big.txt");
	char *data = sup_xmalloc(200000);

	(void)state;
	memset(data, 'x', 200000);
	S_put_file(path, data, 200000);
	sup_buf_puts(&b, "keep");
	assert_int_equal(sup_read_file(&b, path, 199999), SUP_EINVALID);
	assert_non_null(strstr(sup_error_last(), "larger than 199999 bytes"));
	assert_true(sup_starts_with(sup_error_last(), path));
	/* nothing of a refused file is left behind */
	assert_string_equal(sup_buf_cstr(&b), "keep");
	assert_int_equal(sup_read_file(&b, path, 200000), 0);
	assert_int_equal(b.len, 200004);
	free(data);
	free(path);
	sup_buf_release(&b);
	sup_error_clear();
}

static void test_read_file_empty(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *path = S_path("empty.txt");

	(void)state;
	S_put_file(path, "", 0);
	assert_int_equal(sup_read_file(&b, path, 10), 0);
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	sup_buf_release(&b);
	free(path);
}

static void test_read_file_missing(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *path = S_path("no-such-file");

	(void)state;
	assert_int_equal(sup_read_file(&b, path, 10), SUP_ENOTFOUND);
	assert_non_null(strstr(sup_error_last(), "no-such-file"));
	assert_null(b.ptr);
	/* a directory is not a file */
	assert_int_equal(sup_read_file(&b, S_tmpdir, 10), SUP_EINVALID);
	assert_null(b.ptr);
	free(path);
	sup_error_clear();
}

static void test_write_file(void **state)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *path = S_path("w/a/b/c.txt");
	char *dir = S_path("w/a/b");
	char *tmp;

	(void)state;
	assert_int_equal(sup_write_file(path, "one\n", 4), 0);
	assert_true(S_is_dir(dir));
	assert_int_equal(sup_read_file(&b, path, 100), 0);
	assert_string_equal(sup_buf_cstr(&b), "one\n");
	/* replacing, and no temporary file left behind */
	assert_int_equal(sup_write_file(path, "two", 3), 0);
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_read_file(&b, path, 100), 0);
	assert_string_equal(sup_buf_cstr(&b), "two");
	tmp = sup_xasprintf("%s.sup-tmp.%ld", path, (long)getpid());
	assert_int_not_equal(access(tmp, F_OK), 0);
	free(tmp);
	/* empty data */
	assert_int_equal(sup_write_file(path, "", 0), 0);
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_read_file(&b, path, 100), 0);
	assert_int_equal(b.len, 0);
	sup_buf_release(&b);
	free(path);
	free(dir);
}

static void test_write_file_blocked(void **state)
{
	char *file = S_path("blocker");
	char *path = S_path("blocker/x.txt");

	(void)state;
	S_put_file(file, "x", 1);
	assert_int_equal(sup_write_file(path, "y", 1), SUP_ERROR);
	assert_non_null(strstr(sup_error_last(), "blocker"));
	free(file);
	free(path);
	sup_error_clear();
}

static void test_mkdir_p(void **state)
{
	char *deep = S_path("m/1/2/3");
	char *slash = S_path("m/4/");
	char *doubled = S_path("m//5");

	(void)state;
	assert_int_equal(sup_mkdir_p(deep), 0);
	assert_true(S_is_dir(deep));
	assert_int_equal(sup_mkdir_p(deep), 0);	/* already there */
	assert_int_equal(sup_mkdir_p(slash), 0);
	assert_true(S_is_dir(slash));
	assert_int_equal(sup_mkdir_p(doubled), 0);
	assert_true(S_is_dir(doubled));
	assert_int_equal(sup_mkdir_p(S_tmpdir), 0);
	assert_int_equal(sup_mkdir_p("/"), 0);
	assert_int_equal(sup_mkdir_p(""), SUP_ERROR);
	free(deep);
	free(slash);
	free(doubled);
	sup_error_clear();
}

static void test_mkdir_p_file_in_the_way(void **state)
{
	char *file = S_path("f");
	char *below = S_path("f/g/h");
	char *want;

	(void)state;
	S_put_file(file, "x", 1);
	assert_int_equal(sup_mkdir_p(below), SUP_ERROR);
	want = sup_xasprintf("cannot create directory '%s': a file is in the way",
			     file);
	assert_string_equal(sup_error_last(), want);
	assert_int_equal(sup_mkdir_p(file), SUP_ERROR);
	assert_string_equal(sup_error_last(), want);
	free(want);
	free(file);
	free(below);
	sup_error_clear();
}

/* Strings */

static void test_starts_ends(void **state)
{
	(void)state;
	assert_true(sup_starts_with("records/2026", "records/"));
	assert_true(sup_starts_with("abc", ""));
	assert_false(sup_starts_with("ab", "abc"));
	assert_false(sup_starts_with("xabc", "abc"));
	assert_true(sup_ends_with("note.md", ".md"));
	assert_true(sup_ends_with("md", ""));
	assert_false(sup_ends_with("md", ".md"));
	assert_false(sup_ends_with("note.mdx", ".md"));
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(sup_edit_distance("", ""), 0);
	assert_int_equal(sup_edit_distance("abc", ""), 3);
	assert_int_equal(sup_edit_distance("", "abcd"), 4);
	assert_int_equal(sup_edit_distance("jsmith", "jsmith"), 0);
	assert_int_equal(sup_edit_distance("jsmth", "jsmith"), 1);
	assert_int_equal(sup_edit_distance("jsmith", "jsmth"), 1);
	assert_int_equal(sup_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(sup_edit_distance("flaw", "lawn"), 2);
	/* no transpositions: a swap costs two */
	assert_int_equal(sup_edit_distance("ab", "ba"), 2);
	assert_int_equal(sup_edit_distance("sign", "sing"), 2);
}

/* UTF-8 */

static void S_bad_utf8(const char *data, size_t len, int line, int col)
{
	int l = -1, c = -1;

	assert_int_equal(sup_check_utf8(data, len, &l, &c), SUP_EINVALID);
	assert_int_equal(l, line);
	assert_int_equal(c, col);
}

static void test_utf8_valid(void **state)
{
	static const char ok[] =
		"Zo\xc3\xab\n"			/* 2 bytes */
		"\xe2\x9c\x93 \xe0\xa0\x80\n"	/* 3 bytes, smallest */
		"\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\n"	/* 4 bytes, largest */
		"\xed\x9f\xbf \xee\x80\x80\n";	/* either side of surrogates */
	int l = 0, c = 0;

	(void)state;
	assert_int_equal(sup_check_utf8(ok, strlen(ok), &l, &c), 0);
	assert_int_equal(sup_check_utf8("", 0, &l, &c), 0);
	assert_int_equal(sup_check_utf8(ok, strlen(ok), NULL, NULL), 0);
	/* len, not the NUL, ends the data */
	assert_int_equal(sup_check_utf8("ab\xff", 2, &l, &c), 0);
}

static void test_utf8_invalid(void **state)
{
	(void)state;
	/* NUL */
	S_bad_utf8("ab\0c", 4, 1, 3);
	S_bad_utf8("a\nb\nxy\0", 7, 3, 3);
	/* overlong: '/' in two bytes, NUL in two, U+007F in three */
	S_bad_utf8("a\nbc\xc0\xaf", 6, 2, 3);
	S_bad_utf8("\xc1\xbf", 2, 1, 1);
	S_bad_utf8("x\xe0\x81\xbf", 4, 1, 2);
	S_bad_utf8("\xf0\x8f\xbf\xbf", 4, 1, 1);
	/* truncated: at the end, and cut by the next character */
	S_bad_utf8("x\xe2\x9c", 3, 1, 2);
	S_bad_utf8("\xe2\x9cx", 3, 1, 1);
	S_bad_utf8("Zo\xc3", 3, 1, 3);
	/* a multibyte character counts one column before the bad byte */
	S_bad_utf8("\xc3\xab\xc3\xab\x80", 5, 1, 3);
	/* surrogates */
	S_bad_utf8("ok\n\xed\xa0\x80", 6, 2, 1);
	S_bad_utf8("\xed\xbf\xbf", 3, 1, 1);
	/* past U+10FFFF, and bytes that never start a character */
	S_bad_utf8("\xf4\x90\x80\x80", 4, 1, 1);
	S_bad_utf8("a\xf8\x88\x80\x80\x80", 6, 1, 2);
	S_bad_utf8("ab\xff", 3, 1, 3);
	S_bad_utf8("\x80", 1, 1, 1);
}

/* Identifiers */

static void test_valid_id(void **state)
{
	char long_id[66];

	(void)state;
	assert_true(sup_valid_id("jsmith"));
	assert_true(sup_valid_id("j-smith2"));
	assert_true(sup_valid_id("2026-01-05-jsmith"));
	assert_true(sup_valid_id("0"));
	assert_false(sup_valid_id(""));
	assert_false(sup_valid_id(NULL));
	assert_false(sup_valid_id("-x"));
	assert_false(sup_valid_id("JSmith"));
	assert_false(sup_valid_id("j_smith"));
	assert_false(sup_valid_id("j.smith"));
	assert_false(sup_valid_id("a/b"));
	assert_false(sup_valid_id("a b"));
	assert_false(sup_valid_id("zo\xc3\xab"));
	memset(long_id, 'a', 64);
	long_id[64] = '\0';
	assert_true(sup_valid_id(long_id));
	long_id[64] = 'a';
	long_id[65] = '\0';
	assert_false(sup_valid_id(long_id));
}

static void test_valid_caseref(void **state)
{
	char long_ref[66];

	(void)state;
	assert_true(sup_valid_caseref("C-10293"));
	assert_true(sup_valid_caseref("c10293"));
	assert_true(sup_valid_caseref("2026.a_b-C"));
	assert_true(sup_valid_caseref("a.b.c"));
	assert_false(sup_valid_caseref("../x"));
	assert_false(sup_valid_caseref("a/b"));
	assert_false(sup_valid_caseref("a..b"));
	assert_false(sup_valid_caseref("x.."));
	assert_false(sup_valid_caseref("-x"));
	assert_false(sup_valid_caseref(".x"));
	assert_false(sup_valid_caseref("_x"));
	assert_false(sup_valid_caseref(""));
	assert_false(sup_valid_caseref(NULL));
	assert_false(sup_valid_caseref("a b"));
	assert_false(sup_valid_caseref("a\\b"));
	memset(long_ref, 'C', 64);
	long_ref[64] = '\0';
	assert_true(sup_valid_caseref(long_ref));
	long_ref[64] = 'C';
	long_ref[65] = '\0';
	assert_false(sup_valid_caseref(long_ref));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xstrdup),
		cmocka_unit_test(test_buf_empty),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_buf_binary),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_truncate_detach),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_file_limit),
		cmocka_unit_test(test_read_file_empty),
		cmocka_unit_test(test_read_file_missing),
		cmocka_unit_test(test_write_file),
		cmocka_unit_test(test_write_file_blocked),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_mkdir_p_file_in_the_way),
		cmocka_unit_test(test_starts_ends),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_valid_id),
		cmocka_unit_test(test_valid_caseref),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
