/*
 * textdiff: differences between two texts - a unified line diff (Myers'
 * O(ND) algorithm) and a field-by-field comparison of two YAML trees.
 */
#ifndef SUP_TEXTDIFF_H
#define SUP_TEXTDIFF_H

#include "frontmatter.h"
#include "util.h"

/* Append a unified diff of a and b (3 lines of context) to out, with
 * "--- label_a" / "+++ label_b" headers; nothing when they are equal.
 * Returns the number of changed lines. */
size_t sup_unified_diff(struct sup_buf *out, const char *a, size_t alen,
			const char *b, size_t blen, const char *label_a,
			const char *label_b);

enum sup_field_change {
	SUP_FIELD_CHANGED,
	SUP_FIELD_ADDED,
	SUP_FIELD_REMOVED
};

struct sup_field_diff {
	enum sup_field_change change;
	char *path;		/* "actions[2].due", "signoffs[1]" */
	char *old_value;	/* scalars as text; collections as flow YAML */
	char *new_value;
	char *summary;		/* sign-offs: "jsmith (supervisee)" */
};

/*
 * Compare two front matter trees (either may be NULL) field by field:
 * mappings by key, sequences by position - except lists of mappings that
 * carry an identifying key (signoffs by "by", cases by "ref", actions by
 * "n", reviewed_actions by "action"), written "actions[2]", "cases[C-1]", which are matched by it so that an
 * item added in the middle is one addition, not a cascade of changes.
 */
void sup_fields_diff(struct sup_field_diff **out, size_t *n,
		     const struct sup_node *a, const struct sup_node *b);
void sup_fields_diff_free(struct sup_field_diff *d, size_t n);
/* One line: "path: old → new", "+ path: new", "- path: old". */
void sup_field_diff_format(struct sup_buf *out, const struct sup_field_diff *d);

#endif
