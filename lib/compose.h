/*
 * compose: the text of a new record, pre-filled from the registers, the
 * policy and earlier records; and the changes `sup edit --amend` makes.
 */
#ifndef SUP_COMPOSE_H
#define SUP_COMPOSE_H

#include "records.h"
#include "repo.h"

struct sup_new_opts {
	enum sup_record_type type;
	sup_date date;
	const char *me;			/* the current person */
	const char *const *with;	/* supervisee(s) */
	size_t nwith;
	const char *const *cases;	/* --case */
	size_t ncases;
	const char *const *sets;	/* --set KEY=VALUE */
	size_t nsets;
};

/*
 * The template body for a type: the repository's templates/<type>.md at
 * the branch tip when there is one, else the installed template.
 */
int sup_template_load(struct sup_buf *out, struct sup_repo *r,
		      enum sup_record_type type);

/* Expand a template: the "<!-- each case -->" block once per case
 * reference, and {{supervisee_name}}, {{supervisor_name}}, {{date}}. */
void sup_template_expand(struct sup_buf *out, const char *tmpl, size_t len,
			 const char *const *refs, size_t nrefs,
			 const char *supervisee_name, const char *supervisor_name,
			 const char *date);

/*
 * Compose a new record: a free id (<date>-<supervisee>, -group-<me>,
 * -oversight, -contract, -handover, with -2, -3 ... while taken() says
 * an id is in use: 1, or a negative error), front
 * matter pre-filled (every open case of the supervisee with an empty
 * decision, every open action of earlier records with an empty status,
 * the next due date), and the body from the template.  *id is the new
 * record's id (caller frees).
 */
typedef int (*sup_id_taken_fn)(const char *id, void *payload);
int sup_compose_new(struct sup_buf *out, char **id, struct sup_repo *r,
		    sup_id_taken_fn taken, void *payload,
		    struct sup_record *const *recs, size_t nrecs,
		    const struct sup_new_opts *o);

/*
 * The front matter of rec with its sign-offs removed and an amendment
 * {by, at, reason} added; the record text is appended to out.
 */
void sup_compose_amend(struct sup_buf *out, const struct sup_record *rec,
		       const char *by, const char *at, const char *reason);

/* The date a person's next supervision is due after their last record
 * that counts (or from their start); SUP_DATE_NONE when unknown.  A
 * simple reading of the policy, used to order choices. */
sup_date sup_next_due(const struct sup_repo *r, struct sup_record *const *recs,
		      size_t nrecs, const struct sup_staff *st);

#endif
