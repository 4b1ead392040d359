/*
 * policy: sup.yaml, the organisation's supervision policy (DESIGN.md
 * section 3; the format is documented in sup-policy(5)).
 */
#ifndef SUP_POLICY_H
#define SUP_POLICY_H

#include <stddef.h>

#include "dates.h"
#include "store.h"

/* One phase of a role's schedule: every `every` until `until` after the
 * person's phase_start (the last phase has no until). */
struct sup_phase {
	int has_until;
	struct sup_duration until;
	struct sup_duration every;
};

struct sup_role {
	char *name;
	struct sup_phase *phases;
	size_t nphases;
};

struct sup_policy {
	char *organisation;
	char *holiday_set_name;
	struct sup_holidays holidays;
	char **functions;
	size_t nfunctions;
	long functions_window;
	struct sup_duration recording_deadline;
	struct sup_duration signoff_deadline;
	struct sup_duration contract_review;
	struct sup_duration first_session_within;
	char **counts_as;	/* record types that count as supervision */
	size_t ncounts_as;
	struct sup_role *roles;
	size_t nroles;
	int frequency_line, frequency_col;	/* of the 'frequency' key */
	int every_open_case_each_session;
	int has_cp_within;
	struct sup_duration cp_within;
};

#define SUP_POLICY_PATH "sup.yaml"

/* Parse sup.yaml text; every problem is a diagnostic naming file:line:col;
 * SUP_EINVALID if any.  Release with sup_policy_release(). */
int sup_policy_parse(struct sup_policy *out, const char *text, size_t len,
		     const char *path);
/* Read and parse sup.yaml at commit.  Missing: SUP_ENOTFOUND "not a sup
 * repository". */
int sup_policy_load(struct sup_policy *out, struct sup_store *s,
		    const struct sup_oid *commit);
void sup_policy_release(struct sup_policy *p);

const struct sup_role *sup_policy_role(const struct sup_policy *p,
				       const char *name);
/* 1 if a policy function name is known. */
int sup_policy_has_function(const struct sup_policy *p, const char *name);
/* 1 if records of this type count as supervision. */
int sup_policy_counts(const struct sup_policy *p, const char *type);
/* The frequency that applies on date d to someone whose schedule started
 * on phase_start. */
const struct sup_duration *sup_role_frequency(const struct sup_role *r,
					      sup_date phase_start, sup_date d);

#endif
