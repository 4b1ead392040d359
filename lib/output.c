/* output: text tables, JSON, CSV, colour and the pager (see output.h). */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int sup_format_parse(enum sup_format *out, const char *s)
{
	if (s && strcmp(s, "text") == 0)
		*out = SUP_FORMAT_TEXT;
	else if (s && strcmp(s, "json") == 0)
		*out = SUP_FORMAT_JSON;
	else if (s && strcmp(s, "csv") == 0)
		*out = SUP_FORMAT_CSV;
	else
		return sup_error_set(SUP_EUSAGE,
				     "unknown format '%s' (use text, json or csv)",
				     s ? s : "");
	return 0;
}

/*
 * Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there
 * are not one: a stray continuation byte, an overlong form, a surrogate,
 * a value past U+10FFFF or a sequence cut short by the NUL terminator.
 * *cp receives the code point.
 */
static size_t S_utf8_seq(const unsigned char *s, uint32_t *cp)
{
	size_t need, k;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		need = 1;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		need = 2;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		need = 3;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (k = 1; k <= need; k++) {
		/* the NUL terminator is not a continuation byte, so this
		 * never reads past the end of the string */
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if ((need == 1 && c < 0x80) || (need == 2 && c < 0x800) ||
	    (need == 3 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return need + 1;
}

/* JSON */

void sup_json_init(struct sup_json *j, struct sup_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* The comma (or nothing) that must precede a value or a key here. */
static void S_json_sep(struct sup_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			sup_buf_putc(j->out, ',');
		j->first[j->depth] = 0;
	}
}

/* Nesting past the fixed stack, or closing more than was opened, is a bug in
 * the caller that would otherwise yield an invalid document: stop loudly. */
static void S_json_open(struct sup_json *j, int c)
{
	S_json_sep(j);
	if (j->depth + 1 >= (int)sizeof(j->first)) {
		fputs("sup: JSON nested too deeply\n", stderr);
		abort();
	}
	sup_buf_putc(j->out, c);
	j->depth++;
	j->first[j->depth] = 1;
}

static void S_json_close(struct sup_json *j, int c)
{
	if (j->depth <= 0 || j->after_key) {
		fputs("sup: unbalanced JSON writer calls\n", stderr);
		abort();
	}
	sup_buf_putc(j->out, c);
	j->depth--;
}

void sup_json_begin_object(struct sup_json *j)
{
	S_json_open(j, '{');
}

void sup_json_end_object(struct sup_json *j)
{
	S_json_close(j, '}');
}

void sup_json_begin_array(struct sup_json *j)
{
	S_json_open(j, '[');
}

void sup_json_end_array(struct sup_json *j)
{
	S_json_close(j, ']');
}

void sup_json_key(struct sup_json *j, const char *key)
{
	S_json_sep(j);
	sup_json_quote(j->out, key ? key : "");
	sup_buf_putc(j->out, ':');
	j->after_key = 1;
}

void sup_json_string(struct sup_json *j, const char *s)
{
	S_json_sep(j);
	if (s)
		sup_json_quote(j->out, s);
	else
		sup_buf_puts(j->out, "null");
}

void sup_json_int(struct sup_json *j, long long v)
{
	S_json_sep(j);
	sup_buf_printf(j->out, "%lld", v);
}

void sup_json_bool(struct sup_json *j, int v)
{
	S_json_sep(j);
	sup_buf_puts(j->out, v ? "true" : "false");
}

void sup_json_null(struct sup_json *j)
{
	S_json_sep(j);
	sup_buf_puts(j->out, "null");
}

void sup_json_finish(struct sup_json *j)
{
	if (j->depth != 0 || j->after_key) {
		fputs("sup: unbalanced JSON writer calls\n", stderr);
		abort();
	}
	sup_buf_putc(j->out, '\n');
}

void sup_json_quote(struct sup_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	sup_buf_putc(out, '"');
	while (*p) {
		uint32_t cp;
		size_t n;

		switch (*p) {
		case '"':
			sup_buf_puts(out, "\\\"");
			p++;
			continue;
		case '\\':
			sup_buf_puts(out, "\\\\");
			p++;
			continue;
		case '\b':
			sup_buf_puts(out, "\\b");
			p++;
			continue;
		case '\f':
			sup_buf_puts(out, "\\f");
			p++;
			continue;
		case '\n':
			sup_buf_puts(out, "\\n");
			p++;
			continue;
		case '\r':
			sup_buf_puts(out, "\\r");
			p++;
			continue;
		case '\t':
			sup_buf_puts(out, "\\t");
			p++;
			continue;
		}
		if (*p < 0x20) {
			sup_buf_printf(out, "\\u%04x", *p);
			p++;
			continue;
		}
		n = S_utf8_seq(p, &cp);
		if (n == 0) {
			/* a JSON text must be UTF-8 (RFC 8259 section 8.1):
			 * a stray byte becomes U+FFFD rather than making the
			 * whole document unreadable */
			sup_buf_puts(out, "\\ufffd");
			p++;
			continue;
		}
		sup_buf_put(out, p, n);
		p += n;
	}
	sup_buf_putc(out, '"');
}

/* CSV */

void sup_csv_field(struct sup_buf *out, const char *s, int last)
{
	const char *p;
	int formula, quote;

	if (!s)
		s = "";
	/* OWASP's list: these start a formula in Excel, LibreOffice and
	 * Google Sheets, and a record's text is not trusted */
	formula = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	/* ... but a plain negative number ("-12", days overdue) is data a
	 * script must be able to read as a number, and no formula */
	if (formula && s[0] == '-' && s[1] && strspn(s + 1, "0123456789") == strlen(s + 1))
		formula = 0;
	quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		sup_buf_puts(out, s);
	} else {
		sup_buf_putc(out, '"');
		if (formula)
			sup_buf_putc(out, '\'');
		for (p = s; *p; p++) {
			if (*p == '"')
				sup_buf_putc(out, '"');
			sup_buf_putc(out, *p);
		}
		sup_buf_putc(out, '"');
	}
	sup_buf_putc(out, last ? '\n' : ',');
}

/* Text tables */

size_t sup_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	if (!s)
		return 0;
	for (; *p; p++)
		if ((*p & 0xc0) != 0x80)
			w++;
	return w;
}

/*
 * A copy of a cell that is safe to print on a terminal and whose width can
 * be counted: record text is user input, and an escape sequence, a newline
 * or a C1 control in it would let it redraw the screen or break the
 * alignment, so every control character and every byte that is not valid
 * UTF-8 becomes '?'.
 */
static char *S_cell_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	struct sup_buf b = SUP_BUF_INIT;

	while (*p) {
		uint32_t cp;
		size_t n = S_utf8_seq(p, &cp);

		if (n == 0) {
			sup_buf_putc(&b, '?');
			p++;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			sup_buf_putc(&b, '?');
			p += n;
		} else {
			sup_buf_put(&b, p, n);
			p += n;
		}
	}
	return sup_buf_detach(&b);
}

void sup_table_init(struct sup_table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->width = sup_xcalloc(ncols ? ncols : 1, sizeof(*t->width));
}

void sup_table_add(struct sup_table *t, const char *const *row,
		   const char *colour)
{
	size_t c;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		if (t->ncols && cap > SIZE_MAX / sizeof(char *) / t->ncols) {
			fputs("sup: out of memory\n", stderr);
			abort();
		}
		t->cells = sup_xrealloc(t->cells,
					cap * t->ncols * sizeof(*t->cells));
		t->colour = sup_xrealloc(t->colour, cap * sizeof(*t->colour));
		t->cap = cap;
	}
	for (c = 0; c < t->ncols; c++) {
		char *cell = S_cell_clean(row ? row[c] : NULL);
		size_t w = sup_display_width(cell);

		t->cells[t->nrows * t->ncols + c] = cell;
		if (w > t->width[c])
			t->width[c] = w;
	}
	t->colour[t->nrows] = colour && *colour ? sup_xstrdup(colour) : NULL;
	t->nrows++;
}

void sup_table_write(struct sup_buf *out, const struct sup_table *t,
		     int colour)
{
	size_t r, c, end, pad;

	for (r = 0; r < t->nrows; r++) {
		char *const *row = t->cells + r * t->ncols;
		const char *sgr = colour ? t->colour[r] : NULL;

		/* trailing empty cells would only add trailing spaces */
		for (end = t->ncols; end > 0 && !*row[end - 1]; end--)
			;
		if (sgr)
			sup_buf_printf(out, "\033[%sm", sgr);
		for (c = 0; c < end; c++) {
			sup_buf_puts(out, row[c]);
			if (c + 1 == end)
				break;
			pad = t->width[c] - sup_display_width(row[c]) + 2;
			while (pad--)
				sup_buf_putc(out, ' ');
		}
		if (sgr)
			sup_buf_puts(out, "\033[m");
		sup_buf_putc(out, '\n');
	}
}

void sup_table_release(struct sup_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (i = 0; i < t->nrows; i++)
		free(t->colour[i]);
	free(t->cells);
	free(t->colour);
	free(t->width);
	memset(t, 0, sizeof(*t));
}

/* Colour */

int sup_use_colour(FILE *stream)
{
	const char *no_colour = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	int fd;

	/* https://no-color.org: set and non-empty means no colour */
	if (no_colour && *no_colour)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	if (!stream || (fd = fileno(stream)) < 0)
		return 0;
	return isatty(fd) ? 1 : 0;
}

/* The pager */

static int S_write_stdout(const char *text, size_t len)
{
	if (len && fwrite(text, 1, len, stdout) != len)
		goto fail;
	if (fflush(stdout) == EOF)
		goto fail;
	return 0;
fail:
	return sup_error_set(SUP_ERROR, "cannot write to standard output: %s",
			     strerror(errno));
}

/* Feed text to fd; a pager that quits early (EPIPE) is the user's choice,
 * not an error, and so is any other failure to write into it. */
static void S_feed(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		text += n;
		len -= (size_t)n;
	}
}

int sup_page(const char *text, size_t len)
{
	const char *pager = getenv("PAGER");
	struct sigaction ign, old_pipe, old_int, old_quit;
	int fd[2], status, rc;
	pid_t pid;

	if (!isatty(STDOUT_FILENO))
		return S_write_stdout(text, len);
	if (!pager)
		pager = "less -FRX";
	if (!*pager || strcmp(pager, "cat") == 0 || len == 0)
		return S_write_stdout(text, len);

	/* anything already buffered must reach the terminal before the pager
	 * takes it over */
	if (fflush(stdout) == EOF)
		return sup_error_set(SUP_ERROR,
				     "cannot write to standard output: %s",
				     strerror(errno));
	if (pipe(fd) < 0)
		return sup_error_set(SUP_ERROR, "cannot run pager: %s",
				     strerror(errno));
	pid = fork();
	if (pid < 0) {
		rc = sup_error_set(SUP_ERROR, "cannot run pager: %s",
				   strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return rc;
	}
	if (pid == 0) {
		close(fd[1]);
		if (fd[0] != STDIN_FILENO) {
			if (dup2(fd[0], STDIN_FILENO) < 0)
				_exit(127);
			close(fd[0]);
		}
		/* as git does: colours through and no screen clearing */
		if (!getenv("LESS"))
			setenv("LESS", "FRX", 1);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);

	/*
	 * While the pager owns the terminal, ^C and ^\ are for it (less uses
	 * them to stop a search); like system(3), the parent waits them out
	 * rather than dying and leaving the pager on a half-drawn screen.
	 */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);

	S_feed(fd[1], text, len);
	close(fd[1]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0;
			break;
		}
	}

	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);

	/* the shell could not find the pager: still show the text */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return S_write_stdout(text, len);
	return 0;
}
