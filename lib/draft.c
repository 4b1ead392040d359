/* draft: drafts and the editor loop (see draft.h). */
#include "draft.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sup_draft_path(char **out, struct sup_store *s, const char *id)
{
	char *dir = sup_xasprintf("%ssup/drafts", sup_store_gitdir(s));
	int error;

	*out = NULL;
	if ((error = sup_mkdir_p(dir)) < 0) {
		sup_error_set(SUP_ERROR, "cannot keep drafts: %s", sup_error_last());
		free(dir);
		return SUP_ERROR;
	}
	*out = sup_xasprintf("%s/%s.md", dir, id);
	free(dir);
	return 0;
}

int sup_draft_exists(char **out, struct sup_store *s, const char *id)
{
	char *p = sup_xasprintf("%ssup/drafts/%s.md", sup_store_gitdir(s), id);
	struct stat st;

	if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
		*out = p;
		return 1;
	}
	free(p);
	*out = NULL;
	return 0;
}

void sup_draft_remove(const char *path)
{
	if (path)
		unlink(path);
}

int sup_interactive(void)
{
	return isatty(0) && isatty(1);
}

int sup_ask_yes(const char *question, int dflt)
{
	char line[64];

	fprintf(stderr, "%s [%s] ", question, dflt ? "Y/n" : "y/N");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return dflt;
	if (line[0] == '\n')
		return dflt;
	return line[0] == 'y' || line[0] == 'Y';
}

size_t sup_draft_skip_block(const char *text, size_t len)
{
	size_t off = 0;

	while (off < len && text[off] == '#') {
		const char *eol = memchr(text + off, '\n', len - off);

		if (!eol)
			return len;
		off = (size_t)(eol - text) + 1;
	}
	return off;
}

static const char *S_editor(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	if (!e || !*e)
		e = "vi";
	return e;
}

static int S_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
			return 0;
	return 1;
}

/* Write the error block and the text back into the draft. */
static int S_write_with_block(const char *path, const char *text, size_t len,
			      size_t ndiags, size_t first)
{
	struct sup_buf b = SUP_BUF_INIT;
	size_t i;
	int error;

	sup_buf_puts(&b, "# sup: this record was not saved, because:\n");
	for (i = 0; i < ndiags; i++)
		sup_buf_printf(&b, "#   %s\n", sup_diag_get(first + i));
	sup_buf_puts(&b, "# Correct it below and save to try again; delete everything to abandon it.\n");
	sup_buf_put(&b, text, len);
	error = sup_write_file(path, b.ptr, b.len);
	sup_buf_release(&b);
	return error;
}

int sup_draft_edit(enum sup_draft_result *result, struct sup_buf *final,
		   const char *path, const char *original, int interactive,
		   sup_draft_check_fn check, void *payload)
{
	struct sup_buf text = SUP_BUF_INIT;
	const char *args[2] = { path, NULL };
	size_t off, len, n0;
	int status, error;

	*result = SUP_DRAFT_OK;
	for (;;) {
		if ((error = sup_run_shell(&status, S_editor(), args)) < 0)
			return error;
		if (status != 0) {
			if (status > 128)
				return sup_error_set(SUP_EINVALID,
						     "the editor was stopped by signal %d; your text is kept in %s (run the command again with --resume to go on with it)",
						     status - 128, path);
			return sup_error_set(SUP_EINVALID,
					     "the editor '%s' exited with status %d; your text is kept in %s (run the command again with --resume to go on with it)",
					     S_editor(), status, path);
		}
		sup_buf_truncate(&text, 0);
		if ((error = sup_read_file(&text, path, SUP_MAX_FILE * 2)) < 0) {
			sup_buf_release(&text);
			return error;
		}
		off = sup_draft_skip_block(text.ptr, text.len);
		len = text.len - off;
		if (S_blank(text.ptr + off, len) ||
		    (original && strlen(original) == len &&
		     !memcmp(original, text.ptr + off, len))) {
			*result = SUP_DRAFT_ABANDONED;
			sup_buf_release(&text);
			return 0;
		}
		/* Count the problems first: the block above the text shifts
		 * it down by that many lines plus two, and the positions in
		 * the block must be those the person sees. */
		n0 = sup_diag_count();
		error = check(text.ptr + off, len, 0, payload);
		if (error == 0) {
			sup_buf_put(final, text.ptr + off, len);
			sup_buf_release(&text);
			return 0;
		}
		if (error != SUP_EINVALID || !interactive) {
			/* keep exactly what was typed, without the block */
			sup_write_file(path, text.ptr + off, len);
			sup_buf_release(&text);
			return error;
		}
		{
			size_t nerr = sup_diag_count() - n0;
			size_t i;

			/* drop the diagnostics of the counting pass */
			sup_diag_clear();
			check(text.ptr + off, len, (int)nerr + 2, payload);
			nerr = sup_diag_count();
			if ((error = S_write_with_block(path, text.ptr + off, len,
							nerr, 0)) < 0) {
				sup_buf_release(&text);
				return error;
			}
			for (i = 0; i < nerr; i++)
				fprintf(stderr, "sup: %s\n", sup_diag_get(i));
			sup_diag_clear();
		}
	}
}

int sup_draft_start(char **path, struct sup_buf *text, struct sup_store *s,
		    const char *id, int resume, int discard, const char *cmd)
{
	char *kept = NULL;
	int error;

	*path = NULL;
	if (sup_draft_exists(&kept, s, id) && !discard) {
		struct sup_buf old = SUP_BUF_INIT;

		if (!resume && !sup_interactive()) {
			error = sup_error_set(SUP_EINVALID,
					      "a draft of %s is kept at %s from an earlier try; run 'sup %s' again with --resume to go on with it, or --discard to start afresh",
					      id, kept, cmd);
			free(kept);
			return error;
		}
		if (resume || sup_ask_yes("A draft of this record from an earlier try is kept. Resume it?", 1)) {
			if ((error = sup_read_file(&old, kept, SUP_MAX_FILE * 2)) < 0) {
				free(kept);
				return error;
			}
			sup_buf_truncate(text, 0);
			sup_buf_put(text, old.ptr + sup_draft_skip_block(old.ptr, old.len),
				    old.len - sup_draft_skip_block(old.ptr, old.len));
			sup_buf_release(&old);
		}
	} else if (resume) {
		free(kept);
		return sup_error_set(SUP_ENOTFOUND, "there is no kept draft of %s to resume", id);
	}
	free(kept);
	if ((error = sup_draft_path(path, s, id)) < 0)
		return error;
	if ((error = sup_write_file(*path, sup_buf_cstr(text), text->len)) < 0) {
		free(*path);
		*path = NULL;
	}
	return error;
}
