/*
 * revision: versions of one record for sup diff - at a revision, in the
 * working tree, or the last version every party who must sign had signed.
 */
#ifndef SUP_REVISION_H
#define SUP_REVISION_H

#include "repo.h"

struct sup_version {
	char *text;		/* NULL: the record is absent there */
	size_t len;
	char *label;		/* "records/2026/x.md@1a2b3c4d5e6f", "(working tree)" */
};

/* The path of a record named by id, prefix or path - found at the tip,
 * else by the path its id implies (a deleted record).  Caller frees. */
int sup_version_path(char **out, struct sup_repo *r, const char *arg);
int sup_version_at(struct sup_version *out, struct sup_repo *r, const char *path,
		   const char *rev);
int sup_version_worktree(struct sup_version *out, struct sup_repo *r,
			 const char *path);
/* The newest committed version in which the record was fully signed. */
int sup_version_signed(struct sup_version *out, struct sup_repo *r,
		       const char *path);
void sup_version_release(struct sup_version *v);

#endif
