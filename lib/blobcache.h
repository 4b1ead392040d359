/*
 * blobcache: a derived, disposable cache of what sup parsed out of files,
 * keyed by the files' git blob ids, under .git/sup/cache/<name>.
 *
 * A blob id names exact content, so an entry can never be stale: a file
 * that changed has another id.  The cache is never the source of truth:
 * a missing, damaged or foreign file is ignored and rebuilt, and deleting
 * it changes no answer, only how long the answer takes.
 */
#ifndef SUP_BLOBCACHE_H
#define SUP_BLOBCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct sup_blobcache;

/* Open (or start empty) the cache `name`; version is the caller's format
 * version: a file written with another version is ignored. */
int sup_blobcache_open(struct sup_blobcache **out, struct sup_store *s,
		       const char *name, uint32_t version);
/* The bytes stored for blob, or NULL; owned by the cache, and to be used
 * before the next call (their pages may then be let go, and read again if
 * touched).  Marks the entry as still in use. */
const unsigned char *sup_blobcache_get(struct sup_blobcache *c,
				       const struct sup_oid *blob, size_t *len);
/* The first bytes stored for blob (*len of them: at least the first 256,
 * or all), checked by a checksum of their own, or NULL: for deciding from
 * a summary's first fields whether the entry is wanted at all.  Marks the
 * entry as still in use; sup_blobcache_get() then checks the whole. */
const unsigned char *sup_blobcache_peek(struct sup_blobcache *c,
					const struct sup_oid *blob, size_t *len);
/* Store bytes for blob (copied). */
void sup_blobcache_put(struct sup_blobcache *c, const struct sup_oid *blob,
		       const void *data, size_t len);
/* Say that this run asked for every entry the tree still needs (a
 * command that read every file): entries not asked for are then dropped
 * when saved, so that the cache follows the tree and does not grow
 * without bound.  A command that read a few keeps the rest. */
void sup_blobcache_sweep(struct sup_blobcache *c);
/* Write the cache back if anything was added, found damaged or, after
 * sup_blobcache_sweep(), is no longer used: a few additions are appended
 * to the file, more rewrite it.  Failure to write is not an error: the
 * cache is only a shortcut. */
void sup_blobcache_save(struct sup_blobcache *c);
void sup_blobcache_free(struct sup_blobcache *c);

/*
 * The last answer of a command, keyed by everything it depends on (the
 * caller's key string: branch tip, arguments, date...).  One slot per
 * name: "nothing changed since the last run" is answered from it.
 * sup_result_get returns 1 with the output and exit status on an exact
 * key match, else 0.  Writing failures are ignored.
 */
int sup_result_get(struct sup_buf *out, int *status, struct sup_store *s,
		   const char *name, const char *key);
void sup_result_put(struct sup_store *s, const char *name, const char *key,
		    const char *data, size_t len, int status);

/* Serialising: append to a buffer, read back from a cursor that fails
 * closed (every read checks the bytes left; a short or damaged entry sets
 * bad and yields zeroes and NULLs). */
void sup_ser_u32(struct sup_buf *b, uint32_t v);
void sup_ser_i32(struct sup_buf *b, int32_t v);
void sup_ser_str(struct sup_buf *b, const char *s);	/* NULL allowed */

struct sup_deser {
	const unsigned char *p, *end;
	int bad;
	/* optional: strings are placed here instead of each being
	 * allocated (acap of at least the bytes being read is enough) */
	char *arena;
	size_t aused, acap;
};

uint32_t sup_deser_u32(struct sup_deser *d);
int32_t sup_deser_i32(struct sup_deser *d);
char *sup_deser_str(struct sup_deser *d);	/* allocated, or NULL */
/* A count of items, each at least four bytes, that fits in what is left
 * (so a damaged count cannot ask for a huge allocation); 0 and bad if not. */
size_t sup_deser_count(struct sup_deser *d);

#endif
