/*
 * gitindex: git's index file (.git/index), edited in place for the few
 * paths a sup write changes.
 *
 * A records repository of ten years holds some 200,000 files; libgit2
 * parses every entry of the index into its own structures to change one,
 * which took a third of a second per write.  This module keeps the file's
 * bytes, finds entries by binary search, and writes the untouched entries
 * back as they were.  It handles what git writes by default (versions 2
 * and 3, no conflicts); anything else (version 4's compressed paths, a
 * split or sparse index) is SUP_ENOTFOUND, "not for me", and the caller
 * falls back to libgit2.  Optional extensions (the cached tree, the
 * untracked cache) are dropped on write, as their content would be stale;
 * git rebuilds them when it wants them.
 */
#ifndef SUP_GITINDEX_H
#define SUP_GITINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct sup_gitindex;

/* Read path (no file: an empty index).  SUP_ENOTFOUND: a form this module
 * leaves to libgit2 (including entries that are not in shape or order);
 * SUP_ERROR: unreadable or with no header.  The trailing checksum is not
 * verified, as git does not verify it on reading (git fsck does). */
int sup_gitindex_read(struct sup_gitindex **out, const char *path);
void sup_gitindex_free(struct sup_gitindex *ix);

/* The object id staged for path (stage 0), or NULL. */
const unsigned char *sup_gitindex_get(const struct sup_gitindex *ix, const char *path);

/* Stage a regular file (mode 100644) with id, stat data from st. */
void sup_gitindex_add(struct sup_gitindex *ix, const char *path,
		      const unsigned char id[20], const struct stat *st);
/* Unstage path, if staged. */
void sup_gitindex_remove(struct sup_gitindex *ix, const char *path);

/* Write the index to path (entries, no extensions, SHA-1 trailer),
 * through a file beside it renamed into place (path may be the file
 * that was read). */
int sup_gitindex_write(const struct sup_gitindex *ix, const char *path);

#endif
