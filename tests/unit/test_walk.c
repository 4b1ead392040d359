/*
 * Unit tests for walk: commit headers read in place, the walk's order
 * and coverage checked against git rev-list on a history with merges and
 * equal commit times, and path history through a merge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "error.h"
#include "store.h"
#include "util.h"
#include "walk.h"
#include "unit-sh.h"

static char S_dir[] = "/tmp/sup-test-walk.XXXXXX";

#define S_sh(...) S_sh_in(S_dir, __VA_ARGS__)

/* A commit of the working tree at a fixed time (seconds after 2026-01-01). */
static void S_commit(const char *msg, int at)
{
	free(S_sh("git add -A && GIT_COMMITTER_DATE='%d +0000' GIT_AUTHOR_DATE='%d +0000' "
		  "git commit -q --allow-empty -m '%s'", 1767225600 + at, 1767225600 + at, msg));
}

/*
 * The history (newest at the top; times in brackets):
 *
 *   m2 [90]  merge of side into main
 *   |  \
 *   |   s2 [80]  edits records/2026/a.md on the side
 *   c3 [70]  edits records/2026/b.md
 *   |   s1 [50]  same time as c2
 *   c2 [50]  edits a.md
 *   |  /
 *   c1 [10]  adds a.md and b.md
 */
static int S_setup(void **state)
{
	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	setenv("HOME", S_dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	free(S_sh("git init -q -b main . && git config user.name T && "
		  "git config user.email t@example.org && git config commit.gpgsign false && "
		  "mkdir -p records/2026 && echo one >records/2026/a.md && echo b >records/2026/b.md"));
	S_commit("c1", 10);
	free(S_sh("git branch side && echo two >records/2026/a.md"));
	S_commit("c2", 50);
	free(S_sh("echo b2 >records/2026/b.md"));
	S_commit("c3", 70);
	free(S_sh("git checkout -q side && echo s >side.txt"));
	S_commit("s1", 50);
	free(S_sh("echo side >records/2026/a.md"));
	S_commit("s2", 80);
	free(S_sh("git checkout -q main && GIT_COMMITTER_DATE='%d +0000' GIT_AUTHOR_DATE='%d +0000' "
		  "git merge -q -X theirs --no-ff -m m2 side >/dev/null",
		  1767225600 + 90, 1767225600 + 90));
	return 0;
}

static int S_teardown(void **state)
{
	(void)state;
	S_remove_dir(S_dir);
	return 0;
}

static struct sup_store *S_open(void)
{
	struct sup_store *s = NULL;

	assert_int_equal(sup_store_open(&s, S_dir), 0);
	return s;
}

static struct sup_oid S_rev(const char *rev)
{
	struct sup_oid o;
	char *hex = S_sh("git rev-parse '%s'", rev);

	assert_int_equal(sup_oid_parse(&o, hex), 0);
	free(hex);
	return o;
}

static int S_collect(const struct sup_oid *commit, void *payload)
{
	char hex[SUP_OID_HEXSZ + 1];

	sup_oid_fmt(hex, commit);
	sup_buf_printf(payload, "%s\n", hex);
	return 0;
}

/* Every commit once, newest first by commit time: as git rev-list. */
static void test_walk_matches_rev_list(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf got = SUP_BUF_INIT;
	struct sup_oid head = S_rev("HEAD");
	char *want = S_sh("git rev-list HEAD");

	(void)state;
	assert_int_equal(sup_walk_all(s, &head, S_collect, &got), 0);
	if (got.len)
		sup_buf_truncate(&got, got.len - 1);
	assert_string_equal(sup_buf_cstr(&got), want);
	free(want);
	sup_buf_release(&got);
	sup_store_free(s);
}

/* Hidden commits and their ancestors are left out: as git rev-list A ^B. */
static void test_walk_hide(void **state)
{
	static const char *const hide[] = { "HEAD^1", "HEAD^2", "HEAD", "main~2" };
	struct sup_store *s = S_open();
	struct sup_oid head = S_rev("HEAD");
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(hide); i++) {
		struct sup_walk *w = NULL;
		const struct sup_walk_commit *c;
		struct sup_oid h = S_rev(hide[i]);
		struct sup_buf got = SUP_BUF_INIT;
		char *want = S_sh("git rev-list HEAD '^%s'", hide[i]);
		int rc;

		assert_int_equal(sup_walk_new(&w, s, &head), 0);
		assert_int_equal(sup_walk_hide(w, &h), 0);
		while ((rc = sup_walk_next(&c, w)) == 1)
			S_collect(&c->id, &got);
		assert_int_equal(rc, 0);
		if (got.len)
			sup_buf_truncate(&got, got.len - 1);
		assert_string_equal(sup_buf_cstr(&got), want);
		free(want);
		sup_buf_release(&got);
		sup_walk_free(w);
	}
	sup_store_free(s);
}

static int S_added(const char *path, const struct sup_oid *commit,
		   time_t when, void *payload)
{
	char *msg, hex[SUP_OID_HEXSZ + 1];

	sup_oid_fmt(hex, commit);
	msg = S_sh("git log -1 --format=%%s %s", hex);
	sup_buf_printf(payload, "%s %s %lld\n", msg, path, (long long)(when - 1767225600));
	free(msg);
	return 0;
}

/* Files added, newest first, through the side branch too; a file that
 * changed is not added; resuming leaves out what the old tip had. */
static void test_added_paths(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf got = SUP_BUF_INIT;
	struct sup_oid head = S_rev("HEAD"), c3 = S_rev("HEAD^1");

	(void)state;
	assert_int_equal(sup_added_paths(s, &head, NULL, "records", S_added, &got), 0);
	assert_string_equal(sup_buf_cstr(&got),
			    "c1 records/2026/a.md 10\nc1 records/2026/b.md 10\n");
	sup_buf_truncate(&got, 0);
	assert_int_equal(sup_added_paths(s, &head, NULL, "", S_added, &got), 0);
	assert_string_equal(sup_buf_cstr(&got),
			    "m2 /side.txt 90\ns1 /side.txt 50\n"
			    "c1 /records/2026/a.md 10\nc1 /records/2026/b.md 10\n");
	sup_buf_truncate(&got, 0);
	assert_int_equal(sup_added_paths(s, &head, &c3, "", S_added, &got), 0);
	assert_string_equal(sup_buf_cstr(&got), "m2 /side.txt 90\ns1 /side.txt 50\n");
	sup_buf_truncate(&got, 0);
	assert_int_equal(sup_added_paths(s, &head, NULL, "nowhere", S_added, &got), 0);
	assert_int_equal(got.len, 0);
	sup_buf_release(&got);
	sup_store_free(s);
}

/* Each commit comes with its parents and its first parent's tree. */
static void test_walk_parents_and_trees(void **state)
{
	struct sup_store *s = S_open();
	struct sup_walk *w = NULL;
	const struct sup_walk_commit *c;
	struct sup_oid head = S_rev("HEAD");
	struct sup_oid merge_parent_tree = S_rev("HEAD^1^{tree}");
	struct sup_oid side = S_rev("HEAD^2");
	int n = 0, rc;

	(void)state;
	assert_int_equal(sup_walk_new(&w, s, &head), 0);
	while ((rc = sup_walk_next(&c, w)) == 1) {
		if (n++ == 0) {
			struct sup_oid tree = S_rev("HEAD^{tree}");

			assert_true(sup_oid_equal(&c->id, &head));
			assert_true(sup_oid_equal(&c->tree, &tree));
			assert_int_equal(c->nparents, 2);
			assert_true(sup_oid_equal(&c->parents[1], &side));
			assert_non_null(c->parent_tree);
			assert_true(sup_oid_equal(c->parent_tree, &merge_parent_tree));
		}
		if (c->nparents == 0)
			assert_null(c->parent_tree);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 6);
	sup_walk_free(w);
	sup_store_free(s);
}

static int S_hist(const struct sup_oid *commit, const struct sup_oid *blob,
		  const struct sup_oid *parent_blob, void *payload)
{
	char *msg, hex[SUP_OID_HEXSZ + 1];

	(void)blob;
	(void)parent_blob;
	sup_oid_fmt(hex, commit);
	msg = S_sh("git log -1 --format=%%s %s", hex);
	sup_buf_printf(payload, "%s ", msg);
	free(msg);
	return 0;
}

/* Compared with the first parent: the merge brought the side's a.md. */
static void test_path_history_merge(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf got = SUP_BUF_INIT;
	struct sup_oid head = S_rev("HEAD");

	(void)state;
	assert_int_equal(sup_path_history(s, &head, "records/2026/a.md", S_hist, &got), 0);
	assert_string_equal(sup_buf_cstr(&got), "m2 s2 c2 c1 ");
	sup_buf_truncate(&got, 0);
	assert_int_equal(sup_path_history(s, &head, "records/2026/b.md", S_hist, &got), 0);
	assert_string_equal(sup_buf_cstr(&got), "c3 c1 ");
	sup_buf_release(&got);
	sup_store_free(s);
}

/* A missing commit is an error, not an empty history. */
static void test_walk_missing_commit(void **state)
{
	struct sup_store *s = S_open();
	struct sup_walk *w = NULL;
	struct sup_oid nothing;

	(void)state;
	memset(&nothing, 0x42, sizeof(nothing));
	assert_true(sup_walk_new(&w, s, &nothing) < 0);
	assert_null(w);
	sup_store_free(s);
}

/* A damaged commit, or a blob where a commit should be: refused, naming
 * the object and how to see more. */
static void test_walk_damaged_commit(void **state)
{
	static const char *const kinds[] = { "commit", "blob" };
	struct sup_store *s = S_open();
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(kinds); i++) {
		struct sup_walk *w = NULL;
		struct sup_oid bad;
		char *hex = S_sh("printf 'not a commit\\n' | git hash-object --literally -t %s -w --stdin",
				 kinds[i]);

		assert_int_equal(sup_oid_parse(&bad, hex), 0);
		assert_int_equal(sup_walk_new(&w, s, &bad), SUP_EINVALID);
		assert_null(w);
		assert_non_null(strstr(sup_error_last(), hex));
		assert_non_null(strstr(sup_error_last(), "git fsck"));
		free(hex);
		sup_error_clear();
	}
	sup_store_free(s);
}

static int S_parse(const char *text, struct sup_oid *tree, size_t *np, int64_t *t)
{
	struct sup_oid *parents = NULL;
	int rc = sup_walk_parse_commit(tree, &parents, np, t,
				       (const unsigned char *)text, strlen(text));

	free(parents);
	return rc;
}

#define S_TREE "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
#define S_PARENT "parent 0123456789abcdef0123456789abcdef01234567\n"

static void test_parse_commit(void **state)
{
	struct sup_oid tree;
	size_t np;
	int64_t t;

	(void)state;
	/* two parents, a signature whose lines mention a committer, and a
	 * message with another: only the header line counts */
	assert_int_equal(S_parse(S_TREE S_PARENT S_PARENT
				 "author A <a@x> 100 +0000\n"
				 "committer C <c@x> 1767225600 +0100\n"
				 "gpgsig -----BEGIN SSH SIGNATURE-----\n"
				 " committer X <x@x> 5 +0000\n"
				 " -----END SSH SIGNATURE-----\n"
				 "\ncommitter Z <z@x> 7 +0000\n", &tree, &np, &t), 0);
	assert_int_equal(np, 2);
	assert_int_equal(t, 1767225600);
	assert_int_equal(tree.id[0], 0x4b);
	/* a name with '>' in it: the time follows the last one */
	assert_int_equal(S_parse(S_TREE "committer C<> <c@x> 42 +0000\n\nm\n", &tree, &np, &t), 0);
	assert_int_equal(np, 0);
	assert_int_equal(t, 42);
	/* damaged: no tree first, short or bad ids, a parent before the tree */
	assert_int_equal(S_parse("", &tree, &np, &t), SUP_EINVALID);
	assert_int_equal(S_parse(S_PARENT S_TREE, &tree, &np, &t), SUP_EINVALID);
	assert_int_equal(S_parse("tree 4b825dc642cb6eb9a060e54bf8d69288fbee490\n", &tree, &np, &t),
			 SUP_EINVALID);
	assert_int_equal(S_parse("tree 4B825DC642CB6EB9A060E54BF8D69288FBEE4904\n", &tree, &np, &t),
			 SUP_EINVALID);
	assert_int_equal(S_parse(S_TREE "parent 0123456789abcdef0123456789abcdef0123456z\n",
				 &tree, &np, &t), SUP_EINVALID);
	assert_int_equal(S_parse(S_TREE "parent 0123456789abcdef0123456789abcdef01234567x",
				 &tree, &np, &t), SUP_EINVALID);
	sup_error_clear();
}

/* Raw tree entries: modes read as octal, as git does; damage stops. */
static void test_tree_next(void **state)
{
	static const char raw[] =
		"100644 a.md\0AAAAAAAAAAAAAAAAAAAA"
		"40000 d\0BBBBBBBBBBBBBBBBBBBB"
		"040000 e\0CCCCCCCCCCCCCCCCCCCC"
		"160000 sub\0DDDDDDDDDDDDDDDDDDDD"
		"10x644 bad\0EEEEEEEEEEEEEEEEEEEE";
	const unsigned char *p = (const unsigned char *)raw, *end = p + sizeof(raw) - 1;
	struct sup_tree_entry e;

	(void)state;
	assert_int_equal(sup_tree_next(&e, &p, end), 1);
	assert_int_equal(e.nlen, 4);
	assert_memory_equal(e.name, "a.md", 4);
	assert_false(e.is_tree);
	assert_int_equal(e.id[0], 'A');
	assert_int_equal(sup_tree_next(&e, &p, end), 1);
	assert_true(e.is_tree);
	assert_int_equal(sup_tree_next(&e, &p, end), 1);
	assert_true(e.is_tree);		/* zero-padded, as old tools wrote */
	assert_int_equal(e.id[19], 'C');
	assert_int_equal(sup_tree_next(&e, &p, end), 1);
	assert_false(e.is_tree);	/* a submodule is not a directory */
	assert_int_equal(sup_tree_next(&e, &p, end), 0);	/* damaged mode */
	/* an id cut short */
	p = (const unsigned char *)raw;
	assert_int_equal(sup_tree_next(&e, &p, p + 20), 0);
}

/* ---- sup_tree_changes ---- */

/* Its own repository: the history above is what the walk tests count. */
static char S_cdir[] = "/tmp/sup-test-walk-changes.XXXXXX";

#define S_csh(...) S_sh_in(S_cdir, __VA_ARGS__)

/*
 * Two commits, A and B:
 *
 *   a.txt, keep/same.txt, dir/x.md, x-y, x.txt   the same in both
 *   b.txt, dir/y.md, x0                          changed
 *   c.txt                                        deleted
 *   dir/deep/, gone/ (with gone/two/)            removed directories
 *   new.txt, link (a symbolic link)              added
 *   newdir/sub/n.md                              a new directory of one
 *   swap                                         a file, then a directory
 *   flip/                                        a directory, then a file
 *   x                                            a file, then a directory,
 *                                                between x.txt and x0
 *                                                in git's order
 */
static int S_changes_setup(void **state)
{
	(void)state;
	/* mkdtemp filled in the last test's name: a new one each time */
	strcpy(S_cdir + strlen(S_cdir) - 6, "XXXXXX");
	if (!mkdtemp(S_cdir))
		return -1;
	free(S_csh("git init -q -b main . && "
		   "mkdir -p keep dir/deep gone/two flip && "
		   "echo a >a.txt && echo b >b.txt && echo c >c.txt && echo same >keep/same.txt && "
		   "echo x >dir/x.md && echo y >dir/y.md && echo z >dir/deep/z.md && "
		   "echo one >gone/one.txt && echo three >gone/two/three.txt && "
		   "echo swap >swap && echo inner >flip/inner.txt && "
		   "echo x >x && echo xy >x-y && echo xt >x.txt && echo x0 >x0 && "
		   "git add -A && GIT_COMMITTER_DATE='1767225600 +0000' GIT_AUTHOR_DATE='1767225600 +0000' "
		   "git -c user.name=T -c user.email=t@example.org -c commit.gpgsign=false "
		   "commit -q -m A && git tag A && "
		   "echo b2 >b.txt && rm c.txt && echo y2 >dir/y.md && rm -r dir/deep gone && "
		   "echo new >new.txt && ln -s a.txt link && mkdir -p newdir/sub && echo n >newdir/sub/n.md && "
		   "rm swap && mkdir swap && echo in >swap/inner.txt && "
		   "rm -r flip && echo flip >flip && "
		   "rm x && mkdir x && echo xa >x/a.txt && echo x02 >x0 && "
		   "git add -A && GIT_COMMITTER_DATE='1767225660 +0000' GIT_AUTHOR_DATE='1767225660 +0000' "
		   "git -c user.name=T -c user.email=t@example.org -c commit.gpgsign=false "
		   "commit -q -m B && git tag B"));
	return 0;
}

static int S_changes_teardown(void **state)
{
	(void)state;
	S_remove_dir(S_cdir);
	return 0;
}

static struct sup_oid S_crev(const char *rev)
{
	struct sup_oid o;
	char *hex = S_csh("git rev-parse '%s'", rev);

	assert_int_equal(sup_oid_parse(&o, hex), 0);
	free(hex);
	return o;
}

struct S_seen {
	struct sup_buf lines;
	int calls, stop_at, stop_with;
};

/* An id in hex, or git's zero id for an absent side. */
static void S_hex(char out[SUP_OID_HEXSZ + 1], const struct sup_oid *id)
{
	if (id) {
		sup_oid_fmt(out, id);
	} else {
		memset(out, '0', SUP_OID_HEXSZ);
		out[SUP_OID_HEXSZ] = '\0';
	}
}

/* Each change as "path before after", as git diff --raw gives them; the
 * call stop_at returns stop_with. */
static int S_change(const char *path, const struct sup_oid *before,
		    const struct sup_oid *after, void *payload)
{
	struct S_seen *seen = payload;
	char b[SUP_OID_HEXSZ + 1], a[SUP_OID_HEXSZ + 1];

	assert_true(before || after);
	S_hex(b, before);
	S_hex(a, after);
	sup_buf_printf(&seen->lines, "%s %s %s\n", path, b, a);
	if (++seen->calls == seen->stop_at)
		return seen->stop_with;
	return 0;
}

/* git diff --raw between two commits in S_change's lines, under prefix:
 * ":mode mode old new status<TAB>path". */
static char *S_git_changes(const char *from, const char *to, const char *prefix)
{
	char *raw = S_csh("git diff --raw --no-renames --no-abbrev -r '%s' '%s'", from, to);
	struct sup_buf want = SUP_BUF_INIT;
	char *line = raw, *next;

	for (; *line; line = next) {
		char mode_a[8], mode_b[8], old[SUP_OID_HEXSZ + 1], now[SUP_OID_HEXSZ + 1];
		char *tab = strchr(line, '\t'), *eol = strchr(line, '\n');

		if (!eol)
			eol = line + strlen(line);
		next = eol + (*eol != '\0');
		assert_true(tab && tab < eol);
		assert_int_equal(sscanf(line, ":%7s %7s %40s %40s", mode_a, mode_b, old, now), 4);
		sup_buf_printf(&want, "%s/%.*s %s %s\n", prefix, (int)(eol - tab - 1), tab + 1,
			       old, now);
	}
	free(raw);
	sup_buf_puts(&want, "");
	return sup_buf_detach(&want);
}

/* The changes between two commits' trees are git's, path for path, blob
 * for blob and in git's order, each way round; a tree against itself
 * has none. */
static void test_tree_changes_matches_git(void **state)
{
	static const struct {
		const char *from, *to;
	} pairs[] = { { "A", "B" }, { "B", "A" } };
	struct sup_store *s = NULL;
	struct sup_oid ta, tb;
	size_t i;

	(void)state;
	assert_int_equal(sup_store_open(&s, S_cdir), 0);
	for (i = 0; i < SUP_ARRAY_SIZE(pairs); i++) {
		struct S_seen seen = { SUP_BUF_INIT, 0, 0, 0 };
		char *want = S_git_changes(pairs[i].from, pairs[i].to, "top");
		char *from = sup_xasprintf("%s^{tree}", pairs[i].from);
		char *to = sup_xasprintf("%s^{tree}", pairs[i].to);

		ta = S_crev(from);
		tb = S_crev(to);
		/* the repository holds what the test means it to */
		assert_non_null(strstr(want, "top/swap "));
		assert_non_null(strstr(want, "top/swap/inner.txt "));
		assert_non_null(strstr(want, "top/x/a.txt "));
		assert_non_null(strstr(want, "top/gone/two/three.txt "));
		assert_non_null(strstr(want, "top/newdir/sub/n.md "));
		assert_null(strstr(want, "top/keep/"));
		assert_int_equal(sup_tree_changes(s, &ta, &tb, "top", S_change, &seen), 0);
		assert_string_equal(sup_buf_cstr(&seen.lines), want);
		assert_int_equal(seen.calls, 16);
		free(want);
		free(from);
		free(to);
		sup_buf_release(&seen.lines);
	}
	/* equal trees: nothing, and the callback never called */
	{
		struct S_seen seen = { SUP_BUF_INIT, 0, 1, -7 };

		tb = S_crev("B^{tree}");
		assert_int_equal(sup_tree_changes(s, &tb, &tb, "top", S_change, &seen), 0);
		assert_int_equal(seen.calls, 0);
		sup_buf_release(&seen.lines);
	}
	sup_store_free(s);
}

/* From no tree, every file of the other is added: git ls-tree -r. */
static void test_tree_changes_from_nothing(void **state)
{
	struct sup_store *s = NULL;
	struct S_seen seen = { SUP_BUF_INIT, 0, 0, 0 };
	struct sup_buf want = SUP_BUF_INIT;
	struct sup_oid tb = S_crev("B^{tree}");
	char *ls = S_csh("git ls-tree -r --full-tree B"), *line, *next;

	(void)state;
	/* "mode type id<TAB>path" */
	for (line = ls; *line; line = next) {
		char mode[8], type[8], id[SUP_OID_HEXSZ + 1];
		char *tab = strchr(line, '\t'), *eol = strchr(line, '\n');

		if (!eol)
			eol = line + strlen(line);
		next = eol + (*eol != '\0');
		assert_true(tab && tab < eol);
		assert_int_equal(sscanf(line, "%7s %7s %40s", mode, type, id), 3);
		sup_buf_printf(&want, "/%.*s 0000000000000000000000000000000000000000 %s\n",
			       (int)(eol - tab - 1), tab + 1, id);
	}
	assert_int_equal(sup_store_open(&s, S_cdir), 0);
	assert_int_equal(sup_tree_changes(s, NULL, &tb, "", S_change, &seen), 0);
	assert_string_equal(sup_buf_cstr(&seen.lines), sup_buf_cstr(&want));
	assert_int_equal(seen.calls, 14);
	free(ls);
	sup_buf_release(&want);
	sup_buf_release(&seen.lines);
	sup_store_free(s);
}

/* A callback's error stops the walk at once, from two directories down
 * as from the top, and is what comes back; a missing tree, or a blob
 * given as one, is an error. */
static void test_tree_changes_stop_and_errors(void **state)
{
	struct sup_store *s = NULL;
	struct sup_oid ta = S_crev("A^{tree}"), tb = S_crev("B^{tree}");
	struct sup_oid blob = S_crev("A:a.txt"), missing;
	struct S_seen seen = { SUP_BUF_INIT, 0, 3, -42 };

	(void)state;
	assert_int_equal(sup_store_open(&s, S_cdir), 0);
	assert_int_equal(sup_tree_changes(s, &ta, &tb, "top", S_change, &seen), -42);
	assert_int_equal(seen.calls, 3);
	seen.calls = 0;
	seen.stop_at = 1;
	seen.stop_with = -5;
	assert_int_equal(sup_tree_changes(s, NULL, &tb, "", S_change, &seen), -5);
	assert_int_equal(seen.calls, 1);
	sup_buf_release(&seen.lines);

	memset(&missing, 0x42, sizeof(missing));
	memset(&seen, 0, sizeof(seen));
	assert_true(sup_tree_changes(s, &missing, &tb, "top", S_change, &seen) < 0);
	assert_true(sup_tree_changes(s, &ta, &missing, "top", S_change, &seen) < 0);
	assert_true(sup_tree_changes(s, &blob, &tb, "top", S_change, &seen) < 0);
	assert_int_equal(seen.calls, 0);
	sup_error_clear();
	sup_buf_release(&seen.lines);
	sup_store_free(s);
}

/* A subtree with the same id on both sides is never read: with its
 * object gone from the repository the changes are still all found
 * (while reading the whole tree now fails). */
static void test_tree_changes_skips_equal_subtrees(void **state)
{
	struct sup_store *s = NULL;
	struct sup_oid ta = S_crev("A^{tree}"), tb = S_crev("B^{tree}");
	struct S_seen seen = { SUP_BUF_INIT, 0, 0, 0 };
	char *want = S_git_changes("A", "B", "top");
	char *keep = S_csh("git rev-parse B:keep");

	(void)state;
	free(S_csh("rm .git/objects/%.2s/%s && ! git cat-file -e %s 2>/dev/null",
		   keep, keep + 2, keep));
	assert_int_equal(sup_store_open(&s, S_cdir), 0);
	assert_int_equal(sup_tree_changes(s, &ta, &tb, "top", S_change, &seen), 0);
	assert_string_equal(sup_buf_cstr(&seen.lines), want);
	sup_buf_truncate(&seen.lines, 0);
	assert_true(sup_tree_changes(s, NULL, &tb, "", S_change, &seen) < 0);
	sup_error_clear();
	free(want);
	free(keep);
	sup_buf_release(&seen.lines);
	sup_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_commit),
		cmocka_unit_test(test_tree_next),
		cmocka_unit_test(test_walk_matches_rev_list),
		cmocka_unit_test(test_walk_parents_and_trees),
		cmocka_unit_test(test_walk_hide),
		cmocka_unit_test(test_added_paths),
		cmocka_unit_test(test_path_history_merge),
		cmocka_unit_test(test_walk_missing_commit),
		cmocka_unit_test(test_walk_damaged_commit),
		cmocka_unit_test_setup_teardown(test_tree_changes_matches_git,
						S_changes_setup, S_changes_teardown),
		cmocka_unit_test_setup_teardown(test_tree_changes_from_nothing,
						S_changes_setup, S_changes_teardown),
		cmocka_unit_test_setup_teardown(test_tree_changes_stop_and_errors,
						S_changes_setup, S_changes_teardown),
		cmocka_unit_test_setup_teardown(test_tree_changes_skips_equal_subtrees,
						S_changes_setup, S_changes_teardown),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
