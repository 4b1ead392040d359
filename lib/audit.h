/*
 * audit: the findings of DESIGN.md section 5 (all but the trail), one
 * function per selector, and their text, JSON and CSV forms.  The rules
 * where DESIGN.md is terse are documented in sup-audit(1).
 */
#ifndef SUP_AUDIT_H
#define SUP_AUDIT_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include "output.h"
#include "schedule.h"
#include "store.h"

enum sup_severity {
	SUP_SEV_INFO,
	SUP_SEV_WARNING,
	SUP_SEV_ERROR
};

/* "info", "warning", "error". */
const char *sup_severity_name(enum sup_severity s);

struct sup_finding {
	const char *code;		/* static: "overdue", "late-record" ... */
	enum sup_severity severity;
	char *person;			/* whom it is about */
	char *supervisor;		/* who answers for it (may be NULL) */
	char *record;			/* the record id, or NULL */
	sup_date date;			/* the meeting, or what happened; or NONE */
	sup_date due;			/* what was due when; or NONE */
	char *message;			/* one line */
};

struct sup_findings {
	struct sup_finding *v;
	size_t n, cap;
};

void sup_findings_release(struct sup_findings *f);

/* Selectors (sup audit --overdue ...): a bit each. */
enum {
	SUP_AUDIT_OVERDUE = 1 << 0,
	SUP_AUDIT_LATE = 1 << 1,
	SUP_AUDIT_UNSIGNED = 1 << 2,
	SUP_AUDIT_CONTRACTS = 1 << 3,
	SUP_AUDIT_CASES = 1 << 4,
	SUP_AUDIT_ACTIONS = 1 << 5,
	SUP_AUDIT_FUNCTIONS = 1 << 6,
	SUP_AUDIT_TRAINING = 1 << 7,
	SUP_AUDIT_ALL = (1 << 8) - 1
};

/*
 * When each record file first appeared: path -> the committer time of
 * the earliest commit that added it (sup_store_added_paths).  Sorted by
 * path.
 */
struct sup_first_seen {
	char *path;
	time_t when;
};

struct sup_first_seens {
	struct sup_first_seen *v;
	size_t n, cap;
	int from_cache;		/* how it was made, for tests: 0 full walk, */
	int resumed;		/* 1 cache as it was, resumed: cache + new commits */
};

/*
 * Work out the first-seen times of everything under records/ at head.
 * A derived cache in .git/sup/cache/first-seen, keyed by the head it was
 * made at, is read when it is there and valid: used as it is when its
 * head is this head, resumed from when its head is an ancestor of head,
 * else thrown away; it is then written for the next run.  The cache is
 * never the source of truth: the answer is the same without it.
 * Release with sup_first_seens_release().
 */
int sup_first_seens_load(struct sup_first_seens *out, struct sup_store *s,
			 const struct sup_oid *head);
/*
 * The same, started in a child process while the caller does other work
 * (a cold audit parses every record meanwhile: two processors, two jobs):
 * sup_first_seens_start() forks when the cache does not already answer
 * for head and returns the child (0 when there is nothing to wait for);
 * sup_first_seens_finish() waits for it and loads the answer, working it
 * out itself if the child could not.  A child so that the walk's reads
 * (libgit2's process-wide switches, see store.c) never meet the parent's.
 */
pid_t sup_first_seens_start(struct sup_store *s, const struct sup_oid *head);
int sup_first_seens_finish(struct sup_first_seens *out, pid_t pid,
			   struct sup_store *s, const struct sup_oid *head);
/* Add (or keep the earlier of) path's time. */
void sup_first_seens_put(struct sup_first_seens *fs, const char *path, time_t when);
/* Sort by path, merging duplicates to their earliest time. */
void sup_first_seens_sort(struct sup_first_seens *fs);
/* The time for path, or -1 when unknown (fs sorted). */
time_t sup_first_seens_get(const struct sup_first_seens *fs, const char *path);
void sup_first_seens_release(struct sup_first_seens *fs);

/* The one rule per selector; each appends to out. */
void sup_audit_overdue(struct sup_findings *out, const struct sup_schedule *s);
void sup_audit_late(struct sup_findings *out, const struct sup_schedule *s,
		    struct sup_record *const *recs, size_t nrecs,
		    const struct sup_first_seens *first);
void sup_audit_unsigned(struct sup_findings *out, const struct sup_schedule *s,
			struct sup_record *const *recs, size_t nrecs);
void sup_audit_contracts(struct sup_findings *out, const struct sup_schedule *s);
void sup_audit_cases(struct sup_findings *out, const struct sup_schedule *s);
void sup_audit_actions(struct sup_findings *out, const struct sup_schedule *s);
void sup_audit_functions(struct sup_findings *out, const struct sup_schedule *s);
void sup_audit_training(struct sup_findings *out, const struct sup_schedule *s);

/*
 * Run the selected rules over the records (every record at the head;
 * those dated after as_of are left out), keep the findings about person
 * and of supervisor (either may be NULL: everyone), and sort them by
 * supervisor, severity (most severe first), person, code, date.  first
 * may be NULL when SUP_AUDIT_LATE is not selected.
 */
void sup_audit_run(struct sup_findings *out, const struct sup_policy *policy,
		   const struct sup_register *reg,
		   struct sup_record *const *recs, size_t nrecs,
		   const struct sup_first_seens *first, sup_date as_of,
		   unsigned selectors, const char *supervisor, const char *person);

/* 1 when any finding is a warning or an error (the audit then exits 1;
 * information alone does not fail it). */
int sup_findings_fail(const struct sup_findings *f);

/*
 * The findings as text (a table per supervisor, most severe first; colour
 * by severity when colour is set), one JSON document {"as_of",
 * "findings", "summary"} (man/sup-audit.schema.json), or CSV with a
 * header row.  Appended to out.
 */
void sup_audit_write(struct sup_buf *out, const struct sup_findings *f,
		     const struct sup_register *reg, sup_date as_of,
		     enum sup_format fmt, int colour);

/*
 * The key of an audit's answer: everything it depends on - the branch tip
 * (which fixes the policy, the register and every record), the selectors,
 * the as-of date, the filters, the format, colour, and sup's version.
 * For sup_result_get/put.  Caller frees.
 */
char *sup_audit_key(const struct sup_oid *head, unsigned sel, sup_date as_of,
		    const char *supervisor, const char *person, int format,
		    int colour);

#endif
