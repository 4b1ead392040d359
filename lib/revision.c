/* revision: versions of a record (see revision.h). */
#include "revision.h"
#include "record.h"
#include "records.h"

#include <stdlib.h>
#include <string.h>

int sup_version_path(char **out, struct sup_repo *r, const char *arg)
{
	struct sup_records rs;
	const struct sup_recref *ref;
	int error;

	*out = NULL;
	if ((error = sup_records_index(&rs, r->store, &r->head)) < 0)
		return error;
	error = sup_records_find(&ref, &rs, arg);
	if (error == 0) {
		*out = sup_xstrdup(ref->path);
	} else if (error == SUP_ENOTFOUND && sup_valid_id(arg)) {
		/* gone from the tip: its history is still there */
		*out = sup_record_path(arg);
		sup_error_clear();
		error = 0;
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
	if ((error = sup_store_path_history(r->store, &r->head, path, S_visit, &s)) < 0)
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
