/* sshsig: OpenSSH keys and SSHSIG signatures (see sshsig.h). */
#include "sshsig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#define S_MAGIC "SSHSIG"
#define S_MAGIC_LEN 6
#define S_SIG_VERSION 1
#define S_BEGIN "-----BEGIN SSH SIGNATURE-----"
#define S_END "-----END SSH SIGNATURE-----"
#define S_ARMOR_COLS 70

/*
 * RSA moduli below 2048 bits are refused although OpenSSH still accepts
 * 1024: records signed today must stay trustworthy for years, and 1024-bit
 * RSA is within reach of a well-funded attacker.  The upper bound is
 * OpenSSH's own and keeps verification cost bounded.
 */
#define S_RSA_MIN_BITS 2048
#define S_RSA_MAX_BITS 16384
/* OpenSSL refuses larger public exponents for big moduli anyway; refusing
 * them for every size keeps the rule simple. */
#define S_RSA_MAX_E_BITS 64

enum S_kind { S_ED25519 = 1, S_ECDSA, S_RSA };

struct S_curve {
	const char *type;	/* key and signature type */
	const char *id;		/* curve identifier inside the key blob */
	const char *group;	/* OpenSSL group name */
	size_t point_len;	/* uncompressed SEC1 point */
	size_t order_len;	/* bytes of the group order */
	const EVP_MD *(*md)(void);	/* RFC 5656 hash for the curve */
};

static const struct S_curve S_curves[] = {
	{ "ecdsa-sha2-nistp256", "nistp256", "P-256", 65, 32, EVP_sha256 },
	{ "ecdsa-sha2-nistp384", "nistp384", "P-384", 97, 48, EVP_sha384 },
	{ "ecdsa-sha2-nistp521", "nistp521", "P-521", 133, 66, EVP_sha512 },
};

/* A public key loaded into libcrypto, ready to verify with. */
struct S_key {
	enum S_kind kind;
	const struct S_curve *curve;	/* S_ECDSA */
	size_t rsa_len;			/* S_RSA: modulus bytes */
	EVP_PKEY *pkey;
};

/* A cursor over untrusted wire data: nothing is read before its length
 * has been checked against what remains. */
struct S_reader {
	const unsigned char *p;
	size_t left;
};

static int S_get_u32(struct S_reader *r, uint32_t *out)
{
	if (r->left < 4)
		return -1;
	*out = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	       (uint32_t)r->p[2] << 8 | (uint32_t)r->p[3];
	r->p += 4;
	r->left -= 4;
	return 0;
}

static int S_get_bytes(struct S_reader *r, size_t n,
		       const unsigned char **out)
{
	if (r->left < n)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

static int S_get_string(struct S_reader *r, const unsigned char **out,
			size_t *len)
{
	struct S_reader save = *r;
	uint32_t n;

	if (S_get_u32(r, &n) < 0 || S_get_bytes(r, n, out) < 0) {
		*r = save;
		return -1;
	}
	*len = n;
	return 0;
}

/* 1 when the wire string (s, len) is exactly the C string want; the wire
 * string may hold NULs, which must not end the comparison early. */
static int S_str_eq(const unsigned char *s, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(s, want, len) == 0;
}

/*
 * A wire string fit to quote in a message: attacker-controlled bytes must
 * not put control characters or unbounded text in front of an inspector.
 */
static const char *S_printable(char *buf, size_t size,
			       const unsigned char *s, size_t len)
{
	size_t i;

	if (len >= size)
		return "(long)";
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '\'')
			return "(unprintable)";
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static void S_put_u32(struct sup_buf *b, uint32_t v)
{
	unsigned char p[4];

	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	sup_buf_put(b, p, 4);
}

static void S_put_string(struct sup_buf *b, const void *s, size_t len)
{
	S_put_u32(b, (uint32_t)len);
	sup_buf_put(b, s, len);
}

static void S_put_cstring(struct sup_buf *b, const char *s)
{
	S_put_string(b, s, strlen(s));
}

/*
 * libcrypto failing at something that cannot fail on valid input (hashing,
 * allocating a BIGNUM) is out of memory in practice, the one error lib may
 * die on; the void helpers could only report it by returning a made-up
 * digest, which would be worse than stopping.
 */
static void S_die(void)
{
	abort();
}

/* ---- base64 ---- */

static const char S_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int S_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Encode; wrap > 0 breaks lines after that many characters and ends the
 * last line with a newline too, as OpenSSH's sshbuf_dtob64() does. */
static void S_b64_encode(struct sup_buf *out, const unsigned char *p,
			 size_t len, int pad, size_t wrap)
{
	size_t i, col = 0;
	char q[4];
	int j, n;

	for (i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		n = 2;
		if (i + 1 < len) {
			v |= (uint32_t)p[i + 1] << 8;
			n++;
		}
		if (i + 2 < len) {
			v |= p[i + 2];
			n++;
		}
		q[0] = S_b64[v >> 18 & 63];
		q[1] = S_b64[v >> 12 & 63];
		q[2] = n > 2 ? S_b64[v >> 6 & 63] : '=';
		q[3] = n > 3 ? S_b64[v & 63] : '=';
		if (pad)
			n = 4;
		for (j = 0; j < n; j++) {
			sup_buf_putc(out, q[j]);
			if (wrap && ++col == wrap) {
				sup_buf_putc(out, '\n');
				col = 0;
			}
		}
	}
	if (wrap && col)
		sup_buf_putc(out, '\n');
	if (!out->ptr)
		sup_buf_put(out, "", 0);
}

/*
 * Strict decoding: the length is a multiple of four, '=' appears only as
 * one or two final padding characters, and the bits that padding discards
 * are zero, so that each blob has exactly one accepted encoding.
 */
static int S_b64_decode_raw(struct sup_buf *out, const char *s, size_t len)
{
	size_t i, npad = 0;

	if (len == 0 || len % 4 != 0)
		return -1;
	if (s[len - 1] == '=')
		npad = s[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		int v[4], j, last = i + 4 == len;
		uint32_t w;

		for (j = 0; j < 4; j++) {
			if (last && j >= 4 - (int)npad) {
				v[j] = 0;
				continue;
			}
			if ((v[j] = S_b64_value((unsigned char)s[i + j])) < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if (last && npad == 2 && (w & 0xffff) != 0)
			return -1;
		if (last && npad == 1 && (w & 0xff) != 0)
			return -1;
		sup_buf_putc(out, (int)(w >> 16 & 0xff));
		if (!last || npad < 2)
			sup_buf_putc(out, (int)(w >> 8 & 0xff));
		if (!last || npad < 1)
			sup_buf_putc(out, (int)(w & 0xff));
	}
	return 0;
}

/* Decode, leaving out as it was when the input is refused. */
static int S_b64_decode(struct sup_buf *out, const char *s, size_t len)
{
	size_t start = out->len;

	if (S_b64_decode_raw(out, s, len) < 0) {
		sup_buf_truncate(out, start);
		return -1;
	}
	return 0;
}

/* ---- armor ---- */

void sup_sshsig_armor(struct sup_buf *out, const void *blob, size_t len)
{
	sup_buf_puts(out, S_BEGIN "\n");
	S_b64_encode(out, blob, len, 1, S_ARMOR_COLS);
	sup_buf_puts(out, S_END "\n");
}

/* The next line of (s, len) from *pos, without its "\n" or "\r\n". */
static int S_next_line(const char *s, size_t len, size_t *pos,
		       const char **line, size_t *llen)
{
	const char *nl;
	size_t n;

	if (*pos >= len)
		return 0;
	*line = s + *pos;
	nl = memchr(*line, '\n', len - *pos);
	n = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += n + (nl ? 1 : 0);
	if (n && (*line)[n - 1] == '\r')
		n--;
	*llen = n;
	return 1;
}

static int S_line_is(const char *line, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(line, want, n) == 0;
}

int sup_sshsig_dearmor(struct sup_buf *out, const char *armored, size_t len)
{
	struct sup_buf body = SUP_BUF_INIT;
	const char *line;
	size_t pos = 0, n, i;
	int ended = 0, rc;

	if (!armored ||
	    !S_next_line(armored, len, &pos, &line, &n) ||
	    !S_line_is(line, n, S_BEGIN))
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: no '%s' line",
				     S_BEGIN);
	while (S_next_line(armored, len, &pos, &line, &n)) {
		if (S_line_is(line, n, S_END)) {
			ended = 1;
			break;
		}
		for (i = 0; i < n; i++)
			if (line[i] != '=' &&
			    S_b64_value((unsigned char)line[i]) < 0)
				break;
		if (n == 0 || i < n) {
			sup_buf_release(&body);
			return sup_error_set(SUP_EBADSIG,
					     "malformed ssh signature: bad base64 line");
		}
		sup_buf_put(&body, line, n);
	}
	if (!ended) {
		sup_buf_release(&body);
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: no '%s' line",
				     S_END);
	}
	/* Text after the armor would be unsigned data riding along with a
	 * signature; only blank space is tolerated. */
	for (i = pos; i < len; i++)
		if (armored[i] != '\n' && armored[i] != '\r' &&
		    armored[i] != ' ' && armored[i] != '\t') {
			sup_buf_release(&body);
			return sup_error_set(SUP_EBADSIG,
					     "malformed ssh signature: data after '%s'",
					     S_END);
		}
	rc = S_b64_decode(out, body.ptr, body.len);
	sup_buf_release(&body);
	if (rc < 0)
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: bad base64");
	return 0;
}

/* ---- public keys ---- */

static void S_key_clear(struct S_key *k)
{
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof(*k));
}

/*
 * An SSH mpint that is a positive number in its one canonical encoding: no
 * sign bit, and a leading zero byte only where the sign bit needs it.
 */
static int S_mpint_ok(const unsigned char *p, size_t n)
{
	if (n == 0 || (p[0] & 0x80))
		return 0;
	if (p[0] == 0 && (n == 1 || !(p[1] & 0x80)))
		return 0;
	return 1;
}

/* The magnitude of a canonical positive mpint. */
static void S_mpint_strip(const unsigned char **p, size_t *n)
{
	if (*n > 1 && (*p)[0] == 0) {
		(*p)++;
		(*n)--;
	}
}

static int S_load_ed25519(struct S_key *k, struct S_reader *r, int code)
{
	const unsigned char *pk;
	size_t n;

	if (S_get_string(r, &pk, &n) < 0 || r->left)
		return sup_error_set(code, "malformed ssh-ed25519 key");
	if (n != 32)
		return sup_error_set(code,
				     "malformed ssh-ed25519 key: %zu bytes, not 32",
				     n);
	k->kind = S_ED25519;
	k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, n);
	if (!k->pkey) {
		ERR_clear_error();
		return sup_error_set(code, "ssh-ed25519 key refused by libcrypto");
	}
	return 0;
}

/* Import a public key through EVP_PKEY_fromdata and let libcrypto check
 * it (for EC: the point is on the curve and not at infinity). */
static int S_fromdata(EVP_PKEY **out, const char *alg, OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	int ok = 0;

	*out = NULL;
	if (!(ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL)) ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0 ||
	    !(check = EVP_PKEY_CTX_new_from_pkey(NULL, *out, NULL)) ||
	    EVP_PKEY_public_check(check) <= 0)
		goto out;
	ok = 1;
out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		EVP_PKEY_free(*out);
		*out = NULL;
		ERR_clear_error();
		return -1;
	}
	return 0;
}

static int S_load_ecdsa(struct S_key *k, struct S_reader *r,
			const struct S_curve *c, int code)
{
	const unsigned char *id, *q;
	size_t idlen, qlen;
	OSSL_PARAM params[3];

	if (S_get_string(r, &id, &idlen) < 0 ||
	    S_get_string(r, &q, &qlen) < 0 || r->left)
		return sup_error_set(code, "malformed %s key", c->type);
	if (!S_str_eq(id, idlen, c->id))
		return sup_error_set(code, "malformed %s key: wrong curve",
				     c->type);
	/* OpenSSH only writes (and accepts) uncompressed points. */
	if (qlen != c->point_len || q[0] != 0x04)
		return sup_error_set(code, "malformed %s key: bad point",
				     c->type);
	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME, (char *)c->group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
		OSSL_PKEY_PARAM_PUB_KEY, (void *)q, qlen);
	params[2] = OSSL_PARAM_construct_end();
	k->kind = S_ECDSA;
	k->curve = c;
	if (S_fromdata(&k->pkey, "EC", params) < 0)
		return sup_error_set(code, "invalid %s key: point not on curve",
				     c->type);
	return 0;
}

static int S_load_rsa(struct S_key *k, struct S_reader *r, int code)
{
	const unsigned char *e, *n;
	size_t elen, nlen;
	BIGNUM *be = NULL, *bn = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	int rc = 0, bits;

	if (S_get_string(r, &e, &elen) < 0 ||
	    S_get_string(r, &n, &nlen) < 0 || r->left ||
	    !S_mpint_ok(e, elen) || !S_mpint_ok(n, nlen))
		return sup_error_set(code, "malformed ssh-rsa key");
	S_mpint_strip(&e, &elen);
	S_mpint_strip(&n, &nlen);
	if (elen > S_RSA_MAX_E_BITS / 8)
		return sup_error_set(code, "invalid ssh-rsa key: exponent too large");
	if (nlen > S_RSA_MAX_BITS / 8)
		return sup_error_set(code, "ssh-rsa key too large");
	if (!(be = BN_bin2bn(e, (int)elen, NULL)) ||
	    !(bn = BN_bin2bn(n, (int)nlen, NULL)))
		S_die();
	bits = BN_num_bits(bn);
	if (!BN_is_odd(be) || BN_is_one(be) || !BN_is_odd(bn)) {
		rc = sup_error_set(code, "invalid ssh-rsa key");
		goto out;
	}
	if (bits < S_RSA_MIN_BITS) {
		rc = sup_error_set(code,
				   "ssh-rsa key of %d bits refused: at least %d required",
				   bits, S_RSA_MIN_BITS);
		goto out;
	}
	if (!(bld = OSSL_PARAM_BLD_new()) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)))
		S_die();
	k->kind = S_RSA;
	k->rsa_len = nlen;
	if (S_fromdata(&k->pkey, "RSA", params) < 0)
		rc = sup_error_set(code, "ssh-rsa key refused by libcrypto");
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(be);
	BN_free(bn);
	return rc;
}

/*
 * Check a public key blob and load it for verification.  code is the error
 * to report with: SUP_EINVALID for keys the user gave, SUP_EBADSIG for keys
 * inside a signature.  Release with S_key_clear().
 */
static int S_key_load(struct S_key *k, const unsigned char *blob,
		      size_t len, int code)
{
	struct S_reader r = { blob, len };
	const unsigned char *t;
	size_t tlen, i;
	char tmp[65];
	int rc;

	memset(k, 0, sizeof(*k));
	if (S_get_string(&r, &t, &tlen) < 0 || tlen == 0)
		return sup_error_set(code, "malformed public key");
	if (S_str_eq(t, tlen, "ssh-ed25519"))
		rc = S_load_ed25519(k, &r, code);
	else if (S_str_eq(t, tlen, "ssh-rsa"))
		rc = S_load_rsa(k, &r, code);
	else {
		for (i = 0; i < SUP_ARRAY_SIZE(S_curves); i++)
			if (S_str_eq(t, tlen, S_curves[i].type))
				break;
		if (i == SUP_ARRAY_SIZE(S_curves))
			return sup_error_set(code, "unsupported key type '%s'",
					     S_printable(tmp, sizeof(tmp), t,
							 tlen));
		rc = S_load_ecdsa(k, &r, &S_curves[i], code);
	}
	if (rc < 0)
		S_key_clear(k);
	return rc;
}

static const char *S_kind_type(const struct S_key *k)
{
	switch (k->kind) {
	case S_ED25519:
		return "ssh-ed25519";
	case S_ECDSA:
		return k->curve->type;
	case S_RSA:
		return "ssh-rsa";
	}
	return "unknown";
}

static void S_sshkey_set(struct sup_sshkey *out, const struct S_key *k,
			 const unsigned char *blob, size_t len)
{
	out->blob = sup_xmalloc(len);
	memcpy(out->blob, blob, len);
	out->len = len;
	out->type = sup_xstrdup(S_kind_type(k));
}

static int S_known_type(const char *t, size_t len)
{
	size_t i;

	if (S_str_eq((const unsigned char *)t, len, "ssh-ed25519") ||
	    S_str_eq((const unsigned char *)t, len, "ssh-rsa"))
		return 1;
	for (i = 0; i < SUP_ARRAY_SIZE(S_curves); i++)
		if (S_str_eq((const unsigned char *)t, len, S_curves[i].type))
			return 1;
	return 0;
}

int sup_sshkey_parse(struct sup_sshkey *out, const char *line)
{
	struct sup_buf blob = SUP_BUF_INIT;
	struct S_key k;
	const char *type, *b64, *p;
	size_t tlen, blen;
	char tmp[65];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!line)
		return sup_error_set(SUP_EINVALID, "empty public key");
	/* One line only, with at most a line break after it: whatever
	 * follows a break would be another entry hiding behind this one. */
	p = line + strcspn(line, "\r\n");
	if (p[strspn(p, "\r\n")])
		return sup_error_set(SUP_EINVALID,
				     "public key spans several lines");
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	type = p;
	tlen = strcspn(type, " \t\r\n");
	if (tlen == 0)
		return sup_error_set(SUP_EINVALID, "empty public key");
	if (!S_known_type(type, tlen))
		return sup_error_set(SUP_EINVALID,
				     "unsupported key type '%s'",
				     S_printable(tmp, sizeof(tmp),
						 (const unsigned char *)type,
						 tlen));
	for (p = type + tlen; *p == ' ' || *p == '\t'; p++)
		;
	b64 = p;
	blen = strcspn(b64, " \t\r\n");
	if (blen == 0)
		return sup_error_set(SUP_EINVALID,
				     "public key '%s' has no key data",
				     S_printable(tmp, sizeof(tmp),
						 (const unsigned char *)type,
						 tlen));
	if (S_b64_decode(&blob, b64, blen) < 0) {
		sup_buf_release(&blob);
		return sup_error_set(SUP_EINVALID,
				     "malformed public key: bad base64");
	}
	if ((rc = S_key_load(&k, (unsigned char *)blob.ptr, blob.len,
			     SUP_EINVALID)) < 0) {
		sup_buf_release(&blob);
		return rc;
	}
	/* The type in front is only a label; what counts is the blob, and
	 * the two must agree so that nobody is misled by the label. */
	if (tlen != strlen(S_kind_type(&k)) ||
	    memcmp(type, S_kind_type(&k), tlen) != 0) {
		rc = sup_error_set(SUP_EINVALID,
				   "public key labelled '%s' holds a %s key",
				   S_printable(tmp, sizeof(tmp),
					       (const unsigned char *)type,
					       tlen),
				   S_kind_type(&k));
	} else {
		S_sshkey_set(out, &k, (unsigned char *)blob.ptr, blob.len);
	}
	S_key_clear(&k);
	sup_buf_release(&blob);
	return rc;
}

void sup_sshkey_release(struct sup_sshkey *k)
{
	if (!k)
		return;
	free(k->blob);
	free(k->type);
	memset(k, 0, sizeof(*k));
}

int sup_sshkey_equal(const struct sup_sshkey *a, const struct sup_sshkey *b)
{
	if (!a || !b || !a->blob || !b->blob)
		return 0;
	return a->len == b->len && memcmp(a->blob, b->blob, a->len) == 0;
}

void sup_sshkey_fingerprint(char *out, size_t size, const struct sup_sshkey *k)
{
	struct sup_buf b = SUP_BUF_INIT;
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!size)
		return;
	if (!EVP_Digest(k->blob, k->len, md, &mdlen, EVP_sha256(), NULL))
		S_die();
	sup_buf_puts(&b, "SHA256:");
	S_b64_encode(&b, md, mdlen, 0, 0);
	if (b.len >= size)
		sup_buf_truncate(&b, size - 1);
	memcpy(out, b.ptr, b.len + 1);
	sup_buf_release(&b);
}

void sup_sshkey_format(struct sup_buf *out, const struct sup_sshkey *k)
{
	sup_buf_puts(out, k->type);
	sup_buf_putc(out, ' ');
	S_b64_encode(out, k->blob, k->len, 1, 0);
}

/* ---- signatures ---- */

/* The fields of an SSHSIG blob; pointers into the decoded blob. */
struct S_envelope {
	const unsigned char *pub, *ns, *reserved, *hashalg, *sig;
	size_t publen, nslen, reservedlen, hashalglen, siglen;
};

static int S_envelope_parse(struct S_envelope *env, const unsigned char *p,
			    size_t len)
{
	struct S_reader r = { p, len };
	const unsigned char *magic;
	uint32_t version;

	memset(env, 0, sizeof(*env));
	if (S_get_bytes(&r, S_MAGIC_LEN, &magic) < 0 ||
	    memcmp(magic, S_MAGIC, S_MAGIC_LEN) != 0)
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: not an SSHSIG blob");
	if (S_get_u32(&r, &version) < 0)
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: truncated");
	if (version != S_SIG_VERSION)
		return sup_error_set(SUP_EBADSIG,
				     "unsupported ssh signature version %lu",
				     (unsigned long)version);
	if (S_get_string(&r, &env->pub, &env->publen) < 0 ||
	    S_get_string(&r, &env->ns, &env->nslen) < 0 ||
	    S_get_string(&r, &env->reserved, &env->reservedlen) < 0 ||
	    S_get_string(&r, &env->hashalg, &env->hashalglen) < 0 ||
	    S_get_string(&r, &env->sig, &env->siglen) < 0)
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: truncated");
	if (r.left)
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: %zu bytes of trailing data",
				     r.left);
	return 0;
}

int sup_sshsig_pubkey(struct sup_sshkey *out, const char *armored, size_t len)
{
	struct sup_buf blob = SUP_BUF_INIT;
	struct S_envelope env;
	struct S_key k;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sup_sshsig_dearmor(&blob, armored, len)) < 0 ||
	    (rc = S_envelope_parse(&env, (unsigned char *)blob.ptr,
				   blob.len)) < 0 ||
	    (rc = S_key_load(&k, env.pub, env.publen, SUP_EBADSIG)) < 0)
		goto out;
	S_sshkey_set(out, &k, env.pub, env.publen);
	S_key_clear(&k);
out:
	sup_buf_release(&blob);
	return rc;
}

/* Wrap an ECDSA signature blob (mpint r, mpint s) as the DER ECDSA-Sig-Value
 * libcrypto verifies. */
static int S_ecdsa_der(unsigned char **der, size_t *derlen,
		       const struct S_curve *c, const unsigned char *p,
		       size_t len)
{
	struct S_reader r = { p, len };
	const unsigned char *rb, *sb;
	size_t rlen, slen;
	BIGNUM *br = NULL, *bs = NULL;
	ECDSA_SIG *sig = NULL;
	int n;

	*der = NULL;
	if (S_get_string(&r, &rb, &rlen) < 0 ||
	    S_get_string(&r, &sb, &slen) < 0 || r.left ||
	    !S_mpint_ok(rb, rlen) || !S_mpint_ok(sb, slen))
		return -1;
	S_mpint_strip(&rb, &rlen);
	S_mpint_strip(&sb, &slen);
	if (rlen > c->order_len || slen > c->order_len)
		return -1;
	if (!(br = BN_bin2bn(rb, (int)rlen, NULL)) ||
	    !(bs = BN_bin2bn(sb, (int)slen, NULL)) ||
	    !(sig = ECDSA_SIG_new()) || !ECDSA_SIG_set0(sig, br, bs))
		S_die();
	n = i2d_ECDSA_SIG(sig, der);
	ECDSA_SIG_free(sig);
	if (n <= 0) {
		ERR_clear_error();
		return -1;
	}
	*derlen = (size_t)n;
	return 0;
}

/* 1 when sig verifies over data, 0 when it does not, -1 when libcrypto
 * could not even try; the caller treats anything but 1 as failure. */
static int S_digest_verify(EVP_PKEY *pkey, const EVP_MD *md, int rsa,
			   const unsigned char *sig, size_t siglen,
			   const unsigned char *data, size_t datalen)
{
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	int ok = -1;

	if (!(ctx = EVP_MD_CTX_new()))
		S_die();
	if (EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pkey) <= 0)
		goto out;
	if (rsa && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	ok = EVP_DigestVerify(ctx, sig, siglen, data, datalen) == 1 ? 1 : 0;
out:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

/* Check the inner signature (string type, string bytes) over signed with
 * key k. */
static int S_verify_sig(const struct S_key *k, const unsigned char *p,
			size_t len, const unsigned char *signed_data,
			size_t signed_len)
{
	struct S_reader r = { p, len };
	const unsigned char *t, *s;
	size_t tlen, slen;
	unsigned char *der = NULL, *padded = NULL;
	const EVP_MD *md = NULL;
	const char *name = NULL;
	char tmp[65];
	int ok;

	if (S_get_string(&r, &t, &tlen) < 0 ||
	    S_get_string(&r, &s, &slen) < 0 || r.left)
		return sup_error_set(SUP_EBADSIG,
				     "malformed ssh signature: bad signature field");
	switch (k->kind) {
	case S_ED25519:
		if (!S_str_eq(t, tlen, "ssh-ed25519"))
			goto mismatch;
		if (slen != 64)
			return sup_error_set(SUP_EBADSIG,
					     "malformed ssh-ed25519 signature: %zu bytes, not 64",
					     slen);
		ok = S_digest_verify(k->pkey, NULL, 0, s, slen, signed_data,
				     signed_len);
		break;
	case S_ECDSA:
		if (!S_str_eq(t, tlen, k->curve->type))
			goto mismatch;
		if (S_ecdsa_der(&der, &slen, k->curve, s, slen) < 0)
			return sup_error_set(SUP_EBADSIG,
					     "malformed %s signature",
					     k->curve->type);
		ok = S_digest_verify(k->pkey, k->curve->md(), 0, der, slen,
				     signed_data, signed_len);
		OPENSSL_free(der);
		break;
	case S_RSA:
		if (S_str_eq(t, tlen, (name = "rsa-sha2-256")))
			md = EVP_sha256();
		else if (S_str_eq(t, tlen, (name = "rsa-sha2-512")))
			md = EVP_sha512();
		else if (S_str_eq(t, tlen, "ssh-rsa"))
			return sup_error_set(SUP_EBADSIG,
					     "ssh-rsa signature refused: it uses sha-1");
		else
			goto mismatch;
		/* OpenSSH accepts a signature shorter than the modulus and
		 * pads it on the left; do the same, and nothing longer. */
		if (slen == 0 || slen > k->rsa_len)
			return sup_error_set(SUP_EBADSIG,
					     "malformed %s signature: %zu bytes for a %zu-byte key",
					     name, slen, k->rsa_len);
		padded = sup_xcalloc(1, k->rsa_len);
		memcpy(padded + (k->rsa_len - slen), s, slen);
		ok = S_digest_verify(k->pkey, md, 1, padded, k->rsa_len,
				     signed_data, signed_len);
		free(padded);
		break;
	default:
		return sup_error_set(SUP_EBADSIG, "unsupported key");
	}
	if (ok != 1)
		return sup_error_set(SUP_EBADSIG,
				     "%s signature does not verify",
				     S_kind_type(k));
	return 0;
mismatch:
	return sup_error_set(SUP_EBADSIG,
			     "%s signature made with a %s key",
			     S_printable(tmp, sizeof(tmp), t, tlen),
			     S_kind_type(k));
}

/* The bytes an SSHSIG signature covers (PROTOCOL.sshsig). */
static void S_signed_data(struct sup_buf *out, const char *ns,
			  const char *hashalg, const unsigned char *h,
			  size_t hlen)
{
	sup_buf_put(out, S_MAGIC, S_MAGIC_LEN);
	S_put_cstring(out, ns);
	S_put_string(out, "", 0);
	S_put_cstring(out, hashalg);
	S_put_string(out, h, hlen);
}

int sup_sshsig_verify(struct sup_sshkey *signer, const char *armored,
		      size_t len, const void *data, size_t datalen,
		      const char *ns)
{
	struct sup_buf blob = SUP_BUF_INIT, tosign = SUP_BUF_INIT;
	struct S_envelope env;
	struct S_key k;
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	const EVP_MD *md;
	const char *hashalg;
	char tmp[65];
	int rc;

	memset(&k, 0, sizeof(k));
	if (signer)
		memset(signer, 0, sizeof(*signer));
	if (!ns || !*ns)
		return sup_error_set(SUP_EBADSIG, "no signature namespace given");
	if ((rc = sup_sshsig_dearmor(&blob, armored, len)) < 0 ||
	    (rc = S_envelope_parse(&env, (unsigned char *)blob.ptr,
				   blob.len)) < 0 ||
	    (rc = S_key_load(&k, env.pub, env.publen, SUP_EBADSIG)) < 0)
		goto out;
	if (!S_str_eq(env.ns, env.nslen, ns)) {
		rc = sup_error_set(SUP_EBADSIG,
				   "signature is in namespace '%s', not '%s'",
				   S_printable(tmp, sizeof(tmp), env.ns,
					       env.nslen), ns);
		goto out;
	}
	/* The signed data always has an empty reserved field; a non-empty
	 * one would be bytes in the envelope that no signature covers. */
	if (env.reservedlen) {
		rc = sup_error_set(SUP_EBADSIG,
				   "malformed ssh signature: reserved field not empty");
		goto out;
	}
	if (S_str_eq(env.hashalg, env.hashalglen, "sha256")) {
		md = EVP_sha256();
		hashalg = "sha256";
	} else if (S_str_eq(env.hashalg, env.hashalglen, "sha512")) {
		md = EVP_sha512();
		hashalg = "sha512";
	} else {
		rc = sup_error_set(SUP_EBADSIG,
				   "unsupported signature hash '%s'",
				   S_printable(tmp, sizeof(tmp), env.hashalg,
					       env.hashalglen));
		goto out;
	}
	if (!EVP_Digest(data, datalen, h, &hlen, md, NULL))
		S_die();
	S_signed_data(&tosign, ns, hashalg, h, hlen);
	if ((rc = S_verify_sig(&k, env.sig, env.siglen,
			       (unsigned char *)tosign.ptr, tosign.len)) < 0)
		goto out;
	if (signer)
		S_sshkey_set(signer, &k, env.pub, env.publen);
	rc = 0;
out:
	S_key_clear(&k);
	sup_buf_release(&tosign);
	sup_buf_release(&blob);
	return rc;
}

/* ---- Ed25519 signing ---- */

static EVP_PKEY *S_ed25519_private(const unsigned char seed[32])
{
	EVP_PKEY *pkey;

	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	if (!pkey)
		ERR_clear_error();
	return pkey;
}

static int S_ed25519_pubblob(struct sup_buf *out, EVP_PKEY *pkey)
{
	unsigned char pk[32];
	size_t pklen = sizeof(pk);

	if (EVP_PKEY_get_raw_public_key(pkey, pk, &pklen) <= 0 || pklen != 32) {
		ERR_clear_error();
		return sup_error_set(SUP_ERROR,
				     "cannot derive the ed25519 public key");
	}
	S_put_cstring(out, "ssh-ed25519");
	S_put_string(out, pk, pklen);
	return 0;
}

int sup_sshkey_from_ed25519_seed(struct sup_sshkey *out,
				 const unsigned char seed[32])
{
	struct sup_buf blob = SUP_BUF_INIT;
	EVP_PKEY *pkey;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(pkey = S_ed25519_private(seed)))
		return sup_error_set(SUP_ERROR, "cannot load the ed25519 seed");
	if ((rc = S_ed25519_pubblob(&blob, pkey)) == 0) {
		out->len = blob.len;
		out->blob = (unsigned char *)sup_buf_detach(&blob);
		out->type = sup_xstrdup("ssh-ed25519");
	}
	sup_buf_release(&blob);
	EVP_PKEY_free(pkey);
	return rc;
}

int sup_sshsig_sign_ed25519(struct sup_buf *out, const unsigned char seed[32],
			    const void *data, size_t datalen, const char *ns)
{
	struct sup_buf pub = SUP_BUF_INIT, tosign = SUP_BUF_INIT;
	struct sup_buf inner = SUP_BUF_INIT, blob = SUP_BUF_INIT;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char h[64], sig[64];
	unsigned int hlen = 0;
	size_t siglen = sizeof(sig);
	int rc;

	if (!ns || !*ns)
		return sup_error_set(SUP_EINVALID, "empty signature namespace");
	if (!(pkey = S_ed25519_private(seed))) {
		rc = sup_error_set(SUP_ERROR, "cannot load the ed25519 seed");
		goto out;
	}
	if ((rc = S_ed25519_pubblob(&pub, pkey)) < 0)
		goto out;
	/* sha512, as ssh-keygen uses by default, so that the output is
	 * byte-identical to what ssh-keygen -Y sign writes. */
	if (!EVP_Digest(data, datalen, h, &hlen, EVP_sha512(), NULL))
		S_die();
	S_signed_data(&tosign, ns, "sha512", h, hlen);
	if (!(ctx = EVP_MD_CTX_new()))
		S_die();
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) <= 0 ||
	    EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)tosign.ptr,
			   tosign.len) <= 0 || siglen != 64) {
		ERR_clear_error();
		rc = sup_error_set(SUP_ERROR, "ed25519 signing failed");
		goto out;
	}
	S_put_cstring(&inner, "ssh-ed25519");
	S_put_string(&inner, sig, siglen);
	sup_buf_put(&blob, S_MAGIC, S_MAGIC_LEN);
	S_put_u32(&blob, S_SIG_VERSION);
	S_put_string(&blob, pub.ptr, pub.len);
	S_put_cstring(&blob, ns);
	S_put_string(&blob, "", 0);
	S_put_cstring(&blob, "sha512");
	S_put_string(&blob, inner.ptr, inner.len);
	sup_sshsig_armor(out, blob.ptr, blob.len);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	sup_buf_release(&pub);
	sup_buf_release(&tosign);
	sup_buf_release(&inner);
	sup_buf_release(&blob);
	return rc;
}

void sup_sha1(unsigned char out[20], const void *data, size_t len)
{
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, out, &mdlen, EVP_sha1(), NULL) || mdlen != 20)
		S_die();
}

struct sup_sha1 *sup_sha1_begin(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL))
		S_die();
	return (struct sup_sha1 *)ctx;
}

void sup_sha1_add(struct sup_sha1 *h, const void *data, size_t len)
{
	if (len && !EVP_DigestUpdate((EVP_MD_CTX *)h, data, len))
		S_die();
}

void sup_sha1_end(struct sup_sha1 *h, unsigned char out[20])
{
	unsigned int mdlen = 0;

	if (!EVP_DigestFinal_ex((EVP_MD_CTX *)h, out, &mdlen) || mdlen != 20)
		S_die();
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

void sup_sha256_hex(char out[65], const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen != 32)
		S_die();
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}
