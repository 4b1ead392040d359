/*
 * register: the staff register (staff/<id>.yaml) and the case register
 * (cases/<ref>.yaml) of DESIGN.md sections 2.1 and 2.2, read from a commit
 * and written back as canonical YAML.
 */
#ifndef SUP_REGISTER_H
#define SUP_REGISTER_H

#include <stddef.h>

#include "dates.h"
#include "store.h"

struct sup_absence {
	sup_date from, to;
	char *reason;
};

struct sup_staff {
	char *id, *name, *email, *role;
	int role_line, role_col;	/* where the role is, for diagnostics */
	sup_date phase_start;	/* SUP_DATE_NONE: same as started */
	sup_date started, left;
	char *supervisor;	/* NULL: none (the top of the hierarchy) */
	int supervisor_line, supervisor_col;
	int admin, auditor;
	sup_date supervisor_trained;
	struct sup_absence *absences;
	size_t nabsences;
	char **keys;		/* ssh public key lines or OpenPGP key blocks */
	size_t nkeys;
};

struct sup_case {
	char *ref, *worker;
	int worker_line, worker_col;
	sup_date opened, closed;
	int child_protection;
};

/* A register that holds some workers' cases reads any other case it is
 * asked for from the tree, once (sup_register_load_cases_of). */
struct sup_register_lazy {
	struct sup_store *store;
	struct sup_oid commit;
	struct sup_case **v;		/* read on demand */
	size_t n;
};

struct sup_register {
	struct sup_staff *staff;	/* sorted by id */
	size_t nstaff;
	struct sup_case *cases;		/* sorted by ref */
	size_t ncases;
	struct sup_register_lazy *lazy;	/* NULL: cases holds every case */
};

/*
 * Parse one staff file; path names it in diagnostics and its file name
 * must match the id.  SUP_EINVALID with diagnostics on any problem.
 * Release with sup_staff_release().
 */
int sup_staff_parse(struct sup_staff *out, const char *text, size_t len,
		    const char *path);
/* Canonical YAML text of a staff member; appended to out. */
void sup_staff_emit(struct sup_buf *out, const struct sup_staff *st);
void sup_staff_release(struct sup_staff *st);
/* Deep copy. */
void sup_staff_copy(struct sup_staff *dst, const struct sup_staff *src);

int sup_case_parse(struct sup_case *out, const char *text, size_t len,
		   const char *path);
void sup_case_emit(struct sup_buf *out, const struct sup_case *c);
void sup_case_release(struct sup_case *c);

/*
 * Load the whole register as it is in commit, and check the references
 * between files (supervisor and worker ids exist, no one supervises
 * themselves).  Every problem becomes a diagnostic; SUP_EINVALID if any.
 */
int sup_register_load(struct sup_register *out, struct sup_store *s,
		      const struct sup_oid *commit);
/* Only the staff register, for judging signatures (no cross checks). */
int sup_register_load_staff(struct sup_register *out, struct sup_store *s,
			    const struct sup_oid *commit);
/*
 * Add to a register loaded without cases (sup_register_load_staff) the
 * cases of these workers, from the caseload index (parties.h), and make
 * it read any other case it is asked for from the tree: a record about
 * one person checks and pre-fills their cases without reading the tens
 * of thousands of others.  Iterating r->cases then sees only these.
 * SUP_EINVALID with diagnostics when one of them does not parse.
 */
int sup_register_load_cases_of(struct sup_register *r, struct sup_store *s,
			       const struct sup_oid *commit,
			       const char *const *workers, size_t nworkers);
/* Check cross references of an in-memory register (used before writing a
 * change). */
int sup_register_check(const struct sup_register *r);
void sup_register_release(struct sup_register *r);

const struct sup_staff *sup_register_staff(const struct sup_register *r,
					   const char *id);
struct sup_case *sup_register_case(const struct sup_register *r,
				   const char *ref);
/* The staff member whose email matches (case-insensitively). */
const struct sup_staff *sup_register_by_email(const struct sup_register *r,
					      const char *email);
/* The nearest staff id to a mistyped one, or NULL. */
const char *sup_register_suggest(const struct sup_register *r, const char *id);
/* Add or replace (by id / ref), keeping the arrays sorted; the register
 * takes ownership of the struct's contents. */
void sup_register_put_staff(struct sup_register *r, struct sup_staff *st);
void sup_register_put_case(struct sup_register *r, struct sup_case *c);

/* 1 if the person is in post on date d (started on or before, not left). */
int sup_staff_active(const struct sup_staff *st, sup_date d);

/* Paths: "staff/<id>.yaml", "cases/<ref>.yaml"; caller frees. */
char *sup_staff_path(const char *id);
char *sup_case_path(const char *ref);


/* Changes to one person, for `sup staff`.  Each returns 0 or SUP_EINVALID
 * / SUP_ENOTFOUND / SUP_EEXISTS with a message. */
/* Add a key line or OpenPGP block (already checked for form). */
int sup_staff_add_key(struct sup_staff *st, const char *key);
/* Remove the key equal to `which`, or whose SHA256 fingerprint or comment
 * is `which`.  Refuses to remove the last key of an admin. */
int sup_staff_remove_key(struct sup_staff *st, const char *which);
int sup_staff_add_absence(struct sup_staff *st, sup_date from, sup_date to,
			  const char *reason);
/* A short description of a key: fingerprint and comment for SSH keys,
 * "OpenPGP key FPR" for OpenPGP blocks; caller frees. */
char *sup_key_describe(const char *key);
#endif
