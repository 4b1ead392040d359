/* sign: signing and OpenPGP verification through external tools. */
#include "sign.h"
#include "run.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sup_signer_release(struct sup_signer *s)
{
	free(s->key);
	free(s->program);
	free(s->ident);
	memset(s, 0, sizeof(*s));
}

int sup_sig_is_openpgp(const char *sig, size_t len)
{
	static const char pgp[] = "-----BEGIN PGP SIGNATURE-----";

	return len >= sizeof(pgp) - 1 && memcmp(sig, pgp, sizeof(pgp) - 1) == 0;
}

int sup_key_is_openpgp(const char *key)
{
	return sup_starts_with(key, "-----BEGIN PGP PUBLIC KEY BLOCK-----");
}

/* Write data to a new temporary file named after prefix; *path is set. */
static int S_tempfile(char **path, const char *dir, const char *name,
		      const char *data, size_t len)
{
	char *p = sup_xasprintf("%s/%s", dir, name);
	int error = sup_write_file(p, data, len);

	if (error < 0) {
		free(p);
		return error;
	}
	*path = p;
	return 0;
}

static int S_program_failed(const char *program, int status,
			    const struct sup_buf *err)
{
	struct sup_buf msg = SUP_BUF_INIT;
	const char *e = sup_buf_cstr(err);
	size_t n = strlen(e);

	while (n && (e[n - 1] == '\n' || e[n - 1] == '\r'))
		n--;
	sup_buf_put(&msg, e, n);
	sup_error_set(SUP_ENOKEY, "signing failed: %s exited with status %d%s%s",
		      program, status, n ? ": " : "", sup_buf_cstr(&msg));
	sup_buf_release(&msg);
	return SUP_ENOKEY;
}

static int S_sign_ssh(struct sup_buf *out, const struct sup_signer *s,
		      const char *data, size_t len)
{
	char *dir = NULL, *keyfile = NULL, *payload = NULL, *sigfile = NULL;
	struct sup_buf err = SUP_BUF_INIT, sig = SUP_BUF_INIT;
	const char *argv[10];
	const char *key = s->key;
	int literal = 0, status, error, i = 0;
	size_t k;

	if (!key || !*key)
		return sup_error_set(SUP_ENOKEY,
				     "no signing key: gpg.format is ssh but user.signingkey is not set (git config user.signingkey ~/.ssh/id_ed25519.pub)");
	if ((error = sup_mkdtemp(&dir, "sup-sign")) < 0)
		return error;
	if (sup_starts_with(key, "key::") || sup_starts_with(key, "ssh-") ||
	    sup_starts_with(key, "ecdsa-")) {
		/* A literal public key: the private half is in the agent. */
		const char *lit = sup_starts_with(key, "key::") ? key + 5 : key;
		char *line = sup_xasprintf("%s\n", lit);

		literal = 1;
		error = S_tempfile(&keyfile, dir, "signing_key.pub", line, strlen(line));
		free(line);
		if (error < 0)
			goto out;
	} else if (key[0] == '~' && key[1] == '/' && getenv("HOME")) {
		keyfile = sup_xasprintf("%s%s", getenv("HOME"), key + 1);
	} else {
		keyfile = sup_xstrdup(key);
	}
	if (!literal && access(keyfile, R_OK) < 0) {
		error = sup_error_set(SUP_ENOKEY,
				      "no signing key: user.signingkey names '%s', which cannot be read",
				      keyfile);
		goto out;
	}
	if ((error = S_tempfile(&payload, dir, "buffer", data, len)) < 0)
		goto out;
	argv[i++] = s->program ? s->program : "ssh-keygen";
	argv[i++] = "-Y";
	argv[i++] = "sign";
	argv[i++] = "-n";
	argv[i++] = "git";
	argv[i++] = "-f";
	argv[i++] = keyfile;
	if (literal)
		argv[i++] = "-U";
	argv[i++] = payload;
	argv[i] = NULL;
	if ((error = sup_run(&status, argv, NULL, 0, NULL, &err)) < 0) {
		error = sup_error_set(SUP_ENOKEY, "%s", sup_error_last());
		goto out;
	}
	if (status != 0) {
		error = S_program_failed(argv[0], status, &err);
		goto out;
	}
	sigfile = sup_xasprintf("%s.sig", payload);
	if ((error = sup_read_file(&sig, sigfile, 1 << 20)) < 0) {
		error = sup_error_set(SUP_ENOKEY, "%s wrote no signature", argv[0]);
		goto out;
	}
	/* As git does: no carriage returns in the stored signature. */
	for (k = 0; k < sig.len; k++)
		if (sig.ptr[k] != '\r')
			sup_buf_putc(out, sig.ptr[k]);
out:
	if (dir)
		sup_rmtree(dir);
	free(dir);
	free(keyfile);
	free(payload);
	free(sigfile);
	sup_buf_release(&err);
	sup_buf_release(&sig);
	return error;
}

static int S_sign_gpg(struct sup_buf *out, const struct sup_signer *s,
		      const char *data, size_t len)
{
	struct sup_buf sig = SUP_BUF_INIT, err = SUP_BUF_INIT;
	const char *program = s->program ? s->program : "gpg";
	const char *key = s->key && *s->key ? s->key : s->ident;
	const char *argv[] = { program, "--status-fd=2", "-bsau", key, NULL };
	int status, error;

	if (!key || !*key)
		return sup_error_set(SUP_ENOKEY,
				     "no signing key: set user.signingkey (git config user.signingkey KEYID)");
	if ((error = sup_run(&status, argv, data, len, &sig, &err)) < 0) {
		error = sup_error_set(SUP_ENOKEY, "%s", sup_error_last());
		goto out;
	}
	if (status != 0 || !strstr(sup_buf_cstr(&err), "[GNUPG:] SIG_CREATED ")) {
		error = S_program_failed(program, status, &err);
		goto out;
	}
	sup_buf_put(out, sig.ptr, sig.len);
out:
	sup_buf_release(&sig);
	sup_buf_release(&err);
	return error;
}

int sup_sign(struct sup_buf *out, const struct sup_signer *s,
	     const char *data, size_t len)
{
	if (s->format == SUP_SIG_SSH)
		return S_sign_ssh(out, s, data, len);
	return S_sign_gpg(out, s, data, len);
}

/* A temporary GNUPGHOME holding exactly the given keys. */
static int S_keyring(char **home, const char *program, const char *const *keys,
		     size_t nkeys)
{
	struct sup_buf all = SUP_BUF_INIT;
	char *h = NULL;
	const char *argv[8];
	int status, error;
	size_t i;

	if ((error = sup_mkdtemp(&h, "sup-gpg")) < 0)
		return error;
	for (i = 0; i < nkeys; i++) {
		sup_buf_puts(&all, keys[i]);
		sup_buf_putc(&all, '\n');
	}
	argv[0] = program;
	argv[1] = "--homedir";
	argv[2] = h;
	argv[3] = "--batch";
	argv[4] = "--quiet";
	argv[5] = "--import";
	argv[6] = NULL;
	error = sup_run(&status, argv, all.ptr, all.len, NULL, NULL);
	sup_buf_release(&all);
	if (error < 0) {
		sup_rmtree(h);
		free(h);
		return error;
	}
	*home = h;
	return 0;
}

/* Fingerprints of primary keys (fpr records after pub records). */
static void S_collect_fprs(char ***out, size_t *n, const char *colons)
{
	const char *p = colons;
	int want = 0;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > 4 && !strncmp(p, "pub:", 4)) {
			want = 1;
		} else if (len > 4 && !strncmp(p, "fpr:", 4) && want) {
			const char *f = p + 4;
			const char *end;

			/* the fingerprint is field 10 */
			int field;

			for (field = 2; field < 10 && f < p + len; field++) {
				f = memchr(f, ':', (size_t)(p + len - f));
				if (!f)
					break;
				f++;
			}
			if (f && f < p + len) {
				end = memchr(f, ':', (size_t)(p + len - f));
				if (end && end > f) {
					*out = sup_xrealloc(*out, (*n + 1) * sizeof(**out));
					(*out)[(*n)++] = sup_xstrndup(f, (size_t)(end - f));
				}
			}
			want = 0;
		} else if (len > 4 && !strncmp(p, "sub:", 4)) {
			want = 0;
		}
		p += len + (eol ? 1 : 0);
	}
}

int sup_gpg_fingerprints(char ***out, size_t *n, const char *program,
			 const char *key)
{
	struct sup_buf colons = SUP_BUF_INIT;
	char *home = NULL;
	const char *argv[9];
	int status, error;

	*out = NULL;
	*n = 0;
	if (!program)
		program = "gpg";
	if ((error = sup_mkdtemp(&home, "sup-gpg")) < 0)
		return error;
	argv[0] = program;
	argv[1] = "--homedir";
	argv[2] = home;
	argv[3] = "--batch";
	argv[4] = "--with-colons";
	argv[5] = "--import-options";
	argv[6] = "show-only";
	argv[7] = "--import";
	argv[8] = NULL;
	error = sup_run(&status, argv, key, strlen(key), &colons, NULL);
	if (!error)
		S_collect_fprs(out, n, sup_buf_cstr(&colons));
	if (!error && !*n)
		error = sup_error_set(SUP_EINVALID, "not an OpenPGP public key");
	sup_rmtree(home);
	free(home);
	sup_buf_release(&colons);
	return error;
}

int sup_gpg_verify(char **fpr, size_t *key_index, const char *program,
		   const char *const *keys, size_t nkeys,
		   const char *sig, size_t siglen, const char *data, size_t len)
{
	struct sup_buf status_out = SUP_BUF_INIT;
	char *home = NULL, *sigfile = NULL, *datafile = NULL;
	const char *argv[12], *line;
	int status, error, i = 0;
	size_t k;

	if (fpr)
		*fpr = NULL;
	if (!program)
		program = "gpg";
	if ((error = S_keyring(&home, program, keys, nkeys)) < 0)
		return error;
	if ((error = S_tempfile(&sigfile, home, "sig.asc", sig, siglen)) < 0 ||
	    (error = S_tempfile(&datafile, home, "payload", data, len)) < 0)
		goto out;
	argv[i++] = program;
	argv[i++] = "--homedir";
	argv[i++] = home;
	argv[i++] = "--batch";
	argv[i++] = "--status-fd=1";
	argv[i++] = "--verify";
	argv[i++] = sigfile;
	argv[i++] = datafile;
	argv[i] = NULL;
	if ((error = sup_run(&status, argv, NULL, 0, &status_out, NULL)) < 0)
		goto out;
	if ((line = strstr(sup_buf_cstr(&status_out), "[GNUPG:] NO_PUBKEY ")) != NULL) {
		/* name the unknown key (its long key id) in messages */
		line += strlen("[GNUPG:] NO_PUBKEY ");
		if (fpr)
			*fpr = sup_xstrndup(line, strcspn(line, " \n"));
		error = sup_error_set(SUP_ENOTFOUND,
				      "OpenPGP signature by a key that is not in the register");
		goto out;
	}
	/* VALIDSIG <fpr> <date> ... <primary-fpr> is the only proof we accept;
	 * GOODSIG alone does not say the signature is valid. */
	line = strstr(sup_buf_cstr(&status_out), "[GNUPG:] VALIDSIG ");
	if (status != 0 || !line || strstr(status_out.ptr, "[GNUPG:] BADSIG ") ||
	    strstr(status_out.ptr, "[GNUPG:] ERRSIG ")) {
		error = sup_error_set(SUP_EBADSIG,
				      "OpenPGP signature does not verify against the registered keys");
		goto out;
	}
	{
		const char *eol = strchr(line, '\n');
		const char *last, *p;
		char *primary;
		size_t llen = eol ? (size_t)(eol - line) : strlen(line);

		/* the primary key fingerprint is the last field */
		last = line + llen;
		p = last;
		while (p > line && p[-1] != ' ')
			p--;
		primary = sup_xstrndup(p, (size_t)(last - p));
		if (key_index) {
			*key_index = nkeys;
			for (k = 0; k < nkeys; k++) {
				char **fprs = NULL;
				size_t nf = 0, j;

				if (sup_gpg_fingerprints(&fprs, &nf, program, keys[k]) == 0) {
					for (j = 0; j < nf; j++)
						if (!strcmp(fprs[j], primary))
							*key_index = k;
				}
				for (j = 0; j < nf; j++)
					free(fprs[j]);
				free(fprs);
			}
			sup_error_clear();
		}
		if (fpr)
			*fpr = primary;
		else
			free(primary);
	}
out:
	if (home)
		sup_rmtree(home);
	free(home);
	free(sigfile);
	free(datafile);
	sup_buf_release(&status_out);
	return error;
}
