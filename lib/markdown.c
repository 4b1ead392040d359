/* markdown: record bodies through cmark (see markdown.h). */
#include "markdown.h"

#include <cmark.h>

#include <stdlib.h>
#include <string.h>

static char *S_trim(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return sup_xstrndup(s, n);
}

/* The plain text of a heading (its inline children). */
static void S_text(struct sup_buf *out, cmark_node *n)
{
	cmark_node *c;

	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);

		if (lit && (cmark_node_get_type(c) == CMARK_NODE_TEXT ||
			    cmark_node_get_type(c) == CMARK_NODE_CODE))
			sup_buf_puts(out, lit);
		else
			S_text(out, c);
	}
}

static int S_is_comment(cmark_node *n, const char *exact)
{
	const char *lit;
	char *t;
	int r;

	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return 0;
	lit = cmark_node_get_literal(n);
	if (!lit)
		return 0;
	t = S_trim(lit);
	r = sup_starts_with(t, "<!--") && sup_ends_with(t, "-->") &&
	    (!exact || !strcmp(t, exact));
	free(t);
	return r;
}

int sup_markdown_sections(struct sup_section **out, size_t *n,
			  const char *body, size_t len)
{
	cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_DEFAULT);
	cmark_node *c;
	struct sup_section *cur = NULL;
	size_t cap = 0;
	int after_heading = 0;

	*out = NULL;
	*n = 0;
	if (!doc)
		return sup_error_set(SUP_ERROR, "cannot parse the record's text");
	for (c = cmark_node_first_child(doc); c; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(c) <= 2) {
			struct sup_buf t = SUP_BUF_INIT;

			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				*out = sup_xrealloc(*out, cap * sizeof(**out));
			}
			cur = &(*out)[(*n)++];
			memset(cur, 0, sizeof(*cur));
			S_text(&t, c);
			cur->title = S_trim(sup_buf_cstr(&t));
			sup_buf_release(&t);
			cur->line = cmark_node_get_start_line(c);
			after_heading = 1;
			continue;
		}
		if (cur && after_heading && S_is_comment(c, "<!-- optional -->"))
			cur->optional = 1;
		else if (cur && !S_is_comment(c, NULL) &&
			 cmark_node_get_type(c) != CMARK_NODE_HEADING)
			cur->has_content = 1;	/* subheadings alone are not content */
		after_heading = 0;
	}
	cmark_node_free(doc);
	return 0;
}

void sup_sections_free(struct sup_section *s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		free(s[i].title);
	free(s);
}

int sup_markdown_html(struct sup_buf *out, const char *body, size_t len)
{
	char *html = cmark_markdown_to_html(body, len, CMARK_OPT_DEFAULT);

	if (!html)
		return sup_error_set(SUP_ERROR, "cannot render the record's text");
	sup_buf_puts(out, html);
	free(html);
	return 0;
}
