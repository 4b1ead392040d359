/*
 * unit-sh.h: run a shell command in a test's directory and take its
 * output, for unit tests that check sup's work with the real git.
 * Include after cmocka.h; each test file gets its own copy.
 */
#ifndef SUP_UNIT_SH_H
#define SUP_UNIT_SH_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

static inline char *S_sh_in(const char *dir, const char *fmt, ...) SUP_PRINTF(2, 3);
/* The standard output of a shell command run in dir, without its last
 * newline; fails the test when the command does.  Caller frees. */
static inline char *S_sh_in(const char *dir, const char *fmt, ...)
{
	struct sup_buf cmd = SUP_BUF_INIT, out = SUP_BUF_INIT;
	char tmp[4096];
	size_t n;
	va_list ap;
	FILE *f;

	sup_buf_printf(&cmd, "cd '%s' && ", dir);
	va_start(ap, fmt);
	sup_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	f = popen(cmd.ptr, "r");
	assert_non_null(f);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		sup_buf_put(&out, tmp, n);
	if (pclose(f) != 0)
		fail_msg("failed: %s", cmd.ptr);
	sup_buf_release(&cmd);
	if (out.len && out.ptr[out.len - 1] == '\n')
		sup_buf_truncate(&out, out.len - 1);
	sup_buf_puts(&out, "");
	return sup_buf_detach(&out);
}

/* Remove a test's directory and all in it (a failure is only said). */
static inline void S_remove_dir(const char *dir)
{
	char *cmd = sup_xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

#endif
