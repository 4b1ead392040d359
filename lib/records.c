/* records: the collection of records at a commit (see records.h). */
#include "records.h"
#include "blobcache.h"

#include <stdlib.h>
#include <string.h>

static int S_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sup_recref *)a)->id,
		      ((const struct sup_recref *)b)->id);
}

/* Append the records of one records/<yyyy> tree, read in place: an index
 * of 100,000 records is built for every command, and building libgit2
 * tree objects and two strings per entry was most of a `sup list`. */
static int S_index_year(struct sup_records *out, size_t *cap, struct sup_store *s,
			const struct sup_tree_entry *year)
{
	struct sup_raw raw;
	const unsigned char *p, *end;
	struct sup_tree_entry e;
	struct sup_oid id;
	int error;

	memcpy(id.id, year->id, 20);
	if ((error = sup_store_raw_read(&raw, s, &id, SUP_RAW_WALK)) < 0)
		return error;
	p = raw.data;
	end = p + raw.len;
	while (raw.type == SUP_OBJ_TREE && sup_tree_next(&e, &p, end)) {
		struct sup_recref *r;
		char *buf;

		if (e.is_tree || e.nlen <= 3 || memcmp(e.name + e.nlen - 3, ".md", 3) ||
		    memchr(e.name, '\0', e.nlen))
			continue;
		if (out->n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			out->refs = sup_xrealloc(out->refs, *cap * sizeof(*out->refs));
		}
		r = &out->refs[out->n++];
		/* one allocation: "records/<yyyy>/<id>.md" NUL "<id>" NUL */
		buf = sup_xmalloc(8 + year->nlen + 1 + e.nlen + 1 + e.nlen - 3 + 1);
		r->path = buf;
		memcpy(buf, "records/", 8);
		memcpy(buf + 8, year->name, year->nlen);
		buf[8 + year->nlen] = '/';
		memcpy(buf + 9 + year->nlen, e.name, e.nlen);
		buf[9 + year->nlen + e.nlen] = '\0';
		r->id = buf + 10 + year->nlen + e.nlen;
		memcpy(r->id, e.name, e.nlen - 3);
		r->id[e.nlen - 3] = '\0';
		memcpy(r->blob.id, e.id, 20);
	}
	sup_raw_release(&raw);
	return 0;
}

int sup_records_index(struct sup_records *out, struct sup_store *s,
		      const struct sup_oid *commit)
{
	struct sup_oid tree;
	struct sup_raw raw;
	struct sup_tree_entry e;
	const unsigned char *p, *end;
	size_t cap = 0;
	int error;

	memset(out, 0, sizeof(*out));
	out->store = s;
	if ((error = sup_store_tree_id(&tree, s, commit, "records")) < 0) {
		if (error != SUP_ENOTFOUND)
			return error;
		sup_error_clear();
		return 0;	/* no records yet */
	}
	if ((error = sup_store_raw_read(&raw, s, &tree, SUP_RAW_WALK)) < 0)
		return error;
	p = raw.data;
	end = p + raw.len;
	while (raw.type == SUP_OBJ_TREE && sup_tree_next(&e, &p, end))
		if (e.is_tree && !memchr(e.name, '\0', e.nlen) &&
		    (error = S_index_year(out, &cap, s, &e)) < 0)
			break;
	sup_raw_release(&raw);
	if (error < 0) {
		sup_records_release(out);
		return error;
	}
	/* the trees list them by name, which is id order but where one id is
	 * a prefix of another: sort only then */
	for (cap = 1; cap < out->n; cap++)
		if (S_ref_cmp(&out->refs[cap - 1], &out->refs[cap]) > 0) {
			sup_qsort(out->refs, out->n, sizeof(*out->refs), S_ref_cmp);
			break;
		}
	sup_trace("records: index of %zu", out->n);
	return 0;
}

void sup_records_release(struct sup_records *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++)
		free(rs->refs[i].path);	/* the id is in the same block */
	free(rs->refs);
	rs->refs = NULL;
	rs->n = 0;
}

const struct sup_recref *sup_records_get(const struct sup_records *rs,
					 const char *id)
{
	struct sup_recref key;

	if (!rs->n)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.id = (char *)id;
	return bsearch(&key, rs->refs, rs->n, sizeof(*rs->refs), S_ref_cmp);
}

int sup_records_find(const struct sup_recref **out, const struct sup_records *rs,
		     const char *arg)
{
	const char *base, *name = arg;
	char *id = NULL;
	size_t i, lo, count = 0, len;
	struct sup_buf cands = SUP_BUF_INIT;

	*out = NULL;
	/* a path: take the file name; the index then says if it exists */
	if (strchr(arg, '/') || sup_ends_with(arg, ".md")) {
		base = strrchr(arg, '/');
		base = base ? base + 1 : arg;
		len = strlen(base);
		if (sup_ends_with(base, ".md"))
			len -= 3;
		id = sup_xstrndup(base, len);
		name = id;
	}
	if ((*out = sup_records_get(rs, name)) != NULL) {
		free(id);
		return 0;
	}
	len = strlen(name);
	/* first id >= name, then every id that starts with it */
	for (lo = 0; lo < rs->n && strcmp(rs->refs[lo].id, name) < 0; lo++)
		;
	for (i = lo; i < rs->n && !strncmp(rs->refs[i].id, name, len); i++) {
		if (count < 10)
			sup_buf_printf(&cands, "\n\t%s", rs->refs[i].id);
		count++;
		*out = &rs->refs[i];
	}
	if (count == 1 && len) {
		free(id);
		sup_buf_release(&cands);
		return 0;
	}
	*out = NULL;
	if (count > 1)
		sup_error_set(SUP_EINVALID, "'%s' is ambiguous: it could be any of%s%s",
			      name, sup_buf_cstr(&cands), count > 10 ? "\n\t..." : "");
	else
		sup_error_set(SUP_ENOTFOUND,
			      "no record '%s' (see 'sup list' for the records there are)", name);
	free(id);
	sup_buf_release(&cands);
	return sup_error_code();
}

int sup_records_load(struct sup_record **out, const struct sup_records *rs,
		     const struct sup_recref *ref)
{
	struct sup_buf text = SUP_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = sup_store_blob_read(&text, rs->store, &ref->blob)) == 0)
		error = sup_record_parse(out, sup_buf_cstr(&text), text.len,
					 ref->path, 0);
	sup_buf_release(&text);
	return error;
}

static int S_load_some(struct sup_record ***out, size_t *n,
		       const struct sup_records *rs,
		       const struct sup_record_want *want, unsigned flags);

int sup_records_load_all(struct sup_record ***out, size_t *n,
			 const struct sup_records *rs)
{
	return S_load_some(out, n, rs, NULL, 0);
}

int sup_records_load_lean(struct sup_record ***out, size_t *n,
			  const struct sup_records *rs)
{
	return S_load_some(out, n, rs, NULL, SUP_RECORD_LEAN);
}

int sup_records_load_some(struct sup_record ***out, size_t *n,
			  const struct sup_records *rs,
			  const struct sup_record_want *want)
{
	return S_load_some(out, n, rs, want, 0);
}

static int S_load_some(struct sup_record ***out, size_t *n,
		       const struct sup_records *rs,
		       const struct sup_record_want *want, unsigned flags)
{
	struct sup_blobcache *cache = NULL;
	struct sup_buf ser = SUP_BUF_INIT;
	size_t i;
	int error = 0;

	*out = sup_xcalloc(rs->n ? rs->n : 1, sizeof(**out));
	*n = 0;
	sup_blobcache_open(&cache, rs->store, "records", SUP_RECORD_CACHE_VERSION);
	if (!want)
		sup_blobcache_sweep(cache);	/* every record is asked for */
	sup_trace("records: cache open");
	for (i = 0; i < rs->n; i++) {
		const struct sup_recref *ref = &rs->refs[i];
		const unsigned char *hit;
		struct sup_record *rec = NULL;
		size_t len;
		int wanted = want ? -1 : 1;	/* -1: not judged yet */

		/* not wanted, judged from the first bytes: never built (-1: the
		 * fields run past those bytes; judged once they are whole) */
		if (want && (hit = sup_blobcache_peek(cache, &ref->blob, &len)) != NULL &&
		    (wanted = sup_record_peek(hit, len, want)) == 0)
			continue;
		if ((hit = sup_blobcache_get(cache, &ref->blob, &len)) != NULL &&
		    wanted < 0 && sup_record_peek(hit, len, want) == 0)
			continue;
		/* the same blob always parses to the same record: a cached
		 * summary is as good as parsing again, whatever the path */
		if (hit && (rec = sup_record_deserialize_ex(hit, len, flags)) != NULL &&
		    !strcmp(rec->path, ref->path)) {
			(*out)[(*n)++] = rec;
			continue;
		}
		sup_record_free(rec);
		rec = NULL;
		error = sup_records_load(&rec, rs, ref);
		if (error == SUP_EINVALID) {
			error = 0;	/* diagnosed; the rest still count */
			continue;
		}
		if (error < 0)
			break;
		sup_record_shed(rec);
		sup_buf_truncate(&ser, 0);
		sup_record_serialize(&ser, rec);
		sup_blobcache_put(cache, &ref->blob, ser.ptr, ser.len);
		if (want && !sup_record_wanted(rec, want)) {
			sup_record_free(rec);
			continue;
		}
		if (flags & SUP_RECORD_LEAN) {
			/* kept as a cached record would be: one block, without
			 * what the caller never reads (a cold audit holds every
			 * record at once) */
			struct sup_record *lean = sup_record_deserialize_ex(
				(const unsigned char *)ser.ptr, ser.len, flags);

			if (lean) {
				sup_record_free(rec);
				rec = lean;
			}
		}
		(*out)[(*n)++] = rec;
	}
	sup_trace("records: %zu loaded", *n);
	if (!error)
		sup_blobcache_save(cache);
	sup_blobcache_free(cache);
	sup_buf_release(&ser);
	sup_trace("records: cache saved");
	if (error < 0) {
		sup_records_free_all(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return error;
}

void sup_records_free_all(struct sup_record **recs, size_t n)
{
	size_t i;

	if (!recs)
		return;
	for (i = 0; i < n; i++)
		sup_record_free(recs[i]);
	free(recs);
}

static int S_date_cmp(const void *a, const void *b)
{
	const struct sup_record *x = *(struct sup_record *const *)a;
	const struct sup_record *y = *(struct sup_record *const *)b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->id, y->id);
}

int sup_open_actions(struct sup_open_action **out, size_t *n,
		     struct sup_record *const *recs, size_t nrecs,
		     const char *supervisee, sup_date before)
{
	struct sup_record **mine = sup_xcalloc(nrecs ? nrecs : 1, sizeof(*mine));
	size_t nm = 0, i, k, j;

	*out = NULL;
	*n = 0;
	for (i = 0; i < nrecs; i++)
		if (recs[i]->date < before && sup_record_about(recs[i], supervisee))
			mine[nm++] = recs[i];
	qsort(mine, nm, sizeof(*mine), S_date_cmp);
	for (i = 0; i < nm; i++) {
		for (k = 0; k < mine[i]->nactions; k++) {
			const struct sup_rec_action *a = &mine[i]->actions[k];
			char *ref = sup_xasprintf("%s#%ld", mine[i]->id, a->n);
			int closed = 0;

			for (j = i + 1; j < nm && !closed; j++) {
				size_t r;

				for (r = 0; r < mine[j]->nreviewed; r++)
					if (!strcmp(mine[j]->reviewed[r].action, ref) &&
					    mine[j]->reviewed[r].status &&
					    strcmp(mine[j]->reviewed[r].status, "carried"))
						closed = 1;
			}
			if (closed) {
				free(ref);
				continue;
			}
			*out = sup_xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[*n].ref = ref;
			(*out)[*n].text = a->text ? sup_xstrdup(a->text) : NULL;
			(*out)[*n].owner = a->owner ? sup_xstrdup(a->owner) : NULL;
			(*out)[*n].due = a->due;
			(*n)++;
		}
	}
	free(mine);
	return 0;
}

void sup_open_actions_free(struct sup_open_action *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].ref);
		free(a[i].text);
		free(a[i].owner);
	}
	free(a);
}
