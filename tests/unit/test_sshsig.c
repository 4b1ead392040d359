/*
 * Unit tests for lib/sshsig: keys and signatures made by the real
 * ssh-keygen at test time, checked against sup's in-process verifier, and
 * sup's own Ed25519 signatures checked by ssh-keygen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "sshsig.h"
#include "util.h"

#define S_NS "git"

static const char S_msg[] =
	"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
	"author A <a@example.org> 1700000000 +0000\n"
	"committer A <a@example.org> 1700000000 +0000\n"
	"\n"
	"sup: record 2026-01-05-jsmith\n";

/* The key files made once for all tests, by base name in S_dir. */
static const char *const S_keys[] = {
	"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa3072",
};
static const char *const S_keygen_args[] = {
	"-t ed25519", "-t ecdsa -b 256", "-t ecdsa -b 384", "-t ecdsa -b 521",
	"-t rsa -b 3072",
};

static char S_dir[] = "/tmp/test_sshsig.XXXXXX";
static int S_have_openssl_cli;

/* ---- helpers ---- */

static int S_run(const char *fmt, ...) SUP_PRINTF(1, 2);
static int S_run(const char *fmt, ...)
{
	struct sup_buf cmd = SUP_BUF_INIT;
	va_list ap;
	int st;

	va_start(ap, fmt);
	sup_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	st = system(cmd.ptr);
	sup_buf_release(&cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static char *S_path(const char *name)
{
	return sup_xasprintf("%s/%s", S_dir, name);
}

/* The contents of S_dir/name, which must exist. */
static void S_slurp(struct sup_buf *out, const char *name)
{
	char *path = S_path(name);

	assert_int_equal(sup_read_file(out, path, SUP_MAX_FILE), 0);
	free(path);
}

static void S_write(const char *name, const void *data, size_t len)
{
	char *path = S_path(name);

	assert_int_equal(sup_write_file(path, data, len), 0);
	free(path);
}

static void S_pubkey(struct sup_sshkey *out, const char *key)
{
	struct sup_buf line = SUP_BUF_INIT;
	char *name = sup_xasprintf("%s.pub", key);

	S_slurp(&line, name);
	assert_int_equal(sup_sshkey_parse(out, line.ptr), 0);
	sup_buf_release(&line);
	free(name);
}

/* The armored signature of S_msg by key in namespace "git". */
static void S_sig(struct sup_buf *out, const char *key)
{
	char *name = sup_xasprintf("msg.%s.sig", key);

	S_slurp(out, name);
	free(name);
}

static int S_verify(const struct sup_buf *sig, const char *ns)
{
	return sup_sshsig_verify(NULL, sig->ptr, sig->len, S_msg,
				 strlen(S_msg), ns);
}

/* Lenient base64 for reading ssh-keygen's private key files. */
static void S_b64dec_loose(struct sup_buf *out, const char *s, size_t n)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(al, s[i]) : NULL;

		if (!p)
			continue;
		acc = acc << 6 | (uint32_t)(p - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sup_buf_putc(out, (int)(acc >> bits & 0xff));
		}
	}
}

static uint32_t S_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void S_put_u32(struct sup_buf *b, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)(v >> 24),
			       (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	sup_buf_put(b, p, 4);
}

static void S_put_string(struct sup_buf *b, const void *s, size_t len)
{
	S_put_u32(b, (uint32_t)len);
	sup_buf_put(b, s, len);
}

/* A cursor over a blob the test itself trusts (made by ssh-keygen). */
static const unsigned char *S_take(const unsigned char **p, size_t *len)
{
	const unsigned char *s = *p + 4;

	*len = S_u32(*p);
	*p = s + *len;
	return s;
}

/*
 * The Ed25519 seed of an unencrypted OpenSSH private key file
 * (PROTOCOL.key): magic, cipher, kdf, kdf options, key count, public key,
 * then the private section: two check words, type, public key and the
 * 64-byte secret whose first half is the seed.
 */
static void S_ed25519_seed(unsigned char seed[32], const char *key)
{
	struct sup_buf pem = SUP_BUF_INIT, bin = SUP_BUF_INIT;
	const unsigned char *p, *s;
	const char *b, *e;
	size_t n;

	S_slurp(&pem, key);
	b = strstr(pem.ptr, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	e = strstr(pem.ptr, "-----END OPENSSH PRIVATE KEY-----");
	assert_non_null(b);
	assert_non_null(e);
	b += strlen("-----BEGIN OPENSSH PRIVATE KEY-----\n");
	S_b64dec_loose(&bin, b, (size_t)(e - b));
	assert_true(bin.len > 15);
	assert_memory_equal(bin.ptr, "openssh-key-v1", 15);
	p = (const unsigned char *)bin.ptr + 15;
	s = S_take(&p, &n);
	assert_true(n == 4 && memcmp(s, "none", 4) == 0);
	S_take(&p, &n);		/* kdf name */
	S_take(&p, &n);		/* kdf options */
	assert_int_equal(S_u32(p), 1);
	p += 4;
	S_take(&p, &n);		/* public key */
	p += 4;			/* private section length */
	p += 8;			/* check words */
	s = S_take(&p, &n);
	assert_true(n == 11 && memcmp(s, "ssh-ed25519", 11) == 0);
	S_take(&p, &n);		/* public key */
	s = S_take(&p, &n);
	assert_int_equal(n, 64);
	memcpy(seed, s, 32);
	sup_buf_release(&pem);
	sup_buf_release(&bin);
}

/* An SSHSIG blob split into its fields, to tamper with and rebuild. */
struct S_env {
	uint32_t version;
	struct sup_buf pub, ns, reserved, hashalg, sig;
};

static void S_env_split(struct S_env *env, const struct sup_buf *armored)
{
	struct sup_buf blob = SUP_BUF_INIT;
	const unsigned char *p, *s;
	size_t n;

	memset(env, 0, sizeof(*env));
	assert_int_equal(sup_sshsig_dearmor(&blob, armored->ptr,
					    armored->len), 0);
	assert_memory_equal(blob.ptr, "SSHSIG", 6);
	p = (const unsigned char *)blob.ptr + 6;
	env->version = S_u32(p);
	p += 4;
	s = S_take(&p, &n);
	sup_buf_put(&env->pub, s, n);
	s = S_take(&p, &n);
	sup_buf_put(&env->ns, s, n);
	s = S_take(&p, &n);
	sup_buf_put(&env->reserved, s, n);
	s = S_take(&p, &n);
	sup_buf_put(&env->hashalg, s, n);
	s = S_take(&p, &n);
	sup_buf_put(&env->sig, s, n);
	assert_ptr_equal(p, (const unsigned char *)blob.ptr + blob.len);
	sup_buf_release(&blob);
}

static void S_env_blob(struct sup_buf *out, const struct S_env *env)
{
	sup_buf_put(out, "SSHSIG", 6);
	S_put_u32(out, env->version);
	S_put_string(out, env->pub.ptr, env->pub.len);
	S_put_string(out, env->ns.ptr, env->ns.len);
	S_put_string(out, env->reserved.ptr, env->reserved.len);
	S_put_string(out, env->hashalg.ptr, env->hashalg.len);
	S_put_string(out, env->sig.ptr, env->sig.len);
}

static void S_env_armor(struct sup_buf *out, const struct S_env *env)
{
	struct sup_buf blob = SUP_BUF_INIT;

	S_env_blob(&blob, env);
	sup_sshsig_armor(out, blob.ptr, blob.len);
	sup_buf_release(&blob);
}

static void S_env_release(struct S_env *env)
{
	sup_buf_release(&env->pub);
	sup_buf_release(&env->ns);
	sup_buf_release(&env->reserved);
	sup_buf_release(&env->hashalg);
	sup_buf_release(&env->sig);
}

static void S_set(struct sup_buf *b, const void *data, size_t len)
{
	sup_buf_truncate(b, 0);
	sup_buf_put(b, data, len);
}

/* Verify the envelope as rebuilt; returns the code and keeps the message
 * for the caller to check. */
static int S_env_verify(const struct S_env *env)
{
	struct sup_buf arm = SUP_BUF_INIT;
	int rc;

	S_env_armor(&arm, env);
	rc = S_verify(&arm, S_NS);
	sup_buf_release(&arm);
	return rc;
}

static void S_assert_error_has(const char *what)
{
	if (!strstr(sup_error_last(), what))
		fail_msg("error '%s' does not mention '%s'", sup_error_last(),
			 what);
}

/* ---- fixture ---- */

static int S_setup(void **state)
{
	size_t i;
	int ok = 1;

	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	{
		char *msg = S_path("msg");

		ok &= sup_write_file(msg, S_msg, strlen(S_msg)) == 0;
		free(msg);
	}
	for (i = 0; i < SUP_ARRAY_SIZE(S_keys); i++) {
		ok &= S_run("ssh-keygen %s -N '' -C %s -f %s/%s -q </dev/null",
			    S_keygen_args[i], S_keys[i], S_dir,
			    S_keys[i]) == 0;
		ok &= S_run("cd %s && ssh-keygen -Y sign -n git -f %s msg "
			    ">/dev/null 2>&1 && mv msg.sig msg.%s.sig",
			    S_dir, S_keys[i], S_keys[i]) == 0;
	}
	ok &= S_run("ssh-keygen -t ed25519 -N '' -C other -f %s/other -q",
		    S_dir) == 0;
	ok &= S_run("ssh-keygen -t rsa -b 1024 -N '' -f %s/rsa1024 -q",
		    S_dir) == 0;
	ok &= S_run("cd %s && ssh-keygen -Y sign -n git -f rsa1024 msg "
		    ">/dev/null 2>&1 && mv msg.sig msg.rsa1024.sig",
		    S_dir) == 0;
	ok &= S_run("cd %s && ssh-keygen -Y sign -n file -f ed25519 msg "
		    ">/dev/null 2>&1 && mv msg.sig msg.file.sig", S_dir) == 0;
	ok &= S_run("cd %s && ssh-keygen -Y sign -n git -O hashalg=sha256 "
		    "-f ed25519 msg >/dev/null 2>&1 && "
		    "mv msg.sig msg.sha256.sig", S_dir) == 0;
	S_have_openssl_cli = S_run("openssl version >/dev/null 2>&1") == 0;
	return ok ? 0 : -1;
}

static int S_teardown(void **state)
{
	(void)state;
	return S_run("rm -rf %s", S_dir) == 0 ? 0 : -1;
}

/* ---- tests ---- */

static void test_verify_all_types(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(S_keys); i++) {
		struct sup_buf sig = SUP_BUF_INIT;
		struct sup_sshkey pub, signer, claimed;

		S_pubkey(&pub, S_keys[i]);
		S_sig(&sig, S_keys[i]);
		if (sup_sshsig_verify(&signer, sig.ptr, sig.len, S_msg,
				      strlen(S_msg), S_NS) != 0)
			fail_msg("%s: %s", S_keys[i], sup_error_last());
		assert_true(sup_sshkey_equal(&signer, &pub));
		assert_string_equal(signer.type, pub.type);
		assert_int_equal(sup_sshsig_pubkey(&claimed, sig.ptr, sig.len),
				 0);
		assert_true(sup_sshkey_equal(&claimed, &pub));
		sup_sshkey_release(&claimed);
		sup_sshkey_release(&signer);
		sup_sshkey_release(&pub);
		sup_buf_release(&sig);
	}
}

static void test_tampered_message(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(S_keys); i++) {
		struct sup_buf sig = SUP_BUF_INIT;
		struct sup_sshkey signer;
		char *msg = sup_xstrdup(S_msg);

		msg[7] ^= 1;
		S_sig(&sig, S_keys[i]);
		assert_int_equal(sup_sshsig_verify(&signer, sig.ptr, sig.len,
						   msg, strlen(msg), S_NS),
				 SUP_EBADSIG);
		S_assert_error_has("does not verify");
		/* Nothing is handed back for a signature that failed. */
		assert_null(signer.blob);
		assert_int_equal(sup_sshsig_verify(NULL, sig.ptr, sig.len,
						   S_msg, strlen(S_msg) - 1,
						   S_NS),
				 SUP_EBADSIG);
		free(msg);
		sup_buf_release(&sig);
	}
}

static void test_namespace(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT;

	(void)state;
	S_slurp(&sig, "msg.file.sig");
	assert_int_equal(S_verify(&sig, "git"), SUP_EBADSIG);
	S_assert_error_has("namespace 'file'");
	/* The same signature is good in its own namespace, so the refusal
	 * above is the namespace check and nothing else. */
	assert_int_equal(S_verify(&sig, "file"), 0);
	assert_int_equal(S_verify(&sig, "fil"), SUP_EBADSIG);
	assert_int_equal(S_verify(&sig, ""), SUP_EBADSIG);
	sup_buf_release(&sig);

	S_sig(&sig, "ed25519");
	assert_int_equal(S_verify(&sig, "git"), 0);
	assert_int_equal(S_verify(&sig, "file"), SUP_EBADSIG);
	assert_int_equal(S_verify(&sig, "gitx"), SUP_EBADSIG);
	sup_buf_release(&sig);
}

/* Rewriting the namespace inside the envelope must break the signature,
 * since the namespace is part of what was signed. */
static void test_namespace_rewritten(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT;
	struct S_env env;

	(void)state;
	S_slurp(&sig, "msg.file.sig");
	S_env_split(&env, &sig);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_set(&env.ns, "git", 3);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("does not verify");
	/* An embedded NUL must not make "git\0x" look like "git". */
	S_set(&env.ns, "git\0x", 5);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("namespace");
	S_env_release(&env);
	sup_buf_release(&sig);
}

static void test_signer_identity(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT, arm = SUP_BUF_INIT;
	struct sup_sshkey a, b, signer;
	struct S_env env;

	(void)state;
	S_pubkey(&a, "ed25519");
	S_pubkey(&b, "other");
	assert_false(sup_sshkey_equal(&a, &b));
	S_sig(&sig, "ed25519");
	assert_int_equal(sup_sshsig_verify(&signer, sig.ptr, sig.len, S_msg,
					   strlen(S_msg), S_NS), 0);
	assert_true(sup_sshkey_equal(&signer, &a));
	assert_false(sup_sshkey_equal(&signer, &b));
	sup_sshkey_release(&signer);

	/* Claiming B made A's signature must not work. */
	S_env_split(&env, &sig);
	S_set(&env.pub, b.blob, b.len);
	S_env_armor(&arm, &env);
	assert_int_equal(sup_sshsig_pubkey(&signer, arm.ptr, arm.len), 0);
	assert_true(sup_sshkey_equal(&signer, &b));
	sup_sshkey_release(&signer);
	assert_int_equal(sup_sshsig_verify(&signer, arm.ptr, arm.len, S_msg,
					   strlen(S_msg), S_NS), SUP_EBADSIG);
	assert_null(signer.blob);

	S_env_release(&env);
	sup_buf_release(&arm);
	sup_buf_release(&sig);
	sup_sshkey_release(&a);
	sup_sshkey_release(&b);
}

static void test_fingerprint(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(S_keys); i++) {
		struct sup_buf out = SUP_BUF_INIT;
		struct sup_sshkey pub;
		char fp[64], small[10], *want, *end;

		S_pubkey(&pub, S_keys[i]);
		assert_int_equal(S_run("ssh-keygen -l -E sha256 -f %s/%s.pub "
				       "> %s/fp", S_dir, S_keys[i], S_dir), 0);
		S_slurp(&out, "fp");
		/* "BITS SHA256:... COMMENT (TYPE)" */
		want = strchr(out.ptr, ' ');
		assert_non_null(want);
		want++;
		end = strchr(want, ' ');
		assert_non_null(end);
		*end = '\0';
		sup_sshkey_fingerprint(fp, sizeof(fp), &pub);
		assert_string_equal(fp, want);
		assert_int_equal(strlen(fp), 50);
		/* A short buffer is cut, never overrun. */
		sup_sshkey_fingerprint(small, sizeof(small), &pub);
		assert_int_equal(strlen(small), sizeof(small) - 1);
		assert_memory_equal(small, want, sizeof(small) - 1);
		sup_sshkey_release(&pub);
		sup_buf_release(&out);
	}
}

/* sup's Ed25519 signer writes exactly what ssh-keygen writes for the same
 * key, and ssh-keygen accepts it. */
static void test_sign_like_ssh_keygen(void **state)
{
	struct sup_buf theirs = SUP_BUF_INIT, ours = SUP_BUF_INIT;
	struct sup_buf line = SUP_BUF_INIT, allowed = SUP_BUF_INIT;
	struct sup_sshkey pub, derived, signer;
	unsigned char seed[32];

	(void)state;
	S_ed25519_seed(seed, "ed25519");
	S_pubkey(&pub, "ed25519");
	assert_int_equal(sup_sshkey_from_ed25519_seed(&derived, seed), 0);
	assert_true(sup_sshkey_equal(&derived, &pub));
	assert_string_equal(derived.type, "ssh-ed25519");

	assert_int_equal(sup_sshsig_sign_ed25519(&ours, seed, S_msg,
						 strlen(S_msg), S_NS), 0);
	S_sig(&theirs, "ed25519");
	assert_int_equal(ours.len, theirs.len);
	assert_string_equal(ours.ptr, theirs.ptr);

	assert_int_equal(sup_sshsig_verify(&signer, ours.ptr, ours.len, S_msg,
					   strlen(S_msg), S_NS), 0);
	assert_true(sup_sshkey_equal(&signer, &pub));
	sup_sshkey_release(&signer);

	S_write("ours.sig", ours.ptr, ours.len);
	assert_int_equal(S_run("cd %s && ssh-keygen -Y check-novalidate -n git "
			       "-s ours.sig < msg >/dev/null 2>&1", S_dir), 0);
	/* ...and ssh-keygen's check is real: another namespace fails. */
	assert_int_not_equal(S_run("cd %s && ssh-keygen -Y check-novalidate "
				   "-n file -s ours.sig < msg >/dev/null 2>&1",
				   S_dir), 0);
	sup_buf_puts(&allowed, "a@example.org ");
	sup_sshkey_format(&allowed, &derived);
	sup_buf_putc(&allowed, '\n');
	S_write("allowed", allowed.ptr, allowed.len);
	assert_int_equal(S_run("cd %s && ssh-keygen -Y verify -f allowed "
			       "-I a@example.org -n git -s ours.sig < msg "
			       ">/dev/null 2>&1", S_dir), 0);

	/* A different message, a different namespace. */
	sup_buf_truncate(&ours, 0);
	assert_int_equal(sup_sshsig_sign_ed25519(&ours, seed, "x", 1, "file"),
			 0);
	assert_int_equal(sup_sshsig_verify(NULL, ours.ptr, ours.len, "x", 1,
					   "file"), 0);
	assert_int_equal(sup_sshsig_verify(NULL, ours.ptr, ours.len, "x", 1,
					   "git"), SUP_EBADSIG);
	assert_int_equal(sup_sshsig_verify(NULL, ours.ptr, ours.len, "y", 1,
					   "file"), SUP_EBADSIG);
	assert_int_equal(sup_sshsig_sign_ed25519(&ours, seed, "x", 1, ""),
			 SUP_EINVALID);

	sup_sshkey_release(&pub);
	sup_sshkey_release(&derived);
	sup_buf_release(&theirs);
	sup_buf_release(&ours);
	sup_buf_release(&line);
	sup_buf_release(&allowed);
}

/* RFC 8032 section 7.1, test 1. */
static void test_seed_vector(void **state)
{
	static const unsigned char seed[32] = {
		0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84,
		0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69,
		0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae,
		0x7f, 0x60,
	};
	static const unsigned char pk[32] = {
		0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b,
		0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3,
		0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07,
		0x51, 0x1a,
	};
	struct sup_sshkey k;

	(void)state;
	assert_int_equal(sup_sshkey_from_ed25519_seed(&k, seed), 0);
	assert_int_equal(k.len, 4 + 11 + 4 + 32);
	assert_memory_equal(k.blob, "\0\0\0\x0bssh-ed25519\0\0\0\x20", 19);
	assert_memory_equal(k.blob + 19, pk, 32);
	sup_sshkey_release(&k);
}

static void test_hashalg_sha256(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT;
	struct S_env env;

	(void)state;
	S_slurp(&sig, "msg.sha256.sig");
	S_env_split(&env, &sig);
	assert_int_equal(env.hashalg.len, 6);
	assert_memory_equal(env.hashalg.ptr, "sha256", 6);
	assert_int_equal(S_verify(&sig, S_NS), 0);
	/* Relabelling the hash is caught: the label is signed. */
	S_set(&env.hashalg, "sha512", 6);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_set(&env.hashalg, "sha1", 4);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("unsupported signature hash 'sha1'");
	S_set(&env.hashalg, "", 0);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_env_release(&env);
	sup_buf_release(&sig);
}

/* Every proper prefix of a valid blob is refused, by verify and by
 * pubkey, without crashing (ASan watches the reads). */
static void test_truncated(void **state)
{
	size_t i, n;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(S_keys); i++) {
		struct sup_buf sig = SUP_BUF_INIT, blob = SUP_BUF_INIT;

		S_sig(&sig, S_keys[i]);
		assert_int_equal(sup_sshsig_dearmor(&blob, sig.ptr, sig.len),
				 0);
		for (n = 0; n < blob.len; n++) {
			struct sup_buf arm = SUP_BUF_INIT;
			struct sup_sshkey k;
			/* An exact-size copy, so that ASan sees any read past
			 * the end of the prefix. */
			unsigned char *copy = sup_xmalloc(n);
			int rc;

			memcpy(copy, blob.ptr, n);
			sup_sshsig_armor(&arm, copy, n);
			rc = sup_sshsig_verify(NULL, arm.ptr, arm.len, S_msg,
					       strlen(S_msg), S_NS);
			if (rc != SUP_EBADSIG)
				fail_msg("%s: prefix %zu of %zu: %d", S_keys[i],
					 n, blob.len, rc);
			rc = sup_sshsig_pubkey(&k, arm.ptr, arm.len);
			if (rc != SUP_EBADSIG)
				fail_msg("%s: pubkey of prefix %zu: %d",
					 S_keys[i], n, rc);
			assert_null(k.blob);
			sup_buf_release(&arm);
			free(copy);
		}
		sup_buf_release(&blob);
		sup_buf_release(&sig);
	}
}

static void test_envelope_malformed(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT, blob = SUP_BUF_INIT;
	struct sup_buf arm = SUP_BUF_INIT;
	struct sup_sshkey k;
	size_t off, field;

	(void)state;
	S_sig(&sig, "ed25519");
	assert_int_equal(sup_sshsig_dearmor(&blob, sig.ptr, sig.len), 0);

	/* Control: the blob as it is re-armored verifies. */
	sup_sshsig_armor(&arm, blob.ptr, blob.len);
	assert_int_equal(S_verify(&arm, S_NS), 0);

	/* Wrong magic. */
	blob.ptr[0] = 'X';
	sup_buf_truncate(&arm, 0);
	sup_sshsig_armor(&arm, blob.ptr, blob.len);
	assert_int_equal(S_verify(&arm, S_NS), SUP_EBADSIG);
	S_assert_error_has("not an SSHSIG blob");
	assert_int_equal(sup_sshsig_pubkey(&k, arm.ptr, arm.len), SUP_EBADSIG);
	blob.ptr[0] = 'S';

	/* Version 2, and version 0. */
	blob.ptr[9] = 2;
	sup_buf_truncate(&arm, 0);
	sup_sshsig_armor(&arm, blob.ptr, blob.len);
	assert_int_equal(S_verify(&arm, S_NS), SUP_EBADSIG);
	S_assert_error_has("version 2");
	blob.ptr[9] = 0;
	sup_buf_truncate(&arm, 0);
	sup_sshsig_armor(&arm, blob.ptr, blob.len);
	assert_int_equal(S_verify(&arm, S_NS), SUP_EBADSIG);
	blob.ptr[9] = 1;

	/* Each of the five length fields set to 0xffffffff, to 0 and to one
	 * more than its real value. */
	off = 10;
	for (field = 0; field < 5; field++) {
		unsigned char *p = (unsigned char *)blob.ptr + off;
		uint32_t real = S_u32(p);
		static const uint32_t bad[] = { 0xffffffffu, 0x80000000u,
						0 };
		size_t j;

		for (j = 0; j <= SUP_ARRAY_SIZE(bad); j++) {
			uint32_t v = j < SUP_ARRAY_SIZE(bad) ? bad[j] : real + 1;

			if (v == real)
				continue;
			p[0] = (unsigned char)(v >> 24);
			p[1] = (unsigned char)(v >> 16);
			p[2] = (unsigned char)(v >> 8);
			p[3] = (unsigned char)v;
			sup_buf_truncate(&arm, 0);
			sup_sshsig_armor(&arm, blob.ptr, blob.len);
			if (S_verify(&arm, S_NS) != SUP_EBADSIG)
				fail_msg("field %zu length %lu accepted", field,
					 (unsigned long)v);
		}
		p[0] = (unsigned char)(real >> 24);
		p[1] = (unsigned char)(real >> 16);
		p[2] = (unsigned char)(real >> 8);
		p[3] = (unsigned char)real;
		off += 4 + real;
	}
	assert_int_equal(off, blob.len);
	sup_buf_truncate(&arm, 0);
	sup_sshsig_armor(&arm, blob.ptr, blob.len);
	assert_int_equal(S_verify(&arm, S_NS), 0);

	/* Trailing garbage after the last field. */
	sup_buf_putc(&blob, 0);
	sup_buf_truncate(&arm, 0);
	sup_sshsig_armor(&arm, blob.ptr, blob.len);
	assert_int_equal(S_verify(&arm, S_NS), SUP_EBADSIG);
	S_assert_error_has("trailing");
	assert_int_equal(sup_sshsig_pubkey(&k, arm.ptr, arm.len), SUP_EBADSIG);

	sup_buf_release(&arm);
	sup_buf_release(&blob);
	sup_buf_release(&sig);
}

static void test_envelope_fields(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT, esig = SUP_BUF_INIT, t = SUP_BUF_INIT;
	struct sup_sshkey ecdsa;
	struct S_env env, eenv;

	(void)state;
	S_sig(&sig, "ed25519");
	S_env_split(&env, &sig);
	assert_int_equal(S_env_verify(&env), 0);

	/* A reserved field that no signature covers. */
	S_set(&env.reserved, "x", 1);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("reserved");
	S_set(&env.reserved, "", 0);

	/* The Ed25519 signature: 63 and 65 bytes, a trailing byte, a bit
	 * flipped. */
	sup_buf_release(&t);
	sup_buf_put(&t, env.sig.ptr, env.sig.len);
	assert_int_equal(env.sig.len, 4 + 11 + 4 + 64);
	env.sig.ptr[18] = 63;
	sup_buf_truncate(&env.sig, env.sig.len - 1);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("63 bytes");
	S_set(&env.sig, t.ptr, t.len);
	env.sig.ptr[18] = 65;
	sup_buf_putc(&env.sig, 0);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_set(&env.sig, t.ptr, t.len);
	sup_buf_putc(&env.sig, 0);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_set(&env.sig, t.ptr, t.len);
	env.sig.ptr[30] ^= 0x20;
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("does not verify");
	S_set(&env.sig, t.ptr, t.len);
	assert_int_equal(S_env_verify(&env), 0);

	/* A signature type that does not match the key: ECDSA key with an
	 * Ed25519 signature, and the other way round. */
	S_pubkey(&ecdsa, "ecdsa256");
	S_set(&env.pub, ecdsa.blob, ecdsa.len);
	assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
	S_assert_error_has("ssh-ed25519 signature made with a "
			   "ecdsa-sha2-nistp256 key");
	S_sig(&esig, "ecdsa256");
	S_env_split(&eenv, &esig);
	assert_int_equal(S_env_verify(&eenv), 0);
	S_set(&eenv.sig, env.sig.ptr, env.sig.len);
	assert_int_equal(S_env_verify(&eenv), SUP_EBADSIG);
	S_env_release(&eenv);

	/* The ECDSA signature relabelled for another curve. */
	S_env_split(&eenv, &esig);
	memcpy(eenv.sig.ptr + 4 + 16, "384", 3);
	assert_int_equal(S_env_verify(&eenv), SUP_EBADSIG);
	S_env_release(&eenv);

	/* Ed25519 key of 31 bytes in the envelope. */
	S_env_split(&eenv, &sig);
	eenv.pub.ptr[18] = 31;
	sup_buf_truncate(&eenv.pub, eenv.pub.len - 1);
	assert_int_equal(S_env_verify(&eenv), SUP_EBADSIG);
	S_assert_error_has("31 bytes");
	S_env_release(&eenv);

	/* An unsupported key type. */
	S_env_split(&eenv, &sig);
	memcpy(eenv.pub.ptr + 4, "ssh-ed25518", 11);
	assert_int_equal(S_env_verify(&eenv), SUP_EBADSIG);
	S_assert_error_has("unsupported key type 'ssh-ed25518'");
	S_env_release(&eenv);

	sup_sshkey_release(&ecdsa);
	sup_buf_release(&esig);
	sup_buf_release(&t);
	S_env_release(&env);
	sup_buf_release(&sig);
}

/* ECDSA signatures hold (mpint r, mpint s); mangle their encoding. */
static void test_ecdsa_sig_encoding(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT, inner = SUP_BUF_INIT;
	struct sup_buf orig = SUP_BUF_INIT;
	struct S_env env;
	const unsigned char *p, *s, *r, *rs;
	size_t n, tlen, rlen, slen;
	const unsigned char *type;

	(void)state;
	S_sig(&sig, "ecdsa384");
	S_env_split(&env, &sig);
	/* A copy to point into, since env.sig is rewritten below. */
	sup_buf_put(&orig, env.sig.ptr, env.sig.len);
	p = (const unsigned char *)orig.ptr;
	type = S_take(&p, &tlen);
	s = S_take(&p, &n);
	p = s;
	r = S_take(&p, &rlen);
	rs = S_take(&p, &slen);

	/* Control: rebuilding from the parts verifies. */
	sup_buf_truncate(&inner, 0);
	S_put_string(&inner, r, rlen);
	S_put_string(&inner, rs, slen);
	{
		struct sup_buf whole = SUP_BUF_INIT;

		S_put_string(&whole, type, tlen);
		S_put_string(&whole, inner.ptr, inner.len);
		S_set(&env.sig, whole.ptr, whole.len);
		assert_int_equal(S_env_verify(&env), 0);

		/* A needless leading zero on r: not canonical. */
		sup_buf_truncate(&inner, 0);
		S_put_u32(&inner, (uint32_t)rlen + 1);
		sup_buf_putc(&inner, 0);
		sup_buf_put(&inner, r, rlen);
		S_put_string(&inner, rs, slen);
		sup_buf_truncate(&whole, 0);
		S_put_string(&whole, type, tlen);
		S_put_string(&whole, inner.ptr, inner.len);
		S_set(&env.sig, whole.ptr, whole.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);

		/* Trailing byte after s. */
		sup_buf_truncate(&inner, 0);
		S_put_string(&inner, r, rlen);
		S_put_string(&inner, rs, slen);
		sup_buf_putc(&inner, 0);
		sup_buf_truncate(&whole, 0);
		S_put_string(&whole, type, tlen);
		S_put_string(&whole, inner.ptr, inner.len);
		S_set(&env.sig, whole.ptr, whole.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);

		/* r and s swapped. */
		sup_buf_truncate(&inner, 0);
		S_put_string(&inner, rs, slen);
		S_put_string(&inner, r, rlen);
		sup_buf_truncate(&whole, 0);
		S_put_string(&whole, type, tlen);
		S_put_string(&whole, inner.ptr, inner.len);
		S_set(&env.sig, whole.ptr, whole.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);

		/* s = 0. */
		sup_buf_truncate(&inner, 0);
		S_put_string(&inner, r, rlen);
		S_put_u32(&inner, 0);
		sup_buf_truncate(&whole, 0);
		S_put_string(&whole, type, tlen);
		S_put_string(&whole, inner.ptr, inner.len);
		S_set(&env.sig, whole.ptr, whole.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
		sup_buf_release(&whole);
	}
	sup_buf_release(&orig);
	sup_buf_release(&inner);
	S_env_release(&env);
	sup_buf_release(&sig);
}

static void test_armor(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT, blob = SUP_BUF_INIT;
	struct sup_buf arm = SUP_BUF_INIT, bad = SUP_BUF_INIT;
	const char *body, *end;
	size_t i;

	(void)state;
	/* Armoring what was dearmored gives back ssh-keygen's bytes. */
	for (i = 0; i < SUP_ARRAY_SIZE(S_keys); i++) {
		sup_buf_truncate(&sig, 0);
		sup_buf_truncate(&blob, 0);
		sup_buf_truncate(&arm, 0);
		S_sig(&sig, S_keys[i]);
		assert_int_equal(sup_sshsig_dearmor(&blob, sig.ptr, sig.len),
				 0);
		sup_sshsig_armor(&arm, blob.ptr, blob.len);
		assert_string_equal(arm.ptr, sig.ptr);
	}
	sup_buf_truncate(&sig, 0);
	S_sig(&sig, "ed25519");
	assert_int_equal(S_verify(&sig, S_NS), 0);
	body = strchr(sig.ptr, '\n') + 1;
	end = strstr(sig.ptr, "-----END");
	assert_non_null(end);

	/* Without the final newline, and with CRLF lines, as git may hand
	 * it over. */
	assert_int_equal(sup_sshsig_verify(NULL, sig.ptr, sig.len - 1, S_msg,
					   strlen(S_msg), S_NS), 0);
	for (i = 0; i < sig.len; i++) {
		if (sig.ptr[i] == '\n')
			sup_buf_putc(&bad, '\r');
		sup_buf_putc(&bad, sig.ptr[i]);
	}
	assert_int_equal(S_verify(&bad, S_NS), 0);

	/* Missing BEGIN line. */
	S_set(&bad, body, sig.len - (size_t)(body - sig.ptr));
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_assert_error_has("BEGIN");

	/* Missing END line. */
	S_set(&bad, sig.ptr, (size_t)(end - sig.ptr));
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_assert_error_has("END");

	/* Text after the END line. */
	S_set(&bad, sig.ptr, sig.len);
	sup_buf_puts(&bad, "extra\n");
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_set(&bad, sig.ptr, sig.len);
	sup_buf_puts(&bad, "\n \n");
	assert_int_equal(S_verify(&bad, S_NS), 0);

	/* Something before the BEGIN line. */
	S_set(&bad, "x\n", 2);
	sup_buf_put(&bad, sig.ptr, sig.len);
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);

	/* A character outside base64, a space, a '=' mid-stream, a blank
	 * line. */
	S_set(&bad, sig.ptr, sig.len);
	bad.ptr[body - sig.ptr + 5] = '*';
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_assert_error_has("base64");
	S_set(&bad, sig.ptr, sig.len);
	bad.ptr[body - sig.ptr + 5] = ' ';
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_set(&bad, sig.ptr, sig.len);
	bad.ptr[body - sig.ptr + 5] = '=';
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_set(&bad, sig.ptr, (size_t)(body - sig.ptr));
	sup_buf_putc(&bad, '\n');
	sup_buf_puts(&bad, body);
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	S_set(&bad, sig.ptr, sig.len);
	bad.ptr[body - sig.ptr + 5] = '\0';
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);

	/* A base64 length that is not a multiple of four: one character
	 * dropped from the body. */
	S_set(&bad, sig.ptr, (size_t)(body - sig.ptr));
	sup_buf_put(&bad, body + 1, sig.len - (size_t)(body - sig.ptr) - 1);
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);

	/* Non-canonical padding: the last character before '=' carries bits
	 * that the padding discards; setting one must be refused. */
	S_set(&bad, sig.ptr, sig.len);
	{
		static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "abcdefghijklmnopqrstuvwxyz0123456789+/";
		char *pad = strstr(bad.ptr, "=\n");
		char *c;

		assert_non_null(pad);
		c = pad[-1] == '=' ? pad - 2 : pad - 1;
		assert_non_null(strchr(al, *c));
		assert_int_equal((strchr(al, *c) - al) % 4, 0);
		*c = (char)(*c + 1);
		assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
		S_assert_error_has("base64");
	}

	/* Empty body. */
	S_set(&bad, "-----BEGIN SSH SIGNATURE-----\n"
		    "-----END SSH SIGNATURE-----\n", 58);
	assert_int_equal(S_verify(&bad, S_NS), SUP_EBADSIG);
	assert_int_equal(sup_sshsig_verify(NULL, "", 0, S_msg, strlen(S_msg),
					   S_NS), SUP_EBADSIG);
	assert_int_equal(sup_sshsig_verify(NULL, NULL, 0, S_msg, strlen(S_msg),
					   S_NS), SUP_EBADSIG);

	/* dearmor leaves out alone when it refuses. */
	S_set(&blob, "keep", 4);
	S_set(&bad, sig.ptr, sig.len);
	bad.ptr[sig.len - 10] = '*';
	bad.ptr[body - sig.ptr + 100] = '*';
	assert_int_equal(sup_sshsig_dearmor(&blob, bad.ptr, bad.len),
			 SUP_EBADSIG);
	assert_int_equal(blob.len, 4);

	sup_buf_release(&bad);
	sup_buf_release(&arm);
	sup_buf_release(&blob);
	sup_buf_release(&sig);
}

/*
 * A SHA-1 "ssh-rsa" signature is refused even when it is
 * cryptographically valid.  Made with the openssl tool from the same key
 * converted to PEM; the control (same method, rsa-sha2-512) shows the
 * signature would otherwise verify.
 */
static void test_rsa_sha1_refused(void **state)
{
	struct sup_buf sig = SUP_BUF_INIT, tosign = SUP_BUF_INIT;
	struct sup_buf h = SUP_BUF_INIT, raw = SUP_BUF_INIT;
	struct S_env env;
	const unsigned char *p, *s;
	size_t n;

	(void)state;
	S_sig(&sig, "rsa3072");
	S_env_split(&env, &sig);
	assert_int_equal(S_env_verify(&env), 0);
	p = (const unsigned char *)env.sig.ptr;
	s = S_take(&p, &n);
	assert_true(n == 12 && memcmp(s, "rsa-sha2-512", 12) == 0);
	s = S_take(&p, &n);
	assert_int_equal(n, 384);

	/* Relabelled as ssh-rsa: refused for the label alone. */
	{
		struct sup_buf t = SUP_BUF_INIT;

		S_put_string(&t, "ssh-rsa", 7);
		S_put_string(&t, s, n);
		S_set(&env.sig, t.ptr, t.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
		S_assert_error_has("sha-1");
		/* rsa-sha2-256 over a sha512 signature does not verify. */
		sup_buf_truncate(&t, 0);
		S_put_string(&t, "rsa-sha2-256", 12);
		S_put_string(&t, s, n);
		S_set(&env.sig, t.ptr, t.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
		S_assert_error_has("does not verify");
		/* A signature longer than the modulus. */
		sup_buf_truncate(&t, 0);
		S_put_string(&t, "rsa-sha2-512", 12);
		S_put_u32(&t, (uint32_t)n + 1);
		sup_buf_putc(&t, 0);
		sup_buf_put(&t, s, n);
		S_set(&env.sig, t.ptr, t.len);
		assert_int_equal(S_env_verify(&env), SUP_EBADSIG);
		sup_buf_release(&t);
	}

	if (!S_have_openssl_cli) {
		S_env_release(&env);
		sup_buf_release(&sig);
		skip();
	}
	assert_int_equal(S_run("cd %s && cp rsa3072 rsa.pem && "
			       "ssh-keygen -p -m PEM -N '' -P '' -f rsa.pem "
			       "-q >/dev/null && "
			       "openssl dgst -sha512 -binary < msg > msg.h",
			       S_dir), 0);
	S_slurp(&h, "msg.h");
	assert_int_equal(h.len, 64);
	sup_buf_put(&tosign, "SSHSIG", 6);
	S_put_string(&tosign, "git", 3);
	S_put_string(&tosign, "", 0);
	S_put_string(&tosign, "sha512", 6);
	S_put_string(&tosign, h.ptr, h.len);
	S_write("tosign", tosign.ptr, tosign.len);

	{
		static const char *const algs[][2] = {
			{ "sha512", "rsa-sha2-512" }, { "sha1", "ssh-rsa" },
		};
		size_t i;

		for (i = 0; i < 2; i++) {
			struct sup_buf t = SUP_BUF_INIT;

			assert_int_equal(S_run("cd %s && openssl dgst -%s "
					       "-sign rsa.pem -out raw tosign",
					       S_dir, algs[i][0]), 0);
			sup_buf_truncate(&raw, 0);
			S_slurp(&raw, "raw");
			assert_int_equal(raw.len, 384);
			S_put_string(&t, algs[i][1], strlen(algs[i][1]));
			S_put_string(&t, raw.ptr, raw.len);
			S_set(&env.sig, t.ptr, t.len);
			if (i == 0) {
				assert_int_equal(S_env_verify(&env), 0);
			} else {
				assert_int_equal(S_env_verify(&env),
						 SUP_EBADSIG);
				S_assert_error_has("sha-1");
			}
			sup_buf_release(&t);
		}
	}
	sup_buf_release(&raw);
	sup_buf_release(&h);
	sup_buf_release(&tosign);
	S_env_release(&env);
	sup_buf_release(&sig);
}

static void test_rsa_small_refused(void **state)
{
	struct sup_buf line = SUP_BUF_INIT, sig = SUP_BUF_INIT;
	struct sup_sshkey k;

	(void)state;
	S_slurp(&line, "rsa1024.pub");
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	S_assert_error_has("1024 bits");
	assert_null(k.blob);
	S_sig(&sig, "rsa1024");
	assert_int_equal(S_verify(&sig, S_NS), SUP_EBADSIG);
	S_assert_error_has("1024 bits");
	sup_buf_release(&sig);
	sup_buf_release(&line);
}

/* A line "TYPE BASE64" for a hand-made blob. */
static void S_key_line(struct sup_buf *out, const char *type,
		       const struct sup_buf *blob)
{
	struct sup_sshkey k = { (unsigned char *)blob->ptr, blob->len,
				(char *)type };

	sup_buf_truncate(out, 0);
	sup_sshkey_format(out, &k);
}

static void test_sshkey_parse(void **state)
{
	struct sup_buf line = SUP_BUF_INIT, t = SUP_BUF_INIT;
	struct sup_buf blob = SUP_BUF_INIT;
	struct sup_sshkey ed, ec, k;
	char *s;

	(void)state;
	S_pubkey(&ed, "ed25519");
	S_pubkey(&ec, "ecdsa256");
	assert_string_equal(ed.type, "ssh-ed25519");
	assert_string_equal(ec.type, "ecdsa-sha2-nistp256");

	/* format gives back the first two fields of the .pub file. */
	S_slurp(&line, "ed25519.pub");
	sup_sshkey_format(&t, &ed);
	assert_true(sup_starts_with(line.ptr, t.ptr));
	assert_string_equal(line.ptr + t.len, " ed25519\n");

	/* Without a comment, with leading blanks, with tabs. */
	assert_int_equal(sup_sshkey_parse(&k, t.ptr), 0);
	assert_true(sup_sshkey_equal(&k, &ed));
	sup_sshkey_release(&k);
	s = sup_xasprintf("  %s\t a comment with spaces\r\n", t.ptr);
	assert_int_equal(sup_sshkey_parse(&k, s), 0);
	assert_true(sup_sshkey_equal(&k, &ed));
	sup_sshkey_release(&k);
	free(s);

	/* Label and blob disagree. */
	s = sup_xasprintf("ssh-rsa %s", t.ptr + strlen("ssh-ed25519 "));
	assert_int_equal(sup_sshkey_parse(&k, s), SUP_EINVALID);
	S_assert_error_has("holds a ssh-ed25519 key");
	assert_null(k.blob);
	free(s);

	/* Options in front, unknown types, certificates, sk keys. */
	s = sup_xasprintf("restrict %s", t.ptr);
	assert_int_equal(sup_sshkey_parse(&k, s), SUP_EINVALID);
	S_assert_error_has("unsupported key type 'restrict'");
	free(s);
	assert_int_equal(sup_sshkey_parse(&k, "ssh-dss AAAAB3NzaC1kc3M="),
			 SUP_EINVALID);
	assert_int_equal(sup_sshkey_parse(&k, "sk-ssh-ed25519@openssh.com "
					  "AAAA"), SUP_EINVALID);
	assert_int_equal(sup_sshkey_parse(&k, "ssh-ed25519-cert-v01@openssh.com"
					  " AAAA"), SUP_EINVALID);

	/* Empty, type only, bad base64, two lines. */
	assert_int_equal(sup_sshkey_parse(&k, ""), SUP_EINVALID);
	assert_int_equal(sup_sshkey_parse(&k, "ssh-ed25519"), SUP_EINVALID);
	assert_int_equal(sup_sshkey_parse(&k, "ssh-ed25519 AAAA*AAA"),
			 SUP_EINVALID);
	S_assert_error_has("base64");
	assert_int_equal(sup_sshkey_parse(&k, NULL), SUP_EINVALID);
	s = sup_xasprintf("%s\n%s\n", t.ptr, t.ptr);
	assert_int_equal(sup_sshkey_parse(&k, s), SUP_EINVALID);
	free(s);

	/* Ed25519 blob of 31 and 33 bytes, and with a trailing byte. */
	sup_buf_put(&blob, ed.blob, ed.len);
	blob.ptr[18] = 31;
	sup_buf_truncate(&blob, blob.len - 1);
	S_key_line(&line, "ssh-ed25519", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	S_assert_error_has("31 bytes");
	S_set(&blob, ed.blob, ed.len);
	blob.ptr[18] = 33;
	sup_buf_putc(&blob, 7);
	S_key_line(&line, "ssh-ed25519", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	S_set(&blob, ed.blob, ed.len);
	sup_buf_putc(&blob, 7);
	S_key_line(&line, "ssh-ed25519", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	/* Control: the unmodified blob through the same path. */
	S_set(&blob, ed.blob, ed.len);
	S_key_line(&line, "ssh-ed25519", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), 0);
	sup_sshkey_release(&k);

	/* ECDSA: control, wrong curve name, point off the curve, a
	 * compressed point. */
	S_set(&blob, ec.blob, ec.len);
	S_key_line(&line, "ecdsa-sha2-nistp256", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), 0);
	sup_sshkey_release(&k);
	memcpy(blob.ptr + 4 + 19 + 4, "nistp384", 8);
	S_key_line(&line, "ecdsa-sha2-nistp256", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	S_assert_error_has("wrong curve");
	S_set(&blob, ec.blob, ec.len);
	blob.ptr[blob.len - 1] ^= 1;
	S_key_line(&line, "ecdsa-sha2-nistp256", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	S_assert_error_has("not on curve");
	S_set(&blob, ec.blob, ec.len);
	/* 4 + 19 + 4 + 8 + 4 = 39: the point's first byte */
	assert_int_equal((unsigned char)blob.ptr[39], 0x04);
	blob.ptr[38] = 33;
	blob.ptr[39] = 0x02;
	sup_buf_truncate(&blob, 40 + 32);
	S_key_line(&line, "ecdsa-sha2-nistp256", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	S_assert_error_has("bad point");

	sup_sshkey_release(&ed);
	sup_sshkey_release(&ec);
	sup_buf_release(&blob);
	sup_buf_release(&line);
	sup_buf_release(&t);
}

/* RSA key blobs: non-canonical mpints and an even exponent. */
static void test_rsa_key_encoding(void **state)
{
	struct sup_buf blob = SUP_BUF_INIT, line = SUP_BUF_INIT;
	struct sup_sshkey rsa, k;
	const unsigned char *p, *e, *n;
	size_t elen, nlen, tlen;

	(void)state;
	S_pubkey(&rsa, "rsa3072");
	p = rsa.blob;
	S_take(&p, &tlen);
	e = S_take(&p, &elen);
	n = S_take(&p, &nlen);
	assert_int_equal(nlen, 385);	/* leading zero, 3072-bit n */

	S_put_string(&blob, "ssh-rsa", 7);
	S_put_string(&blob, e, elen);
	S_put_string(&blob, n, nlen);
	S_key_line(&line, "ssh-rsa", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), 0);
	assert_true(sup_sshkey_equal(&k, &rsa));
	sup_sshkey_release(&k);

	/* n without its sign-guarding zero: negative. */
	sup_buf_truncate(&blob, 0);
	S_put_string(&blob, "ssh-rsa", 7);
	S_put_string(&blob, e, elen);
	S_put_string(&blob, n + 1, nlen - 1);
	S_key_line(&line, "ssh-rsa", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);

	/* e with a needless leading zero. */
	sup_buf_truncate(&blob, 0);
	S_put_string(&blob, "ssh-rsa", 7);
	S_put_u32(&blob, (uint32_t)elen + 1);
	sup_buf_putc(&blob, 0);
	sup_buf_put(&blob, e, elen);
	S_put_string(&blob, n, nlen);
	S_key_line(&line, "ssh-rsa", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);

	/* e = 65536 (even), e = 1. */
	sup_buf_truncate(&blob, 0);
	S_put_string(&blob, "ssh-rsa", 7);
	S_put_string(&blob, "\x01\x00\x00", 3);
	S_put_string(&blob, n, nlen);
	S_key_line(&line, "ssh-rsa", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);
	sup_buf_truncate(&blob, 0);
	S_put_string(&blob, "ssh-rsa", 7);
	S_put_string(&blob, "\x01", 1);
	S_put_string(&blob, n, nlen);
	S_key_line(&line, "ssh-rsa", &blob);
	assert_int_equal(sup_sshkey_parse(&k, line.ptr), SUP_EINVALID);

	sup_sshkey_release(&rsa);
	sup_buf_release(&blob);
	sup_buf_release(&line);
}

static void test_sha256_hex(void **state)
{
	char out[65];

	(void)state;
	sup_sha256_hex(out, "", 0);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
	sup_sha256_hex(out, "abc", 3);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
}

static void test_sshkey_equal_release(void **state)
{
	struct sup_sshkey a, b, empty = { NULL, 0, NULL };

	(void)state;
	S_pubkey(&a, "ed25519");
	S_pubkey(&b, "ed25519");
	assert_true(sup_sshkey_equal(&a, &b));
	assert_false(sup_sshkey_equal(&a, &empty));
	assert_false(sup_sshkey_equal(&empty, &empty));
	b.blob[b.len - 1] ^= 1;
	assert_false(sup_sshkey_equal(&a, &b));
	sup_sshkey_release(&a);
	sup_sshkey_release(&b);
	assert_null(a.blob);
	sup_sshkey_release(&a);
	sup_sshkey_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_all_types),
		cmocka_unit_test(test_tampered_message),
		cmocka_unit_test(test_namespace),
		cmocka_unit_test(test_namespace_rewritten),
		cmocka_unit_test(test_signer_identity),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_sign_like_ssh_keygen),
		cmocka_unit_test(test_seed_vector),
		cmocka_unit_test(test_hashalg_sha256),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_envelope_malformed),
		cmocka_unit_test(test_envelope_fields),
		cmocka_unit_test(test_ecdsa_sig_encoding),
		cmocka_unit_test(test_armor),
		cmocka_unit_test(test_rsa_sha1_refused),
		cmocka_unit_test(test_rsa_small_refused),
		cmocka_unit_test(test_sshkey_parse),
		cmocka_unit_test(test_rsa_key_encoding),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test(test_sshkey_equal_release),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
