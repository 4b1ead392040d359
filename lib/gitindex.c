/* gitindex: git's index file edited in place (see gitindex.h). */
#include "gitindex.h"
#include "error.h"
#include "sshsig.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define S_HDR 12		/* "DIRC", version, count */
#define S_FIXED 62		/* an entry before its flags' extension and path */
#define S_TRAILER 20		/* SHA-1 of everything before it */

struct S_ent {
	const unsigned char *raw;	/* the entry as it is on disk */
	size_t rawlen;
	const char *path;		/* in raw; plen bytes */
	size_t plen;
	unsigned char *own;		/* raw, when this run made the entry */
};

struct sup_gitindex {
	struct sup_buf file;
	uint32_t version;
	struct S_ent *e;
	size_t n, cap;
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

/* The slot of path: *found, or where it would go. */
static size_t S_find(const struct sup_gitindex *ix, const char *path, int *found)
{
	size_t lo = 0, hi = ix->n, plen = strlen(path);

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = S_pathcmp(ix->e[mid].path, ix->e[mid].plen, path, plen);

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
	const unsigned char *p = (const unsigned char *)ix->file.ptr;
	const unsigned char *end = p + ix->file.len - S_TRAILER;
	unsigned char sum[20];
	size_t off = S_HDR, i, count;

	if (ix->file.len < S_HDR + S_TRAILER || memcmp(p, "DIRC", 4))
		return S_damaged(path, "no index header");
	ix->version = S_be32(p + 4);
	if (ix->version != 2 && ix->version != 3)
		return SUP_ENOTFOUND;	/* version 4 compresses paths: libgit2's */
	sup_sha1(sum, p, ix->file.len - S_TRAILER);
	if (memcmp(sum, end, 20))
		return S_damaged(path, "bad checksum");
	count = S_be32(p + 8);
	if (count > ix->file.len / S_FIXED)
		return S_unknown("bad entry count");
	ix->e = sup_xcalloc(count ? count : 1, sizeof(*ix->e));
	ix->cap = count ? count : 1;
	for (i = 0; i < count; i++) {
		struct S_ent *e = &ix->e[i];
		unsigned flags;
		size_t pathoff, plen;
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
		e->raw = p + off;
		e->rawlen = ((pathoff - off) + plen + 8) & ~(size_t)7;
		if ((size_t)(end - p) < off + e->rawlen)
			return S_unknown("truncated entry");
		e->path = (const char *)p + pathoff;
		e->plen = plen;
		if (i && S_pathcmp(ix->e[i - 1].path, ix->e[i - 1].plen, e->path, plen) >= 0)
			return S_unknown("entries out of order");
		off += e->rawlen;
		ix->n++;
	}
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
	int error;

	*out = NULL;
	error = sup_read_file(&ix->file, path, SIZE_MAX / 2);
	if (error == SUP_ENOTFOUND) {
		sup_error_clear();
		ix->version = 2;	/* no index yet: an empty one */
		*out = ix;
		return 0;
	}
	if (error == 0)
		error = S_parse(ix, path);
	if (error < 0) {
		sup_gitindex_free(ix);
		return error;
	}
	*out = ix;
	return 0;
}

void sup_gitindex_free(struct sup_gitindex *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->n; i++)
		free(ix->e[i].own);
	free(ix->e);
	sup_buf_release(&ix->file);
	free(ix);
}

const unsigned char *sup_gitindex_get(const struct sup_gitindex *ix, const char *path)
{
	int found;
	size_t i = S_find(ix, path, &found);

	return found ? ix->e[i].raw + 40 : NULL;
}

void sup_gitindex_add(struct sup_gitindex *ix, const char *path,
		      const unsigned char id[20], const struct stat *st)
{
	size_t plen = strlen(path), len = (S_FIXED + plen + 8) & ~(size_t)7, i;
	unsigned char *raw = sup_xcalloc(1, len);
	int found;

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
	i = S_find(ix, path, &found);
	if (found) {
		free(ix->e[i].own);
	} else {
		if (ix->n == ix->cap) {
			ix->cap = ix->cap ? ix->cap * 2 : 16;
			ix->e = sup_xrealloc(ix->e, ix->cap * sizeof(*ix->e));
		}
		memmove(&ix->e[i + 1], &ix->e[i], (ix->n - i) * sizeof(*ix->e));
		ix->n++;
	}
	ix->e[i].raw = ix->e[i].own = raw;
	ix->e[i].rawlen = len;
	ix->e[i].path = (const char *)raw + S_FIXED;
	ix->e[i].plen = plen;
}

void sup_gitindex_remove(struct sup_gitindex *ix, const char *path)
{
	int found;
	size_t i = S_find(ix, path, &found);

	if (!found)
		return;
	free(ix->e[i].own);
	memmove(&ix->e[i], &ix->e[i + 1], (ix->n - i - 1) * sizeof(*ix->e));
	ix->n--;
}

int sup_gitindex_write(const struct sup_gitindex *ix, const char *path)
{
	struct sup_buf out = SUP_BUF_INIT;
	unsigned char hdr[S_HDR], sum[20];
	size_t i, total;
	int error;

	memcpy(hdr, "DIRC", 4);
	S_put32(hdr + 4, ix->version);
	S_put32(hdr + 8, (uint32_t)ix->n);
	for (i = 0, total = S_HDR + S_TRAILER; i < ix->n; i++)
		total += ix->e[i].rawlen;
	sup_buf_grow(&out, total);	/* once: the index may be 20 MB */
	sup_buf_put(&out, hdr, sizeof(hdr));
	for (i = 0; i < ix->n; i++)
		sup_buf_put(&out, ix->e[i].raw, ix->e[i].rawlen);
	sup_sha1(sum, out.ptr, out.len);
	sup_buf_put(&out, sum, sizeof(sum));
	error = sup_write_file(path, out.ptr, out.len);
	sup_buf_release(&out);
	return error;
}
