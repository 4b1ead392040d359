/*
 * schedule: the policy engine of DESIGN.md section 3 - when each person's
 * supervision is due, from the records that count as supervision, the
 * role's frequency phases, a signed contract's agreed frequency, absences
 * and the dates they started and left.  The rules are documented in
 * sup-policy(5) ("How the schedule is worked out").
 *
 * Nothing here reads the repository: the caller gives the policy, the
 * register and the parsed records, so that the rules can be tested with
 * records made in memory.
 */
#ifndef SUP_SCHEDULE_H
#define SUP_SCHEDULE_H

#include <stddef.h>

#include "policy.h"
#include "record.h"
#include "register.h"
#include "repo.h"

/* The records about one person (as supervisee or group attendee), sorted
 * by date, then id. */
struct sup_person_recs {
	const char *person;		/* points into a record */
	struct sup_record **recs;
	size_t n;
};

/*
 * Everything the rules need for one as-of date: the records grouped by
 * person, so that every rule is linear in the number of records.
 * Records dated after as_of are left out: they have not happened yet.
 * The schedule points into policy, reg and the records, which must
 * outlive it.
 */
struct sup_schedule {
	const struct sup_policy *policy;
	const struct sup_register *reg;
	sup_date as_of;
	struct sup_person_recs *people;	/* sorted by person */
	size_t npeople;
};

/* Build the index; release with sup_schedule_release(). */
void sup_schedule_init(struct sup_schedule *s, const struct sup_policy *policy,
		       const struct sup_register *reg,
		       struct sup_record *const *recs, size_t nrecs,
		       sup_date as_of);
void sup_schedule_release(struct sup_schedule *s);

/* The records about person up to as_of, oldest first (n may be 0); the
 * array belongs to the schedule. */
struct sup_record *const *sup_schedule_records(const struct sup_schedule *s,
					       const char *person, size_t *n);

/*
 * 1 when the schedule applies to st on as_of: in post (started on or
 * before as_of, not left: a leaver drops out on their leaving date), with
 * a supervisor in the register.  People at the top of the hierarchy (no
 * supervisor) are supervised outside the repository and not scheduled.
 */
int sup_schedule_applies(const struct sup_staff *st, sup_date as_of);

/* The latest contract with st's current supervisor, dated on or before
 * as_of, that every party who must sign has signed (a dispute still
 * counts as signed); NULL when there is none.  signed_only = 0: the
 * latest such contract whether signed or not. */
const struct sup_record *sup_schedule_contract(const struct sup_schedule *s,
					       const struct sup_staff *st,
					       int signed_only);

/*
 * The frequency in force for st on date d: the role's phase on d,
 * unless contract (may be NULL) is dated on or before d and agrees a
 * frequency at least as frequent (sup_duration_days), which then
 * applies.  *from_contract (may be NULL) says which.  NULL when the role
 * is unknown.
 */
const struct sup_duration *sup_schedule_frequency(const struct sup_policy *p,
						  const struct sup_staff *st,
						  const struct sup_record *contract,
						  sup_date d, int *from_contract);

/*
 * The date the supervision after one on `last` is due, before absences:
 * the first day D after last on which D is at least the frequency in
 * force on D after last.  Within one phase that is last + its frequency;
 * when the rate changes, the gap is judged by the rate in force on the
 * day (an ASYE supervised on day 40 of the weekly phase is next due on
 * day 54, two weeks later, since by day 47 the fortnightly phase runs).
 */
sup_date sup_schedule_next(const struct sup_policy *p, const struct sup_staff *st,
			   const struct sup_record *contract, sup_date last);

/* due moved on by the days of st's absences that fall after `from` and
 * on or before the (moving) due date: absences pause the clock. */
sup_date sup_schedule_pause(const struct sup_staff *st, sup_date from,
			    sup_date due, int *paused);

enum sup_due_status {
	SUP_DUE_SCHEDULED,	/* next due on or after as_of */
	SUP_DUE_FIRST,		/* no supervision yet; first due on or after as_of */
	SUP_DUE_OVERDUE,	/* due before as_of */
	SUP_DUE_NEVER		/* no supervision yet, and the first is overdue */
};

/* "scheduled", "first", "overdue", "never-supervised". */
const char *sup_due_status_name(enum sup_due_status s);

/* One person's position on as_of. */
struct sup_due {
	const struct sup_staff *st;
	const struct sup_record *last_rec;	/* last that counts, or NULL */
	sup_date last;		/* its date, or SUP_DATE_NONE */
	sup_date due;		/* next due date, absences counted */
	int paused;		/* days of absence that moved it */
	int absent;		/* as_of falls in one of st's absences */
	const struct sup_record *contract;	/* signed, with the supervisor */
	struct sup_duration freq;	/* in force on as_of */
	int freq_from_contract;
	enum sup_due_status status;
};

/*
 * Work out st's next due date on s->as_of.  SUP_EINVALID with a message
 * when st's role is not in the policy.  The caller decides who is
 * scheduled (sup_schedule_applies).
 */
int sup_schedule_due(struct sup_due *out, const struct sup_schedule *s,
		     const struct sup_staff *st);

/*
 * The same for one person without building an index (for `sup new`):
 * SUP_DATE_NONE when their role is unknown.
 */
sup_date sup_schedule_due_date(const struct sup_policy *p,
			       const struct sup_register *reg,
			       struct sup_record *const *recs, size_t nrecs,
			       const struct sup_staff *st, sup_date as_of);

/*
 * Open the repository as sup_repo_open() does, but with every staff
 * member whose role is not in sup.yaml `frequency` reported at the
 * position of `frequency` in sup.yaml: a schedule cannot be worked out
 * from a policy that does not cover everyone.  SUP_EINVALID with the
 * diagnostics; free with sup_repo_free().
 */
int sup_schedule_repo_open(struct sup_repo **out, const char *path);

#endif
