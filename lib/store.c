/* store: the repository through libgit2 (see store.h). */
#include "store.h"
#include "gitindex.h"

#include <git2.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Bytes of pack files kept mapped at once, in windows of this size (see
 * S_wrap); libgit2's default window is 1 GiB, a whole pack. */
#define S_MAPPED_LIMIT (96u << 20)
#define S_WINDOW_SIZE (16u << 20)

struct sup_store {
	git_repository *repo;
	git_odb *odb;		/* for raw reads; taken when first needed */
	char *workdir;
	char *gitdir;
};

static int S_lookup_path(git_oid *out, unsigned *mode, struct sup_store *s,
			 const git_oid *root, const char *path);

static int S_git_error(int code, const char *what)
{
	const git_error *e = git_error_last();

	return sup_error_set(code, "%s: %s", what,
			     e && e->message ? e->message : "libgit2 error");
}

void sup_oid_fmt(char out[SUP_OID_HEXSZ + 1], const struct sup_oid *oid)
{
	git_oid_tostr(out, SUP_OID_HEXSZ + 1, (const git_oid *)oid->id);
}

int sup_oid_parse(struct sup_oid *out, const char *hex)
{
	git_oid o;
	int bad;

	/* libgit2 records its error even here: it must be initialised */
	git_libgit2_init();
	bad = strlen(hex) != SUP_OID_HEXSZ || git_oid_fromstr(&o, hex) < 0;
	git_libgit2_shutdown();
	if (bad)
		return sup_error_set(SUP_EINVALID, "'%s' is not an object id", hex);
	memcpy(out->id, o.id, sizeof(out->id));
	return 0;
}

int sup_oid_equal(const struct sup_oid *a, const struct sup_oid *b)
{
	return memcmp(a->id, b->id, sizeof(a->id)) == 0;
}

int sup_oid_is_zero(const struct sup_oid *oid)
{
	static const struct sup_oid zero;

	return sup_oid_equal(oid, &zero);
}

static void S_to_git(git_oid *g, const struct sup_oid *o)
{
	memcpy(g->id, o->id, sizeof(o->id));
}

static void S_from_git(struct sup_oid *o, const git_oid *g)
{
	memcpy(o->id, g->id, sizeof(o->id));
}

static struct sup_store *S_wrap(git_repository *repo)
{
	/*
	 * libgit2 keeps up to 8 GiB of pack files mapped on 64-bit systems,
	 * in windows of 1 GiB, and every page a walk touches stays resident:
	 * a history of 300,000 commits read once put sup over 1 GiB.  With
	 * smaller windows, those beyond the limit are unmapped least recently
	 * used first.
	 */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)S_WINDOW_SIZE);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)S_MAPPED_LIMIT);


	struct sup_store *s = sup_xcalloc(1, sizeof(*s));

	s->repo = repo;
	s->workdir = sup_xstrdup(git_repository_workdir(repo));
	s->gitdir = sup_xstrdup(git_repository_path(repo));
	return s;
}

int sup_store_open(struct sup_store **out, const char *path)
{
	git_repository *repo = NULL;
	char cwd[4096];
	int error;

	*out = NULL;
	git_libgit2_init();
	if (!path)
		path = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	error = git_repository_open_ext(&repo, path, 0, NULL);
	if (error == GIT_ENOTFOUND) {
		git_libgit2_shutdown();
		return sup_error_set(SUP_ERROR,
				     "not a git repository: %s (run 'sup init' to make one, or use -C DIR)",
				     path);
	}
	if (error < 0) {
		S_git_error(SUP_ERROR, path);
		git_libgit2_shutdown();
		return SUP_ERROR;
	}
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		git_libgit2_shutdown();
		return sup_error_set(SUP_ERROR,
				     "%s: a bare repository has no working tree; run sup in a clone",
				     path);
	}
	*out = S_wrap(repo);
	return 0;
}

int sup_store_open_here(struct sup_store **out, const char *path)
{
	git_repository *repo = NULL;

	*out = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		git_libgit2_shutdown();
		return sup_error_set(SUP_ENOTFOUND, "%s: no repository here", path);
	}
	*out = S_wrap(repo);
	return 0;
}

int sup_store_init(struct sup_store **out, const char *path)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;

	*out = NULL;
	git_libgit2_init();
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	/* git's init.defaultBranch when set, else "main" (store.h) */
	{
		git_config *cfg = NULL, *snap = NULL;
		const char *v = NULL;

		if (git_config_open_default(&cfg) < 0 ||
		    git_config_snapshot(&snap, cfg) < 0 ||
		    git_config_get_string(&v, snap, "init.defaultBranch") < 0 || !v || !*v)
			opts.initial_head = "main";
		git_config_free(snap);
		git_config_free(cfg);
		git_error_clear();
	}
	if (git_repository_init_ext(&repo, path, &opts) < 0) {
		if (git_error_last() && git_error_last()->klass == GIT_ERROR_REPOSITORY)
			S_git_error(SUP_EEXISTS, path);
		else
			S_git_error(SUP_ERROR, path);
		git_libgit2_shutdown();
		return sup_error_code();
	}
	*out = S_wrap(repo);
	return 0;
}

void sup_store_free(struct sup_store *s)
{
	if (!s)
		return;
	git_odb_free(s->odb);
	git_repository_free(s->repo);
	free(s->workdir);
	free(s->gitdir);
	free(s);
	git_libgit2_shutdown();
}

const char *sup_store_workdir(const struct sup_store *s)
{
	return s->workdir;
}

const char *sup_store_gitdir(const struct sup_store *s)
{
	return s->gitdir;
}

int sup_store_raw_read(struct sup_raw *out, struct sup_store *s,
		       const struct sup_oid *id, int flags)
{
	git_odb_object *obj = NULL;
	git_oid oid;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s->odb && git_repository_odb(&s->odb, s->repo) < 0)
		return S_git_error(SUP_ERROR, "object database");
	S_to_git(&oid, id);
	/*
	 * A walk reads every commit once and only looks at ids: keeping
	 * each object in libgit2's cache only grows memory (to 256 MiB on a
	 * large history), and re-hashing each one was a third of the time.
	 * git does neither on its walks (only fsck re-hashes).  Both are
	 * process-wide switches in libgit2, so they are set around this one
	 * read and put back; sup is single-threaded.
	 */
	if (flags & SUP_RAW_WALK) {
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	}
	rc = git_odb_read(&obj, s->odb, &oid);
	if (flags & SUP_RAW_WALK) {
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	}
	if (rc < 0)
		return S_git_error(rc == GIT_ENOTFOUND ? SUP_ENOTFOUND : SUP_ERROR,
				   "reading object");
	out->data = git_odb_object_data(obj);
	out->len = git_odb_object_size(obj);
	switch (git_odb_object_type(obj)) {
	case GIT_OBJECT_COMMIT: out->type = SUP_OBJ_COMMIT; break;
	case GIT_OBJECT_TREE: out->type = SUP_OBJ_TREE; break;
	case GIT_OBJECT_BLOB: out->type = SUP_OBJ_BLOB; break;
	default: out->type = SUP_OBJ_OTHER; break;
	}
	out->obj = obj;
	return 0;
}

int sup_tree_next(struct sup_tree_entry *e, const unsigned char **p,
		  const unsigned char *end)
{
	const unsigned char *sp, *nul, *m;
	unsigned long mode = 0;

	if (*p >= end)
		return 0;
	sp = memchr(*p, ' ', (size_t)(end - *p));
	nul = sp ? memchr(sp, '\0', (size_t)(end - sp)) : NULL;
	if (!sp || !nul || end - nul < 21 || sp - *p > 7)
		return 0;
	/* the mode in octal ("40000" for a directory; old tools wrote
	 * "040000"), read as git does */
	for (m = *p; m < sp; m++) {
		if (*m < '0' || *m > '7')
			return 0;
		mode = mode << 3 | (unsigned long)(*m - '0');
	}
	e->is_tree = (mode & 0170000) == 0040000;
	e->mode = (unsigned)mode;
	e->name = (const char *)sp + 1;
	e->nlen = (size_t)(nul - sp - 1);
	e->id = nul + 1;
	*p = nul + 21;
	return 1;
}

void sup_raw_release(struct sup_raw *r)
{
	if (!r)
		return;
	git_odb_object_free(r->obj);
	memset(r, 0, sizeof(*r));
}

/* The branch HEAD names ("refs/heads/main"); caller frees. */
static int S_head_branch(char **out, struct sup_store *s)
{
	git_reference *head = NULL;
	int error;

	*out = NULL;
	if ((error = git_reference_lookup(&head, s->repo, "HEAD")) < 0)
		return S_git_error(SUP_ERROR, "HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		return sup_error_set(SUP_ERROR,
				     "HEAD is detached: check out the records branch first (git switch main)");
	}
	*out = sup_xstrdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	return 0;
}

/* The tip of branch, or SUP_ENOTFOUND when it is unborn. */
static int S_branch_tip(struct sup_oid *out, struct sup_store *s,
			const char *branch)
{
	git_oid oid;
	int error = git_reference_name_to_id(&oid, s->repo, branch);

	if (error == GIT_ENOTFOUND)
		return sup_error_set(SUP_ENOTFOUND, "%s has no commits yet", branch);
	if (error < 0)
		return S_git_error(SUP_ERROR, branch);
	S_from_git(out, &oid);
	return 0;
}

int sup_store_head(struct sup_oid *out, struct sup_store *s)
{
	char *branch;
	int error;

	if ((error = S_head_branch(&branch, s)) < 0)
		return error;
	error = S_branch_tip(out, s, branch);
	free(branch);
	return error;
}

int sup_store_resolve(struct sup_oid *out, struct sup_store *s, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int error;

	error = git_revparse_single(&obj, s->repo, rev);
	if (error == GIT_ENOTFOUND || error == GIT_EINVALIDSPEC || error == GIT_EAMBIGUOUS)
		return sup_error_set(SUP_ENOTFOUND, "unknown revision '%s'", rev);
	if (error < 0)
		return S_git_error(SUP_ERROR, rev);
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return sup_error_set(SUP_ENOTFOUND, "'%s' is not a commit", rev);
	}
	S_from_git(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

/* The tree of a commit, from its first header line. */
static int S_commit_tree_id(git_oid *out, struct sup_store *s, const struct sup_oid *commit)
{
	struct sup_raw raw;
	char hex[SUP_OID_HEXSZ + 1];
	int bad;

	if ((bad = sup_store_raw_read(&raw, s, commit, 0)) < 0)
		return bad;
	bad = raw.type != SUP_OBJ_COMMIT || raw.len < 46 ||
	      memcmp(raw.data, "tree ", 5) || raw.data[45] != '\n';
	if (!bad) {
		memcpy(hex, raw.data + 5, SUP_OID_HEXSZ);
		hex[SUP_OID_HEXSZ] = '\0';
		bad = git_oid_fromstr(out, hex) < 0;
	}
	sup_raw_release(&raw);
	return bad ? sup_error_set(SUP_ERROR, "reading commit: a damaged commit object (run 'git fsck')") : 0;
}

int sup_store_blob_id(struct sup_oid *out, struct sup_store *s,
		      const struct sup_oid *commit, const char *path)
{
	git_oid root, found;
	unsigned mode = 0;
	int error;

	if ((error = S_commit_tree_id(&root, s, commit)) < 0)
		return error;
	if ((error = S_lookup_path(&found, &mode, s, &root, path)) < 0)
		return error;
	/* a file: a blob (not a directory, a link or a submodule) */
	if (!error || ((mode & 0170000) != 0100000))
		return sup_error_set(SUP_ENOTFOUND, "%s: no such file", path);
	S_from_git(out, &found);
	return 0;
}

int sup_store_tree_id(struct sup_oid *out, struct sup_store *s,
		      const struct sup_oid *commit, const char *path)
{
	git_commit *c = NULL;
	git_oid oid, found;
	int error;

	S_to_git(&oid, commit);
	if (git_commit_lookup(&c, s->repo, &oid) < 0)
		return S_git_error(SUP_ERROR, "reading commit");
	if (!*path) {
		S_from_git(out, git_commit_tree_id(c));
		git_commit_free(c);
		return 0;
	}
	{
		unsigned mode = 0;

		error = S_lookup_path(&found, &mode, s, git_commit_tree_id(c), path);
	}
	git_commit_free(c);
	if (error < 0)
		return error;
	if (error == 0)
		return sup_error_set(SUP_ENOTFOUND, "%s: not found", path);
	S_from_git(out, &found);
	return 0;
}

/* Append an object's bytes to out; type GIT_OBJECT_ANY accepts any. */
static int S_odb_read(struct sup_buf *out, struct sup_store *s,
		      const struct sup_oid *id, git_object_t type, const char *what)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_oid oid;
	int error = 0;

	S_to_git(&oid, id);
	if (git_repository_odb(&odb, s->repo) < 0)
		return S_git_error(SUP_ERROR, "object database");
	if (git_odb_read(&obj, odb, &oid) < 0)
		error = S_git_error(SUP_ERROR, what);
	else if (type != GIT_OBJECT_ANY && git_odb_object_type(obj) != type)
		error = sup_error_set(SUP_EINVALID, "%s: object is of the wrong type", what);
	else
		sup_buf_put(out, git_odb_object_data(obj), git_odb_object_size(obj));
	git_odb_object_free(obj);
	git_odb_free(odb);
	return error;
}

int sup_store_blob_read(struct sup_buf *out, struct sup_store *s,
			const struct sup_oid *blob)
{
	return S_odb_read(out, s, blob, GIT_OBJECT_BLOB, "reading blob");
}

int sup_store_read(struct sup_buf *out, struct sup_oid *blob_out,
		   struct sup_store *s, const struct sup_oid *commit,
		   const char *path)
{
	struct sup_oid blob;
	int error;

	if ((error = sup_store_blob_id(&blob, s, commit, path)) < 0)
		return error;
	if (blob_out)
		*blob_out = blob;
	return sup_store_blob_read(out, s, &blob);
}

int sup_store_list(struct sup_entry **out, size_t *n, struct sup_store *s,
		   const struct sup_oid *commit, const char *dir)
{
	struct sup_oid tree;
	struct sup_raw raw;
	struct sup_tree_entry te;
	const unsigned char *p, *end;
	size_t cap = 0;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = sup_store_tree_id(&tree, s, commit, dir)) < 0) {
		if (error != SUP_ENOTFOUND)
			return error;
		sup_error_clear();
		return 0;	/* no such directory: nothing in it */
	}
	/* read in place, not as a libgit2 tree: cases/ holds tens of
	 * thousands of entries and is listed by most commands */
	if ((error = sup_store_raw_read(&raw, s, &tree, SUP_RAW_WALK)) < 0)
		return error;
	p = raw.data;
	end = p + raw.len;
	while (raw.type == SUP_OBJ_TREE && sup_tree_next(&te, &p, end)) {
		struct sup_entry *e;

		if (memchr(te.name, '\0', te.nlen))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = sup_xrealloc(*out, cap * sizeof(**out));
		}
		e = &(*out)[(*n)++];
		e->name = sup_xstrndup(te.name, te.nlen);
		memcpy(e->blob.id, te.id, 20);
		e->is_dir = te.is_tree;
	}
	sup_raw_release(&raw);
	if (!*out)
		*out = sup_xcalloc(1, sizeof(**out));
	return 0;
}

void sup_entries_free(struct sup_entry *e, size_t n)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

int sup_store_config(char **out, struct sup_store *s, const char *key)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	int error;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return S_git_error(SUP_ERROR, "reading git configuration");
	error = git_config_get_string(&v, cfg, key);
	if (error == GIT_ENOTFOUND) {
		error = sup_error_set(SUP_ENOTFOUND, "git config %s is not set", key);
	} else if (error < 0) {
		error = S_git_error(SUP_ERROR, key);
	} else {
		*out = sup_xstrdup(v);
	}
	git_config_free(cfg);
	return error;
}

int sup_store_config_set(struct sup_store *s, const char *key, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int error = 0;

	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, key, value) < 0)
		error = S_git_error(SUP_ERROR, key);
	git_config_free(local);
	git_config_free(cfg);
	return error;
}

int sup_store_commit_raw(struct sup_buf *out, struct sup_store *s,
			 const struct sup_oid *commit)
{
	return S_odb_read(out, s, commit, GIT_OBJECT_COMMIT, "reading commit");
}

int sup_store_commit_parents(struct sup_oid **parents, size_t *n,
			     struct sup_store *s, const struct sup_oid *commit)
{
	git_commit *c = NULL;
	git_oid oid;
	unsigned int i, count;

	*parents = NULL;
	*n = 0;
	S_to_git(&oid, commit);
	if (git_commit_lookup(&c, s->repo, &oid) < 0)
		return S_git_error(SUP_ERROR, "reading commit");
	count = git_commit_parentcount(c);
	*parents = sup_xcalloc(count ? count : 1, sizeof(**parents));
	for (i = 0; i < count; i++)
		S_from_git(&(*parents)[i], git_commit_parent_id(c, i));
	*n = count;
	git_commit_free(c);
	return 0;
}

/* ---- time of GIT_AUTHOR_DATE / GIT_COMMITTER_DATE ---- */

static long long S_days_from_civil(int y, int m, int d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int S_parse_tz(int *offset, const char *p)
{
	int sign, hh, mm;

	while (*p == ' ')
		p++;
	if (*p == 'Z' && !p[1]) {
		*offset = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (!((strlen(p) == 5 && sscanf(p, "%2d:%2d", &hh, &mm) == 2) ||
	      (strlen(p) == 4 && sscanf(p, "%2d%2d", &hh, &mm) == 2)))
		return -1;
	/* real zones run from -12:00 to +14:00 */
	if (hh < 0 || hh > 14 || mm < 0 || mm > 59)
		return -1;
	*offset = sign * (hh * 60 + mm);
	return 0;
}

int sup_store_env_time(time_t *when, int *offset, const char *envname)
{
	const char *v = getenv(envname);
	int y, mo, d, h, mi, sec, n = 0;
	long long epoch;
	char sep;

	*offset = 0;
	if (!v || !*v) {
		*when = time(NULL);
		return 0;
	}
	if (*v == '@' || (sscanf(v, "%lld%n", &epoch, &n) == 1 && v[n] == ' ')) {
		const char *p = v + (*v == '@');

		n = 0;
		if (sscanf(p, "%lld%n", &epoch, &n) != 1)
			goto bad;
		p += n;
		if (*p && S_parse_tz(offset, p) < 0)
			goto bad;
		*when = (time_t)epoch;
		return 0;
	}
	n = 0;
	if (sscanf(v, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi,
		   &sec, &n) == 7 && (sep == 'T' || sep == ' ')) {
		if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 ||
		    d > (mo == 2 ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28) :
			 (mo == 4 || mo == 6 || mo == 9 || mo == 11) ? 30 : 31))
			goto bad;
		if (v[n] && S_parse_tz(offset, v + n) < 0)
			goto bad;
		*when = (time_t)(S_days_from_civil(y, mo, d) * 86400LL +
				 h * 3600 + mi * 60 + sec - *offset * 60LL);
		return 0;
	}
bad:
	return sup_error_set(SUP_EINVALID,
			     "%s='%s' is not a date git understands (use \"@EPOCH +0000\" or \"YYYY-MM-DDTHH:MM:SSZ\")",
			     envname, v);
}

/* ---- writing ---- */

/* Take git's index.lock, waiting a little for another writer. */
static int S_lock_index(char **lockpath, struct sup_store *s)
{
	char *path = sup_xasprintf("%sindex.lock", s->gitdir);
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int i, fd = -1;

	for (i = 0; i < 60; i++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
		nanosleep(&pause, NULL);
	}
	if (fd < 0) {
		int e = errno;

		sup_error_set(e == EEXIST ? SUP_ELOCKED : SUP_ERROR,
			      e == EEXIST ?
			      "%s: another git process seems to be running in this repository; if none is, remove the file and try again" :
			      "%s: %s", path, strerror(e));
		free(path);
		return sup_error_code();
	}
	close(fd);
	*lockpath = path;
	return 0;
}

static int S_hash_buf(git_oid *out, const char *data, size_t len)
{
	return git_odb_hash(out, data, len, GIT_OBJECT_BLOB);
}

/* Refuse to overwrite uncommitted work in a changed path. */
/* The index a write reads and updates: git's file edited in place
 * (gitindex.c), or for forms it leaves alone, libgit2's copy. */
struct S_index {
	struct sup_gitindex *gix;
	git_index *lg;
	char *tmp;		/* where the new index is written first */
};

/* The id staged for path, or NULL. */
static const unsigned char *S_index_staged(const struct S_index *ix, const char *path)
{
	const git_index_entry *ie;

	if (ix->gix)
		return sup_gitindex_get(ix->gix, path);
	ie = ix->lg ? git_index_get_bypath(ix->lg, path, 0) : NULL;
	return ie ? ie->id.id : NULL;
}

static int S_check_clean(struct sup_store *s, const struct S_index *index,
			 const struct sup_oid *tip, const struct sup_change *c)
{
	git_oid old, new_oid, have;
	struct sup_oid o;
	int has_old = 0;
	char *full;
	struct stat st;
	const unsigned char *staged;

	if (tip && sup_store_blob_id(&o, s, tip, c->path) == 0) {
		S_to_git(&old, &o);
		has_old = 1;
	}
	sup_error_clear();
	if (c->data)
		S_hash_buf(&new_oid, c->data, c->len);
	full = sup_xasprintf("%s%s", s->workdir, c->path);
	if (lstat(full, &st) == 0) {
		if (!S_ISREG(st.st_mode) ||
		    git_odb_hashfile(&have, full, GIT_OBJECT_BLOB) < 0 ||
		    !((has_old && git_oid_equal(&have, &old)) ||
		      (c->data && git_oid_equal(&have, &new_oid)))) {
			free(full);
			return sup_error_at(SUP_EINVALID, c->path, 0, 0,
					    "has uncommitted changes in the working tree; commit them (git commit -S) or put them aside (git stash) first");
		}
	}
	free(full);
	if ((staged = S_index_staged(index, c->path)) != NULL) {
		if (!((has_old && !memcmp(staged, old.id, 20)) ||
		      (c->data && !memcmp(staged, new_oid.id, 20))))
			return sup_error_at(SUP_EINVALID, c->path, 0, 0,
					    "has changes staged in the index; commit or reset them first");
	}
	return 0;
}

/* Build the new tree and commit object, sign and check it; *out is the
 * stored commit. */
/* git's order of tree entries: by name, a directory's as if it ended in
 * '/' (so "a-b" < "a/" < "a0"). */
static int S_tree_cmp(const char *a, size_t alen, int atree,
		      const char *b, size_t blen, int btree)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n), ca, cb;

	if (c)
		return c;
	ca = alen > n ? (unsigned char)a[n] : atree ? '/' : 0;
	cb = blen > n ? (unsigned char)b[n] : btree ? '/' : 0;
	return ca - cb;
}

/*
 * Write the tree base (NULL: none) with the file at path set to blob
 * (NULL: removed): *out, and *empty when nothing is left in it.  The
 * raw tree is spliced: the entries before and after the one that
 * changes are copied as they are, so a year of 10,000 records is not
 * built into a libgit2 tree and written back entry by entry.
 * SUP_ENOTFOUND when path meets a file where a directory should be, or
 * the reverse: the caller leaves that to libgit2.
 */
static int S_tree_put(git_oid *out, int *empty, struct sup_store *s,
		      const struct sup_oid *base, const char *path, const git_oid *blob)
{
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : strlen(path);
	const unsigned char *p = NULL, *end = NULL, *at, *after;
	struct sup_raw raw;
	struct sup_tree_entry e;
	struct sup_buf buf = SUP_BUF_INIT;
	struct sup_oid old;
	int error = 0, have = 0, old_tree = 0;

	memset(&raw, 0, sizeof(raw));
	if (!s->odb && git_repository_odb(&s->odb, s->repo) < 0)
		return S_git_error(SUP_ERROR, "object database");
	if (base) {
		if ((error = sup_store_raw_read(&raw, s, base, 0)) < 0)
			return error;
		if (raw.type != SUP_OBJ_TREE) {
			error = sup_error_set(SUP_ERROR, "a tree is not a tree (run 'git fsck')");
			goto out;
		}
		p = raw.data;
		end = p + raw.len;
	}
	at = after = end;
	while (p < end) {
		const unsigned char *start = p;

		if (!sup_tree_next(&e, &p, end)) {
			error = sup_error_set(SUP_ERROR, "a damaged tree object (run 'git fsck')");
			goto out;
		}
		if (e.nlen == len && !memcmp(e.name, path, len)) {
			have = 1;
			old_tree = e.is_tree;
			memcpy(old.id, e.id, 20);
			at = start;
			after = p;
			break;
		}
		if (S_tree_cmp(e.name, e.nlen, e.is_tree, path, len, slash != NULL) > 0) {
			at = after = start;
			break;
		}
	}
	if (have && old_tree != (slash != NULL)) {
		error = SUP_ENOTFOUND;
		goto out;
	}
	if (base)
		sup_buf_put(&buf, raw.data, (size_t)(at - (const unsigned char *)raw.data));
	if (slash) {
		git_oid sub;
		int sub_empty = 0;

		if (!have && !blob)
			goto unchanged;
		if ((error = S_tree_put(&sub, &sub_empty, s, have ? &old : NULL,
					slash + 1, blob)) < 0)
			goto out;
		if (!sub_empty) {
			sup_buf_printf(&buf, "40000 %.*s", (int)len, path);
			sup_buf_putc(&buf, '\0');
			sup_buf_put(&buf, sub.id, 20);
		}
	} else if (blob) {
		sup_buf_printf(&buf, "100644 %.*s", (int)len, path);
		sup_buf_putc(&buf, '\0');
		sup_buf_put(&buf, blob->id, 20);
	} else if (!have) {
		goto unchanged;
	}
	if (base)
		sup_buf_put(&buf, after, (size_t)(end - after));
	*empty = buf.len == 0;
	if (git_odb_write(out, s->odb, buf.ptr ? buf.ptr : "", buf.len, GIT_OBJECT_TREE) < 0)
		error = S_git_error(SUP_ERROR, "writing tree");
	goto out;
unchanged:
	/* removing what is not there */
	*empty = !base || raw.len == 0;
	if (base)
		S_to_git(out, base);
	else if (git_odb_write(out, s->odb, "", 0, GIT_OBJECT_TREE) < 0)
		error = S_git_error(SUP_ERROR, "writing tree");
out:
	sup_raw_release(&raw);
	sup_buf_release(&buf);
	return error;
}

static int S_make_commit(git_oid *out, struct sup_store *s,
			 const struct sup_oid *tip,
			 const struct sup_change *changes, size_t n,
			 const struct sup_commit_opts *opts)
{
	git_tree_update *upd = sup_xcalloc(n ? n : 1, sizeof(*upd));
	git_tree *base = NULL, *tree = NULL;
	git_commit *parent = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_buf content;
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	struct sup_buf sig = SUP_BUF_INIT;
	git_oid tree_oid, parent_oid;
	const git_commit *parents[1];
	size_t i;
	int error = 0;

	memset(&content, 0, sizeof(content));
	if (tip) {
		S_to_git(&parent_oid, tip);
		if (git_commit_lookup(&parent, s->repo, &parent_oid) < 0 ||
		    git_commit_tree(&base, parent) < 0) {
			error = S_git_error(SUP_ERROR, "reading branch tip");
			goto out;
		}
	}
	/* a root commit has no baseline: libgit2 builds from nothing */
	for (i = 0; i < n; i++) {
		upd[i].path = changes[i].path;
		if (changes[i].data) {
			upd[i].action = GIT_TREE_UPDATE_UPSERT;
			upd[i].filemode = GIT_FILEMODE_BLOB;
			if (git_blob_create_from_buffer(&upd[i].id, s->repo,
							changes[i].data, changes[i].len) < 0) {
				error = S_git_error(SUP_ERROR, changes[i].path);
				goto out;
			}
		} else {
			upd[i].action = GIT_TREE_UPDATE_REMOVE;
		}
	}
	/* one file (a record written or signed): spliced into the raw
	 * trees; more, or an odd shape, as libgit2 builds them */
	error = SUP_ENOTFOUND;
	if (n == 1) {
		struct sup_oid root;
		int empty = 0;

		if (tip)
			S_from_git(&root, git_commit_tree_id(parent));
		error = S_tree_put(&tree_oid, &empty, s, tip ? &root : NULL, upd[0].path,
				   upd[0].action == GIT_TREE_UPDATE_UPSERT ? &upd[0].id : NULL);
		if (error < 0 && error != SUP_ENOTFOUND)
			goto out;
		if (error == SUP_ENOTFOUND)
			sup_error_clear();
	}
	if ((error == SUP_ENOTFOUND &&
	     git_tree_create_updated(&tree_oid, s->repo, base, n, upd) < 0) ||
	    git_tree_lookup(&tree, s->repo, &tree_oid) < 0) {
		error = S_git_error(SUP_ERROR, "writing tree");
		goto out;
	}
	error = 0;
	if (git_signature_new(&author, opts->author.name, opts->author.email,
			      opts->author.when, opts->author.offset) < 0 ||
	    git_signature_new(&committer, opts->committer.name, opts->committer.email,
			      opts->committer.when, opts->committer.offset) < 0) {
		error = S_git_error(SUP_EINVALID, "author");
		goto out;
	}
	parents[0] = parent;
	if (git_commit_create_buffer(&content, s->repo, author, committer, NULL,
				     opts->message, tree, tip ? 1 : 0, parents) < 0) {
		error = S_git_error(SUP_ERROR, "making commit");
		goto out;
	}
	if ((error = opts->sign(&sig, content.ptr, content.size, opts->payload)) < 0)
		goto out;
	if (git_commit_create_with_signature(out, s->repo, content.ptr,
					     sup_buf_cstr(&sig), "gpgsig") < 0) {
		error = S_git_error(SUP_ERROR, "writing signed commit");
		goto out;
	}
	if (opts->check) {
		if (git_repository_odb(&odb, s->repo) < 0 ||
		    git_odb_read(&obj, odb, out) < 0) {
			error = S_git_error(SUP_ERROR, "reading back commit");
			goto out;
		}
		error = opts->check(git_odb_object_data(obj),
				    git_odb_object_size(obj), opts->payload);
	}
out:
	git_odb_object_free(obj);
	git_odb_free(odb);
	sup_buf_release(&sig);
	git_buf_dispose(&content);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	free(upd);
	return error;
}

/* 1 if any changed path differs between commits a and b. */
static int S_paths_touched(struct sup_store *s, const struct sup_oid *a,
			   const struct sup_oid *b,
			   const struct sup_change *changes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct sup_oid x, y;
		int hx = a && sup_store_blob_id(&x, s, a, changes[i].path) == 0;
		int hy = sup_store_blob_id(&y, s, b, changes[i].path) == 0;

		if (hx != hy || (hx && !sup_oid_equal(&x, &y)))
			return 1;
	}
	sup_error_clear();
	return 0;
}

static void S_entry_from_stat(git_index_entry *e, const struct stat *st)
{
	e->ctime.seconds = (int32_t)st->st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st->st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st->st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st->st_mtim.tv_nsec;
	e->dev = (uint32_t)st->st_dev;
	e->ino = (uint32_t)st->st_ino;
	e->uid = (uint32_t)st->st_uid;
	e->gid = (uint32_t)st->st_gid;
	e->file_size = (uint32_t)st->st_size;
}

/*
 * The index, read once per write.  We hold index.lock, so neither we nor
 * libgit2 may write .git/index itself: the new index is written under
 * .git/sup/ and renamed into place while the lock is held.
 */
static int S_index_open(struct S_index *ix, struct sup_store *s)
{
	char *dir = sup_xasprintf("%ssup", s->gitdir);
	char *real = sup_xasprintf("%sindex", s->gitdir);
	struct sup_buf cur = SUP_BUF_INIT;
	int error;

	memset(ix, 0, sizeof(*ix));
	ix->tmp = sup_xasprintf("%ssup/index.new", s->gitdir);
	if ((error = sup_mkdir_p(dir)) < 0)
		goto out;
	unlink(ix->tmp);
	if ((error = sup_gitindex_read(&ix->gix, real)) != SUP_ENOTFOUND)
		goto out;
	/* a form gitindex leaves alone: libgit2, on a copy */
	error = sup_read_file(&cur, real, SIZE_MAX / 2);
	if (error == 0)
		error = sup_write_file(ix->tmp, cur.ptr, cur.len);
	else if (error == SUP_ENOTFOUND)
		error = 0;
	if (error < 0)
		goto out;
	if (git_index_open(&ix->lg, ix->tmp) < 0)
		error = S_git_error(SUP_ERROR, "reading index");
out:
	sup_buf_release(&cur);
	free(dir);
	free(real);
	return error;
}

static void S_index_close(struct S_index *ix)
{
	sup_gitindex_free(ix->gix);
	git_index_free(ix->lg);
	if (ix->tmp) {
		unlink(ix->tmp);	/* gone already when it took the index's place */
		free(ix->tmp);
	}
	memset(ix, 0, sizeof(*ix));
}

/* Bring the working tree and the index up to date for the changed
 * paths, and put the new index in place of .git/index. */
static int S_update_worktree(struct sup_store *s, struct S_index *ix,
			     const struct sup_change *changes, size_t n)
{
	char *real = sup_xasprintf("%sindex", s->gitdir);
	size_t i;
	int error = 0;

	for (i = 0; i < n; i++) {
		char *full = sup_xasprintf("%s%s", s->workdir, changes[i].path);

		if (changes[i].data) {
			git_index_entry e;
			struct stat st;

			memset(&e, 0, sizeof(e));
			if ((error = sup_write_file(full, changes[i].data,
						    changes[i].len)) < 0 ||
			    stat(full, &st) < 0) {
				if (!error)
					error = sup_error_set(SUP_ERROR, "%s: %s",
							      full, strerror(errno));
				free(full);
				goto out;
			}
			S_hash_buf(&e.id, changes[i].data, changes[i].len);
			if (ix->gix) {
				sup_gitindex_add(ix->gix, changes[i].path, e.id.id, &st);
				free(full);
				continue;
			}
			S_entry_from_stat(&e, &st);
			e.mode = GIT_FILEMODE_BLOB;
			e.path = changes[i].path;
			if (git_index_add(ix->lg, &e) < 0) {
				free(full);
				error = S_git_error(SUP_ERROR, changes[i].path);
				goto out;
			}
		} else {
			unlink(full);
			if (ix->gix)
				sup_gitindex_remove(ix->gix, changes[i].path);
			else
				git_index_remove(ix->lg, changes[i].path, 0);
		}
		free(full);
	}
	sup_trace("commit: work tree written");
	if (ix->gix) {
		if ((error = sup_gitindex_write(ix->gix, ix->tmp)) < 0)
			goto out;
		sup_trace("commit: index written");
	} else if (git_index_write(ix->lg) < 0) {
		error = S_git_error(SUP_ERROR, "writing index");
		goto out;
	}
	if (rename(ix->tmp, real) < 0)
		error = sup_error_set(SUP_ERROR, "%s: %s", real, strerror(errno));
out:
	free(real);
	return error;
}

int sup_store_commit(struct sup_oid *out, struct sup_store *s,
		     const struct sup_change *changes, size_t nchanges,
		     const struct sup_commit_opts *opts)
{
	char *branch = NULL, *lock = NULL;
	struct S_index index;
	struct sup_oid tip, seen;
	int have_tip, attempt, error;
	git_oid new_oid, old_oid;
	git_reference *ref = NULL;
	size_t i;

	memset(&index, 0, sizeof(index));
	if ((error = S_head_branch(&branch, s)) < 0)
		return error;
	if ((error = S_lock_index(&lock, s)) < 0)
		goto out;
	/* The lock is ours, so this reads a stable index. */
	sup_trace("commit: start");
	if ((error = S_index_open(&index, s)) < 0)
		goto out;
	sup_trace("commit: index read");
	error = S_branch_tip(&tip, s, branch);
	have_tip = error == 0;
	if (error < 0 && error != SUP_ENOTFOUND)
		goto out;
	sup_error_clear();
	for (i = 0; i < nchanges; i++)
		if ((error = S_check_clean(s, &index, have_tip ? &tip : NULL,
					   &changes[i])) < 0)
			goto out;
	seen = tip;
	for (attempt = 0; ; attempt++) {
		if ((error = S_make_commit(&new_oid, s, have_tip ? &tip : NULL,
					   changes, nchanges, opts)) < 0)
			goto out;
		sup_trace("commit: made and signed");
		if (have_tip) {
			S_to_git(&old_oid, &tip);
			error = git_reference_create_matching(&ref, s->repo, branch,
				&new_oid, 1, &old_oid, opts->message);
		} else {
			error = git_reference_create(&ref, s->repo, branch,
						     &new_oid, 0, opts->message);
		}
		git_reference_free(ref);
		ref = NULL;
		if (error == 0)
			break;
		if ((error != GIT_EMODIFIED && error != GIT_ELOCKED &&
		     error != GIT_EEXISTS) || attempt >= 5) {
			error = S_git_error(error == GIT_ELOCKED ? SUP_ELOCKED : SUP_ERROR,
					    branch);
			goto out;
		}
		if (error == GIT_ELOCKED) {
			struct timespec pause = { 0, 100 * 1000 * 1000 };

			nanosleep(&pause, NULL);
		}
		/* Another writer moved the branch: start again from its tip
		 * unless it changed one of our files. */
		if ((error = S_branch_tip(&tip, s, branch)) < 0)
			goto out;
		if (S_paths_touched(s, have_tip ? &seen : NULL, &tip, changes,
				    nchanges)) {
			error = sup_error_set(SUP_ELOCKED,
					      "someone else changed %s meanwhile; nothing was committed: look at their change and try again",
					      changes[0].path);
			goto out;
		}
		have_tip = 1;
		seen = tip;
	}
	S_from_git(out, &new_oid);
	sup_trace("commit: branch moved");
	error = S_update_worktree(s, &index, changes, nchanges);
	sup_trace("commit: work tree and index written");
	if (error < 0) {
		char hex[SUP_OID_HEXSZ + 1];

		sup_oid_fmt(hex, out);
		sup_error_set(SUP_ERROR,
			      "committed %s, but the working tree could not be updated (%s); run 'git checkout -- .' to refresh it",
			      hex, sup_error_last());
	}
out:
	S_index_close(&index);
	if (lock) {
		unlink(lock);
		free(lock);
	}
	free(branch);
	return error;
}

/* ---- history ---- */

/*
 * The object id at path under the tree with id root, following the path
 * one level at a time.  A level whose subtree id equals the other side's
 * lets the caller stop early; this function is the plain lookup.
 * Returns 1 if found, 0 if absent, negative on error.
 */
/* The entry named name (len bytes) in a raw tree: 1 and *e, 0 when there
 * is none, SUP_ERROR when the tree is damaged. */
static int S_raw_entry(struct sup_tree_entry *e, const struct sup_raw *raw,
		       const char *name, size_t len)
{
	const unsigned char *p = raw->data, *end = p + raw->len;

	if (raw->type != SUP_OBJ_TREE)
		return sup_error_set(SUP_ERROR, "a tree is not a tree (run 'git fsck')");
	while (sup_tree_next(e, &p, end))
		if (e->nlen == len && !memcmp(e->name, name, len))
			return 1;
	if (p != end)
		return sup_error_set(SUP_ERROR, "a damaged tree object (run 'git fsck')");
	return 0;
}

/*
 * The id at path under the tree root, read level by level from the raw
 * trees (a year of records is a tree of 10,000 entries: building it as a
 * libgit2 tree to find one name cost more than the lookup): 1 with *out
 * and *mode, 0 when there is no such path, or an error.
 */
static int S_lookup_path(git_oid *out, unsigned *mode, struct sup_store *s,
			 const git_oid *root, const char *path)
{
	struct sup_oid cur;
	const char *p = path;

	memcpy(cur.id, root->id, 20);
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		struct sup_tree_entry e;
		struct sup_raw raw;
		int found;

		if ((found = sup_store_raw_read(&raw, s, &cur, 0)) < 0)
			return found;
		found = S_raw_entry(&e, &raw, p, len);
		if (found > 0) {
			memcpy(cur.id, e.id, 20);
			*mode = e.mode;
		}
		sup_raw_release(&raw);
		if (found <= 0)
			return found;
		if (!slash) {
			memcpy(out->id, cur.id, 20);
			return 1;
		}
		if ((*mode & 0170000) != 0040000)
			return 0;
		p = slash + 1;
	}
}

int sup_store_commit_info(struct sup_commit_info *out, struct sup_store *s,
			  const struct sup_oid *commit)
{
	git_commit *c = NULL;
	const git_signature *a, *cm;
	const char *summary;
	git_oid oid;

	memset(out, 0, sizeof(*out));
	S_to_git(&oid, commit);
	if (git_commit_lookup(&c, s->repo, &oid) < 0)
		return S_git_error(SUP_ERROR, "reading commit");
	out->id = *commit;
	out->nparents = git_commit_parentcount(c);
	if (out->nparents)
		S_from_git(&out->parent, git_commit_parent_id(c, 0));
	a = git_commit_author(c);
	cm = git_commit_committer(c);
	out->author_time = (time_t)a->when.time;
	out->author_offset = a->when.offset;
	out->committer_time = (time_t)cm->when.time;
	out->author_name = sup_xstrdup(a->name ? a->name : "");
	out->author_email = sup_xstrdup(a->email ? a->email : "");
	summary = git_commit_summary(c);
	out->summary = sup_xstrdup(summary ? summary : "");
	git_commit_free(c);
	return 0;
}

void sup_commit_info_release(struct sup_commit_info *ci)
{
	if (!ci)
		return;
	free(ci->author_name);
	free(ci->author_email);
	free(ci->summary);
	memset(ci, 0, sizeof(*ci));
}

int sup_store_is_ancestor(struct sup_store *s, const struct sup_oid *ancestor,
			  const struct sup_oid *head)
{
	git_oid a, h;

	S_to_git(&a, ancestor);
	S_to_git(&h, head);
	if (git_oid_equal(&a, &h))
		return 1;
	return git_graph_descendant_of(s->repo, &h, &a) == 1;
}

/* Compare two trees (either id may be NULL: absent), reporting changed
 * blobs under prefix. */
static int S_changed(git_repository *repo, const git_oid *a, const git_oid *b,
		     struct sup_buf *prefix, sup_changed_fn fn, void *payload)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t i, keep = prefix->len;
	int error = 0, pass;

	if (a && b && git_oid_equal(a, b))
		return 0;
	if ((a && git_tree_lookup(&ta, repo, a) < 0) ||
	    (b && git_tree_lookup(&tb, repo, b) < 0)) {
		git_tree_free(ta);
		return S_git_error(SUP_ERROR, "reading tree");
	}
	/* pass 0: entries of the new tree (added, modified); pass 1: entries
	 * only in the old tree (deleted) */
	for (pass = 0; pass < 2 && !error; pass++) {
		git_tree *t = pass ? tb : ta, *other = pass ? ta : tb;
		size_t count = t ? git_tree_entrycount(t) : 0;

		for (i = 0; i < count && !error; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(t, i);
			const git_tree_entry *o = other ? git_tree_entry_byname(other, git_tree_entry_name(e)) : NULL;
			int etree = git_tree_entry_type(e) == GIT_OBJECT_TREE;
			int otree = o && git_tree_entry_type(o) == GIT_OBJECT_TREE;

			if (pass && o)
				continue;
			if (o && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(o)))
				continue;
			sup_buf_truncate(prefix, keep);
			sup_buf_printf(prefix, "%s%s", keep ? "/" : "", git_tree_entry_name(e));
			if (etree || otree) {
				const git_oid *ne = etree ? git_tree_entry_id(e) : NULL;
				const git_oid *no = otree ? git_tree_entry_id(o) : NULL;

				error = pass ? S_changed(repo, NULL, ne, prefix, fn, payload) :
					S_changed(repo, ne, no, prefix, fn, payload);
				if (!error && !etree && !pass) {
					struct sup_oid nb;

					S_from_git(&nb, git_tree_entry_id(e));
					error = fn(prefix->ptr, 'A', &nb, NULL, payload);
				}
			} else {
				struct sup_oid nb, ob;

				S_from_git(&nb, git_tree_entry_id(e));
				if (o)
					S_from_git(&ob, git_tree_entry_id(o));
				if (pass)
					error = fn(prefix->ptr, 'D', NULL, &nb, payload);
				else
					error = fn(prefix->ptr, o ? 'M' : 'A', &nb, o ? &ob : NULL, payload);
			}
		}
	}
	sup_buf_truncate(prefix, keep);
	git_tree_free(ta);
	git_tree_free(tb);
	return error;
}

int sup_store_changed_paths(struct sup_store *s, const struct sup_oid *commit,
			    sup_changed_fn fn, void *payload)
{
	git_commit *c = NULL, *p = NULL;
	struct sup_buf prefix = SUP_BUF_INIT;
	git_oid oid;
	int error;

	S_to_git(&oid, commit);
	if (git_commit_lookup(&c, s->repo, &oid) < 0)
		return S_git_error(SUP_ERROR, "reading commit");
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) < 0) {
		git_commit_free(c);
		return S_git_error(SUP_ERROR, "reading parent");
	}
	error = S_changed(s->repo, git_commit_tree_id(c), p ? git_commit_tree_id(p) : NULL,
			  &prefix, fn, payload);
	git_commit_free(p);
	git_commit_free(c);
	sup_buf_release(&prefix);
	return error;
}

/* ---- bulk writing (see store.h) ----
 *
 * Objects are written into an object database of their own that holds
 * only a mempack backend, so that writing never looks at the files of the
 * repository being made (libgit2 rescans the pack directory on every miss
 * of a normal database).  A flush hands the queued objects to a pack
 * builder, with each one's path as the name hint so that the versions of
 * one tree are tried as deltas of each other, and writes pack and index
 * into the repository; then the mempack is emptied.
 */
#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>

struct S_bdir;

struct S_bent {
	char *name;
	struct S_bdir *dir;	/* NULL: a file */
	git_oid oid;
};

struct S_bdir {
	struct S_bent *e;
	size_t n, cap;
	int dirty;
	git_oid oid;
};

struct S_bobj {
	git_oid oid;
	char *name;		/* the path, for delta pairing */
};

struct sup_bulk {
	git_repository *repo;		/* the new repository */
	git_repository *mem;		/* its objects in memory */
	git_odb *odb;
	git_odb_backend *mempack;
	char *packdir, *gitdir, *config_path;
	struct S_bdir root;
	git_oid tip;
	int has_tip;
	struct S_bobj *queue;
	size_t nqueue, capqueue;
	size_t flush_bytes, queued_bytes;
	struct sup_bulk_stats stats;
	struct sup_buf scratch;
};

/* git's tree order: names compare as if a directory's ended in '/'. */
static int S_bcmp(const char *a, int adir, const char *b, int bdir)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = la > n ? (unsigned char)a[n] : adir ? '/' : 0;
	cb = lb > n ? (unsigned char)b[n] : bdir ? '/' : 0;
	return (int)ca - (int)cb;
}

/* The index where name (a directory or not) is or would go; *found. */
static size_t S_bfind(const struct S_bdir *d, const char *name, int isdir,
		      int *found)
{
	size_t lo = 0, hi = d->n;

	*found = 0;
	/* appends in order are the common case */
	if (d->n && S_bcmp(d->e[d->n - 1].name, d->e[d->n - 1].dir != NULL,
			   name, isdir) < 0)
		return d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = S_bcmp(d->e[mid].name, d->e[mid].dir != NULL, name, isdir);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct S_bent *S_binsert(struct S_bdir *d, size_t at, const char *name,
				size_t len)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->e = sup_xrealloc(d->e, d->cap * sizeof(*d->e));
	}
	memmove(&d->e[at + 1], &d->e[at], (d->n - at) * sizeof(*d->e));
	d->n++;
	memset(&d->e[at], 0, sizeof(d->e[at]));
	d->e[at].name = sup_xstrndup(name, len);
	return &d->e[at];
}

static void S_bdir_release(struct S_bdir *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->e[i].name);
		if (d->e[i].dir) {
			S_bdir_release(d->e[i].dir);
			free(d->e[i].dir);
		}
	}
	free(d->e);
	memset(d, 0, sizeof(*d));
}

static int S_bwrite(git_oid *out, struct sup_bulk *b, const void *data,
		    size_t len, git_object_t type, const char *name)
{
	struct S_bobj *o;

	if (git_odb_write(out, b->odb, data, len, type) < 0)
		return S_git_error(SUP_ERROR, "writing object");
	if (b->nqueue == b->capqueue) {
		b->capqueue = b->capqueue ? b->capqueue * 2 : 4096;
		b->queue = sup_xrealloc(b->queue, b->capqueue * sizeof(*b->queue));
	}
	o = &b->queue[b->nqueue++];
	git_oid_cpy(&o->oid, out);
	o->name = name ? sup_xstrdup(name) : NULL;
	b->queued_bytes += len;
	b->stats.objects++;
	b->stats.bytes += len;
	return 0;
}

int sup_bulk_new(struct sup_bulk **out, const char *path, size_t flush_bytes)
{
	struct sup_bulk *b;
	struct sup_store *s = NULL;
	int error;

	*out = NULL;
	if ((error = sup_store_init(&s, path)) < 0)
		return error;
	b = sup_xcalloc(1, sizeof(*b));
	b->repo = s->repo;		/* take the repository from the store */
	s->repo = NULL;
	b->packdir = sup_xasprintf("%sobjects/pack", s->gitdir);
	b->gitdir = sup_xstrdup(s->gitdir);
	free(s->workdir);
	free(s->gitdir);
	free(s);			/* the library stays initialised for b */
	b->flush_bytes = flush_bytes ? flush_bytes : (size_t)256 << 20;
	if (git_odb_new(&b->odb) < 0 || git_mempack_new(&b->mempack) < 0 ||
	    git_odb_add_backend(b->odb, b->mempack, 1000) < 0 ||
	    git_repository_wrap_odb(&b->mem, b->odb) < 0) {
		error = S_git_error(SUP_ERROR, "setting up the in-memory object store");
		sup_bulk_free(b);
		return error;
	}
	/*
	 * The pack builder's settings, for the in-memory repository only:
	 * a small delta window.  The name hints put each tree next to its
	 * previous version, which is the best base, so a wide window would
	 * only try (at the cost of a delta index each) bases that lose.
	 */
	{
		git_config *cfg = NULL;
		char *cfgpath = sup_xasprintf("%ssup-bulk.config", b->gitdir);
		static const char text[] = "[pack]\n\twindowMemory = 1m\n";

		if (sup_write_file(cfgpath, text, sizeof(text) - 1) < 0 ||
		    git_config_new(&cfg) < 0 ||
		    git_config_add_file_ondisk(cfg, cfgpath, GIT_CONFIG_LEVEL_LOCAL, NULL, 0) < 0) {
			error = S_git_error(SUP_ERROR, cfgpath);
			git_config_free(cfg);
			free(cfgpath);
			sup_bulk_free(b);
			return error;
		}
		git_repository_set_config(b->mem, cfg);
		git_config_free(cfg);
		b->config_path = cfgpath;
	}
	*out = b;
	return 0;
}

int sup_bulk_put(struct sup_bulk *b, const char *path, const void *data,
		 size_t len)
{
	struct S_bdir *d = &b->root;
	size_t depth = 0, at;
	const char *p = path, *slash;
	struct S_bent *e;
	git_oid oid;
	int found, error;

	if (data && (error = S_bwrite(&oid, b, data, len, GIT_OBJECT_BLOB, path)) < 0)
		return error;
	while ((slash = strchr(p, '/')) != NULL) {
		char name[256];
		size_t n = (size_t)(slash - p);

		if (n == 0 || n >= sizeof(name) || ++depth > 64)
			return sup_error_set(SUP_EINVALID, "bad path '%s'", path);
		memcpy(name, p, n);
		name[n] = 0;
		d->dirty = 1;
		at = S_bfind(d, name, 1, &found);
		if (!found) {
			if (!data)
				return 0;	/* removing what is not there */
			e = S_binsert(d, at, name, n);
			e->dir = sup_xcalloc(1, sizeof(*e->dir));
		}
		d = d->e[at].dir;
		p = slash + 1;
	}
	if (!*p)
		return sup_error_set(SUP_EINVALID, "bad path '%s'", path);
	at = S_bfind(d, p, 0, &found);
	if (data) {
		e = found ? &d->e[at] : S_binsert(d, at, p, strlen(p));
		git_oid_cpy(&e->oid, &oid);
	} else if (found) {
		free(d->e[at].name);
		memmove(&d->e[at], &d->e[at + 1], (d->n - at - 1) * sizeof(*d->e));
		d->n--;
	}
	d->dirty = 1;
	return 0;
}

/* Write the dirty trees under d (named path); empty directories vanish. */
static int S_bwrite_tree(struct sup_bulk *b, struct S_bdir *d,
			 struct sup_buf *path)
{
	size_t i, keep = path->len;
	int error;

	if (!d->dirty)
		return 0;
	for (i = 0; i < d->n; i++) {
		struct S_bent *e = &d->e[i];

		if (!e->dir || !e->dir->dirty)
			continue;
		sup_buf_truncate(path, keep);
		if (keep)
			sup_buf_putc(path, '/');
		sup_buf_puts(path, e->name);
		if ((error = S_bwrite_tree(b, e->dir, path)) < 0)
			return error;
		if (e->dir->n == 0) {
			S_bdir_release(e->dir);
			free(e->dir);
			free(e->name);
			memmove(&d->e[i], &d->e[i + 1], (d->n - i - 1) * sizeof(*d->e));
			d->n--;
			i--;
		}
	}
	sup_buf_truncate(path, keep);
	sup_buf_truncate(&b->scratch, 0);
	for (i = 0; i < d->n; i++) {
		sup_buf_puts(&b->scratch, d->e[i].dir ? "40000 " : "100644 ");
		sup_buf_put(&b->scratch, d->e[i].name, strlen(d->e[i].name) + 1);
		sup_buf_put(&b->scratch, d->e[i].dir ? d->e[i].dir->oid.id : d->e[i].oid.id,
			    GIT_OID_RAWSZ);
	}
	if (d->n && (error = S_bwrite(&d->oid, b, b->scratch.ptr, b->scratch.len,
				      GIT_OBJECT_TREE, path->len ? sup_buf_cstr(path) : "")) < 0)
		return error;
	d->dirty = 0;
	return 0;
}

static void S_bperson(struct sup_buf *out, const char *header,
		      const struct sup_person_sig *p)
{
	int off = p->offset < 0 ? -p->offset : p->offset;

	sup_buf_printf(out, "%s %s <%s> %lld %c%02d%02d\n", header, p->name,
		       p->email, (long long)p->when, p->offset < 0 ? '-' : '+',
		       off / 60, off % 60);
}

int sup_bulk_commit(struct sup_oid *out, struct sup_bulk *b,
		    const struct sup_commit_opts *opts)
{
	struct sup_buf path = SUP_BUF_INIT, content = SUP_BUF_INIT, sig = SUP_BUF_INIT;
	git_odb_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;
	int error;

	b->root.dirty = 1;	/* an empty root tree is still a tree */
	if ((error = S_bwrite_tree(b, &b->root, &path)) < 0)
		goto out;
	if (b->root.n == 0 && (error = S_bwrite(&b->root.oid, b, "", 0,
						 GIT_OBJECT_TREE, "")) < 0)
		goto out;
	sup_buf_printf(&content, "tree %s\n", git_oid_tostr(hex, sizeof(hex), &b->root.oid));
	if (b->has_tip)
		sup_buf_printf(&content, "parent %s\n", git_oid_tostr(hex, sizeof(hex), &b->tip));
	S_bperson(&content, "author", &opts->author);
	S_bperson(&content, "committer", &opts->committer);
	sup_buf_printf(&content, "\n%s", opts->message);
	if ((error = opts->sign(&sig, content.ptr, content.len, opts->payload)) < 0)
		goto out;
	if (git_commit_create_with_signature(&oid, b->mem, content.ptr,
					     sup_buf_cstr(&sig), "gpgsig") < 0) {
		error = S_git_error(SUP_ERROR, "writing signed commit");
		goto out;
	}
	/* the commit went in through libgit2: queue it for the pack */
	if (b->nqueue == b->capqueue) {
		b->capqueue = b->capqueue ? b->capqueue * 2 : 4096;
		b->queue = sup_xrealloc(b->queue, b->capqueue * sizeof(*b->queue));
	}
	git_oid_cpy(&b->queue[b->nqueue].oid, &oid);
	b->queue[b->nqueue++].name = NULL;
	b->stats.objects++;
	b->stats.commits++;
	b->queued_bytes += content.len + sig.len;
	b->stats.bytes += content.len + sig.len;
	if (opts->check) {
		if (git_odb_read(&obj, b->odb, &oid) < 0) {
			error = S_git_error(SUP_ERROR, "reading back commit");
			goto out;
		}
		if ((error = opts->check(git_odb_object_data(obj),
					 git_odb_object_size(obj), opts->payload)) < 0)
			goto out;
	}
	git_oid_cpy(&b->tip, &oid);
	b->has_tip = 1;
	S_from_git(out, &oid);
	if (b->queued_bytes >= b->flush_bytes)
		error = sup_bulk_flush(b);
out:
	git_odb_object_free(obj);
	sup_buf_release(&path);
	sup_buf_release(&content);
	sup_buf_release(&sig);
	return error;
}

int sup_bulk_flush(struct sup_bulk *b)
{
	git_packbuilder *pb = NULL;
	size_t i;
	int error = 0;

	if (!b->nqueue)
		return 0;
	if (git_packbuilder_new(&pb, b->mem) < 0) {
		error = S_git_error(SUP_ERROR, "making a pack");
		goto out;
	}
	git_packbuilder_set_threads(pb, 0);
	for (i = 0; i < b->nqueue; i++)
		if (git_packbuilder_insert(pb, &b->queue[i].oid, b->queue[i].name) < 0) {
			error = S_git_error(SUP_ERROR, "making a pack");
			goto out;
		}
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (git_packbuilder_write(pb, b->packdir, 0, NULL, NULL) < 0) {
			error = S_git_error(SUP_ERROR, b->packdir);
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		b->stats.pack_seconds += (double)(t1.tv_sec - t0.tv_sec) +
					 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	}
	b->stats.packs++;
	if (git_mempack_reset(b->mempack) < 0)
		error = S_git_error(SUP_ERROR, "emptying the in-memory object store");
out:
	git_packbuilder_free(pb);
	for (i = 0; i < b->nqueue; i++)
		free(b->queue[i].name);
	b->nqueue = 0;
	b->queued_bytes = 0;
	return error;
}

int sup_bulk_finish(struct sup_bulk *b, int checkout)
{
	git_reference *head = NULL, *ref = NULL;
	git_odb *odb = NULL;
	git_checkout_options co;
	int error;

	if ((error = sup_bulk_flush(b)) < 0)
		return error;
	if (!b->has_tip)
		return 0;
	/* the repository's own database has not seen the new packs yet */
	if (git_repository_odb(&odb, b->repo) < 0 || git_odb_refresh(odb) < 0 ||
	    git_reference_lookup(&head, b->repo, "HEAD") < 0 ||
	    git_reference_create(&ref, b->repo, git_reference_symbolic_target(head),
				 &b->tip, 1, "sup bulk write") < 0) {
		error = S_git_error(SUP_ERROR, "moving the branch");
		goto out;
	}
	if (checkout) {
		git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
		co.checkout_strategy = GIT_CHECKOUT_FORCE;
		if (git_checkout_head(b->repo, &co) < 0)
			error = S_git_error(SUP_ERROR, "checking out");
	}
out:
	git_reference_free(ref);
	git_reference_free(head);
	git_odb_free(odb);
	return error;
}

void sup_bulk_stats(struct sup_bulk_stats *out, const struct sup_bulk *b)
{
	*out = b->stats;
}

void sup_bulk_free(struct sup_bulk *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nqueue; i++)
		free(b->queue[i].name);
	free(b->queue);
	S_bdir_release(&b->root);
	git_repository_free(b->mem);
	git_odb_free(b->odb);	/* frees the mempack backend with it */
	git_repository_free(b->repo);
	if (b->config_path)
		unlink(b->config_path);
	free(b->config_path);
	free(b->packdir);
	free(b->gitdir);
	sup_buf_release(&b->scratch);
	free(b);
	git_libgit2_shutdown();
}
