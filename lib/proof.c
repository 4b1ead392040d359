/* proof: which commit added each sign-off, and its verdict (see proof.h). */
#include "proof.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

void sup_judge_init(struct sup_judge *j, struct sup_store *s)
{
	char *fmt = NULL;

	memset(j, 0, sizeof(*j));
	j->store = s;
	if (sup_store_config(&j->gpg_program, s, "gpg.openpgp.program") < 0)
		sup_store_config(&j->gpg_program, s, "gpg.program");
	free(fmt);
	sup_error_clear();
}

void sup_judge_release(struct sup_judge *j)
{
	if (j->have)
		sup_register_release(&j->reg);
	free(j->gpg_program);
	memset(j, 0, sizeof(*j));
}

void sup_judgement_release(struct sup_judgement *res)
{
	free(res->signer);
	free(res->detail);
	memset(res, 0, sizeof(*res));
}

int sup_judge_commit(struct sup_judgement *out, struct sup_judge *j,
		     const struct sup_oid *commit)
{
	struct sup_oid *parents = NULL, base, tree;
	struct sup_buf raw = SUP_BUF_INIT;
	struct sup_sigcheck c;
	size_t np = 0;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = sup_store_commit_parents(&parents, &np, j->store, commit)) < 0)
		return error;
	base = np ? parents[0] : *commit;
	free(parents);
	if (sup_store_tree_id(&tree, j->store, &base, "staff") < 0) {
		memset(&tree, 0, sizeof(tree));
		sup_error_clear();
	}
	if (!j->have || !sup_oid_equal(&tree, &j->staff_tree)) {
		if (j->have)
			sup_register_release(&j->reg);
		j->have = 0;
		error = sup_register_load_staff(&j->reg, j->store, &base);
		if (error == SUP_EINVALID) {
			/* a broken register file still leaves the others */
			sup_diag_clear();
			error = 0;
		}
		if (error < 0)
			return error;
		j->have = 1;
		j->staff_tree = tree;
	}
	if ((error = sup_store_commit_raw(&raw, j->store, commit)) < 0)
		return error;
	error = sup_verify_commit(&c, &j->reg, j->gpg_program, raw.ptr, raw.len);
	sup_buf_release(&raw);
	if (error < 0)
		return error;
	out->verdict = c.verdict;
	if (c.signer)
		out->signer = sup_xstrdup(c.signer->id);
	memcpy(out->fingerprint, c.fingerprint, sizeof(out->fingerprint));
	if (c.detail)
		out->detail = sup_xstrdup(c.detail);
	sup_sigcheck_release(&c);
	return 0;
}

struct S_walk {
	struct sup_repo *r;
	const struct sup_record *rec;
	struct sup_proofs *out;
	size_t found;
	struct sup_judge judge;
};

static char *S_keep(struct sup_proofs *p, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = sup_xstrdup(s);
	p->strings = sup_xrealloc(p->strings, (p->nstrings + 1) * sizeof(*p->strings));
	p->strings[p->nstrings++] = d;
	return d;
}

/* 1 if the version in blob has a sign-off equal to so. */
static int S_has_signoff(struct sup_repo *r, const struct sup_oid *blob,
			 const char *path, const struct sup_signoff *so)
{
	struct sup_buf text = SUP_BUF_INIT;
	struct sup_record *v = NULL;
	size_t i;
	int has = 0;

	if (!blob)
		return 0;
	if (sup_store_blob_read(&text, r->store, blob) == 0 &&
	    sup_record_parse(&v, sup_buf_cstr(&text), text.len, path, 0) == 0) {
		for (i = 0; i < v->nsignoffs; i++)
			if (!strcmp(v->signoffs[i].by, so->by) &&
			    !strcmp(v->signoffs[i].at, so->at) &&
			    !strcmp(v->signoffs[i].digest, so->digest))
				has = 1;
	}
	sup_diag_clear();
	sup_error_clear();
	sup_record_free(v);
	sup_buf_release(&text);
	return has;
}

static int S_visit(const struct sup_oid *commit, const struct sup_oid *blob,
		   const struct sup_oid *parent_blob, void *payload)
{
	struct S_walk *w = payload;
	size_t i;

	for (i = 0; i < w->out->n; i++) {
		struct sup_signoff_proof *p = &w->out->items[i];
		const struct sup_signoff *so = &w->rec->signoffs[i];
		struct sup_judgement jd;
		char hex[SUP_OID_HEXSZ + 1];

		if (p->commit)
			continue;
		if (!S_has_signoff(w->r, blob, w->rec->path, so) ||
		    S_has_signoff(w->r, parent_blob, w->rec->path, so))
			continue;
		sup_oid_fmt(hex, commit);
		p->commit = S_keep(w->out, hex);
		if (sup_judge_commit(&jd, &w->judge, commit) == 0) {
			p->verdict = sup_verdict_name(jd.verdict);
			p->signer = S_keep(w->out, jd.signer);
			p->fingerprint = S_keep(w->out, jd.fingerprint[0] ? jd.fingerprint : NULL);
			/* a good signature by someone else is no proof */
			if (jd.verdict == SUP_VERDICT_GOOD && jd.signer &&
			    strcmp(jd.signer, so->by))
				p->verdict = "signed-by-another";
			sup_judgement_release(&jd);
		} else {
			p->verdict = "unverifiable";
		}
		w->found++;
	}
	return w->found == w->out->n ? 1 : 0;
}

int sup_proofs_find(struct sup_proofs *out, struct sup_repo *r,
		    const struct sup_record *rec)
{
	struct S_walk w;
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	if (!rec->nsignoffs)
		return 0;
	out->items = sup_xcalloc(rec->nsignoffs, sizeof(*out->items));
	out->n = rec->nsignoffs;
	for (i = 0; i < rec->nsignoffs; i++) {
		out->items[i].by = rec->signoffs[i].by;
		out->items[i].verdict = "not-found";
	}
	memset(&w, 0, sizeof(w));
	w.r = r;
	w.rec = rec;
	w.out = out;
	sup_judge_init(&w.judge, r->store);
	error = sup_path_history(r->store, &r->head, rec->path, S_visit, &w);
	sup_judge_release(&w.judge);
	return error;
}

void sup_proofs_release(struct sup_proofs *p)
{
	size_t i;

	for (i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->items);
	memset(p, 0, sizeof(*p));
}
