/*
 * util: allocation that cannot fail, a growable byte buffer, small string
 * and file helpers.  Out of memory is the one error lib may die on.
 */
#ifndef SUP_UTIL_H
#define SUP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

void *sup_xmalloc(size_t n);
void *sup_xcalloc(size_t n, size_t size);
void *sup_xrealloc(void *p, size_t n);
char *sup_xstrdup(const char *s);
char *sup_xstrndup(const char *s, size_t n);
/* A newly allocated formatted string; caller frees. */
char *sup_xasprintf(const char *fmt, ...) SUP_PRINTF(1, 2);

/* Growable buffer; ptr is always NUL-terminated once anything is added. */
struct sup_buf {
	char *ptr;
	size_t len, cap;
};
#define SUP_BUF_INIT { NULL, 0, 0 }

void sup_buf_grow(struct sup_buf *b, size_t extra);
void sup_buf_put(struct sup_buf *b, const void *data, size_t len);
void sup_buf_puts(struct sup_buf *b, const char *s);
void sup_buf_putc(struct sup_buf *b, int c);
void sup_buf_printf(struct sup_buf *b, const char *fmt, ...) SUP_PRINTF(2, 3);
void sup_buf_vprintf(struct sup_buf *b, const char *fmt, va_list ap);
void sup_buf_truncate(struct sup_buf *b, size_t len);
/* A NUL-terminated string ("" for an empty buffer); caller frees. The
 * buffer is left empty. */
char *sup_buf_detach(struct sup_buf *b);
/* The contents as a string, "" when empty; owned by the buffer. */
const char *sup_buf_cstr(const struct sup_buf *b);
void sup_buf_release(struct sup_buf *b);

/* Read a whole file into out (appending).  Files larger than max bytes are
 * refused with SUP_EINVALID; a missing file is SUP_ENOTFOUND. */
int sup_read_file(struct sup_buf *out, const char *path, size_t max);
/* Write data to path through a temporary file and rename(2), creating
 * missing parent directories. */
int sup_write_file(const char *path, const void *data, size_t len);
/* mkdir -p; SUP_ERROR with a message naming the path on failure. */
int sup_mkdir_p(const char *path);

/* qsort(3) that accepts an empty array given as NULL (qsort itself may
 * not be passed NULL, even for no elements). */
void sup_qsort(void *base, size_t n, size_t size,
	       int (*cmp)(const void *, const void *));

/* 1 if s begins with prefix / ends with suffix. */
int sup_starts_with(const char *s, const char *prefix);
int sup_ends_with(const char *s, const char *suffix);

/* Damerau-free Levenshtein distance, for "did you mean". */
size_t sup_edit_distance(const char *a, const char *b);

/* Checks that the data is valid UTF-8 with no NUL byte.  On failure sets
 * *line and *col (1-based) to the first bad byte and returns SUP_EINVALID. */
int sup_check_utf8(const char *data, size_t len, int *line, int *col);

/* Identifiers of DESIGN.md section 1: staff and record ids are lowercase
 * [a-z0-9][a-z0-9-]*; case references [A-Za-z0-9][A-Za-z0-9._-]* with no
 * "..".  Both at most 64 bytes.  Return 1 when valid. */
int sup_valid_id(const char *s);
int sup_valid_caseref(const char *s);

/*
 * A running checksum for sup's own cache files (FNV-1a's constants, a
 * 64-bit word at a time, the length mixed in at the end of each piece):
 * it catches a damaged disk block or a half-written file, and is not for
 * any security decision.  Start from SUP_HASH_INIT.
 */
#define SUP_HASH_INIT 14695981039346656037u
uint64_t sup_hash_add(uint64_t h, const void *data, size_t len);

/*
 * Timings for whoever measures: with SUP_TRACE set in the environment,
 * "sup trace: <ms since the first call> ms <what>" on standard error
 * (as GIT_TRACE_PERFORMANCE does), and with SUP_TRACE=mem the memory
 * resident then; nothing otherwise.
 */
void sup_trace(const char *fmt, ...) SUP_PRINTF(1, 2);

#define SUP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SUP_MAX_FILE (1024 * 1024)

#endif
