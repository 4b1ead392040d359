/*
 * present: records as people and programs read them - one record as
 * Markdown, HTML or JSON, and lists of records as text, JSON or CSV.
 */
#ifndef SUP_PRESENT_H
#define SUP_PRESENT_H

#include "output.h"
#include "record.h"
#include "register.h"

enum sup_show_format {
	SUP_SHOW_MD,
	SUP_SHOW_HTML,
	SUP_SHOW_JSON
};

/* "md", "html", "json"; SUP_EUSAGE otherwise. */
int sup_show_format_parse(enum sup_show_format *out, const char *s);

/* What is known about the commit that added a sign-off (from history). */
struct sup_signoff_proof {
	const char *by;
	const char *commit;		/* hex, or NULL when not found */
	const char *verdict;		/* "good", "bad", ... */
	const char *fingerprint;	/* of the signing key */
	const char *signer;		/* whose key signed */
};

/* One record, with the sign-off state and any proofs (may be NULL). */
int sup_present_record(struct sup_buf *out, const struct sup_record *rec,
		       enum sup_show_format fmt,
		       const struct sup_signoff_proof *proofs, size_t nproofs);

/* A YAML tree as JSON: plain scalars that are integers become numbers,
 * true/false booleans, empty/null/~ null; everything else a string. */
void sup_node_json(struct sup_json *j, const struct sup_node *n);

struct sup_list_filter {
	const char *type, *supervisee, *supervisor, *party;
	sup_date since, until;
	int unsigned_only;
};

/* What to load for a filter: a necessary condition, cheap to test on
 * cached records; sup_record_matches() decides. */
void sup_list_want(struct sup_record_want *w, const struct sup_list_filter *f);
/* 1 if rec passes the filter. */
int sup_record_matches(const struct sup_record *rec,
		       const struct sup_list_filter *f);

/* The records in order: id, type, date, supervisor, supervisee(s), state. */
void sup_present_list(struct sup_buf *out, struct sup_record *const *recs,
		      size_t n, enum sup_format fmt, int colour);

/*
 * The differences between two versions of a record (either text may be
 * NULL: absent): the front matter field by field, then the body as a
 * unified diff.  Text, or JSON {"from","to","fields":[{"path","change",
 * "old","new"}],"body":"<unified diff>"}.  A version whose front matter
 * does not parse is compared as text only.
 */
void sup_present_diff(struct sup_buf *out, enum sup_format fmt,
		      const char *path, const char *a, size_t alen,
		      const char *b, size_t blen, const char *label_a,
		      const char *label_b);

/* The staff register (sup staff list): people in post on today, or all;
 * text, json or csv. */
void sup_present_staff(struct sup_buf *out, const struct sup_register *reg,
		       enum sup_format fmt, int all, sup_date today);
/* The case register (sup case list): open cases, or all; one worker's
 * only when worker is not NULL. */
void sup_present_cases(struct sup_buf *out, const struct sup_register *reg,
		       enum sup_format fmt, int all, const char *worker);

struct sup_log_entry;
struct sup_repo;
/* Log entries (sup log) as a table, json, csv, or with -p each change as
 * sup diff shows it (the changed versions are read through r). */
void sup_present_log(struct sup_buf *out, struct sup_repo *r,
		     const struct sup_log_entry *e, size_t n, enum sup_format fmt,
		     int patch, int colour);

#endif
