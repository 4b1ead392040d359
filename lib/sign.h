/*
 * sign: make a signature the way git does, with the person's own tools
 * (ssh-keygen and ssh-agent, or gpg and gpg-agent), and check OpenPGP
 * signatures with gpg against keys taken from the register.
 *
 * Signing follows git's gpg-interface.c: for gpg.format=ssh,
 * `ssh-keygen -Y sign -n git -f KEY [-U] FILE` where KEY is user.signingkey
 * (a file, or a literal "ssh-..."/"key::..." public key written to a
 * temporary file and used through the agent with -U); for openpgp,
 * `gpg --status-fd=2 -bsau KEYID` reading the payload on standard input.
 */
#ifndef SUP_SIGN_H
#define SUP_SIGN_H

#include <stddef.h>

#include "util.h"

enum sup_sig_format {
	SUP_SIG_OPENPGP,
	SUP_SIG_SSH
};

struct sup_signer {
	enum sup_sig_format format;
	char *key;		/* user.signingkey, or NULL */
	char *program;		/* ssh-keygen or gpg */
	char *ident;		/* "Name <email>": gpg's key when key is NULL */
};

/* Release what a signer holds. */
void sup_signer_release(struct sup_signer *s);

/*
 * Sign data; the armored signature is appended to out.  No key configured:
 * SUP_ENOKEY with a message saying what to configure.  The program failing:
 * SUP_ENOKEY with its own words (the agent refusing, a wrong passphrase).
 */
int sup_sign(struct sup_buf *out, const struct sup_signer *s,
	     const char *data, size_t len);

/* 1 if an armored signature is OpenPGP, 0 if SSH (by its armor). */
int sup_sig_is_openpgp(const char *sig, size_t len);

/* 1 if a register key entry is an OpenPGP public key block. */
int sup_key_is_openpgp(const char *key);

/*
 * Verify an OpenPGP signature over data with gpg, trusting only the given
 * armored public keys (imported into a temporary keyring that is removed
 * afterwards).  On success *fpr (if not NULL) receives the fingerprint of
 * the primary key that signed, and *key_index the index in keys of the
 * block that holds it.  A signature by a key not among keys:
 * SUP_ENOTFOUND, with *fpr the key id gpg names; a bad one: SUP_EBADSIG.
 * gpg missing: SUP_ERROR.
 */
int sup_gpg_verify(char **fpr, size_t *key_index, const char *program,
		   const char *const *keys, size_t nkeys,
		   const char *sig, size_t siglen, const char *data, size_t len);

/* The primary-key fingerprints in an armored OpenPGP key block, through
 * gpg --show-keys; caller frees the list and each string. */
int sup_gpg_fingerprints(char ***out, size_t *n, const char *program,
			 const char *key);

#endif
