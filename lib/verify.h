/*
 * verify: the one verifier of commit signatures.  Every write checks its
 * own commit with it before moving the branch, and every reader that
 * reports a verdict (show, log, audit --trail) uses it.
 *
 * The signature header is found by parsing the raw commit object: headers
 * end at the first blank line, and only a "gpgsig" (or "gpgsig-sha256")
 * header there is a signature.  A look-alike in the message body is not.
 * libgit2's git_commit_extract_signature is never used for a verdict.
 */
#ifndef SUP_VERIFY_H
#define SUP_VERIFY_H

#include <stddef.h>

#include "register.h"

enum sup_verdict {
	SUP_VERDICT_GOOD,
	SUP_VERDICT_BAD,		/* does not verify over the commit */
	SUP_VERDICT_UNSIGNED,
	SUP_VERDICT_UNKNOWN_KEY,	/* verifies, but no registered person's key */
	SUP_VERDICT_MULTIPLE		/* more than one signature header */
};

/*
 * Split a raw commit object into the payload that was signed (the object
 * with its signature headers removed) and the signature (continuation
 * lines joined, leading space removed).  *nsigs counts signature headers.
 */
void sup_commit_split(struct sup_buf *payload, struct sup_buf *sig, int *nsigs,
		      const char *raw, size_t len);

struct sup_sigcheck {
	enum sup_verdict verdict;
	const struct sup_staff *signer;	/* GOOD: whose key, in the register given */
	int openpgp;
	char fingerprint[128];		/* of the signing key, when known */
	char *detail;			/* why, for BAD/UNKNOWN_KEY; owned */
};

/*
 * Judge a raw commit object against the keys in reg.  Returns 0 with a
 * verdict (a bad signature is a verdict, not an error), or SUP_ERROR when
 * the check could not be made (gpg not installed).
 */
int sup_verify_commit(struct sup_sigcheck *out, const struct sup_register *reg,
		      const char *gpg_program, const char *raw, size_t len);
void sup_sigcheck_release(struct sup_sigcheck *c);

/* "good", "bad", "unsigned", "unknown-key", "multiple-signatures". */
const char *sup_verdict_name(enum sup_verdict v);

/* The value of a trailer ("Sup-Action") in a commit message, or NULL;
 * caller frees. */
char *sup_commit_trailer(const char *raw, size_t len, const char *name);

#endif
