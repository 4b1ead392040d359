/* Unit tests for lib/error: last error, diagnostics, exit statuses. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "util.h"

static int S_reset(void **state)
{
	(void)state;
	sup_error_clear();
	sup_diag_clear();
	return 0;
}

/* Standard error redirected to a temporary file while f runs. */
static char *S_stderr_of(int (*f)(void), int *ret)
{
	struct sup_buf b = SUP_BUF_INIT;
	char path[] = "/tmp/sup-test-error.XXXXXX";
	int fd, saved;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	*ret = f();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(sup_read_file(&b, path, SUP_MAX_FILE), 0);
	unlink(path);
	return sup_buf_detach(&b);
}

static void test_error_set(void **state)
{
	(void)state;
	assert_string_equal(sup_error_last(), "unknown error");
	assert_int_equal(sup_error_code(), 0);
	assert_int_equal(sup_error_set(SUP_ENOTFOUND, "no record '%s'", "x"),
			 SUP_ENOTFOUND);
	assert_string_equal(sup_error_last(), "no record 'x'");
	assert_int_equal(sup_error_code(), SUP_ENOTFOUND);
	/* a new error replaces the old */
	sup_error_set(SUP_ERROR, "second");
	assert_string_equal(sup_error_last(), "second");
	assert_int_equal(sup_error_code(), SUP_ERROR);
	/* the old message may be an argument of the new one */
	sup_error_set(SUP_EINVALID, "wrapped: %s", sup_error_last());
	assert_string_equal(sup_error_last(), "wrapped: second");
	sup_error_clear();
	assert_string_equal(sup_error_last(), "unknown error");
	assert_int_equal(sup_error_code(), 0);
}

static void test_error_at(void **state)
{
	(void)state;
	assert_int_equal(sup_error_at(SUP_EINVALID, "f", 3, 5, "msg"),
			 SUP_EINVALID);
	assert_string_equal(sup_error_last(), "f:3:5: msg");
	assert_int_equal(sup_error_code(), SUP_EINVALID);
	sup_error_at(SUP_EINVALID, "records/2026/a.md", 7, 12,
		     "unknown staff id '%s'", "jsmth");
	assert_string_equal(sup_error_last(),
			    "records/2026/a.md:7:12: unknown staff id 'jsmth'");
	sup_error_at(SUP_EINVALID, "f", 3, 0, "msg");
	assert_string_equal(sup_error_last(), "f:3: msg");
	/* a column without a line means nothing */
	sup_error_at(SUP_EINVALID, "f", 0, 5, "msg");
	assert_string_equal(sup_error_last(), "f: msg");
	sup_error_at(SUP_EINVALID, "f", 0, 0, "msg");
	assert_string_equal(sup_error_last(), "f: msg");
	sup_error_at(SUP_EINVALID, NULL, 3, 5, "msg");
	assert_string_equal(sup_error_last(), "msg");
	sup_error_at(SUP_EINVALID, "", 3, 5, "msg");
	assert_string_equal(sup_error_last(), "msg");
}

static void test_diag(void **state)
{
	(void)state;
	assert_int_equal(sup_diag_count(), 0);
	assert_null(sup_diag_get(0));
	assert_int_equal(sup_diag_add(SUP_EINVALID, "a.md", 1, 2, "first %d", 1),
			 SUP_EINVALID);
	sup_diag_add(SUP_EINVALID, "a.md", 9, 0, "second");
	sup_diag_add(SUP_EDENIED, NULL, 0, 0, "third");
	assert_int_equal(sup_diag_count(), 3);
	assert_string_equal(sup_diag_get(0), "a.md:1:2: first 1");
	assert_string_equal(sup_diag_get(1), "a.md:9: second");
	assert_string_equal(sup_diag_get(2), "third");
	assert_null(sup_diag_get(3));
	/* the last diagnostic is also the last error */
	assert_string_equal(sup_error_last(), "third");
	assert_int_equal(sup_error_code(), SUP_EDENIED);
	sup_diag_clear();
	assert_int_equal(sup_diag_count(), 0);
	assert_null(sup_diag_get(0));
	/* clearing the diagnostics leaves the last error */
	assert_string_equal(sup_error_last(), "third");
}

static void test_diag_many(void **state)
{
	char want[32];
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++)
		sup_diag_add(SUP_EINVALID, "f", (int)i + 1, 1, "n%zu", i);
	assert_int_equal(sup_diag_count(), 100);
	for (i = 0; i < 100; i++) {
		snprintf(want, sizeof(want), "f:%zu:1: n%zu", i + 1, i);
		assert_string_equal(sup_diag_get(i), want);
	}
}

static void test_exit_status(void **state)
{
	(void)state;
	assert_int_equal(sup_exit_status(SUP_OK), SUP_EXIT_OK);
	assert_int_equal(sup_exit_status(SUP_EINVALID), SUP_EXIT_FINDINGS);
	assert_int_equal(sup_exit_status(SUP_EDENIED), SUP_EXIT_FINDINGS);
	assert_int_equal(sup_exit_status(SUP_EBADSIG), SUP_EXIT_FINDINGS);
	assert_int_equal(sup_exit_status(SUP_EEXISTS), SUP_EXIT_FINDINGS);
	assert_int_equal(sup_exit_status(SUP_ERROR), SUP_EXIT_FAIL);
	assert_int_equal(sup_exit_status(SUP_ENOTFOUND), SUP_EXIT_FAIL);
	assert_int_equal(sup_exit_status(SUP_EUSAGE), SUP_EXIT_FAIL);
	assert_int_equal(sup_exit_status(SUP_ELOCKED), SUP_EXIT_FAIL);
	assert_int_equal(sup_exit_status(SUP_ENOKEY), SUP_EXIT_FAIL);
	assert_int_equal(sup_exit_status(-99), SUP_EXIT_FAIL);
	assert_int_equal(SUP_EXIT_OK, 0);
	assert_int_equal(SUP_EXIT_FINDINGS, 1);
	assert_int_equal(SUP_EXIT_FAIL, 2);
}

static int S_perror_sign(void)
{
	return sup_perror("sign");
}

static void test_perror_last(void **state)
{
	char *out;
	int ret;

	(void)state;
	sup_error_set(SUP_ENOKEY, "no signing key");
	out = S_stderr_of(S_perror_sign, &ret);
	assert_string_equal(out, "sup sign: no signing key\n");
	assert_int_equal(ret, SUP_EXIT_FAIL);
	free(out);

	sup_error_at(SUP_EBADSIG, "a.md", 2, 1, "bad signature");
	out = S_stderr_of(S_perror_sign, &ret);
	assert_string_equal(out, "sup sign: a.md:2:1: bad signature\n");
	assert_int_equal(ret, SUP_EXIT_FINDINGS);
	free(out);

	/* nothing recorded: still a failure, never success */
	sup_error_clear();
	out = S_stderr_of(S_perror_sign, &ret);
	assert_string_equal(out, "sup sign: unknown error\n");
	assert_int_equal(ret, SUP_EXIT_FAIL);
	free(out);
}

static void test_perror_diags(void **state)
{
	char *out;
	int ret;

	(void)state;
	sup_error_set(SUP_ERROR, "not shown");
	sup_diag_add(SUP_EINVALID, "r.md", 7, 12, "unknown staff id 'jsmth'");
	sup_diag_add(SUP_EINVALID, "r.md", 9, 1, "missing 'date'");
	out = S_stderr_of(S_perror_sign, &ret);
	assert_string_equal(out,
			    "sup sign: r.md:7:12: unknown staff id 'jsmth'\n"
			    "sup sign: r.md:9:1: missing 'date'\n");
	assert_int_equal(ret, SUP_EXIT_FINDINGS);
	free(out);
}

static int S_warn(void)
{
	sup_warn("new", "unknown type '%s'", "x");
	return 0;
}

static void test_warn(void **state)
{
	char *out;
	int ret;

	(void)state;
	out = S_stderr_of(S_warn, &ret);
	assert_string_equal(out, "sup new: unknown type 'x'\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_error_set, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_error_at, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_diag, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_diag_many, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_exit_status, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_perror_last, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_perror_diags, S_reset, S_reset),
		cmocka_unit_test_setup_teardown(test_warn, S_reset, S_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
