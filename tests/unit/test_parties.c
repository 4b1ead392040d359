/*
 * Unit tests for parties: a person's records from the derived file
 * .git/sup/cache/parties, checked against the records every record's
 * own parse gives that person (sup_records_load_all, sup_record_wanted),
 * on a history built with the real git: records added, changed, deleted
 * and broken, other files beside them, a change large enough to have the
 * file written again, and a tree with no records/ at all.  The file is
 * then deleted and damaged, and no answer may change.
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
#include "parties.h"
#include "records.h"
#include "store.h"
#include "util.h"
#include "unit-sh.h"

static char S_dir[] = "/tmp/sup-test-parties.XXXXXX";

#define S_sh(...) S_sh_in(S_dir, __VA_ARGS__)

/*
 * Who is asked about: parties in every role, ids that are prefixes of
 * one another (the file's lookup is a binary search over names), one
 * named only by a file that is not a record (max), and ids no file
 * names.
 */
static const char *const S_people[] = {
	"boss", "jo", "jon", "j", "al", "kim", "lee", "max", "nobody-at-all", "zz",
};
#define S_NPEOPLE SUP_ARRAY_SIZE(S_people)

/* The commits, tagged as they are made. */
static const char *const S_tags[] = { "c0", "c1", "c2", "c3", "c4", "c5" };

static char *S_cache_path(void)
{
	return sup_xasprintf("%s/.git/sup/cache/parties", S_dir);
}

/* Write a file of the working tree (directories made as needed). */
static void S_put(const char *path, const char *text)
{
	char *full = sup_xasprintf("%s/%s", S_dir, path);

	assert_int_equal(sup_write_file(full, text, strlen(text)), 0);
	free(full);
}

/* Write records/<yyyy>/<id>.md with front matter fm after its id. */
static void S_rec(const char *id, const char *fm)
{
	char *path = sup_xasprintf("records/%.4s/%s.md", id, id);
	char *text = sup_xasprintf("---\nid: %s\n%s---\n\nNotes.\n", id, fm);

	S_put(path, text);
	free(path);
	free(text);
}

/* A commit of the working tree at a fixed time, tagged. */
static void S_commit(const char *tag, int at)
{
	free(S_sh("git add -A && GIT_COMMITTER_DATE='%d +0000' GIT_AUTHOR_DATE='%d +0000' "
		  "git -c user.name=T -c user.email=t@example.org -c commit.gpgsign=false "
		  "commit -q --allow-empty -m '%s' && git tag '%s'",
		  1767225600 + at, 1767225600 + at, tag, tag));
}

/*
 * The history:
 *
 *   c0  no records/ at all
 *   c1  sessions, a group whose facilitator is also an attendee, a
 *       handover; beside them a record under a subdirectory and a file
 *       named ".md", which are not records
 *   c2  one record added, one given another supervisee, one deleted, one
 *       that does not parse, and files that are not records
 *   c3  300 records more (more changes than the file takes in passing:
 *       it is written again), a group loses an attendee, the broken
 *       record mended
 *   c4  a record broken another way (its id not its file name), one of
 *       the 300 deleted, a handover added
 *   c5  records/ removed
 */
static int S_setup(void **state)
{
	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	setenv("HOME", S_dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	free(S_sh("git init -q -b main . && echo hello >README"));
	S_commit("c0", 0);

	S_rec("2025-11-03-jo", "type: session\ndate: 2025-11-03\nsupervisor: boss\nsupervisee: jo\n");
	S_rec("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\nsupervisee: jo\n");
	S_rec("2026-01-12-jon", "type: session\ndate: 2026-01-12\nsupervisor: kim\nsupervisee: jon\n");
	S_rec("2026-01-19-group-boss", "type: group\ndate: 2026-01-19\nsupervisor: boss\n"
	      "supervisees: [jo, al, boss]\n");
	S_rec("2026-01-26-al-handover", "type: handover\ndate: 2026-01-26\nfrom: boss\nto: kim\n"
	      "supervisee: al\n");
	S_put("records/2026/sub/2026-01-05-max.md",
	      "---\nid: 2026-01-05-max\ntype: session\ndate: 2026-01-05\nsupervisor: boss\n"
	      "supervisee: max\n---\n");
	S_put("records/2026/.md", "---\nid: x\n---\n");
	S_commit("c1", 10);

	S_rec("2026-03-02-al", "type: session\ndate: 2026-03-02\nsupervisor: kim\nsupervisee: al\n");
	S_rec("2026-01-05-jo", "type: session\ndate: 2026-01-05\nsupervisor: boss\nsupervisee: lee\n");
	free(S_sh("git rm -q records/2026/2026-01-12-jon.md"));
	S_put("records/2026/2026-02-02-bad.md",
	      "---\nid: 2026-02-02-bad\ntype: [session\nsupervisor: boss\n---\n");
	S_put("records/README", "Records live under records/<yyyy>/.\n");
	S_put("records/2026/notes.txt", "not a record\n");
	S_commit("c2", 20);

	free(S_sh("mkdir -p records/2027 && i=0; while [ $i -lt 300 ]; do "
		  "n=$(printf %%03d $i); case $((i %% 3)) in 0) p=jo;; 1) p=al;; *) p=lee;; esac; "
		  "printf -- '---\\nid: 2027-01-01-gen-%%s\\ntype: session\\ndate: 2027-01-01\\n"
		  "supervisor: kim\\nsupervisee: %%s\\n---\\n' $n $p >records/2027/2027-01-01-gen-$n.md; "
		  "i=$((i + 1)); done"));
	S_rec("2026-01-19-group-boss", "type: group\ndate: 2026-01-19\nsupervisor: boss\n"
	      "supervisees: [al, boss]\n");
	S_rec("2026-02-02-bad", "type: session\ndate: 2026-02-02\nsupervisor: boss\nsupervisee: al\n");
	S_commit("c3", 30);

	S_put("records/2025/2025-11-03-jo.md",
	      "---\nid: 2025-11-03-jx\ntype: session\ndate: 2025-11-03\nsupervisor: boss\n"
	      "supervisee: jo\n---\n");
	free(S_sh("git rm -q records/2027/2027-01-01-gen-150.md"));
	S_rec("2027-02-01-jo-handover", "type: handover\ndate: 2027-02-01\nfrom: kim\nto: jon\n"
	      "supervisee: jo\n");
	S_commit("c4", 40);

	free(S_sh("git rm -q -r records && rm -rf records"));
	S_commit("c5", 50);
	return 0;
}

static int S_teardown(void **state)
{
	(void)state;
	S_remove_dir(S_dir);
	return 0;
}

static int S_clear(void **state)
{
	(void)state;
	sup_diag_clear();
	sup_error_clear();
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

/* The answer at one commit, for every person, computed without the
 * parties file: each record of the index parsed (a record that does not
 * parse is everyone's). */
struct S_want {
	struct sup_oid commit;
	char *ids[S_NPEOPLE];
};

static void S_want_release(struct S_want *w)
{
	size_t i;

	for (i = 0; i < S_NPEOPLE; i++)
		free(w->ids[i]);
}

static void S_want_at(struct S_want *w, const char *rev)
{
	struct sup_store *s = S_open();
	struct sup_records all;
	struct sup_record **recs = NULL;
	size_t n = 0, i, k, p;

	w->commit = S_rev(rev);
	assert_int_equal(sup_records_index(&all, s, &w->commit), 0);
	assert_int_equal(sup_records_load_all(&recs, &n, &all), 0);
	sup_diag_clear();	/* the broken records, said */
	sup_error_clear();
	for (p = 0; p < S_NPEOPLE; p++) {
		struct sup_record_want want = { S_people[p], -1, SUP_DATE_NONE, SUP_DATE_NONE };
		struct sup_buf b = SUP_BUF_INIT;

		for (i = 0; i < all.n; i++) {
			const struct sup_record *rec = NULL;

			for (k = 0; k < n && !rec; k++)
				if (!strcmp(recs[k]->path, all.refs[i].path))
					rec = recs[k];
			if (!rec || sup_record_wanted(rec, &want))
				sup_buf_printf(&b, "%s%s", b.len ? " " : "", all.refs[i].id);
		}
		w->ids[p] = sup_buf_detach(&b);
		if (!w->ids[p])
			w->ids[p] = sup_xstrdup("");
	}
	sup_records_free_all(recs, n);
	sup_records_release(&all);
	sup_store_free(s);
}

/* sup_records_of's answer as ids, after checking that it is an index
 * like sup_records_index's: sorted by id, each entry's path and blob the
 * index's for that id. */
static char *S_got(struct sup_store *s, const struct sup_records *all,
		   const struct sup_oid *commit, const char *person)
{
	struct sup_records of;
	struct sup_buf b = SUP_BUF_INIT;
	size_t i;
	int rc = sup_records_of(&of, s, commit, person);

	if (rc != 0)
		fail_msg("sup_records_of(%s) = %d: %s", person, rc, sup_error_last());
	assert_ptr_equal(of.store, s);
	for (i = 0; i < of.n; i++) {
		const struct sup_recref *ix = sup_records_get(all, of.refs[i].id);

		if (i > 0 && strcmp(of.refs[i - 1].id, of.refs[i].id) >= 0)
			fail_msg("%s: %s before %s", person, of.refs[i - 1].id, of.refs[i].id);
		if (!ix)
			fail_msg("%s: %s is not in the index", person, of.refs[i].id);
		assert_string_equal(of.refs[i].path, ix->path);
		assert_true(sup_oid_equal(&of.refs[i].blob, &ix->blob));
		sup_buf_printf(&b, "%s%s", i ? " " : "", of.refs[i].id);
	}
	sup_records_release(&of);
	sup_buf_puts(&b, "");
	return sup_buf_detach(&b);
}

/* Whether id is one of the space-separated ids of list. */
static int S_has(const char *list, const char *id, size_t len)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n == len && !memcmp(p, id, len))
			return 1;
		p += n + (p[n] == ' ');
	}
	return 0;
}

/* The ids of a that b lacks, for saying how two answers differ (the
 * answers themselves run to thousands of characters). */
static void S_lacking(struct sup_buf *out, const char *a, const char *b)
{
	const char *p = a;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (!S_has(b, p, n))
			sup_buf_printf(out, " %.*s", (int)n, p);
		p += n + (p[n] == ' ');
	}
}

/* Fail, saying which ids one person's answer has wrongly or lacks. */
static void S_differ(const char *what, const char *person, const char *got, const char *want)
{
	struct sup_buf d = SUP_BUF_INIT;

	sup_buf_puts(&d, "extra:");
	S_lacking(&d, got, want);
	sup_buf_puts(&d, "; missing:");
	S_lacking(&d, want, got);
	fail_msg("%s: %s: %s", what, person, sup_buf_cstr(&d));
	sup_buf_release(&d);
}

/* Every person's answer at w's commit is the one computed without the
 * file. */
static void S_check(const struct S_want *w, const char *what)
{
	struct sup_store *s = S_open();
	struct sup_records all;
	size_t p;

	assert_int_equal(sup_records_index(&all, s, &w->commit), 0);
	for (p = 0; p < S_NPEOPLE; p++) {
		char *got = S_got(s, &all, &w->commit, S_people[p]);

		if (strcmp(got, w->ids[p]))
			S_differ(what, S_people[p], got, w->ids[p]);
		free(got);
	}
	sup_records_release(&all);
	sup_store_free(s);
}

/* One person's answer at rev, as ids. */
static char *S_of(const char *rev, const char *person)
{
	struct sup_store *s = S_open();
	struct sup_oid c = S_rev(rev);
	struct sup_records all;
	char *got;

	assert_int_equal(sup_records_index(&all, s, &c), 0);
	got = S_got(s, &all, &c, person);
	sup_records_release(&all);
	sup_store_free(s);
	return got;
}

static void S_want_all(struct S_want *w)
{
	size_t i;

	for (i = 0; i < SUP_ARRAY_SIZE(S_tags); i++)
		S_want_at(&w[i], S_tags[i]);
}

static void S_want_all_release(struct S_want *w)
{
	size_t i;

	for (i = 0; i < SUP_ARRAY_SIZE(S_tags); i++)
		S_want_release(&w[i]);
}

static void S_rm_cache(void)
{
	free(S_sh("rm -rf .git/sup/cache/parties"));
}

/* The file's bytes ("" when there is none). */
static char *S_cache_bytes(size_t *len)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *path = S_cache_path();

	if (sup_read_file(&b, path, SIZE_MAX) < 0) {
		sup_error_clear();
		sup_buf_truncate(&b, 0);
	}
	free(path);
	*len = b.len;
	sup_buf_puts(&b, "");
	return sup_buf_detach(&b);
}

static void S_cache_write(const char *data, size_t len)
{
	char *path = S_cache_path();

	assert_int_equal(sup_write_file(path, data, len), 0);
	free(path);
}

/* The answers the test history should give, written out by hand, so
 * that a mistake shared by the computation without the file and the
 * file itself is still seen. */
static void test_records_of_by_hand(void **state)
{
	static const struct {
		const char *rev, *person, *want;
	} cases[] = {
		{ "c1", "jo", "2025-11-03-jo 2026-01-05-jo 2026-01-19-group-boss" },
		{ "c1", "boss", "2025-11-03-jo 2026-01-05-jo 2026-01-19-group-boss "
				"2026-01-26-al-handover" },
		{ "c1", "kim", "2026-01-12-jon 2026-01-26-al-handover" },
		{ "c1", "jon", "2026-01-12-jon" },
		{ "c1", "j", "" },
		{ "c1", "max", "" },	/* the record under sub/ is not a record */
		{ "c1", "nobody-at-all", "" },
		/* the broken record is everyone's; jo lost a session to lee */
		{ "c2", "jo", "2025-11-03-jo 2026-01-19-group-boss 2026-02-02-bad" },
		{ "c2", "lee", "2026-01-05-jo 2026-02-02-bad" },
		{ "c2", "jon", "2026-02-02-bad" },
		{ "c2", "max", "2026-02-02-bad" },
		{ "c2", "nobody-at-all", "2026-02-02-bad" },
		/* a record whose id is not its name does not parse */
		{ "c4", "max", "2025-11-03-jo" },
		{ "c4", "jon", "2025-11-03-jo 2027-02-01-jo-handover" },
		{ "c0", "jo", "" },
		{ "c5", "boss", "" },
	};
	size_t i;

	(void)state;
	S_rm_cache();
	for (i = 0; i < SUP_ARRAY_SIZE(cases); i++) {
		char *got = S_of(cases[i].rev, cases[i].person);

		if (strcmp(got, cases[i].want))
			fail_msg("%s at %s: '%s', want '%s'", cases[i].person, cases[i].rev,
				 got, cases[i].want);
		free(got);
	}
}

/* The file built at one tree and carried to the next: every answer, at
 * every commit, asked in an order that moves the file forwards by a few
 * changes, by many, and backwards. */
static void test_records_of_across_commits(void **state)
{
	static const int order[] = { 0, 1, 2, 3, 4, 1, 2, 5, 4, 3, 0, 4 };
	struct S_want w[SUP_ARRAY_SIZE(S_tags)];
	char *c1_bytes, *after;
	size_t c1_len, len, i;

	(void)state;
	S_want_all(w);
	/* the computation without the file sees what the history holds
	 * (ids[7] is max's, ids[1] jo's) */
	assert_string_equal(w[1].ids[7], "");
	assert_non_null(strstr(w[2].ids[7], "2026-02-02-bad"));
	assert_non_null(strstr(w[3].ids[1], "2027-01-01-gen-297"));

	S_rm_cache();
	S_check(&w[1], "c1 from no file");
	c1_bytes = S_cache_bytes(&c1_len);
	assert_true(c1_len > 0);
	/* a few changes are answered from the c1 file and the changes alone:
	 * it is not written again */
	S_check(&w[2], "c2 from the c1 file");
	after = S_cache_bytes(&len);
	assert_int_equal(len, c1_len);
	assert_memory_equal(after, c1_bytes, len);
	free(after);
	/* many are taken in and the file written for c3 */
	S_check(&w[3], "c3 from the c1 file");
	after = S_cache_bytes(&len);
	assert_true(len != c1_len || memcmp(after, c1_bytes, len));
	free(after);
	free(c1_bytes);
	for (i = 0; i < SUP_ARRAY_SIZE(order); i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s, step %zu", S_tags[order[i]], i);
		S_check(&w[order[i]], what);
	}
	S_want_all_release(w);
}

/* Deleting the file, or the records cache beside it, changes no answer. */
static void test_records_of_without_cache(void **state)
{
	struct S_want w[SUP_ARRAY_SIZE(S_tags)];
	size_t i;

	(void)state;
	S_want_all(w);
	for (i = 0; i < SUP_ARRAY_SIZE(S_tags); i++) {
		S_check(&w[i], "warm");
		S_rm_cache();
		S_check(&w[i], "after deleting the file");
		free(S_sh("rm -rf .git/sup/cache"));
		S_check(&w[i], "after deleting every cache");
	}
	S_want_all_release(w);
}

/* A damaged file at the tree asked about and at another: never believed
 * where it is wrong. */
static void S_check_damaged(const struct S_want *w, const char *data, size_t len,
			    const char *what)
{
	char buf[128];

	S_cache_write(data, len);
	snprintf(buf, sizeof(buf), "%s, same tree", what);
	S_check(&w[4], buf);
	S_cache_write(data, len);
	snprintf(buf, sizeof(buf), "%s, another tree", what);
	S_check(&w[2], buf);
	S_cache_write(data, len);
	snprintf(buf, sizeof(buf), "%s, far tree", what);
	S_check(&w[1], buf);
}

static void test_records_of_damaged_cache(void **state)
{
	struct S_want w[SUP_ARRAY_SIZE(S_tags)];
	char *good, *bad, what[64];
	size_t len, i, pos;
	uint32_t x = 12345;

	(void)state;
	S_want_all(w);
	S_rm_cache();
	S_check(&w[4], "c4 from no file");
	good = S_cache_bytes(&len);
	assert_true(len > 100);
	bad = sup_xmalloc(len);

	/* a byte flipped in the middle, then at a spread of places from the
	 * header to the last path */
	memcpy(bad, good, len);
	bad[len / 2] ^= 0x01;
	S_check_damaged(w, bad, len, "middle byte flipped");
	for (pos = 0; pos < len; pos += len / 61 + 1) {
		memcpy(bad, good, len);
		bad[pos] ^= 0x20;
		snprintf(what, sizeof(what), "byte %zu of %zu flipped", pos, len);
		S_check_damaged(w, bad, len, what);
	}
	/* cut short: at the middle, in the header, by one byte, to nothing */
	S_check_damaged(w, good, len / 2, "cut to half");
	S_check_damaged(w, good, 40, "cut in the header");
	S_check_damaged(w, good, len - 1, "last byte cut");
	S_check_damaged(w, good, 0, "empty");
	/* garbage, and garbage behind a sound magic line */
	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		bad[i] = (char)(x >> 16);
	}
	S_check_damaged(w, bad, len, "garbage");
	memcpy(bad, good, 16);
	S_check_damaged(w, bad, len, "garbage after the magic");
	memset(bad + 16, 0, len - 16);
	S_check_damaged(w, bad, len, "zeros after the magic");
	/* not a file at all: a directory where it should be */
	S_rm_cache();
	free(S_sh("mkdir -p .git/sup/cache/parties/x"));
	S_check(&w[4], "a directory in its place");
	S_check(&w[2], "a directory in its place, another tree");
	S_rm_cache();
	free(bad);
	free(good);
	S_want_all_release(w);
}

/* A record that does not parse belongs to no one: every asker has it,
 * so that whoever reads it reports it. */
static void test_records_of_unparsed_to_everyone(void **state)
{
	static const struct {
		const char *rev, *id;
	} broken[] = {
		{ "c2", "2026-02-02-bad" },	/* bad YAML */
		{ "c4", "2025-11-03-jo" },	/* its id not its file name */
	};
	size_t i, p, round;

	(void)state;
	/* asked with no file, then from the file that leaves */
	for (round = 0; round < 2; round++) {
		if (round == 0)
			S_rm_cache();
		for (i = 0; i < SUP_ARRAY_SIZE(broken); i++)
			for (p = 0; p < S_NPEOPLE; p++) {
				char *got = S_of(broken[i].rev, S_people[p]);

				if (!strstr(got, broken[i].id))
					fail_msg("%s at %s: '%s' lacks %s", S_people[p],
						 broken[i].rev, got, broken[i].id);
				free(got);
			}
	}
	/* mended, it is its parties' only */
	{
		char *got = S_of("c3", "max");

		assert_string_equal(got, "");
		free(got);
	}
}

/* sup_parties_of directly: a directory absent at the commit is nothing,
 * with no file written for it. */
static int S_no_people(void *ctx, const char *path, const struct sup_oid *blob,
		       sup_person_fn add, void *payload)
{
	(void)ctx;
	(void)path;
	(void)blob;
	(void)add;
	(void)payload;
	fail_msg("no file should be looked at");
	return -1;
}

static int S_any_file(const char *path)
{
	(void)path;
	return 1;
}

static void test_parties_of_absent_dir(void **state)
{
	struct sup_parties_kind kind = { "cases", "parties-test", S_any_file, S_no_people, NULL };
	struct sup_store *s = S_open();
	struct sup_oid c = S_rev("c4");
	struct sup_party_file *f = (struct sup_party_file *)&f;
	size_t n = 99;
	struct stat st;
	char *path = sup_xasprintf("%s/.git/sup/cache/parties-test", S_dir);

	(void)state;
	assert_int_equal(sup_parties_of(&f, &n, s, &c, &kind, "jo"), 0);
	assert_null(f);
	assert_int_equal(n, 0);
	assert_int_equal(stat(path, &st), -1);
	free(path);
	sup_store_free(s);
}

/*
 * sup_parties_of with a kind of its own: every .md file at any depth is
 * taken, and its people are the "supervisee:" lines of its text, so that
 * which files count and who they belong to are the kind's to say.
 */
struct S_kindctx {
	struct sup_store *s;
	int fail;		/* people() fails with this when not 0 */
};

static int S_md_file(const char *path)
{
	return sup_ends_with(path, ".md");
}

static int S_supervisee_lines(void *ctx, const char *path, const struct sup_oid *blob,
			      sup_person_fn add, void *payload)
{
	struct S_kindctx *k = ctx;
	struct sup_buf text = SUP_BUF_INIT;
	const char *line;
	int error;

	assert_true(S_md_file(path));
	if (k->fail)
		return k->fail;
	if ((error = sup_store_blob_read(&text, k->s, blob)) < 0)
		return error;
	for (line = sup_buf_cstr(&text); line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sup_starts_with(line, "supervisee: "))
			add(line + 12, strcspn(line + 12, "\n"), payload);
	sup_buf_release(&text);
	return 0;
}

static int S_path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sup_party_file *)a)->path,
		      ((const struct sup_party_file *)b)->path);
}

/* The paths sup_parties_of gives person at rev, sorted, after checking
 * each blob is the one at that path. */
static char *S_kind_of(struct S_kindctx *k, const char *rev, const char *person)
{
	struct sup_parties_kind kind = { "records", "parties-test", S_md_file,
					 S_supervisee_lines, k };
	struct sup_oid c = S_rev(rev);
	struct sup_party_file *f = NULL;
	struct sup_buf b = SUP_BUF_INIT;
	size_t n = 0, i;

	assert_int_equal(sup_parties_of(&f, &n, k->s, &c, &kind, person), 0);
	sup_qsort(f, n, sizeof(*f), S_path_cmp);	/* f is NULL when n is 0 */
	for (i = 0; i < n; i++) {
		struct sup_oid blob;
		char *hex = S_sh("git rev-parse '%s:%s'", rev, f[i].path);

		assert_int_equal(sup_oid_parse(&blob, hex), 0);
		assert_true(sup_oid_equal(&blob, &f[i].blob));
		free(hex);
		sup_buf_printf(&b, "%s%s", i ? " " : "", f[i].path);
	}
	sup_party_files_free(f, n);
	sup_buf_puts(&b, "");
	return sup_buf_detach(&b);
}

static void test_parties_of_own_kind(void **state)
{
	static const struct {
		const char *rev, *person, *want;
	} cases[] = {
		/* the file under sub/ is this kind's; ".md" and the group
		 * (its attendees are "supervisees:") name no one */
#define S_NO_ONE "records/2026/.md records/2026/2026-01-19-group-boss.md"
		{ "c1", "max", S_NO_ONE " records/2026/sub/2026-01-05-max.md" },
		{ "c1", "jo", "records/2025/2025-11-03-jo.md records/2026/.md "
			      "records/2026/2026-01-05-jo.md records/2026/2026-01-19-group-boss.md" },
		{ "c1", "boss", S_NO_ONE },	/* no "supervisee: boss" */
		/* c2 from the c1 file: README and notes.txt are not taken;
		 * the bad record has no supervisee line */
		{ "c2", "lee", "records/2026/.md records/2026/2026-01-05-jo.md "
			       "records/2026/2026-01-19-group-boss.md records/2026/2026-02-02-bad.md" },
		{ "c2", "max", S_NO_ONE " records/2026/2026-02-02-bad.md "
			       "records/2026/sub/2026-01-05-max.md" },
		{ "c0", "jo", "" },
		{ "c1", "lee", S_NO_ONE },
#undef S_NO_ONE
	};
	struct S_kindctx k = { S_open(), 0 };
	char *path = sup_xasprintf("%s/.git/sup/cache/parties-test", S_dir);
	struct sup_parties_kind kind = { "records", "parties-test", S_md_file,
					 S_supervisee_lines, &k };
	struct sup_party_file *f = (struct sup_party_file *)&f;
	struct sup_oid c2 = S_rev("c2"), c3 = S_rev("c3");
	struct stat st;
	size_t i, n = 99;

	(void)state;
	free(S_sh("rm -f '%s'", path));
	for (i = 0; i < SUP_ARRAY_SIZE(cases); i++) {
		char *got = S_kind_of(&k, cases[i].rev, cases[i].person);

		if (strcmp(got, cases[i].want))
			fail_msg("%s at %s: '%s', want '%s'", cases[i].person, cases[i].rev,
				 got, cases[i].want);
		free(got);
	}
	/* the kind's own file, not the records' */
	assert_int_equal(stat(path, &st), 0);
	/* the kind failing is the answer's failing: a few changes from the
	 * file's tree (c1), many, or every file with no file at all */
	k.fail = -9;
	assert_int_equal(sup_parties_of(&f, &n, k.s, &c2, &kind, "jo"), -9);
	assert_int_equal(n, 0);
	sup_party_files_free(f, n);
	assert_int_equal(sup_parties_of(&f, &n, k.s, &c3, &kind, "jo"), -9);
	assert_int_equal(n, 0);
	sup_party_files_free(f, n);
	free(S_sh("rm -f '%s'", path));
	assert_int_equal(sup_parties_of(&f, &n, k.s, &c3, &kind, "jo"), -9);
	assert_int_equal(n, 0);
	sup_party_files_free(f, n);
	free(path);
	sup_store_free(k.s);
}

/* A record copied under another name, or moved to another year, is the
 * same blob at a path where it does not parse (id or year): it belongs to
 * no one, whatever the records cache says of that blob at its old path. */
static void test_records_of_same_blob_elsewhere(void **state)
{
	static const char *const steps[] = {
		"cp records/2026/2026-03-02-al.md records/2026/2026-03-09-al.md",
		"mkdir -p records/2025 && git mv records/2026/2026-03-02-al.md records/2025/",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SUP_ARRAY_SIZE(steps); i++) {
		struct S_want w;
		char tag[16];

		snprintf(tag, sizeof(tag), "same%zu", i);
		free(S_sh("git checkout -q -B same c2 && %s && git add -A && "
			  "git -c user.name=T -c user.email=t@example.org commit -q -m %s && "
			  "git tag %s && git checkout -q main", steps[i], tag, tag));
		S_want_at(&w, tag);	/* warms the records cache, as any command does */
		S_rm_cache();
		S_check(&w, steps[i]);
		S_want_release(&w);
	}
}

/* The file names a records tree that is no longer in the repository (a
 * commit amended or a branch deleted, then gc): the file is only a
 * shortcut, so the answer is built from the tree, not an error. */
static void test_records_of_file_tree_pruned(void **state)
{
	struct S_want w;
	char *got;

	(void)state;
	S_want_at(&w, "c2");
	free(S_sh("git checkout -q -b doomed c2 && echo x >records/2026/2026-04-01-kim.md && "
		  "git add -A && git -c user.name=T -c user.email=t@example.org commit -q -m doomed"));
	S_rm_cache();
	got = S_of("doomed", "kim");	/* the file is now for doomed's records tree */
	free(got);
	free(S_sh("t=$(git rev-parse doomed:records) && git checkout -q main && "
		  "git branch -q -D doomed && git reflog expire --expire=now --all && "
		  "git gc -q --prune=now && ! git cat-file -e $t 2>/dev/null"));
	S_check(&w, "the file's tree pruned");
	S_want_release(&w);
}

/* A commit that changes only files under records/ that are not records
 * (records/README): the trees differ but no record does (under
 * -fsanitize=undefined this caught qsort(NULL, 0, ...)). */
static void test_records_of_only_other_files_changed(void **state)
{
	struct S_want w;
	char *got;

	(void)state;
	free(S_sh("git checkout -q -B readme c2 && echo more >>records/README && git add -A && "
		  "git -c user.name=T -c user.email=t@example.org commit -q -m readme && "
		  "git tag readme && git checkout -q main"));
	S_want_at(&w, "readme");
	S_rm_cache();
	got = S_of("c2", "jo");		/* the file is for c2's records tree */
	free(got);
	S_check(&w, "only records/README changed");
	S_want_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_of_by_hand, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_records_of_across_commits, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_records_of_without_cache, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_records_of_damaged_cache, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_records_of_unparsed_to_everyone, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_parties_of_absent_dir, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_parties_of_own_kind, S_clear, S_clear),
		/* last: they add commits on side branches and gc the repository */
		cmocka_unit_test_setup_teardown(test_records_of_same_blob_elsewhere, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_records_of_file_tree_pruned, S_clear, S_clear),
		cmocka_unit_test_setup_teardown(test_records_of_only_other_files_changed, S_clear, S_clear),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
