/*
 * signoff: adding a person's sign-off (or dispute) to a record.
 */
#ifndef SUP_SIGNOFF_H
#define SUP_SIGNOFF_H

#include "recwrite.h"

/*
 * The text of rec with its sign-offs replaced by `signoffs` (a sequence
 * node), leaving every other byte as it was: the sign-off block is always
 * the last thing in the front matter, so replacing it cannot change the
 * digest that other sign-offs cover.
 */
void sup_record_with_signoffs(struct sup_buf *out, const struct sup_record *rec,
			      const struct sup_node *signoffs);

/*
 * Sign rec as me: me must be a party; the record must pass the
 * completeness check (unless disputing, which may be about what is
 * missing); me must not already have a sign-off of this exact content.
 * A stale sign-off of me is replaced.  `at` is the UTC timestamp.
 * Commits with action "sign" or "dispute".
 */
int sup_signoff_add(struct sup_recctx *c, const struct sup_record *rec,
		    const struct sup_staff *me, const char *dispute,
		    const char *at, const char *template_body, size_t template_len);

#endif
