/* blobcache: parsed files keyed by blob id (see blobcache.h). */
#include "blobcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The file (version 5):
 *
 *	header	magic, caller's version, n, end of the indexed data (u64),
 *		checksum of the header and fanout
 *	fanout	256 counts: entries whose blob id starts with a byte <= i
 *	table	n rows sorted by blob id: blob id, offset (u64), length,
 *		checksum, head checksum
 *	data	the entries' bytes
 *	tail	entries appended since the file was written: blob id,
 *		length, checksum, head checksum, bytes
 *
 * Opening reads the header and fanout only: a lookup is a binary search
 * in one fanout bucket, as git's pack index, so a command that wants a
 * few entries of a 150 MB cache touches a few pages of it (scanning every
 * entry's header at open was a third of a `sup list`).  A command that
 * adds a few entries appends them (one write) instead of rewriting the
 * file; the tail is folded in when it grows.  Entries are checked by
 * their own checksums when first used; a damaged header, fanout or row
 * only loses entries (a wrong row's data fails its checksum).
 */
#define S_MAGIC "sup-blobcache 5\n"
#define S_MAGIC_LEN 16
#define S_HDR 40		/* magic, version, n, data end, sum, pad */
#define S_FANOUT (256 * 4)
#define S_ROW 40		/* blob id, offset, length, sum, head sum */
#define S_TAIL_HDR 32		/* blob id, length, sum, head sum */
/* Bytes at the start of an entry covered by a checksum of their own, so
 * that a peek at a record's summary does not hash the whole entry. */
#define S_HEAD 256

enum {
	S_USED = 1,		/* asked for in this run */
	S_CHECKED = 2,		/* whole checksum verified */
	S_HCHECKED = 4,		/* head checksum verified */
	S_BAD = 8		/* failed a checksum: dropped when saved */
};

/* A tail entry (from the file) or one added in this run. */
struct S_entry {
	struct sup_oid blob;
	size_t off, len;	/* in the map, or in add */
	uint32_t sum, hsum;
	unsigned char state;
	unsigned char added;	/* 1: in addbuf, 2: in the spill file */
};

struct sup_blobcache {
	char *path;
	uint32_t version;
	const unsigned char *map;	/* the file, mapped: only what is
					 * looked at is read from disk */
	size_t maplen;
	size_t n;			/* rows in the table */
	size_t data_end;		/* where the tail starts */
	unsigned char *state;		/* per row, allocated when first used */
	struct S_entry *tail;		/* sorted by blob id */
	size_t ntail;
	struct S_entry *add;		/* put in this run, in order */
	size_t nadd, addcap;
	struct sup_buf addbuf;
	FILE *spill;			/* this run's entries past S_SPILL bytes */
	uint64_t spill_len;
	int dirty;			/* something bad was found */
	int sweep;			/* unused entries may be dropped */
	int fd;				/* the file, for reading past the map */
	struct sup_buf rbuf;		/* what was last read that way */
};

/* A checksum over an entry and its blob id: a damaged entry (a bad disk
 * block, a half write) is dropped instead of believed. */
static uint32_t S_sum(const unsigned char *p, size_t n, const struct sup_oid *blob)
{
	uint64_t h = sup_hash_add(SUP_HASH_INIT, blob->id, 20);

	h = sup_hash_add(h, p, n);
	return (uint32_t)(h ^ (h >> 32));
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

static uint64_t S_get64(const unsigned char *p)
{
	return (uint64_t)S_get32(p) << 32 | S_get32(p + 4);
}

static void S_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void S_put64(unsigned char *p, uint64_t v)
{
	S_put32(p, (uint32_t)(v >> 32));
	S_put32(p + 4, (uint32_t)v);
}

static size_t S_headlen(size_t len)
{
	return len < S_HEAD ? len : S_HEAD;
}

static int S_cmp(const void *a, const void *b)
{
	return memcmp(((const struct S_entry *)a)->blob.id,
		      ((const struct S_entry *)b)->blob.id, 20);
}

static void S_unmap(struct sup_blobcache *c)
{
	if (c->map)
		munmap((void *)c->map, c->maplen);
	c->map = NULL;
	c->maplen = 0;
	c->n = 0;
	c->data_end = 0;
}

static const unsigned char *S_row(const struct sup_blobcache *c, size_t i)
{
	return c->map + S_HDR + S_FANOUT + i * S_ROW;
}

static const struct sup_oid S_none;

/* The appended entries after the indexed data, into c->tail; a short or
 * odd one ends the tail (a write cut short) and marks the file for a
 * rewrite. */
static void S_load_tail(struct sup_blobcache *c)
{
	size_t off = c->data_end, cap = 0;
	int sorted = 1;

	while (off < c->maplen) {
		struct S_entry *e;
		uint32_t len;

		if (c->maplen - off < S_TAIL_HDR ||
		    (len = S_get32(c->map + off + 20)) > c->maplen - off - S_TAIL_HDR) {
			c->dirty = 1;
			break;
		}
		if (c->ntail == cap) {
			cap = cap ? cap * 2 : 64;
			c->tail = sup_xrealloc(c->tail, cap * sizeof(*c->tail));
		}
		e = &c->tail[c->ntail++];
		memset(e, 0, sizeof(*e));
		memcpy(e->blob.id, c->map + off, 20);
		e->sum = S_get32(c->map + off + 24);
		e->hsum = S_get32(c->map + off + 28);
		e->off = off + S_TAIL_HDR;
		e->len = len;
		if (c->ntail > 1 && S_cmp(&c->tail[c->ntail - 2], e) > 0)
			sorted = 0;
		off += S_TAIL_HDR + len;
	}
	if (!sorted)
		sup_qsort(c->tail, c->ntail, sizeof(*c->tail), S_cmp);
}

/* Map the file and check its header and fanout; anything odd and the
 * whole file is ignored (and rewritten when saved). */
static void S_load(struct sup_blobcache *c)
{
	struct stat st;
	uint32_t prev = 0;
	uint64_t n, data_end;
	size_t i;
	void *m;
	int fd;

	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || (uint64_t)st.st_size > SIZE_MAX / 4 ||
	    (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		c->dirty = 1;
		return;
	}
	c->fd = fd;
	c->map = m;
	c->maplen = (size_t)st.st_size;
	/* entries are looked up in blob order, that is at random */
	madvise(m, c->maplen, MADV_RANDOM);
	if (c->maplen < S_HDR + S_FANOUT || memcmp(c->map, S_MAGIC, S_MAGIC_LEN) ||
	    S_get32(c->map + 16) != c->version ||
	    S_get32(c->map + 32) != (S_sum(c->map + 16, 16, &S_none) ^
				     S_sum(c->map + S_HDR, S_FANOUT, &S_none)))
		goto ignore;
	n = S_get32(c->map + 20);
	data_end = S_get64(c->map + 24);
	if (n > (c->maplen - S_HDR - S_FANOUT) / S_ROW ||
	    data_end < S_HDR + S_FANOUT + n * S_ROW || data_end > c->maplen)
		goto ignore;
	for (i = 0; i < 256; i++) {
		uint32_t f = S_get32(c->map + S_HDR + 4 * i);

		if (f < prev)
			goto ignore;
		prev = f;
	}
	if (prev != n)
		goto ignore;
	c->n = (size_t)n;
	c->data_end = (size_t)data_end;
	S_load_tail(c);
	return;
ignore:
	S_unmap(c);
	c->dirty = 1;
}

int sup_blobcache_open(struct sup_blobcache **out, struct sup_store *s,
		       const char *name, uint32_t version)
{
	struct sup_blobcache *c = sup_xcalloc(1, sizeof(*c));

	c->path = sup_xasprintf("%ssup/cache/%s", sup_store_gitdir(s), name);
	c->version = version;
	c->fd = -1;
	S_load(c);
	*out = c;
	return 0;
}

/* What a lookup found: a row of the table, or a tail entry. */
struct S_hit {
	const unsigned char *data;	/* in the map */
	uint64_t off;			/* in the file */
	size_t len;
	uint32_t sum, hsum;
	unsigned char *state;
	const struct sup_oid *blob;
};

static int S_find(struct S_hit *h, struct sup_blobcache *c, const struct sup_oid *blob)
{
	size_t lo, hi;

	/* Only what was read from the file is searched: looking through
	 * this run's additions too would make a cold start quadratic, and a
	 * blob asked for twice in one run is merely parsed twice. */
	if (c->n) {
		lo = blob->id[0] ? S_get32(c->map + S_HDR + 4 * (blob->id[0] - 1)) : 0;
		hi = S_get32(c->map + S_HDR + 4 * blob->id[0]);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const unsigned char *r = S_row(c, mid);
			int d = memcmp(r, blob->id, 20);
			uint64_t off;

			if (d < 0) {
				lo = mid + 1;
				continue;
			}
			if (d > 0) {
				hi = mid;
				continue;
			}
			off = S_get64(r + 20);
			h->len = S_get32(r + 28);
			if (off < S_HDR + S_FANOUT + (uint64_t)c->n * S_ROW ||
			    off > c->data_end || h->len > c->data_end - off)
				return 0;	/* a damaged row */
			if (!c->state)
				c->state = sup_xcalloc(c->n, 1);
			h->data = c->map + off;
			h->off = off;
			h->sum = S_get32(r + 32);
			h->hsum = S_get32(r + 36);
			h->state = &c->state[mid];
			h->blob = blob;
			return 1;
		}
	}
	if (c->ntail) {
		struct S_entry key, *e;

		memcpy(key.blob.id, blob->id, 20);
		if ((e = bsearch(&key, c->tail, c->ntail, sizeof(*c->tail), S_cmp)) != NULL) {
			h->data = c->map + e->off;
			h->off = e->off;
			h->len = e->len;
			h->sum = e->sum;
			h->hsum = e->hsum;
			h->state = &e->state;
			h->blob = &e->blob;
			return 1;
		}
	}
	return 0;
}

/*
 * A command that reads every entry reads them with pread(), not through
 * the map: the entries are asked for in blob order, at random across the
 * file, and every page a map is touched at stays resident (with the page
 * cache's large folios, the whole 150 MB file within a few thousand
 * lookups) on top of the records built from them.
 */
static int S_read(struct S_hit *h, struct sup_blobcache *c)
{
	size_t got = 0;

	sup_buf_truncate(&c->rbuf, 0);
	sup_buf_grow(&c->rbuf, h->len + 1);
	while (got < h->len) {
		ssize_t n = pread(c->fd, c->rbuf.ptr + got, h->len - got, (off_t)(h->off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	c->rbuf.len = got;
	h->data = (const unsigned char *)c->rbuf.ptr;
	return 0;
}

const unsigned char *sup_blobcache_get(struct sup_blobcache *c,
				       const struct sup_oid *blob, size_t *len)
{
	struct S_hit h;

	if (!S_find(&h, c, blob) || (*h.state & S_BAD))
		return NULL;
	if (c->sweep && c->fd >= 0 && S_read(&h, c) < 0)
		return NULL;
	if (!(*h.state & S_CHECKED)) {
		/* checked only when asked for: a command that reads a few
		 * records does not pay for the whole file */
		if (h.sum != S_sum(h.data, h.len, blob)) {
			*h.state |= S_BAD;	/* dropped when saved */
			c->dirty = 1;
			return NULL;
		}
		*h.state |= S_CHECKED | S_HCHECKED;
	}
	*h.state |= S_USED;
	*len = h.len;
	return h.data;
}

const unsigned char *sup_blobcache_peek(struct sup_blobcache *c,
					const struct sup_oid *blob, size_t *len)
{
	struct S_hit h;

	if (!S_find(&h, c, blob) || (*h.state & S_BAD))
		return NULL;
	if (!(*h.state & S_HCHECKED)) {
		if (h.hsum != S_sum(h.data, S_headlen(h.len), blob)) {
			*h.state |= S_BAD;
			c->dirty = 1;
			return NULL;
		}
		*h.state |= S_HCHECKED;
	}
	*h.state |= S_USED;
	*len = (*h.state & S_CHECKED) ? h.len : S_headlen(h.len);
	return h.data;
}

/* A cold start parses every file and puts what it parsed: on a large
 * repository 150 MB, which is not kept in memory beside the parsed
 * records until the cache is written, but moved to a temporary file in
 * batches (and copied from there when the cache is written). */
#define S_SPILL (16u << 20)

static void S_spill(struct sup_blobcache *c)
{
	size_t i, done = 0;

	if (!c->spill && !(c->spill = tmpfile()))
		return;		/* no room: kept in memory */
	while (done < c->addbuf.len) {
		ssize_t n = pwrite(fileno(c->spill), c->addbuf.ptr + done,
				   c->addbuf.len - done, (off_t)(c->spill_len + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* kept in memory; what was written is unused */
		done += (size_t)n;
	}
	for (i = 0; i < c->nadd; i++)
		if (c->add[i].added == 1) {
			c->add[i].added = 2;
			c->add[i].off += c->spill_len;
		}
	c->spill_len += c->addbuf.len;
	sup_buf_truncate(&c->addbuf, 0);
}

void sup_blobcache_put(struct sup_blobcache *c, const struct sup_oid *blob,
		       const void *data, size_t len)
{
	struct S_entry *e;

	if (c->nadd == c->addcap) {
		c->addcap = c->addcap ? c->addcap * 2 : 256;
		c->add = sup_xrealloc(c->add, c->addcap * sizeof(*c->add));
	}
	e = &c->add[c->nadd++];
	memset(e, 0, sizeof(*e));
	e->blob = *blob;
	e->off = c->addbuf.len;
	e->len = len;
	e->sum = S_sum(data, len, blob);
	e->hsum = S_sum(data, S_headlen(len), blob);
	e->state = S_USED | S_CHECKED | S_HCHECKED;
	e->added = 1;
	sup_buf_put(&c->addbuf, data, len);
	if (c->addbuf.len >= S_SPILL)
		S_spill(c);
}

void sup_blobcache_sweep(struct sup_blobcache *c)
{
	c->sweep = 1;
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

/* Append this run's entries to the file as tail entries, in one write
 * (so that two commands appending at once do not interleave). */
static int S_append(struct sup_blobcache *c)
{
	struct sup_buf out = SUP_BUF_INIT;
	size_t i;
	int fd, bad;

	if (c->spill)
		return -1;	/* many: the whole file is written */
	for (i = 0; i < c->nadd; i++) {
		const struct S_entry *e = &c->add[i];
		unsigned char h[12];

		sup_buf_put(&out, e->blob.id, 20);
		S_put32(h, (uint32_t)e->len);
		S_put32(h + 4, e->sum);
		S_put32(h + 8, e->hsum);
		sup_buf_put(&out, h, 12);
		sup_buf_put(&out, c->addbuf.ptr + e->off, e->len);
	}
	if ((fd = open(c->path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
		sup_buf_release(&out);
		return -1;
	}
	bad = S_write_all(fd, out.ptr, out.len) < 0;
	if (close(fd) < 0)
		bad = 1;
	sup_buf_release(&out);
	return bad ? -1 : 0;
}

/* One entry to write: where its bytes are (added in this run, or at off
 * in the file) and its sums. */
struct S_out {
	struct sup_oid blob;
	const unsigned char *data;	/* NULL: in the file fd */
	int fd;
	uint64_t off;
	size_t len;
	uint32_t sum, hsum;
};

static int S_out_cmp(const void *a, const void *b)
{
	return memcmp(((const struct S_out *)a)->blob.id,
		      ((const struct S_out *)b)->blob.id, 20);
}

/* Keep an entry when it is sound and, when sweeping, was used. */
static int S_keep(const struct sup_blobcache *c, unsigned char state)
{
	return !(state & S_BAD) && (!c->sweep || (state & S_USED));
}

/* Write the whole file afresh: header, fanout, table, data, streamed. */
static void S_rewrite(struct sup_blobcache *c)
{
	struct S_out *v;
	size_t nv = 0, i, k, cap = c->n + c->ntail + c->nadd + 1;
	struct sup_buf out = SUP_BUF_INIT;
	unsigned char hdr[S_HDR + S_FANOUT], row[S_ROW];
	uint32_t fan[256];
	uint64_t off;
	char *dir, *tmp;
	int fd, bad = 0;

	v = sup_xcalloc(cap, sizeof(*v));
	for (i = 0; i < c->n; i++) {
		const unsigned char *r = S_row(c, i);
		unsigned char st = c->state ? c->state[i] : 0;
		uint64_t o = S_get64(r + 20);
		size_t len = S_get32(r + 28);

		if (!S_keep(c, st) || o < S_HDR + S_FANOUT + (uint64_t)c->n * S_ROW ||
		    o > c->data_end || len > c->data_end - o)
			continue;
		memcpy(v[nv].blob.id, r, 20);
		v[nv].data = NULL;
		v[nv].fd = c->fd;
		v[nv].off = o;
		v[nv].len = len;
		v[nv].sum = S_get32(r + 32);
		v[nv].hsum = S_get32(r + 36);
		nv++;
	}
	for (k = 0; k < 2; k++) {
		const struct S_entry *e = k ? c->add : c->tail;
		size_t ne = k ? c->nadd : c->ntail;

		for (i = 0; i < ne; i++) {
			if (!S_keep(c, e[i].state))
				continue;
			v[nv].blob = e[i].blob;
			v[nv].data = e[i].added == 1 ?
				     (const unsigned char *)c->addbuf.ptr + e[i].off : NULL;
			v[nv].fd = e[i].added == 2 ? fileno(c->spill) : c->fd;
			v[nv].off = e[i].off;
			v[nv].len = e[i].len;
			v[nv].sum = e[i].sum;
			v[nv].hsum = e[i].hsum;
			nv++;
		}
	}
	/* a blob put twice is the same content: keep one */
	sup_qsort(v, nv, sizeof(*v), S_out_cmp);
	for (i = k = 0; i < nv; i++)
		if (!k || memcmp(v[k - 1].blob.id, v[i].blob.id, 20))
			v[k++] = v[i];
	nv = k;

	dir = sup_xstrdup(c->path);
	*strrchr(dir, '/') = '\0';
	tmp = sup_xasprintf("%s.sup-tmp.%ld", c->path, (long)getpid());
	if (sup_mkdir_p(dir) < 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		sup_error_clear();	/* only a shortcut: carry on without it */
		goto out;
	}
	memset(hdr, 0, sizeof(hdr));
	memset(fan, 0, sizeof(fan));
	for (i = 0; i < nv; i++)
		fan[v[i].blob.id[0]]++;
	for (i = 1; i < 256; i++)
		fan[i] += fan[i - 1];
	for (i = 0; i < 256; i++)
		S_put32(hdr + S_HDR + 4 * i, fan[i]);
	off = S_HDR + S_FANOUT + (uint64_t)nv * S_ROW;
	for (i = 0; i < nv; i++)
		off += v[i].len;
	memcpy(hdr, S_MAGIC, S_MAGIC_LEN);
	S_put32(hdr + 16, c->version);
	S_put32(hdr + 20, (uint32_t)nv);
	S_put64(hdr + 24, off);
	S_put32(hdr + 32, S_sum(hdr + 16, 16, &S_none) ^
			  S_sum(hdr + S_HDR, S_FANOUT, &S_none));
	sup_buf_put(&out, hdr, sizeof(hdr));
	off = S_HDR + S_FANOUT + (uint64_t)nv * S_ROW;
	/* written as it goes, not gathered first (the records cache of a
	 * large authority is 150 MB) */
	for (i = 0; i < nv && !bad; i++) {
		memcpy(row, v[i].blob.id, 20);
		S_put64(row + 20, off);
		S_put32(row + 28, (uint32_t)v[i].len);
		S_put32(row + 32, v[i].sum);
		S_put32(row + 36, v[i].hsum);
		sup_buf_put(&out, row, S_ROW);
		off += v[i].len;
		if (out.len >= (1u << 20)) {
			bad = S_write_all(fd, out.ptr, out.len) < 0;
			sup_buf_truncate(&out, 0);
		}
	}
	/* the file's entries are copied with pread() (not through the map,
	 * see S_read), in runs: kept entries are mostly contiguous there */
	for (i = 0; i < nv && !bad; i++) {
		if (v[i].data) {
			sup_buf_put(&out, v[i].data, v[i].len);
		} else {
			uint64_t from = v[i].off;
			size_t len = v[i].len, got = 0;

			int src = v[i].fd;

			while (i + 1 < nv && !v[i + 1].data && v[i + 1].fd == src &&
			       v[i + 1].off == from + len && len < (4u << 20)) {
				i++;
				len += v[i].len;
			}
			sup_buf_grow(&out, len);
			while (got < len && !bad) {
				ssize_t n = pread(src, out.ptr + out.len + got, len - got,
						  (off_t)(from + got));

				if (n < 0 && errno == EINTR)
					continue;
				bad = n <= 0;
				if (n > 0)
					got += (size_t)n;
			}
			out.len += got;
		}
		if (out.len >= (1u << 20)) {
			bad = bad || S_write_all(fd, out.ptr, out.len) < 0;
			sup_buf_truncate(&out, 0);
		}
	}
	if (!bad)
		bad = S_write_all(fd, out.ptr, out.len) < 0;
	if (close(fd) < 0)
		bad = 1;
	if (bad || rename(tmp, c->path) < 0)
		unlink(tmp);
out:
	free(v);
	free(dir);
	free(tmp);
	sup_buf_release(&out);
}

void sup_blobcache_save(struct sup_blobcache *c)
{
	size_t i, unused = 0;

	if (c->sweep) {
		for (i = 0; i < c->n; i++)
			unused += !c->state || !(c->state[i] & S_USED);
		for (i = 0; i < c->ntail; i++)
			unused += !(c->tail[i].state & S_USED);
	}
	if (!c->dirty && !unused && !c->nadd)
		return;
	/* a few new entries on a sound file: appended, not rewritten (the
	 * tail is folded in once it is an eighth of the table) */
	if (!c->dirty && !unused && c->map &&
	    c->ntail + c->nadd <= (c->n / 8 > 256 ? c->n / 8 : 256) &&
	    S_append(c) == 0)
		return;
	S_rewrite(c);
}

void sup_blobcache_free(struct sup_blobcache *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->state);
	free(c->tail);
	free(c->add);
	S_unmap(c);
	if (c->fd >= 0)
		close(c->fd);
	sup_buf_release(&c->addbuf);
	sup_buf_release(&c->rbuf);
	if (c->spill)
		fclose(c->spill);
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
