/*
 * history: the audit trail as people read it - one entry per commit, with
 * who acted, what they did, to which record, and the signature verdict;
 * and a record's history followed through renames and deletion.
 */
#ifndef SUP_HISTORY_H
#define SUP_HISTORY_H

#include "proof.h"
#include "repo.h"

struct sup_log_entry {
	struct sup_oid commit;
	char hex[SUP_OID_HEXSZ + 1];
	time_t when;			/* author time */
	int offset;
	char *actor;			/* Sup-Actor, else the signer, else the author */
	char *action;			/* Sup-Action, else what changed */
	char *record;			/* Sup-Record, else the record changed */
	char *path;			/* the record's path in this commit (record log) */
	char *note;			/* "deleted", "renamed from ...", "made with plain git" */
	struct sup_judgement judgement;
	int has_blob, has_parent_blob;	/* record log: the versions */
	struct sup_oid blob, parent_blob;
	char *parent_path;		/* record log: the path in the parent */
};

struct sup_log_opts {
	const char *id;			/* a record, or NULL for all activity */
	time_t since, until;		/* 0: unbounded */
	const char *person;		/* actor or signer */
};

/*
 * Collect the log, newest first.  For a record, its path history is found
 * without diffs (sup_store_path_history) and followed across a rename
 * (the same file under another name in the parent); a record that no
 * longer exists is found by its id's path.  Free with sup_log_free().
 */
int sup_log_collect(struct sup_log_entry **out, size_t *n, struct sup_repo *r,
		    const struct sup_log_opts *o);
void sup_log_free(struct sup_log_entry *e, size_t n);

/* The record's text at one entry (its blob), or NULL when deleted. */
int sup_log_read(struct sup_buf *out, struct sup_repo *r,
		 const struct sup_oid *blob);

#endif
