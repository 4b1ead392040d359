/*
 * admin: changes to the repository's set-up - a new repository, the staff
 * register and the case register - each checked and written as one signed
 * commit by an admin.
 */
#ifndef SUP_ADMIN_H
#define SUP_ADMIN_H

#include "repo.h"

struct sup_init_opts {
	const char *dir;
	const char *org;
	const char *admin_id;
	const char *name;
	const char *email;
	const char *key;	/* a public key line or OpenPGP key block */
	const char *role;	/* default "manager" */
	sup_date today;
};

/*
 * Make a new sup repository in opts->dir: sup.yaml from the installed
 * default with the organisation's name, the first admin, and a root
 * commit signed by that admin with the registered key.  A directory that
 * already holds a repository: SUP_EEXISTS.
 */
int sup_admin_init(const struct sup_init_opts *opts);

/* Refuse (SUP_EDENIED) unless who is an admin. */
int sup_admin_require(const struct sup_staff *who, const char *what);

/*
 * Write a staff member (new or changed) after checking it against the
 * policy (role known) and the register (supervisor known).  st is
 * consumed.  verb is the subject's verb ("staff add", "staff set").
 */
int sup_admin_put_staff(struct sup_repo *r, const struct sup_staff *actor,
			struct sup_staff *st, const char *verb);

/* Write cases (new or changed) in one commit; the array is consumed. */
int sup_admin_put_cases(struct sup_repo *r, const struct sup_staff *actor,
			struct sup_case *cases, size_t n, const char *subject);

/*
 * Parse a caseload CSV (header row naming columns ref, worker, opened,
 * and optionally closed, child_protection, in any order).  Every problem
 * is a diagnostic "file:line:column: ..."; SUP_EINVALID if any.
 */
int sup_case_csv_parse(struct sup_case **out, size_t *n, const char *text,
		       size_t len, const char *path);

/*
 * Check that the worker of every case read by sup_case_csv_parse is in
 * the register: a diagnostic "path:line:column: ..." at the worker field
 * for each one that is not; SUP_EINVALID if any.
 */
int sup_case_csv_check(const struct sup_register *r,
		       const struct sup_case *cases, size_t n, const char *path);

/*
 * Read a key argument: a public key line given literally, or the path of
 * a file holding one (an OpenSSH .pub file, or an armored OpenPGP public
 * key).  Checked for form.  Caller frees *out.
 */
int sup_admin_read_key(char **out, const char *arg);

/* The allowed_signers text for git (gpg.ssh.allowedSignersFile): one line
 * per registered SSH key, "EMAIL namespaces=\"git\" KEY". */
void sup_allowed_signers(struct sup_buf *out, const struct sup_register *r);

#endif
