/* blobcache: parsed files keyed by blob id (see blobcache.h). */
#include "blobcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_MAGIC "sup-blobcache 4\n"
/* Bytes at the start of an entry covered by a checksum of their own, so
 * that a peek at a record's summary does not hash the whole entry. */
#define S_HEAD 256
#define S_ENTRY_HDR 32	/* blob id, length, sum, head sum */

struct S_entry {
	struct sup_oid blob;
	size_t off, len;	/* in the file's map, or in add */
	uint32_t sum, hsum;	/* as stored; checked when first asked for */
	unsigned char used, checked, hchecked, added;
};

struct sup_blobcache {
	char *path;
	uint32_t version;
	const unsigned char *map;	/* the file, mapped: only what is
					 * looked at is read from disk */
	size_t maplen;
	struct sup_buf add;		/* entries put in this run */
	struct S_entry *e;		/* sorted by blob id up to nsorted */
	size_t n, nsorted, cap;
	uint32_t *slot;			/* index + 1 of e[0..nsorted) by blob */
	size_t nslots;			/* a power of two, or 0: no table */
	int dirty;
};

static int S_cmp(const void *a, const void *b)
{
	return memcmp(((const struct S_entry *)a)->blob.id,
		      ((const struct S_entry *)b)->blob.id, 20);
}

/* A checksum over an entry, a word at a time (FNV-1a's constants on
 * 64-bit words): a damaged entry (a bad disk block, a half write) is
 * dropped instead of believed.  Byte-at-a-time FNV over every entry was
 * the larger part of opening a cache of 100,000 records. */
static uint32_t S_sum(const unsigned char *p, size_t n, const struct sup_oid *blob)
{
	uint64_t h = 14695981039346656037u, w;
	size_t i;

	for (i = 0; i < 20; i++)
		h = (h ^ blob->id[i]) * 1099511628211u;
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 1099511628211u;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 1099511628211u;
	h ^= (uint64_t)n * 0x9e3779b97f4a7c15u;
	h ^= h >> 32;
	return (uint32_t)h;
}

static uint32_t S_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void sup_ser_u32(struct sup_buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	sup_buf_put(b, x, 4);
}

void sup_ser_i32(struct sup_buf *b, int32_t v)
{
	sup_ser_u32(b, (uint32_t)v);
}

void sup_ser_str(struct sup_buf *b, const char *s)
{
	if (!s) {
		sup_ser_u32(b, UINT32_MAX);
		return;
	}
	sup_ser_u32(b, (uint32_t)strlen(s));
	sup_buf_puts(b, s);
}

uint32_t sup_deser_u32(struct sup_deser *d)
{
	uint32_t v;

	if (d->bad || d->end - d->p < 4) {
		d->bad = 1;
		return 0;
	}
	v = S_get32(d->p);
	d->p += 4;
	return v;
}

int32_t sup_deser_i32(struct sup_deser *d)
{
	return (int32_t)sup_deser_u32(d);
}

size_t sup_deser_count(struct sup_deser *d)
{
	uint32_t n = sup_deser_u32(d);

	if (d->bad || (size_t)(d->end - d->p) / 4 < n) {
		d->bad = 1;
		return 0;
	}
	return n;
}

char *sup_deser_str(struct sup_deser *d)
{
	uint32_t n = sup_deser_u32(d);
	char *s;

	if (d->bad || n == UINT32_MAX)
		return NULL;
	if ((size_t)(d->end - d->p) < n || memchr(d->p, '\0', n)) {
		d->bad = 1;
		return NULL;
	}
	if (d->arena) {
		if (d->acap - d->aused < (size_t)n + 1) {
			d->bad = 1;
			return NULL;
		}
		s = d->arena + d->aused;
		memcpy(s, d->p, n);
		s[n] = '\0';
		d->aused += (size_t)n + 1;
	} else {
		s = sup_xstrndup((const char *)d->p, n);
	}
	d->p += n;
	return s;
}

static const unsigned char *S_data(const struct sup_blobcache *c,
				   const struct S_entry *e)
{
	return (e->added ? (const unsigned char *)c->add.ptr : c->map) + e->off;
}

static size_t S_headlen(size_t len)
{
	return len < S_HEAD ? len : S_HEAD;
}

static void S_unmap(struct sup_blobcache *c)
{
	if (c->map)
		munmap((void *)c->map, c->maplen);
	c->map = NULL;
	c->maplen = 0;
}

static size_t S_hash(const struct sup_oid *o, size_t mask)
{
	uint32_t h;

	memcpy(&h, o->id, 4);	/* object ids are already uniform */
	return h & mask;
}

/* A hash table over what was read: looked up once per file a command
 * reads, in the order of the tree, a binary search missed the processor's
 * cache a dozen times a lookup over 100,000 entries. */
static void S_index(struct sup_blobcache *c)
{
	size_t i, mask;

	free(c->slot);
	c->slot = NULL;
	c->nslots = 0;
	if (!c->nsorted || c->nsorted >= UINT32_MAX / 4)
		return;
	for (c->nslots = 16; c->nslots < 2 * c->nsorted; c->nslots *= 2)
		;
	c->slot = sup_xcalloc(c->nslots, sizeof(*c->slot));
	mask = c->nslots - 1;
	for (i = 0; i < c->nsorted; i++) {
		size_t h = S_hash(&c->e[i].blob, mask);

		while (c->slot[h])
			h = (h + 1) & mask;
		c->slot[h] = (uint32_t)i + 1;
	}
}

/* Map the file: magic, version, then entries of blob id, length, sums,
 * bytes.  Anything odd and the whole file is ignored. */
static void S_load(struct sup_blobcache *c)
{
	size_t off, ml = strlen(S_MAGIC);
	struct stat st;
	int sorted = 1, fd;
	void *m;

	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || (uint64_t)st.st_size > SIZE_MAX / 4 ||
	    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return;
	}
	close(fd);
	c->map = m;
	c->maplen = (size_t)st.st_size;
	if (c->maplen < ml + 4 || memcmp(c->map, S_MAGIC, ml) ||
	    S_get32(c->map + ml) != c->version)
		goto ignore;
	for (off = ml + 4; off < c->maplen; ) {
		struct S_entry *e;
		uint32_t len;

		if (c->maplen - off < S_ENTRY_HDR)
			goto ignore;
		len = S_get32(c->map + off + 20);
		if (c->maplen - off - S_ENTRY_HDR < len)
			goto ignore;
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 1024;
			c->e = sup_xrealloc(c->e, c->cap * sizeof(*c->e));
		}
		e = &c->e[c->n];
		memset(e, 0, sizeof(*e));
		memcpy(e->blob.id, c->map + off, 20);
		e->sum = S_get32(c->map + off + 24);
		e->hsum = S_get32(c->map + off + 28);
		e->off = off + S_ENTRY_HDR;
		e->len = len;
		off += S_ENTRY_HDR + len;
		if (c->n && S_cmp(&c->e[c->n - 1], e) > 0)
			sorted = 0;
		c->n++;
	}
	/* saved in order; sorting again is only for a file written otherwise */
	if (!sorted)
		sup_qsort(c->e, c->n, sizeof(*c->e), S_cmp);
	c->nsorted = c->n;
	S_index(c);
	return;
ignore:
	S_unmap(c);
	c->n = c->nsorted = 0;
	S_index(c);
	c->dirty = 1;
}

int sup_blobcache_open(struct sup_blobcache **out, struct sup_store *s,
		       const char *name, uint32_t version)
{
	struct sup_blobcache *c = sup_xcalloc(1, sizeof(*c));

	c->path = sup_xasprintf("%ssup/cache/%s", sup_store_gitdir(s), name);
	c->version = version;
	S_load(c);
	*out = c;
	return 0;
}

static struct S_entry *S_find(struct sup_blobcache *c, const struct sup_oid *blob)
{
	struct S_entry key;

	memcpy(key.blob.id, blob->id, 20);
	/* Only what was read from the file is searched: looking through
	 * this run's additions too would make a cold start quadratic, and a
	 * blob asked for twice in one run is merely parsed twice. */
	if (c->slot) {
		size_t mask = c->nslots - 1, h;

		for (h = S_hash(blob, mask); c->slot[h]; h = (h + 1) & mask)
			if (sup_oid_equal(&c->e[c->slot[h] - 1].blob, blob))
				return &c->e[c->slot[h] - 1];
		return NULL;
	}
	return c->nsorted ? bsearch(&key, c->e, c->nsorted, sizeof(*c->e), S_cmp) : NULL;
}

const unsigned char *sup_blobcache_get(struct sup_blobcache *c,
				       const struct sup_oid *blob, size_t *len)
{
	struct S_entry *e = S_find(c, blob);

	if (!e)
		return NULL;
	if (!e->checked) {
		/* checked only when asked for: a command that reads a few
		 * records does not pay for the whole file */
		if (e->sum != S_sum(S_data(c, e), e->len, &e->blob)) {
			c->dirty = 1;	/* not used: dropped when saved */
			return NULL;
		}
		e->checked = e->hchecked = 1;
	}
	e->used = 1;
	*len = e->len;
	return S_data(c, e);
}

const unsigned char *sup_blobcache_peek(struct sup_blobcache *c,
					const struct sup_oid *blob, size_t *len)
{
	struct S_entry *e = S_find(c, blob);

	if (!e)
		return NULL;
	if (!e->hchecked) {
		if (e->hsum != S_sum(S_data(c, e), S_headlen(e->len), &e->blob)) {
			c->dirty = 1;
			return NULL;
		}
		e->hchecked = 1;
	}
	e->used = 1;
	*len = e->checked ? e->len : S_headlen(e->len);
	return S_data(c, e);
}

void sup_blobcache_put(struct sup_blobcache *c, const struct sup_oid *blob,
		       const void *data, size_t len)
{
	struct S_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->e = sup_xrealloc(c->e, c->cap * sizeof(*c->e));
	}
	e = &c->e[c->n++];
	memset(e, 0, sizeof(*e));
	e->blob = *blob;
	e->off = c->add.len;
	e->len = len;
	e->sum = S_sum(data, len, blob);
	e->hsum = S_sum(data, S_headlen(len), blob);
	e->used = e->checked = e->hchecked = e->added = 1;
	sup_buf_put(&c->add, data, len);
	c->dirty = 1;
}

/* Write all of buf to fd; -1 on error. */
static int S_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void sup_blobcache_save(struct sup_blobcache *c)
{
	const struct S_entry *last = NULL;
	struct sup_buf out = SUP_BUF_INIT;
	char *dir, *tmp;
	size_t i, used = 0;
	int fd, bad = 0;

	for (i = 0; i < c->n; i++)
		used += c->e[i].used;
	if (!c->dirty && used == c->n)
		return;
	dir = sup_xstrdup(c->path);
	*strrchr(dir, '/') = '\0';
	tmp = sup_xasprintf("%s.sup-tmp.%ld", c->path, (long)getpid());
	if (sup_mkdir_p(dir) < 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		sup_error_clear();	/* only a shortcut: carry on without it */
		free(dir);
		free(tmp);
		return;
	}
	sup_buf_puts(&out, S_MAGIC);
	sup_ser_u32(&out, c->version);
	/* in blob order, so that the next open need not sort; written as it
	 * goes, not gathered first (the records cache of a large authority
	 * is 150 MB) */
	sup_qsort(c->e, c->n, sizeof(*c->e), S_cmp);
	c->nsorted = c->n;
	S_index(c);
	for (i = 0; i < c->n && !bad; i++) {
		if (!c->e[i].used || (last && !S_cmp(last, &c->e[i])))
			continue;	/* unused, or a blob put twice */
		last = &c->e[i];
		sup_buf_put(&out, c->e[i].blob.id, 20);
		sup_ser_u32(&out, (uint32_t)c->e[i].len);
		sup_ser_u32(&out, c->e[i].sum);
		sup_ser_u32(&out, c->e[i].hsum);
		sup_buf_put(&out, S_data(c, &c->e[i]), c->e[i].len);
		if (out.len >= (1u << 20)) {
			bad = S_write_all(fd, out.ptr, out.len) < 0;
			sup_buf_truncate(&out, 0);
		}
	}
	if (!bad)
		bad = S_write_all(fd, out.ptr, out.len) < 0;
	if (close(fd) < 0)
		bad = 1;
	if (bad || rename(tmp, c->path) < 0)
		unlink(tmp);
	free(dir);
	free(tmp);
	sup_buf_release(&out);
}

void sup_blobcache_free(struct sup_blobcache *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->e);
	free(c->slot);
	S_unmap(c);
	sup_buf_release(&c->add);
	free(c);
}

#define S_RESULT_MAGIC "sup-result 1\n"

int sup_result_get(struct sup_buf *out, int *status, struct sup_store *s,
		   const char *name, const char *key)
{
	char *path = sup_xasprintf("%ssup/cache/%s", sup_store_gitdir(s), name);
	struct sup_buf file = SUP_BUF_INIT;
	struct sup_deser d;
	struct sup_oid none;
	size_t ml = strlen(S_RESULT_MAGIC);
	char *k = NULL, *data = NULL;
	uint32_t st, sum;
	int hit = 0;

	memset(&none, 0, sizeof(none));
	memset(&d, 0, sizeof(d));
	if (sup_read_file(&file, path, SIZE_MAX / 4) < 0 || file.len < ml ||
	    memcmp(file.ptr, S_RESULT_MAGIC, ml))
		goto out;
	d.p = (const unsigned char *)file.ptr + ml;
	d.end = (const unsigned char *)file.ptr + file.len;
	d.bad = 0;
	sum = sup_deser_u32(&d);
	if (d.bad || sum != S_sum(d.p, (size_t)(d.end - d.p), &none))
		goto out;
	k = sup_deser_str(&d);
	st = sup_deser_u32(&d);
	data = sup_deser_str(&d);
	if (d.bad || !k || !data || d.p != d.end || strcmp(k, key))
		goto out;
	sup_buf_puts(out, data);
	*status = (int)st;
	hit = 1;
out:
	sup_error_clear();
	free(k);
	free(data);
	free(path);
	sup_buf_release(&file);
	return hit;
}

void sup_result_put(struct sup_store *s, const char *name, const char *key,
		    const char *data, size_t len, int status)
{
	char *dir = sup_xasprintf("%ssup/cache", sup_store_gitdir(s));
	char *path = sup_xasprintf("%s/%s", dir, name);
	struct sup_buf body = SUP_BUF_INIT, file = SUP_BUF_INIT;
	struct sup_oid none;

	memset(&none, 0, sizeof(none));
	if (memchr(data, '\0', len))
		goto out;	/* text only */
	sup_ser_str(&body, key);
	sup_ser_u32(&body, (uint32_t)status);
	sup_ser_u32(&body, (uint32_t)len);
	sup_buf_put(&body, data, len);
	sup_buf_puts(&file, S_RESULT_MAGIC);
	sup_ser_u32(&file, S_sum((const unsigned char *)body.ptr, body.len, &none));
	sup_buf_put(&file, body.ptr, body.len);
	if (sup_mkdir_p(dir) < 0 || sup_write_file(path, file.ptr, file.len) < 0)
		sup_error_clear();
out:
	free(dir);
	free(path);
	sup_buf_release(&body);
	sup_buf_release(&file);
}
