/* history: log entries (see history.h). */
#include "history.h"
#include "record.h"
#include "revision.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

struct S_ctx {
	struct sup_repo *r;
	const struct sup_log_opts *o;
	struct sup_log_entry *v;
	size_t n;
	struct sup_judge judge;
	const char *path;		/* record log: current path */
	int old;			/* commits in a row committed before --since */
	int renamed;			/* record log: found an add that is a rename */
	struct sup_oid rename_commit;
	char *rename_from;
};

/* The record id of a records/<yyyy>/<id>.md path, or NULL. */
static char *S_path_id(const char *path)
{
	const char *base = strrchr(path, '/');

	if (!sup_starts_with(path, "records/") || !sup_ends_with(path, ".md"))
		return NULL;
	base = base ? base + 1 : path;
	return sup_xstrndup(base, strlen(base) - 3);
}

struct S_first_record {
	char *path;
	char kind;
	int count;
	struct sup_oid added[8], deleted[8];	/* record blobs, for renames */
	size_t nadded, ndeleted;
};

static int S_note_record(const char *path, char kind, const struct sup_oid *blob,
			 const struct sup_oid *parent_blob, void *payload)
{
	struct S_first_record *f = payload;

	if (sup_starts_with(path, "records/")) {
		if (kind == 'A' && blob && f->nadded < 8)
			f->added[f->nadded++] = *blob;
		if (kind == 'D' && parent_blob && f->ndeleted < 8)
			f->deleted[f->ndeleted++] = *parent_blob;
	}
	if (!sup_starts_with(path, "records/")) {
		if (!f->path)
			f->count++;
		return 0;
	}
	if (!f->path) {
		f->path = sup_xstrdup(path);
		f->kind = kind;
	}
	f->count++;
	return 0;
}

/* Fill an entry from the commit: time, trailers, verdict. */
static int S_fill(struct S_ctx *c, struct sup_log_entry *e, const struct sup_oid *commit)
{
	struct sup_commit_info ci;
	struct sup_buf raw = SUP_BUF_INIT;
	int error;

	e->commit = *commit;
	sup_oid_fmt(e->hex, commit);
	if ((error = sup_store_commit_info(&ci, c->r->store, commit)) < 0)
		return error;
	e->when = ci.author_time;
	e->offset = ci.author_offset;
	if ((error = sup_store_commit_raw(&raw, c->r->store, commit)) < 0)
		goto out;
	e->actor = sup_commit_trailer(raw.ptr, raw.len, "Sup-Actor");
	e->action = sup_commit_trailer(raw.ptr, raw.len, "Sup-Action");
	e->record = sup_commit_trailer(raw.ptr, raw.len, "Sup-Record");
	if ((error = sup_judge_commit(&e->judgement, &c->judge, commit)) < 0)
		goto out;
	if (!e->action) {
		e->note = sup_xstrdup("made with plain git");
	} else if (!e->record && sup_starts_with(ci.summary, "sup: ")) {
		/* register changes name their target in the subject */
		free(e->action);
		e->action = sup_xstrdup(ci.summary + 5);
	}
	if (!e->actor) {
		const struct sup_staff *st = sup_register_by_email(&c->r->reg, ci.author_email);

		e->actor = e->judgement.signer ? sup_xstrdup(e->judgement.signer) :
			   st ? sup_xstrdup(st->id) : sup_xstrdup(ci.author_email);
	}
out:
	sup_buf_release(&raw);
	sup_commit_info_release(&ci);
	return error;
}

static int S_keep(struct S_ctx *c, struct sup_log_entry *e)
{
	const struct sup_log_opts *o = c->o;

	if ((o->since && e->when < o->since) || (o->until && e->when > o->until))
		return 0;
	if (o->person && strcmp(e->actor, o->person) &&
	    !(e->judgement.signer && !strcmp(e->judgement.signer, o->person)))
		return 0;
	return 1;
}

static struct sup_log_entry *S_push(struct S_ctx *c)
{
	c->v = sup_xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	return &c->v[c->n++];
}

static void S_entry_release(struct sup_log_entry *e)
{
	free(e->actor);
	free(e->action);
	free(e->record);
	free(e->path);
	free(e->note);
	free(e->parent_path);
	sup_judgement_release(&e->judgement);
}

/* Commits in a row committed before --since after which the walk stops:
 * the walk is newest first by commit time, so only commits whose clocks
 * disagree could still be in range (git log stops the same way). */
#define S_SINCE_SLOP 100

/* Whether a commit is outside --since/--until, decided from its dates
 * alone, before its signature is judged (the costly part); 1 to stop. */
static int S_outside(int *outside, struct S_ctx *c, const struct sup_oid *commit)
{
	const struct sup_log_opts *o = c->o;
	struct sup_commit_info ci;
	int error;

	*outside = 0;
	if (!o->since && !o->until)
		return 0;
	if ((error = sup_store_commit_info(&ci, c->r->store, commit)) < 0)
		return error;
	*outside = (o->since && ci.author_time < o->since) ||
		   (o->until && ci.author_time > o->until);
	if (o->since && ci.committer_time < o->since)
		c->old++;
	else
		c->old = 0;
	sup_commit_info_release(&ci);
	return c->old >= S_SINCE_SLOP;
}

static int S_all_visit(const struct sup_oid *commit, void *payload)
{
	struct S_ctx *c = payload;
	struct sup_log_entry *e;
	int error, outside;

	if ((error = S_outside(&outside, c, commit)) != 0)
		return error;
	if (outside)
		return 0;
	e = S_push(c);
	if ((error = S_fill(c, e, commit)) < 0)
		return error;
	if (!e->action || !e->record) {
		struct S_first_record f;

		memset(&f, 0, sizeof(f));

		if ((error = sup_store_changed_paths(c->r->store, commit,
						     S_note_record, &f)) < 0) {
			free(f.path);
			return error;
		}
		if (!e->action) {
			/* the same words as a record's own log */
			const char *what = !f.path ? "edit" : f.kind == 'A' ? "add" :
					   f.kind == 'D' ? "delete" : "edit";
			size_t x, y;

			for (x = 0; x < f.nadded; x++)
				for (y = 0; y < f.ndeleted; y++)
					if (sup_oid_equal(&f.added[x], &f.deleted[y]))
						what = "rename";
			e->action = sup_xstrdup(what);
		}
		if (!e->record && f.path && !strcmp(e->note ? e->note : "", "made with plain git"))
			e->record = S_path_id(f.path);
		free(f.path);
	}
	if (!S_keep(c, e)) {
		S_entry_release(e);
		c->n--;
	}
	return 0;
}

struct S_find_blob {
	const struct sup_oid *blob;
	char want;		/* 'D': where it left from; 'A': where it went */
	char *path;
};

static int S_find_blob_path(const char *path, char kind, const struct sup_oid *blob,
			    const struct sup_oid *parent_blob, void *payload)
{
	struct S_find_blob *f = payload;
	const struct sup_oid *o = kind == 'D' ? parent_blob : blob;

	if (kind == f->want && o && !f->path && sup_oid_equal(o, f->blob) &&
	    sup_starts_with(path, "records/"))
		f->path = sup_xstrdup(path);
	return 0;
}

static int S_record_visit(const struct sup_oid *commit, const struct sup_oid *blob,
			  const struct sup_oid *parent_blob, void *payload)
{
	struct S_ctx *c = payload;
	struct sup_log_entry *e = S_push(c);
	int error;

	if ((error = S_fill(c, e, commit)) < 0)
		return error;
	e->path = sup_xstrdup(c->path);
	e->has_blob = blob != NULL;
	if (blob)
		e->blob = *blob;
	e->has_parent_blob = parent_blob != NULL;
	if (parent_blob)
		e->parent_blob = *parent_blob;
	if (!e->record)
		e->record = S_path_id(c->path);
	if (!blob) {
		/* gone here: renamed if the same file arrived elsewhere */
		struct S_find_blob f = { parent_blob, 'A', NULL };

		sup_store_changed_paths(c->r->store, commit, S_find_blob_path, &f);
		free(e->note);
		e->note = f.path ? sup_xasprintf("renamed to %s", f.path) :
			  sup_xstrdup("deleted");
		if (!e->action)
			e->action = sup_xstrdup(f.path ? "rename" : "delete");
		free(f.path);
	} else if (!parent_blob) {
		/* added here: a rename if the same file left another path */
		struct S_find_blob f = { blob, 'D', NULL };

		sup_store_changed_paths(c->r->store, commit, S_find_blob_path, &f);
		if (f.path) {
			char *note = sup_xasprintf("renamed from %s", f.path);

			free(e->note);
			e->note = note;
			e->parent_path = f.path;
			/* an exact rename: the content before is this content */
			e->has_parent_blob = 1;
			e->parent_blob = *blob;
			c->renamed = 1;
			c->rename_commit = *commit;
			c->rename_from = sup_xstrdup(f.path);
			if (!e->action)
				e->action = sup_xstrdup("rename");
		} else if (!e->action) {
			e->action = sup_xstrdup("add");
		}
	} else if (!e->action) {
		e->action = sup_xstrdup("edit");
	}
	if (!S_keep(c, e)) {
		S_entry_release(e);
		c->n--;
	}
	return c->renamed ? 1 : 0;
}

int sup_log_collect(struct sup_log_entry **out, size_t *n, struct sup_repo *r,
		    const struct sup_log_opts *o)
{
	struct S_ctx c;
	char *path = NULL;
	int error, hops;

	*out = NULL;
	*n = 0;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.o = o;
	sup_judge_init(&c.judge, r->store);
	if (!o->id) {
		error = sup_walk_all(r->store, &r->head, S_all_visit, &c);
		goto done;
	}
	if ((error = sup_version_path(&path, r, o->id)) < 0)
		goto done;
	c.path = path;
	error = sup_path_history(r->store, &r->head, path, S_record_visit, &c);
	/* follow renames: continue from the rename's parent under the old name */
	for (hops = 0; !error && c.renamed && hops < 16; hops++) {
		struct sup_oid *parents = NULL;
		size_t np = 0;

		c.renamed = 0;
		free(path);
		path = c.rename_from;
		c.rename_from = NULL;
		c.path = path;
		if ((error = sup_store_commit_parents(&parents, &np, r->store,
						      &c.rename_commit)) < 0 || !np) {
			free(parents);
			break;
		}
		error = sup_path_history(r->store, &parents[0], path, S_record_visit, &c);
		free(parents);
	}
	if (!error && c.n == 0 && !o->since && !o->until && !o->person)
		error = sup_error_set(SUP_ENOTFOUND,
				      "no history for '%s' (no record %s ever existed on this branch)",
				      o->id, path);
done:
	sup_judge_release(&c.judge);
	free(c.rename_from);
	free(path);
	if (error < 0) {
		sup_log_free(c.v, c.n);
		return error;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

void sup_log_free(struct sup_log_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		S_entry_release(&e[i]);
	free(e);
}

int sup_log_read(struct sup_buf *out, struct sup_repo *r,
		 const struct sup_oid *blob)
{
	return sup_store_blob_read(out, r->store, blob);
}
