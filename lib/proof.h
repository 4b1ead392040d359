/*
 * proof: for each sign-off in a record, the commit that added it and
 * whether that commit's signature verifies - judged, as the trail is,
 * against the staff register of the commit's first parent.
 */
#ifndef SUP_PROOF_H
#define SUP_PROOF_H

#include "present.h"
#include "repo.h"
#include "verify.h"

struct sup_proofs {
	struct sup_signoff_proof *items;
	size_t n;
	char **strings;		/* owned text the items point into */
	size_t nstrings;
};

/* Find the proofs of rec's sign-offs in the history of r's branch. */
int sup_proofs_find(struct sup_proofs *out, struct sup_repo *r,
		    const struct sup_record *rec);
void sup_proofs_release(struct sup_proofs *p);

/* A verdict on one commit, with owned strings. */
struct sup_judgement {
	enum sup_verdict verdict;
	char *signer;			/* staff id, for a good signature */
	char fingerprint[128];
	char *detail;
};

/*
 * Judges commits against the staff register as it was in each commit's
 * first parent (the root commit: against itself).  Registers are loaded
 * once per distinct staff/ tree, so walking a long history re-reads the
 * register only where it changed.
 */
struct sup_judge {
	struct sup_store *store;
	char *gpg_program;
	struct sup_oid staff_tree;	/* of the cached register */
	int have;
	struct sup_register reg;
};

void sup_judge_init(struct sup_judge *j, struct sup_store *s);
int sup_judge_commit(struct sup_judgement *out, struct sup_judge *j,
		     const struct sup_oid *commit);
void sup_judgement_release(struct sup_judgement *res);
void sup_judge_release(struct sup_judge *j);

#endif
