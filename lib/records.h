/*
 * records: the collection of records at a commit - an index of paths and
 * blob ids read from the trees (no record text read until needed), lookup
 * by id, unique prefix or path, loading, and open actions.
 */
#ifndef SUP_RECORDS_H
#define SUP_RECORDS_H

#include "record.h"
#include "store.h"

struct sup_recref {
	char *id;		/* file name without .md */
	char *path;		/* records/<yyyy>/<id>.md */
	struct sup_oid blob;
};

struct sup_records {
	struct sup_store *store;	/* not owned */
	struct sup_recref *refs;	/* sorted by id */
	size_t n;
};

/* Index the records/ tree at commit. Release with sup_records_release(). */
int sup_records_index(struct sup_records *out, struct sup_store *s,
		      const struct sup_oid *commit);
void sup_records_release(struct sup_records *rs);

/*
 * Find a record by full id, unique id prefix, or path (records/..../x.md
 * or a path relative to the current directory).  An ambiguous prefix:
 * SUP_EINVALID with the candidates in the message; none: SUP_ENOTFOUND.
 */
int sup_records_find(const struct sup_recref **out, const struct sup_records *rs,
		     const char *arg);
/* Exact id, or NULL. */
const struct sup_recref *sup_records_get(const struct sup_records *rs,
					 const char *id);

/* Read and parse one record. */
int sup_records_load(struct sup_record **out, const struct sup_records *rs,
		     const struct sup_recref *ref);

/*
 * Load every record (skipping, with a diagnostic, those that do not
 * parse).  *out is an array of n pointers in id order; free with
 * sup_records_free_all().
 */
int sup_records_load_all(struct sup_record ***out, size_t *n,
			 const struct sup_records *rs);
/* The same, lean (SUP_RECORD_LEAN) where the cache has them: for the
 * audit, which never reads the text of case decisions. */
int sup_records_load_lean(struct sup_record ***out, size_t *n,
			  const struct sup_records *rs);
void sup_records_free_all(struct sup_record **recs, size_t n);
/* Only the records want asks for (see record.h), in id order: those
 * cached are judged from their cached bytes and never built. */
int sup_records_load_some(struct sup_record ***out, size_t *n,
			  const struct sup_records *rs,
			  const struct sup_record_want *want);

/* An action of an earlier record still open on a date. */
struct sup_open_action {
	char *ref;		/* "<record-id>#<n>" */
	char *text, *owner;
	sup_date due;
};

/*
 * The actions still open for a supervisee before date: every action of
 * an earlier record about them (any supervisor: actions follow the person
 * through a handover) not marked done or dropped in a later record's
 * reviewed_actions.  recs: all records (sup_records_load_all).
 */
int sup_open_actions(struct sup_open_action **out, size_t *n,
		     struct sup_record *const *recs, size_t nrecs,
		     const char *supervisee, sup_date before);
void sup_open_actions_free(struct sup_open_action *a, size_t n);

#endif
