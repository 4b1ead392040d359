/*
 * markdown: the body of a record through cmark.  This is the only module
 * that includes <cmark.h>.
 */
#ifndef SUP_MARKDOWN_H
#define SUP_MARKDOWN_H

#include <stddef.h>

#include "util.h"

/* One level-2 section of a body. */
struct sup_section {
	char *title;		/* heading text, trimmed */
	int line;		/* line of the heading within the body (1-based) */
	int has_content;	/* any text under it other than HTML comments */
	int optional;		/* "<!-- optional -->" right after the heading */
};

/* The level-2 sections of a Markdown body, in order.  Caller frees with
 * sup_sections_free(). */
int sup_markdown_sections(struct sup_section **out, size_t *n,
			  const char *body, size_t len);
void sup_sections_free(struct sup_section *s, size_t n);

/* Render a body as HTML; raw HTML and unsafe links are left out (cmark's
 * safe default). Appended to out. */
int sup_markdown_html(struct sup_buf *out, const char *body, size_t len);

#endif
