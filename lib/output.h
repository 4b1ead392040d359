/*
 * output: the three output formats every listing command offers
 * (aligned text tables, one JSON document, CSV with a header row), colour
 * on terminals only, and the pager.
 */
#ifndef SUP_OUTPUT_H
#define SUP_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

enum sup_format {
	SUP_FORMAT_TEXT,
	SUP_FORMAT_JSON,
	SUP_FORMAT_CSV
};

/* "text", "json", "csv" -> format; SUP_EUSAGE for anything else. */
int sup_format_parse(enum sup_format *out, const char *s);

/*
 * JSON writer appending to a buffer.  Commas and nesting are tracked by
 * the writer; strings are escaped per RFC 8259 (" and \ escaped, \b \f \n
 * \r \t as short escapes, other control characters as \u00XX, valid UTF-8
 * copied unchanged, a byte that is not valid UTF-8 as \ufffd), so the
 * document is always valid when begin and end calls balance.  Output is
 * compact with a newline at the very end (sup_json_finish); stable key
 * order is the caller's order.  Nesting deeper than 63 levels, an end
 * without its begin, or sup_json_finish with something still open is a
 * programming error and aborts.  The writer owns nothing: out is the
 * caller's.
 */
struct sup_json {
	struct sup_buf *out;
	int depth;
	unsigned char first[64];	/* per depth: no element written yet */
	int after_key;
};

void sup_json_init(struct sup_json *j, struct sup_buf *out);
void sup_json_begin_object(struct sup_json *j);
void sup_json_end_object(struct sup_json *j);
void sup_json_begin_array(struct sup_json *j);
void sup_json_end_array(struct sup_json *j);
void sup_json_key(struct sup_json *j, const char *key);
void sup_json_string(struct sup_json *j, const char *s);	/* NULL -> null */
void sup_json_int(struct sup_json *j, long long v);
void sup_json_bool(struct sup_json *j, int v);
void sup_json_null(struct sup_json *j);
/* Append a newline. */
void sup_json_finish(struct sup_json *j);
/* Escape s as a JSON string literal (with quotes) into out. */
void sup_json_quote(struct sup_buf *out, const char *s);

/* One CSV field (RFC 4180: quoted when it holds a comma, quote, CR or LF,
 * or starts with = + - @ tab or CR which spreadsheets would run as a
 * formula, in which case a leading ' is added inside the quotes), followed
 * by "," or, when last is set, by the line end.  Lines end in "\n" rather
 * than RFC 4180's CRLF: Unix tools and every spreadsheet read both.  NULL
 * is written as an empty field. */
void sup_csv_field(struct sup_buf *out, const char *s, int last);

/*
 * A text table: columns aligned by display width (UTF-8 aware: each code
 * point counts one column), two spaces between columns, no trailing
 * spaces.  Rows are added as arrays of ncols strings (NULL -> ""), which
 * the table copies; a header is just the first row added.  Control
 * characters and bytes that are not UTF-8 are shown as '?' so that record
 * text cannot send escape sequences to the terminal.  A row may carry a
 * colour (an SGR code such as "31" for red, NULL for none) used only when
 * the table is written with colour on: the row is then wrapped in
 * "\033[<code>m" ... "\033[m".  sup_table_release frees everything.
 */
struct sup_table {
	size_t ncols, nrows, cap;
	char **cells;		/* nrows * ncols */
	char **colour;		/* per row */
	size_t *width;		/* per column */
};

void sup_table_init(struct sup_table *t, size_t ncols);
void sup_table_add(struct sup_table *t, const char *const *row,
		   const char *colour);
void sup_table_write(struct sup_buf *out, const struct sup_table *t,
		     int colour);
void sup_table_release(struct sup_table *t);
/* Display width of a UTF-8 string (code points). */
size_t sup_display_width(const char *s);

/* 1 when colour should be used on stream: it is a terminal, NO_COLOR is
 * unset or empty, and TERM is not "dumb". */
int sup_use_colour(FILE *stream);

/*
 * Write text to standard output: on a terminal always through $PAGER, as
 * git does (default "less -FRX", whose -F quits at once when the text fits
 * on one screen; LESS=FRX is set for the pager if LESS is unset), directly
 * otherwise.  An empty PAGER or "cat" means no pager.  The pager is run as
 * "sh -c $PAGER" and waited for; one that quits early is not an error, and
 * one the shell cannot find (status 127) means the text is written
 * directly.  Returns 0 or SUP_ERROR.
 */
int sup_page(const char *text, size_t len);

#endif
