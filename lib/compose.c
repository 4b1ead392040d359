/* compose: pre-filled records (see compose.h). */
#include "compose.h"
#include "install.h"
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

int sup_template_load(struct sup_buf *out, struct sup_repo *r,
		      enum sup_record_type type)
{
	char *name = sup_xasprintf("%s.md", sup_record_type_name(type));
	char *repo_path = sup_xasprintf("templates/%s", name);
	char *path;
	int error;

	error = sup_store_read(out, NULL, r->store, &r->head, repo_path);
	free(repo_path);
	if (error != SUP_ENOTFOUND) {
		free(name);
		return error;
	}
	sup_error_clear();
	path = sup_template_path(name);
	error = sup_read_file(out, path, SUP_MAX_FILE);
	if (error < 0)
		sup_error_set(SUP_ERROR, "cannot read the %s template %s: %s",
			      sup_record_type_name(type), path, sup_error_last());
	free(path);
	free(name);
	return error < 0 ? SUP_ERROR : 0;
}

static void S_subst(struct sup_buf *out, const char *s, size_t len,
		    const char *ref, const char *supervisee, const char *supervisor,
		    const char *date)
{
	const char *end = s + len;

	while (s < end) {
		const char *open = memchr(s, '{', (size_t)(end - s));
		static const char *const names[] = { "{{ref}}", "{{supervisee_name}}",
			"{{supervisor_name}}", "{{date}}" };
		const char *vals[4];
		size_t k;

		vals[0] = ref;
		vals[1] = supervisee;
		vals[2] = supervisor;
		vals[3] = date;
		if (!open) {
			sup_buf_put(out, s, (size_t)(end - s));
			return;
		}
		sup_buf_put(out, s, (size_t)(open - s));
		for (k = 0; k < 4; k++) {
			size_t n = strlen(names[k]);

			if ((size_t)(end - open) >= n && !memcmp(open, names[k], n)) {
				sup_buf_puts(out, vals[k] ? vals[k] : "");
				s = open + n;
				break;
			}
		}
		if (k == 4) {
			sup_buf_putc(out, '{');
			s = open + 1;
		}
	}
}

void sup_template_expand(struct sup_buf *out, const char *tmpl, size_t len,
			 const char *const *refs, size_t nrefs,
			 const char *supervisee_name, const char *supervisor_name,
			 const char *date)
{
	static const char begin[] = "<!-- each case -->";
	static const char finish[] = "<!-- end each case -->";
	const char *b = strstr(tmpl, begin), *e, *block, *after;
	size_t i;

	if (!b || !(e = strstr(b, finish))) {
		S_subst(out, tmpl, len, NULL, supervisee_name, supervisor_name, date);
		return;
	}
	S_subst(out, tmpl, (size_t)(b - tmpl), NULL, supervisee_name,
		supervisor_name, date);
	block = strchr(b, '\n');
	block = block ? block + 1 : b + strlen(begin);
	after = strchr(e, '\n');
	after = after ? after + 1 : e + strlen(finish);
	for (i = 0; i < nrefs && block < e; i++)
		S_subst(out, block, (size_t)(e - block), refs[i], supervisee_name,
			supervisor_name, date);
	S_subst(out, after, len - (size_t)(after - tmpl), NULL, supervisee_name,
		supervisor_name, date);
}

static int S_case_open(const struct sup_case *c, sup_date d)
{
	return c->opened <= d && (c->closed == SUP_DATE_NONE || c->closed > d);
}

sup_date sup_next_due(const struct sup_repo *r, struct sup_record *const *recs,
		      size_t nrecs, const struct sup_staff *st)
{
	/* the policy engine of sup-policy(5), as sup due and sup audit use it */
	return sup_schedule_due_date(&r->policy, &r->reg, recs, nrecs, st,
				     sup_date_today());
}

/* A --set value: plain when YAML would read it as the same thing sup
 * means (a number, a date, true/false), else a string. */
static struct sup_node *S_value(const char *v)
{
	sup_date d;

	if ((*v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 10) ||
	    !strcmp(v, "true") || !strcmp(v, "false") ||
	    sup_date_parse(&d, v) == 0)
		return sup_node_new_scalar(v, SUP_STYLE_PLAIN);
	sup_error_clear();
	return sup_node_new_scalar(v, SUP_STYLE_STRING);
}

static void S_set_date(struct sup_node *map, const char *key, sup_date d)
{
	char buf[11] = "";

	if (d != SUP_DATE_NONE)
		sup_date_format(buf, d);
	sup_node_set_plain(map, key, buf);
}

static int S_free_id(char **out, sup_id_taken_fn taken, void *payload,
		     const char *base)
{
	char *id = sup_xstrdup(base);
	int k, t;

	for (k = 2; (t = taken(id, payload)) > 0; k++) {
		free(id);
		id = sup_xasprintf("%s-%d", base, k);
	}
	if (t < 0) {
		free(id);
		return t;
	}
	*out = id;
	return 0;
}

int sup_compose_new(struct sup_buf *out, char **idp, struct sup_repo *r,
		    sup_id_taken_fn taken, void *payload,
		    struct sup_record *const *recs, size_t nrecs,
		    const struct sup_new_opts *o)
{
	const struct sup_staff *me = sup_register_staff(&r->reg, o->me);
	const struct sup_staff *who = NULL;
	struct sup_node *fm = sup_node_new_map(), *seq;
	struct sup_buf tmpl = SUP_BUF_INIT;
	const char **refs = NULL;
	size_t nrefs = 0, i, k;
	char date[11], *base, *id = NULL;
	int error = 0;

	*idp = NULL;
	sup_date_format(date, o->date);
	for (i = 0; i < o->nwith; i++) {
		const struct sup_staff *st = sup_register_staff(&r->reg, o->with[i]);

		if (!st) {
			const char *near = sup_register_suggest(&r->reg, o->with[i]);

			error = sup_error_set(SUP_EINVALID, "unknown staff id '%s'%s%s%s",
					      o->with[i], near ? " (did you mean '" : "",
					      near ? near : "", near ? "'?)" : "");
			goto out;
		}
		if (!who)
			who = st;
	}
	if (!who) {
		error = sup_error_set(SUP_EUSAGE, "whom is the record about? give --with ID");
		goto out;
	}
	if (o->type != SUP_REC_GROUP && o->nwith > 1) {
		error = sup_error_set(SUP_EUSAGE, "a %s is about one person; --with takes one id",
				      sup_record_type_name(o->type));
		goto out;
	}
	for (i = 0; i < o->ncases; i++)
		if (!sup_register_case(&r->reg, o->cases[i])) {
			error = sup_error_set(SUP_EINVALID,
					      "unknown case '%s' (add it with 'sup case open')",
					      o->cases[i]);
			goto out;
		}
	switch (o->type) {
	case SUP_REC_SESSION: base = sup_xasprintf("%s-%s", date, who->id); break;
	case SUP_REC_GROUP: base = sup_xasprintf("%s-group-%s", date, o->me); break;
	case SUP_REC_OVERSIGHT: base = sup_xasprintf("%s-%s-oversight", date, who->id); break;
	case SUP_REC_CONTRACT: base = sup_xasprintf("%s-%s-contract", date, who->id); break;
	default: base = sup_xasprintf("%s-%s-handover", date, who->id); break;
	}
	error = S_free_id(&id, taken, payload, base);
	free(base);
	if (error < 0)
		goto out;

	sup_node_set_str(fm, "id", id);
	sup_node_set_str(fm, "type", sup_record_type_name(o->type));
	sup_node_set_plain(fm, "date", date);
	if (o->type != SUP_REC_HANDOVER) {
		sup_node_set_plain(fm, "start", "");
		sup_node_set_plain(fm, "minutes", "");
		sup_node_set_str(fm, "supervisor", o->me);
	} else {
		sup_node_set_str(fm, "from", o->me);
		sup_node_set_plain(fm, "to", "");
	}
	if (o->type == SUP_REC_GROUP) {
		seq = sup_node_new_seq();
		seq->flow = 1;
		for (i = 0; i < o->nwith; i++)
			sup_node_append(seq, sup_node_new_scalar(o->with[i], SUP_STYLE_STRING));
		sup_node_set(fm, "supervisees", seq);
	} else {
		sup_node_set_str(fm, "supervisee", who->id);
	}
	sup_node_set_plain(fm, "location", "");
	if (o->type == SUP_REC_GROUP)
		sup_node_set_plain(fm, "ground_rules_agreed", "false");
	if (o->type == SUP_REC_OVERSIGHT) {
		if (o->ncases != 1) {
			error = sup_error_set(SUP_EUSAGE, "an oversight record is about one case: give --case REF");
			goto out;
		}
		sup_node_set_str(fm, "case", o->cases[0]);
	}
	if (o->type == SUP_REC_CONTRACT) {
		const struct sup_role *role = sup_policy_role(&r->policy, who->role);
		char buf[64] = "";

		if (role) {
			sup_date start = who->phase_start != SUP_DATE_NONE ?
					 who->phase_start : who->started;

			sup_duration_format(buf, sizeof(buf),
					    sup_role_frequency(role, start, o->date));
		}
		sup_node_set_str(fm, "frequency", buf);
		S_set_date(fm, "review_due", sup_duration_add(&r->policy.contract_review,
							      o->date, NULL));
	}
	if (o->type == SUP_REC_SESSION || o->type == SUP_REC_GROUP) {
		seq = sup_node_new_seq();
		seq->flow = 1;
		sup_node_set(fm, "functions", seq);
	}
	if (o->type == SUP_REC_SESSION || o->type == SUP_REC_GROUP ||
	    o->type == SUP_REC_HANDOVER) {
		/* every open case of the supervisee(s), then any --case */
		seq = sup_node_new_seq();
		refs = sup_xcalloc(r->reg.ncases + o->ncases + 1, sizeof(*refs));
		for (i = 0; i < r->reg.ncases; i++) {
			const struct sup_case *c = &r->reg.cases[i];
			int mine = 0;

			for (k = 0; k < o->nwith; k++)
				if (!strcmp(c->worker, o->with[k]))
					mine = 1;
			if (mine && S_case_open(c, o->date) && o->type != SUP_REC_GROUP)
				refs[nrefs++] = c->ref;
		}
		for (i = 0; i < o->ncases; i++) {
			for (k = 0; k < nrefs; k++)
				if (!strcmp(refs[k], o->cases[i]))
					break;
			if (k == nrefs)
				refs[nrefs++] = o->cases[i];
		}
		for (i = 0; i < nrefs; i++) {
			struct sup_node *c = sup_node_new_map();

			sup_node_set_str(c, "ref", refs[i]);
			sup_node_set_plain(c, "decision", "");
			sup_node_set_plain(c, "review", "");
			sup_node_append(seq, c);
		}
		sup_node_set(fm, "cases", seq);
	}
	if (o->type == SUP_REC_SESSION || o->type == SUP_REC_GROUP) {
		struct sup_open_action *acts = NULL;
		size_t nacts = 0;

		seq = sup_node_new_seq();
		for (k = 0; k < o->nwith; k++) {
			sup_open_actions(&acts, &nacts, recs, nrecs, o->with[k], o->date);
			for (i = 0; i < nacts; i++) {
				struct sup_node *a;
				size_t d;

				/* a group's action is about every attendee: once is enough */
				for (d = 0; d < seq->n; d++) {
					const struct sup_node *had = sup_node_get(seq->items[d], "action");

					if (had && !strcmp(had->value, acts[i].ref))
						break;
				}
				if (d < seq->n)
					continue;
				a = sup_node_new_map();

				a->flow = 1;
				sup_node_set_str(a, "action", acts[i].ref);
				sup_node_set_plain(a, "status", "");
				sup_node_append(seq, a);
			}
			sup_open_actions_free(acts, nacts);
		}
		sup_node_set(fm, "reviewed_actions", seq);
	}
	if (o->type != SUP_REC_CONTRACT) {
		seq = sup_node_new_seq();
		sup_node_set(fm, "actions", seq);
	}
	if (o->type == SUP_REC_SESSION || o->type == SUP_REC_GROUP) {
		/* the next one, as sup due and sup audit will judge it: the
		 * role's phase, a signed contract's rate, absences */
		struct sup_schedule sch;
		const struct sup_record *contract;
		sup_date next;
		int paused;

		sup_schedule_init(&sch, &r->policy, &r->reg, recs, nrecs, o->date);
		contract = sup_schedule_contract(&sch, who, 1);
		next = sup_policy_role(&r->policy, who->role) ?
		       sup_schedule_next(&r->policy, who, contract, o->date) : SUP_DATE_NONE;
		if (next != SUP_DATE_NONE)
			next = sup_schedule_pause(who, o->date, next, &paused);
		S_set_date(fm, "next_session", next);
		sup_schedule_release(&sch);
	}
	for (i = 0; i < o->nsets; i++) {
		const char *eq = strchr(o->sets[i], '=');
		char *key;

		if (!eq || eq == o->sets[i]) {
			error = sup_error_set(SUP_EUSAGE, "--set takes KEY=VALUE, not '%s'",
					      o->sets[i]);
			goto out;
		}
		key = sup_xstrndup(o->sets[i], (size_t)(eq - o->sets[i]));
		if (!strcmp(key, "id") || !strcmp(key, "type") || !strcmp(key, "signoffs") ||
		    !strcmp(key, "amendments")) {
			error = sup_error_set(SUP_EUSAGE, "--set cannot change '%s'", key);
			free(key);
			goto out;
		}
		sup_node_set(fm, key, S_value(eq + 1));
		free(key);
	}
	if ((error = sup_template_load(&tmpl, r, o->type)) < 0)
		goto out;
	sup_buf_puts(out, "---\n");
	sup_yaml_emit(out, fm);
	sup_buf_puts(out, "---\n");
	sup_template_expand(out, sup_buf_cstr(&tmpl), tmpl.len, refs, nrefs,
			    who->name, me ? me->name : o->me, date);
	*idp = id;
	id = NULL;
out:
	free(id);
	free(refs);
	sup_node_free(fm);
	sup_buf_release(&tmpl);
	return error;
}

void sup_compose_amend(struct sup_buf *out, const struct sup_record *rec,
		       const char *by, const char *at, const char *reason)
{
	struct sup_node *fm = sup_node_dup(rec->fm), *seq, *a;

	sup_node_remove(fm, "signoffs");
	seq = sup_node_get(fm, "amendments");
	if (!seq || seq->type != SUP_NODE_SEQ) {
		seq = sup_node_new_seq();
		sup_node_set(fm, "amendments", seq);
	}
	a = sup_node_new_map();
	a->flow = 1;
	sup_node_set_str(a, "by", by);
	sup_node_set_plain(a, "at", at);
	sup_node_set_str(a, "reason", reason);
	sup_node_append(seq, a);
	sup_record_rewrite(out, rec, fm);
	sup_node_free(fm);
}
