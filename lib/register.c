/* register: staff and case registers (see register.h). */
#include "register.h"
#include "blobcache.h"
#include "parties.h"
#include "schema.h"
#include "sshsig.h"
#include "sign.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const staff_keys[] = {
	"id", "name", "email", "role", "phase_start", "started", "left",
	"supervisor", "admin", "auditor", "supervisor_trained", "absences",
	"keys", NULL
};

static const char *const case_keys[] = {
	"ref", "worker", "opened", "closed", "child_protection", NULL
};

static char *S_dup(const char *s)
{
	return s ? sup_xstrdup(s) : NULL;
}

/* The base name of path without its extension must equal id. */
static void S_check_name(struct sup_schema *sc, const struct sup_node *map,
			 const char *key, const char *id, const char *path,
			 const char *ext)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (!id || !sup_ends_with(base, ext))
		return;
	n -= strlen(ext);
	if (strlen(id) != n || strncmp(base, id, n) != 0)
		sup_schema_error(sc, sup_node_get(map, key),
				 "%s '%s' does not match the file name '%s' (rename the file or fix the %s)",
				 key, id, base, key);
}

static int S_parse_key(struct sup_schema *sc, const struct sup_node *n)
{
	struct sup_sshkey k;

	if (n->type != SUP_NODE_SCALAR || !*n->value) {
		sup_schema_error(sc, n, "a key must be an SSH public key line or an OpenPGP public key block");
		return -1;
	}
	if (sup_key_is_openpgp(n->value))
		return 0;
	if (sup_sshkey_parse(&k, n->value) < 0) {
		sup_schema_error(sc, n, "%s", sup_error_last());
		return -1;
	}
	sup_sshkey_release(&k);
	return 0;
}

int sup_staff_parse(struct sup_staff *out, const char *text, size_t len,
		    const char *path)
{
	struct sup_schema sc = { path, 0 };
	struct sup_node *root = NULL;
	const struct sup_node *seq, *v;
	const char *role;
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	out->phase_start = out->started = out->left = SUP_DATE_NONE;
	out->supervisor_trained = SUP_DATE_NONE;
	if ((error = sup_yaml_parse(&root, text, len, path, 1)) < 0)
		return error;
	if (!sup_schema_is_map(&sc, root))
		goto out;
	sup_schema_known(&sc, root, staff_keys);
	out->id = S_dup(sup_field_id(&sc, root, "id", 1));
	S_check_name(&sc, root, "id", out->id, path, ".yaml");
	out->name = S_dup(sup_field_str(&sc, root, "name", 1));
	out->email = S_dup(sup_field_str(&sc, root, "email", 0));
	if (out->email && !strchr(out->email, '@'))
		sup_schema_error(&sc, sup_node_get(root, "email"),
				 "'%s' is not an email address", out->email);
	role = sup_field_str(&sc, root, "role", 1);
	out->role = S_dup(role);
	if ((v = sup_node_get(root, "role")) != NULL) {
		out->role_line = v->line;
		out->role_col = v->col;
	}
	sup_field_date(&sc, root, "phase_start", 0, &out->phase_start);
	sup_field_date(&sc, root, "started", 1, &out->started);
	sup_field_date(&sc, root, "left", 0, &out->left);
	out->supervisor = S_dup(sup_field_id(&sc, root, "supervisor", 0));
	if ((v = sup_node_get(root, "supervisor")) != NULL) {
		out->supervisor_line = v->line;
		out->supervisor_col = v->col;
	}
	sup_field_bool(&sc, root, "admin", 0, &out->admin);
	sup_field_bool(&sc, root, "auditor", 0, &out->auditor);
	sup_field_date(&sc, root, "supervisor_trained", 0, &out->supervisor_trained);
	if (out->left != SUP_DATE_NONE && out->started != SUP_DATE_NONE &&
	    out->left < out->started)
		sup_schema_error(&sc, sup_node_get(root, "left"),
				 "'left' is before 'started'");
	if ((seq = sup_field_seq(&sc, root, "absences", 0)) != NULL) {
		out->absences = sup_xcalloc(seq->n, sizeof(*out->absences));
		for (i = 0; i < seq->n; i++) {
			const struct sup_node *a = seq->items[i];
			struct sup_absence *ab = &out->absences[out->nabsences];
			static const char *const akeys[] = { "from", "to", "reason", NULL };

			if (a->type != SUP_NODE_MAP) {
				sup_schema_error(&sc, a, "an absence is {from: DATE, to: DATE, reason: TEXT}");
				continue;
			}
			sup_schema_known(&sc, a, akeys);
			sup_field_date(&sc, a, "from", 1, &ab->from);
			sup_field_date(&sc, a, "to", 1, &ab->to);
			ab->reason = S_dup(sup_field_str(&sc, a, "reason", 0));
			if (ab->from != SUP_DATE_NONE && ab->to != SUP_DATE_NONE &&
			    ab->to < ab->from)
				sup_schema_error(&sc, a, "absence ends before it starts");
			out->nabsences++;
		}
	}
	if ((seq = sup_field_seq(&sc, root, "keys", 0)) != NULL) {
		out->keys = sup_xcalloc(seq->n, sizeof(*out->keys));
		for (i = 0; i < seq->n; i++) {
			if (S_parse_key(&sc, seq->items[i]) < 0)
				continue;
			out->keys[out->nkeys++] = sup_xstrdup(seq->items[i]->value);
		}
	}
out:
	sup_node_free(root);
	if (sc.errors) {
		sup_staff_release(out);
		return SUP_EINVALID;
	}
	return 0;
}

static void S_set_date(struct sup_node *map, const char *key, sup_date d)
{
	char buf[11];

	if (d == SUP_DATE_NONE) {
		sup_node_set_plain(map, key, "");
		return;
	}
	sup_date_format(buf, d);
	sup_node_set_plain(map, key, buf);
}

void sup_staff_emit(struct sup_buf *out, const struct sup_staff *st)
{
	struct sup_node *root = sup_node_new_map(), *seq;
	size_t i;

	sup_node_set_str(root, "id", st->id);
	sup_node_set_str(root, "name", st->name);
	if (st->email)
		sup_node_set_str(root, "email", st->email);
	else
		sup_node_set_plain(root, "email", "");
	sup_node_set_str(root, "role", st->role);
	if (st->phase_start != SUP_DATE_NONE)
		S_set_date(root, "phase_start", st->phase_start);
	S_set_date(root, "started", st->started);
	S_set_date(root, "left", st->left);
	if (st->supervisor)
		sup_node_set_str(root, "supervisor", st->supervisor);
	else
		sup_node_set_plain(root, "supervisor", "");
	sup_node_set_plain(root, "admin", st->admin ? "true" : "false");
	sup_node_set_plain(root, "auditor", st->auditor ? "true" : "false");
	S_set_date(root, "supervisor_trained", st->supervisor_trained);
	seq = sup_node_new_seq();
	for (i = 0; i < st->nabsences; i++) {
		struct sup_node *a = sup_node_new_map();

		a->flow = 1;
		S_set_date(a, "from", st->absences[i].from);
		S_set_date(a, "to", st->absences[i].to);
		if (st->absences[i].reason)
			sup_node_set_str(a, "reason", st->absences[i].reason);
		sup_node_append(seq, a);
	}
	sup_node_set(root, "absences", seq);
	seq = sup_node_new_seq();
	for (i = 0; i < st->nkeys; i++)
		sup_node_append(seq, sup_node_new_scalar(st->keys[i], SUP_STYLE_STRING));
	sup_node_set(root, "keys", seq);
	sup_yaml_emit(out, root);
	sup_node_free(root);
}

void sup_staff_release(struct sup_staff *st)
{
	size_t i;

	if (!st)
		return;
	free(st->id);
	free(st->name);
	free(st->email);
	free(st->role);
	free(st->supervisor);
	for (i = 0; i < st->nabsences; i++)
		free(st->absences[i].reason);
	free(st->absences);
	for (i = 0; i < st->nkeys; i++)
		free(st->keys[i]);
	free(st->keys);
	memset(st, 0, sizeof(*st));
}

void sup_staff_copy(struct sup_staff *dst, const struct sup_staff *src)
{
	size_t i;

	*dst = *src;
	dst->id = S_dup(src->id);
	dst->name = S_dup(src->name);
	dst->email = S_dup(src->email);
	dst->role = S_dup(src->role);
	dst->supervisor = S_dup(src->supervisor);
	dst->absences = sup_xcalloc(src->nabsences ? src->nabsences : 1,
				    sizeof(*dst->absences));
	for (i = 0; i < src->nabsences; i++) {
		dst->absences[i] = src->absences[i];
		dst->absences[i].reason = S_dup(src->absences[i].reason);
	}
	dst->keys = sup_xcalloc(src->nkeys ? src->nkeys : 1, sizeof(*dst->keys));
	for (i = 0; i < src->nkeys; i++)
		dst->keys[i] = sup_xstrdup(src->keys[i]);
}

int sup_case_parse(struct sup_case *out, const char *text, size_t len,
		   const char *path)
{
	struct sup_schema sc = { path, 0 };
	struct sup_node *root = NULL;
	const struct sup_node *v;
	int error;

	memset(out, 0, sizeof(*out));
	out->opened = out->closed = SUP_DATE_NONE;
	if ((error = sup_yaml_parse(&root, text, len, path, 1)) < 0)
		return error;
	if (!sup_schema_is_map(&sc, root))
		goto out;
	sup_schema_known(&sc, root, case_keys);
	out->ref = S_dup(sup_field_caseref(&sc, root, "ref", 1));
	S_check_name(&sc, root, "ref", out->ref, path, ".yaml");
	out->worker = S_dup(sup_field_id(&sc, root, "worker", 1));
	if ((v = sup_node_get(root, "worker")) != NULL) {
		out->worker_line = v->line;
		out->worker_col = v->col;
	}
	sup_field_date(&sc, root, "opened", 1, &out->opened);
	sup_field_date(&sc, root, "closed", 0, &out->closed);
	sup_field_bool(&sc, root, "child_protection", 0, &out->child_protection);
	if (out->closed != SUP_DATE_NONE && out->opened != SUP_DATE_NONE &&
	    out->closed < out->opened)
		sup_schema_error(&sc, sup_node_get(root, "closed"),
				 "'closed' is before 'opened'");
out:
	sup_node_free(root);
	if (sc.errors) {
		sup_case_release(out);
		return SUP_EINVALID;
	}
	return 0;
}

void sup_case_emit(struct sup_buf *out, const struct sup_case *c)
{
	struct sup_node *root = sup_node_new_map();

	sup_node_set_str(root, "ref", c->ref);
	sup_node_set_str(root, "worker", c->worker);
	S_set_date(root, "opened", c->opened);
	S_set_date(root, "closed", c->closed);
	sup_node_set_plain(root, "child_protection",
			   c->child_protection ? "true" : "false");
	sup_yaml_emit(out, root);
	sup_node_free(root);
}

void sup_case_release(struct sup_case *c)
{
	if (!c)
		return;
	free(c->ref);
	free(c->worker);
	memset(c, 0, sizeof(*c));
}

static int S_staff_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sup_staff *)a)->id,
		      ((const struct sup_staff *)b)->id);
}

static int S_case_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sup_case *)a)->ref,
		      ((const struct sup_case *)b)->ref);
}

/* 1 if id is one of the ids whose staff file could not be read: references
 * to them are not reported again. */
static int S_is_broken(char **broken, size_t nbroken, const char *id)
{
	size_t i;

	for (i = 0; i < nbroken; i++)
		if (!strcmp(broken[i], id))
			return 1;
	return 0;
}

static int S_register_check(const struct sup_register *r, char **broken,
			    size_t nbroken)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < r->nstaff; i++) {
		const struct sup_staff *st = &r->staff[i];
		char *path;

		if (!st->supervisor || S_is_broken(broken, nbroken, st->supervisor))
			continue;
		path = sup_staff_path(st->id);
		if (!strcmp(st->supervisor, st->id)) {
			sup_diag_add(SUP_EINVALID, path, st->supervisor_line,
				     st->supervisor_col, "'%s' cannot supervise themselves",
				     st->id);
			bad = 1;
		} else if (!sup_register_staff(r, st->supervisor)) {
			const char *near = sup_register_suggest(r, st->supervisor);

			if (near)
				sup_diag_add(SUP_EINVALID, path, st->supervisor_line,
					     st->supervisor_col,
					     "unknown staff id '%s' (did you mean '%s'?)",
					     st->supervisor, near);
			else
				sup_diag_add(SUP_EINVALID, path, st->supervisor_line,
					     st->supervisor_col,
					     "unknown staff id '%s' (add them first with 'sup staff add')",
					     st->supervisor);
			bad = 1;
		}
		free(path);
	}
	for (i = 0; i < r->ncases; i++) {
		const struct sup_case *c = &r->cases[i];

		if (!sup_register_staff(r, c->worker) &&
		    !S_is_broken(broken, nbroken, c->worker)) {
			char *path = sup_case_path(c->ref);
			const char *near = sup_register_suggest(r, c->worker);

			sup_diag_add(SUP_EINVALID, path, c->worker_line, c->worker_col,
				     "unknown staff id '%s'%s%s%s", c->worker,
				     near ? " (did you mean '" : "", near ? near : "",
				     near ? "'?)" : "");
			free(path);
			bad = 1;
		}
	}
	return bad ? SUP_EINVALID : 0;
}

int sup_register_check(const struct sup_register *r)
{
	return S_register_check(r, NULL, 0);
}

static int S_load(struct sup_register *out, struct sup_store *s,
		  const struct sup_oid *commit, int with_cases);

int sup_register_load(struct sup_register *out, struct sup_store *s,
		      const struct sup_oid *commit)
{
	return S_load(out, s, commit, 1);
}

int sup_register_load_staff(struct sup_register *out, struct sup_store *s,
			    const struct sup_oid *commit)
{
	return S_load(out, s, commit, 0);
}

#define S_CASE_CACHE_VERSION 1

static void S_case_serialize(struct sup_buf *b, const struct sup_case *c)
{
	sup_ser_str(b, c->ref);
	sup_ser_str(b, c->worker);
	sup_ser_i32(b, c->worker_line);
	sup_ser_i32(b, c->worker_col);
	sup_ser_i32(b, c->opened);
	sup_ser_i32(b, c->closed);
	sup_ser_i32(b, c->child_protection);
}

/* A cached case, checked as parsing would have: the file name must still
 * name it (a blob moved to another name is parsed afresh). */
static int S_case_deserialize(struct sup_case *c, const unsigned char *p,
			      size_t len, const char *name)
{
	struct sup_deser d = { p, p + len, 0, NULL, 0, 0 };
	size_t n;

	memset(c, 0, sizeof(*c));
	c->ref = sup_deser_str(&d);
	c->worker = sup_deser_str(&d);
	c->worker_line = sup_deser_i32(&d);
	c->worker_col = sup_deser_i32(&d);
	c->opened = sup_deser_i32(&d);
	c->closed = sup_deser_i32(&d);
	c->child_protection = sup_deser_i32(&d);
	n = c->ref ? strlen(c->ref) : 0;
	if (d.bad || d.p != d.end || !c->ref || !c->worker ||
	    strncmp(name, c->ref, n) || strcmp(name + n, ".yaml")) {
		sup_case_release(c);
		return -1;
	}
	return 0;
}

#define S_STAFF_CACHE_VERSION 1

static void S_staff_serialize(struct sup_buf *b, const struct sup_staff *st)
{
	size_t i;

	sup_ser_str(b, st->id);
	sup_ser_str(b, st->name);
	sup_ser_str(b, st->email);
	sup_ser_str(b, st->role);
	sup_ser_i32(b, st->role_line);
	sup_ser_i32(b, st->role_col);
	sup_ser_i32(b, st->phase_start);
	sup_ser_i32(b, st->started);
	sup_ser_i32(b, st->left);
	sup_ser_str(b, st->supervisor);
	sup_ser_i32(b, st->supervisor_line);
	sup_ser_i32(b, st->supervisor_col);
	sup_ser_i32(b, st->admin);
	sup_ser_i32(b, st->auditor);
	sup_ser_i32(b, st->supervisor_trained);
	sup_ser_u32(b, (uint32_t)st->nabsences);
	for (i = 0; i < st->nabsences; i++) {
		sup_ser_i32(b, st->absences[i].from);
		sup_ser_i32(b, st->absences[i].to);
		sup_ser_str(b, st->absences[i].reason);
	}
	sup_ser_u32(b, (uint32_t)st->nkeys);
	for (i = 0; i < st->nkeys; i++)
		sup_ser_str(b, st->keys[i]);
}

/* A cached staff member, checked as parsing would have: the file name
 * must still name them.  The register's own checks run afterwards on
 * every member, cached or not. */
static int S_staff_deserialize(struct sup_staff *st, const unsigned char *p,
			       size_t len, const char *name)
{
	struct sup_deser d = { p, p + len, 0, NULL, 0, 0 };
	size_t i, n;

	memset(st, 0, sizeof(*st));
	st->id = sup_deser_str(&d);
	st->name = sup_deser_str(&d);
	st->email = sup_deser_str(&d);
	st->role = sup_deser_str(&d);
	st->role_line = sup_deser_i32(&d);
	st->role_col = sup_deser_i32(&d);
	st->phase_start = sup_deser_i32(&d);
	st->started = sup_deser_i32(&d);
	st->left = sup_deser_i32(&d);
	st->supervisor = sup_deser_str(&d);
	st->supervisor_line = sup_deser_i32(&d);
	st->supervisor_col = sup_deser_i32(&d);
	st->admin = sup_deser_i32(&d);
	st->auditor = sup_deser_i32(&d);
	st->supervisor_trained = sup_deser_i32(&d);
	st->nabsences = sup_deser_count(&d);
	st->absences = sup_xcalloc(st->nabsences ? st->nabsences : 1, sizeof(*st->absences));
	for (i = 0; i < st->nabsences; i++) {
		st->absences[i].from = sup_deser_i32(&d);
		st->absences[i].to = sup_deser_i32(&d);
		st->absences[i].reason = sup_deser_str(&d);
	}
	st->nkeys = sup_deser_count(&d);
	st->keys = sup_xcalloc(st->nkeys ? st->nkeys : 1, sizeof(*st->keys));
	for (i = 0; i < st->nkeys && !d.bad; i++)
		if (!(st->keys[i] = sup_deser_str(&d)))
			d.bad = 1;
	n = st->id ? strlen(st->id) : 0;
	if (d.bad || d.p != d.end || !st->id || !st->name || !st->role ||
	    strncmp(name, st->id, n) || strcmp(name + n, ".yaml")) {
		sup_staff_release(st);
		return -1;
	}
	return 0;
}

/* Sort, unless already in order (as the trees nearly always give them:
 * sorting 80,000 cases that are in order was a tenth of opening). */
static void S_sort_unless_sorted(void *base, size_t n, size_t size,
				 int (*cmp)(const void *, const void *))
{
	const char *p = base;
	size_t i;

	for (i = 1; i < n; i++)
		if (cmp(p + (i - 1) * size, p + i * size) > 0) {
			qsort(base, n, size, cmp);
			return;
		}
}

/* One case file (name: "<ref>.yaml"), from the cache or parsed (and
 * cached); SUP_EINVALID with diagnostics when it does not parse. */
static int S_case_load(struct sup_case *out, struct sup_blobcache *cache,
		       struct sup_store *s, const char *name,
		       const struct sup_oid *blob, struct sup_buf *text)
{
	const unsigned char *hit;
	size_t hlen;
	char *path;
	int error;

	if ((hit = sup_blobcache_get(cache, blob, &hlen)) != NULL &&
	    S_case_deserialize(out, hit, hlen, name) == 0)
		return 0;
	path = sup_xasprintf("cases/%s", name);
	sup_buf_truncate(text, 0);
	error = sup_store_blob_read(text, s, blob);
	if (error == 0)
		error = sup_case_parse(out, text->ptr, text->len, path);
	free(path);
	if (error < 0)
		return error;
	sup_buf_truncate(text, 0);
	S_case_serialize(text, out);
	sup_blobcache_put(cache, blob, text->ptr, text->len);
	return 0;
}

static int S_load(struct sup_register *out, struct sup_store *s,
		  const struct sup_oid *commit, int with_cases)
{
	struct sup_blobcache *cache = NULL;
	struct sup_entry *e = NULL;
	struct sup_buf text = SUP_BUF_INIT;
	char **broken = NULL;	/* ids of staff files that did not parse */
	size_t n = 0, i, nbroken = 0;
	int error, bad = 0;

	memset(out, 0, sizeof(*out));
	if ((error = sup_store_list(&e, &n, s, commit, "staff")) < 0)
		return error;
	out->staff = sup_xcalloc(n ? n : 1, sizeof(*out->staff));
	/* what each staff file parses to is cached by blob id too: a
	 * register of hundreds of people is read by every command */
	sup_blobcache_open(&cache, s, "staff", S_STAFF_CACHE_VERSION);
	sup_blobcache_sweep(cache);
	for (i = 0; i < n; i++) {
		const unsigned char *hit;
		size_t hlen;
		char *path;

		if (e[i].is_dir || !sup_ends_with(e[i].name, ".yaml"))
			continue;
		if ((hit = sup_blobcache_get(cache, &e[i].blob, &hlen)) != NULL &&
		    S_staff_deserialize(&out->staff[out->nstaff], hit, hlen, e[i].name) == 0) {
			out->nstaff++;
			continue;
		}
		path = sup_xasprintf("staff/%s", e[i].name);
		sup_buf_truncate(&text, 0);
		error = sup_store_blob_read(&text, s, &e[i].blob);
		if (error == 0)
			error = sup_staff_parse(&out->staff[out->nstaff], text.ptr,
						text.len, path);
		free(path);
		if (error == SUP_EINVALID) {
			broken = sup_xrealloc(broken, (nbroken + 1) * sizeof(*broken));
			broken[nbroken++] = sup_xstrndup(e[i].name,
							 strlen(e[i].name) - strlen(".yaml"));
			bad = 1;
			continue;
		}
		if (error < 0)
			goto fail;
		sup_buf_truncate(&text, 0);
		S_staff_serialize(&text, &out->staff[out->nstaff]);
		sup_blobcache_put(cache, &e[i].blob, text.ptr, text.len);
		out->nstaff++;
	}
	if (!bad)
		sup_blobcache_save(cache);
	sup_blobcache_free(cache);
	cache = NULL;
	sup_entries_free(e, n);
	e = NULL;
	n = 0;
	if (with_cases &&
	    (error = sup_store_list(&e, &n, s, commit, "cases")) < 0)
		goto fail;
	out->cases = sup_xcalloc(n ? n : 1, sizeof(*out->cases));
	/* a caseload runs to tens of thousands of files: what they parse to
	 * is cached by blob id, so only changed files are read again */
	if (with_cases) {
		sup_blobcache_open(&cache, s, "cases", S_CASE_CACHE_VERSION);
		sup_blobcache_sweep(cache);
	}
	for (i = 0; i < n; i++) {
		if (e[i].is_dir || !sup_ends_with(e[i].name, ".yaml"))
			continue;
		error = S_case_load(&out->cases[out->ncases], cache, s, e[i].name,
				    &e[i].blob, &text);
		if (error == SUP_EINVALID) {
			bad = 1;
			continue;
		}
		if (error < 0)
			goto fail;
		out->ncases++;
	}
	if (cache && !bad)
		sup_blobcache_save(cache);
	sup_blobcache_free(cache);
	cache = NULL;
	sup_entries_free(e, n);
	sup_buf_release(&text);
	/* tree entries are sorted by name, and "<id>.yaml" sorts like "<id>"
	 * except where one id is a prefix of another: sort to be sure. */
	S_sort_unless_sorted(out->staff, out->nstaff, sizeof(*out->staff), S_staff_cmp);
	S_sort_unless_sorted(out->cases, out->ncases, sizeof(*out->cases), S_case_cmp);
	if (S_register_check(out, broken, nbroken) < 0)
		bad = 1;
	error = bad ? SUP_EINVALID : 0;
	goto done;
fail:
	sup_blobcache_free(cache);
	sup_entries_free(e, n);
	sup_buf_release(&text);
	sup_register_release(out);
done:
	for (i = 0; i < nbroken; i++)
		free(broken[i]);
	free(broken);
	return error;
}

void sup_register_release(struct sup_register *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nstaff; i++)
		sup_staff_release(&r->staff[i]);
	free(r->staff);
	for (i = 0; i < r->ncases; i++)
		sup_case_release(&r->cases[i]);
	free(r->cases);
	if (r->lazy) {
		for (i = 0; i < r->lazy->n; i++) {
			sup_case_release(r->lazy->v[i]);
			free(r->lazy->v[i]);
		}
		free(r->lazy->v);
		free(r->lazy);
	}
	memset(r, 0, sizeof(*r));
}

const struct sup_staff *sup_register_staff(const struct sup_register *r,
					   const char *id)
{
	struct sup_staff key;

	if (!id || !r->nstaff)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.id = (char *)id;
	return bsearch(&key, r->staff, r->nstaff, sizeof(*r->staff), S_staff_cmp);
}

/* A case not among those loaded, read from the tree (partial register). */
static struct sup_case *S_case_fetch(struct sup_register_lazy *z, const char *ref)
{
	struct sup_case *c;
	struct sup_buf text = SUP_BUF_INIT;
	char *path;
	size_t i;
	int error;

	for (i = 0; i < z->n; i++)
		if (!strcmp(z->v[i]->ref, ref))
			return z->v[i];
	if (!sup_valid_caseref(ref))
		return NULL;
	path = sup_case_path(ref);
	c = sup_xcalloc(1, sizeof(*c));
	error = sup_store_read(&text, NULL, z->store, &z->commit, path);
	if (error == 0)
		error = sup_case_parse(c, text.ptr, text.len, path);
	free(path);
	sup_buf_release(&text);
	if (error < 0) {
		/* not there, or broken: unknown here, as in a full register
		 * (which would have refused to load) */
		sup_diag_clear();
		sup_error_clear();
		free(c);
		return NULL;
	}
	z->v = sup_xrealloc(z->v, (z->n + 1) * sizeof(*z->v));
	z->v[z->n++] = c;
	return c;
}

struct sup_case *sup_register_case(const struct sup_register *r,
				   const char *ref)
{
	struct sup_case key, *c = NULL;

	if (!ref)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.ref = (char *)ref;
	if (r->ncases)
		c = bsearch(&key, r->cases, r->ncases, sizeof(*r->cases), S_case_cmp);
	if (!c && r->lazy)
		c = S_case_fetch(r->lazy, ref);
	return c;
}

/* ---- one worker's cases ---- */

/* A case file as the register takes one: cases/<ref>.yaml. */
static int S_is_case(const char *path)
{
	size_t n = strlen(path);

	return !strncmp(path, "cases/", 6) && !strchr(path + 6, '/') &&
	       n > 6 + 5 && !strcmp(path + n - 5, ".yaml");
}

struct S_cases_ctx {
	struct sup_store *s;
	struct sup_blobcache *cache;
	struct sup_buf text;
};

/* The one person of a case: its worker. */
static int S_case_people(void *ctx, const char *path, const struct sup_oid *blob,
			 sup_person_fn add, void *payload)
{
	struct S_cases_ctx *c = ctx;
	struct sup_case cs;
	int error = S_case_load(&cs, c->cache, c->s, path + 6, blob, &c->text);

	if (error == SUP_EINVALID) {
		sup_diag_clear();
		sup_error_clear();
		return 0;	/* no one's: loaded, and reported, by everyone */
	}
	if (error < 0)
		return error;
	add(cs.worker, strlen(cs.worker), payload);
	sup_case_release(&cs);
	return 0;
}

int sup_register_load_cases_of(struct sup_register *r, struct sup_store *s,
			       const struct sup_oid *commit,
			       const char *const *workers, size_t nworkers)
{
	struct S_cases_ctx c;
	struct sup_parties_kind kind;
	size_t i, k;
	int error = 0, bad = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	sup_blobcache_open(&c.cache, s, "cases", S_CASE_CACHE_VERSION);
	kind.dir = "cases";
	kind.cache = "caseload";
	kind.is_file = S_is_case;
	kind.people = S_case_people;
	kind.ctx = &c;
	for (k = 0; !error && k < nworkers; k++) {
		struct sup_party_file *f = NULL;
		size_t n = 0;

		if ((error = sup_parties_of(&f, &n, s, commit, &kind, workers[k])) < 0)
			break;
		for (i = 0; i < n; i++) {
			struct sup_case cs;
			int e;

			if (!S_is_case(f[i].path))
				continue;
			e = S_case_load(&cs, c.cache, s, f[i].path + 6, &f[i].blob, &c.text);
			if (e == SUP_EINVALID) {
				bad = 1;
				continue;
			}
			if ((error = e) < 0)
				break;
			r->cases = sup_xrealloc(r->cases, (r->ncases + 1) * sizeof(*r->cases));
			r->cases[r->ncases++] = cs;
		}
		sup_party_files_free(f, n);
	}
	/* sorted, and once each (a file that does not parse is everyone's) */
	qsort(r->cases, r->ncases, sizeof(*r->cases), S_case_cmp);
	for (i = k = 0; i < r->ncases; i++) {
		if (k && !S_case_cmp(&r->cases[k - 1], &r->cases[i])) {
			sup_case_release(&r->cases[i]);
			continue;
		}
		r->cases[k++] = r->cases[i];
	}
	r->ncases = k;
	if (!error && !bad)
		sup_blobcache_save(c.cache);
	sup_blobcache_free(c.cache);
	sup_buf_release(&c.text);
	if (error < 0)
		return error;
	if (!r->lazy) {
		r->lazy = sup_xcalloc(1, sizeof(*r->lazy));
		r->lazy->store = s;
		r->lazy->commit = *commit;
	}
	if (S_register_check(r, NULL, 0) < 0)
		bad = 1;
	return bad ? SUP_EINVALID : 0;
}

const struct sup_staff *sup_register_by_email(const struct sup_register *r,
					      const char *email)
{
	size_t i;

	for (i = 0; email && i < r->nstaff; i++)
		if (r->staff[i].email && !strcasecmp(r->staff[i].email, email))
			return &r->staff[i];
	return NULL;
}

const char *sup_register_suggest(const struct sup_register *r, const char *id)
{
	const char *best = NULL;
	size_t i, bestd = 3;

	for (i = 0; i < r->nstaff; i++) {
		size_t d = sup_edit_distance(id, r->staff[i].id);

		if (d < bestd) {
			bestd = d;
			best = r->staff[i].id;
		}
	}
	return best;
}

void sup_register_put_staff(struct sup_register *r, struct sup_staff *st)
{
	struct sup_staff *old = (struct sup_staff *)sup_register_staff(r, st->id);

	if (old) {
		sup_staff_release(old);
		*old = *st;
	} else {
		r->staff = sup_xrealloc(r->staff, (r->nstaff + 1) * sizeof(*r->staff));
		r->staff[r->nstaff++] = *st;
		qsort(r->staff, r->nstaff, sizeof(*r->staff), S_staff_cmp);
	}
	memset(st, 0, sizeof(*st));
}

void sup_register_put_case(struct sup_register *r, struct sup_case *c)
{
	struct sup_case key, *old = NULL;

	/* among those held (not those a partial register would read) */
	memset(&key, 0, sizeof(key));
	key.ref = c->ref;
	if (r->ncases)
		old = bsearch(&key, r->cases, r->ncases, sizeof(*r->cases), S_case_cmp);

	if (old) {
		sup_case_release(old);
		*old = *c;
	} else {
		r->cases = sup_xrealloc(r->cases, (r->ncases + 1) * sizeof(*r->cases));
		r->cases[r->ncases++] = *c;
		qsort(r->cases, r->ncases, sizeof(*r->cases), S_case_cmp);
	}
	memset(c, 0, sizeof(*c));
}

int sup_staff_active(const struct sup_staff *st, sup_date d)
{
	if (st->started != SUP_DATE_NONE && d < st->started)
		return 0;
	if (st->left != SUP_DATE_NONE && d >= st->left)
		return 0;
	return 1;
}

char *sup_staff_path(const char *id)
{
	return sup_xasprintf("staff/%s.yaml", id);
}

char *sup_case_path(const char *ref)
{
	return sup_xasprintf("cases/%s.yaml", ref);
}

int sup_staff_add_key(struct sup_staff *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->nkeys; i++)
		if (!strcmp(st->keys[i], key))
			return sup_error_set(SUP_EEXISTS, "%s already has that key", st->id);
	st->keys = sup_xrealloc(st->keys, (st->nkeys + 1) * sizeof(*st->keys));
	st->keys[st->nkeys++] = sup_xstrdup(key);
	return 0;
}

static int S_key_matches(const char *key, const char *which)
{
	struct sup_sshkey k, w;
	char fpr[128];
	const char *comment;
	int same = 0;

	if (!strcmp(key, which))
		return 1;
	if (sup_key_is_openpgp(key) || sup_sshkey_parse(&k, key) < 0) {
		sup_error_clear();
		return 0;
	}
	sup_sshkey_fingerprint(fpr, sizeof(fpr), &k);
	if (!strcmp(fpr, which))
		same = 1;
	if (!same && sup_sshkey_parse(&w, which) == 0) {
		same = sup_sshkey_equal(&k, &w);
		sup_sshkey_release(&w);
	}
	/* "TYPE BASE64 COMMENT": the comment names the device */
	comment = strchr(key, ' ');
	comment = comment ? strchr(comment + 1, ' ') : NULL;
	if (!same && comment && !strcmp(comment + 1, which))
		same = 1;
	sup_sshkey_release(&k);
	sup_error_clear();
	return same;
}

int sup_staff_remove_key(struct sup_staff *st, const char *which)
{
	size_t i, found = st->nkeys, count = 0;

	for (i = 0; i < st->nkeys; i++)
		if (S_key_matches(st->keys[i], which)) {
			found = i;
			count++;
		}
	if (!count)
		return sup_error_set(SUP_ENOTFOUND,
				     "%s has no key '%s' (see 'sup staff show %s' for their keys)",
				     st->id, which, st->id);
	if (count > 1)
		return sup_error_set(SUP_EINVALID,
				     "'%s' matches %zu of %s's keys; give the fingerprint",
				     which, count, st->id);
	if (st->admin && st->nkeys == 1)
		return sup_error_set(SUP_EINVALID,
				     "%s is an admin and this is their only key; add another key first",
				     st->id);
	free(st->keys[found]);
	memmove(&st->keys[found], &st->keys[found + 1],
		(st->nkeys - found - 1) * sizeof(*st->keys));
	st->nkeys--;
	return 0;
}

int sup_staff_add_absence(struct sup_staff *st, sup_date from, sup_date to,
			  const char *reason)
{
	size_t i;

	if (to < from)
		return sup_error_set(SUP_EINVALID, "the absence ends before it starts");
	for (i = 0; i < st->nabsences; i++)
		if (from <= st->absences[i].to && to >= st->absences[i].from)
			return sup_error_set(SUP_EINVALID,
					     "overlaps an absence already recorded for %s", st->id);
	st->absences = sup_xrealloc(st->absences,
				    (st->nabsences + 1) * sizeof(*st->absences));
	st->absences[st->nabsences].from = from;
	st->absences[st->nabsences].to = to;
	st->absences[st->nabsences].reason = reason ? sup_xstrdup(reason) : NULL;
	st->nabsences++;
	return 0;
}

char *sup_key_describe(const char *key)
{
	struct sup_sshkey k;
	char fpr[128];
	const char *comment;

	if (sup_key_is_openpgp(key))
		return sup_xstrdup("OpenPGP public key");
	if (sup_sshkey_parse(&k, key) < 0) {
		sup_error_clear();
		return sup_xstrdup("(unreadable key)");
	}
	sup_sshkey_fingerprint(fpr, sizeof(fpr), &k);
	comment = strchr(key, ' ');
	comment = comment ? strchr(comment + 1, ' ') : NULL;
	sup_sshkey_release(&k);
	return sup_xasprintf("%s%s%s", fpr, comment ? " " : "",
			     comment ? comment + 1 : "");
}
