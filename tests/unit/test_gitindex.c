/*
 * Unit tests for gitindex, against git itself: an index git wrote is read
 * and written back byte for byte; entries added, replaced and removed are
 * what git ls-files and git status then see; forms left to libgit2
 * (version 4, a split index, a conflict) are declined; damage is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "error.h"
#include "gitindex.h"
#include "util.h"
#include "unit-sh.h"

static char S_dir[] = "/tmp/sup-test-gitindex.XXXXXX";
static char *S_index;

#define S_sh(...) S_sh_in(S_dir, __VA_ARGS__)

static int S_setup(void **state)
{
	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	setenv("HOME", S_dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	S_index = sup_xasprintf("%s/.git/index", S_dir);
	free(S_sh("git init -q -b main . && git config user.name T && "
		  "git config user.email t@example.org && git config commit.gpgsign false && "
		  "mkdir -p records/2026 staff && echo a >records/2026/a.md && "
		  "echo c >records/2026/c.md && echo k >staff/k.yaml && "
		  "git add -A && git commit -q -m one"));
	return 0;
}

static int S_teardown(void **state)
{
	(void)state;
	S_remove_dir(S_dir);
	free(S_index);
	return 0;
}

static void S_hex_id(unsigned char id[20], const char *hex)
{
	size_t i;

	for (i = 0; i < 20; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		id[i] = (unsigned char)v;
	}
}

/* Read and write back unchanged: the same bytes (git's own index has a
 * cached-tree extension, which is dropped: compare without it). */
static void test_round_trip(void **state)
{
	struct sup_gitindex *ix = NULL;
	char *before, *after, *path = sup_xasprintf("%s/.git/index.copy", S_dir);

	(void)state;
	free(S_sh("git update-index --force-remove nothing 2>/dev/null; true"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), 0);
	assert_int_equal(sup_gitindex_write(ix, path), 0);
	sup_gitindex_free(ix);
	before = S_sh("git ls-files -s --debug");
	after = S_sh("GIT_INDEX_FILE=.git/index.copy git ls-files -s --debug");
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(S_sh("GIT_INDEX_FILE=.git/index.copy git status --porcelain >/dev/null"));
	free(path);
}

/* Add a new file, replace one, remove one: git sees exactly that, and
 * the working tree is clean against the new index. */
static void test_edit(void **state)
{
	struct sup_gitindex *ix = NULL;
	unsigned char id[20];
	struct stat st;
	char *hex, *out, *full;

	(void)state;
	free(S_sh("echo b >records/2026/b.md && echo c2 >records/2026/c.md && rm staff/k.yaml"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), 0);
	assert_non_null(sup_gitindex_get(ix, "records/2026/a.md"));
	assert_null(sup_gitindex_get(ix, "records/2026/b.md"));
	assert_null(sup_gitindex_get(ix, "records/2026"));

	hex = S_sh("git hash-object -w records/2026/b.md");
	S_hex_id(id, hex);
	free(hex);
	full = sup_xasprintf("%s/records/2026/b.md", S_dir);
	assert_int_equal(stat(full, &st), 0);
	free(full);
	sup_gitindex_add(ix, "records/2026/b.md", id, &st);
	assert_memory_equal(sup_gitindex_get(ix, "records/2026/b.md"), id, 20);

	hex = S_sh("git hash-object -w records/2026/c.md");
	S_hex_id(id, hex);
	free(hex);
	full = sup_xasprintf("%s/records/2026/c.md", S_dir);
	assert_int_equal(stat(full, &st), 0);
	free(full);
	sup_gitindex_add(ix, "records/2026/c.md", id, &st);
	sup_gitindex_remove(ix, "staff/k.yaml");
	sup_gitindex_remove(ix, "staff/none.yaml");
	assert_int_equal(sup_gitindex_write(ix, S_index), 0);
	sup_gitindex_free(ix);

	out = S_sh("git ls-files");
	assert_string_equal(out, "records/2026/a.md\nrecords/2026/b.md\nrecords/2026/c.md");
	free(out);
	/* nothing unstaged: stat data and ids are right */
	out = S_sh("git status --porcelain");
	assert_string_equal(out, "A  records/2026/b.md\nM  records/2026/c.md\nD  staff/k.yaml");
	free(out);
	free(S_sh("git diff --quiet && git commit -q -m two && git fsck --no-dangling 2>&1"));
	out = S_sh("git status --porcelain");
	assert_string_equal(out, "");
	free(out);
}

static void test_declined_and_damaged(void **state)
{
	struct sup_gitindex *ix = NULL;
	struct sup_buf b = SUP_BUF_INIT;

	(void)state;
	/* version 4: paths compressed */
	free(S_sh("git update-index --index-version 4"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), SUP_ENOTFOUND);
	free(S_sh("git update-index --index-version 2"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), 0);
	sup_gitindex_free(ix);
	/* a split index */
	free(S_sh("git update-index --split-index"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), SUP_ENOTFOUND);
	free(S_sh("git update-index --no-split-index"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), 0);
	sup_gitindex_free(ix);
	/* a conflict: stages 1-3 */
	free(S_sh("h=$(git rev-parse HEAD:records/2026/a.md) && "
		  "printf '100644 %%s 1\\trecords/2026/z.md\\n' $h | git update-index --index-info"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), SUP_ENOTFOUND);
	free(S_sh("git update-index --force-remove records/2026/z.md && git reset -q"));
	/* a flipped byte in the trailing checksum: not verified on reading,
	 * as git does not (git fsck does); entries out of shape or order,
	 * or cut short, are left to libgit2, which verifies it */
	assert_int_equal(sup_read_file(&b, S_index, SIZE_MAX), 0);
	b.ptr[b.len - 1] ^= 1;
	assert_int_equal(sup_write_file(S_index, b.ptr, b.len), 0);
	assert_int_equal(sup_gitindex_read(&ix, S_index), 0);
	sup_gitindex_free(ix);
	ix = NULL;
	b.ptr[b.len - 1] ^= 1;
	{
		/* the first entry's path made to sort after the second's */
		char *nul = memchr(b.ptr + 12 + 62, '\0', b.len - 12 - 62);

		assert_non_null(nul);
		b.ptr[12 + 62] = 'z';
		assert_int_equal(sup_write_file(S_index, b.ptr, b.len), 0);
		assert_int_equal(sup_gitindex_read(&ix, S_index), SUP_ENOTFOUND);
		assert_null(ix);
		b.ptr[12 + 62] = 'r';	/* records/2026/a.md, as it was */
	}
	assert_int_equal(sup_write_file(S_index, b.ptr, b.len - 30), 0);
	assert_int_not_equal(sup_gitindex_read(&ix, S_index), 0);
	assert_null(ix);
	sup_error_clear();
	assert_int_equal(sup_write_file(S_index, b.ptr, b.len), 0);
	sup_buf_release(&b);
	/* no index at all: an empty one */
	free(S_sh("mv .git/index .git/index.kept"));
	assert_int_equal(sup_gitindex_read(&ix, S_index), 0);
	assert_null(sup_gitindex_get(ix, "records/2026/a.md"));
	sup_gitindex_free(ix);
	free(S_sh("mv .git/index.kept .git/index"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_declined_and_damaged),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
