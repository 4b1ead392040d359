/* policy: sup.yaml (see policy.h). */
#include "policy.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

static const char *const policy_keys[] = {
	"organisation", "holidays", "extra_holidays", "functions",
	"functions_window", "recording_deadline", "signoff_deadline",
	"contract_review", "counts_as_supervision", "first_session_within",
	"frequency", "cases", NULL
};

static const char *const record_types[] = {
	"session", "group", "oversight", "contract", "handover", NULL
};

static char **S_strings(struct sup_schema *sc, const struct sup_node *seq,
			size_t *n, const char *what)
{
	char **out;
	size_t i;

	*n = 0;
	if (!seq)
		return NULL;
	out = sup_xcalloc(seq->n ? seq->n : 1, sizeof(*out));
	for (i = 0; i < seq->n; i++) {
		const struct sup_node *v = seq->items[i];

		if (v->type != SUP_NODE_SCALAR || !*v->value) {
			sup_schema_error(sc, v, "each of '%s' must be a single word", what);
			continue;
		}
		out[(*n)++] = sup_xstrdup(v->value);
	}
	return out;
}

static void S_free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void S_duration_node(struct sup_schema *sc, const struct sup_node *n,
			    const char *what, struct sup_duration *out)
{
	if (n->type != SUP_NODE_SCALAR || sup_duration_parse(out, n->value) < 0)
		sup_schema_error(sc, n, "'%s': %s", what,
				 n->type == SUP_NODE_SCALAR ? sup_error_last() :
				 "expected a duration such as \"4 weeks\"");
}

static void S_role(struct sup_schema *sc, struct sup_role *r,
		   const struct sup_node *key, const struct sup_node *v)
{
	static const char *const phase_keys[] = { "until", "every", NULL };
	size_t i;

	r->name = sup_xstrdup(key->value);
	if (v->type == SUP_NODE_SCALAR) {
		r->phases = sup_xcalloc(1, sizeof(*r->phases));
		r->nphases = 1;
		S_duration_node(sc, v, key->value, &r->phases[0].every);
		return;
	}
	if (v->type != SUP_NODE_SEQ || v->n == 0) {
		sup_schema_error(sc, v,
				 "frequency of '%s' must be a duration or a list of phases [{until: D, every: D}, ..., {every: D}]",
				 key->value);
		return;
	}
	r->phases = sup_xcalloc(v->n, sizeof(*r->phases));
	r->nphases = v->n;
	for (i = 0; i < v->n; i++) {
		const struct sup_node *ph = v->items[i];
		struct sup_phase *p = &r->phases[i];
		int has_every = 0;

		if (ph->type != SUP_NODE_MAP) {
			sup_schema_error(sc, ph, "a phase is {until: DURATION, every: DURATION}");
			continue;
		}
		sup_schema_known(sc, ph, phase_keys);
		sup_field_duration(sc, ph, "until", 0, &p->until, &p->has_until);
		sup_field_duration(sc, ph, "every", 1, &p->every, &has_every);
		if (p->has_until && p->until.unit == SUP_UNIT_CALENDAR_MONTH)
			sup_schema_error(sc, sup_node_get(ph, "until"),
					 "'until' must be a length of time, not 'calendar month'");
		if (i + 1 < v->n && !p->has_until)
			sup_schema_error(sc, ph,
					 "only the last phase of '%s' may be open-ended (add 'until:')",
					 key->value);
		if (i + 1 == v->n && p->has_until)
			sup_schema_error(sc, ph,
					 "the last phase of '%s' must be open-ended: remove its 'until' or add a phase {every: DURATION}",
					 key->value);
		if (i > 0 && p->has_until && r->phases[i - 1].has_until &&
		    sup_duration_days(&p->until) <= sup_duration_days(&r->phases[i - 1].until))
			sup_schema_error(sc, ph, "phases of '%s' must end in order",
					 key->value);
	}
}

int sup_policy_parse(struct sup_policy *out, const char *text, size_t len,
		     const char *path)
{
	struct sup_schema sc = { path, 0 };
	struct sup_node *root = NULL;
	const struct sup_node *v, *seq, *cases;
	const char *hol;
	size_t i;
	int error, present;

	memset(out, 0, sizeof(*out));
	if ((error = sup_yaml_parse(&root, text, len, path, 1)) < 0)
		return error;
	if (!sup_schema_is_map(&sc, root))
		goto out;
	sup_schema_known(&sc, root, policy_keys);
	out->organisation = sup_xstrdup(sup_field_str(&sc, root, "organisation", 1) ?
					sup_field_str(&sc, root, "organisation", 1) : "");
	/* holidays: a built-in set name, or a list of dates */
	v = sup_node_get(root, "holidays");
	sup_holidays_init(&out->holidays, SUP_HOLIDAYS_NONE);
	if (!v || sup_node_is_null(v)) {
		out->holiday_set_name = sup_xstrdup("none");
	} else if (v->type == SUP_NODE_SCALAR) {
		enum sup_holiday_set set;

		hol = v->value;
		if (sup_holiday_set_parse(&set, hol) < 0)
			sup_schema_error(&sc, v, "%s", sup_error_last());
		else
			out->holidays.set = set;
		out->holiday_set_name = sup_xstrdup(hol);
	} else if (v->type == SUP_NODE_SEQ) {
		out->holiday_set_name = sup_xstrdup("list");
		for (i = 0; i < v->n; i++) {
			sup_date d;

			sup_node_date(&sc, v->items[i], "holidays", &d);
			if (d != SUP_DATE_NONE)
				sup_holidays_add(&out->holidays, d);
		}
	} else {
		sup_schema_error(&sc, v, "'holidays' must be a rule set (england-and-wales, scotland, northern-ireland, none) or a list of dates");
	}
	if ((seq = sup_field_seq(&sc, root, "extra_holidays", 0)) != NULL) {
		for (i = 0; i < seq->n; i++) {
			sup_date d;

			sup_node_date(&sc, seq->items[i], "extra_holidays", &d);
			if (d != SUP_DATE_NONE)
				sup_holidays_add(&out->holidays, d);
		}
	}
	seq = sup_field_seq(&sc, root, "functions", 1);
	out->functions = S_strings(&sc, seq, &out->nfunctions, "functions");
	if (seq && !out->nfunctions)
		sup_schema_error(&sc, seq, "'functions' must name at least one function");
	sup_field_int(&sc, root, "functions_window", 3, 100, &out->functions_window);
	if (out->functions_window < 1) {
		sup_schema_error(&sc, sup_node_get(root, "functions_window"),
				 "'functions_window' must be at least 1 (the number of consecutive sessions)");
		out->functions_window = 1;
	}
	out->recording_deadline = (struct sup_duration){ 5, SUP_UNIT_WORKING_DAYS };
	out->signoff_deadline = (struct sup_duration){ 10, SUP_UNIT_WORKING_DAYS };
	out->contract_review = (struct sup_duration){ 12, SUP_UNIT_MONTHS };
	out->first_session_within = (struct sup_duration){ 4, SUP_UNIT_WEEKS };
	sup_field_duration(&sc, root, "recording_deadline", 0, &out->recording_deadline, &present);
	sup_field_duration(&sc, root, "signoff_deadline", 0, &out->signoff_deadline, &present);
	sup_field_duration(&sc, root, "contract_review", 0, &out->contract_review, &present);
	sup_field_duration(&sc, root, "first_session_within", 0, &out->first_session_within, &present);
	seq = sup_field_seq(&sc, root, "counts_as_supervision", 0);
	if (seq) {
		out->counts_as = S_strings(&sc, seq, &out->ncounts_as, "counts_as_supervision");
		for (i = 0; i < seq->n; i++) {
			size_t k;

			if (seq->items[i]->type != SUP_NODE_SCALAR)
				continue;
			for (k = 0; record_types[k]; k++)
				if (!strcmp(record_types[k], seq->items[i]->value))
					break;
			if (!record_types[k])
				sup_schema_error(&sc, seq->items[i],
						 "unknown record type '%s' (one of session, group, oversight, contract, handover)",
						 seq->items[i]->value);
		}
	} else {
		out->counts_as = sup_xcalloc(1, sizeof(*out->counts_as));
		out->counts_as[0] = sup_xstrdup("session");
		out->ncounts_as = 1;
	}
	v = sup_node_get(root, "frequency");
	if (sup_node_key(root, "frequency")) {
		out->frequency_line = sup_node_key(root, "frequency")->line;
		out->frequency_col = sup_node_key(root, "frequency")->col;
	}
	if (!v || v->type != SUP_NODE_MAP || v->n == 0) {
		sup_schema_error(&sc, v ? v : root,
				 "'frequency' must map each role to how often it is supervised (practitioner: 4 weeks)");
	} else {
		out->roles = sup_xcalloc(v->n, sizeof(*out->roles));
		for (i = 0; i < v->n; i++)
			S_role(&sc, &out->roles[out->nroles++], v->keys[i], v->items[i]);
	}
	out->every_open_case_each_session = 1;
	cases = sup_node_get(root, "cases");
	if (cases && !sup_node_is_null(cases)) {
		static const char *const ck[] = { "every_open_case_each_session",
			"child_protection_within", NULL };

		if (cases->type != SUP_NODE_MAP) {
			sup_schema_error(&sc, cases, "'cases' must be a mapping");
		} else {
			sup_schema_known(&sc, cases, ck);
			sup_field_bool(&sc, cases, "every_open_case_each_session", 1,
				       &out->every_open_case_each_session);
			sup_field_duration(&sc, cases, "child_protection_within", 0,
					   &out->cp_within, &out->has_cp_within);
		}
	}
out:
	sup_node_free(root);
	if (sc.errors) {
		sup_policy_release(out);
		return SUP_EINVALID;
	}
	return 0;
}

int sup_policy_load(struct sup_policy *out, struct sup_store *s,
		    const struct sup_oid *commit)
{
	struct sup_buf text = SUP_BUF_INIT;
	int error;

	memset(out, 0, sizeof(*out));
	error = sup_store_read(&text, NULL, s, commit, SUP_POLICY_PATH);
	if (error == SUP_ENOTFOUND) {
		sup_buf_release(&text);
		return sup_error_set(SUP_ERROR,
				     "not a sup repository: sup.yaml is missing at %s (run 'sup init' to make one)",
				     sup_store_workdir(s));
	}
	if (error == 0)
		error = sup_policy_parse(out, text.ptr, text.len, SUP_POLICY_PATH);
	sup_buf_release(&text);
	return error;
}

void sup_policy_release(struct sup_policy *p)
{
	size_t i;

	if (!p)
		return;
	free(p->organisation);
	free(p->holiday_set_name);
	sup_holidays_release(&p->holidays);
	S_free_strings(p->functions, p->nfunctions);
	S_free_strings(p->counts_as, p->ncounts_as);
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].name);
		free(p->roles[i].phases);
	}
	free(p->roles);
	memset(p, 0, sizeof(*p));
}

const struct sup_role *sup_policy_role(const struct sup_policy *p,
				       const char *name)
{
	size_t i;

	for (i = 0; name && i < p->nroles; i++)
		if (!strcmp(p->roles[i].name, name))
			return &p->roles[i];
	return NULL;
}

int sup_policy_has_function(const struct sup_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nfunctions; i++)
		if (!strcmp(p->functions[i], name))
			return 1;
	return 0;
}

int sup_policy_counts(const struct sup_policy *p, const char *type)
{
	size_t i;

	for (i = 0; i < p->ncounts_as; i++)
		if (!strcmp(p->counts_as[i], type))
			return 1;
	return 0;
}

const struct sup_duration *sup_role_frequency(const struct sup_role *r,
					      sup_date phase_start, sup_date d)
{
	size_t i;

	for (i = 0; i < r->nphases; i++) {
		if (!r->phases[i].has_until ||
		    d < sup_duration_add(&r->phases[i].until, phase_start, NULL))
			return &r->phases[i].every;
	}
	return &r->phases[r->nphases - 1].every;
}
