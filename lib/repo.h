/*
 * repo: an open sup repository - the store, its policy and register at the
 * branch tip, who the current person is, and the one way to write: a
 * commit signed by that person and checked against the register before
 * the branch moves.
 */
#ifndef SUP_REPO_H
#define SUP_REPO_H

#include "policy.h"
#include "register.h"
#include "sign.h"
#include "store.h"

struct sup_repo {
	struct sup_store *store;
	struct sup_oid head;
	struct sup_policy policy;
	struct sup_register reg;
};

/*
 * Open the sup repository containing path (NULL: current directory) and
 * load its policy and register at the branch tip.  Not a git repository,
 * no commit yet, or no sup.yaml: SUP_ERROR with a message saying what to
 * do.  An invalid sup.yaml or register file: SUP_EINVALID with
 * diagnostics.  Free with sup_repo_free().
 */
int sup_repo_open(struct sup_repo **out, const char *path);
/* The same, with flags: SUP_REPO_ROLES_AT_POLICY reports a staff member's
 * role that the policy does not schedule at sup.yaml's 'frequency' (for
 * the audit, where the policy is what is incomplete) rather than at the
 * staff file. */
#define SUP_REPO_ROLES_AT_POLICY 1u
/* SUP_REPO_NO_CASES: only the staff register - for commands that never
 * look at cases (show, list, log, diff), so that a caseload of tens of
 * thousands of files is not read for them. */
#define SUP_REPO_NO_CASES 2u
int sup_repo_open_ex(struct sup_repo **out, const char *path, unsigned flags);
void sup_repo_free(struct sup_repo *r);

/*
 * The current person: git config sup.user (a staff id), else the staff
 * member whose email is git's user.email.  SUP_ERROR when neither names
 * someone in the register.
 */
int sup_repo_whoami(const struct sup_staff **out, struct sup_repo *r);

/* Signing configuration from git config, for person who. */
int sup_repo_signer(struct sup_signer *out, struct sup_store *s,
		    const struct sup_staff *who);

/*
 * Commit changes as actor: message "sup: VERB TARGET" with trailers
 * Sup-Record (when record is not NULL), Sup-Action and Sup-Actor, author
 * and committer from the register (times from GIT_AUTHOR_DATE and
 * GIT_COMMITTER_DATE), signed with the actor's key.  Before the branch
 * moves, the signature must verify and be made by one of actor's keys in
 * trusted (the register as it was before this change; for the root
 * commit, the new register).  On success *out is the new commit and
 * r->head moves to it.
 */
int sup_repo_commit(struct sup_oid *out, struct sup_store *s,
		    const struct sup_register *trusted,
		    const struct sup_staff *actor,
		    const struct sup_change *changes, size_t n,
		    const char *subject, const char *record, const char *action);

/* 1 if who may change sup.yaml, staff/, cases/, templates/. */
int sup_repo_is_admin(const struct sup_staff *who);

#endif
