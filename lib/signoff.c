/* signoff: adding sign-offs (see signoff.h). */
#include "signoff.h"

#include <stdlib.h>
#include <string.h>

void sup_record_with_signoffs(struct sup_buf *out, const struct sup_record *rec,
			      const struct sup_node *signoffs)
{
	const char *p = rec->text, *end = rec->text + rec->body_off;
	struct sup_node *wrap;
	int line = 0, skipping = 0;

	/* copy the front matter up to its signoffs (or its end) */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);
		size_t content = n;

		while (content && (p[content - 1] == '\n' || p[content - 1] == '\r'))
			content--;
		line++;
		if (line > 1 && content == 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3))) {
			if (signoffs && signoffs->n) {
				wrap = sup_node_new_map();
				sup_node_set(wrap, "signoffs", sup_node_dup(signoffs));
				sup_yaml_emit(out, wrap);
				sup_node_free(wrap);
			}
			sup_buf_put(out, p, (size_t)(end - p));
			break;
		}
		if (line > 1 && content >= 9 && !memcmp(p, "signoffs:", 9))
			skipping = 1;
		if (!skipping)
			sup_buf_put(out, p, n);
		p += n;
	}
	sup_buf_put(out, rec->text + rec->body_off, rec->len - rec->body_off);
}

int sup_signoff_add(struct sup_recctx *c, const struct sup_record *rec,
		    const struct sup_staff *me, const char *dispute,
		    const char *at, const char *template_body, size_t template_len)
{
	const char *role = sup_record_role(rec, me->id);
	struct sup_node *seq, *entry, *old;
	struct sup_buf text = SUP_BUF_INIT;
	char digest[72];
	size_t i;
	int error;

	if (!role)
		return sup_error_set(SUP_EDENIED,
				     "%s: '%s' is not a party of this record, so cannot sign it",
				     rec->path, me->id);
	sup_record_digest(digest, rec->text, rec->len);
	/* Signing the same version again is refused; changing one's mind
	 * about disputing it (adding, changing or withdrawing a dispute) is a
	 * new sign-off and allowed. */
	for (i = 0; i < rec->nsignoffs; i++)
		if (!strcmp(rec->signoffs[i].by, me->id) &&
		    !strcmp(rec->signoffs[i].digest, digest) &&
		    !rec->signoffs[i].dispute == !dispute &&
		    (!dispute || !strcmp(rec->signoffs[i].dispute, dispute)))
			return sup_error_set(SUP_EEXISTS,
					     "%s: %s has already signed this version (at %s)",
					     rec->path, me->id, rec->signoffs[i].at);
	if (!dispute && (error = sup_record_complete(rec, template_body,
						     template_len)) < 0)
		return error;
	/* keep everyone else's sign-offs; replace a stale one of mine */
	seq = sup_node_new_seq();
	old = sup_node_get(rec->fm, "signoffs");
	for (i = 0; old && old->type == SUP_NODE_SEQ && i < old->n; i++) {
		const struct sup_node *by = sup_node_get(old->items[i], "by");

		if (by && by->type == SUP_NODE_SCALAR && !strcmp(by->value, me->id))
			continue;
		sup_node_append(seq, sup_node_dup(old->items[i]));
	}
	entry = sup_node_new_map();
	entry->flow = 1;
	sup_node_set_str(entry, "by", me->id);
	sup_node_set_str(entry, "role", role);
	sup_node_set_plain(entry, "at", at);
	sup_node_set_str(entry, "digest", digest);
	if (dispute)
		sup_node_set_str(entry, "dispute", dispute);
	sup_node_append(seq, entry);
	sup_record_with_signoffs(&text, rec, seq);
	sup_node_free(seq);
	c->path = rec->path;
	c->old = rec;
	c->allow_signoff_change = 1;
	error = sup_recctx_check(text.ptr, text.len, 0, c);
	if (!error)
		error = sup_recctx_commit(c, me, text.ptr, text.len, rec->id,
					  dispute ? "dispute" : "sign");
	sup_buf_release(&text);
	return error;
}
