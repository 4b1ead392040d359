/*
 * store: the records repository through libgit2.  This is the only module
 * that includes <git2.h>.
 *
 * Reading is always from the object database at a commit, never from the
 * working tree, so that what sup reports is what is committed.  Writing
 * makes one commit from whole-file changes on top of the branch tip,
 * without touching any other path in the index or the working tree.
 */
#ifndef SUP_STORE_H
#define SUP_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

struct sup_oid {
	unsigned char id[20];
};

#define SUP_OID_HEXSZ 40

void sup_oid_fmt(char out[SUP_OID_HEXSZ + 1], const struct sup_oid *oid);
int sup_oid_parse(struct sup_oid *out, const char *hex);
int sup_oid_equal(const struct sup_oid *a, const struct sup_oid *b);
int sup_oid_is_zero(const struct sup_oid *oid);

struct sup_store;

/*
 * Open the repository containing path (NULL: the current directory),
 * searching upwards as git does.  Not in a repository: SUP_ERROR
 * "not a git repository: PATH (run 'sup init' to make one)".  A bare
 * repository is refused.  Free with sup_store_free().
 */
int sup_store_open(struct sup_store **out, const char *path);
/* Open exactly the repository at path (no search upwards). */
int sup_store_open_here(struct sup_store **out, const char *path);
/* Make a new non-bare repository at path (which may exist and be empty)
 * with the branch that git's init.defaultBranch names (else "main"). */
int sup_store_init(struct sup_store **out, const char *path);
void sup_store_free(struct sup_store *s);

/* The working tree ("/.../repo/") and git directory ("/.../repo/.git/"),
 * each with a trailing slash; owned by the store. */
const char *sup_store_workdir(const struct sup_store *s);
const char *sup_store_gitdir(const struct sup_store *s);

/*
 * One object as git stores it, uninterpreted: for the walks in walk.c,
 * which read commit headers and tree entries in place instead of
 * building libgit2 objects.  data stays valid until sup_raw_release().
 */
enum { SUP_OBJ_OTHER, SUP_OBJ_COMMIT, SUP_OBJ_TREE, SUP_OBJ_BLOB };
struct sup_raw {
	const unsigned char *data;
	size_t len;
	int type;
	void *obj;		/* the store's handle */
};
/* flags: SUP_RAW_WALK for a walk's reads (uncached, not re-hashed: for
 * following ids, never for judging content). */
#define SUP_RAW_WALK 1
int sup_store_raw_read(struct sup_raw *out, struct sup_store *s,
		       const struct sup_oid *id, int flags);
void sup_raw_release(struct sup_raw *r);

/* One entry of a raw tree object, in place ("MODE SP NAME NUL 20-byte
 * id"): sup_tree_next() reads the entry at *p and advances it; 0 at the
 * end, or at damage (the rest is then treated as absent). */
struct sup_tree_entry {
	const char *name;	/* not NUL-terminated: nlen bytes */
	size_t nlen;
	int is_tree;
	unsigned mode;		/* as read: 040000, 0100644, 0160000 ... */
	const unsigned char *id;	/* 20 bytes */
};
int sup_tree_next(struct sup_tree_entry *e, const unsigned char **p,
		  const unsigned char *end);

/* The commit the current branch points at.  SUP_ENOTFOUND when the branch
 * has no commit yet. */
int sup_store_head(struct sup_oid *out, struct sup_store *s);
/* Resolve a revision ("HEAD", "HEAD~2", a hex id, a branch). */
int sup_store_resolve(struct sup_oid *out, struct sup_store *s, const char *rev);

/* The blob id of path in commit's tree; SUP_ENOTFOUND if absent or not a
 * file. */
int sup_store_blob_id(struct sup_oid *out, struct sup_store *s,
		      const struct sup_oid *commit, const char *path);
/* Append the contents of a blob to out. */
int sup_store_blob_read(struct sup_buf *out, struct sup_store *s,
			const struct sup_oid *blob);
/* Both: the file at path in commit (blob_out may be NULL). */
int sup_store_read(struct sup_buf *out, struct sup_oid *blob_out,
		   struct sup_store *s, const struct sup_oid *commit,
		   const char *path);

/* One entry of a directory listing. */
struct sup_entry {
	char *name;		/* file name within the directory */
	struct sup_oid blob;
	int is_dir;
};

/* The object id of the tree (or blob) at path in commit: SUP_ENOTFOUND
 * when absent; "" is the root tree. */
int sup_store_tree_id(struct sup_oid *out, struct sup_store *s,
		      const struct sup_oid *commit, const char *path);

/* The entries of directory dir ("staff", "records/2026") in commit's
 * tree, sorted by name.  A missing directory is an empty list (0).  Free
 * with sup_entries_free(). */
int sup_store_list(struct sup_entry **out, size_t *n, struct sup_store *s,
		   const struct sup_oid *commit, const char *dir);
void sup_entries_free(struct sup_entry *e, size_t n);

/* A git configuration value (repository, then global, system).  *out is
 * NULL with SUP_ENOTFOUND when unset; caller frees. */
int sup_store_config(char **out, struct sup_store *s, const char *key);

/* Set a value in the repository's own configuration (.git/config). */
int sup_store_config_set(struct sup_store *s, const char *key, const char *value);

/* The raw bytes of a commit object (headers, blank line, message). */
int sup_store_commit_raw(struct sup_buf *out, struct sup_store *s,
			 const struct sup_oid *commit);
/* The parents of a commit; caller frees *parents. */
int sup_store_commit_parents(struct sup_oid **parents, size_t *n,
			     struct sup_store *s, const struct sup_oid *commit);

/* The files a commit changed against its first parent (a root commit:
 * all its files), found by comparing trees by id.  kind is 'A', 'M' or
 * 'D'. */
typedef int (*sup_changed_fn)(const char *path, char kind,
			      const struct sup_oid *blob,
			      const struct sup_oid *parent_blob, void *payload);
int sup_store_changed_paths(struct sup_store *s, const struct sup_oid *commit,
			    sup_changed_fn fn, void *payload);

/* 1 if ancestor is head or an ancestor of head. */
int sup_store_is_ancestor(struct sup_store *s, const struct sup_oid *ancestor,
			  const struct sup_oid *head);

/* Facts of one commit for history listings. */
struct sup_commit_info {
	struct sup_oid id;
	size_t nparents;
	struct sup_oid parent;		/* first parent, if any */
	time_t author_time, committer_time;
	int author_offset;
	char *author_name, *author_email;
	char *summary;			/* first line of the message */
};
int sup_store_commit_info(struct sup_commit_info *out, struct sup_store *s,
			  const struct sup_oid *commit);
void sup_commit_info_release(struct sup_commit_info *ci);

/* A change to make: the whole new contents of a file, or its removal. */
struct sup_change {
	const char *path;	/* relative, already validated by the caller */
	const char *data;	/* NULL: delete the file */
	size_t len;
};

struct sup_person_sig {
	const char *name;
	const char *email;
	time_t when;
	int offset;		/* minutes east of UTC */
};

/*
 * Called with the commit object (without signature) to sign.  Appends the
 * armored signature to sig and returns 0, or a negative code.
 */
typedef int (*sup_sign_fn)(struct sup_buf *sig, const char *content,
			   size_t len, void *payload);
/*
 * Called with the whole signed commit object (as it is stored) before the
 * branch is moved; return 0 to accept, a negative code to refuse (nothing
 * is then changed but an unreachable object).
 */
typedef int (*sup_check_fn)(const char *raw, size_t len, void *payload);

struct sup_commit_opts {
	struct sup_person_sig author;
	struct sup_person_sig committer;
	const char *message;
	sup_sign_fn sign;
	sup_check_fn check;
	void *payload;
};

/*
 * Commit changes on top of the current branch tip (or as the root commit
 * of an unborn branch), then bring the index and working tree of exactly
 * the changed paths up to date.
 *
 * Safety:
 *   - git's index.lock is taken for the whole operation (waiting up to
 *     about 3 seconds for another process to release it; then
 *     SUP_ELOCKED naming the lock file);
 *   - a changed path whose working-tree file differs both from the tip and
 *     from the new contents has someone's uncommitted work in it: refused
 *     (SUP_EINVALID) before anything is written;
 *   - the branch is moved by compare-and-swap; if another writer moved it
 *     meanwhile and touched none of our paths, the commit is rebuilt on the
 *     new tip (and signed again), up to 5 times; if they touched one of our
 *     paths, SUP_ELOCKED;
 *   - nothing but unreachable objects is left behind on any failure before
 *     the branch moves.
 * *out receives the new commit id.
 */
int sup_store_commit(struct sup_oid *out, struct sup_store *s,
		     const struct sup_change *changes, size_t nchanges,
		     const struct sup_commit_opts *opts);

/*
 * The signature time of git's GIT_AUTHOR_DATE / GIT_COMMITTER_DATE when
 * set (formats: "@EPOCH [+ZZZZ]", "EPOCH +ZZZZ", ISO 8601
 * "YYYY-MM-DD[T ]HH:MM:SS[Z|+HH:MM|+HHMM]"), else now in UTC.
 * SUP_EINVALID for an unreadable value.
 */
int sup_store_env_time(time_t *when, int *offset, const char *envname);

/* ---- bulk writing: generating large repositories (tests/bench) ----
 *
 * A writer for making a whole history in one process, as the benchmark
 * generator does: hundreds of thousands of signed commits.  It keeps the
 * tree of the branch tip in memory (one change rewrites only the trees on
 * its path: the root, records/ and the year directory), queues new objects
 * in memory and writes them out as delta-compressed pack files every
 * flush_bytes (never as loose objects), and moves the branch and checks
 * out the working tree once, at the end.  It takes no locks and checks no
 * working tree: it is only for a repository it has just created.
 */
struct sup_bulk;

struct sup_bulk_stats {
	size_t commits;		/* commits written */
	size_t objects;		/* objects written (including repeats) */
	size_t packs;		/* pack files written */
	uint64_t bytes;		/* bytes of objects queued, uncompressed */
	double pack_seconds;	/* time spent making packs (deltas, index) */
};

/* Make a new non-bare repository at path (which must not exist or be
 * empty) for bulk writing; flush_bytes 0 means 256 MiB.  Free with
 * sup_bulk_free() (which writes nothing: call sup_bulk_finish first). */
int sup_bulk_new(struct sup_bulk **out, const char *path, size_t flush_bytes);
/* Put the whole contents of a file at path into the next commit (data
 * NULL: remove it).  Path is relative, '/'-separated, already checked. */
int sup_bulk_put(struct sup_bulk *b, const char *path, const void *data,
		 size_t len);
/* Commit what was put since the last commit on top of the last commit
 * (the first: a root commit), signed through opts->sign (required); the
 * check callback, when given, sees the stored object.  *out: the commit. */
int sup_bulk_commit(struct sup_oid *out, struct sup_bulk *b,
		    const struct sup_commit_opts *opts);
/* Write the queued objects into a pack file now. */
int sup_bulk_flush(struct sup_bulk *b);
/* Flush, point the branch HEAD names at the last commit, and (checkout
 * nonzero) write the index and working tree of that commit. */
int sup_bulk_finish(struct sup_bulk *b, int checkout);
void sup_bulk_stats(struct sup_bulk_stats *out, const struct sup_bulk *b);
void sup_bulk_free(struct sup_bulk *b);

#endif
