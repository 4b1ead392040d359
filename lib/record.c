/* record: supervision records (see record.h). */
#include "record.h"
#include "markdown.h"
#include "schema.h"
#include "sshsig.h"
#include "blobcache.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	"session", "group", "oversight", "contract", "handover", NULL
};

/* Keys each type may have, in the order sup writes them. */
static const char *const keys_session[] = { "id", "type", "date", "start",
	"minutes", "supervisor", "supervisee", "location", "functions", "cases",
	"reviewed_actions", "actions", "next_session", "amendments", "signoffs", NULL };
static const char *const keys_group[] = { "id", "type", "date", "start",
	"minutes", "supervisor", "supervisees", "location", "ground_rules_agreed",
	"functions", "cases", "reviewed_actions", "actions", "next_session",
	"amendments", "signoffs", NULL };
static const char *const keys_oversight[] = { "id", "type", "date", "start",
	"minutes", "supervisor", "supervisee", "location", "case", "actions",
	"amendments", "signoffs", NULL };
static const char *const keys_contract[] = { "id", "type", "date", "start",
	"minutes", "supervisor", "supervisee", "location", "frequency",
	"review_due", "amendments", "signoffs", NULL };
static const char *const keys_handover[] = { "id", "type", "date", "start",
	"minutes", "from", "to", "supervisee", "location", "cases", "actions",
	"amendments", "signoffs", NULL };

static const char *const *S_keys(enum sup_record_type t)
{
	switch (t) {
	case SUP_REC_SESSION: return keys_session;
	case SUP_REC_GROUP: return keys_group;
	case SUP_REC_OVERSIGHT: return keys_oversight;
	case SUP_REC_CONTRACT: return keys_contract;
	case SUP_REC_HANDOVER: return keys_handover;
	}
	return keys_session;
}

int sup_record_type_parse(enum sup_record_type *out, const char *s)
{
	size_t i;

	for (i = 0; type_names[i]; i++)
		if (s && !strcmp(s, type_names[i])) {
			*out = (enum sup_record_type)i;
			return 0;
		}
	return sup_error_set(SUP_EINVALID,
			     "unknown record type '%s' (one of session, group, oversight, contract, handover)",
			     s ? s : "");
}

const char *sup_record_type_name(enum sup_record_type t)
{
	return type_names[t];
}

static char *S_dup(const char *s)
{
	return s ? sup_xstrdup(s) : NULL;
}

static struct sup_pos S_pos(const struct sup_node *n)
{
	struct sup_pos p = { n ? n->line : 0, n ? n->col : 0 };

	return p;
}

static void S_id_list(struct sup_schema *sc, const struct sup_node *seq,
		      char ***out, size_t *n, const char *what)
{
	size_t i;

	*n = 0;
	if (!seq)
		return;
	*out = sup_xcalloc(seq->n ? seq->n : 1, sizeof(**out));
	for (i = 0; i < seq->n; i++) {
		const struct sup_node *v = seq->items[i];

		if (v->type != SUP_NODE_SCALAR || !sup_valid_id(v->value)) {
			sup_schema_error(sc, v, "each of '%s' must be a staff id", what);
			continue;
		}
		(*out)[(*n)++] = sup_xstrdup(v->value);
	}
}

static void S_strings(struct sup_schema *sc, const struct sup_node *seq,
		      char ***out, size_t *n, const char *what)
{
	size_t i;

	*n = 0;
	if (!seq)
		return;
	*out = sup_xcalloc(seq->n ? seq->n : 1, sizeof(**out));
	for (i = 0; i < seq->n; i++) {
		const struct sup_node *v = seq->items[i];

		if (v->type != SUP_NODE_SCALAR || !*v->value) {
			sup_schema_error(sc, v, "each of '%s' must be a single word", what);
			continue;
		}
		(*out)[(*n)++] = sup_xstrdup(v->value);
	}
}

/*
 * The lists of mappings in a record (cases, reviewed actions, actions,
 * amendments, sign-offs) are read one way: each item must be a mapping
 * (else `shape` says how one is written), is checked against its known
 * keys, and is handed to fill with a zeroed item of `size` bytes at
 * base[index] (earlier items are there to compare against).  Returns the
 * array (NULL for an absent list); *n counts the items filled.
 */
typedef void (*S_fill_fn)(struct sup_schema *sc, const struct sup_node *m,
			  void *base, size_t index);

static void *S_each_map(struct sup_schema *sc, const struct sup_node *seq,
			const char *const *keys, const char *shape, size_t size,
			size_t *n, S_fill_fn fill)
{
	char *base;
	size_t i;

	*n = 0;
	if (!seq)
		return NULL;
	base = sup_xcalloc(seq->n ? seq->n : 1, size);
	for (i = 0; i < seq->n; i++) {
		const struct sup_node *m = seq->items[i];

		if (m->type != SUP_NODE_MAP) {
			sup_schema_error(sc, m, "%s", shape);
			continue;
		}
		sup_schema_known(sc, m, keys);
		fill(sc, m, base, (*n)++);
	}
	return base;
}

static const char *const case_keys[] = { "ref", "decision", "review", NULL };

static void S_case(struct sup_schema *sc, const struct sup_node *m, void *base,
		   size_t index)
{
	struct sup_rec_case *c = (struct sup_rec_case *)base + index;

	c->ref = S_dup(sup_field_caseref(sc, m, "ref", 1));
	c->decision = S_dup(sup_field_str(sc, m, "decision", 0));
	sup_field_date(sc, m, "review", 0, &c->review);
	c->pos = S_pos(m);
}

static const char *const review_keys[] = { "action", "status", NULL };

static void S_review(struct sup_schema *sc, const struct sup_node *m, void *base,
		     size_t index)
{
	struct sup_rec_review *r = (struct sup_rec_review *)base + index;
	const char *a = sup_field_str(sc, m, "action", 1);
	const char *st = sup_field_str(sc, m, "status", 0);

	if (a) {
		const char *hash = strchr(a, '#');
		char *id = hash ? sup_xstrndup(a, (size_t)(hash - a)) : NULL;

		if (!hash || !sup_valid_id(id) || !hash[1] ||
		    strspn(hash + 1, "0123456789") != strlen(hash + 1))
			sup_schema_error(sc, sup_node_get(m, "action"),
					 "'%s' is not an action reference (RECORD-ID#N, e.g. 2026-10-26-jsmith#2)",
					 a);
		free(id);
	}
	if (st && strcmp(st, "done") && strcmp(st, "carried") && strcmp(st, "dropped"))
		sup_schema_error(sc, sup_node_get(m, "status"),
				 "status must be done, carried or dropped, not '%s'", st);
	r->action = S_dup(a);
	r->status = S_dup(st);
	r->pos = S_pos(m);
}

static const char *const action_keys[] = { "n", "text", "owner", "due", "case", NULL };

static void S_action(struct sup_schema *sc, const struct sup_node *m, void *base,
		     size_t index)
{
	struct sup_rec_action *all = base, *a = all + index;
	size_t k;

	sup_field_int(sc, m, "n", 0, 9999, &a->n);
	if (!sup_node_get(m, "n"))
		sup_schema_error(sc, m, "missing required key 'n' (the action's number in this record)");
	else if (a->n < 1)
		sup_schema_error(sc, sup_node_get(m, "n"), "action numbers start at 1");
	a->text = S_dup(sup_field_str(sc, m, "text", 1));
	/* an action nobody owns is nobody's: refused on every save */
	a->owner = S_dup(sup_field_id(sc, m, "owner", 1));
	sup_field_date(sc, m, "due", 0, &a->due);
	a->case_ref = S_dup(sup_field_caseref(sc, m, "case", 0));
	a->pos = S_pos(m);
	for (k = 0; k < index; k++)
		if (a->n && all[k].n == a->n)
			sup_schema_error(sc, sup_node_get(m, "n"),
					 "action number %ld is used twice", a->n);
}

static const char *const signoff_keys[] = { "by", "role", "at", "digest", "dispute", NULL };

static void S_signoff(struct sup_schema *sc, const struct sup_node *m, void *base,
		      size_t index)
{
	struct sup_signoff *s = (struct sup_signoff *)base + index;
	time_t t;

	s->by = S_dup(sup_field_id(sc, m, "by", 1));
	s->role = S_dup(sup_field_str(sc, m, "role", 1));
	s->at = S_dup(sup_field_str(sc, m, "at", 1));
	s->digest = S_dup(sup_field_str(sc, m, "digest", 1));
	s->dispute = S_dup(sup_field_str(sc, m, "dispute", 0));
	if (s->at && sup_timestamp_parse(&t, s->at) < 0)
		sup_schema_error(sc, sup_node_get(m, "at"), "'at': %s", sup_error_last());
	if (s->digest && (!sup_starts_with(s->digest, "sha256:") ||
			  strlen(s->digest) != 71 ||
			  strspn(s->digest + 7, "0123456789abcdef") != 64))
		sup_schema_error(sc, sup_node_get(m, "digest"),
				 "digest must be sha256: and 64 lowercase hex digits");
	s->pos = S_pos(m);
}

static const char *const amendment_keys[] = { "by", "at", "reason", NULL };

static void S_amendment(struct sup_schema *sc, const struct sup_node *m, void *base,
			size_t index)
{
	struct sup_amendment *a = (struct sup_amendment *)base + index;

	a->by = S_dup(sup_field_id(sc, m, "by", 1));
	a->at = S_dup(sup_field_str(sc, m, "at", 1));
	a->reason = S_dup(sup_field_str(sc, m, "reason", 1));
}

/* records/<yyyy>/<id>.md: the id and the year must match the path. */
static void S_check_path(struct sup_schema *sc, const struct sup_record *rec)
{
	const char *base = strrchr(rec->path, '/');
	char year[5];
	int y, m, d;

	base = base ? base + 1 : rec->path;
	if (rec->id) {
		size_t n = strlen(rec->id);

		if (strncmp(base, rec->id, n) || strcmp(base + n, ".md"))
			sup_schema_error(sc, sup_node_get(rec->fm, "id"),
					 "id '%s' does not match the file name '%s' (the file must be %s.md)",
					 rec->id, base, rec->id);
	}
	if (rec->date != SUP_DATE_NONE && sup_starts_with(rec->path, "records/")) {
		sup_date_to_ymd(rec->date, &y, &m, &d);
		snprintf(year, sizeof(year), "%04d", y);
		if (strncmp(rec->path + 8, year, 4) || rec->path[12] != '/')
			sup_schema_error(sc, sup_node_get(rec->fm, "date"),
					 "a record dated %04d-%02d-%02d belongs under records/%s/",
					 y, m, d, year);
	}
}

/*
 * The digest drops the front matter from the line that starts
 * "signoffs:" (sup-record(5)), so that line must be the signoffs key
 * itself.  A quoted or block value running on to such a line would hide
 * the fields after it from the digest: refuse it.
 */
static void S_check_signoffs_line(struct sup_schema *sc, const struct sup_record *rec,
				  size_t yoff, size_t ylen, int first_line)
{
	const struct sup_node *key = sup_node_key(rec->fm, "signoffs");
	const char *p = rec->text + yoff, *end = rec->text + yoff + ylen;
	int line = first_line;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if ((size_t)(end - p) >= 9 && !memcmp(p, "signoffs:", 9) &&
		    (!key || key->line != line)) {
			struct sup_node at;

			memset(&at, 0, sizeof(at));
			at.line = line;
			at.col = 1;
			sup_schema_error(sc, &at,
					 "a line of a value starts with 'signoffs:', which would end what sign-offs cover; reword or re-indent it");
		}
		if (!eol)
			break;
		p = eol + 1;
		line++;
	}
}

int sup_record_parse(struct sup_record **out, const char *text, size_t len,
		     const char *path, int line_offset)
{
	struct sup_record *rec = sup_xcalloc(1, sizeof(*rec));
	struct sup_schema sc = { path, 0 };
	size_t yoff, ylen;
	int yline, error;
	const char *type;
	const struct sup_node *v;

	*out = NULL;
	rec->path = sup_xstrdup(path);
	rec->text = sup_xstrndup(text, len);
	rec->len = len;
	rec->date = rec->next_session = rec->review_due = SUP_DATE_NONE;
	if (len > SUP_MAX_FILE) {
		sup_diag_add(SUP_EINVALID, path, 0, 0,
			     "file is larger than 1 MiB (a record this long is probably a mistake)");
		goto fail;
	}
	if ((error = sup_frontmatter_split(text, len, path, &yoff, &ylen,
					   &rec->body_off, &yline)) < 0)
		goto fail;
	{
		size_t i;

		/* the body's first line: count the lines before it */
		rec->body_line = 1 + line_offset;
		for (i = 0; i < rec->body_off; i++)
			if (text[i] == '\n')
				rec->body_line++;
	}
	if ((error = sup_yaml_parse(&rec->fm, text + yoff, ylen, path,
				    yline + line_offset)) < 0)
		goto fail;
	if (!sup_schema_is_map(&sc, rec->fm))
		goto fail;
	type = sup_field_str(&sc, rec->fm, "type", 1);
	if (type && sup_record_type_parse(&rec->type, type) < 0) {
		sup_schema_error(&sc, sup_node_get(rec->fm, "type"), "%s", sup_error_last());
		goto fail;
	}
	if (!type)
		goto fail;
	sup_schema_known(&sc, rec->fm, S_keys(rec->type));
	rec->id = S_dup(sup_field_id(&sc, rec->fm, "id", 1));
	sup_field_date(&sc, rec->fm, "date", 1, &rec->date);
	if ((v = sup_node_get(rec->fm, "start")) && !sup_node_is_null(v)) {
		int h, m, n = 0;

		if (v->type != SUP_NODE_SCALAR ||
		    sscanf(v->value, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 ||
		    strlen(v->value) != 5 || h > 23 || m > 59)
			sup_schema_error(&sc, v, "'start' must be a time HH:MM, such as \"10:00\"");
	}
	{
		long minutes;

		sup_field_int(&sc, rec->fm, "minutes", 0, 1440, &minutes);
	}
	sup_field_str(&sc, rec->fm, "location", 0);
	switch (rec->type) {
	case SUP_REC_GROUP:
		rec->supervisor = S_dup(sup_field_id(&sc, rec->fm, "supervisor", 1));
		S_id_list(&sc, sup_field_seq(&sc, rec->fm, "supervisees", 1),
			  &rec->supervisees, &rec->nsupervisees, "supervisees");
		sup_field_bool(&sc, rec->fm, "ground_rules_agreed", 0, &rec->ground_rules_agreed);
		break;
	case SUP_REC_HANDOVER:
		rec->from = S_dup(sup_field_id(&sc, rec->fm, "from", 1));
		rec->to = S_dup(sup_field_id(&sc, rec->fm, "to", 1));
		rec->supervisee = S_dup(sup_field_id(&sc, rec->fm, "supervisee", 1));
		break;
	default:
		rec->supervisor = S_dup(sup_field_id(&sc, rec->fm, "supervisor", 1));
		rec->supervisee = S_dup(sup_field_id(&sc, rec->fm, "supervisee", 1));
		break;
	}
	if (rec->type == SUP_REC_OVERSIGHT)
		rec->case_ref = S_dup(sup_field_caseref(&sc, rec->fm, "case", 1));
	if (rec->type == SUP_REC_CONTRACT) {
		sup_field_duration(&sc, rec->fm, "frequency", 1, &rec->frequency,
				   &rec->has_frequency);
		sup_field_date(&sc, rec->fm, "review_due", 0, &rec->review_due);
	}
	S_strings(&sc, sup_field_seq(&sc, rec->fm, "functions", 0),
		  &rec->functions, &rec->nfunctions, "functions");
	rec->cases = S_each_map(&sc, sup_field_seq(&sc, rec->fm, "cases", 0), case_keys,
				"a case is {ref: REF, decision: TEXT, review: DATE}",
				sizeof(*rec->cases), &rec->ncases, S_case);
	rec->reviewed = S_each_map(&sc, sup_field_seq(&sc, rec->fm, "reviewed_actions", 0),
				   review_keys,
				   "a reviewed action is {action: RECORD-ID#N, status: done|carried|dropped}",
				   sizeof(*rec->reviewed), &rec->nreviewed, S_review);
	rec->actions = S_each_map(&sc, sup_field_seq(&sc, rec->fm, "actions", 0), action_keys,
				  "an action is {n: N, text: TEXT, owner: ID, due: DATE, case: REF}",
				  sizeof(*rec->actions), &rec->nactions, S_action);
	sup_field_date(&sc, rec->fm, "next_session", 0, &rec->next_session);
	rec->amendments = S_each_map(&sc, sup_field_seq(&sc, rec->fm, "amendments", 0),
				     amendment_keys, "an amendment is written by 'sup edit --amend'",
				     sizeof(*rec->amendments), &rec->namendments, S_amendment);
	rec->signoffs = S_each_map(&sc, sup_field_seq(&sc, rec->fm, "signoffs", 0),
				   signoff_keys, "a sign-off is written by 'sup sign'",
				   sizeof(*rec->signoffs), &rec->nsignoffs, S_signoff);
	if (sup_node_get(rec->fm, "signoffs") &&
	    strcmp(rec->fm->keys[rec->fm->n - 1]->value, "signoffs"))
		sup_schema_error(&sc, sup_node_key(rec->fm, "signoffs"),
				 "'signoffs' must be the last key of the front matter");
	S_check_signoffs_line(&sc, rec, yoff, ylen, yline + line_offset);
	S_check_path(&sc, rec);
	if (sc.errors)
		goto fail;
	sup_record_digest(rec->digest, rec->text, rec->len);
	*out = rec;
	return 0;
fail:
	sup_record_free(rec);
	return SUP_EINVALID;
}

static void S_free_strs(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sup_record_free(struct sup_record *rec)
{
	size_t i;

	if (!rec)
		return;
	if (rec->arena) {
		/* deserialised: the strings are all in the arena */
		free(rec->supervisees);
		free(rec->functions);
		free(rec->cases);
		free(rec->reviewed);
		free(rec->actions);
		free(rec->amendments);
		free(rec->signoffs);
		free(rec->text);
		sup_node_free(rec->fm);
		free(rec->arena);
		free(rec);
		return;
	}
	free(rec->path);
	free(rec->text);
	sup_node_free(rec->fm);
	free(rec->id);
	free(rec->supervisor);
	free(rec->supervisee);
	S_free_strs(rec->supervisees, rec->nsupervisees);
	free(rec->from);
	free(rec->to);
	free(rec->case_ref);
	S_free_strs(rec->functions, rec->nfunctions);
	for (i = 0; i < rec->ncases; i++) {
		free(rec->cases[i].ref);
		free(rec->cases[i].decision);
	}
	free(rec->cases);
	for (i = 0; i < rec->nreviewed; i++) {
		free(rec->reviewed[i].action);
		free(rec->reviewed[i].status);
	}
	free(rec->reviewed);
	for (i = 0; i < rec->nactions; i++) {
		free(rec->actions[i].text);
		free(rec->actions[i].owner);
		free(rec->actions[i].case_ref);
	}
	free(rec->actions);
	for (i = 0; i < rec->namendments; i++) {
		free(rec->amendments[i].by);
		free(rec->amendments[i].at);
		free(rec->amendments[i].reason);
	}
	free(rec->amendments);
	for (i = 0; i < rec->nsignoffs; i++) {
		free(rec->signoffs[i].by);
		free(rec->signoffs[i].role);
		free(rec->signoffs[i].at);
		free(rec->signoffs[i].digest);
		free(rec->signoffs[i].dispute);
	}
	free(rec->signoffs);
	free(rec);
}

static void S_diag(int *bad, const struct sup_record *rec, struct sup_pos p,
		   const char *fmt, const char *a, const char *b)
{
	sup_diag_add(SUP_EINVALID, rec->path, p.line, p.col, fmt, a, b ? b : "");
	*bad = 1;
}

static void S_staff_known(int *bad, const struct sup_record *rec,
			  const struct sup_register *reg, const char *id,
			  const char *key)
{
	const struct sup_node *n;
	const char *near;
	struct sup_pos p;

	if (!id || sup_register_staff(reg, id))
		return;
	n = sup_node_get(rec->fm, key);
	p = S_pos(n);
	near = sup_register_suggest(reg, id);
	if (near)
		S_diag(bad, rec, p, "unknown staff id '%s' (did you mean '%s'?)", id, near);
	else
		S_diag(bad, rec, p, "unknown staff id '%s'%s", id, NULL);
}

int sup_record_check(const struct sup_record *rec, const struct sup_policy *pol,
		     const struct sup_register *reg, sup_action_lookup_fn lookup,
		     void *payload)
{
	const struct sup_node *seq;
	size_t i;
	int bad = 0;

	S_staff_known(&bad, rec, reg, rec->supervisor, "supervisor");
	S_staff_known(&bad, rec, reg, rec->supervisee, "supervisee");
	S_staff_known(&bad, rec, reg, rec->from, "from");
	S_staff_known(&bad, rec, reg, rec->to, "to");
	seq = sup_node_get(rec->fm, "supervisees");
	for (i = 0; i < rec->nsupervisees; i++)
		if (!sup_register_staff(reg, rec->supervisees[i]))
			S_diag(&bad, rec, S_pos(seq && i < seq->n ? seq->items[i] : seq),
			       "unknown staff id '%s'%s", rec->supervisees[i], NULL);
	if (rec->supervisor && rec->supervisee && !strcmp(rec->supervisor, rec->supervisee))
		S_diag(&bad, rec, S_pos(sup_node_get(rec->fm, "supervisee")),
		       "'%s' cannot supervise themselves%s", rec->supervisee, NULL);
	if (rec->case_ref && !sup_register_case(reg, rec->case_ref))
		S_diag(&bad, rec, S_pos(sup_node_get(rec->fm, "case")),
		       "unknown case '%s' (add it with 'sup case open')%s", rec->case_ref, NULL);
	seq = sup_node_get(rec->fm, "functions");
	for (i = 0; i < rec->nfunctions; i++)
		if (!sup_policy_has_function(pol, rec->functions[i])) {
			struct sup_buf all = SUP_BUF_INIT;
			size_t k;

			for (k = 0; k < pol->nfunctions; k++)
				sup_buf_printf(&all, "%s%s", k ? ", " : "", pol->functions[k]);
			S_diag(&bad, rec, S_pos(seq && seq->type == SUP_NODE_SEQ && i < seq->n ? seq->items[i] : seq),
			       "unknown function '%s' (sup.yaml functions are: %s)",
			       rec->functions[i], sup_buf_cstr(&all));
			sup_buf_release(&all);
		}
	for (i = 0; i < rec->ncases; i++)
		if (rec->cases[i].ref && !sup_register_case(reg, rec->cases[i].ref))
			S_diag(&bad, rec, rec->cases[i].pos,
			       "unknown case '%s' (add it with 'sup case open')%s",
			       rec->cases[i].ref, NULL);
	for (i = 0; i < rec->nactions; i++) {
		const struct sup_rec_action *a = &rec->actions[i];

		if (a->owner && !sup_register_staff(reg, a->owner)) {
			const char *near = sup_register_suggest(reg, a->owner);

			if (near)
				S_diag(&bad, rec, a->pos,
				       "action owner: unknown staff id '%s' (did you mean '%s'?)",
				       a->owner, near);
			else
				S_diag(&bad, rec, a->pos,
				       "action owner: unknown staff id '%s'%s", a->owner, NULL);
		}
		if (a->case_ref && !sup_register_case(reg, a->case_ref))
			S_diag(&bad, rec, a->pos, "action: unknown case '%s'%s", a->case_ref, NULL);
	}
	for (i = 0; i < rec->nreviewed; i++) {
		const struct sup_rec_review *r = &rec->reviewed[i];
		const char *hash = r->action ? strchr(r->action, '#') : NULL;
		char *id;
		long n;

		if (!hash || !lookup)
			continue;
		id = sup_xstrndup(r->action, (size_t)(hash - r->action));
		n = strtol(hash + 1, NULL, 10);
		if (!lookup(id, n, payload))
			S_diag(&bad, rec, r->pos,
			       "reviewed action '%s' does not exist (no action %s in that record)",
			       r->action, hash + 1);
		free(id);
	}
	return bad ? SUP_EINVALID : 0;
}

int sup_record_complete(const struct sup_record *rec, const char *template_body,
			size_t template_len)
{
	struct sup_section *want = NULL, *have = NULL;
	size_t nwant = 0, nhave = 0, i, k;
	struct sup_pos top = { 1, 1 };
	int bad = 0;

	if ((rec->type == SUP_REC_SESSION || rec->type == SUP_REC_GROUP) &&
	    !rec->nfunctions)
		S_diag(&bad, rec, S_pos(sup_node_get(rec->fm, "functions")),
		       "no function of supervision recorded: list in 'functions' which were covered%s", "", NULL);
	for (i = 0; i < rec->ncases; i++)
		if (!rec->cases[i].decision || !*rec->cases[i].decision)
			S_diag(&bad, rec, rec->cases[i].pos,
			       "case %s has no decision recorded%s", rec->cases[i].ref, NULL);
	for (i = 0; i < rec->nreviewed; i++)
		if (!rec->reviewed[i].status)
			S_diag(&bad, rec, rec->reviewed[i].pos,
			       "reviewed action %s has no status (done, carried or dropped)%s",
			       rec->reviewed[i].action, NULL);
	for (i = 0; i < rec->nactions; i++) {
		if (!rec->actions[i].owner)
			S_diag(&bad, rec, rec->actions[i].pos,
			       "action '%s' has no owner%s", rec->actions[i].text, NULL);
		if (rec->actions[i].due == SUP_DATE_NONE)
			S_diag(&bad, rec, rec->actions[i].pos,
			       "action '%s' has no due date%s", rec->actions[i].text, NULL);
	}
	if (template_body &&
	    sup_markdown_sections(&want, &nwant, template_body, template_len) == 0 &&
	    sup_markdown_sections(&have, &nhave, rec->text + rec->body_off,
				  rec->len - rec->body_off) == 0) {
		for (i = 0; i < nwant; i++) {
			for (k = 0; k < nhave; k++)
				if (!strcmp(want[i].title, have[k].title))
					break;
			top.line = rec->body_line;
			if (k == nhave) {
				if (!want[i].optional)
					S_diag(&bad, rec, top, "the section '## %s' is missing%s",
					       want[i].title, NULL);
				continue;
			}
			if (!want[i].optional && !have[k].has_content) {
				struct sup_pos p = { rec->body_line + have[k].line - 1, 1 };

				S_diag(&bad, rec, p, "the section '%s' is empty%s",
				       want[i].title, NULL);
			}
		}
	}
	sup_sections_free(want, nwant);
	sup_sections_free(have, nhave);
	return bad ? SUP_EINVALID : 0;
}

size_t sup_record_parties(const struct sup_record *rec, const char **ids,
			  const char **roles, size_t max)
{
	size_t n = 0, i;

#define ADD(id, role) do { if ((id) && n < max) { ids[n] = (id); roles[n++] = (role); } } while (0)
	switch (rec->type) {
	case SUP_REC_GROUP:
		ADD(rec->supervisor, "facilitator");
		for (i = 0; i < rec->nsupervisees; i++)
			ADD(rec->supervisees[i], "attendee");
		break;
	case SUP_REC_HANDOVER:
		ADD(rec->from, "outgoing");
		ADD(rec->to, "incoming");
		ADD(rec->supervisee, "supervisee");
		break;
	default:
		ADD(rec->supervisor, "supervisor");
		ADD(rec->supervisee, "supervisee");
		break;
	}
#undef ADD
	return n;
}

const char *sup_record_role(const struct sup_record *rec, const char *id)
{
	const char *ids[256], *roles[256];
	size_t n = sup_record_parties(rec, ids, roles, 256), i;

	for (i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return roles[i];
	return NULL;
}

int sup_record_about(const struct sup_record *rec, const char *person)
{
	size_t i;

	if (rec->supervisee && !strcmp(rec->supervisee, person))
		return 1;
	for (i = 0; i < rec->nsupervisees; i++)
		if (!strcmp(rec->supervisees[i], person))
			return 1;
	return 0;
}

int sup_record_must_sign(const struct sup_record *rec, const char *role)
{
	switch (rec->type) {
	case SUP_REC_SESSION:
	case SUP_REC_CONTRACT:
		return 1;
	case SUP_REC_GROUP:
		return !strcmp(role, "facilitator");
	case SUP_REC_OVERSIGHT:
		return !strcmp(role, "supervisor");
	case SUP_REC_HANDOVER:
		return strcmp(role, "supervisee") != 0;
	}
	return 1;
}

void sup_record_digest(char out[72], const char *text, size_t len)
{
	struct sup_buf canon = SUP_BUF_INIT;
	const char *p = text, *end = text + len;
	int line = 0, in_fm = 0, skipping = 0;
	char hex[65];

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		size_t content = n;

		if (content && p[content - 1] == '\r')
			content--;
		line++;
		if (line == 1 && content == 3 && !memcmp(p, "---", 3)) {
			in_fm = 1;
		} else if (in_fm && content == 3 &&
			   (!memcmp(p, "---", 3) || !memcmp(p, "...", 3))) {
			in_fm = 0;
			skipping = 0;
		} else if (in_fm && content >= 9 && !memcmp(p, "signoffs:", 9)) {
			skipping = 1;
		}
		if (!skipping) {
			sup_buf_put(&canon, p, content);
			if (eol)
				sup_buf_putc(&canon, '\n');
		}
		p += n + (eol ? 1 : 0);
	}
	sup_sha256_hex(hex, canon.ptr ? canon.ptr : "", canon.len);
	snprintf(out, 72, "sha256:%s", hex);
	sup_buf_release(&canon);
}

char *sup_record_path(const char *id)
{
	/* ids begin with the record's date: records/<yyyy>/ */
	if (strlen(id) >= 4 && strspn(id, "0123456789") >= 4)
		return sup_xasprintf("records/%.4s/%s.md", id, id);
	return sup_xasprintf("records/%s.md", id);
}

void sup_record_rewrite(struct sup_buf *out, const struct sup_record *rec,
			const struct sup_node *tree)
{
	sup_buf_puts(out, "---\n");
	sup_yaml_emit(out, tree);
	sup_buf_puts(out, "---\n");
	sup_buf_put(out, rec->text + rec->body_off, rec->len - rec->body_off);
}

void sup_record_signstate(struct sup_signstate *st, const struct sup_record *rec)
{
	size_t i, k;

	memset(st, 0, sizeof(*st));
	memcpy(st->digest, rec->digest, sizeof(st->digest));
	st->n = sup_record_parties(rec, st->id, st->role, SUP_MAX_PARTIES);
	st->complete = 1;
	for (i = 0; i < st->n; i++) {
		st->must[i] = sup_record_must_sign(rec, st->role[i]);
		for (k = 0; k < rec->nsignoffs; k++)
			if (!strcmp(rec->signoffs[k].by, st->id[i]))
				st->signoff[i] = &rec->signoffs[k];
		if (!st->signoff[i])
			st->state[i] = SUP_PARTY_UNSIGNED;
		else if (strcmp(st->signoff[i]->digest, st->digest))
			st->state[i] = SUP_PARTY_STALE;
		else if (st->signoff[i]->dispute)
			st->state[i] = SUP_PARTY_DISPUTED;
		else
			st->state[i] = SUP_PARTY_SIGNED;
		if (st->state[i] == SUP_PARTY_STALE)
			st->stale = 1;
		if (st->state[i] == SUP_PARTY_DISPUTED)
			st->disputed = 1;
		if (st->must[i] && st->state[i] != SUP_PARTY_SIGNED &&
		    st->state[i] != SUP_PARTY_DISPUTED)
			st->complete = 0;
	}
}

void sup_signstate_summary(struct sup_buf *out, const struct sup_signstate *st)
{
	size_t i;
	int first = 1;

	if (st->stale) {
		sup_buf_puts(out, "stale");
		return;
	}
	if (st->complete) {
		sup_buf_puts(out, st->disputed ? "disputed" : "signed");
		return;
	}
	sup_buf_puts(out, "awaiting ");
	for (i = 0; i < st->n; i++)
		if (st->must[i] && st->state[i] == SUP_PARTY_UNSIGNED) {
			sup_buf_printf(out, "%s%s", first ? "" : ", ", st->id[i]);
			first = 0;
		}
}

void sup_record_shed(struct sup_record *rec)
{
	free(rec->text);
	rec->text = NULL;
	rec->len = rec->body_off = 0;
	sup_node_free(rec->fm);
	rec->fm = NULL;
}

static void S_ser_strs(struct sup_buf *b, char *const *v, size_t n)
{
	size_t i;

	sup_ser_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		sup_ser_str(b, v[i]);
}

static void S_ser_pos(struct sup_buf *b, struct sup_pos p)
{
	sup_ser_i32(b, p.line);
	sup_ser_i32(b, p.col);
}

static void S_count(uint32_t *n, const char *s)
{
	if (s)
		*n += (uint32_t)strlen(s) + 1;
}

/* The bytes every string of r takes with its NUL, and those of the case
 * decisions among them. */
static void S_strbytes(const struct sup_record *r, uint32_t *all, uint32_t *decisions)
{
	uint32_t n = 0, d = 0;
	size_t i;

	S_count(&n, r->path);
	S_count(&n, r->id);
	S_count(&n, r->supervisor);
	S_count(&n, r->supervisee);
	for (i = 0; i < r->nsupervisees; i++)
		S_count(&n, r->supervisees[i]);
	S_count(&n, r->from);
	S_count(&n, r->to);
	S_count(&n, r->case_ref);
	for (i = 0; i < r->nfunctions; i++)
		S_count(&n, r->functions[i]);
	for (i = 0; i < r->ncases; i++) {
		S_count(&n, r->cases[i].ref);
		S_count(&d, r->cases[i].decision);
	}
	for (i = 0; i < r->nreviewed; i++) {
		S_count(&n, r->reviewed[i].action);
		S_count(&n, r->reviewed[i].status);
	}
	for (i = 0; i < r->nactions; i++) {
		S_count(&n, r->actions[i].text);
		S_count(&n, r->actions[i].owner);
		S_count(&n, r->actions[i].case_ref);
	}
	for (i = 0; i < r->namendments; i++) {
		S_count(&n, r->amendments[i].by);
		S_count(&n, r->amendments[i].at);
		S_count(&n, r->amendments[i].reason);
	}
	for (i = 0; i < r->nsignoffs; i++) {
		S_count(&n, r->signoffs[i].by);
		S_count(&n, r->signoffs[i].role);
		S_count(&n, r->signoffs[i].at);
		S_count(&n, r->signoffs[i].digest);
		S_count(&n, r->signoffs[i].dispute);
	}
	S_count(&n, r->digest);
	*all = n + d;
	*decisions = d;
}

void sup_record_serialize(struct sup_buf *b, const struct sup_record *r)
{
	uint32_t all, decisions;
	size_t i;

	sup_ser_str(b, r->path);
	sup_ser_str(b, r->id);
	sup_ser_u32(b, (uint32_t)r->type);
	sup_ser_i32(b, r->date);
	sup_ser_i32(b, r->body_line);
	sup_ser_str(b, r->supervisor);
	sup_ser_str(b, r->supervisee);
	S_ser_strs(b, r->supervisees, r->nsupervisees);
	sup_ser_str(b, r->from);
	sup_ser_str(b, r->to);
	sup_ser_str(b, r->case_ref);
	S_ser_strs(b, r->functions, r->nfunctions);
	sup_ser_u32(b, (uint32_t)r->ncases);
	for (i = 0; i < r->ncases; i++) {
		sup_ser_str(b, r->cases[i].ref);
		sup_ser_str(b, r->cases[i].decision);
		sup_ser_i32(b, r->cases[i].review);
		S_ser_pos(b, r->cases[i].pos);
	}
	sup_ser_u32(b, (uint32_t)r->nreviewed);
	for (i = 0; i < r->nreviewed; i++) {
		sup_ser_str(b, r->reviewed[i].action);
		sup_ser_str(b, r->reviewed[i].status);
		S_ser_pos(b, r->reviewed[i].pos);
	}
	sup_ser_u32(b, (uint32_t)r->nactions);
	for (i = 0; i < r->nactions; i++) {
		sup_ser_i32(b, (int32_t)r->actions[i].n);
		sup_ser_str(b, r->actions[i].text);
		sup_ser_str(b, r->actions[i].owner);
		sup_ser_str(b, r->actions[i].case_ref);
		sup_ser_i32(b, r->actions[i].due);
		S_ser_pos(b, r->actions[i].pos);
	}
	sup_ser_i32(b, r->next_session);
	sup_ser_i32(b, r->review_due);
	sup_ser_i32(b, r->has_frequency);
	sup_ser_i32(b, r->frequency.n);
	sup_ser_u32(b, (uint32_t)r->frequency.unit);
	sup_ser_i32(b, r->ground_rules_agreed);
	sup_ser_u32(b, (uint32_t)r->namendments);
	for (i = 0; i < r->namendments; i++) {
		sup_ser_str(b, r->amendments[i].by);
		sup_ser_str(b, r->amendments[i].at);
		sup_ser_str(b, r->amendments[i].reason);
	}
	sup_ser_u32(b, (uint32_t)r->nsignoffs);
	for (i = 0; i < r->nsignoffs; i++) {
		sup_ser_str(b, r->signoffs[i].by);
		sup_ser_str(b, r->signoffs[i].role);
		sup_ser_str(b, r->signoffs[i].at);
		sup_ser_str(b, r->signoffs[i].digest);
		sup_ser_str(b, r->signoffs[i].dispute);
		S_ser_pos(b, r->signoffs[i].pos);
	}
	sup_ser_str(b, r->digest);
	/* last, so that a peek at the first fields is not moved: the bytes
	 * the strings take, all and those of case decisions, so that a
	 * record is rebuilt in a block of just its size */
	S_strbytes(r, &all, &decisions);
	sup_ser_u32(b, all);
	sup_ser_u32(b, decisions);
}

static char **S_deser_strs(struct sup_deser *d, size_t *n)
{
	size_t i, k = sup_deser_count(d);
	char **v = sup_xcalloc(k ? k : 1, sizeof(*v));

	for (i = 0; i < k; i++)
		v[i] = sup_deser_str(d);
	*n = k;
	return v;
}

static struct sup_pos S_deser_pos(struct sup_deser *d)
{
	struct sup_pos p;

	p.line = sup_deser_i32(d);
	p.col = sup_deser_i32(d);
	return p;
}

/* A string of the serialised record, in place: 1 and its bytes, 0 for none
 * (NULL), -1 when damaged. */
static int S_peek_str(struct sup_deser *d, const char **s, size_t *n)
{
	uint32_t len = sup_deser_u32(d);

	if (d->bad)
		return -1;
	if (len == UINT32_MAX)
		return 0;
	if ((size_t)(d->end - d->p) < len) {
		d->bad = 1;
		return -1;
	}
	*s = (const char *)d->p;
	*n = len;
	d->p += len;
	return 1;
}

static int S_peek_is(struct sup_deser *d, const char *person, int *hit)
{
	const char *s;
	size_t n;
	int rc = S_peek_str(d, &s, &n);

	if (rc > 0 && person && n == strlen(person) && !memcmp(s, person, n))
		*hit = 1;
	return rc;
}

int sup_record_peek(const unsigned char *data, size_t len,
		    const struct sup_record_want *w)
{
	struct sup_deser d = { data, data + len, 0, NULL, 0, 0 };
	const char *s;
	size_t n, i, count;
	uint32_t type;
	sup_date date;
	int hit = 0;

	/* the order of sup_record_serialize: path, id, type, date, body
	 * line, supervisor, supervisee, supervisees, from, to */
	if (S_peek_str(&d, &s, &n) < 0 || S_peek_str(&d, &s, &n) < 0)
		return -1;
	type = sup_deser_u32(&d);
	date = sup_deser_i32(&d);
	(void)sup_deser_i32(&d);
	if (d.bad || type > SUP_REC_HANDOVER)
		return -1;
	if ((w->type >= 0 && (uint32_t)w->type != type) ||
	    (w->since != SUP_DATE_NONE && date < w->since) ||
	    (w->until != SUP_DATE_NONE && date > w->until))
		return 0;
	if (!w->person)
		return 1;
	if (S_peek_is(&d, w->person, &hit) < 0 || S_peek_is(&d, w->person, &hit) < 0)
		return -1;
	count = sup_deser_u32(&d);
	for (i = 0; !d.bad && i < count; i++)
		if (S_peek_is(&d, w->person, &hit) < 0)
			return -1;
	if (S_peek_is(&d, w->person, &hit) < 0 || S_peek_is(&d, w->person, &hit) < 0)
		return -1;
	return hit;
}

int sup_record_peek_people(const unsigned char *data, size_t len,
			   sup_person_fn fn, void *payload)
{
	struct sup_deser d = { data, data + len, 0, NULL, 0, 0 };
	const char *s;
	size_t n, i, count = 0;
	int rc, k;

	/* path, id, type, date, body line; then the people, in the order
	 * sup_record_peek reads them */
	if (S_peek_str(&d, &s, &n) < 0 || S_peek_str(&d, &s, &n) < 0)
		return -1;
	(void)sup_deser_u32(&d);
	(void)sup_deser_i32(&d);
	(void)sup_deser_i32(&d);
	for (k = 0; k < 5 && !d.bad; k++) {
		size_t many = k == 2 ? (count = sup_deser_count(&d)) : 1;

		for (i = 0; i < many && !d.bad; i++) {
			if ((rc = S_peek_str(&d, &s, &n)) < 0)
				return -1;
			if (rc > 0)
				fn(s, n, payload);
		}
	}
	(void)count;
	return d.bad ? -1 : 0;
}

int sup_record_wanted(const struct sup_record *rec, const struct sup_record_want *w)
{
	size_t i;

	if ((w->type >= 0 && (int)rec->type != w->type) ||
	    (w->since != SUP_DATE_NONE && rec->date < w->since) ||
	    (w->until != SUP_DATE_NONE && rec->date > w->until))
		return 0;
	if (!w->person)
		return 1;
	if ((rec->supervisor && !strcmp(rec->supervisor, w->person)) ||
	    (rec->supervisee && !strcmp(rec->supervisee, w->person)) ||
	    (rec->from && !strcmp(rec->from, w->person)) ||
	    (rec->to && !strcmp(rec->to, w->person)))
		return 1;
	for (i = 0; i < rec->nsupervisees; i++)
		if (!strcmp(rec->supervisees[i], w->person))
			return 1;
	return 0;
}

const char sup_record_not_loaded[] = "(not loaded)";

struct sup_record *sup_record_deserialize(const unsigned char *data, size_t len)
{
	return sup_record_deserialize_ex(data, len, 0);
}

/* A string of the cached record not kept: NULL, "" or the marker. */
static const char *S_deser_skip(struct sup_deser *d)
{
	const char *s;
	size_t n;
	int rc = S_peek_str(d, &s, &n);

	return rc <= 0 ? NULL : n ? sup_record_not_loaded : "";
}

struct sup_record *sup_record_deserialize_ex(const unsigned char *data, size_t len,
					     unsigned flags)
{
	struct sup_deser d = { data, data + len, 0, NULL, 0, 0 };
	struct sup_record *r;
	char *digest;
	uint32_t type, unit, all, decisions;
	size_t i, need;

	/* One block for all the strings, of the size the entry says they
	 * take: an audit builds 100,000 records, and allocating and freeing
	 * their two million strings one by one was half its time. */
	if (len < 8)
		return NULL;
	d.end = data + len - 8;
	all = (uint32_t)data[len - 8] << 24 | (uint32_t)data[len - 7] << 16 |
	      (uint32_t)data[len - 6] << 8 | data[len - 5];
	decisions = (uint32_t)data[len - 4] << 24 | (uint32_t)data[len - 3] << 16 |
		    (uint32_t)data[len - 2] << 8 | data[len - 1];
	if (all > len || decisions > all)
		return NULL;	/* damaged: the strings cannot be longer */
	need = (flags & SUP_RECORD_LEAN) ? all - decisions : all;
	r = sup_xcalloc(1, sizeof(*r));
	r->arena = d.arena = sup_xmalloc(need ? need : 1);
	d.acap = need;

	r->path = sup_deser_str(&d);
	r->id = sup_deser_str(&d);
	type = sup_deser_u32(&d);
	r->type = type <= SUP_REC_HANDOVER ? (enum sup_record_type)type : SUP_REC_SESSION;
	if (type > SUP_REC_HANDOVER)
		d.bad = 1;
	r->date = sup_deser_i32(&d);
	r->body_line = sup_deser_i32(&d);
	r->supervisor = sup_deser_str(&d);
	r->supervisee = sup_deser_str(&d);
	r->supervisees = S_deser_strs(&d, &r->nsupervisees);
	r->from = sup_deser_str(&d);
	r->to = sup_deser_str(&d);
	r->case_ref = sup_deser_str(&d);
	r->functions = S_deser_strs(&d, &r->nfunctions);
	r->ncases = sup_deser_count(&d);
	r->cases = sup_xcalloc(r->ncases ? r->ncases : 1, sizeof(*r->cases));
	for (i = 0; i < r->ncases; i++) {
		r->cases[i].ref = sup_deser_str(&d);
		/* the free text of a decision, which the audit never reads,
		 * is a third of a session record */
		if (flags & SUP_RECORD_LEAN)
			r->cases[i].decision = (char *)S_deser_skip(&d);
		else
			r->cases[i].decision = sup_deser_str(&d);
		r->cases[i].review = sup_deser_i32(&d);
		r->cases[i].pos = S_deser_pos(&d);
	}
	r->nreviewed = sup_deser_count(&d);
	r->reviewed = sup_xcalloc(r->nreviewed ? r->nreviewed : 1, sizeof(*r->reviewed));
	for (i = 0; i < r->nreviewed; i++) {
		r->reviewed[i].action = sup_deser_str(&d);
		r->reviewed[i].status = sup_deser_str(&d);
		r->reviewed[i].pos = S_deser_pos(&d);
	}
	r->nactions = sup_deser_count(&d);
	r->actions = sup_xcalloc(r->nactions ? r->nactions : 1, sizeof(*r->actions));
	for (i = 0; i < r->nactions; i++) {
		r->actions[i].n = sup_deser_i32(&d);
		r->actions[i].text = sup_deser_str(&d);
		r->actions[i].owner = sup_deser_str(&d);
		r->actions[i].case_ref = sup_deser_str(&d);
		r->actions[i].due = sup_deser_i32(&d);
		r->actions[i].pos = S_deser_pos(&d);
	}
	r->next_session = sup_deser_i32(&d);
	r->review_due = sup_deser_i32(&d);
	r->has_frequency = sup_deser_i32(&d);
	r->frequency.n = sup_deser_i32(&d);
	unit = sup_deser_u32(&d);
	r->frequency.unit = unit <= SUP_UNIT_CALENDAR_MONTH ? (enum sup_unit)unit : SUP_UNIT_DAYS;
	r->ground_rules_agreed = sup_deser_i32(&d);
	r->namendments = sup_deser_count(&d);
	r->amendments = sup_xcalloc(r->namendments ? r->namendments : 1, sizeof(*r->amendments));
	for (i = 0; i < r->namendments; i++) {
		r->amendments[i].by = sup_deser_str(&d);
		r->amendments[i].at = sup_deser_str(&d);
		r->amendments[i].reason = sup_deser_str(&d);
	}
	r->nsignoffs = sup_deser_count(&d);
	r->signoffs = sup_xcalloc(r->nsignoffs ? r->nsignoffs : 1, sizeof(*r->signoffs));
	for (i = 0; i < r->nsignoffs; i++) {
		r->signoffs[i].by = sup_deser_str(&d);
		r->signoffs[i].role = sup_deser_str(&d);
		r->signoffs[i].at = sup_deser_str(&d);
		r->signoffs[i].digest = sup_deser_str(&d);
		r->signoffs[i].dispute = sup_deser_str(&d);
		r->signoffs[i].pos = S_deser_pos(&d);
		if (!r->signoffs[i].by || !r->signoffs[i].role ||
		    !r->signoffs[i].at || !r->signoffs[i].digest)
			d.bad = 1;
	}
	digest = sup_deser_str(&d);	/* in the arena */
	if (digest && strlen(digest) < sizeof(r->digest))
		memcpy(r->digest, digest, strlen(digest) + 1);
	else
		d.bad = 1;
	/* what every reader relies on being there */
	if (!r->path || !r->id || d.p != d.end)
		d.bad = 1;
	for (i = 0; !d.bad && i < r->nsupervisees; i++)
		if (!r->supervisees[i])
			d.bad = 1;
	for (i = 0; !d.bad && i < r->nfunctions; i++)
		if (!r->functions[i])
			d.bad = 1;
	for (i = 0; !d.bad && i < r->nreviewed; i++)
		if (!r->reviewed[i].action)
			d.bad = 1;
	if (d.bad) {
		sup_record_free(r);
		return NULL;
	}
	return r;
}
