/* revision: versions of a record (see revision.h). */
#include "revision.h"
#include "record.h"
#include "records.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

static int S_any(const struct sup_oid *commit, const struct sup_oid *blob,
		 const struct sup_oid *parent_blob, void *payload)
{
	(void)commit;
	(void)blob;
	(void)parent_blob;
	*(int *)payload = 1;
	return 1;
}

/* 1 if the path an id implies ever held a file on this branch. */
static int S_has_history(struct sup_repo *r, const char *id)
{
	char *path, *saved;
	int found = 0, code;

	if (!sup_valid_id(id))
		return 0;
	/* a look that must not lose the error the caller is holding */
	code = sup_error_code();
	saved = sup_xstrdup(sup_error_last());
	path = sup_record_path(id);
	sup_path_history(r->store, &r->head, path, S_any, &found);
	free(path);
	if (code)
		sup_error_set(code, "%s", saved);
	else
		sup_error_clear();
	free(saved);
	return found;
}

int sup_version_path(char **out, struct sup_repo *r, const char *arg)
{
	struct sup_records rs;
	const struct sup_recref *ref;
	int error;

	*out = NULL;
	if ((error = sup_records_index(&rs, r->store, &r->head)) < 0)
		return error;
	error = sup_records_find(&ref, &rs, arg);
	if (error == 0 && (!strcmp(ref->id, arg) || strchr(arg, '/') ||
			   !S_has_history(r, arg))) {
		/* the record at the tip, exactly or by a prefix that is not
		 * itself the id of a record since deleted */
		*out = sup_xstrdup(ref->path);
	} else if ((error == 0 || error == SUP_ENOTFOUND || error == SUP_EINVALID) &&
		   sup_valid_id(arg) && S_has_history(r, arg)) {
		/* gone from the tip: its history is still there */
		*out = sup_record_path(arg);
		sup_error_clear();
		error = 0;
	} else if (error == SUP_ENOTFOUND) {
		error = sup_error_set(SUP_ENOTFOUND,
				      "no record '%s', now or in the history (see 'sup list')", arg);
	}
	sup_records_release(&rs);
	return error;
}

static void S_set(struct sup_version *v, struct sup_buf *text, const char *label)
{
	v->len = text->len;
	v->text = sup_buf_detach(text);
	v->label = sup_xstrdup(label);
}

int sup_version_at(struct sup_version *out, struct sup_repo *r, const char *path,
		   const char *rev)
{
	struct sup_buf text = SUP_BUF_INIT;
	struct sup_oid commit;
	char hex[SUP_OID_HEXSZ + 1], *label;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = sup_store_resolve(&commit, r->store, rev)) < 0)
		return error;
	sup_oid_fmt(hex, &commit);
	label = sup_xasprintf("%s@%.12s", path, hex);
	error = sup_store_read(&text, NULL, r->store, &commit, path);
	if (error == SUP_ENOTFOUND) {
		out->label = label;
		sup_error_clear();
		return 0;
	}
	if (error == 0)
		S_set(out, &text, label);
	free(label);
	sup_buf_release(&text);
	return error;
}

int sup_version_worktree(struct sup_version *out, struct sup_repo *r,
			 const char *path)
{
	struct sup_buf text = SUP_BUF_INIT;
	char *full = sup_xasprintf("%s%s", sup_store_workdir(r->store), path);
	int error;

	memset(out, 0, sizeof(*out));
	error = sup_read_file(&text, full, SUP_MAX_FILE * 2);
	free(full);
	if (error == SUP_ENOTFOUND) {
		out->label = sup_xasprintf("%s (working tree: deleted)", path);
		sup_error_clear();
		sup_buf_release(&text);
		return 0;
	}
	if (error == 0)
		S_set(out, &text, "(working tree)");
	sup_buf_release(&text);
	return error;
}

struct S_signed {
	struct sup_repo *r;
	const char *path;
	struct sup_version *out;
	int found;
};

static int S_visit(const struct sup_oid *commit, const struct sup_oid *blob,
		   const struct sup_oid *parent_blob, void *payload)
{
	struct S_signed *s = payload;
	struct sup_buf text = SUP_BUF_INIT;
	struct sup_record *rec = NULL;
	struct sup_signstate st;
	int error;

	(void)parent_blob;
	if (!blob)
		return 0;
	if ((error = sup_store_blob_read(&text, s->r->store, blob)) < 0)
		return error;
	if (sup_record_parse(&rec, sup_buf_cstr(&text), text.len, s->path, 0) == 0) {
		sup_record_signstate(&st, rec);
		if (st.complete && !st.stale && rec->nsignoffs) {
			char hex[SUP_OID_HEXSZ + 1], *label;

			sup_oid_fmt(hex, commit);
			label = sup_xasprintf("%s@%.12s (signed)", s->path, hex);
			S_set(s->out, &text, label);
			free(label);
			s->found = 1;
		}
	}
	sup_diag_clear();
	sup_error_clear();
	sup_record_free(rec);
	sup_buf_release(&text);
	return s->found ? 1 : 0;
}

int sup_version_signed(struct sup_version *out, struct sup_repo *r,
		       const char *path)
{
	struct S_signed s = { r, path, out, 0 };
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = sup_path_history(r->store, &r->head, path, S_visit, &s)) < 0)
		return error;
	if (!s.found)
		return sup_error_set(SUP_ENOTFOUND,
				     "%s has never been signed by everyone who must sign it", path);
	return 0;
}

void sup_version_release(struct sup_version *v)
{
	free(v->text);
	free(v->label);
	memset(v, 0, sizeof(*v));
}
