/* verify: commit signature verdicts (see verify.h). */
#include "verify.h"
#include "sign.h"
#include "sshsig.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

static int S_is_sig_header(const char *line, size_t len)
{
	return (len >= 7 && !memcmp(line, "gpgsig ", 7)) ||
	       (len >= 14 && !memcmp(line, "gpgsig-sha256 ", 14));
}

void sup_commit_split(struct sup_buf *payload, struct sup_buf *sig, int *nsigs,
		      const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;
	int in_headers = 1, in_sig = 0;

	*nsigs = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t llen = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);

		if (in_headers) {
			if (llen == 1 && *p == '\n') {
				in_headers = 0;
				in_sig = 0;
			} else if (*p == ' ' && in_sig) {
				/* continuation of the signature header */
				if (*nsigs == 1)
					sup_buf_put(sig, p + 1, llen - 1);
				p += llen;
				continue;
			} else if (S_is_sig_header(p, llen)) {
				const char *v = memchr(p, ' ', llen) + 1;

				(*nsigs)++;
				in_sig = 1;
				if (*nsigs == 1)
					sup_buf_put(sig, v, llen - (size_t)(v - p));
				p += llen;
				continue;
			} else {
				in_sig = 0;
			}
		}
		sup_buf_put(payload, p, llen);
		p += llen;
	}
	if (!payload->ptr)
		sup_buf_put(payload, "", 0);
	if (!sig->ptr)
		sup_buf_put(sig, "", 0);
}

static void S_detail(struct sup_sigcheck *out, const char *msg)
{
	free(out->detail);
	out->detail = sup_xstrdup(msg);
}

static int S_check_ssh(struct sup_sigcheck *out, const struct sup_register *reg,
		       const struct sup_buf *sig, const struct sup_buf *payload)
{
	struct sup_sshkey signer;
	struct sup_buf want = SUP_BUF_INIT;
	size_t i, k;

	memset(&signer, 0, sizeof(signer));
	if (sup_sshsig_verify(&signer, sig->ptr, sig->len, payload->ptr,
			      payload->len, "git") < 0) {
		struct sup_sshkey claimed;

		out->verdict = SUP_VERDICT_BAD;
		S_detail(out, sup_error_last());
		if (sup_sshsig_pubkey(&claimed, sig->ptr, sig->len) == 0) {
			sup_sshkey_fingerprint(out->fingerprint,
					       sizeof(out->fingerprint), &claimed);
			sup_sshkey_release(&claimed);
		}
		sup_error_clear();
		return 0;
	}
	sup_sshkey_fingerprint(out->fingerprint, sizeof(out->fingerprint), &signer);
	/* Compare the key as the register writes it ("TYPE BASE64"), not by
	 * decoding every registered key for every commit: with hundreds of
	 * staff that decoding, not the signature, was the cost. */
	sup_sshkey_format(&want, &signer);
	for (i = 0; i < reg->nstaff; i++) {
		const struct sup_staff *st = &reg->staff[i];

		for (k = 0; k < st->nkeys; k++) {
			const char *line = st->keys[k];

			while (*line == ' ')
				line++;
			if (!strncmp(line, want.ptr, want.len) &&
			    (line[want.len] == '\0' || line[want.len] == ' ' ||
			     line[want.len] == '\t' || line[want.len] == '\n')) {
				out->verdict = SUP_VERDICT_GOOD;
				out->signer = st;
				sup_sshkey_release(&signer);
				sup_buf_release(&want);
				return 0;
			}
		}
	}
	sup_buf_release(&want);
	sup_sshkey_release(&signer);
	sup_error_clear();
	out->verdict = SUP_VERDICT_UNKNOWN_KEY;
	S_detail(out, "the signing key is not in the staff register");
	return 0;
}

static int S_check_gpg(struct sup_sigcheck *out, const struct sup_register *reg,
		       const char *program, const struct sup_buf *sig,
		       const struct sup_buf *payload)
{
	const char **keys = NULL;
	const struct sup_staff **owner = NULL;
	size_t n = 0, i, k, idx = 0;
	char *fpr = NULL;
	int error;

	out->openpgp = 1;
	for (i = 0; i < reg->nstaff; i++) {
		for (k = 0; k < reg->staff[i].nkeys; k++) {
			if (!sup_key_is_openpgp(reg->staff[i].keys[k]))
				continue;
			keys = sup_xrealloc(keys, (n + 1) * sizeof(*keys));
			owner = sup_xrealloc(owner, (n + 1) * sizeof(*owner));
			keys[n] = reg->staff[i].keys[k];
			owner[n++] = &reg->staff[i];
		}
	}
	error = sup_gpg_verify(&fpr, &idx, program, keys, n, sig->ptr, sig->len,
			       payload->ptr, payload->len);
	if (error == 0 && idx < n) {
		out->verdict = SUP_VERDICT_GOOD;
		out->signer = owner[idx];
		snprintf(out->fingerprint, sizeof(out->fingerprint), "%s", fpr);
	} else if (error == 0 || error == SUP_ENOTFOUND) {
		out->verdict = SUP_VERDICT_UNKNOWN_KEY;
		if (fpr)
			snprintf(out->fingerprint, sizeof(out->fingerprint), "%s", fpr);
		S_detail(out, "the signing key is not in the staff register");
		error = 0;
	} else if (error == SUP_EBADSIG) {
		out->verdict = SUP_VERDICT_BAD;
		S_detail(out, sup_error_last());
		error = 0;
	}
	if (!error)
		sup_error_clear();
	free(fpr);
	free(keys);
	free(owner);
	return error;
}

int sup_verify_commit(struct sup_sigcheck *out, const struct sup_register *reg,
		      const char *gpg_program, const char *raw, size_t len)
{
	struct sup_buf payload = SUP_BUF_INIT, sig = SUP_BUF_INIT;
	int nsigs, error = 0;

	memset(out, 0, sizeof(*out));
	sup_commit_split(&payload, &sig, &nsigs, raw, len);
	if (nsigs == 0) {
		out->verdict = SUP_VERDICT_UNSIGNED;
	} else if (nsigs > 1) {
		out->verdict = SUP_VERDICT_MULTIPLE;
		S_detail(out, "the commit carries more than one signature header");
	} else if (sup_sig_is_openpgp(sig.ptr, sig.len)) {
		error = S_check_gpg(out, reg, gpg_program, &sig, &payload);
	} else {
		error = S_check_ssh(out, reg, &sig, &payload);
	}
	sup_buf_release(&payload);
	sup_buf_release(&sig);
	return error;
}

void sup_sigcheck_release(struct sup_sigcheck *c)
{
	if (!c)
		return;
	free(c->detail);
	c->detail = NULL;
}

const char *sup_verdict_name(enum sup_verdict v)
{
	switch (v) {
	case SUP_VERDICT_GOOD: return "good";
	case SUP_VERDICT_BAD: return "bad";
	case SUP_VERDICT_UNSIGNED: return "unsigned";
	case SUP_VERDICT_UNKNOWN_KEY: return "unknown-key";
	case SUP_VERDICT_MULTIPLE: return "multiple-signatures";
	}
	return "bad";
}

char *sup_commit_trailer(const char *raw, size_t len, const char *name)
{
	const char *body = NULL, *p, *end = raw + len, *last = NULL;
	size_t nlen = strlen(name);
	char *found = NULL;

	for (p = raw; p + 1 < end; p++) {
		if (p[0] == '\n' && p[1] == '\n') {
			body = p + 2;
			break;
		}
	}
	if (!body)
		return NULL;
	/* Trailers are the last paragraph of the message, as git reads
	 * them, and never its subject: find the last paragraph's start. */
	while (end > body && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (p = body; p + 1 < end; p++)
		if (p[0] == '\n' && p[1] == '\n')
			last = p + 2;
	if (!last)
		return NULL;
	while (last < end && *last == '\n')
		last++;
	/* the last occurrence wins, as git interpret-trailers reads them */
	for (p = last; p < end; ) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t llen = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (llen > nlen + 1 && !strncasecmp(p, name, nlen) && p[nlen] == ':') {
			const char *v = p + nlen + 1;

			while (v < p + llen && *v == ' ')
				v++;
			free(found);
			found = sup_xstrndup(v, (size_t)(p + llen - v));
		}
		p += llen + 1;
	}
	return found;
}
