/*
 * draft: nothing typed is ever lost.  The text of a record being written
 * lives in .git/sup/drafts/<id>.md from before the editor opens until it
 * is committed; a refused save reopens the editor with the problems as a
 * comment block at the top (as visudo and crontab -e do), or, without a
 * terminal, says where the draft is.
 */
#ifndef SUP_DRAFT_H
#define SUP_DRAFT_H

#include "store.h"

/* The draft file for a record id; the directory is created.  A plain
 * file in the way, or no permission: SUP_ERROR naming the directory. */
int sup_draft_path(char **out, struct sup_store *s, const char *id);
/* 1 if a draft of id exists (with its path in *out, caller frees). */
int sup_draft_exists(char **out, struct sup_store *s, const char *id);
/* Remove a committed or abandoned draft. */
void sup_draft_remove(const char *path);

/*
 * Check the text of a draft; line_offset is added to reported lines.
 * Return 0, or SUP_EINVALID with diagnostics.
 */
typedef int (*sup_draft_check_fn)(const char *text, size_t len, int line_offset,
				  void *payload);

enum sup_draft_result {
	SUP_DRAFT_OK,		/* *final holds valid text */
	SUP_DRAFT_ABANDONED	/* unchanged or emptied: nothing to save */
};

/*
 * Edit the draft at path (which holds the starting text) with $VISUAL,
 * $EDITOR or vi until it passes check.  original is the text before any
 * editing: saving it unchanged, or emptying the file, abandons.  With
 * interactive set, a refused save reopens the editor; otherwise the
 * problems are left as diagnostics, the typed text stays in the draft,
 * and SUP_EINVALID is returned.  An editor that fails or is killed:
 * SUP_EINVALID, the draft kept.
 */
int sup_draft_edit(enum sup_draft_result *result, struct sup_buf *final,
		   const char *path, const char *original, int interactive,
		   sup_draft_check_fn check, void *payload);

/* Strip a leading block of "# " comment lines (sup's error block) from
 * text; returns the offset where the record starts. */
size_t sup_draft_skip_block(const char *text, size_t len);

/* 1 when both standard input and output are terminals. */
int sup_interactive(void);

/* Ask a yes/no question on the terminal; dflt when the answer is empty. */
int sup_ask_yes(const char *question, int dflt);

#endif

#ifndef SUP_DRAFT_H_START
#define SUP_DRAFT_H_START
/*
 * Begin editing record id: the draft path, and the text to start from -
 * fresh (replaced in text as given), or a kept draft from an earlier try
 * (resume set, or the person says yes on a terminal).  Without a terminal
 * and neither resume nor discard, a kept draft is never overwritten:
 * SUP_EINVALID saying how to go on.  cmd names the command for messages.
 */
int sup_draft_start(char **path, struct sup_buf *text, struct sup_store *s,
		    const char *id, int resume, int discard, const char *cmd);
#endif
