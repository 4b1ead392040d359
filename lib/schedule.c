/* schedule: the policy engine (see schedule.h and sup-policy(5)). */
#include "schedule.h"
#include "frontmatter.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct S_pair {
	const char *person;
	struct sup_record *rec;
};

static int S_rec_cmp(const struct sup_record *x, const struct sup_record *y)
{
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int S_pair_cmp(const void *a, const void *b)
{
	const struct S_pair *x = a, *y = b;
	int c = strcmp(x->person, y->person);

	return c ? c : S_rec_cmp(x->rec, y->rec);
}

static void S_add(struct S_pair **v, size_t *n, size_t *cap, const char *person,
		  struct sup_record *rec)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = sup_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[*n].person = person;
	(*v)[(*n)++].rec = rec;
}

void sup_schedule_init(struct sup_schedule *s, const struct sup_policy *policy,
		       const struct sup_register *reg,
		       struct sup_record *const *recs, size_t nrecs,
		       sup_date as_of)
{
	struct S_pair *pairs = NULL;
	size_t np = 0, cap = 0, i, k, start;

	memset(s, 0, sizeof(*s));
	s->policy = policy;
	s->reg = reg;
	s->as_of = as_of;
	for (i = 0; i < nrecs; i++) {
		struct sup_record *r = recs[i];

		if (r->date == SUP_DATE_NONE || r->date > as_of)
			continue;
		if (r->supervisee)
			S_add(&pairs, &np, &cap, r->supervisee, r);
		for (k = 0; k < r->nsupervisees; k++) {
			size_t j;

			/* an attendee named twice is one attendance */
			for (j = 0; j < k; j++)
				if (!strcmp(r->supervisees[j], r->supervisees[k]))
					break;
			if (j == k)
				S_add(&pairs, &np, &cap, r->supervisees[k], r);
		}
	}
	if (np)
		qsort(pairs, np, sizeof(*pairs), S_pair_cmp);
	s->people = sup_xcalloc(np ? np : 1, sizeof(*s->people));
	for (i = 0; i < np; i = k) {
		struct sup_person_recs *p = &s->people[s->npeople++];

		start = i;
		for (k = i; k < np && !strcmp(pairs[k].person, pairs[i].person); k++)
			;
		p->person = pairs[i].person;
		p->n = k - start;
		p->recs = sup_xcalloc(p->n, sizeof(*p->recs));
		for (size_t j = 0; j < p->n; j++)
			p->recs[j] = pairs[start + j].rec;
	}
	free(pairs);
}

void sup_schedule_release(struct sup_schedule *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->npeople; i++)
		free(s->people[i].recs);
	free(s->people);
	memset(s, 0, sizeof(*s));
}

struct sup_record *const *sup_schedule_records(const struct sup_schedule *s,
					       const char *person, size_t *n)
{
	size_t lo = 0, hi = s->npeople;

	*n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->people[mid].person, person);

		if (!c) {
			*n = s->people[mid].n;
			return s->people[mid].recs;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int sup_schedule_applies(const struct sup_staff *st, sup_date as_of)
{
	return st->supervisor != NULL && sup_staff_active(st, as_of);
}

/* The latest contract among a person's records (sorted oldest first). */
static const struct sup_record *S_contract(struct sup_record *const *recs, size_t n,
					   const struct sup_staff *st,
					   sup_date as_of, int signed_only)
{
	size_t i;

	for (i = n; i-- > 0;) {
		const struct sup_record *r = recs[i];
		struct sup_signstate ss;

		if (r->type != SUP_REC_CONTRACT || r->date > as_of ||
		    !r->supervisee || strcmp(r->supervisee, st->id) ||
		    !r->supervisor || !st->supervisor ||
		    strcmp(r->supervisor, st->supervisor))
			continue;
		if (!signed_only)
			return r;
		sup_record_signstate(&ss, r);
		if (ss.complete && !ss.stale)
			return r;
	}
	return NULL;
}

const struct sup_record *sup_schedule_contract(const struct sup_schedule *s,
					       const struct sup_staff *st,
					       int signed_only)
{
	size_t n;
	struct sup_record *const *recs = sup_schedule_records(s, st->id, &n);

	return S_contract(recs, n, st, s->as_of, signed_only);
}

static sup_date S_phase_start(const struct sup_staff *st)
{
	return st->phase_start != SUP_DATE_NONE ? st->phase_start : st->started;
}

const struct sup_duration *sup_schedule_frequency(const struct sup_policy *p,
						  const struct sup_staff *st,
						  const struct sup_record *contract,
						  sup_date d, int *from_contract)
{
	const struct sup_role *role = sup_policy_role(p, st->role);
	const struct sup_duration *f;

	if (from_contract)
		*from_contract = 0;
	if (!role || !role->nphases)
		return NULL;
	f = sup_role_frequency(role, S_phase_start(st) == SUP_DATE_NONE ? d :
			       S_phase_start(st), d);
	if (contract && contract->has_frequency && contract->date <= d &&
	    sup_duration_days(&contract->frequency) <= sup_duration_days(f)) {
		if (from_contract)
			*from_contract = 1;
		return &contract->frequency;
	}
	return f;
}

static int S_date_cmp(const void *a, const void *b)
{
	sup_date x = *(const sup_date *)a, y = *(const sup_date *)b;

	return x < y ? -1 : x > y;
}

sup_date sup_schedule_next(const struct sup_policy *p, const struct sup_staff *st,
			   const struct sup_record *contract, sup_date last)
{
	const struct sup_role *role = sup_policy_role(p, st->role);
	sup_date bounds[66], ps = S_phase_start(st), best = SUP_DATE_NONE;
	size_t nb = 0, i;

	if (!role || !role->nphases)
		return SUP_DATE_NONE;
	if (ps == SUP_DATE_NONE)
		ps = last;
	/* the days on which the frequency in force may change */
	for (i = 0; i < role->nphases && nb < 64; i++)
		if (role->phases[i].has_until)
			bounds[nb++] = sup_duration_add(&role->phases[i].until, ps, NULL);
	if (contract && contract->has_frequency)
		bounds[nb++] = contract->date;
	qsort(bounds, nb, sizeof(*bounds), S_date_cmp);
	/*
	 * Between two bounds the frequency f is fixed, and a day D there is
	 * due when D >= last + f: the segment's earliest such day is the
	 * larger of its start and last + f, if that is still in the segment.
	 * The open-ended last segment always gives one.
	 */
	for (i = 0; i <= nb; i++) {
		sup_date seg_start = i ? bounds[i - 1] : INT32_MIN;
		sup_date seg_end = i < nb ? bounds[i] : INT32_MAX;
		sup_date probe, cand;
		const struct sup_duration *f;

		if (seg_end <= last + 1 || seg_start == seg_end)
			continue;
		probe = seg_start > last + 1 ? seg_start : last + 1;
		f = sup_schedule_frequency(p, st, contract, probe, NULL);
		cand = sup_duration_add(f, last, &p->holidays);
		if (cand <= last)
			cand = last + 1;
		if (cand < probe)
			cand = probe;
		if (cand < seg_end && (best == SUP_DATE_NONE || cand < best))
			best = cand;
		if (best != SUP_DATE_NONE && best < seg_end)
			break;	/* later segments start after it */
	}
	return best;
}

/* Days of [a1, a2] within [b1, b2]. */
static int S_overlap(sup_date a1, sup_date a2, sup_date b1, sup_date b2)
{
	sup_date lo = a1 > b1 ? a1 : b1, hi = a2 < b2 ? a2 : b2;

	return hi >= lo ? (int)(hi - lo + 1) : 0;
}

sup_date sup_schedule_pause(const struct sup_staff *st, sup_date from,
			    sup_date due, int *paused)
{
	sup_date cur = due;
	int total = 0;

	/* the pause moves the due date, which may reach a later absence */
	for (;;) {
		size_t i;
		int ov = 0;

		for (i = 0; i < st->nabsences; i++) {
			const struct sup_absence *a = &st->absences[i];
			sup_date to = a->to == SUP_DATE_NONE ? INT32_MAX - 1 : a->to;

			if (a->from == SUP_DATE_NONE)
				continue;
			ov += S_overlap(a->from, to, from + 1, cur);
		}
		if (due + ov == cur || ov > 36600) {
			total = ov;
			break;
		}
		cur = due + ov;
	}
	if (paused)
		*paused = total;
	return due + total;
}

const char *sup_due_status_name(enum sup_due_status s)
{
	switch (s) {
	case SUP_DUE_SCHEDULED: return "scheduled";
	case SUP_DUE_FIRST: return "first";
	case SUP_DUE_OVERDUE: return "overdue";
	case SUP_DUE_NEVER: return "never-supervised";
	}
	return "scheduled";
}

static int S_due(struct sup_due *out, const struct sup_policy *p,
		 struct sup_record *const *recs, size_t n,
		 const struct sup_staff *st, sup_date as_of)
{
	const struct sup_duration *f;
	sup_date anchor, due;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->st = st;
	out->last = out->due = SUP_DATE_NONE;
	if (!sup_policy_role(p, st->role))
		return sup_error_set(SUP_EINVALID, "%s: unknown role '%s'", st->id,
				     st->role ? st->role : "");
	for (i = n; i-- > 0;)
		if (recs[i]->date <= as_of &&
		    sup_policy_counts(p, sup_record_type_name(recs[i]->type)) &&
		    sup_record_about(recs[i], st->id)) {
			out->last_rec = recs[i];
			out->last = recs[i]->date;
			break;
		}
	out->contract = S_contract(recs, n, st, as_of, 1);
	f = sup_schedule_frequency(p, st, out->contract, as_of, &out->freq_from_contract);
	out->freq = *f;
	if (out->last != SUP_DATE_NONE) {
		anchor = out->last;
		due = sup_schedule_next(p, st, out->contract, anchor);
	} else {
		/* a new starter: within first_session_within of starting, or
		 * sooner when the role's own schedule says so (an ASYE's
		 * weekly phase) */
		sup_date fs;

		anchor = st->started != SUP_DATE_NONE ? st->started :
			 S_phase_start(st) != SUP_DATE_NONE ? S_phase_start(st) : as_of;
		fs = sup_duration_add(&p->first_session_within, anchor, &p->holidays);
		due = sup_schedule_next(p, st, out->contract, anchor);
		if (fs < due)
			due = fs;
	}
	out->due = sup_schedule_pause(st, anchor, due, &out->paused);
	for (i = 0; i < st->nabsences; i++)
		if (st->absences[i].from != SUP_DATE_NONE &&
		    st->absences[i].from <= as_of &&
		    (st->absences[i].to == SUP_DATE_NONE || as_of <= st->absences[i].to))
			out->absent = 1;
	if (out->due < as_of)
		out->status = out->last == SUP_DATE_NONE ? SUP_DUE_NEVER : SUP_DUE_OVERDUE;
	else
		out->status = out->last == SUP_DATE_NONE ? SUP_DUE_FIRST : SUP_DUE_SCHEDULED;
	return 0;
}

int sup_schedule_due(struct sup_due *out, const struct sup_schedule *s,
		     const struct sup_staff *st)
{
	size_t n;
	struct sup_record *const *recs = sup_schedule_records(s, st->id, &n);

	return S_due(out, s->policy, recs, n, st, s->as_of);
}

static int S_recp_cmp(const void *a, const void *b)
{
	return S_rec_cmp(*(struct sup_record *const *)a, *(struct sup_record *const *)b);
}

sup_date sup_schedule_due_date(const struct sup_policy *p,
			       const struct sup_register *reg,
			       struct sup_record *const *recs, size_t nrecs,
			       const struct sup_staff *st, sup_date as_of)
{
	struct sup_record **mine = sup_xcalloc(nrecs ? nrecs : 1, sizeof(*mine));
	struct sup_due d;
	size_t n = 0, i;
	sup_date due = SUP_DATE_NONE;

	(void)reg;
	for (i = 0; i < nrecs; i++)
		if (recs[i]->date != SUP_DATE_NONE && recs[i]->date <= as_of &&
		    sup_record_about(recs[i], st->id))
			mine[n++] = recs[i];
	if (n)
		qsort(mine, n, sizeof(*mine), S_recp_cmp);
	if (S_due(&d, p, mine, n, st, as_of) == 0)
		due = d.due;
	else
		sup_error_clear();
	free(mine);
	return due;
}


int sup_schedule_repo_open(struct sup_repo **out, const char *path)
{
	return sup_repo_open_ex(out, path, SUP_REPO_ROLES_AT_POLICY);
}
