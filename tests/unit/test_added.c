/*
 * Unit tests for sup_added_paths over a long history of every kind of
 * change to a large directory: the scan compares each commit's trees
 * only where their bytes differ (walk.c, S_differing), so adds at the
 * start, middle and end of a tree, modifications that keep its length,
 * renames and an add with a delete of the same length in one commit must
 * all be found.  The answer is checked against git's own
 * (`git log --diff-filter=A`, first parent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "store.h"
#include "util.h"
#include "walk.h"
#include "unit-sh.h"

static char S_dir[] = "/tmp/sup-test-added.XXXXXX";

/* A deterministic little generator (the history must be the same on
 * every run). */
static uint32_t S_rand_state = 12345;

static uint32_t S_rand(void)
{
	S_rand_state = S_rand_state * 1103515245u + 12345u;
	return (S_rand_state >> 8) & 0xffffff;
}

/*
 * 120 commits on records/2026 (starting from 300 files, so the tree is
 * some 15 KB and its changes fall in every part of it): each commit
 * adds, modifies, deletes, renames, or adds one file and deletes another
 * of the same name length, at random; one commit changes nothing in the
 * directory; one merges a side branch that added a file.
 */
static int S_setup(void **state)
{
	struct sup_buf script = SUP_BUF_INIT;
	char *out;
	int i, k;

	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	sup_buf_printf(&script,
		       "set -e; git init -q -b main .; git config user.name t; "
		       "git config user.email t@example.org; mkdir -p records/2026; "
		       "for i in $(seq 100 399); do echo $i > records/2026/2026-01-$i-x.md; done; "
		       "git add -A; GIT_COMMITTER_DATE='1000000000 +0000' git commit -q -m c0; ");
	for (i = 1; i <= 120; i++) {
		int op = (int)(S_rand() % 6);
		int a = 100 + (int)(S_rand() % 900), b = 100 + (int)(S_rand() % 900);

		switch (op) {
		case 0:	/* add (or overwrite) */
			sup_buf_printf(&script, "echo add%d > records/2026/2026-01-%d-x.md; ", i, a);
			break;
		case 1:	/* modify one that is there, keeping the tree's length */
			sup_buf_printf(&script, "f=$(ls records/2026 | sed -n %dp); "
				       "echo mod%d >> records/2026/$f; ", 1 + a % 250, i);
			break;
		case 2:	/* delete one */
			sup_buf_printf(&script, "f=$(ls records/2026 | sed -n %dp); "
				       "git rm -q records/2026/$f; ", 1 + a % 250);
			break;
		case 3:	/* rename (same length) */
			sup_buf_printf(&script, "f=$(ls records/2026 | sed -n %dp); "
				       "test -e records/2026/2026-02-%d-y.md || "
				       "git mv records/2026/$f records/2026/2026-02-%d-y.md; ",
				       1 + a % 250, b, b);
			break;
		case 4:	/* add one and delete another of the same name length */
			sup_buf_printf(&script, "f=$(ls records/2026 | sed -n %dp); "
				       "git rm -q records/2026/$f; "
				       "echo swap%d > records/2026/2026-03-%d-z.md; ",
				       1 + a % 250, i, b);
			break;
		default: /* a file elsewhere only */
			sup_buf_printf(&script, "echo %d > other-%d.txt; ", i, i % 7);
			break;
		}
		sup_buf_printf(&script,
			       "git add -A; GIT_COMMITTER_DATE='%d +0000' "
			       "git commit -q --allow-empty -m c%d; ",
			       1000000000 + i * 100, i);
		if (i == 60) {
			/* a side branch from here, merged later */
			sup_buf_printf(&script, "git branch side; ");
		}
	}
	sup_buf_printf(&script,
		       "git checkout -q side; echo s > records/2026/2026-09-999-side.md; "
		       "git add -A; GIT_COMMITTER_DATE='1000006050 +0000' git commit -q -m s1; "
		       "git checkout -q main; "
		       "GIT_COMMITTER_DATE='1000099999 +0000' git merge -q --no-ff -m m side; ");
	k = 0;
	out = S_sh_in(S_dir, "%s echo ok", script.ptr);
	k = !strcmp(out, "ok");
	free(out);
	sup_buf_release(&script);
	return k ? 0 : -1;
}

static int S_teardown(void **state)
{
	(void)state;
	S_remove_dir(S_dir);
	return 0;
}

/* "path time" lines, one per add sup_added_paths reports. */
static int S_collect(const char *path, const struct sup_oid *commit,
		     time_t when, void *payload)
{
	(void)commit;
	sup_buf_printf(payload, "%s %lld\n", path, (long long)when);
	return 0;
}

static int S_line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of text, sorted and without repeats, as one string. */
static char *S_sorted(const char *text)
{
	char *copy = sup_xstrdup(text), *tok, *save = NULL, **v = NULL;
	size_t n = 0, i;
	struct sup_buf out = SUP_BUF_INIT;

	for (tok = strtok_r(copy, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save)) {
		v = sup_xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = tok;
	}
	qsort(v, n, sizeof(*v), S_line_cmp);
	for (i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			sup_buf_printf(&out, "%s\n", v[i]);
	sup_buf_puts(&out, "");
	free(v);
	free(copy);
	return sup_buf_detach(&out);
}

static void test_adds_as_git_sees_them(void **state)
{
	struct sup_store *s = NULL;
	struct sup_buf got = SUP_BUF_INIT;
	struct sup_oid head;
	char *hex, *want, *mine, *theirs;

	(void)state;
	assert_int_equal(sup_store_open(&s, S_dir), 0);
	hex = S_sh_in(S_dir, "git rev-parse HEAD");
	assert_int_equal(sup_oid_parse(&head, hex), 0);
	free(hex);
	assert_int_equal(sup_added_paths(s, &head, NULL, "records", S_collect, &got), 0);
	/* git: every commit against its first parent (a root against
	 * nothing), each file it adds under records/, with its time */
	want = S_sh_in(S_dir,
		       "git log --diff-merges=first-parent --diff-filter=A --no-renames "
		       "--format='@%%ct' --name-only -- records | "
		       "awk '/^@/ { t = substr($0, 2); next } NF { print \"/\" $0 \" \" t }'");
	mine = S_sorted(sup_buf_cstr(&got));
	theirs = S_sorted(want);
	/* sup names paths under the directory as "records/..." */
	{
		struct sup_buf fixed = SUP_BUF_INIT;
		const char *p;

		for (p = theirs; *p; p++) {
			if ((p == theirs || p[-1] == '\n') && *p == '/')
				continue;
			sup_buf_putc(&fixed, *p);
		}
		sup_buf_puts(&fixed, "");
		free(theirs);
		theirs = sup_buf_detach(&fixed);
	}
	assert_true(strlen(theirs) > 1000);	/* the history is not trivial */
	assert_string_equal(mine, theirs);
	free(want);
	free(mine);
	free(theirs);
	sup_buf_release(&got);
	sup_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adds_as_git_sees_them),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
