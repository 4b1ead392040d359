/*
 * Unit tests for lib/store: a real repository in a temporary directory,
 * commits signed by the real ssh-keygen and checked with sup's own
 * verifier before the branch moves, reading at a commit, the safety rules
 * of sup_store_commit (other files untouched, uncommitted work refused,
 * git's index.lock honoured, a refused check moving nothing), history
 * walks, and GIT_*_DATE parsing.  The real git checks what was written:
 * its own view of the objects, the index, the signatures and git fsck.
 *
 * The tests build one history in order, each on the last:
 *   c1  root: sup.yaml, staff/akhan.yaml, staff/jsmith.yaml, records/2026/a.md
 *   c2  staff/akhan.yaml changed
 *   c3  staff/jsmith.yaml changed (to what the working tree already held)
 *   c4  records/2026/a.md changed, records/2026/b.md added
 *   c5  records/2026/a.md deleted
 *   c6  records/2026/a.md added again, records/2027/c.md added
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "sign.h"
#include "sshsig.h"
#include "store.h"
#include "walk.h"
#include "unit-sh.h"
#include "util.h"
#include "verify.h"

#define S_T0 1767225600		/* 2026-01-01T00:00:00Z */

static char S_dir[] = "/tmp/sup-test-store.XXXXXX";
static char *S_repo, *S_key;
static struct sup_sshkey S_pub;
static struct sup_oid S_c[7];		/* S_c[1] .. S_c[6] as above */
static char *S_saved_env[8];
static const char *const S_env_names[] = {
	"HOME", "GIT_CONFIG_NOSYSTEM", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE",
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "TZ",
};

/* What the callbacks saw and should do. */
struct S_ctx {
	int signs, checks;
	int fail_sign, fail_check;
	int check_nsigs;		/* signature headers in the last check */
	char *on_sign;			/* shell command run at the first signing */
};

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

/* The standard output of a command run in the repository (unit-sh.h). */
#define S_sh(...) S_sh_in(S_repo, __VA_ARGS__)

static char *S_hex(const struct sup_oid *oid)
{
	char hex[SUP_OID_HEXSZ + 1];

	sup_oid_fmt(hex, oid);
	return sup_xstrdup(hex);
}

/* oid must be what git names rev. */
static void S_assert_rev(const struct sup_oid *oid, const char *rev)
{
	char *hex = S_hex(oid), *want = S_sh("git rev-parse '%s'", rev);

	assert_string_equal(hex, want);
	free(hex);
	free(want);
}

static char *S_wt(const char *path)
{
	return sup_xasprintf("%s/%s", S_repo, path);
}

/* The working-tree file, or NULL when absent; caller frees. */
static char *S_wt_read(const char *path)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *p = S_wt(path);
	int rc = sup_read_file(&b, p, SUP_MAX_FILE);

	free(p);
	if (rc < 0) {
		sup_buf_release(&b);
		sup_error_clear();
		return NULL;
	}
	sup_buf_puts(&b, "");
	return sup_buf_detach(&b);
}

static void S_wt_write(const char *path, const char *text)
{
	char *p = S_wt(path);

	assert_int_equal(sup_write_file(p, text, strlen(text)), 0);
	free(p);
}

static void S_assert_wt(const char *path, const char *want)
{
	char *have = S_wt_read(path);

	if (!want) {
		assert_null(have);
		return;
	}
	if (!have)
		fail_msg("%s: missing from the working tree", path);
	assert_string_equal(have, want);
	free(have);
}

static struct sup_store *S_open(void)
{
	struct sup_store *s = NULL;

	if (sup_store_open_here(&s, S_repo) < 0)
		fail_msg("open: %s", sup_error_last());
	return s;
}

static void S_assert_head(struct sup_store *s, const struct sup_oid *want)
{
	struct sup_oid head;

	assert_int_equal(sup_store_head(&head, s), 0);
	assert_true(sup_oid_equal(&head, want));
}

/* ---- the callbacks ---- */

static int S_sign(struct sup_buf *sig, const char *content, size_t len,
		  void *payload)
{
	struct S_ctx *ctx = payload;
	struct sup_signer signer = { SUP_SIG_SSH, NULL, NULL, NULL };

	ctx->signs++;
	if (ctx->on_sign && ctx->signs == 1 && S_run("%s", ctx->on_sign) != 0)
		return sup_error_set(SUP_ERROR, "on_sign command failed");
	if (ctx->fail_sign)
		return sup_error_set(SUP_ENOKEY, "signing refused by the test");
	signer.key = S_key;
	return sup_sign(sig, &signer, content, len);
}

/* Verify the stored object as sup does: split, then check the SSHSIG over
 * the payload with sup's verifier, made by the test's key. */
static int S_check(const char *raw, size_t len, void *payload)
{
	struct S_ctx *ctx = payload;
	struct sup_buf body = SUP_BUF_INIT, sig = SUP_BUF_INIT;
	struct sup_sshkey signer;
	int nsigs = -1, rc;

	ctx->checks++;
	sup_commit_split(&body, &sig, &nsigs, raw, len);
	ctx->check_nsigs = nsigs;
	rc = sup_sshsig_verify(&signer, sig.ptr, sig.len, body.ptr, body.len, "git");
	if (rc == 0) {
		if (!sup_sshkey_equal(&signer, &S_pub))
			rc = sup_error_set(SUP_EBADSIG, "signed by another key");
		sup_sshkey_release(&signer);
	}
	if (rc == 0 && nsigs != 1)
		rc = sup_error_set(SUP_EBADSIG, "%d signatures", nsigs);
	if (rc == 0 && ctx->fail_check)
		rc = sup_error_set(SUP_EBADSIG, "refused by the test's check");
	sup_buf_release(&body);
	sup_buf_release(&sig);
	return rc;
}

static struct sup_commit_opts S_opts(struct S_ctx *ctx, int n, const char *msg)
{
	struct sup_commit_opts o;

	memset(&o, 0, sizeof(o));
	o.author.name = "Aisha Khan";
	o.author.email = "akhan@example.org";
	o.author.when = S_T0 + n * 3600;
	o.author.offset = 60;
	o.committer = o.author;
	o.committer.when = S_T0 + n * 3600 + 30;
	o.message = msg;
	o.sign = S_sign;
	o.check = S_check;
	o.payload = ctx;
	return o;
}

/* Commit changes as commit number n; must succeed. */
static void S_commit_ok(struct sup_oid *out, struct sup_store *s,
			const struct sup_change *ch, size_t nch, int n,
			const char *msg)
{
	struct S_ctx ctx;
	struct sup_commit_opts o;

	memset(&ctx, 0, sizeof(ctx));
	o = S_opts(&ctx, n, msg);
	if (sup_store_commit(out, s, ch, nch, &o) != 0)
		fail_msg("commit %d: %s", n, sup_error_last());
	assert_int_equal(ctx.signs, 1);
	assert_int_equal(ctx.checks, 1);
	assert_int_equal(ctx.check_nsigs, 1);
	S_assert_head(s, out);
	S_assert_rev(out, "HEAD");
}

/* ---- set-up ---- */

static int S_setup(void **state)
{
	struct sup_buf line = SUP_BUF_INIT;
	char *pubpath;
	size_t i;

	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	for (i = 0; i < SUP_ARRAY_SIZE(S_env_names); i++) {
		const char *v = getenv(S_env_names[i]);

		S_saved_env[i] = v ? sup_xstrdup(v) : NULL;
	}
	/* a hermetic git: no user or system configuration */
	setenv("HOME", S_dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("TZ", "UTC", 1);
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_DATE");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	S_repo = sup_xasprintf("%s/repo", S_dir);
	S_key = sup_xasprintf("%s/akhan", S_dir);
	if (S_run("ssh-keygen -q -t ed25519 -N '' -C akhan -f '%s' </dev/null", S_key) != 0)
		return -1;
	pubpath = sup_xasprintf("%s.pub", S_key);
	if (sup_read_file(&line, pubpath, 4096) < 0 ||
	    sup_sshkey_parse(&S_pub, sup_buf_cstr(&line)) < 0)
		return -1;
	/* git's allowed signers, for checking with git itself */
	{
		char *as = sup_xasprintf("%s/allowed_signers", S_dir);
		struct sup_buf text = SUP_BUF_INIT;

		sup_buf_printf(&text, "akhan@example.org namespaces=\"git\" %s",
			       sup_buf_cstr(&line));
		if (sup_write_file(as, text.ptr, text.len) < 0)
			return -1;
		free(as);
		sup_buf_release(&text);
	}
	sup_buf_release(&line);
	free(pubpath);
	return 0;
}

static int S_teardown(void **state)
{
	size_t i;
	int rc;

	(void)state;
	rc = S_run("rm -rf '%s'", S_dir);
	for (i = 0; i < SUP_ARRAY_SIZE(S_env_names); i++) {
		if (S_saved_env[i])
			setenv(S_env_names[i], S_saved_env[i], 1);
		else
			unsetenv(S_env_names[i]);
		free(S_saved_env[i]);
	}
	sup_sshkey_release(&S_pub);
	free(S_repo);
	free(S_key);
	return rc == 0 ? 0 : -1;
}

static int S_clear(void **state)
{
	(void)state;
	sup_error_clear();
	sup_diag_clear();
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

/* ---- object ids ---- */

static void test_oid(void **state)
{
	static const char hex[] = "8f2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5";
	struct sup_store *s = S_open();	/* libgit2 is set up */
	struct sup_oid a, b, zero;
	char out[SUP_OID_HEXSZ + 1];

	(void)state;
	assert_int_equal(sup_oid_parse(&a, hex), 0);
	sup_oid_fmt(out, &a);
	assert_string_equal(out, hex);
	assert_int_equal(a.id[0], 0x8f);
	assert_int_equal(a.id[19], 0xf5);
	assert_int_equal(sup_oid_parse(&b, "8F2A1F0E2B0D7D7B9FD1C1F0A3C5C4E1D2B3A4F5"), 0);
	assert_true(sup_oid_equal(&a, &b));
	assert_false(sup_oid_is_zero(&a));
	memset(&zero, 0, sizeof(zero));
	assert_true(sup_oid_is_zero(&zero));
	assert_false(sup_oid_equal(&a, &zero));
	assert_int_equal(sup_oid_parse(&b, "8f2a"), SUP_EINVALID);
	assert_string_equal(sup_error_last(), "'8f2a' is not an object id");
	assert_int_equal(sup_oid_parse(&b, "zz2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5"), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "'zz2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5' is not an object id");
	sup_store_free(s);
}

/*
 * Once a bug in lib/store.c sup_oid_parse: forty characters that are not
 * hex, before any store has set libgit2 up, crashed in git_oid_fromstr
 * (libgit2 records its error in thread state that git_libgit2_init makes).
 * Runs first, in a child so that a crash does not end the run.
 */
static void test_oid_parse_before_init(void **state)
{
	pid_t pid;
	int wst;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sup_oid b;

		/* cmocka's handler would carry on with the other tests here */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
		_exit(sup_oid_parse(&b, "zz2a1f0e2b0d7d7b9fd1c1f0a3c5c4e1d2b3a4f5") ==
		      SUP_EINVALID ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &wst, 0), pid);
	if (WIFSIGNALED(wst))
		fail_msg("sup_oid_parse crashed (signal %d)", WTERMSIG(wst));
	assert_true(WIFEXITED(wst));
	assert_int_equal(WEXITSTATUS(wst), 0);
}

/* ---- a new repository ---- */

static void test_init(void **state)
{
	struct sup_store *s = NULL, *again = NULL;
	struct sup_oid head;
	char *want;

	(void)state;
	if (sup_store_init(&s, S_repo) != 0)
		fail_msg("init: %s", sup_error_last());
	want = sup_xasprintf("%s/", S_repo);
	assert_string_equal(sup_store_workdir(s), want);
	free(want);
	want = sup_xasprintf("%s/.git/", S_repo);
	assert_string_equal(sup_store_gitdir(s), want);
	free(want);
	/* an unborn branch has no commit */
	assert_int_equal(sup_store_head(&head, s), SUP_ENOTFOUND);
	sup_store_free(s);

	/* git agrees that it is a repository, and a non-bare one */
	{
		char *bare = S_sh("git rev-parse --is-bare-repository");

		assert_string_equal(bare, "false");
		free(bare);
	}
	/* not made twice */
	assert_int_equal(sup_store_init(&again, S_repo), SUP_EEXISTS);
	assert_null(again);
	sup_store_free(NULL);

	/*
	 * With no init.defaultBranch, store.h promises "main" (libgit2 alone
	 * would make "master").
	 */
	{ /* fixed; kept as a guard */
		char *branch = S_sh("git symbolic-ref HEAD");

		assert_string_equal(branch, "refs/heads/main");
		free(branch);
	}
}

static void test_init_default_branch(void **state)
{
	/* git's init.defaultBranch names the branch */
	char *cfg = sup_xasprintf("%s/.gitconfig", S_dir);
	char *path = sup_xasprintf("%s/repo-b", S_dir);
	char *headfile = sup_xasprintf("%s/repo-b/.git/HEAD", S_dir);
	struct sup_store *s = NULL;
	struct sup_buf head = SUP_BUF_INIT;

	(void)state;
	assert_int_equal(sup_write_file(cfg, "[init]\n\tdefaultBranch = records\n", 32), 0);
	assert_int_equal(sup_store_init(&s, path), 0);
	unlink(cfg);
	sup_store_free(s);
	assert_int_equal(sup_read_file(&head, headfile, 4096), 0);
	assert_string_equal(sup_buf_cstr(&head), "ref: refs/heads/records\n");
	sup_buf_release(&head);
	free(cfg);
	free(path);
	free(headfile);
}

static void test_root_commit(void **state)
{
	static const char akhan[] = "id: akhan\nname: Aisha Khan\n";
	static const char jsmith[] = "id: jsmith\nname: Jo Smith\n";
	static const char policy[] = "organisation: Test\n";
	static const char rec[] = "---\nid: a\n---\nFirst record.\n";
	const struct sup_change ch[] = {
		{ "sup.yaml", policy, sizeof(policy) - 1 },
		{ "staff/akhan.yaml", akhan, sizeof(akhan) - 1 },
		{ "staff/jsmith.yaml", jsmith, sizeof(jsmith) - 1 },
		{ "records/2026/a.md", rec, sizeof(rec) - 1 },
	};
	struct sup_store *s = S_open();
	struct sup_buf raw = SUP_BUF_INIT;
	struct sup_oid *parents = NULL;
	size_t np = 99;
	char *status, *hex;

	(void)state;
	S_commit_ok(&S_c[1], s, ch, SUP_ARRAY_SIZE(ch), 1, "sup: init\n\nSup-Action: init\n");
	/* the working tree and index hold exactly the commit */
	S_assert_wt("sup.yaml", policy);
	S_assert_wt("staff/akhan.yaml", akhan);
	S_assert_wt("records/2026/a.md", rec);
	status = S_sh("git status --porcelain");
	assert_string_equal(status, "");
	free(status);

	/* the object as stored: a root commit with one signature header */
	assert_int_equal(sup_store_commit_raw(&raw, s, &S_c[1]), 0);
	assert_true(sup_starts_with(raw.ptr, "tree "));
	assert_non_null(strstr(raw.ptr,
		"\nauthor Aisha Khan <akhan@example.org> 1767229200 +0100\n"
		"committer Aisha Khan <akhan@example.org> 1767229230 +0100\n"
		"gpgsig -----BEGIN SSH SIGNATURE-----\n"));
	assert_null(strstr(raw.ptr, "\nparent "));
	assert_true(sup_ends_with(raw.ptr, "\n\nsup: init\n\nSup-Action: init\n"));
	assert_int_equal(sup_store_commit_parents(&parents, &np, s, &S_c[1]), 0);
	assert_int_equal(np, 0);
	free(parents);

	/* git itself finds the signature good */
	hex = S_hex(&S_c[1]);
	assert_int_equal(S_run("cd '%s' && git -c gpg.ssh.allowedSignersFile='%s/allowed_signers' "
			       "verify-commit %s >/dev/null 2>&1", S_repo, S_dir, hex), 0);
	free(hex);
	sup_buf_release(&raw);
	sup_store_free(s);
}

/* ---- reading at a commit ---- */

static void test_read(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf b = SUP_BUF_INIT, b2 = SUP_BUF_INIT;
	struct sup_oid blob, blob2, tree, head;

	(void)state;
	assert_int_equal(sup_store_head(&head, s), 0);
	assert_true(sup_oid_equal(&head, &S_c[1]));
	assert_int_equal(sup_store_resolve(&head, s, "HEAD"), 0);
	assert_true(sup_oid_equal(&head, &S_c[1]));
	assert_int_equal(sup_store_resolve(&head, s, "no-such-rev"), SUP_ENOTFOUND);
	assert_string_equal(sup_error_last(), "unknown revision 'no-such-rev'");

	assert_int_equal(sup_store_read(&b, &blob, s, &S_c[1], "staff/akhan.yaml"), 0);
	assert_string_equal(sup_buf_cstr(&b), "id: akhan\nname: Aisha Khan\n");
	S_assert_rev(&blob, "HEAD:staff/akhan.yaml");
	assert_int_equal(sup_store_blob_id(&blob2, s, &S_c[1], "staff/akhan.yaml"), 0);
	assert_true(sup_oid_equal(&blob, &blob2));
	assert_int_equal(sup_store_blob_read(&b2, s, &blob), 0);
	assert_string_equal(sup_buf_cstr(&b2), sup_buf_cstr(&b));
	/* a NULL blob id is allowed */
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_store_read(&b, NULL, s, &S_c[1], "sup.yaml"), 0);
	assert_string_equal(sup_buf_cstr(&b), "organisation: Test\n");

	/* absent, or a directory: not found */
	assert_int_equal(sup_store_blob_id(&blob, s, &S_c[1], "staff/nobody.yaml"), SUP_ENOTFOUND);
	assert_string_equal(sup_error_last(), "staff/nobody.yaml: no such file");
	assert_int_equal(sup_store_blob_id(&blob, s, &S_c[1], "staff"), SUP_ENOTFOUND);
	assert_string_equal(sup_error_last(), "staff: no such file");
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_store_read(&b, NULL, s, &S_c[1], "records/2026/zz.md"), SUP_ENOTFOUND);

	/* trees */
	assert_int_equal(sup_store_tree_id(&tree, s, &S_c[1], ""), 0);
	S_assert_rev(&tree, "HEAD^{tree}");
	assert_int_equal(sup_store_tree_id(&tree, s, &S_c[1], "records/2026"), 0);
	S_assert_rev(&tree, "HEAD:records/2026");
	assert_int_equal(sup_store_tree_id(&tree, s, &S_c[1], "records/2026/a.md"), 0);
	S_assert_rev(&tree, "HEAD:records/2026/a.md");
	assert_int_equal(sup_store_tree_id(&tree, s, &S_c[1], "records/1999"), SUP_ENOTFOUND);
	assert_string_equal(sup_error_last(), "records/1999: not found");
	assert_int_equal(sup_store_tree_id(&tree, s, &S_c[1], "sup.yaml/x"), SUP_ENOTFOUND);

	sup_buf_release(&b);
	sup_buf_release(&b2);
	sup_store_free(s);
}

static void test_list(void **state)
{
	struct sup_store *s = S_open();
	struct sup_entry *e = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(sup_store_list(&e, &n, s, &S_c[1], "staff"), 0);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].name, "akhan.yaml");
	assert_string_equal(e[1].name, "jsmith.yaml");
	assert_false(e[0].is_dir);
	assert_false(e[1].is_dir);
	S_assert_rev(&e[0].blob, "HEAD:staff/akhan.yaml");
	S_assert_rev(&e[1].blob, "HEAD:staff/jsmith.yaml");
	sup_entries_free(e, n);

	assert_int_equal(sup_store_list(&e, &n, s, &S_c[1], "records"), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].name, "2026");
	assert_true(e[0].is_dir);
	S_assert_rev(&e[0].blob, "HEAD:records/2026");
	sup_entries_free(e, n);

	/* a missing directory is an empty list */
	e = (struct sup_entry *)&n;
	assert_int_equal(sup_store_list(&e, &n, s, &S_c[1], "records/1999"), 0);
	assert_int_equal(n, 0);
	sup_entries_free(e, n);
	sup_entries_free(NULL, 0);
	sup_store_free(s);
}

/* ---- more commits: the working tree around them ---- */

static void test_commit_leaves_other_files(void **state)
{
	static const char akhan2[] = "id: akhan\nname: Aisha Khan\nadmin: true\n";
	static const char local[] = "id: jsmith\nname: Jo Smith (local edit)\n";
	const struct sup_change ch[] = {
		{ "staff/akhan.yaml", akhan2, sizeof(akhan2) - 1 },
	};
	struct sup_store *s = S_open();
	struct sup_oid *parents = NULL;
	size_t np = 0;
	char *status;

	(void)state;
	/* someone's untracked file and their unrelated uncommitted edit */
	S_wt_write("notes.txt", "my notes\n");
	S_wt_write("staff/jsmith.yaml", local);
	S_commit_ok(&S_c[2], s, ch, 1, 2, "sup: staff set akhan");

	assert_int_equal(sup_store_commit_parents(&parents, &np, s, &S_c[2]), 0);
	assert_int_equal(np, 1);
	assert_true(sup_oid_equal(&parents[0], &S_c[1]));
	free(parents);
	S_assert_wt("staff/akhan.yaml", akhan2);
	/* untouched, and still seen by git as they were */
	S_assert_wt("notes.txt", "my notes\n");
	S_assert_wt("staff/jsmith.yaml", local);
	status = S_sh("git status --porcelain");
	assert_string_equal(status, " M staff/jsmith.yaml\n?? notes.txt");
	free(status);
	/* the committed file is exactly the commit's */
	status = S_sh("git show HEAD:staff/jsmith.yaml");
	assert_string_equal(status, "id: jsmith\nname: Jo Smith");
	free(status);
	sup_store_free(s);
}

static void test_commit_refuses_uncommitted_work(void **state)
{
	static const char theirs[] = "id: jsmith\nname: Jo Smith (sup's change)\n";
	static const char local[] = "id: jsmith\nname: Jo Smith (local edit)\n";
	const struct sup_change ch[] = {
		{ "sup.yaml", "organisation: Other\n", 20 },
		{ "staff/jsmith.yaml", theirs, sizeof(theirs) - 1 },
	};
	struct sup_store *s = S_open();
	struct S_ctx ctx;
	struct sup_commit_opts o;
	struct sup_oid out;
	char *lock;
	struct stat st;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	o = S_opts(&ctx, 3, "sup: refused");
	assert_int_equal(sup_store_commit(&out, s, ch, 2, &o), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "staff/jsmith.yaml: has uncommitted changes in the working tree; commit them (git commit -S) or put them aside (git stash) first");
	/* refused before anything was made or signed, nothing moved */
	assert_int_equal(ctx.signs, 0);
	S_assert_head(s, &S_c[2]);
	S_assert_wt("staff/jsmith.yaml", local);
	S_assert_wt("sup.yaml", "organisation: Test\n");
	lock = sup_xasprintf("%sindex.lock", sup_store_gitdir(s));
	assert_int_equal(stat(lock, &st), -1);
	free(lock);

	/* a change staged in the index is someone's work too */
	S_wt_write("sup.yaml", "organisation: Staged\n");
	assert_int_equal(S_run("cd '%s' && git add sup.yaml && git show HEAD:sup.yaml > sup.yaml",
			       S_repo), 0);
	S_assert_wt("sup.yaml", "organisation: Test\n");
	assert_int_equal(sup_store_commit(&out, s, ch, 1, &o), SUP_EINVALID);
	assert_string_equal(sup_error_last(),
			    "sup.yaml: has changes staged in the index; commit or reset them first");
	assert_int_equal(ctx.signs, 0);
	S_assert_head(s, &S_c[2]);
	assert_int_equal(S_run("cd '%s' && git reset -q", S_repo), 0);
	sup_store_free(s);
}

static void test_commit_same_as_working_tree(void **state)
{
	/* the working tree already holds the new contents: not a conflict */
	static const char local[] = "id: jsmith\nname: Jo Smith (local edit)\n";
	const struct sup_change ch[] = {
		{ "staff/jsmith.yaml", local, sizeof(local) - 1 },
	};
	struct sup_store *s = S_open();
	char *status;

	(void)state;
	S_commit_ok(&S_c[3], s, ch, 1, 3, "sup: staff set jsmith");
	status = S_sh("git status --porcelain");
	assert_string_equal(status, "?? notes.txt");
	free(status);
	sup_store_free(s);
}

static void test_commit_locked(void **state)
{
	const struct sup_change ch[] = {
		{ "sup.yaml", "organisation: Locked\n", 21 },
	};
	struct sup_store *s = S_open();
	struct S_ctx ctx;
	struct sup_commit_opts o;
	struct sup_oid out;
	struct timespec t0, t1;
	char *lock, *want;
	struct stat st;
	double waited;

	(void)state;
	lock = sup_xasprintf("%sindex.lock", sup_store_gitdir(s));
	assert_int_equal(sup_write_file(lock, "", 0), 0);
	memset(&ctx, 0, sizeof(ctx));
	o = S_opts(&ctx, 4, "sup: locked");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sup_store_commit(&out, s, ch, 1, &o), SUP_ELOCKED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* it waited for the other writer before giving up */
	assert_true(waited >= 2.0);
	assert_true(waited < 30.0);
	want = sup_xasprintf("%s: another git process seems to be running in this repository; if none is, remove the file and try again",
			     lock);
	assert_string_equal(sup_error_last(), want);
	free(want);
	assert_int_equal(ctx.signs, 0);
	S_assert_head(s, &S_c[3]);
	S_assert_wt("sup.yaml", "organisation: Test\n");
	/* someone else's lock is not ours to remove */
	assert_int_equal(stat(lock, &st), 0);
	assert_int_equal(unlink(lock), 0);
	free(lock);
	sup_store_free(s);
}

static void test_commit_check_refuses(void **state)
{
	const struct sup_change ch[] = {
		{ "sup.yaml", "organisation: Refused\n", 22 },
		{ "records/2026/new.md", "new\n", 4 },
	};
	struct sup_store *s = S_open();
	struct S_ctx ctx;
	struct sup_commit_opts o;
	struct sup_oid out;
	char *lock, *status;
	struct stat st;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.fail_check = 1;
	o = S_opts(&ctx, 4, "sup: refused by check");
	assert_int_equal(sup_store_commit(&out, s, ch, 2, &o), SUP_EBADSIG);
	assert_string_equal(sup_error_last(), "refused by the test's check");
	/* it was signed and checked (a good signature: the check said no) */
	assert_int_equal(ctx.signs, 1);
	assert_int_equal(ctx.checks, 1);
	assert_int_equal(ctx.check_nsigs, 1);
	/* nothing moved: branch, working tree, index, lock */
	S_assert_head(s, &S_c[3]);
	S_assert_rev(&S_c[3], "HEAD");
	S_assert_wt("sup.yaml", "organisation: Test\n");
	S_assert_wt("records/2026/new.md", NULL);
	status = S_sh("git status --porcelain");
	assert_string_equal(status, "?? notes.txt");
	free(status);
	lock = sup_xasprintf("%sindex.lock", sup_store_gitdir(s));
	assert_int_equal(stat(lock, &st), -1);
	free(lock);

	/* the signer failing: the same */
	memset(&ctx, 0, sizeof(ctx));
	ctx.fail_sign = 1;
	o = S_opts(&ctx, 4, "sup: sign refused");
	assert_int_equal(sup_store_commit(&out, s, ch, 2, &o), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), "signing refused by the test");
	assert_int_equal(ctx.checks, 0);
	S_assert_head(s, &S_c[3]);
	S_assert_wt("records/2026/new.md", NULL);
	sup_store_free(s);
}

static void test_commit_add_delete(void **state)
{
	static const char a2[] = "---\nid: a\n---\nFirst record, amended.\n";
	static const char a3[] = "---\nid: a\n---\nBack again.\n";
	const struct sup_change c4[] = {
		{ "records/2026/a.md", a2, sizeof(a2) - 1 },
		{ "records/2026/b.md", "b\n", 2 },
	};
	const struct sup_change c5[] = {
		{ "records/2026/a.md", NULL, 0 },
	};
	const struct sup_change c6[] = {
		{ "records/2026/a.md", a3, sizeof(a3) - 1 },
		{ "records/2027/c.md", "c\n", 2 },
	};
	struct sup_store *s = S_open();
	struct sup_oid blob;
	char *ls;

	(void)state;
	S_commit_ok(&S_c[4], s, c4, 2, 4, "sup: four");
	S_assert_wt("records/2026/a.md", a2);
	S_assert_wt("records/2026/b.md", "b\n");
	S_commit_ok(&S_c[5], s, c5, 1, 5, "sup: five");
	S_assert_wt("records/2026/a.md", NULL);
	assert_int_equal(sup_store_blob_id(&blob, s, &S_c[5], "records/2026/a.md"), SUP_ENOTFOUND);
	ls = S_sh("git ls-files records");
	assert_string_equal(ls, "records/2026/b.md");
	free(ls);
	S_commit_ok(&S_c[6], s, c6, 2, 6, "sup: six");
	S_assert_wt("records/2026/a.md", a3);
	S_assert_wt("records/2027/c.md", "c\n");
	ls = S_sh("git status --porcelain");
	assert_string_equal(ls, "?? notes.txt");
	free(ls);
	sup_store_free(s);
}

/* ---- history ---- */

struct S_hist {
	struct sup_buf text;
	int stop_after, fail_after, calls;
};

static void S_oid_or_dash(struct sup_buf *b, const struct sup_oid *o)
{
	char hex[SUP_OID_HEXSZ + 1];

	if (!o) {
		sup_buf_puts(b, "-");
		return;
	}
	sup_oid_fmt(hex, o);
	sup_buf_put(b, hex, 7);
}

/* The number of the commit (1..6), or 0. */
static int S_num(const struct sup_oid *c)
{
	int i;

	for (i = 1; i <= 6; i++)
		if (sup_oid_equal(c, &S_c[i]))
			return i;
	return 0;
}

static int S_hist_cb(const struct sup_oid *commit, const struct sup_oid *blob,
		     const struct sup_oid *parent_blob, void *payload)
{
	struct S_hist *h = payload;

	h->calls++;
	sup_buf_printf(&h->text, "c%d ", S_num(commit));
	S_oid_or_dash(&h->text, blob);
	sup_buf_putc(&h->text, ' ');
	S_oid_or_dash(&h->text, parent_blob);
	sup_buf_putc(&h->text, '\n');
	if (h->fail_after && h->calls == h->fail_after)
		return SUP_EINVALID;
	return h->stop_after && h->calls == h->stop_after;
}

/* The short id git gives rev, or "-". */
static char *S_short(const char *rev)
{
	return S_sh("git rev-parse --short=7 '%s'", rev);
}

static void test_path_history(void **state)
{
	struct sup_store *s = S_open();
	struct S_hist h;
	char *a1 = S_short("HEAD~5:records/2026/a.md");
	char *a4 = S_short("HEAD~2:records/2026/a.md");
	char *a6 = S_short("HEAD:records/2026/a.md");
	char *k1 = S_short("HEAD~5:staff/akhan.yaml");
	char *k2 = S_short("HEAD~4:staff/akhan.yaml");
	char *want;

	(void)state;
	memset(&h, 0, sizeof(h));
	/* added, changed, deleted, added again: newest first */
	assert_int_equal(sup_path_history(s, &S_c[6], "records/2026/a.md",
						S_hist_cb, &h), 0);
	want = sup_xasprintf("c6 %s -\nc5 - %s\nc4 %s %s\nc1 %s -\n",
			     a6, a4, a4, a1, a1);
	assert_string_equal(sup_buf_cstr(&h.text), want);
	free(want);
	sup_buf_release(&h.text);

	memset(&h, 0, sizeof(h));
	assert_int_equal(sup_path_history(s, &S_c[6], "staff/akhan.yaml",
						S_hist_cb, &h), 0);
	want = sup_xasprintf("c2 %s %s\nc1 %s -\n", k2, k1, k1);
	assert_string_equal(sup_buf_cstr(&h.text), want);
	free(want);
	sup_buf_release(&h.text);

	/* from an older commit: only what it can reach */
	memset(&h, 0, sizeof(h));
	assert_int_equal(sup_path_history(s, &S_c[4], "records/2026/a.md",
						S_hist_cb, &h), 0);
	want = sup_xasprintf("c4 %s %s\nc1 %s -\n", a4, a1, a1);
	assert_string_equal(sup_buf_cstr(&h.text), want);
	free(want);
	sup_buf_release(&h.text);

	/* never there */
	memset(&h, 0, sizeof(h));
	assert_int_equal(sup_path_history(s, &S_c[6], "records/2026/zz.md",
						S_hist_cb, &h), 0);
	assert_int_equal(h.calls, 0);
	/* a path through a file is no path */
	assert_int_equal(sup_path_history(s, &S_c[6], "sup.yaml/x",
						S_hist_cb, &h), 0);
	assert_int_equal(h.calls, 0);

	/*
	 * A directory is not a path with a history here: no commit that
	 * changed a file under records/2026 is reported, the root commit
	 * included (once a bug: it was, with the tree's id as its "blob").
	 */
	{ /* fixed; kept as a guard */
		assert_int_equal(sup_path_history(s, &S_c[6], "records/2026",
							S_hist_cb, &h), 0);
		assert_int_equal(h.calls, 0);
	}

	/* 1 stops, quietly */
	h.stop_after = 1;
	assert_int_equal(sup_path_history(s, &S_c[6], "records/2026/a.md",
						S_hist_cb, &h), 0);
	assert_int_equal(h.calls, 1);
	sup_buf_release(&h.text);
	/* a negative code stops and is passed back */
	memset(&h, 0, sizeof(h));
	h.fail_after = 2;
	assert_int_equal(sup_path_history(s, &S_c[6], "records/2026/a.md",
						S_hist_cb, &h), SUP_EINVALID);
	assert_int_equal(h.calls, 2);
	sup_buf_release(&h.text);

	free(a1);
	free(a4);
	free(a6);
	free(k1);
	free(k2);
	sup_store_free(s);
}

static int S_added_cb(const char *path, const struct sup_oid *commit,
		      time_t committer_time, void *payload)
{
	struct sup_buf *b = payload;
	int n = S_num(commit);

	sup_buf_printf(b, "c%d %s %lld\n", n, path,
		       (long long)(committer_time - S_T0));
	if (!strcmp(path, "records/2027/c.md") && n == 0)
		return SUP_EINVALID;
	return 0;
}

static void test_added_paths(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf b = SUP_BUF_INIT;

	(void)state;
	/* newest first; a path added again after its deletion counts again;
	 * the time is the committer's */
	assert_int_equal(sup_added_paths(s, &S_c[6], NULL, "records",
					       S_added_cb, &b), 0);
	assert_string_equal(sup_buf_cstr(&b),
			    "c6 records/2026/a.md 21630\n"
			    "c6 records/2027/c.md 21630\n"
			    "c4 records/2026/b.md 14430\n"
			    "c1 records/2026/a.md 3630\n");
	sup_buf_truncate(&b, 0);
	/* resuming after c4 */
	assert_int_equal(sup_added_paths(s, &S_c[6], &S_c[4], "records",
					       S_added_cb, &b), 0);
	assert_string_equal(sup_buf_cstr(&b),
			    "c6 records/2026/a.md 21630\n"
			    "c6 records/2027/c.md 21630\n");
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_added_paths(s, &S_c[6], NULL, "staff",
					       S_added_cb, &b), 0);
	assert_string_equal(sup_buf_cstr(&b),
			    "c1 staff/akhan.yaml 3630\n"
			    "c1 staff/jsmith.yaml 3630\n");
	sup_buf_truncate(&b, 0);
	/* nothing new since the tip itself */
	assert_int_equal(sup_added_paths(s, &S_c[6], &S_c[6], "records",
					       S_added_cb, &b), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(sup_added_paths(s, &S_c[6], NULL, "nowhere",
					       S_added_cb, &b), 0);
	assert_int_equal(b.len, 0);
	sup_buf_release(&b);
	sup_store_free(s);
}

static int S_changed_cb(const char *path, char kind, const struct sup_oid *blob,
			const struct sup_oid *parent_blob, void *payload)
{
	struct sup_buf *b = payload;

	sup_buf_printf(b, "%c %s ", kind, path);
	S_oid_or_dash(b, blob);
	sup_buf_putc(b, ' ');
	S_oid_or_dash(b, parent_blob);
	sup_buf_putc(b, '\n');
	return 0;
}

static void test_changed_paths(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf b = SUP_BUF_INIT;
	char *a1 = S_short("HEAD~5:records/2026/a.md");
	char *a4 = S_short("HEAD~2:records/2026/a.md");
	char *a6 = S_short("HEAD:records/2026/a.md");
	char *bb = S_short("HEAD:records/2026/b.md");
	char *cc = S_short("HEAD:records/2027/c.md");
	char *k1 = S_short("HEAD~5:staff/akhan.yaml");
	char *k2 = S_short("HEAD~4:staff/akhan.yaml");
	char *j1 = S_short("HEAD~5:staff/jsmith.yaml");
	char *p1 = S_short("HEAD~5:sup.yaml");
	char *want;

	(void)state;
	/* a root commit: every file added, in tree order */
	assert_int_equal(sup_store_changed_paths(s, &S_c[1], S_changed_cb, &b), 0);
	want = sup_xasprintf("A records/2026/a.md %s -\n"
			     "A staff/akhan.yaml %s -\n"
			     "A staff/jsmith.yaml %s -\n"
			     "A sup.yaml %s -\n", a1, k1, j1, p1);
	assert_string_equal(sup_buf_cstr(&b), want);
	free(want);
	sup_buf_truncate(&b, 0);

	assert_int_equal(sup_store_changed_paths(s, &S_c[2], S_changed_cb, &b), 0);
	want = sup_xasprintf("M staff/akhan.yaml %s %s\n", k2, k1);
	assert_string_equal(sup_buf_cstr(&b), want);
	free(want);
	sup_buf_truncate(&b, 0);

	assert_int_equal(sup_store_changed_paths(s, &S_c[4], S_changed_cb, &b), 0);
	want = sup_xasprintf("M records/2026/a.md %s %s\n"
			     "A records/2026/b.md %s -\n", a4, a1, bb);
	assert_string_equal(sup_buf_cstr(&b), want);
	free(want);
	sup_buf_truncate(&b, 0);

	assert_int_equal(sup_store_changed_paths(s, &S_c[5], S_changed_cb, &b), 0);
	want = sup_xasprintf("D records/2026/a.md - %s\n", a4);
	assert_string_equal(sup_buf_cstr(&b), want);
	free(want);
	sup_buf_truncate(&b, 0);

	assert_int_equal(sup_store_changed_paths(s, &S_c[6], S_changed_cb, &b), 0);
	want = sup_xasprintf("A records/2026/a.md %s -\n"
			     "A records/2027/c.md %s -\n", a6, cc);
	assert_string_equal(sup_buf_cstr(&b), want);
	free(want);

	/* git agrees on the last one */
	{
		char *g = S_sh("git diff-tree --no-commit-id -r --name-status HEAD");

		assert_string_equal(g, "A\trecords/2026/a.md\nA\trecords/2027/c.md");
		free(g);
	}
	sup_buf_release(&b);
	free(a1);
	free(a4);
	free(a6);
	free(bb);
	free(cc);
	free(k1);
	free(k2);
	free(j1);
	free(p1);
	sup_store_free(s);
}

static int S_walk_cb(const struct sup_oid *commit, void *payload)
{
	struct sup_buf *b = payload;

	sup_buf_printf(b, "c%d ", S_num(commit));
	return S_num(commit) == 3 ? 1 : 0;
}

static void test_ancestry_and_walk(void **state)
{
	struct sup_store *s = S_open();
	struct sup_buf b = SUP_BUF_INIT;
	struct sup_commit_info ci;

	(void)state;
	assert_int_equal(sup_store_is_ancestor(s, &S_c[1], &S_c[6]), 1);
	assert_int_equal(sup_store_is_ancestor(s, &S_c[5], &S_c[6]), 1);
	assert_int_equal(sup_store_is_ancestor(s, &S_c[6], &S_c[6]), 1);
	assert_int_equal(sup_store_is_ancestor(s, &S_c[6], &S_c[1]), 0);
	assert_int_equal(sup_store_is_ancestor(s, &S_c[4], &S_c[2]), 0);

	/* newest first, stopping when asked */
	assert_int_equal(sup_walk_all(s, &S_c[6], S_walk_cb, &b), 0);
	assert_string_equal(sup_buf_cstr(&b), "c6 c5 c4 c3 ");
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_walk_all(s, &S_c[2], S_walk_cb, &b), 0);
	assert_string_equal(sup_buf_cstr(&b), "c2 c1 ");
	sup_buf_release(&b);

	assert_int_equal(sup_store_commit_info(&ci, s, &S_c[2]), 0);
	assert_true(sup_oid_equal(&ci.id, &S_c[2]));
	assert_int_equal(ci.nparents, 1);
	assert_true(sup_oid_equal(&ci.parent, &S_c[1]));
	assert_int_equal(ci.author_time, S_T0 + 2 * 3600);
	assert_int_equal(ci.committer_time, S_T0 + 2 * 3600 + 30);
	assert_int_equal(ci.author_offset, 60);
	assert_string_equal(ci.author_name, "Aisha Khan");
	assert_string_equal(ci.author_email, "akhan@example.org");
	assert_string_equal(ci.summary, "sup: staff set akhan");
	sup_commit_info_release(&ci);
	assert_int_equal(sup_store_commit_info(&ci, s, &S_c[1]), 0);
	assert_int_equal(ci.nparents, 0);
	assert_string_equal(ci.summary, "sup: init");
	sup_commit_info_release(&ci);
	sup_store_free(s);
}

/* ---- another writer moving the branch while we sign ---- */

/* A shell command making a commit on top of HEAD that sets path to text,
 * through a private index, and moving the branch to it. */
static char *S_other_writer(const char *path, const char *text)
{
	return sup_xasprintf(
		"cd '%s' && export GIT_INDEX_FILE='%s/other.index' "
		"GIT_AUTHOR_NAME=Other GIT_AUTHOR_EMAIL=o@example.org "
		"GIT_COMMITTER_NAME=Other GIT_COMMITTER_EMAIL=o@example.org "
		"GIT_AUTHOR_DATE='@%d +0000' GIT_COMMITTER_DATE='@%d +0000' && "
		"t=$(git rev-parse HEAD) && git read-tree $t && "
		"b=$(printf '%s' | git hash-object -w --stdin) && "
		"git update-index --add --cacheinfo 100644,$b,%s && "
		"c=$(git commit-tree $(git write-tree) -p $t -m other) && "
		"git update-ref HEAD $c $t && rm -f '%s/other.index'",
		S_repo, S_dir, S_T0 + 7 * 3600, S_T0 + 7 * 3600, text, path, S_dir);
}

static void test_commit_branch_moved(void **state)
{
	static const char mine[] = "organisation: Mine\n";
	const struct sup_change ch[] = {
		{ "sup.yaml", mine, sizeof(mine) - 1 },
	};
	struct sup_store *s = S_open();
	struct S_ctx ctx;
	struct sup_commit_opts o;
	struct sup_oid out, *parents = NULL, theirs;
	size_t np = 0;
	struct sup_buf b = SUP_BUF_INIT;
	char *status;

	(void)state;
	/* they change another file: ours is rebuilt on theirs, signed again */
	memset(&ctx, 0, sizeof(ctx));
	ctx.on_sign = S_other_writer("other.txt", "theirs\n");
	o = S_opts(&ctx, 8, "sup: after another writer");
	if (sup_store_commit(&out, s, ch, 1, &o) != 0)
		fail_msg("commit: %s", sup_error_last());
	free(ctx.on_sign);
	assert_int_equal(ctx.signs, 2);
	assert_int_equal(ctx.checks, 2);
	S_assert_head(s, &out);
	S_assert_rev(&out, "HEAD");
	assert_int_equal(sup_store_commit_parents(&parents, &np, s, &out), 0);
	assert_int_equal(np, 1);
	theirs = parents[0];
	free(parents);
	assert_false(sup_oid_equal(&theirs, &S_c[6]));
	S_assert_rev(&theirs, "HEAD~1");
	assert_int_equal(sup_store_read(&b, NULL, s, &out, "other.txt"), 0);
	assert_string_equal(sup_buf_cstr(&b), "theirs\n");
	sup_buf_truncate(&b, 0);
	assert_int_equal(sup_store_read(&b, NULL, s, &out, "sup.yaml"), 0);
	assert_string_equal(sup_buf_cstr(&b), mine);
	sup_buf_release(&b);
	S_assert_wt("sup.yaml", mine);

	/* they change our file: refused, theirs stays */
	memset(&ctx, 0, sizeof(ctx));
	ctx.on_sign = S_other_writer("sup.yaml", "organisation: Theirs\n");
	o = S_opts(&ctx, 9, "sup: conflicting");
	{
		const struct sup_change ch2[] = {
			{ "sup.yaml", "organisation: Mine again\n", 25 },
		};

		assert_int_equal(sup_store_commit(&out, s, ch2, 1, &o), SUP_ELOCKED);
	}
	free(ctx.on_sign);
	assert_string_equal(sup_error_last(),
			    "someone else changed sup.yaml meanwhile; nothing was committed: look at their change and try again");
	assert_int_equal(ctx.signs, 1);
	status = S_sh("git show HEAD:sup.yaml");
	assert_string_equal(status, "organisation: Theirs");
	free(status);
	/* put the tree back in step with the branch for what follows */
	assert_int_equal(S_run("cd '%s' && git reset -q --hard", S_repo), 0);
	sup_store_free(s);
}

/* ---- GIT_*_DATE ---- */

static void S_env_time_ok(const char *value, time_t want, int want_offset)
{
	time_t when = 0;
	int offset = -9999;

	setenv("SUP_TEST_DATE", value, 1);
	if (sup_store_env_time(&when, &offset, "SUP_TEST_DATE") != 0)
		fail_msg("'%s' refused: %s", value, sup_error_last());
	assert_int_equal(when, want);
	assert_int_equal(offset, want_offset);
}

static void S_env_time_bad(const char *value)
{
	time_t when = 0;
	int offset = 0;
	char *want = sup_xasprintf("SUP_TEST_DATE='%s' is not a date git understands (use \"@EPOCH +0000\" or \"YYYY-MM-DDTHH:MM:SSZ\")",
				   value);

	setenv("SUP_TEST_DATE", value, 1);
	assert_int_equal(sup_store_env_time(&when, &offset, "SUP_TEST_DATE"), SUP_EINVALID);
	assert_string_equal(sup_error_last(), want);
	free(want);
}

static void test_env_time(void **state)
{
	time_t when = 0, before;
	int offset = -1;

	(void)state;
	S_env_time_ok("@1700000000 +0100", 1700000000, 60);
	S_env_time_ok("@1700000000", 1700000000, 0);
	S_env_time_ok("1700000000 -0230", 1700000000, -150);
	S_env_time_ok("@1700000000 +05:30", 1700000000, 330);
	S_env_time_ok("2026-11-23T10:00:00Z", 1795428000, 0);
	S_env_time_ok("2026-11-23 10:00:00 +0200", 1795420800, 120);
	S_env_time_ok("2026-11-23T10:00:00+05:30", 1795408200, 330);
	S_env_time_ok("2026-11-23T10:00:00", 1795428000, 0);
	S_env_time_ok("2026-01-01T00:00:00-0100", S_T0 + 3600, -60);

	S_env_time_bad("yesterday");
	S_env_time_bad("@");
	S_env_time_bad("@abc");
	S_env_time_bad("@1700000000 +01");
	S_env_time_bad("@1700000000 0100");
	S_env_time_bad("2026-13-01T00:00:00Z");
	S_env_time_bad("2026-11-23T24:00:00Z");
	S_env_time_bad("2026-11-23T10:00:00 junk");
	S_env_time_bad("2026-11-23");
	S_env_time_bad("2026-11-23X10:00:00Z");
	/*
	 * Once bugs in lib/store.c sup_store_env_time: a day the month does
	 * not have was taken (2026-02-31 became 2026-03-03), and so was a zone
	 * offset of more than a day ("+9999" was 6039 minutes).
	 */
	{ /* fixed; kept as a guard */
		S_env_time_bad("2026-02-31T00:00:00Z");
		S_env_time_bad("@1700000000 +9999");
	}

	/* unset or empty: now, in UTC */
	unsetenv("SUP_TEST_DATE");
	before = time(NULL);
	assert_int_equal(sup_store_env_time(&when, &offset, "SUP_TEST_DATE"), 0);
	assert_true(when >= before && when <= time(NULL));
	assert_int_equal(offset, 0);
	setenv("SUP_TEST_DATE", "", 1);
	offset = -1;
	assert_int_equal(sup_store_env_time(&when, &offset, "SUP_TEST_DATE"), 0);
	assert_true(when >= before && when <= time(NULL));
	assert_int_equal(offset, 0);
	unsetenv("SUP_TEST_DATE");
}

/* ---- git's view of the whole ---- */

static void test_git_fsck_and_signatures(void **state)
{
	char *v;

	(void)state;
	assert_int_equal(S_run("cd '%s' && git fsck --strict --no-progress >/dev/null 2>&1",
			       S_repo), 0);
	/* every commit sup made is signed, and good by git's own check */
	v = S_sh("git -c gpg.ssh.allowedSignersFile='%s/allowed_signers' log "
		  "--author=akhan --format=%%G? | sort | uniq -c | sed 's/^ *//'", S_dir);
	assert_string_equal(v, "7 G");
	free(v);
	/* and those of the other writer are not signed */
	v = S_sh("git log --author=Other --format=%%G? | sort | uniq -c | sed 's/^ *//'");
	assert_string_equal(v, "2 N");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_oid_parse_before_init),
		T(test_init),
		T(test_init_default_branch),
		T(test_oid),
		T(test_root_commit),
		T(test_read),
		T(test_list),
		T(test_commit_leaves_other_files),
		T(test_commit_refuses_uncommitted_work),
		T(test_commit_same_as_working_tree),
		T(test_commit_locked),
		T(test_commit_check_refuses),
		T(test_commit_add_delete),
		T(test_path_history),
		T(test_added_paths),
		T(test_changed_paths),
		T(test_ancestry_and_walk),
		T(test_commit_branch_moved),
		T(test_env_time),
		T(test_git_fsck_and_signatures),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
