/*
 * verify: judge commit signatures with sup's own verifier, for the
 * benchmark's "verify every signature" figure.
 *
 *	verify [-n count] [-q] repo
 *
 * Walks the branch from its tip, newest first (the order `git log` uses on
 * a linear history), and judges the first count commits (default: all)
 * with sup_verify_commit against the staff register at the tip, reading
 * each raw commit with sup_store_commit_raw.  Prints how many were judged,
 * each verdict's count, and the time per commit.  Exit 0 when every
 * verdict is good, 1 otherwise, 2 when it could not run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "register.h"
#include "store.h"
#include "verify.h"
#include "walk.h"

static const char usage_str[] = "usage: verify [-n count] [-q] repo";

struct walk {
	struct sup_oid *ids;
	size_t n, cap, max;
};

static int S_collect(const struct sup_oid *commit, void *payload)
{
	struct walk *w = payload;

	if (w->max && w->n >= w->max)
		return 1;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->ids = sup_xrealloc(w->ids, w->cap * sizeof(*w->ids));
	}
	w->ids[w->n++] = *commit;
	return 0;
}

static double S_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sup_store *s = NULL;
	struct sup_register reg;
	struct sup_oid head;
	struct walk w;
	struct sup_buf raw = SUP_BUF_INIT;
	size_t counts[5] = { 0 }, i;
	double t0, t1;
	int c, quiet = 0;

	memset(&w, 0, sizeof(w));
	memset(&reg, 0, sizeof(reg));
	while ((c = getopt(argc, argv, "n:q")) != -1) {
		switch (c) {
		case 'n': w.max = (size_t)strtoul(optarg, NULL, 10); break;
		case 'q': quiet = 1; break;
		default: fprintf(stderr, "%s\n", usage_str); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s\n", usage_str);
		return 2;
	}
	t0 = S_now();
	if (sup_store_open(&s, argv[optind]) < 0 || sup_store_head(&head, s) < 0 ||
	    sup_register_load_staff(&reg, s, &head) < 0 ||
	    sup_walk_all(s, &head, S_collect, &w) < 0) {
		sup_perror("verify");
		sup_store_free(s);
		return 2;
	}
	t1 = S_now();
	for (i = 0; i < w.n; i++) {
		struct sup_sigcheck check;

		sup_buf_truncate(&raw, 0);
		if (sup_store_commit_raw(&raw, s, &w.ids[i]) < 0 ||
		    sup_verify_commit(&check, &reg, NULL, raw.ptr, raw.len) < 0) {
			sup_perror("verify");
			return 2;
		}
		counts[check.verdict]++;
		sup_sigcheck_release(&check);
	}
	{
		double t2 = S_now();

		if (!quiet)
			printf("commits: %zu\ngood: %zu\nbad: %zu\nunsigned: %zu\n"
			       "unknown-key: %zu\nmultiple: %zu\n"
			       "setup: %.3f s\nverify: %.3f s\nper-commit: %.1f us\n",
			       w.n, counts[SUP_VERDICT_GOOD], counts[SUP_VERDICT_BAD],
			       counts[SUP_VERDICT_UNSIGNED], counts[SUP_VERDICT_UNKNOWN_KEY],
			       counts[SUP_VERDICT_MULTIPLE], t1 - t0, t2 - t1,
			       w.n ? (t2 - t1) * 1e6 / (double)w.n : 0.0);
	}
	sup_buf_release(&raw);
	free(w.ids);
	sup_register_release(&reg);
	sup_store_free(s);
	return counts[SUP_VERDICT_GOOD] == w.n ? 0 : 1;
}
