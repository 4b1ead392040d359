/* audit: findings (see audit.h and sup-audit(1)). */
#include "audit.h"
#include "walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *sup_severity_name(enum sup_severity s)
{
	switch (s) {
	case SUP_SEV_ERROR: return "error";
	case SUP_SEV_WARNING: return "warning";
	case SUP_SEV_INFO: return "info";
	}
	return "info";
}

void sup_findings_release(struct sup_findings *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->v[i].person);
		free(f->v[i].supervisor);
		free(f->v[i].record);
		free(f->v[i].message);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static char *S_dup(const char *s)
{
	return s ? sup_xstrdup(s) : NULL;
}

static struct sup_finding *S_add(struct sup_findings *out, const char *code,
				 enum sup_severity sev, const char *person,
				 const char *supervisor, const char *record,
				 sup_date date, sup_date due, char *message)
{
	struct sup_finding *f;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 32;
		out->v = sup_xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	f = &out->v[out->n++];
	f->code = code;
	f->severity = sev;
	f->person = S_dup(person);
	f->supervisor = S_dup(supervisor);
	f->record = S_dup(record);
	f->date = date;
	f->due = due;
	f->message = message;
	return f;
}

/* Formatted dates in messages: a few at a time. */
static const char *S_d(sup_date d)
{
	static char buf[8][11];
	static int i;

	i = (i + 1) % 8;
	if (d == SUP_DATE_NONE)
		return "-";
	sup_date_format(buf[i], d);
	return buf[i];
}

static const char *S_dur(const struct sup_duration *d)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	sup_duration_format(buf[i], sizeof(buf[i]), d);
	return buf[i];
}

static const char *S_plural(long n)
{
	return n == 1 ? "" : "s";
}

/* The person a record is about, for findings on the record: the
 * supervisee, or for a group its facilitator. */
static const char *S_rec_person(const struct sup_record *r)
{
	if (r->supervisee)
		return r->supervisee;
	return r->supervisor;
}

/* Who answers for a record: its supervisor, or the incoming one of a
 * handover. */
static const char *S_rec_supervisor(const struct sup_record *r)
{
	if (r->type == SUP_REC_HANDOVER)
		return r->to;
	return r->supervisor;
}

/* Records of a person that are supervision sessions: sessions, and groups
 * when the policy counts groups as supervision. */
static int S_is_session(const struct sup_policy *p, const struct sup_record *r)
{
	if (r->type == SUP_REC_SESSION)
		return 1;
	return r->type == SUP_REC_GROUP && sup_policy_counts(p, "group");
}

static int S_case_open(const struct sup_case *c, sup_date d)
{
	return c->opened != SUP_DATE_NONE && c->opened <= d &&
	       (c->closed == SUP_DATE_NONE || c->closed > d);
}

/*
 * --overdue
 */

void sup_audit_overdue(struct sup_findings *out, const struct sup_schedule *s)
{
	size_t i;

	for (i = 0; i < s->reg->nstaff; i++) {
		const struct sup_staff *st = &s->reg->staff[i];
		struct sup_buf m = SUP_BUF_INIT;
		struct sup_due d;
		long late;

		if (!sup_schedule_applies(st, s->as_of) ||
		    sup_schedule_due(&d, s, st) < 0) {
			sup_error_clear();
			continue;
		}
		if (d.status != SUP_DUE_OVERDUE && d.status != SUP_DUE_NEVER)
			continue;
		late = (long)(s->as_of - d.due);
		if (d.status == SUP_DUE_NEVER)
			sup_buf_printf(&m, "no supervision recorded since starting on %s; the first was due %s, %ld day%s ago",
				       S_d(st->started), S_d(d.due), late, S_plural(late));
		else
			sup_buf_printf(&m, "last supervised %s (%s); every %s%s: due %s, %ld day%s overdue",
				       S_d(d.last), d.last_rec->id, S_dur(&d.freq),
				       d.freq_from_contract ? " by contract" : "",
				       S_d(d.due), late, S_plural(late));
		if (d.paused)
			sup_buf_printf(&m, " (after %d day%s of absence)", d.paused,
				       S_plural(d.paused));
		S_add(out, d.status == SUP_DUE_NEVER ? "never-supervised" : "overdue",
		      SUP_SEV_ERROR, st->id, st->supervisor,
		      d.last_rec ? d.last_rec->id : NULL,
		      d.status == SUP_DUE_NEVER ? st->started : d.last, d.due,
		      sup_buf_detach(&m));
	}
}

/*
 * --late
 */

void sup_audit_late(struct sup_findings *out, const struct sup_schedule *s,
		    struct sup_record *const *recs, size_t nrecs,
		    const struct sup_first_seens *first)
{
	const struct sup_policy *p = s->policy;
	size_t i;

	for (i = 0; first && i < nrecs; i++) {
		const struct sup_record *r = recs[i];
		sup_date when, deadline;
		time_t t;
		long after;

		if (r->date == SUP_DATE_NONE || r->date > s->as_of ||
		    (t = sup_first_seens_get(first, r->path)) < 0)
			continue;
		when = sup_date_of_time(t);
		deadline = sup_duration_add(&p->recording_deadline, r->date, &p->holidays);
		if (when <= deadline)
			continue;
		if (p->recording_deadline.unit == SUP_UNIT_WORKING_DAYS)
			after = sup_working_days_between(&p->holidays, r->date, when);
		else
			after = (long)(when - r->date);
		S_add(out, "late-record", SUP_SEV_WARNING, S_rec_person(r),
		      S_rec_supervisor(r), r->id, r->date, deadline,
		      sup_xasprintf("first committed %s, %ld %sday%s after the meeting (deadline %s: %s)",
				    S_d(when), after,
				    p->recording_deadline.unit == SUP_UNIT_WORKING_DAYS ? "working " : "",
				    S_plural(after), S_d(deadline),
				    S_dur(&p->recording_deadline)));
	}
}

/*
 * --unsigned
 */

void sup_audit_unsigned(struct sup_findings *out, const struct sup_schedule *s,
			struct sup_record *const *recs, size_t nrecs)
{
	const struct sup_policy *p = s->policy;
	size_t i, k;

	for (i = 0; i < nrecs; i++) {
		const struct sup_record *r = recs[i];
		struct sup_signstate ss;
		struct sup_buf missing = SUP_BUF_INIT, stale = SUP_BUF_INIT;
		sup_date deadline;

		if (r->date == SUP_DATE_NONE || r->date > s->as_of)
			continue;
		sup_record_signstate(&ss, r);
		deadline = sup_duration_add(&p->signoff_deadline, r->date, &p->holidays);
		for (k = 0; k < ss.n; k++) {
			switch (ss.state[k]) {
			case SUP_PARTY_UNSIGNED:
				if (ss.must[k])
					sup_buf_printf(&missing, "%s%s (%s)", missing.len ? ", " : "",
						       ss.id[k], ss.role[k]);
				break;
			case SUP_PARTY_STALE:
				sup_buf_printf(&stale, "%s%s (signed %s)", stale.len ? ", " : "",
					       ss.id[k], ss.signoff[k]->at);
				break;
			case SUP_PARTY_DISPUTED:
				S_add(out, "disputed", SUP_SEV_INFO, S_rec_person(r),
				      S_rec_supervisor(r), r->id, r->date, SUP_DATE_NONE,
				      sup_xasprintf("%s (%s) signed with a dispute: %s",
						    ss.id[k], ss.role[k],
						    ss.signoff[k]->dispute));
				break;
			case SUP_PARTY_SIGNED:
				break;
			}
		}
		if (stale.len)
			S_add(out, "stale-signoff", SUP_SEV_WARNING, S_rec_person(r),
			      S_rec_supervisor(r), r->id, r->date, deadline,
			      sup_xasprintf("the record changed after it was signed by %s: the sign-off no longer matches",
					    sup_buf_cstr(&stale)));
		if (missing.len && s->as_of > deadline)
			S_add(out, "unsigned", SUP_SEV_WARNING, S_rec_person(r),
			      S_rec_supervisor(r), r->id, r->date, deadline,
			      sup_xasprintf("not signed by %s; sign-off was due by %s (%s)",
					    sup_buf_cstr(&missing), S_d(deadline),
					    S_dur(&p->signoff_deadline)));
		sup_buf_release(&missing);
		sup_buf_release(&stale);
	}
}

/*
 * --contracts
 */

void sup_audit_contracts(struct sup_findings *out, const struct sup_schedule *s)
{
	const struct sup_policy *p = s->policy;
	size_t i;

	for (i = 0; i < s->reg->nstaff; i++) {
		const struct sup_staff *st = &s->reg->staff[i];
		const struct sup_record *c, *any;
		const struct sup_duration *f;
		sup_date grace, review;

		if (!sup_schedule_applies(st, s->as_of) ||
		    !sup_policy_role(p, st->role))
			continue;
		c = sup_schedule_contract(s, st, 1);
		if (!c) {
			grace = sup_duration_add(&p->first_session_within, st->started,
						 &p->holidays);
			if (s->as_of <= grace)
				continue;
			any = sup_schedule_contract(s, st, 0);
			S_add(out, "no-contract", SUP_SEV_WARNING, st->id, st->supervisor,
			      any ? any->id : NULL, any ? any->date : SUP_DATE_NONE, grace,
			      any ? sup_xasprintf("the supervision contract with %s is not signed by both (%s)",
						  st->supervisor, any->id) :
			      sup_xasprintf("no signed supervision contract with %s",
					    st->supervisor));
			continue;
		}
		review = sup_duration_add(&p->contract_review, c->date, &p->holidays);
		if (c->review_due != SUP_DATE_NONE && c->review_due < review)
			review = c->review_due;
		if (s->as_of > review)
			S_add(out, "contract-review", SUP_SEV_WARNING, st->id,
			      st->supervisor, c->id, c->date, review,
			      sup_xasprintf("the supervision contract of %s was due for review by %s (%s)",
					    S_d(c->date), S_d(review),
					    S_dur(&p->contract_review)));
		f = sup_schedule_frequency(p, st, NULL, s->as_of, NULL);
		if (f && c->has_frequency &&
		    sup_duration_days(&c->frequency) > sup_duration_days(f))
			S_add(out, "contract-frequency", SUP_SEV_WARNING, st->id,
			      st->supervisor, c->id, c->date, SUP_DATE_NONE,
			      sup_xasprintf("the contract agrees every %s, less often than the policy's %s for %s: the policy's applies",
					    S_dur(&c->frequency), S_dur(f), st->role));
	}
}

/*
 * --cases
 */

/* The child protection cases open on the audit date, with the last date
 * each was discussed in anyone's session, found by hashing the reference:
 * sorting every discussion of ten years (over a million) was most of an
 * audit. */
struct S_cp {
	const char *ref;
	sup_date last;
};

struct S_cpset {
	struct S_cp *v;
	size_t *slot;		/* open addressing: index + 1, 0 empty */
	size_t n, nslots;	/* nslots: a power of two */
};

static size_t S_strhash(const char *str)
{
	size_t h = 2166136261u;

	for (; *str; str++)
		h = (h ^ (unsigned char)*str) * 16777619u;
	return h;
}

static struct S_cp *S_cp_find(const struct S_cpset *set, const char *ref)
{
	size_t mask = set->nslots - 1, i;

	if (!set->nslots)
		return NULL;
	for (i = S_strhash(ref) & mask; set->slot[i]; i = (i + 1) & mask)
		if (!strcmp(set->v[set->slot[i] - 1].ref, ref))
			return &set->v[set->slot[i] - 1];
	return NULL;
}

static void S_cp_build(struct S_cpset *set, const struct sup_schedule *s)
{
	const struct sup_policy *p = s->policy;
	size_t i, k, j;

	memset(set, 0, sizeof(*set));
	if (!p->has_cp_within)
		return;
	set->v = sup_xcalloc(s->reg->ncases ? s->reg->ncases : 1, sizeof(*set->v));
	for (i = 0; i < s->reg->ncases; i++) {
		const struct sup_case *c = &s->reg->cases[i];

		if (c->child_protection && S_case_open(c, s->as_of)) {
			set->v[set->n].ref = c->ref;
			set->v[set->n++].last = SUP_DATE_NONE;
		}
	}
	for (set->nslots = 16; set->nslots < 2 * set->n; set->nslots *= 2)
		;
	set->slot = sup_xcalloc(set->nslots, sizeof(*set->slot));
	for (i = 0; i < set->n; i++) {
		size_t h = S_strhash(set->v[i].ref) & (set->nslots - 1);

		while (set->slot[h])
			h = (h + 1) & (set->nslots - 1);
		set->slot[h] = i + 1;
	}
	/* every discussion of those cases in a session, whoever's */
	for (i = 0; i < s->npeople; i++)
		for (k = 0; k < s->people[i].n; k++) {
			const struct sup_record *r = s->people[i].recs[k];

			if (!S_is_session(p, r))
				continue;
			for (j = 0; j < r->ncases; j++) {
				struct S_cp *cp = r->cases[j].ref ? S_cp_find(set, r->cases[j].ref) : NULL;

				if (cp && (cp->last == SUP_DATE_NONE || r->date > cp->last))
					cp->last = r->date;
			}
		}
}

/* Cases by worker, then reference (the register's order within a worker). */
static int S_case_by_worker(const void *a, const void *b)
{
	const struct sup_case *x = *(const struct sup_case *const *)a;
	const struct sup_case *y = *(const struct sup_case *const *)b;
	int c = strcmp(x->worker ? x->worker : "", y->worker ? y->worker : "");

	return c ? c : strcmp(x->ref, y->ref);
}

void sup_audit_cases(struct sup_findings *out, const struct sup_schedule *s)
{
	const struct sup_policy *p = s->policy;
	const struct sup_case **byw;
	struct S_cpset cps;
	size_t i, k, j, nc = s->reg->ncases;

	S_cp_build(&cps, s);
	/* each person's cases found by a search, not by reading all of them
	 * once per person (600 people and 80,000 cases) */
	byw = sup_xcalloc(nc ? nc : 1, sizeof(*byw));
	for (k = 0; k < nc; k++)
		byw[k] = &s->reg->cases[k];
	qsort(byw, nc, sizeof(*byw), S_case_by_worker);

	for (i = 0; i < s->reg->nstaff; i++) {
		const struct sup_staff *st = &s->reg->staff[i];
		struct sup_record *const *recs;
		const struct sup_record *last = NULL;
		size_t n, lo = 0, hi = nc;

		if (!sup_schedule_applies(st, s->as_of))
			continue;
		recs = sup_schedule_records(s, st->id, &n);
		for (k = n; k-- > 0;)
			if (S_is_session(p, recs[k])) {
				last = recs[k];
				break;
			}
		while (lo < hi) {	/* the first case of st */
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(byw[mid]->worker ? byw[mid]->worker : "", st->id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < nc && byw[k]->worker && !strcmp(byw[k]->worker, st->id); k++) {
			const struct sup_case *c = byw[k];

			if (p->every_open_case_each_session && last &&
			    S_case_open(c, last->date)) {
				for (j = 0; j < last->ncases; j++)
					if (last->cases[j].ref && !strcmp(last->cases[j].ref, c->ref))
						break;
				if (j == last->ncases)
					S_add(out, "case-not-discussed", SUP_SEV_WARNING, st->id,
					      st->supervisor, last->id, last->date, SUP_DATE_NONE,
					      sup_xasprintf("open case %s is not among the cases of the latest session",
							    c->ref));
			}
			if (p->has_cp_within && c->child_protection && S_case_open(c, s->as_of)) {
				const struct S_cp *cp = S_cp_find(&cps, c->ref);
				sup_date when = cp ? cp->last : SUP_DATE_NONE;
				sup_date from = when != SUP_DATE_NONE && when > c->opened ? when : c->opened;
				sup_date due = sup_duration_add(&p->cp_within, from, &p->holidays);

				if (s->as_of > due)
					S_add(out, "cp-case-gap", SUP_SEV_ERROR, st->id, st->supervisor,
					      NULL, when, due,
					      when != SUP_DATE_NONE && when >= c->opened ?
					      sup_xasprintf("child protection case %s last discussed in supervision %s; due again by %s (every %s)",
							    c->ref, S_d(when), S_d(due), S_dur(&p->cp_within)) :
					      sup_xasprintf("child protection case %s not discussed in supervision since it opened %s; due by %s (every %s)",
							    c->ref, S_d(c->opened), S_d(due), S_dur(&p->cp_within)));
			}
		}
	}
	free(byw);
	free(cps.v);
	free(cps.slot);
}

/*
 * --actions
 */

/* 1 if r's reviewed_actions has ref; *closed when it is done or dropped. */
static int S_reviewed(const struct sup_record *r, const char *ref, int *closed)
{
	size_t i;

	*closed = 0;
	for (i = 0; i < r->nreviewed; i++)
		if (r->reviewed[i].action && !strcmp(r->reviewed[i].action, ref)) {
			*closed = r->reviewed[i].status &&
				  (!strcmp(r->reviewed[i].status, "done") ||
				   !strcmp(r->reviewed[i].status, "dropped"));
			return 1;
		}
	return 0;
}

void sup_audit_actions(struct sup_findings *out, const struct sup_schedule *s)
{
	const struct sup_policy *p = s->policy;
	size_t i, k, a, j;

	for (i = 0; i < s->reg->nstaff; i++) {
		const struct sup_staff *st = &s->reg->staff[i];
		struct sup_record *const *recs;
		size_t n;

		if (!sup_schedule_applies(st, s->as_of))
			continue;
		recs = sup_schedule_records(s, st->id, &n);
		for (k = 0; k < n; k++) {
			const struct sup_record *r = recs[k];

			for (a = 0; a < r->nactions; a++) {
				const struct sup_rec_action *act = &r->actions[a];
				char *ref;
				int closed = 0, c, next_seen = 0;

				/* a group's actions belong to the attendee who owns them */
				if (r->type == SUP_REC_GROUP &&
				    (!act->owner || strcmp(act->owner, st->id)))
					continue;
				ref = sup_xasprintf("%s#%ld", r->id, act->n);
				for (j = k + 1; j < n && !closed; j++) {
					int has = S_reviewed(recs[j], ref, &c);

					if (!next_seen && S_is_session(p, recs[j])) {
						next_seen = 1;
						if (!has)
							S_add(out, "action-not-reviewed", SUP_SEV_WARNING,
							      st->id, S_rec_supervisor(recs[j]), recs[j]->id,
							      recs[j]->date, SUP_DATE_NONE,
							      sup_xasprintf("action %s (%s) is not among the reviewed actions of the next session",
									    ref, act->text ? act->text : ""));
					}
					if (has && c)
						closed = 1;
				}
				if (!closed && act->due != SUP_DATE_NONE && act->due < s->as_of)
					S_add(out, "action-overdue", SUP_SEV_WARNING, st->id,
					      st->supervisor, r->id, r->date, act->due,
					      sup_xasprintf("action %s (%s, owner %s) was due %s and is not marked done or dropped",
							    ref, act->text ? act->text : "",
							    act->owner ? act->owner : "-", S_d(act->due)));
				free(ref);
			}
		}
	}
}

/*
 * --functions
 */

static int S_has_function(const struct sup_record *r, const char *f)
{
	size_t i;

	for (i = 0; i < r->nfunctions; i++)
		if (!strcmp(r->functions[i], f))
			return 1;
	return 0;
}

void sup_audit_functions(struct sup_findings *out, const struct sup_schedule *s)
{
	const struct sup_policy *p = s->policy;
	long w = p->functions_window > 0 ? p->functions_window : 1;
	size_t i, k, f;

	for (i = 0; i < s->reg->nstaff; i++) {
		const struct sup_staff *st = &s->reg->staff[i];
		struct sup_record *const *recs;
		size_t n;

		if (!sup_schedule_applies(st, s->as_of))
			continue;
		recs = sup_schedule_records(s, st->id, &n);
		for (f = 0; f < p->nfunctions; f++) {
			const char *fn = p->functions[f];
			const struct sup_record *first = NULL, *lastr = NULL;
			long run = 0;

			/* one finding per longest run of sessions without it */
			for (k = 0; k <= n; k++) {
				const struct sup_record *r = k < n ? recs[k] : NULL;

				if (r && !S_is_session(p, r))
					continue;
				if (r && !S_has_function(r, fn)) {
					if (!run++)
						first = r;
					lastr = r;
					continue;
				}
				if (run >= w)
					S_add(out, "function-gap", SUP_SEV_WARNING, st->id,
					      st->supervisor, lastr->id, lastr->date, SUP_DATE_NONE,
					      sup_xasprintf("'%s' not covered in %ld consecutive sessions, %s to %s (each function is due in any %ld)",
							    fn, run, S_d(first->date), S_d(lastr->date), w));
				run = 0;
			}
		}
	}
}

/*
 * --training
 */

void sup_audit_training(struct sup_findings *out, const struct sup_schedule *s)
{
	size_t i, k;

	for (i = 0; i < s->reg->nstaff; i++) {
		const struct sup_staff *sv = &s->reg->staff[i];
		struct sup_buf team = SUP_BUF_INIT;
		size_t n = 0;

		if (sv->supervisor_trained != SUP_DATE_NONE &&
		    sv->supervisor_trained <= s->as_of)
			continue;
		for (k = 0; k < s->reg->nstaff; k++) {
			const struct sup_staff *st = &s->reg->staff[k];

			if (st->supervisor && !strcmp(st->supervisor, sv->id) &&
			    sup_schedule_applies(st, s->as_of)) {
				sup_buf_printf(&team, "%s%s", n ? ", " : "", st->id);
				n++;
			}
		}
		if (n)
			S_add(out, "untrained-supervisor", SUP_SEV_WARNING, sv->id,
			      sv->supervisor, NULL, sv->supervisor_trained, SUP_DATE_NONE,
			      sup_xasprintf(sv->supervisor_trained == SUP_DATE_NONE ?
					    "supervises %s with no supervision-skills training recorded (supervisor_trained)" :
					    "supervises %s, with supervision-skills training only from %s",
					    sup_buf_cstr(&team), S_d(sv->supervisor_trained)));
		sup_buf_release(&team);
	}
}

/*
 * Running and sorting
 */

static int S_strcmp_null(const char *a, const char *b)
{
	/* no supervisor sorts last */
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

static int S_finding_cmp(const void *a, const void *b)
{
	const struct sup_finding *x = a, *y = b;
	int c;

	if ((c = S_strcmp_null(x->supervisor, y->supervisor)))
		return c;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if ((c = S_strcmp_null(x->person, y->person)))
		return c;
	if ((c = strcmp(x->code, y->code)))
		return c;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if ((c = S_strcmp_null(x->record, y->record)))
		return c;
	return S_strcmp_null(x->message, y->message);
}

static void S_drop(struct sup_finding *f)
{
	free(f->person);
	free(f->supervisor);
	free(f->record);
	free(f->message);
}

void sup_audit_run(struct sup_findings *out, const struct sup_policy *policy,
		   const struct sup_register *reg,
		   struct sup_record *const *recs, size_t nrecs,
		   const struct sup_first_seens *first, sup_date as_of,
		   unsigned sel, const char *supervisor, const char *person)
{
	struct sup_schedule s;
	size_t i, kept = 0;

	sup_schedule_init(&s, policy, reg, recs, nrecs, as_of);
	if (sel & SUP_AUDIT_OVERDUE)
		sup_audit_overdue(out, &s);
	if ((sel & SUP_AUDIT_LATE) && first)
		sup_audit_late(out, &s, recs, nrecs, first);
	if (sel & SUP_AUDIT_UNSIGNED)
		sup_audit_unsigned(out, &s, recs, nrecs);
	if (sel & SUP_AUDIT_CONTRACTS)
		sup_audit_contracts(out, &s);
	if (sel & SUP_AUDIT_CASES)
		sup_audit_cases(out, &s);
	if (sel & SUP_AUDIT_ACTIONS)
		sup_audit_actions(out, &s);
	if (sel & SUP_AUDIT_FUNCTIONS)
		sup_audit_functions(out, &s);
	if (sel & SUP_AUDIT_TRAINING)
		sup_audit_training(out, &s);
	sup_schedule_release(&s);
	for (i = 0; i < out->n; i++) {
		struct sup_finding *f = &out->v[i];
		const struct sup_staff *st = f->person ? sup_register_staff(reg, f->person) : NULL;

		/* a leaver drops out on their leaving date */
		if ((st && st->left != SUP_DATE_NONE && st->left <= as_of) ||
		    (supervisor && S_strcmp_null(f->supervisor, supervisor)) ||
		    (person && S_strcmp_null(f->person, person))) {
			S_drop(f);
			continue;
		}
		out->v[kept++] = *f;
	}
	out->n = kept;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), S_finding_cmp);
}

int sup_findings_fail(const struct sup_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].severity != SUP_SEV_INFO)
			return 1;
	return 0;
}

/*
 * Output
 */

static const char *S_colour(enum sup_severity s)
{
	switch (s) {
	case SUP_SEV_ERROR: return "31";
	case SUP_SEV_WARNING: return "33";
	case SUP_SEV_INFO: return "36";
	}
	return NULL;
}

static void S_opt_date(struct sup_json *j, const char *key, sup_date d)
{
	char buf[11];

	sup_json_key(j, key);
	if (d == SUP_DATE_NONE) {
		sup_json_null(j);
		return;
	}
	sup_date_format(buf, d);
	sup_json_string(j, buf);
}

static const char *S_date_cell(char buf[11], sup_date d)
{
	if (d == SUP_DATE_NONE)
		return "";
	sup_date_format(buf, d);
	return buf;
}

/* Every code, in the order of sup-audit(1): for the summary. */
static const char *const all_codes[] = {
	"overdue", "never-supervised", "late-record", "unsigned",
	"stale-signoff", "disputed", "no-contract", "contract-review",
	"contract-frequency", "case-not-discussed", "cp-case-gap",
	"action-overdue", "action-not-reviewed", "function-gap",
	"untrained-supervisor", NULL
};

static void S_counts(const struct sup_findings *f, size_t sev[3])
{
	size_t i;

	sev[0] = sev[1] = sev[2] = 0;
	for (i = 0; i < f->n; i++)
		sev[f->v[i].severity]++;
}

static void S_write_json(struct sup_buf *out, const struct sup_findings *f,
			 sup_date as_of)
{
	struct sup_json j;
	size_t i, k, sev[3], people = 0;
	char buf[11];

	S_counts(f, sev);
	sup_json_init(&j, out);
	sup_json_begin_object(&j);
	sup_json_key(&j, "as_of");
	sup_date_format(buf, as_of);
	sup_json_string(&j, buf);
	sup_json_key(&j, "findings");
	sup_json_begin_array(&j);
	for (i = 0; i < f->n; i++) {
		const struct sup_finding *x = &f->v[i];

		sup_json_begin_object(&j);
		sup_json_key(&j, "code");
		sup_json_string(&j, x->code);
		sup_json_key(&j, "severity");
		sup_json_string(&j, sup_severity_name(x->severity));
		sup_json_key(&j, "person");
		sup_json_string(&j, x->person);
		sup_json_key(&j, "supervisor");
		sup_json_string(&j, x->supervisor);
		sup_json_key(&j, "record");
		sup_json_string(&j, x->record);
		S_opt_date(&j, "date", x->date);
		S_opt_date(&j, "due", x->due);
		sup_json_key(&j, "message");
		sup_json_string(&j, x->message);
		sup_json_end_object(&j);
	}
	sup_json_end_array(&j);
	/* people with at least one finding */
	for (i = 0; i < f->n; i++) {
		for (k = 0; k < i; k++)
			if (!S_strcmp_null(f->v[k].person, f->v[i].person))
				break;
		if (k == i)
			people++;
	}
	sup_json_key(&j, "summary");
	sup_json_begin_object(&j);
	sup_json_key(&j, "total");
	sup_json_int(&j, (long long)f->n);
	sup_json_key(&j, "error");
	sup_json_int(&j, (long long)sev[SUP_SEV_ERROR]);
	sup_json_key(&j, "warning");
	sup_json_int(&j, (long long)sev[SUP_SEV_WARNING]);
	sup_json_key(&j, "info");
	sup_json_int(&j, (long long)sev[SUP_SEV_INFO]);
	sup_json_key(&j, "people");
	sup_json_int(&j, (long long)people);
	sup_json_key(&j, "by_code");
	sup_json_begin_object(&j);
	for (k = 0; all_codes[k]; k++) {
		size_t c = 0;

		for (i = 0; i < f->n; i++)
			if (!strcmp(f->v[i].code, all_codes[k]))
				c++;
		sup_json_key(&j, all_codes[k]);
		sup_json_int(&j, (long long)c);
	}
	sup_json_end_object(&j);
	sup_json_end_object(&j);
	sup_json_end_object(&j);
	sup_json_finish(&j);
}

static void S_write_csv(struct sup_buf *out, const struct sup_findings *f,
			sup_date as_of)
{
	char d1[11], d2[11], a[11];
	size_t i;

	sup_date_format(a, as_of);
	sup_csv_field(out, "as_of", 0);
	sup_csv_field(out, "supervisor", 0);
	sup_csv_field(out, "severity", 0);
	sup_csv_field(out, "code", 0);
	sup_csv_field(out, "person", 0);
	sup_csv_field(out, "record", 0);
	sup_csv_field(out, "date", 0);
	sup_csv_field(out, "due", 0);
	sup_csv_field(out, "message", 1);
	for (i = 0; i < f->n; i++) {
		const struct sup_finding *x = &f->v[i];

		sup_csv_field(out, a, 0);
		sup_csv_field(out, x->supervisor, 0);
		sup_csv_field(out, sup_severity_name(x->severity), 0);
		sup_csv_field(out, x->code, 0);
		sup_csv_field(out, x->person, 0);
		sup_csv_field(out, x->record, 0);
		sup_csv_field(out, S_date_cell(d1, x->date), 0);
		sup_csv_field(out, S_date_cell(d2, x->due), 0);
		sup_csv_field(out, x->message, 1);
	}
}

static void S_write_text(struct sup_buf *out, const struct sup_findings *f,
			 const struct sup_register *reg, sup_date as_of,
			 int colour)
{
	size_t i = 0, k, sev[3];
	char a[11], d1[11], d2[11];

	sup_date_format(a, as_of);
	S_counts(f, sev);
	while (i < f->n) {
		const char *sv = f->v[i].supervisor;
		const struct sup_staff *st = sv ? sup_register_staff(reg, sv) : NULL;
		struct sup_table t;
		static const char *const head[] = { "SEVERITY", "CODE", "PERSON",
			"RECORD", "DATE", "DUE", "MESSAGE" };

		for (k = i; k < f->n && !S_strcmp_null(f->v[k].supervisor, sv); k++)
			;
		if (i)
			sup_buf_putc(out, '\n');
		if (sv)
			sup_buf_printf(out, "Supervisor %s%s%s%s: %zu finding%s\n", sv,
				       st && st->name ? " (" : "", st && st->name ? st->name : "",
				       st && st->name ? ")" : "", k - i, S_plural((long)(k - i)));
		else
			sup_buf_printf(out, "No supervisor: %zu finding%s\n", k - i,
				       S_plural((long)(k - i)));
		sup_table_init(&t, 7);
		sup_table_add(&t, head, NULL);
		for (; i < k; i++) {
			const struct sup_finding *x = &f->v[i];
			const char *row[7];

			row[0] = sup_severity_name(x->severity);
			row[1] = x->code;
			row[2] = x->person;
			row[3] = x->record ? x->record : "-";
			row[4] = S_date_cell(d1, x->date);
			row[5] = S_date_cell(d2, x->due);
			row[6] = x->message;
			sup_table_add(&t, row, S_colour(x->severity));
		}
		sup_table_write(out, &t, colour);
		sup_table_release(&t);
	}
	if (f->n)
		sup_buf_printf(out, "\n%zu finding%s as of %s: %zu error%s, %zu warning%s, %zu info\n",
			       f->n, S_plural((long)f->n), a, sev[SUP_SEV_ERROR],
			       S_plural((long)sev[SUP_SEV_ERROR]), sev[SUP_SEV_WARNING],
			       S_plural((long)sev[SUP_SEV_WARNING]), sev[SUP_SEV_INFO]);
	else
		sup_buf_printf(out, "No findings as of %s.\n", a);
}

void sup_audit_write(struct sup_buf *out, const struct sup_findings *f,
		     const struct sup_register *reg, sup_date as_of,
		     enum sup_format fmt, int colour)
{
	switch (fmt) {
	case SUP_FORMAT_JSON:
		S_write_json(out, f, as_of);
		break;
	case SUP_FORMAT_CSV:
		S_write_csv(out, f, as_of);
		break;
	case SUP_FORMAT_TEXT:
		S_write_text(out, f, reg, as_of, colour);
		break;
	}
}

/*
 * First-seen times of record files, and their cache
 */

void sup_first_seens_put(struct sup_first_seens *fs, const char *path, time_t when)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 256;
		fs->v = sup_xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	fs->v[fs->n].path = sup_xstrdup(path);
	fs->v[fs->n++].when = when;
}

static int S_fs_cmp(const void *a, const void *b)
{
	const struct sup_first_seen *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->when < y->when ? -1 : x->when > y->when;
}

void sup_first_seens_sort(struct sup_first_seens *fs)
{
	size_t i, k = 0;

	if (!fs->n)
		return;
	qsort(fs->v, fs->n, sizeof(*fs->v), S_fs_cmp);
	/* duplicates: the earliest sorts first and is kept */
	for (i = 0; i < fs->n; i++) {
		if (k && !strcmp(fs->v[k - 1].path, fs->v[i].path)) {
			free(fs->v[i].path);
			continue;
		}
		fs->v[k++] = fs->v[i];
	}
	fs->n = k;
}

time_t sup_first_seens_get(const struct sup_first_seens *fs, const char *path)
{
	size_t lo = 0, hi = fs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(fs->v[mid].path, path);

		if (!c)
			return fs->v[mid].when;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (time_t)-1;
}

void sup_first_seens_release(struct sup_first_seens *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		free(fs->v[i].path);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

static int S_seen(const char *path, const struct sup_oid *commit,
		  time_t when, void *payload)
{
	(void)commit;
	sup_first_seens_put(payload, path, when);
	return 0;
}

#define S_CACHE_MAGIC "sup first-seen cache 1\n"

static char *S_cache_path(struct sup_store *s)
{
	return sup_xasprintf("%ssup/cache/first-seen", sup_store_gitdir(s));
}

/* Read the cache: 0 with *cached_head and fs filled, or -1 when there is
 * none or it is not one (a damaged cache is simply not used). */
static int S_cache_read(struct sup_first_seens *fs, struct sup_oid *cached_head,
			const char *path)
{
	struct sup_buf b = SUP_BUF_INIT;
	const char *p, *end;
	char hex[SUP_OID_HEXSZ + 1];

	if (sup_read_file(&b, path, (size_t)1 << 30) < 0) {
		sup_error_clear();
		goto bad;
	}
	p = sup_buf_cstr(&b);
	end = p + b.len;
	if (b.len < sizeof(S_CACHE_MAGIC) - 1 + 46 ||
	    memcmp(p, S_CACHE_MAGIC, sizeof(S_CACHE_MAGIC) - 1))
		goto bad;
	p += sizeof(S_CACHE_MAGIC) - 1;
	if (memcmp(p, "head ", 5) || p[45] != '\n')
		goto bad;
	memcpy(hex, p + 5, SUP_OID_HEXSZ);
	hex[SUP_OID_HEXSZ] = '\0';
	if (sup_oid_parse(cached_head, hex) < 0) {
		sup_error_clear();
		goto bad;
	}
	p += 46;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char *tab;
		long long t;
		char *line;

		if (!nl)
			goto bad;
		line = sup_xstrndup(p, (size_t)(nl - p));
		t = strtoll(line, &tab, 10);
		if (tab == line || *tab != '\t' || !tab[1] || t < 0) {
			free(line);
			goto bad;
		}
		sup_first_seens_put(fs, tab + 1, (time_t)t);
		free(line);
		p = nl + 1;
	}
	sup_buf_release(&b);
	return 0;
bad:
	sup_buf_release(&b);
	sup_first_seens_release(fs);
	return -1;
}

static void S_cache_write(const struct sup_first_seens *fs,
			  const struct sup_oid *head, const char *path)
{
	struct sup_buf b = SUP_BUF_INIT;
	char hex[SUP_OID_HEXSZ + 1];
	size_t i;

	sup_oid_fmt(hex, head);
	sup_buf_printf(&b, "%shead %s\n", S_CACHE_MAGIC, hex);
	for (i = 0; i < fs->n; i++) {
		/* a name that the format cannot hold: no cache rather than a wrong one */
		if (strpbrk(fs->v[i].path, "\n\t"))
			goto out;
		sup_buf_printf(&b, "%lld\t%s\n", (long long)fs->v[i].when, fs->v[i].path);
	}
	/* the cache is disposable: failing to write it changes nothing */
	if (sup_write_file(path, b.ptr ? b.ptr : "", b.len) < 0)
		sup_error_clear();
out:
	sup_buf_release(&b);
}

int sup_first_seens_load(struct sup_first_seens *out, struct sup_store *s,
			 const struct sup_oid *head)
{
	char *path = S_cache_path(s);
	struct sup_oid cached;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (S_cache_read(out, &cached, path) == 0) {
		if (sup_oid_equal(&cached, head)) {
			out->from_cache = 1;
			sup_first_seens_sort(out);
			goto done;
		}
		if (sup_store_is_ancestor(s, &cached, head) == 1) {
			out->from_cache = out->resumed = 1;
			error = sup_added_paths(s, head, &cached, "records",
						      S_seen, out);
			goto walked;
		}
		sup_first_seens_release(out);
	}
	sup_error_clear();
	error = sup_added_paths(s, head, NULL, "records", S_seen, out);
walked:
	if (error < 0) {
		sup_first_seens_release(out);
		goto done;
	}
	sup_first_seens_sort(out);
	S_cache_write(out, head, path);
done:
	free(path);
	return error < 0 ? error : 0;
}

/* Whether the cache holds the answer for head already (its first line). */
static int S_cache_current(struct sup_store *s, const struct sup_oid *head)
{
	char *path = S_cache_path(s), hex[SUP_OID_HEXSZ + 1];
	char line[sizeof(S_CACHE_MAGIC) + 64];
	FILE *f = fopen(path, "r");
	int current = 0;

	sup_oid_fmt(hex, head);
	if (f && fgets(line, sizeof(line), f) && !strcmp(line, S_CACHE_MAGIC) &&
	    fgets(line, sizeof(line), f) && !strncmp(line, "head ", 5) &&
	    !strncmp(line + 5, hex, SUP_OID_HEXSZ))
		current = 1;
	if (f)
		fclose(f);
	free(path);
	return current;
}

pid_t sup_first_seens_start(struct sup_store *s, const struct sup_oid *head)
{
	struct sup_first_seens fs;
	pid_t pid;

	if (S_cache_current(s, head))
		return 0;
	fflush(NULL);
	if ((pid = fork()) != 0)
		return pid < 0 ? 0 : pid;
	/* the child: the walk, its answer left in the cache; nothing of
	 * the parent's (stdio buffers, libgit2's shutdown) is run on exit */
	_exit(sup_first_seens_load(&fs, s, head) < 0 ? 1 : 0);
}

int sup_first_seens_finish(struct sup_first_seens *out, pid_t pid,
			   struct sup_store *s, const struct sup_oid *head)
{
	int status;

	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	/* from the cache the child wrote, or worked out here if it could
	 * not (the cache is only ever a shortcut) */
	return sup_first_seens_load(out, s, head);
}

char *sup_audit_key(const struct sup_oid *head, unsigned sel, sup_date as_of,
		    const char *supervisor, const char *person, int format,
		    int colour)
{
	char hex[SUP_OID_HEXSZ + 1], d[11];

	sup_oid_fmt(hex, head);
	sup_date_format(d, as_of);
	return sup_xasprintf("sup %s|head %s|sel %u|as-of %s|supervisor %s|person %s|format %d|colour %d",
#ifdef SUP_VERSION
			     SUP_VERSION,
#else
			     "?",
#endif
			     hex, sel, d, supervisor ? supervisor : "-",
			     person ? person : "-", format, colour);
}
