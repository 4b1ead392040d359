/*
 * walk: history walks over raw objects.  Commits are read once each and
 * only their header lines (tree, parents, committer time) are looked at;
 * trees are scanned in place.  No libgit2 commit or tree objects are
 * built and no revision walker holds the whole graph, so a record's
 * history in a repository of hundreds of thousands of commits costs what
 * `git log -- PATH` costs there, in time and memory.
 */
#ifndef SUP_WALK_H
#define SUP_WALK_H

#include "store.h"

#include <stdint.h>
#include <time.h>

/* A commit as the walk reads it. */
struct sup_walk_commit {
	struct sup_oid id, tree;
	struct sup_oid *parents;	/* nparents of them, first parent first */
	size_t nparents;
	int64_t time;			/* committer time: git's walk order */
	const struct sup_oid *parent_tree;	/* the first parent's, or NULL */
};

struct sup_walk;

/* Every commit reachable from head, newest first by committer time (as
 * `git log` walks), each once.  Free with sup_walk_free(). */
int sup_walk_new(struct sup_walk **out, struct sup_store *s,
		 const struct sup_oid *head);
/* Leave out id and every commit reachable from it (call before the
 * first sup_walk_next): for resuming a scan from where it stopped.  A
 * commit already shown stays shown. */
int sup_walk_hide(struct sup_walk *w, const struct sup_oid *id);
/* The next commit: 1 and *out (valid until the next call), 0 at the
 * end, or a negative error (a damaged or missing commit). */
int sup_walk_next(const struct sup_walk_commit **out, struct sup_walk *w);
void sup_walk_free(struct sup_walk *w);

/* Every commit reachable from head, newest first by commit time;
 * the callback returns 0 to go on, 1 to stop, negative to fail. */
typedef int (*sup_commit_fn)(const struct sup_oid *commit, void *payload);
int sup_walk_all(struct sup_store *s, const struct sup_oid *head,
		 sup_commit_fn fn, void *payload);

/*
 * Path history without diffs: every commit reachable from `from`, newest
 * first by commit time (as git log walks), whose entry at path differs
 * from its first parent's (a root commit: from nothing).  Trees are
 * compared level by level by object id, so an unchanged subtree is never
 * read - the same work `git log -- PATH` does.  blob/parent_blob are NULL
 * where the path is absent.  The callback returns 0 to go on, 1 to stop,
 * or a negative error that is passed back.
 */
typedef int (*sup_history_fn)(const struct sup_oid *commit,
			      const struct sup_oid *blob,
			      const struct sup_oid *parent_blob, void *payload);
int sup_path_history(struct sup_store *s, const struct sup_oid *from,
		     const char *path, sup_history_fn fn, void *payload);

/*
 * Files added under dir: every commit reachable from head but not from
 * exclude (NULL: all history), newest first by commit time, and each file
 * path under dir that the commit has and its first parent lacks.  The
 * two trees are merged entry by entry in place and only subtrees that
 * differ are read.  For "when did this record first appear" (late
 * records), and for resuming such a scan from where it last stopped.
 * The callback returns 0 to go on, or a negative error passed back.
 */
typedef int (*sup_added_fn)(const char *path, const struct sup_oid *commit,
			    time_t committer_time, void *payload);
int sup_added_paths(struct sup_store *s, const struct sup_oid *head,
		    const struct sup_oid *exclude, const char *dir,
		    sup_added_fn fn, void *payload);

/*
 * The files that differ between two trees (before may be NULL: empty),
 * each reported under prefix with its blob in each (NULL where absent):
 * added, removed and changed files (by id: a change of mode alone is not
 * one), in git's tree order.  Subtrees with equal
 * ids are skipped unread; entries are compared in place, as
 * sup_added_paths does.  For bringing a derived index from one records
 * tree to the next without reading the rest.
 */
typedef int (*sup_change_fn)(const char *path, const struct sup_oid *before,
			     const struct sup_oid *after, void *payload);
int sup_tree_changes(struct sup_store *s, const struct sup_oid *before,
		     const struct sup_oid *after, const char *prefix,
		     sup_change_fn fn, void *payload);

/* Parse a raw commit's headers (exported for the unit tests): tree,
 * parents (caller frees), committer time.  SUP_EINVALID if damaged. */
int sup_walk_parse_commit(struct sup_oid *tree, struct sup_oid **parents,
			  size_t *nparents, int64_t *time,
			  const unsigned char *data, size_t len);

#endif
