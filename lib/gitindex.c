/* gitindex: git's index file edited in place (see gitindex.h). */
#ifdef __linux__
#define _GNU_SOURCE	/* copy_file_range */
#endif
#include "gitindex.h"
#include "error.h"
#include "sshsig.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define S_HDR 12		/* "DIRC", version, count */
#define S_FIXED 62		/* an entry before its flags' extension and path */
#define S_TRAILER 20		/* SHA-1 of everything before it */
#define S_EVERY 64		/* one entry in this many has its offset kept */

/*
 * The file stays mapped and is never copied or split into per-entry
 * structures: an index of 200,000 entries is 20 MB, and building an
 * array over it, then a new buffer to write, touched 40 MB of fresh
 * memory per write.  One pass checks the entries and keeps every 64th
 * offset (for lookups); changes are kept aside, sorted by path, and
 * merged into the untouched runs of the file as it is written.
 */
struct S_edit {
	char *path;
	size_t plen;
	unsigned char *raw;	/* the new entry, or NULL: removed */
	size_t rawlen;
};

struct sup_gitindex {
	const unsigned char *map;	/* the file, or NULL: none yet */
	int fd;				/* the file, open, or -1 */
	size_t maplen;
	uint32_t version;
	size_t n;			/* entries in the file */
	size_t end;			/* where its entries end */
	size_t *every;			/* offsets of entries 0, 64, 128... */
	struct S_edit *ed;		/* sorted by path */
	size_t ned, edcap;
};

static uint32_t S_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void S_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* git's order: bytes, then the shorter first */
static int S_pathcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* An entry of the (checked) file at off: its path and length. */
static size_t S_entry(const struct sup_gitindex *ix, size_t off, const char **path,
		      size_t *plen)
{
	const unsigned char *p = ix->map + off;
	unsigned flags = (unsigned)p[60] << 8 | p[61];
	size_t pathoff = S_FIXED + ((flags & 0x4000) ? 2 : 0);

	*path = (const char *)p + pathoff;
	*plen = strlen(*path);
	return (pathoff + *plen + 8) & ~(size_t)7;
}

/* The offset of the first entry of the file at or after path (ix->end
 * when none), and *found when it is path's. */
static size_t S_file_seek(const struct sup_gitindex *ix, const char *path, size_t plen,
			  int *found)
{
	size_t lo = 0, hi, off, elen, len, i;
	const char *ep;

	*found = 0;
	if (!ix->n)
		return ix->end;
	/* the last kept entry at or before path, then on from there */
	hi = (ix->n + S_EVERY - 1) / S_EVERY;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		S_entry(ix, ix->every[mid], &ep, &elen);
		if (S_pathcmp(ep, elen, path, plen) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	off = ix->every[lo];
	for (i = lo * S_EVERY; i < ix->n && off < ix->end; i++) {
		int c;

		len = S_entry(ix, off, &ep, &elen);
		if ((c = S_pathcmp(ep, elen, path, plen)) >= 0) {
			*found = c == 0;
			return off;
		}
		off += len;
	}
	return ix->end;
}

/* The offset of path's entry in the file, or 0. */
static size_t S_file_find(const struct sup_gitindex *ix, const char *path)
{
	int found;
	size_t off = S_file_seek(ix, path, strlen(path), &found);

	return found ? off : 0;
}

/* The slot of path among the edits: *found, or where it would go. */
static size_t S_edit_find(const struct sup_gitindex *ix, const char *path, int *found)
{
	size_t lo = 0, hi = ix->ned, plen = strlen(path);

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = S_pathcmp(ix->ed[mid].path, ix->ed[mid].plen, path, plen);

		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int S_damaged(const char *path, const char *what)
{
	return sup_error_set(SUP_ERROR, "%s: the index is damaged (%s); 'git reset' rebuilds it",
			     path, what);
}

/* The checksum matched, yet the entries are not as versions 2 and 3 lay
 * them out (a split index's replaced entries have no names, for one):
 * a form this module does not know; libgit2 judges it. */
static int S_unknown(const char *what)
{
	(void)what;
	return SUP_ENOTFOUND;
}

static int S_parse(struct sup_gitindex *ix, const char *path)
{
	const unsigned char *p = ix->map;
	const unsigned char *end = p + ix->maplen - S_TRAILER;
	const char *prev = NULL;
	size_t off = S_HDR, i, count, prevlen = 0;

	if (ix->maplen < S_HDR + S_TRAILER || memcmp(p, "DIRC", 4))
		return S_damaged(path, "no index header");
	ix->version = S_be32(p + 4);
	if (ix->version != 2 && ix->version != 3)
		return SUP_ENOTFOUND;	/* version 4 compresses paths: libgit2's */
	/* The trailing checksum is not verified on reading, as git has not
	 * since 2.13 (only git fsck does): it is 17 MB of SHA-1 for a
	 * large authority's index on every write.  The entries are checked
	 * for shape and order below, and the file written has a checksum of
	 * its own. */
	count = S_be32(p + 8);
	if (count > ix->maplen / S_FIXED)
		return S_unknown("bad entry count");
	ix->every = sup_xcalloc(count / S_EVERY + 1, sizeof(*ix->every));
	for (i = 0; i < count; i++) {
		unsigned flags;
		size_t pathoff, plen, rawlen;
		const unsigned char *nul;

		if ((size_t)(end - p) < off + S_FIXED)
			return S_unknown("truncated entry");
		flags = (unsigned)p[off + 60] << 8 | p[off + 61];
		if (flags & 0x3000)
			return SUP_ENOTFOUND;	/* a conflict: staged in stages 1-3 */
		if ((flags & 0x4000) && ix->version < 3)
			return S_unknown("extended flags in version 2");
		pathoff = off + S_FIXED + ((flags & 0x4000) ? 2 : 0);
		if ((size_t)(end - p) <= pathoff)
			return S_unknown("truncated entry");
		nul = memchr(p + pathoff, '\0', (size_t)(end - p) - pathoff);
		if (!nul)
			return S_unknown("unterminated path");
		plen = (size_t)(nul - (p + pathoff));
		if ((flags & 0xfff) != 0xfff && plen != (flags & 0xfff))
			return S_unknown("path length");
		rawlen = ((pathoff - off) + plen + 8) & ~(size_t)7;
		if ((size_t)(end - p) < off + rawlen)
			return S_unknown("truncated entry");
		if (prev && S_pathcmp(prev, prevlen, (const char *)p + pathoff, plen) >= 0)
			return S_unknown("entries out of order");
		if (i % S_EVERY == 0)
			ix->every[i / S_EVERY] = off;
		prev = (const char *)p + pathoff;
		prevlen = plen;
		off += rawlen;
	}
	ix->n = count;
	ix->end = off;
	/* extensions: optional ones (an upper-case first letter) are dropped
	 * on write; a split or sparse index, or one git requires us to
	 * understand, is left to libgit2 */
	while (off < (size_t)(end - p)) {
		uint32_t len;

		if ((size_t)(end - p) - off < 8)
			return S_unknown("truncated extension");
		if (!memcmp(p + off, "link", 4) || !memcmp(p + off, "sdir", 4) ||
		    p[off] < 'A' || p[off] > 'Z')
			return SUP_ENOTFOUND;
		len = S_be32(p + off + 4);
		if ((size_t)(end - p) - off - 8 < len)
			return S_unknown("truncated extension");
		off += 8 + len;
	}
	return 0;
}

int sup_gitindex_read(struct sup_gitindex **out, const char *path)
{
	struct sup_gitindex *ix = sup_xcalloc(1, sizeof(*ix));
	struct stat st;
	void *m;
	int fd, error;

	ix->fd = -1;
	*out = NULL;
	ix->version = 2;	/* no index yet: an empty one */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT) {
			*out = ix;
			return 0;
		}
		error = sup_error_set(SUP_ERROR, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size > SIZE_MAX / 2) {
		error = sup_error_set(SUP_ERROR, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	if (st.st_size == 0) {
		close(fd);
		error = S_damaged(path, "no index header");
		goto fail;
	}
	/* every entry is looked at: mapped in one go, not a page fault at
	 * a time */
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (m == MAP_FAILED) {
		error = sup_error_set(SUP_ERROR, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	ix->fd = fd;	/* kept, to copy runs of it in the kernel */
	ix->map = m;
	ix->maplen = (size_t)st.st_size;
	if ((error = S_parse(ix, path)) < 0)
		goto fail;
	*out = ix;
	return 0;
fail:
	sup_gitindex_free(ix);
	return error;
}

void sup_gitindex_free(struct sup_gitindex *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->ned; i++) {
		free(ix->ed[i].path);
		free(ix->ed[i].raw);
	}
	free(ix->ed);
	free(ix->every);
	if (ix->map)
		munmap((void *)ix->map, ix->maplen);
	if (ix->fd >= 0)
		close(ix->fd);
	free(ix);
}

const unsigned char *sup_gitindex_get(const struct sup_gitindex *ix, const char *path)
{
	int found;
	size_t i = S_edit_find(ix, path, &found), off;

	if (found)
		return ix->ed[i].raw ? ix->ed[i].raw + 40 : NULL;
	off = S_file_find(ix, path);
	return off ? ix->map + off + 40 : NULL;
}

/* Record a change for path: raw (owned) or NULL for a removal. */
static void S_edit(struct sup_gitindex *ix, const char *path, unsigned char *raw,
		   size_t rawlen)
{
	int found;
	size_t i = S_edit_find(ix, path, &found);

	if (found) {
		free(ix->ed[i].raw);
	} else {
		if (ix->ned == ix->edcap) {
			ix->edcap = ix->edcap ? ix->edcap * 2 : 8;
			ix->ed = sup_xrealloc(ix->ed, ix->edcap * sizeof(*ix->ed));
		}
		memmove(&ix->ed[i + 1], &ix->ed[i], (ix->ned - i) * sizeof(*ix->ed));
		ix->ned++;
		ix->ed[i].path = sup_xstrdup(path);
		ix->ed[i].plen = strlen(path);
	}
	ix->ed[i].raw = raw;
	ix->ed[i].rawlen = rawlen;
}

void sup_gitindex_add(struct sup_gitindex *ix, const char *path,
		      const unsigned char id[20], const struct stat *st)
{
	size_t plen = strlen(path), len = (S_FIXED + plen + 8) & ~(size_t)7;
	unsigned char *raw = sup_xcalloc(1, len);

	/* as git writes it: 32-bit stat fields, truncated */
	S_put32(raw + 0, (uint32_t)st->st_ctim.tv_sec);
	S_put32(raw + 4, (uint32_t)st->st_ctim.tv_nsec);
	S_put32(raw + 8, (uint32_t)st->st_mtim.tv_sec);
	S_put32(raw + 12, (uint32_t)st->st_mtim.tv_nsec);
	S_put32(raw + 16, (uint32_t)st->st_dev);
	S_put32(raw + 20, (uint32_t)st->st_ino);
	S_put32(raw + 24, 0100644);
	S_put32(raw + 28, (uint32_t)st->st_uid);
	S_put32(raw + 32, (uint32_t)st->st_gid);
	S_put32(raw + 36, (uint32_t)st->st_size);
	memcpy(raw + 40, id, 20);
	raw[60] = (unsigned char)((plen < 0xfff ? plen : 0xfff) >> 8);
	raw[61] = (unsigned char)(plen < 0xfff ? plen : 0xfff);
	memcpy(raw + S_FIXED, path, plen);
	S_edit(ix, path, raw, len);
}

void sup_gitindex_remove(struct sup_gitindex *ix, const char *path)
{
	S_edit(ix, path, NULL, 0);
}

/* Where the output goes: the file and the running checksum. */
struct S_out {
	int fd;
	struct sup_sha1 *sum;
	int bad;
};

/* A run of the old file, at off: summed from the map, and copied by the
 * kernel (copy_file_range), not through this process's memory (writing
 * 17 MB out of the map was a quarter of a large repository's sup new);
 * with write() where the kernel cannot. */
static void S_emit_run(struct S_out *o, const struct sup_gitindex *ix, size_t off,
		       size_t len)
{
	size_t left = len;

	sup_sha1_add(o->sum, ix->map + off, len);
#ifdef __linux__
	{
		loff_t in = (loff_t)off;

		while (left && !o->bad && ix->fd >= 0) {
			ssize_t n = copy_file_range(ix->fd, &in, o->fd, NULL, left, 0);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			left -= (size_t)n;
		}
	}
#endif
	/* the rest, if any, by hand */
	while (left && !o->bad) {
		ssize_t n = write(o->fd, ix->map + off + (len - left), left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->bad = 1;
			break;
		}
		left -= (size_t)n;
	}
}

static void S_emit(struct S_out *o, const void *data, size_t len)
{
	const char *p = data;

	sup_sha1_add(o->sum, data, len);
	while (len && !o->bad) {
		ssize_t n = write(o->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->bad = 1;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
}

int sup_gitindex_write(const struct sup_gitindex *ix, const char *path)
{
	struct S_out o;
	unsigned char hdr[S_HDR], sum[20];
	size_t off, run = S_HDR, k, count = ix->n, elen;
	const char *ep;
	char *tmp;
	int error = 0;

	/* the count first: every edit is an addition, a replacement or a
	 * removal of what the file has */
	for (k = 0; k < ix->ned; k++) {
		int had = S_file_find(ix, ix->ed[k].path) != 0;

		if (ix->ed[k].raw && !had)
			count++;
		else if (!ix->ed[k].raw && had)
			count--;
	}
	/* written beside path and renamed: path may be the file still
	 * mapped here */
	tmp = sup_xasprintf("%s.sup-new", path);
	if ((o.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		error = sup_error_set(SUP_ERROR, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return error;
	}
	o.sum = sup_sha1_begin();
	o.bad = 0;
	memcpy(hdr, "DIRC", 4);
	S_put32(hdr + 4, ix->version);
	S_put32(hdr + 8, (uint32_t)count);
	S_emit(&o, hdr, sizeof(hdr));
	/* the file's entries in runs, each edit where its path sorts (found
	 * through the kept offsets, not by walking every entry) */
	for (k = 0; k < ix->ned; k++) {
		int found;

		off = ix->map ? S_file_seek(ix, ix->ed[k].path, ix->ed[k].plen, &found) : S_HDR;
		if (!ix->map)
			found = 0;
		if (ix->map)
			S_emit_run(&o, ix, run, off - run);
		if (ix->ed[k].raw)
			S_emit(&o, ix->ed[k].raw, ix->ed[k].rawlen);
		run = off;
		if (found)	/* replaced or removed: its old bytes go */
			run += S_entry(ix, off, &ep, &elen);
	}
	if (ix->map)
		S_emit_run(&o, ix, run, ix->end - run);
	sup_sha1_end(o.sum, sum);
	if (!o.bad) {
		ssize_t n = write(o.fd, sum, sizeof(sum));

		o.bad = n != (ssize_t)sizeof(sum);
	}
	if (close(o.fd) < 0 || o.bad || rename(tmp, path) < 0) {
		error = sup_error_set(SUP_ERROR, "%s: %s", path,
				      errno ? strerror(errno) : "short write");
		unlink(tmp);
	}
	free(tmp);
	return error;
}
