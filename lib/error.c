/* error: last error and diagnostics (see error.h). */
#include "error.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *last_msg;
static int last_code;
static char **diags;
static size_t ndiags, diag_cap;

static char *S_vformat_at(const char *file, int line, int col,
			  const char *fmt, va_list ap)
{
	struct sup_buf b = SUP_BUF_INIT;

	if (file && *file) {
		sup_buf_puts(&b, file);
		if (line > 0) {
			sup_buf_printf(&b, ":%d", line);
			if (col > 0)
				sup_buf_printf(&b, ":%d", col);
		}
		sup_buf_puts(&b, ": ");
	}
	sup_buf_vprintf(&b, fmt, ap);
	return sup_buf_detach(&b);
}

static void S_set_last(int code, char *msg)
{
	free(last_msg);
	last_msg = msg;
	last_code = code;
}

int sup_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	S_set_last(code, S_vformat_at(NULL, 0, 0, fmt, ap));
	va_end(ap);
	return code;
}

int sup_error_at(int code, const char *file, int line, int col,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	S_set_last(code, S_vformat_at(file, line, col, fmt, ap));
	va_end(ap);
	return code;
}

const char *sup_error_last(void)
{
	return last_msg ? last_msg : "unknown error";
}

int sup_error_code(void)
{
	return last_code;
}

void sup_error_clear(void)
{
	free(last_msg);
	last_msg = NULL;
	last_code = 0;
}

int sup_diag_add(int code, const char *file, int line, int col,
		 const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = S_vformat_at(file, line, col, fmt, ap);
	va_end(ap);
	if (ndiags == diag_cap) {
		diag_cap = diag_cap ? diag_cap * 2 : 8;
		diags = sup_xrealloc(diags, diag_cap * sizeof(*diags));
	}
	diags[ndiags++] = msg;
	S_set_last(code, sup_xstrdup(msg));
	return code;
}

size_t sup_diag_count(void)
{
	return ndiags;
}

const char *sup_diag_get(size_t i)
{
	return i < ndiags ? diags[i] : NULL;
}

void sup_diag_clear(void)
{
	size_t i;

	for (i = 0; i < ndiags; i++)
		free(diags[i]);
	free(diags);
	diags = NULL;
	ndiags = diag_cap = 0;
}

int sup_exit_status(int code)
{
	switch (code) {
	case SUP_OK:
		return SUP_EXIT_OK;
	case SUP_EINVALID:
	case SUP_EDENIED:
	case SUP_EBADSIG:
	case SUP_EEXISTS:
		return SUP_EXIT_FINDINGS;
	default:
		return SUP_EXIT_FAIL;
	}
}

int sup_perror(const char *cmd)
{
	size_t i;

	if (ndiags) {
		for (i = 0; i < ndiags; i++)
			fprintf(stderr, "sup %s: %s\n", cmd, diags[i]);
	} else {
		fprintf(stderr, "sup %s: %s\n", cmd, sup_error_last());
	}
	return sup_exit_status(last_code ? last_code : SUP_ERROR);
}

void sup_warn(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sup %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
