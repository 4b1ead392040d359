/*
 * Unit tests for lib/install: finding sup-NAME programs (--exec-path,
 * $SUP_EXEC_PATH, $PATH), listing them, and the template directory.
 *
 * The test program runs from BUILD/tests/, which has no .sup-build-tree
 * marker, so it sees itself as installed; PATH is pointed at directories
 * of the test's own for the whole run, so nothing outside is found.
 */
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

#include "error.h"
#include "install.h"
#include "util.h"

static char S_dir[] = "/tmp/sup-test-install.XXXXXX";
static char *S_old_path, *S_old_exec, *S_old_tmpl;

static char *S_path(const char *name)
{
	return sup_xasprintf("%s/%s", S_dir, name);
}

/* A file under S_dir with the given mode. */
static void S_put(const char *name, mode_t mode)
{
	char *p = S_path(name);

	assert_int_equal(sup_write_file(p, "#!/bin/sh\nexit 0\n", 17), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static void S_restore(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static char *S_save(const char *name)
{
	const char *v = getenv(name);

	return v ? sup_xstrdup(v) : NULL;
}

/* The test's own PATH: two directories of S_dir. */
static void S_set_path(void)
{
	char *path = sup_xasprintf("%s/path1:%s/path2", S_dir, S_dir);

	setenv("PATH", path, 1);
	free(path);
}

static int S_setup(void **state)
{
	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	S_old_path = S_save("PATH");
	S_old_exec = S_save("SUP_EXEC_PATH");
	S_old_tmpl = S_save("SUP_TEMPLATE_DIR");
	S_set_path();
	unsetenv("SUP_EXEC_PATH");
	unsetenv("SUP_TEMPLATE_DIR");
	return 0;
}

static int S_teardown(void **state)
{
	char *cmd = sup_xasprintf("rm -rf '%s'", S_dir);
	int rc;

	(void)state;
	S_restore("PATH", S_old_path);
	S_restore("SUP_EXEC_PATH", S_old_exec);
	S_restore("SUP_TEMPLATE_DIR", S_old_tmpl);
	free(S_old_path);
	free(S_old_exec);
	free(S_old_tmpl);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int S_clear(void **state)
{
	(void)state;
	sup_error_clear();
	S_set_path();
	unsetenv("SUP_EXEC_PATH");
	unsetenv("SUP_TEMPLATE_DIR");
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

/* sup_find_command must find name at S_dir/dir/sup-name. */
static void S_found(const char *exec_path, const char *name, const char *dir)
{
	char *out = NULL, *want = sup_xasprintf("%s/%s/sup-%s", S_dir, dir, name);
	int rc = sup_find_command(&out, exec_path, name);

	if (rc != 0)
		fail_msg("sup-%s not found: %s", name, sup_error_last());
	assert_string_equal(out, want);
	free(out);
	free(want);
}

static void S_not_found(const char *exec_path, const char *name)
{
	char *out = (char *)"sentinel";
	char *want = sup_xasprintf("'%s' is not a sup command", name);

	assert_int_equal(sup_find_command(&out, exec_path, name), SUP_ENOTFOUND);
	assert_null(out);
	assert_string_equal(sup_error_last(), want);
	free(want);
}

static void S_bad_name(const char *name)
{
	char *out = (char *)"sentinel";
	char *want = sup_xasprintf("'%s' is not a sup command (command names are lowercase letters, digits and '-')",
				   name);

	sup_error_clear();
	assert_int_equal(sup_find_command(&out, NULL, name), SUP_EUSAGE);
	assert_null(out);
	assert_string_equal(sup_error_last(), want);
	free(want);
}

/* ---- where the program runs from ---- */

static void test_installed_layout(void **state)
{
	const char *self = sup_self_dir();

	(void)state;
	/* BUILD/tests has no build-tree marker: as if installed */
	assert_null(sup_source_dir());
	assert_true(sup_ends_with(self, "/tests"));
	assert_string_equal(sup_default_exec_path(), SUP_LIBEXECDIR);
	assert_null(sup_man_source("sup-init.1"));
}

/* ---- sup_find_command ---- */

static void test_find_in_exec_path(void **state)
{
	char *d1 = S_path("d1");

	(void)state;
	S_put("d1/sup-hello", 0755);
	S_found(d1, "hello", "d1");
	/* the same directory through the environment */
	setenv("SUP_EXEC_PATH", d1, 1);
	S_found(NULL, "hello", "d1");
	free(d1);
}

static void test_find_not_executable(void **state)
{
	char *d1 = S_path("d1");

	(void)state;
	S_put("d1/sup-plain", 0644);
	S_not_found(d1, "plain");
	S_not_found(d1, "no-such-command");
	free(d1);
}

static void test_find_order(void **state)
{
	char *d1 = S_path("d1"), *d2 = S_path("d2");

	(void)state;
	S_put("d1/sup-both", 0755);
	S_put("d2/sup-both", 0755);
	S_put("d2/sup-only2", 0755);
	S_put("path1/sup-both", 0755);
	S_put("path2/sup-ext", 0755);
	S_put("path1/sup-ext", 0644);	/* not executable: passed over */
	setenv("SUP_EXEC_PATH", d2, 1);
	/* --exec-path before $SUP_EXEC_PATH before $PATH */
	S_found(d1, "both", "d1");
	S_found(NULL, "both", "d2");
	S_found(d1, "only2", "d2");
	unsetenv("SUP_EXEC_PATH");
	S_found(NULL, "both", "path1");
	/* extensions are found in PATH, the first executable one */
	S_found(d1, "ext", "path2");
	/* an empty exec path is no exec path */
	S_found("", "both", "path1");
	free(d1);
	free(d2);
}

static void test_find_invalid_names(void **state)
{
	char long_ok[65], long_bad[66];

	(void)state;
	S_bad_name("a/b");
	S_bad_name("../sup-hello");
	S_bad_name("Hello");
	S_bad_name("");
	S_bad_name("a b");
	S_bad_name("new.sh");
	S_bad_name("caf\xc3\xa9");
	memset(long_bad, 'a', 65);
	long_bad[65] = '\0';
	S_bad_name(long_bad);
	/* 64 characters is still a name, just not a command here */
	memset(long_ok, 'a', 64);
	long_ok[64] = '\0';
	S_not_found(NULL, long_ok);
	S_not_found(NULL, "0-9-digits");
}

/*
 * A directory named sup-NAME is not a program, though access(X_OK) says
 * yes to it (git's is_executable() asks for a regular file).  Once a bug
 * in lib/install.c (sup_find_command, sup_list_commands).
 */
static void test_find_skips_directories(void **state)
{
	char *d3 = S_path("d3"), *sub = S_path("d3/sup-subdir");
	char **v = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(sup_mkdir_p(sub), 0);
	assert_int_equal(chmod(sub, 0755), 0);
	S_not_found(d3, "subdir");
	setenv("PATH", d3, 1);	/* only this directory; S_clear resets it */
	assert_int_equal(sup_list_commands(&v, &n, d3), 0);
	assert_int_equal(n, 0);
	free(v);
	free(d3);
	free(sub);
}

/* ---- sup_list_commands ---- */

static void S_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_list_sorted_unique(void **state)
{
	static const char *const want[] = {
		"alpha", "both", "ext", "hello", "list-2", "only2", "zeta",
	};
	char *d1 = S_path("d1"), *d2 = S_path("d2");
	char **v = NULL;
	size_t n = 99, i;

	(void)state;
	S_put("d1/sup-zeta", 0755);
	S_put("d1/sup-hello", 0755);
	S_put("d1/sup-both", 0755);
	S_put("d1/sup-list-2", 0755);
	S_put("d1/sup-Bad", 0755);		/* not a command name */
	S_put("d1/sup-", 0755);
	S_put("d1/sup-x.sh", 0755);
	S_put("d1/notsup-x", 0755);
	S_put("d1/sup-noexec", 0644);
	S_put("d2/sup-alpha", 0755);
	S_put("d2/sup-both", 0755);
	S_put("d2/sup-hello", 0755);
	S_put("d2/sup-only2", 0755);
	S_put("path2/sup-ext", 0755);
	S_put("path1/sup-both", 0755);
	setenv("SUP_EXEC_PATH", d2, 1);
	assert_int_equal(sup_list_commands(&v, &n, d1), 0);
	for (i = 0; i < n && i < SUP_ARRAY_SIZE(want); i++)
		assert_string_equal(v[i], want[i]);
	assert_int_equal(n, SUP_ARRAY_SIZE(want));
	S_free_list(v, n);

	/* without the exec path: d1's own commands go */
	assert_int_equal(sup_list_commands(&v, &n, NULL), 0);
	assert_int_equal(n, 5);
	assert_string_equal(v[0], "alpha");
	assert_string_equal(v[1], "both");
	assert_string_equal(v[2], "ext");
	assert_string_equal(v[3], "hello");
	assert_string_equal(v[4], "only2");
	S_free_list(v, n);
	free(d1);
	free(d2);
}

static void test_list_missing_dirs(void **state)
{
	char *none = S_path("no-such-dir");
	char **v = (char **)&none;
	size_t n = 99;

	(void)state;
	setenv("SUP_EXEC_PATH", none, 1);
	setenv("PATH", none, 1);	/* S_clear resets it */
	assert_int_equal(sup_list_commands(&v, &n, none), 0);
	assert_int_equal(n, 0);
	free(v);
	free(none);
}

/* ---- templates ---- */

static void test_template_path(void **state)
{
	char *p;

	(void)state;
	setenv("SUP_TEMPLATE_DIR", "/srv/sup-templates", 1);
	p = sup_template_path("sup.yaml");
	assert_string_equal(p, "/srv/sup-templates/sup.yaml");
	free(p);
	p = sup_template_path("record.md");
	assert_string_equal(p, "/srv/sup-templates/record.md");
	free(p);
	/* empty is unset: the installed data directory, as this test program
	 * is not in a build tree */
	setenv("SUP_TEMPLATE_DIR", "", 1);
	p = sup_template_path("sup.yaml");
	assert_string_equal(p, SUP_DATADIR "/sup.yaml");
	free(p);
	unsetenv("SUP_TEMPLATE_DIR");
	p = sup_template_path("sup.yaml");
	assert_string_equal(p, SUP_DATADIR "/sup.yaml");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_installed_layout),
		T(test_find_in_exec_path),
		T(test_find_not_executable),
		T(test_find_order),
		T(test_find_invalid_names),
		T(test_find_skips_directories),
		T(test_list_sorted_unique),
		T(test_list_missing_dirs),
		T(test_template_path),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
