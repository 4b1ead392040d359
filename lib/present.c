/* present: records for reading (see present.h). */
#include "present.h"
#include "history.h"
#include "markdown.h"
#include "textdiff.h"

#include <stdlib.h>
#include <string.h>

int sup_show_format_parse(enum sup_show_format *out, const char *s)
{
	if (!strcmp(s, "md") || !strcmp(s, "markdown"))
		*out = SUP_SHOW_MD;
	else if (!strcmp(s, "html"))
		*out = SUP_SHOW_HTML;
	else if (!strcmp(s, "json"))
		*out = SUP_SHOW_JSON;
	else
		return sup_error_set(SUP_EUSAGE, "unknown format '%s' (md, html or json)", s);
	return 0;
}

void sup_node_json(struct sup_json *j, const struct sup_node *n)
{
	size_t i;

	switch (n->type) {
	case SUP_NODE_MAP:
		sup_json_begin_object(j);
		for (i = 0; i < n->n; i++) {
			sup_json_key(j, n->keys[i]->value);
			sup_node_json(j, n->items[i]);
		}
		sup_json_end_object(j);
		break;
	case SUP_NODE_SEQ:
		sup_json_begin_array(j);
		for (i = 0; i < n->n; i++)
			sup_node_json(j, n->items[i]);
		sup_json_end_array(j);
		break;
	default:
		if (n->style == SUP_STYLE_PLAIN) {
			int b;
			const char *v = n->value;

			if (sup_node_is_null(n)) {
				sup_json_null(j);
				return;
			}
			if (!strcmp(v, "true") || !strcmp(v, "false")) {
				b = !strcmp(v, "true");
				sup_json_bool(j, b);
				return;
			}
			if (*v && strspn(v + (*v == '-'), "0123456789") == strlen(v + (*v == '-')) &&
			    strlen(v) < 16 && v[*v == '-'] && !(v[*v == '-'] == '0' && v[1 + (*v == '-')])) {
				sup_json_int(j, strtoll(v, NULL, 10));
				return;
			}
		}
		sup_json_string(j, n->value);
		break;
	}
}

static const char *S_state_name(enum sup_party_state s)
{
	switch (s) {
	case SUP_PARTY_SIGNED: return "signed";
	case SUP_PARTY_DISPUTED: return "disputed";
	case SUP_PARTY_STALE: return "stale";
	default: return "unsigned";
	}
}

static const struct sup_signoff_proof *S_proof(const struct sup_signoff_proof *p,
					       size_t n, const char *by)
{
	size_t i;

	for (i = 0; p && i < n; i++)
		if (!strcmp(p[i].by, by))
			return &p[i];
	return NULL;
}

static void S_html_escape(struct sup_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': sup_buf_puts(out, "&lt;"); break;
		case '>': sup_buf_puts(out, "&gt;"); break;
		case '&': sup_buf_puts(out, "&amp;"); break;
		case '"': sup_buf_puts(out, "&quot;"); break;
		default: sup_buf_putc(out, *s);
		}
	}
}

static void S_html_node(struct sup_buf *out, const struct sup_node *n)
{
	size_t i;

	if (n->type == SUP_NODE_SCALAR) {
		S_html_escape(out, n->value);
		return;
	}
	sup_buf_puts(out, n->type == SUP_NODE_MAP ? "<dl>" : "<ul>");
	for (i = 0; i < n->n; i++) {
		if (n->type == SUP_NODE_MAP) {
			sup_buf_puts(out, "<dt>");
			S_html_escape(out, n->keys[i]->value);
			sup_buf_puts(out, "</dt><dd>");
			S_html_node(out, n->items[i]);
			sup_buf_puts(out, "</dd>");
		} else {
			sup_buf_puts(out, "<li>");
			S_html_node(out, n->items[i]);
			sup_buf_puts(out, "</li>");
		}
	}
	sup_buf_puts(out, n->type == SUP_NODE_MAP ? "</dl>" : "</ul>");
}

int sup_present_record(struct sup_buf *out, const struct sup_record *rec,
		       enum sup_show_format fmt,
		       const struct sup_signoff_proof *proofs, size_t nproofs)
{
	struct sup_signstate st;
	struct sup_buf summary = SUP_BUF_INIT;
	size_t i;

	sup_record_signstate(&st, rec);
	sup_signstate_summary(&summary, &st);
	if (fmt == SUP_SHOW_JSON) {
		struct sup_json j;

		sup_json_init(&j, out);
		sup_json_begin_object(&j);
		sup_json_key(&j, "path");
		sup_json_string(&j, rec->path);
		sup_json_key(&j, "front_matter");
		sup_node_json(&j, rec->fm);
		sup_json_key(&j, "body");
		sup_json_string(&j, rec->text + rec->body_off);
		sup_json_key(&j, "digest");
		sup_json_string(&j, st.digest);
		sup_json_key(&j, "state");
		sup_json_string(&j, sup_buf_cstr(&summary));
		sup_json_key(&j, "parties");
		sup_json_begin_array(&j);
		for (i = 0; i < st.n; i++) {
			const struct sup_signoff_proof *p =
				S_proof(proofs, nproofs, st.id[i]);

			sup_json_begin_object(&j);
			sup_json_key(&j, "id");
			sup_json_string(&j, st.id[i]);
			sup_json_key(&j, "role");
			sup_json_string(&j, st.role[i]);
			sup_json_key(&j, "must_sign");
			sup_json_bool(&j, st.must[i]);
			sup_json_key(&j, "state");
			sup_json_string(&j, S_state_name(st.state[i]));
			sup_json_key(&j, "signed_at");
			sup_json_string(&j, st.signoff[i] ? st.signoff[i]->at : NULL);
			if (p) {
				sup_json_key(&j, "commit");
				sup_json_string(&j, p->commit);
				sup_json_key(&j, "signature");
				sup_json_string(&j, p->verdict);
				sup_json_key(&j, "key");
				sup_json_string(&j, p->fingerprint);
			}
			sup_json_end_object(&j);
		}
		sup_json_end_array(&j);
		sup_json_end_object(&j);
		sup_json_finish(&j);
	} else if (fmt == SUP_SHOW_HTML) {
		sup_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>");
		S_html_escape(out, rec->id);
		sup_buf_puts(out, "</title></head>\n<body>\n<h1>");
		S_html_escape(out, rec->id);
		sup_buf_puts(out, "</h1>\n<section class=\"front-matter\">");
		S_html_node(out, rec->fm);
		sup_buf_puts(out, "</section>\n<p class=\"state\">Sign-off: ");
		S_html_escape(out, sup_buf_cstr(&summary));
		sup_buf_puts(out, "</p>\n<article>\n");
		sup_markdown_html(out, rec->text + rec->body_off, rec->len - rec->body_off);
		sup_buf_puts(out, "</article>\n</body>\n</html>\n");
	} else {
		sup_buf_put(out, rec->text, rec->len);
		sup_buf_printf(out, "\n-- sign-off: %s (digest %s)\n",
			       sup_buf_cstr(&summary), st.digest);
		for (i = 0; i < st.n; i++) {
			const struct sup_signoff_proof *p =
				S_proof(proofs, nproofs, st.id[i]);

			sup_buf_printf(out, "   %-11s %-12s %-9s", st.role[i], st.id[i],
				       S_state_name(st.state[i]));
			if (st.signoff[i])
				sup_buf_printf(out, " at %s", st.signoff[i]->at);
			if (p && p->commit)
				sup_buf_printf(out, " commit %.12s signature %s%s%s%s%s",
					       p->commit, p->verdict,
					       p->signer ? " by " : "", p->signer ? p->signer : "",
					       p->fingerprint ? " key " : "",
					       p->fingerprint ? p->fingerprint : "");
			if (st.signoff[i] && st.signoff[i]->dispute)
				sup_buf_printf(out, "\n               disputed: %s",
					       st.signoff[i]->dispute);
			sup_buf_putc(out, '\n');
		}
	}
	sup_buf_release(&summary);
	return 0;
}

void sup_list_want(struct sup_record_want *w, const struct sup_list_filter *f)
{
	enum sup_record_type t;

	memset(w, 0, sizeof(*w));
	/* each of these people must be a party of a matching record */
	w->person = f->supervisee ? f->supervisee : f->supervisor ? f->supervisor : f->party;
	w->type = f->type && sup_record_type_parse(&t, f->type) == 0 ? (int)t : -1;
	sup_error_clear();
	w->since = f->since;
	w->until = f->until;
}

int sup_record_matches(const struct sup_record *rec,
		       const struct sup_list_filter *f)
{
	if (f->type && strcmp(f->type, sup_record_type_name(rec->type)))
		return 0;
	if (f->supervisee && !sup_record_about(rec, f->supervisee))
		return 0;
	if (f->supervisor && !((rec->supervisor && !strcmp(rec->supervisor, f->supervisor)) ||
			       (rec->from && !strcmp(rec->from, f->supervisor)) ||
			       (rec->to && !strcmp(rec->to, f->supervisor))))
		return 0;
	if (f->party && !sup_record_role(rec, f->party))
		return 0;
	if (f->since != SUP_DATE_NONE && rec->date < f->since)
		return 0;
	if (f->until != SUP_DATE_NONE && rec->date > f->until)
		return 0;
	if (f->unsigned_only) {
		struct sup_signstate st;

		sup_record_signstate(&st, rec);
		if (st.complete && !st.stale)
			return 0;
	}
	return 1;
}

static void S_who(struct sup_buf *b, const struct sup_record *rec)
{
	size_t i;

	if (rec->type == SUP_REC_GROUP) {
		for (i = 0; i < rec->nsupervisees; i++)
			sup_buf_printf(b, "%s%s", i ? " " : "", rec->supervisees[i]);
		return;
	}
	sup_buf_puts(b, rec->supervisee ? rec->supervisee : "");
}

void sup_present_list(struct sup_buf *out, struct sup_record *const *recs,
		      size_t n, enum sup_format fmt, int colour)
{
	static const char *const head[] = { "id", "type", "date", "supervisor",
		"supervisee", "state" };
	struct sup_table t;
	struct sup_json j;
	size_t i, k;

	sup_table_init(&t, 6);
	sup_json_init(&j, out);
	if (fmt == SUP_FORMAT_TEXT)
		sup_table_add(&t, head, NULL);
	else if (fmt == SUP_FORMAT_CSV)
		for (k = 0; k < 6; k++)
			sup_csv_field(out, head[k], k == 5);
	else
		sup_json_begin_array(&j);
	for (i = 0; i < n; i++) {
		const struct sup_record *rec = recs[i];
		struct sup_buf who = SUP_BUF_INIT, state = SUP_BUF_INIT;
		struct sup_signstate st;
		char date[11];
		const char *row[6];

		sup_record_signstate(&st, rec);
		sup_signstate_summary(&state, &st);
		S_who(&who, rec);
		sup_date_format(date, rec->date);
		row[0] = rec->id;
		row[1] = sup_record_type_name(rec->type);
		row[2] = date;
		row[3] = rec->supervisor ? rec->supervisor : rec->from ? rec->from : "";
		row[4] = sup_buf_cstr(&who);
		row[5] = sup_buf_cstr(&state);
		if (fmt == SUP_FORMAT_TEXT) {
			sup_table_add(&t, row, st.stale ? "31" : !st.complete ? "33" : NULL);
		} else if (fmt == SUP_FORMAT_CSV) {
			for (k = 0; k < 6; k++)
				sup_csv_field(out, row[k], k == 5);
		} else {
			sup_json_begin_object(&j);
			for (k = 0; k < 6; k++) {
				sup_json_key(&j, head[k]);
				sup_json_string(&j, row[k]);
			}
			sup_json_key(&j, "path");
			sup_json_string(&j, rec->path);
			sup_json_end_object(&j);
		}
		sup_buf_release(&who);
		sup_buf_release(&state);
	}
	if (fmt == SUP_FORMAT_TEXT)
		sup_table_write(out, &t, colour);
	else if (fmt == SUP_FORMAT_JSON) {
		sup_json_end_array(&j);
		sup_json_finish(&j);
	}
	sup_table_release(&t);
}

/* The front matter tree and body of a version, or NULLs. */
static struct sup_node *S_split_version(const char *text, size_t len,
					const char *path, size_t *body_off)
{
	struct sup_node *fm = NULL;
	size_t yoff, ylen;
	int yline;

	*body_off = 0;
	if (!text)
		return NULL;
	if (sup_frontmatter_split(text, len, path, &yoff, &ylen, body_off, &yline) < 0 ||
	    sup_yaml_parse(&fm, text + yoff, ylen, path, yline) < 0) {
		*body_off = 0;
		fm = NULL;
	}
	sup_diag_clear();
	sup_error_clear();
	return fm;
}

void sup_present_diff(struct sup_buf *out, enum sup_format fmt,
		      const char *path, const char *a, size_t alen,
		      const char *b, size_t blen, const char *label_a,
		      const char *label_b)
{
	size_t aoff = 0, boff = 0, n = 0, i;
	struct sup_node *fa = S_split_version(a, alen, path, &aoff);
	struct sup_node *fb = S_split_version(b, blen, path, &boff);
	struct sup_field_diff *d = NULL;
	struct sup_buf body = SUP_BUF_INIT;
	int fields = (fa || !a) && (fb || !b);

	if (fields)
		sup_fields_diff(&d, &n, fa, fb);
	else
		aoff = boff = 0;	/* compare whole texts */
	sup_unified_diff(&body, a ? a + aoff : "", a ? alen - aoff : 0,
			 b ? b + boff : "", b ? blen - boff : 0, label_a, label_b);
	if (fmt == SUP_FORMAT_JSON) {
		struct sup_json j;
		static const char *const kinds[] = { "changed", "added", "removed" };

		sup_json_init(&j, out);
		sup_json_begin_object(&j);
		sup_json_key(&j, "path");
		sup_json_string(&j, path);
		sup_json_key(&j, "from");
		sup_json_string(&j, label_a);
		sup_json_key(&j, "to");
		sup_json_string(&j, label_b);
		sup_json_key(&j, "fields");
		sup_json_begin_array(&j);
		for (i = 0; i < n; i++) {
			sup_json_begin_object(&j);
			sup_json_key(&j, "path");
			sup_json_string(&j, d[i].path);
			sup_json_key(&j, "change");
			sup_json_string(&j, kinds[d[i].change]);
			sup_json_key(&j, "old");
			sup_json_string(&j, d[i].old_value);
			sup_json_key(&j, "new");
			sup_json_string(&j, d[i].new_value);
			sup_json_end_object(&j);
		}
		sup_json_end_array(&j);
		sup_json_key(&j, "body");
		sup_json_string(&j, sup_buf_cstr(&body));
		sup_json_end_object(&j);
		sup_json_finish(&j);
	} else {
		for (i = 0; i < n; i++) {
			sup_field_diff_format(out, &d[i]);
			sup_buf_putc(out, '\n');
		}
		if (n && body.len)
			sup_buf_putc(out, '\n');
		sup_buf_put(out, body.ptr ? body.ptr : "", body.len);
	}
	sup_fields_diff_free(d, n);
	sup_buf_release(&body);
	sup_node_free(fa);
	sup_node_free(fb);
}

void sup_present_staff(struct sup_buf *out, const struct sup_register *reg,
		       enum sup_format fmt, int all, sup_date today)
{
	size_t i;

	{
		struct sup_table t;
		struct sup_json j;
		static const char *const head[] = { "id", "name", "role",
			"supervisor", "started", "left", "admin", "auditor" };

		sup_table_init(&t, 8);
		if (fmt == SUP_FORMAT_TEXT)
			sup_table_add(&t, head, NULL);
		if (fmt == SUP_FORMAT_CSV)
			for (i = 0; i < 8; i++)
				sup_csv_field(out, head[i], i == 7);
		sup_json_init(&j, out);
		if (fmt == SUP_FORMAT_JSON)
			sup_json_begin_array(&j);
		for (i = 0; i < reg->nstaff; i++) {
			const struct sup_staff *st = &reg->staff[i];
			char started[11] = "", left[11] = "";
			const char *row[8];

			if (!all && !sup_staff_active(st, today) &&
			    !(st->started != SUP_DATE_NONE && st->started > today))
				continue;
			if (st->started != SUP_DATE_NONE)
				sup_date_format(started, st->started);
			if (st->left != SUP_DATE_NONE)
				sup_date_format(left, st->left);
			row[0] = st->id;
			row[1] = st->name;
			row[2] = st->role;
			row[3] = st->supervisor ? st->supervisor : "";
			row[4] = started;
			row[5] = left;
			row[6] = st->admin ? "yes" : "";
			row[7] = st->auditor ? "yes" : "";
			if (fmt == SUP_FORMAT_TEXT) {
				sup_table_add(&t, row, NULL);
			} else if (fmt == SUP_FORMAT_CSV) {
				size_t k;

				row[6] = st->admin ? "true" : "false";
				row[7] = st->auditor ? "true" : "false";
				for (k = 0; k < 8; k++)
					sup_csv_field(out, row[k], k == 7);
			} else {
				sup_json_begin_object(&j);
				sup_json_key(&j, "id"); sup_json_string(&j, st->id);
				sup_json_key(&j, "name"); sup_json_string(&j, st->name);
				sup_json_key(&j, "email"); sup_json_string(&j, st->email);
				sup_json_key(&j, "role"); sup_json_string(&j, st->role);
				sup_json_key(&j, "supervisor"); sup_json_string(&j, st->supervisor);
				sup_json_key(&j, "started"); sup_json_string(&j, *started ? started : NULL);
				sup_json_key(&j, "left"); sup_json_string(&j, *left ? left : NULL);
				sup_json_key(&j, "admin"); sup_json_bool(&j, st->admin);
				sup_json_key(&j, "auditor"); sup_json_bool(&j, st->auditor);
				sup_json_key(&j, "keys"); sup_json_int(&j, (long long)st->nkeys);
				sup_json_end_object(&j);
			}
		}
		if (fmt == SUP_FORMAT_TEXT)
			sup_table_write(out, &t, 0);
		if (fmt == SUP_FORMAT_JSON) {
			sup_json_end_array(&j);
			sup_json_finish(&j);
		}
		sup_table_release(&t);
	}
}

void sup_present_cases(struct sup_buf *out, const struct sup_register *reg,
		       enum sup_format fmt, int all, const char *worker)
{
	static const char *const head[] = { "ref", "worker", "opened", "closed",
		"child_protection" };
	struct sup_table t;
	struct sup_json j;
	size_t i, k;

	sup_table_init(&t, 5);
	sup_json_init(&j, out);
	if (fmt == SUP_FORMAT_TEXT)
		sup_table_add(&t, head, NULL);
	else if (fmt == SUP_FORMAT_CSV)
		for (k = 0; k < 5; k++)
			sup_csv_field(out, head[k], k == 4);
	else
		sup_json_begin_array(&j);
	for (i = 0; i < reg->ncases; i++) {
		const struct sup_case *cs = &reg->cases[i];
		char opened[11] = "", closed[11] = "";
		const char *row[5];

		if ((!all && cs->closed != SUP_DATE_NONE) ||
		    (worker && strcmp(worker, cs->worker)))
			continue;
		sup_date_format(opened, cs->opened);
		if (cs->closed != SUP_DATE_NONE)
			sup_date_format(closed, cs->closed);
		row[0] = cs->ref;
		row[1] = cs->worker;
		row[2] = opened;
		row[3] = closed;
		row[4] = cs->child_protection ? "true" : "false";
		if (fmt == SUP_FORMAT_TEXT) {
			row[4] = cs->child_protection ? "yes" : "";
			sup_table_add(&t, row, NULL);
		} else if (fmt == SUP_FORMAT_CSV) {
			for (k = 0; k < 5; k++)
				sup_csv_field(out, row[k], k == 4);
		} else {
			sup_json_begin_object(&j);
			sup_json_key(&j, "ref"); sup_json_string(&j, cs->ref);
			sup_json_key(&j, "worker"); sup_json_string(&j, cs->worker);
			sup_json_key(&j, "opened"); sup_json_string(&j, opened);
			sup_json_key(&j, "closed"); sup_json_string(&j, *closed ? closed : NULL);
			sup_json_key(&j, "child_protection"); sup_json_bool(&j, cs->child_protection);
			sup_json_end_object(&j);
		}
	}
	if (fmt == SUP_FORMAT_TEXT)
		sup_table_write(out, &t, 0);
	else if (fmt == SUP_FORMAT_JSON) {
		sup_json_end_array(&j);
		sup_json_finish(&j);
	}
	sup_table_release(&t);
}

void sup_present_log(struct sup_buf *out, struct sup_repo *r,
		     const struct sup_log_entry *e, size_t n, enum sup_format fmt,
		     int patch, int colour)
{
	static const char *const head[] = { "date", "commit", "actor", "action",
		"record", "signature", "signer", "note" };
	struct sup_table t;
	struct sup_json j;
	size_t i, k;

	sup_table_init(&t, 7);
	sup_json_init(&j, out);
	if (fmt == SUP_FORMAT_TEXT && !patch && n) {
		static const char *const th[] = { "date", "commit", "actor",
			"action", "record", "signature", "note" };

		sup_table_add(&t, th, NULL);
	}
	if (fmt == SUP_FORMAT_JSON)
		sup_json_begin_array(&j);
	else if (fmt == SUP_FORMAT_CSV)
		for (k = 0; k < 8; k++)
			sup_csv_field(out, head[k], k == 7);
	for (i = 0; i < n; i++) {
		char ts[21], sig[160];
		const char *row[8];
		const char *verdict = sup_verdict_name(e[i].judgement.verdict);

		sup_timestamp_format(ts, e[i].when);
		snprintf(sig, sizeof(sig), "%s%s%s%s", verdict,
			 e[i].judgement.signer ? " (" : "",
			 e[i].judgement.signer ? e[i].judgement.signer : "",
			 e[i].judgement.signer ? ")" : "");
		row[0] = ts;
		row[1] = e[i].hex;
		row[2] = e[i].actor ? e[i].actor : "";
		row[3] = e[i].action ? e[i].action : "";
		row[4] = e[i].record ? e[i].record : "";
		row[5] = verdict;
		row[6] = e[i].judgement.signer ? e[i].judgement.signer : "";
		row[7] = e[i].note ? e[i].note : "";
		if (fmt == SUP_FORMAT_CSV) {
			for (k = 0; k < 8; k++)
				sup_csv_field(out, row[k], k == 7);
		} else if (fmt == SUP_FORMAT_JSON) {
			sup_json_begin_object(&j);
			for (k = 0; k < 8; k++) {
				sup_json_key(&j, head[k]);
				sup_json_string(&j, *row[k] || k < 5 ? row[k] : NULL);
			}
			sup_json_key(&j, "key");
			sup_json_string(&j, e[i].judgement.fingerprint[0] ?
					e[i].judgement.fingerprint : NULL);
			sup_json_end_object(&j);
		} else if (!patch) {
			const char *trow[7];
			char shortid[13];

			snprintf(shortid, sizeof(shortid), "%.12s", e[i].hex);
			trow[0] = ts;
			trow[1] = shortid;
			trow[2] = row[2];
			trow[3] = row[3];
			trow[4] = row[4];
			trow[5] = sig;
			trow[6] = row[7];
			sup_table_add(&t, trow,
				      e[i].judgement.verdict == SUP_VERDICT_GOOD ? NULL : "31");
		} else {
			sup_buf_printf(out, "%s %.12s %s %s %s  signature %s%s%s\n",
				       ts, e[i].hex, row[2], row[3], row[4], sig,
				       *row[7] ? "  " : "", row[7]);
			if (e[i].path) {
				struct sup_buf a = SUP_BUF_INIT, b = SUP_BUF_INIT;
				char *la = sup_xasprintf("%s (before)", e[i].parent_path ?
							 e[i].parent_path : e[i].path);
				char *lb = sup_xasprintf("%s@%.12s", e[i].path, e[i].hex);

				if (e[i].has_parent_blob)
					sup_log_read(&a, r, &e[i].parent_blob);
				if (e[i].has_blob)
					sup_log_read(&b, r, &e[i].blob);
				sup_present_diff(out, SUP_FORMAT_TEXT, e[i].path,
						 e[i].has_parent_blob ? sup_buf_cstr(&a) : NULL, a.len,
						 e[i].has_blob ? sup_buf_cstr(&b) : NULL, b.len, la, lb);
				sup_buf_putc(out, '\n');
				free(la);
				free(lb);
				sup_buf_release(&a);
				sup_buf_release(&b);
			}
		}
	}
	if (fmt == SUP_FORMAT_JSON) {
		sup_json_end_array(&j);
		sup_json_finish(&j);
	} else if (fmt == SUP_FORMAT_TEXT && !patch) {
		sup_table_write(out, &t, colour);
	}
	sup_table_release(&t);
}
