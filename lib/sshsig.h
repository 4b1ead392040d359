/*
 * sshsig: OpenSSH public keys and SSH signatures (the SSHSIG format that
 * `ssh-keygen -Y sign` writes and git uses for gpg.format=ssh), verified
 * in-process with OpenSSL's libcrypto.
 *
 * This is the only module that includes OpenSSL headers.
 *
 * Supported key types: ssh-ed25519, ecdsa-sha2-nistp256/384/521 and
 * ssh-rsa (signatures rsa-sha2-256 and rsa-sha2-512 only; SHA-1 "ssh-rsa"
 * signatures are refused).  Hash algorithms in the SSHSIG envelope: sha256
 * and sha512.  Security keys (sk-*) are refused as unsupported.
 *
 * Every parser here is defensive: lengths are checked against what remains
 * before anything is read; nothing is trusted.
 */
#ifndef SUP_SSHSIG_H
#define SUP_SSHSIG_H

#include <stddef.h>

#include "util.h"

/* A public key: its wire-format blob (as base64-decoded from an
 * authorized_keys line) and its type name. */
struct sup_sshkey {
	unsigned char *blob;
	size_t len;
	char *type;		/* "ssh-ed25519", ... */
};

/*
 * Parse an OpenSSH public key line "TYPE BASE64 [comment]" (leading
 * options are not accepted).  The blob's own type string must match TYPE
 * and the key must be well formed for that type.  SUP_EINVALID with a
 * message on failure.  Release with sup_sshkey_release().
 */
int sup_sshkey_parse(struct sup_sshkey *out, const char *line);
void sup_sshkey_release(struct sup_sshkey *k);
/* 1 when both blobs are byte-identical. */
int sup_sshkey_equal(const struct sup_sshkey *a, const struct sup_sshkey *b);
/* "SHA256:" + unpadded base64 of sha256(blob), as ssh-keygen -l prints;
 * out must hold at least 64 bytes. */
void sup_sshkey_fingerprint(char *out, size_t size, const struct sup_sshkey *k);
/* "TYPE BASE64" into out (appending), for allowed-signers lines. */
void sup_sshkey_format(struct sup_buf *out, const struct sup_sshkey *k);

/*
 * Read the public key out of an armored SSH signature ("-----BEGIN SSH
 * SIGNATURE-----" ... "-----END SSH SIGNATURE-----") without verifying
 * anything.  For telling who claims to have signed.
 */
int sup_sshsig_pubkey(struct sup_sshkey *out, const char *armored, size_t len);

/*
 * Verify an armored SSH signature over data in namespace ns (sup always
 * passes "git").  On success (0) *signer, if not NULL, receives the public
 * key that made the signature (the caller then decides whether that key is
 * trusted).  A signature that is malformed, in another namespace, made with
 * an unsupported algorithm, or that does not verify: SUP_EBADSIG with a
 * message saying which.
 */
int sup_sshsig_verify(struct sup_sshkey *signer, const char *armored,
		      size_t len, const void *data, size_t datalen,
		      const char *ns);

/*
 * Sign data in namespace ns with an Ed25519 private key given as its 32-byte
 * seed, appending an armored SSHSIG (sha512, as ssh-keygen writes it) to
 * out.  For the benchmark generator, which signs hundreds of thousands of
 * commits without running ssh-keygen.
 */
int sup_sshsig_sign_ed25519(struct sup_buf *out, const unsigned char seed[32],
			    const void *data, size_t datalen, const char *ns);
/* The public key of an Ed25519 seed. */
int sup_sshkey_from_ed25519_seed(struct sup_sshkey *out,
				 const unsigned char seed[32]);

/*
 * Armor a raw SSHSIG blob as ssh-keygen does (base64 in 70-column lines
 * between the BEGIN and END lines, final newline), appending to out.
 */
void sup_sshsig_armor(struct sup_buf *out, const void *blob, size_t len);
/*
 * Strip the armor from an SSH signature and append the decoded blob to out.
 * The BEGIN line must come first and the END line must follow the base64
 * lines; only blank space may follow it.  Base64 must be canonical (padded,
 * no stray characters).  SUP_EBADSIG with a message otherwise, and out is
 * left as it was.
 */
int sup_sshsig_dearmor(struct sup_buf *out, const char *armored, size_t len);

/* SHA-256 of data as 64 lowercase hex digits and a NUL into out. */
void sup_sha256_hex(char out[65], const void *data, size_t len);
/* SHA-1 of data: the checksum git puts at the end of its index file (not
 * for any security decision). */
void sup_sha1(unsigned char out[20], const void *data, size_t len);
/* The same over pieces: begin, add each, end (which frees the state). */
struct sup_sha1;
struct sup_sha1 *sup_sha1_begin(void);
void sup_sha1_add(struct sup_sha1 *h, const void *data, size_t len);
void sup_sha1_end(struct sup_sha1 *h, unsigned char out[20]);

#endif
