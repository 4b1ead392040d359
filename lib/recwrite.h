/*
 * recwrite: checking and committing a record's text, shared by sup new,
 * sup edit and sup sign.
 */
#ifndef SUP_RECWRITE_H
#define SUP_RECWRITE_H

#include "records.h"
#include "repo.h"

struct sup_recctx {
	struct sup_repo *repo;
	struct sup_records rs;
	struct sup_record **recs;	/* those sup_recctx_load() asked for */
	size_t nrecs;
	int loaded;
	int indexed;			/* rs is built */
	int partial;			/* rs holds one person's records */
	const char *path;		/* where the record lives */
	const struct sup_record *old;	/* the committed version (edit) */
	int allow_signoff_change;	/* sup sign, amend */
};

/* Open: index the records at the repository's tip (none is read yet). */
int sup_recctx_init(struct sup_recctx *c, struct sup_repo *r);
/* Open without an index: sup_recctx_load() then indexes only what it
 * loads (a record about one person: that person's records, from the
 * parties index), and ids are looked up in the tree. */
void sup_recctx_open(struct sup_recctx *c, struct sup_repo *r);
/* Load the records person is a party of (NULL: every record) into
 * c->recs, once: a record about one person need not unpack everyone's.
 * Records that do not parse only drop out here; they are reported when
 * read on their own. */
int sup_recctx_load(struct sup_recctx *c, const char *person);
/* 1 when a record with this id is at the tip, 0 when not, or an error. */
int sup_recctx_exists(struct sup_recctx *c, const char *id);
void sup_recctx_release(struct sup_recctx *c);

/*
 * Check text as the record at c->path (a sup_draft_check_fn): parse, the
 * structure check, and sign-offs unchanged unless allowed.
 */
int sup_recctx_check(const char *text, size_t len, int line_offset,
		     void *payload);

/* The id a prepared record names (for --from), read leniently; caller
 * frees.  SUP_EINVALID with diagnostics naming file when there is none. */
int sup_record_peek_id(char **out, const char *text, size_t len,
		       const char *file);

/*
 * Commit text as the record at c->path by me: me must be a party of the
 * new or the old version.  action: new, edit, amend, sign, dispute.
 */
int sup_recctx_commit(struct sup_recctx *c, const struct sup_staff *me,
		      const char *text, size_t len, const char *id,
		      const char *action);

#endif
