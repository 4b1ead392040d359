/*
 * Unit tests for blobcache: entries come back as stored, across a save
 * and an open, from the table and from the appended tail; a damaged byte
 * loses that entry (whole or head) and nothing else; unused entries are
 * dropped only after a sweep; a foreign, damaged or cut-short file is
 * ignored where it is odd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static uint32_t S_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Where entry n's data starts in the file (its table row says, or the
 * tail entry's header does), or 0. */
static size_t S_where(const struct sup_buf *b, int n)
{
	struct sup_oid blob = S_blob(n);
	size_t i, rows = S_be32((const unsigned char *)b->ptr + 20);
	const unsigned char *p = (const unsigned char *)b->ptr;

	for (i = 0; i < rows; i++) {
		const unsigned char *r = p + 40 + 1024 + i * 40;

		if (!memcmp(r, blob.id, 20))
			return S_be32(r + 24);	/* low word of the offset */
	}
	for (i = 40 + 1024 + rows * 40; i + 32 <= b->len; i++)
		if (!memcmp(p + i, blob.id, 20))
			return i + 32;
	return 0;
}

/* Flip one byte of the file at offset from the start of entry n's data. */
static void S_damage(int n, size_t at)
{
	struct sup_buf b = SUP_BUF_INIT;
	size_t i;

	assert_int_equal(sup_read_file(&b, S_file, SIZE_MAX), 0);
	i = S_where(&b, n);
	assert_true(i && i + at < b.len);
	b.ptr[i + at] ^= 0x40;
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
	/* saving drops what failed and, after a sweep, what was not asked
	 * for (3) */
	sup_blobcache_sweep(c);
	S_close(c, s, 1);
	c = S_open(&s);
	assert_null(sup_blobcache_get(c, &b2, &len));
	assert_null(sup_blobcache_get(c, &b3, &len));
	p = sup_blobcache_get(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	S_close(c, s, 0);
	assert_int_equal(S_size(), 40 + 1024 + 40 + 100);	/* entry 1 alone */
}

static void test_foreign_file(void **state)
{
	static const char *const junk[] = {
		"", "sup-blobcache 5\n", "sup-blobcache 5\n\0\0\0\7", "not a cache at all\n",
		"sup-blobcache 4\n\0\0\0\7",
	};
	struct sup_store *s;
	struct sup_blobcache *c;
	struct sup_oid b1 = S_blob(1);
	size_t i, len, sizes[] = { 0, 16, 20, 19, 20 };

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

/* A few additions are appended; the tail is read back, kept without a
 * sweep, cut short only loses its end, and is folded into the table by
 * a rewrite. */
static void test_tail(void **state)
{
	struct sup_store *s;
	struct sup_blobcache *c;
	struct sup_oid b1 = S_blob(1), b4 = S_blob(4), b5 = S_blob(5);
	const unsigned char *p;
	long before, after;
	size_t len;

	(void)state;
	unlink(S_file);
	c = S_open(&s);
	S_put(c, 1);
	S_close(c, s, 1);
	before = S_size();
	c = S_open(&s);
	assert_non_null(sup_blobcache_get(c, &b1, &len));
	S_put(c, 4);
	S_put(c, 5);
	S_close(c, s, 1);
	after = S_size();
	/* appended: the table and entry 1 as they were, two tail entries */
	assert_int_equal(after, before + 2 * 32 + 400 + 500);
	c = S_open(&s);
	p = sup_blobcache_get(c, &b5, &len);
	assert_true(S_is(p, len, 5, 500));
	p = sup_blobcache_peek(c, &b4, &len);
	assert_true(S_is(p, len, 4, 256));
	/* nothing added, no sweep: the unused entry 1 is kept, no write */
	S_close(c, s, 1);
	assert_int_equal(S_size(), after);
	/* a tail entry damaged: lost alone */
	S_damage(4, 300);
	c = S_open(&s);
	assert_null(sup_blobcache_get(c, &b4, &len));
	assert_non_null(sup_blobcache_get(c, &b5, &len));
	assert_non_null(sup_blobcache_get(c, &b1, &len));
	S_close(c, s, 0);
	/* cut short in the last entry: the entries before it stand */
	assert_int_equal(truncate(S_file, after - 10), 0);
	c = S_open(&s);
	assert_null(sup_blobcache_get(c, &b5, &len));
	assert_non_null(sup_blobcache_peek(c, &b4, &len));	/* its head is sound */
	assert_null(sup_blobcache_get(c, &b4, &len));
	assert_non_null(sup_blobcache_get(c, &b1, &len));
	/* the cut makes the save a rewrite: one table, no tail, without
	 * the damaged entry 4 */
	S_put(c, 5);
	S_close(c, s, 1);
	assert_int_equal(S_size(), 40 + 1024 + 2 * 40 + 100 + 500);
	c = S_open(&s);
	assert_null(sup_blobcache_peek(c, &b4, &len));
	p = sup_blobcache_get(c, &b5, &len);
	assert_true(S_is(p, len, 5, 500));
	S_close(c, s, 0);
}

/* A command that reads everything (after a sweep) reads entries with
 * pread: the same bytes, the same checks, and each result is its own
 * until the next call. */
static void test_sweep_reads(void **state)
{
	struct sup_store *s;
	struct sup_blobcache *c;
	struct sup_oid b1 = S_blob(1), b2 = S_blob(2), b3 = S_blob(3);
	const unsigned char *p;
	size_t len;

	(void)state;
	unlink(S_file);
	c = S_open(&s);
	S_put(c, 1);
	S_put(c, 2);
	S_put(c, 3);
	S_close(c, s, 1);
	S_damage(2, 150);
	c = S_open(&s);
	sup_blobcache_sweep(c);
	p = sup_blobcache_get(c, &b3, &len);
	assert_true(S_is(p, len, 3, 300));
	assert_null(sup_blobcache_get(c, &b2, &len));
	p = sup_blobcache_get(c, &b1, &len);
	assert_true(S_is(p, len, 1, 100));
	/* the damaged one dropped, the others kept, in one table */
	S_close(c, s, 1);
	assert_int_equal(S_size(), 40 + 1024 + 2 * 40 + 100 + 300);
	c = S_open(&s);
	sup_blobcache_sweep(c);
	p = sup_blobcache_get(c, &b3, &len);
	assert_true(S_is(p, len, 3, 300));
	S_close(c, s, 1);
	/* a sweep that asked for 3 alone drops 1 */
	assert_int_equal(S_size(), 40 + 1024 + 40 + 300);
}

/* A damaged header or fanout: the whole file is ignored, and rewritten. */
static void test_damaged_header(void **state)
{
	static const size_t at[] = { 3, 17, 21, 28, 33, 40 + 4 * 7, 40 + 1023 };
	struct sup_store *s;
	struct sup_blobcache *c;
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_oid b1 = S_blob(1);
	size_t i, len;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(at); i++) {
		unlink(S_file);
		c = S_open(&s);
		S_put(c, 1);
		S_close(c, s, 1);
		assert_int_equal(sup_read_file(&b, S_file, SIZE_MAX), 0);
		b.ptr[at[i]] ^= 0x01;
		assert_int_equal(sup_write_file(S_file, b.ptr, b.len), 0);
		sup_buf_truncate(&b, 0);
		c = S_open(&s);
		assert_null(sup_blobcache_get(c, &b1, &len));
		S_put(c, 1);
		S_close(c, s, 1);
		c = S_open(&s);
		assert_non_null(sup_blobcache_get(c, &b1, &len));
		S_close(c, s, 0);
	}
	sup_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_foreign_file),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_sweep_reads),
		cmocka_unit_test(test_damaged_header),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
