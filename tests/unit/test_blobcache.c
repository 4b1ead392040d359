/*
 * Unit tests for blobcache: entries come back as stored, across a save
 * and an open; a damaged byte loses that entry (whole or head) and
 * nothing else; unused entries are dropped; a foreign file is ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "blobcache.h"
#include "error.h"
#include "store.h"
#include "util.h"
#include "unit-sh.h"

static char S_dir[] = "/tmp/sup-test-blobcache.XXXXXX";
static char *S_file;

static int S_setup(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	cmd = sup_xasprintf("git init -q '%s'", S_dir);
	rc = system(cmd);
	free(cmd);
	S_file = sup_xasprintf("%s/.git/sup/cache/test", S_dir);
	return rc == 0 ? 0 : -1;
}

static int S_teardown(void **state)
{
	(void)state;
	S_remove_dir(S_dir);
	free(S_file);
	return 0;
}

static struct sup_oid S_blob(int n)
{
	struct sup_oid o;

	memset(&o, 0, sizeof(o));
	o.id[0] = (unsigned char)n;
	o.id[19] = (unsigned char)(n * 7);
	return o;
}

/* Entry n: n*100 bytes, all of them the byte n (so 300 runs past the head). */
static void S_put(struct sup_blobcache *c, int n)
{
	struct sup_oid b = S_blob(n);
	size_t len = (size_t)n * 100;
	unsigned char *data = sup_xmalloc(len);

	memset(data, n, len);
	sup_blobcache_put(c, &b, data, len);
	free(data);
}

static int S_is(const unsigned char *p, size_t len, int n, size_t want_len)
{
	size_t i;

	if (!p || len != want_len)
		return 0;
	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)n)
			return 0;
	return 1;
}

static struct sup_blobcache *S_open(struct sup_store **s)
{
	struct sup_blobcache *c = NULL;

	assert_int_equal(sup_store_open(s, S_dir), 0);
	assert_int_equal(sup_blobcache_open(&c, *s, "test", 7), 0);
	return c;
}

static void S_close(struct sup_blobcache *c, struct sup_store *s, int save)
{
	if (save)
		sup_blobcache_save(c);
	sup_blobcache_free(c);
	sup_store_free(s);
}

static long S_size(void)
{
	struct sup_buf b = SUP_BUF_INIT;
	long n;

	if (sup_read_file(&b, S_file, SIZE_MAX) < 0) {
		sup_error_clear();
		return -1;
	}
	n = (long)b.len;
	sup_buf_release(&b);
	return n;
}

/* Flip one byte of the file at offset from the start of entry n's data. */
static void S_damage(int n, size_t at)
{
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_oid blob = S_blob(n);
	size_t i;

	assert_int_equal(sup_read_file(&b, S_file, SIZE_MAX), 0);
	for (i = 0; i + 32 <= b.len; i++)
		if (!memcmp(b.ptr + i, blob.id, 20))
			break;
	assert_true(i + 32 + at < b.len);
	b.ptr[i + 32 + at] ^= 0x40;
	assert_int_equal(sup_write_file(S_file, b.ptr, b.len), 0);
	sup_buf_release(&b);
}

static void test_round_trip(void **state)
{
	struct sup_store *s;
	struct sup_blobcache *c = S_open(&s);
	struct sup_oid b1 = S_blob(1), b3 = S_blob(3), none = S_blob(9);
	const unsigned char *p;
	size_t len;

	(void)state;
	/* in this run's additions: not searched (see blobcache.c) */
	S_put(c, 3);
	S_put(c, 1);
	S_put(c, 2);
	assert_null(sup_blobcache_get(c, &b1, &len));
	S_close(c, s, 1);

	c = S_open(&s);
	p = sup_blobcache_get(c, &b3, &len);
	assert_true(S_is(p, len, 3, 300));
	p = sup_blobcache_get(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	assert_null(sup_blobcache_get(c, &none, &len));
	/* a peek at a long entry gives its head; at a short one, all */
	p = sup_blobcache_peek(c, &b3, &len);
	assert_non_null(p);
	assert_true(len == 300);	/* already checked whole above */
	S_close(c, s, 0);
	c = S_open(&s);
	p = sup_blobcache_peek(c, &b3, &len);
	assert_true(S_is(p, len, 3, 256));
	p = sup_blobcache_peek(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	S_close(c, s, 0);
}

static void test_damage(void **state)
{
	struct sup_store *s;
	struct sup_blobcache *c;
	struct sup_oid b1 = S_blob(1), b2 = S_blob(2), b3 = S_blob(3);
	const unsigned char *p;
	size_t len;

	(void)state;
	/* entry 3 past its head: a peek still stands, the whole does not */
	S_damage(3, 280);
	c = S_open(&s);
	p = sup_blobcache_peek(c, &b3, &len);
	assert_true(S_is(p, len, 3, 256));
	assert_null(sup_blobcache_get(c, &b3, &len));
	/* the others are untouched */
	p = sup_blobcache_get(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	S_close(c, s, 0);
	/* entry 2 in its head: neither */
	S_damage(2, 10);
	c = S_open(&s);
	assert_null(sup_blobcache_peek(c, &b2, &len));
	assert_null(sup_blobcache_get(c, &b2, &len));
	p = sup_blobcache_get(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	/* saving drops what failed and what was not asked for (3) */
	S_close(c, s, 1);
	c = S_open(&s);
	assert_null(sup_blobcache_get(c, &b2, &len));
	assert_null(sup_blobcache_get(c, &b3, &len));
	p = sup_blobcache_get(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	S_close(c, s, 0);
	assert_true(S_size() < 200);
}

static void test_foreign_file(void **state)
{
	static const char *const junk[] = {
		"", "sup-blobcache 4\n", "sup-blobcache 4\n\0\0\0\7", "not a cache at all\n",
	};
	struct sup_store *s;
	struct sup_blobcache *c;
	struct sup_oid b1 = S_blob(1);
	size_t i, len, sizes[] = { 0, 16, 20, 19 };

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(junk); i++) {
		assert_int_equal(sup_write_file(S_file, junk[i], sizes[i]), 0);
		c = S_open(&s);
		assert_null(sup_blobcache_get(c, &b1, &len));
		assert_null(sup_blobcache_peek(c, &b1, &len));
		S_put(c, 1);
		S_close(c, s, 1);
		/* rewritten whole */
		c = S_open(&s);
		assert_non_null(sup_blobcache_get(c, &b1, &len));
		S_close(c, s, 0);
	}
	/* another version's file is not read */
	{
		struct sup_blobcache *other = NULL;

		assert_int_equal(sup_store_open(&s, S_dir), 0);
		assert_int_equal(sup_blobcache_open(&other, s, "test", 8), 0);
		assert_null(sup_blobcache_get(other, &b1, &len));
		sup_blobcache_free(other);
		sup_store_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_foreign_file),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
