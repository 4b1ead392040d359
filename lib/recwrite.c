/* recwrite: checking and committing records (see recwrite.h). */
#include "recwrite.h"
#include "parties.h"

#include <stdlib.h>
#include <string.h>

int sup_recctx_init(struct sup_recctx *c, struct sup_repo *r)
{
	sup_recctx_open(c, r);
	c->indexed = 1;
	return sup_records_index(&c->rs, r->store, &r->head);
}

void sup_recctx_open(struct sup_recctx *c, struct sup_repo *r)
{
	memset(c, 0, sizeof(*c));
	c->repo = r;
	c->rs.store = r->store;
}

int sup_recctx_load(struct sup_recctx *c, const char *person)
{
	struct sup_record_want want;
	int error;

	if (c->loaded)
		return 0;
	if (!c->indexed) {
		error = person ? sup_records_of(&c->rs, c->repo->store, &c->repo->head, person) :
				 sup_records_index(&c->rs, c->repo->store, &c->repo->head);
		if (error < 0)
			return error;
		c->indexed = 1;
		c->partial = person != NULL;
	}
	want.person = person;
	want.type = -1;
	want.since = want.until = SUP_DATE_NONE;
	error = sup_records_load_some(&c->recs, &c->nrecs, &c->rs, person ? &want : NULL);
	sup_diag_clear();
	if (error < 0)
		return error;
	sup_error_clear();
	c->loaded = 1;
	return 0;
}

void sup_recctx_release(struct sup_recctx *c)
{
	sup_records_free_all(c->recs, c->nrecs);
	sup_records_release(&c->rs);
	memset(c, 0, sizeof(*c));
}

/* The record with id at the tip, from the index when it holds every
 * record, else from the records loaded or the tree: 1 and *out (its path
 * allocated, for the caller to free), 0 when there is none. */
static int S_lookup(struct sup_recref *out, struct sup_recctx *c, const char *id)
{
	const struct sup_recref *ref;
	char *path;
	int error;

	if (!sup_valid_id(id))
		return 0;
	/* a partial index still has the person's own records, wherever
	 * in records/ their files are */
	if (c->indexed && ((ref = sup_records_get(&c->rs, id)) != NULL || !c->partial)) {
		if (!ref)
			return 0;
		*out = *ref;
		out->path = sup_xstrdup(ref->path);
		return 1;
	}
	path = sup_record_path(id);
	error = sup_store_blob_id(&out->blob, c->repo->store, &c->repo->head, path);
	if (error == SUP_ENOTFOUND) {
		sup_error_clear();
		free(path);
		return 0;
	}
	if (error < 0) {
		free(path);
		return error;
	}
	out->path = path;
	out->id = NULL;
	return 1;
}

int sup_recctx_exists(struct sup_recctx *c, const char *id)
{
	struct sup_recref ref;
	int found = S_lookup(&ref, c, id);

	if (found > 0)
		free(ref.path);
	return found;
}

static int S_action_exists(const char *record_id, long n, void *payload)
{
	struct sup_recctx *c = payload;
	struct sup_recref ref;
	struct sup_record *rec = NULL;
	size_t i, k;
	int found = 0;

	for (i = 0; i < c->nrecs; i++) {
		if (strcmp(c->recs[i]->id, record_id))
			continue;
		for (k = 0; k < c->recs[i]->nactions; k++)
			if (c->recs[i]->actions[k].n == n)
				return 1;
		return 0;
	}
	/* not among those loaded: read that one record */
	if (S_lookup(&ref, c, record_id) <= 0) {
		sup_error_clear();
		return 0;
	}
	ref.id = (char *)record_id;
	if (sup_records_load(&rec, &c->rs, &ref) < 0) {
		free(ref.path);
		sup_diag_clear();
		sup_error_clear();
		return 0;
	}
	free(ref.path);
	for (k = 0; k < rec->nactions && !found; k++)
		found = rec->actions[k].n == n;
	sup_record_free(rec);
	return found;
}

static int S_signoffs_equal(const struct sup_record *a, const struct sup_record *b)
{
	size_t i;

	if (a->nsignoffs != b->nsignoffs)
		return 0;
	for (i = 0; i < a->nsignoffs; i++) {
		const struct sup_signoff *x = &a->signoffs[i], *y = &b->signoffs[i];

		if (strcmp(x->by, y->by) || strcmp(x->role, y->role) ||
		    strcmp(x->at, y->at) || strcmp(x->digest, y->digest) ||
		    (!x->dispute != !y->dispute) ||
		    (x->dispute && strcmp(x->dispute, y->dispute)))
			return 0;
	}
	return 1;
}

int sup_recctx_check(const char *text, size_t len, int line_offset,
		     void *payload)
{
	struct sup_recctx *c = payload;
	struct sup_record *rec = NULL;
	int error;

	if ((error = sup_record_parse(&rec, text, len, c->path, line_offset)) < 0)
		return error;
	error = sup_record_check(rec, &c->repo->policy, &c->repo->reg,
				 S_action_exists, c);
	if (!error && !c->allow_signoff_change) {
		int same = c->old ? S_signoffs_equal(rec, c->old) : rec->nsignoffs == 0;

		const struct sup_node *k = sup_node_key(rec->fm, "signoffs");

		if (!same)
			error = sup_diag_add(SUP_EINVALID, c->path,
					     k ? k->line : line_offset + 1, k ? k->col : 1,
					     "sign-offs are written only by 'sup sign'; leave the 'signoffs' list as it was");
	}
	sup_record_free(rec);
	return error;
}

int sup_record_peek_id(char **out, const char *text, size_t len,
		       const char *file)
{
	struct sup_node *fm = NULL;
	const struct sup_node *id;
	size_t yoff, ylen, boff;
	int yline, error;

	*out = NULL;
	if ((error = sup_frontmatter_split(text, len, file, &yoff, &ylen, &boff,
					   &yline)) < 0 ||
	    (error = sup_yaml_parse(&fm, text + yoff, ylen, file, yline)) < 0)
		return error;
	id = sup_node_get(fm, "id");
	if (!id || id->type != SUP_NODE_SCALAR || !sup_valid_id(id->value)) {
		error = sup_diag_add(SUP_EINVALID, file, id ? id->line : yline,
				     id ? id->col : 1,
				     "the record needs an 'id' (lowercase letters, digits and '-', e.g. 2026-11-23-jsmith)");
	} else {
		*out = sup_xstrdup(id->value);
	}
	sup_node_free(fm);
	return error;
}

int sup_recctx_commit(struct sup_recctx *c, const struct sup_staff *me,
		      const char *text, size_t len, const char *id,
		      const char *action)
{
	struct sup_record *rec = NULL;
	struct sup_change ch;
	struct sup_oid out;
	char *subject;
	int error;

	if ((error = sup_record_parse(&rec, text, len, c->path, 0)) < 0)
		return error;
	if (!sup_record_role(rec, me->id) &&
	    !(c->old && sup_record_role(c->old, me->id))) {
		error = sup_error_set(SUP_EDENIED,
				      "%s: only a party of the record may write it, and '%s' is not one",
				      c->path, me->id);
		sup_record_free(rec);
		return error;
	}
	sup_record_free(rec);
	ch.path = c->path;
	ch.data = text;
	ch.len = len;
	subject = sup_xasprintf("%s %s", action, id);
	error = sup_repo_commit(&out, c->repo->store, &c->repo->reg, me, &ch, 1,
				subject, id, action);
	free(subject);
	if (!error)
		c->repo->head = out;
	return error;
}
