/* parties: which records each person is a party of (see parties.h). */
#include "parties.h"
#include "blobcache.h"
#include "record.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The file:
 *
 *	header	magic (16), records tree id (20), people, rows, bytes of
 *		names, checksum of the header, people and names
 *	people	sorted by name: name offset, name length, first row, rows,
 *		checksum of those rows and their paths
 *	names
 *	rows	by person, then path: path offset, path length, blob id
 *	paths
 *
 * A lookup checks the header's checksum and the one person's, so that
 * it reads a few pages of a file of some megabytes; a person not in a
 * sound table is a party of nothing.  Anything that fails a check is not
 * believed: the file is built again from the tree.
 */
#define S_MAGIC "sup-parties 1\n\0\0"
#define S_MAGIC_LEN 16
#define S_HDR 52
#define S_PERSON 20
#define S_ROW 28
/* changes since the file's tree taken in passing before it is rewritten */
#define S_FOLD(rows) ((rows) / 32 > 256 ? (rows) / 32 : 256)

struct S_row {
	char *person;		/* "" for a record that does not parse */
	char *path;
	struct sup_oid blob;
};

struct S_rows {
	struct S_row *v;
	size_t n, cap;
};

struct S_build {
	const struct sup_parties_kind *kind;
	struct S_rows rows;
	const char *path;	/* of the file being looked at */
	const struct sup_oid *blob;
	size_t first;		/* its first row */
	char **gone;		/* paths changed between the trees, sorted */
	size_t ngone, gonecap;
};

static uint32_t S_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void S_put32(struct sup_buf *b, uint32_t v)
{
	sup_ser_u32(b, v);
}

static uint32_t S_fold(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

static void S_rows_add(struct S_rows *r, const char *person, size_t plen,
		       const char *path, const struct sup_oid *blob)
{
	struct S_row *x;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->v = sup_xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	x = &r->v[r->n++];
	x->person = sup_xstrndup(person, plen);
	x->path = sup_xstrdup(path);
	x->blob = *blob;
}

static void S_rows_release(struct S_rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].person);
		free(r->v[i].path);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int S_row_cmp(const void *a, const void *b)
{
	const struct S_row *x = a, *y = b;
	int c = strcmp(x->person, y->person);

	return c ? c : strcmp(x->path, y->path);
}

/* One person of the record being looked at; a person named twice (a
 * supervisor who is also an attendee) is one row. */
static void S_person(const char *id, size_t len, void *payload)
{
	struct S_build *b = payload;
	size_t i;

	for (i = b->first; i < b->rows.n; i++)
		if (strlen(b->rows.v[i].person) == len && !memcmp(b->rows.v[i].person, id, len))
			return;
	S_rows_add(&b->rows, id, len, b->path, b->blob);
}

/* Rows for the file at path with this blob: its people, or one row for
 * no one ("") when it has none (it does not parse). */
static int S_file_rows(struct S_build *b, const char *path, const struct sup_oid *blob)
{
	int error;

	b->path = path;
	b->blob = blob;
	b->first = b->rows.n;
	if ((error = b->kind->people(b->kind->ctx, path, blob, S_person, b)) < 0)
		return error;
	if (b->rows.n == b->first)
		S_rows_add(&b->rows, "", 0, path, blob);
	return 0;
}

static int S_change(const char *path, const struct sup_oid *before,
		    const struct sup_oid *after, void *payload)
{
	struct S_build *b = payload;

	(void)before;
	if (!b->kind->is_file(path))
		return 0;
	if (b->ngone == b->gonecap) {
		b->gonecap = b->gonecap ? b->gonecap * 2 : 64;
		b->gone = sup_xrealloc(b->gone, b->gonecap * sizeof(*b->gone));
	}
	b->gone[b->ngone++] = sup_xstrdup(path);
	return after ? S_file_rows(b, path, after) : 0;
}

static int S_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The mapped file, checked as far as its header. */
struct S_file {
	const unsigned char *map;
	size_t len;
	struct sup_oid tree;
	size_t npeople, nrows;
	const unsigned char *people, *names, *rows, *paths;
	size_t nameslen, pathslen;
};

static void S_file_close(struct S_file *f)
{
	if (f->map)
		munmap((void *)f->map, f->len);
	memset(f, 0, sizeof(*f));
}

static int S_file_open(struct S_file *f, const char *path)
{
	struct stat st;
	uint64_t need;
	void *m;
	int fd;

	memset(f, 0, sizeof(*f));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size < S_HDR || (uint64_t)st.st_size > SIZE_MAX / 4 ||
	    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	close(fd);
	f->map = m;
	f->len = (size_t)st.st_size;
	if (memcmp(f->map, S_MAGIC, S_MAGIC_LEN))
		goto bad;
	memcpy(f->tree.id, f->map + 16, 20);
	f->npeople = S_get32(f->map + 36);
	f->nrows = S_get32(f->map + 40);
	f->nameslen = S_get32(f->map + 44);
	need = S_HDR + (uint64_t)f->npeople * S_PERSON + f->nameslen + (uint64_t)f->nrows * S_ROW;
	if (need > f->len)
		goto bad;
	f->people = f->map + S_HDR;
	f->names = f->people + f->npeople * S_PERSON;
	f->rows = f->names + f->nameslen;
	f->paths = f->rows + f->nrows * S_ROW;
	f->pathslen = f->len - (size_t)need;
	{
		uint64_t h = sup_hash_add(SUP_HASH_INIT, f->map + 16, 32);

		h = sup_hash_add(h, f->people, f->npeople * S_PERSON);
		h = sup_hash_add(h, f->names, f->nameslen);
		if (S_fold(h) != S_get32(f->map + 48))
			goto bad;
	}
	return 0;
bad:
	S_file_close(f);
	return -1;
}

/* Person i's rows, checked: 0 with *first and *count, or -1. */
static int S_person_rows(const struct S_file *f, size_t i, size_t *first, size_t *count)
{
	const unsigned char *p = f->people + i * S_PERSON;
	uint64_t h = SUP_HASH_INIT;
	size_t k;

	*first = S_get32(p + 8);
	*count = S_get32(p + 12);
	if (*first > f->nrows || *count > f->nrows - *first)
		return -1;
	h = sup_hash_add(h, f->rows + *first * S_ROW, *count * S_ROW);
	for (k = *first; k < *first + *count; k++) {
		const unsigned char *r = f->rows + k * S_ROW;
		size_t off = S_get32(r), len = S_get32(r + 4);

		if (off > f->pathslen || len > f->pathslen - off || !len ||
		    memchr(f->paths + off, '\0', len))
			return -1;
		h = sup_hash_add(h, f->paths + off, len);
	}
	return S_fold(h) == S_get32(p + 16) ? 0 : -1;
}

static const unsigned char *S_name(const struct S_file *f, size_t i, size_t *len)
{
	const unsigned char *p = f->people + i * S_PERSON;
	size_t off = S_get32(p), n = S_get32(p + 4);

	if (off > f->nameslen || n > f->nameslen - off)
		return NULL;
	*len = n;
	return f->names + off;
}

/* Index of person in the (sound) table, or -1. */
static long S_find(const struct S_file *f, const char *person)
{
	size_t lo = 0, hi = f->npeople, plen = strlen(person);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, n;
		const unsigned char *name = S_name(f, mid, &n);
		int c;

		if (!name)
			return -1;
		c = memcmp(name, person, n < plen ? n : plen);
		if (!c)
			c = n < plen ? -1 : n > plen ? 1 : 0;
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void S_out_add(struct sup_party_file **out, size_t *n, size_t *cap,
		      const char *path, size_t len, const struct sup_oid *blob)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*out = sup_xrealloc(*out, *cap * sizeof(**out));
	}
	(*out)[*n].path = sup_xstrndup(path, len);
	(*out)[*n].blob = *blob;
	(*n)++;
}

static int S_str_cmp(const void *a, const void *b);

/* The answer from a sound file: the person's rows and the unparsed
 * ones, but for the paths in gone (sorted).  -1 when a checksum fails. */
static int S_answer_file(struct sup_party_file **out, size_t *n, const struct S_file *f,
			 const char *person, char **gone, size_t ngone)
{
	size_t cap = 0, first, count, k, w;
	long who[2];

	who[0] = S_find(f, "");
	who[1] = *person ? S_find(f, person) : -1;
	for (w = 0; w < 2; w++) {
		if (who[w] < 0)
			continue;
		if (S_person_rows(f, (size_t)who[w], &first, &count) < 0)
			return -1;
		for (k = first; k < first + count; k++) {
			const unsigned char *r = f->rows + k * S_ROW;
			struct sup_oid blob;

			memcpy(blob.id, r + 8, 20);
			S_out_add(out, n, &cap, (const char *)f->paths + S_get32(r),
				  S_get32(r + 4), &blob);
			if (ngone && bsearch(&(*out)[*n - 1].path, gone, ngone,
					     sizeof(*gone), S_str_cmp)) {
				(*n)--;
				free((*out)[*n].path);
			}
		}
	}
	return 0;
}

static void S_answer_rows(struct sup_party_file **out, size_t *n, const struct S_rows *rows,
			  const char *person)
{
	size_t cap = *n, i;

	for (i = 0; i < rows->n; i++)
		if (!rows->v[i].person[0] || !strcmp(rows->v[i].person, person))
			S_out_add(out, n, &cap, rows->v[i].path, strlen(rows->v[i].path),
				  &rows->v[i].blob);
}

/* Every row of a sound file into rows: -1 when any checksum fails. */
static int S_load_rows(struct S_rows *rows, const struct S_file *f)
{
	size_t i, k, first, count, nlen;

	for (i = 0; i < f->npeople; i++) {
		const unsigned char *name = S_name(f, i, &nlen);

		if (!name || memchr(name, '\0', nlen) ||
		    S_person_rows(f, i, &first, &count) < 0)
			return -1;
		for (k = first; k < first + count; k++) {
			const unsigned char *r = f->rows + k * S_ROW;
			struct sup_oid blob;
			char *path = sup_xstrndup((const char *)f->paths + S_get32(r),
						  S_get32(r + 4));

			memcpy(blob.id, r + 8, 20);
			S_rows_add(rows, (const char *)name, nlen, path, &blob);
			free(path);
		}
	}
	return 0;
}

/* Write rows (sorted) as the file for tree; failure only loses the
 * shortcut. */
static void S_write(const struct S_rows *rows, const struct sup_oid *tree,
		    const char *file)
{
	struct sup_buf people = SUP_BUF_INIT, names = SUP_BUF_INIT, rbuf = SUP_BUF_INIT,
		       paths = SUP_BUF_INIT, out = SUP_BUF_INIT;
	size_t i = 0, npeople = 0;
	uint64_t h;
	char *tmp = NULL, *dir;

	if (rows->n >= UINT32_MAX / S_ROW)
		return;
	while (i < rows->n) {
		size_t first = i, k;

		h = SUP_HASH_INIT;
		while (i < rows->n && !strcmp(rows->v[i].person, rows->v[first].person))
			i++;
		for (k = first; k < i; k++) {
			S_put32(&rbuf, (uint32_t)paths.len);
			S_put32(&rbuf, (uint32_t)strlen(rows->v[k].path));
			sup_buf_put(&rbuf, rows->v[k].blob.id, 20);
			sup_buf_puts(&paths, rows->v[k].path);
		}
		h = sup_hash_add(h, (const unsigned char *)rbuf.ptr + first * S_ROW, (i - first) * S_ROW);
		for (k = first; k < i; k++)
			h = sup_hash_add(h, (const unsigned char *)paths.ptr + S_get32((const unsigned char *)rbuf.ptr + k * S_ROW),
				  strlen(rows->v[k].path));
		S_put32(&people, (uint32_t)names.len);
		S_put32(&people, (uint32_t)strlen(rows->v[first].person));
		S_put32(&people, (uint32_t)first);
		S_put32(&people, (uint32_t)(i - first));
		S_put32(&people, S_fold(h));
		sup_buf_puts(&names, rows->v[first].person);
		npeople++;
	}
	{
		unsigned char hdr[32];
		struct sup_buf nums = SUP_BUF_INIT;

		memcpy(hdr, tree->id, 20);
		S_put32(&nums, (uint32_t)npeople);
		S_put32(&nums, (uint32_t)rows->n);
		S_put32(&nums, (uint32_t)names.len);
		memcpy(hdr + 20, nums.ptr, 12);
		sup_buf_release(&nums);
		h = sup_hash_add(SUP_HASH_INIT, hdr, 32);
		h = sup_hash_add(h, (const unsigned char *)(people.ptr ? people.ptr : ""), people.len);
		h = sup_hash_add(h, (const unsigned char *)(names.ptr ? names.ptr : ""), names.len);
		sup_buf_put(&out, S_MAGIC, S_MAGIC_LEN);
		sup_buf_put(&out, hdr, 32);
		S_put32(&out, S_fold(h));
	}
	sup_buf_put(&out, people.ptr ? people.ptr : "", people.len);
	sup_buf_put(&out, names.ptr ? names.ptr : "", names.len);
	sup_buf_put(&out, rbuf.ptr ? rbuf.ptr : "", rbuf.len);
	sup_buf_put(&out, paths.ptr ? paths.ptr : "", paths.len);
	dir = sup_xstrdup(file);
	*strrchr(dir, '/') = '\0';
	tmp = sup_xasprintf("%s.sup-tmp.%ld", file, (long)getpid());
	if (sup_mkdir_p(dir) < 0 || sup_write_file(tmp, out.ptr, out.len) < 0 ||
	    rename(tmp, file) < 0) {
		unlink(tmp);
		sup_error_clear();
	}
	free(dir);
	free(tmp);
	sup_buf_release(&people);
	sup_buf_release(&names);
	sup_buf_release(&rbuf);
	sup_buf_release(&paths);
	sup_buf_release(&out);
}

/* Rows for tree: the file's rows brought up to date with the files that
 * differ between its tree and this one, or, without a sound file, from
 * every file (the changes from no tree at all). */
static int S_rebuild(struct S_rows *rows, const struct sup_parties_kind *kind,
		   struct sup_store *s, const struct S_file *f, const struct sup_oid *tree)
{
	struct S_build b;
	struct S_rows old;
	size_t i;
	int error, have_old;

	memset(&b, 0, sizeof(b));
	memset(&old, 0, sizeof(old));
	b.kind = kind;
	have_old = f->map && S_load_rows(&old, f) == 0;
	if (!have_old)
		S_rows_release(&old);
	sup_trace("parties: %zu rows read", old.n);
	error = sup_tree_changes(s, have_old ? &f->tree : NULL, tree, kind->dir, S_change, &b);
	sup_trace("parties: %zu files changed", b.ngone);
	sup_qsort(b.gone, b.ngone, sizeof(*b.gone), S_str_cmp);
	for (i = 0; !error && i < old.n; i++) {
		struct S_row *r = &old.v[i];

		if (bsearch(&r->path, b.gone, b.ngone, sizeof(*b.gone), S_str_cmp))
			continue;	/* the file changed: its new rows are in */
		S_rows_add(&b.rows, r->person, strlen(r->person), r->path, &r->blob);
	}
	if (!error) {
		sup_qsort(b.rows.v, b.rows.n, sizeof(*b.rows.v), S_row_cmp);
		*rows = b.rows;
	} else {
		S_rows_release(&b.rows);
	}
	S_rows_release(&old);
	for (i = 0; i < b.ngone; i++)
		free(b.gone[i]);
	free(b.gone);
	return error;
}

int sup_parties_of(struct sup_party_file **out, size_t *n, struct sup_store *s,
		   const struct sup_oid *commit, const struct sup_parties_kind *kind,
		   const char *person)
{
	struct sup_oid tree;
	struct S_file f;
	struct S_rows rows;
	char *file;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = sup_store_tree_id(&tree, s, commit, kind->dir)) < 0) {
		if (error != SUP_ENOTFOUND)
			return error;
		sup_error_clear();
		return 0;	/* nothing there yet */
	}
	file = sup_xasprintf("%ssup/cache/%s", sup_store_gitdir(s), kind->cache);
	S_file_open(&f, file);
	if (f.map && sup_oid_equal(&f.tree, &tree) &&
	    S_answer_file(out, n, &f, person, NULL, 0) == 0)
		goto done;
	sup_party_files_free(*out, *n);
	*out = NULL;
	*n = 0;
	/* The tree moved on: the file's answer, less the files that differ,
	 * plus what they are now.  Only the directories that differ are
	 * read, so this costs the same for one change as for a thousand;
	 * the file is written again once the changes are many. */
	if (f.map) {
		struct S_build b;
		size_t i;

		memset(&b, 0, sizeof(b));
		b.kind = kind;
		error = sup_tree_changes(s, &f.tree, &tree, kind->dir, S_change, &b);
		sup_qsort(b.gone, b.ngone, sizeof(*b.gone), S_str_cmp);
		if (!error && b.ngone <= S_FOLD(f.nrows) &&
		    S_answer_file(out, n, &f, person, b.gone, b.ngone) == 0)
			S_answer_rows(out, n, &b.rows, person);
		else if (!error)
			error = 1;	/* many changes, or a damaged row: rebuild */
		S_rows_release(&b.rows);
		for (i = 0; i < b.ngone; i++)
			free(b.gone[i]);
		free(b.gone);
		if (!error)
			goto done;
		/* the file's tree may be gone (a history rewritten and
		 * pruned): whatever went wrong, build from the tree alone,
		 * which reports a real error again */
		if (error < 0) {
			sup_error_clear();
			S_file_close(&f);
		}
		error = 0;
	}
	sup_party_files_free(*out, *n);
	*out = NULL;
	*n = 0;
	memset(&rows, 0, sizeof(rows));
	if ((error = S_rebuild(&rows, kind, s, &f, &tree)) < 0)
		goto done;
	sup_trace("parties: built");
	S_write(&rows, &tree, file);
	sup_trace("parties: written");
	S_answer_rows(out, n, &rows, person);
	S_rows_release(&rows);
done:
	sup_trace("parties: %zu of %s in %s", *n, person, kind->dir);
	S_file_close(&f);
	free(file);
	return error;
}

void sup_party_files_free(struct sup_party_file *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}

/* ---- records ---- */

/* A record file as sup_records_index() takes one: records/<dir>/<x>.md. */
static int S_is_record(const char *path)
{
	const char *rest, *slash;
	size_t n;

	if (strncmp(path, "records/", 8))
		return 0;
	rest = path + 8;
	if (!(slash = strchr(rest, '/')) || slash == rest || strchr(slash + 1, '/'))
		return 0;
	n = strlen(slash + 1);
	return n > 3 && !strcmp(slash + 1 + n - 3, ".md");
}

struct S_recs {
	struct sup_store *s;
	struct sup_blobcache *cache;
	struct sup_buf text, ser;
};

/* The people of a record: from the records cache, or by parsing it (and
 * caching what it parses to, as sup_records_load_some does). */
static int S_record_people(void *ctx, const char *path, const struct sup_oid *blob,
			   sup_person_fn add, void *payload)
{
	struct S_recs *c = ctx;
	const unsigned char *hit;
	struct sup_record *rec = NULL;
	size_t len, i;
	int error;

	/* a cached entry that turns out damaged part way may have named
	 * some people already: S_person keeps each once.  The same blob at
	 * another path (a record copied or moved) is parsed where it is: it
	 * may not parse there (its id names the file). */
	if ((hit = sup_blobcache_get(c->cache, blob, &len)) != NULL &&
	    len >= 4 && hit[0] == 0 && hit[1] == 0 &&
	    ((size_t)hit[2] << 8 | hit[3]) == strlen(path) && len - 4 >= strlen(path) &&
	    !memcmp(hit + 4, path, strlen(path)) &&
	    sup_record_peek_people(hit, len, add, payload) == 0)
		return 0;
	sup_buf_truncate(&c->text, 0);
	if ((error = sup_store_blob_read(&c->text, c->s, blob)) < 0)
		return error;
	error = sup_record_parse(&rec, sup_buf_cstr(&c->text), c->text.len, path, 0);
	if (error == SUP_EINVALID || (!error && !rec)) {
		/* reported by whoever reads it */
		sup_diag_clear();
		sup_error_clear();
		return 0;
	}
	if (error < 0)
		return error;
	if (rec->supervisor)
		add(rec->supervisor, strlen(rec->supervisor), payload);
	if (rec->supervisee)
		add(rec->supervisee, strlen(rec->supervisee), payload);
	for (i = 0; i < rec->nsupervisees; i++)
		add(rec->supervisees[i], strlen(rec->supervisees[i]), payload);
	if (rec->from)
		add(rec->from, strlen(rec->from), payload);
	if (rec->to)
		add(rec->to, strlen(rec->to), payload);
	sup_record_shed(rec);
	sup_buf_truncate(&c->ser, 0);
	sup_record_serialize(&c->ser, rec);
	sup_blobcache_put(c->cache, blob, c->ser.ptr, c->ser.len);
	sup_record_free(rec);
	return 0;
}

static int S_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sup_recref *)a)->id,
		      ((const struct sup_recref *)b)->id);
}

int sup_records_of(struct sup_records *out, struct sup_store *s,
		   const struct sup_oid *commit, const char *person)
{
	struct S_recs c;
	struct sup_parties_kind kind;
	struct sup_party_file *f = NULL;
	size_t n = 0, i;
	int error;

	memset(out, 0, sizeof(*out));
	out->store = s;
	memset(&c, 0, sizeof(c));
	c.s = s;
	sup_blobcache_open(&c.cache, s, "records", SUP_RECORD_CACHE_VERSION);
	kind.dir = "records";
	kind.cache = "parties";
	kind.is_file = S_is_record;
	kind.people = S_record_people;
	kind.ctx = &c;
	error = sup_parties_of(&f, &n, s, commit, &kind, person);
	if (!error)
		sup_blobcache_save(c.cache);
	sup_blobcache_free(c.cache);
	sup_buf_release(&c.text);
	sup_buf_release(&c.ser);
	if (error < 0)
		return error;
	out->refs = sup_xcalloc(n ? n : 1, sizeof(*out->refs));
	for (i = 0; i < n; i++) {
		struct sup_recref *r = &out->refs[out->n];
		size_t len = strlen(f[i].path), idlen;
		const char *base;

		if (!S_is_record(f[i].path))
			continue;	/* not as the kind writes them */
		/* one block: "<path>" NUL "<id>" NUL, as sup_records_index makes */
		r->path = sup_xmalloc(2 * len + 2);
		memcpy(r->path, f[i].path, len + 1);
		base = strrchr(r->path, '/') + 1;
		idlen = (size_t)(r->path + len - base) - 3;
		r->id = r->path + len + 1;
		memcpy(r->id, base, idlen);
		r->id[idlen] = '\0';
		r->blob = f[i].blob;
		out->n++;
	}
	sup_party_files_free(f, n);
	sup_qsort(out->refs, out->n, sizeof(*out->refs), S_ref_cmp);
	return 0;
}
