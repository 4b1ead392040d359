/* sup-new: write a new record, pre-filled, in the person's editor. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "draft.h"
#include "recwrite.h"

static const char usage_str[] =
	"usage: sup new type [--with id[,id...]] [--date date] [--case ref]...\n"
	"               [--set key=value]... [--no-edit] [--resume | --discard]\n"
	"       sup new type --from file";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

/* Split "a,b" arguments into the list. */
static void S_add_ids(const char ***v, size_t *n, const char *arg)
{
	char *copy = sup_xstrdup(arg), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		*v = sup_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = sup_xstrdup(tok);
	}
	free(copy);
}

/* On a terminal: the people I supervise, most overdue first. */
static const char *S_choose(struct sup_recctx *c, const struct sup_staff *me,
			    sup_date today)
{
	const struct sup_staff **people;
	sup_date *due;
	size_t n = 0, i, k;
	char line[32], d[11];
	const char *chosen = NULL;
	long pick;

	people = sup_xcalloc(c->repo->reg.nstaff + 1, sizeof(*people));
	due = sup_xcalloc(c->repo->reg.nstaff + 1, sizeof(*due));
	for (i = 0; i < c->repo->reg.nstaff; i++) {
		const struct sup_staff *st = &c->repo->reg.staff[i];
		sup_date dd;

		if (!st->supervisor || strcmp(st->supervisor, me->id) ||
		    !sup_staff_active(st, today))
			continue;
		dd = sup_next_due(c->repo, c->recs, c->nrecs, st);
		/* insertion by due date: unknown last */
		for (k = n; k > 0 && (dd != SUP_DATE_NONE &&
				      (due[k - 1] == SUP_DATE_NONE || due[k - 1] > dd)); k--) {
			people[k] = people[k - 1];
			due[k] = due[k - 1];
		}
		people[k] = st;
		due[k] = dd;
		n++;
	}
	if (!n) {
		fprintf(stderr, "sup new: you supervise no one in the register; give --with ID\n");
		goto out;
	}
	fprintf(stderr, "Whom is the record about? (most overdue first)\n");
	for (i = 0; i < n; i++) {
		if (due[i] != SUP_DATE_NONE)
			sup_date_format(d, due[i]);
		fprintf(stderr, "  %zu) %-12s %-24s %s %s\n", i + 1, people[i]->id,
			people[i]->name, due[i] == SUP_DATE_NONE ? "" :
			due[i] < today ? "overdue since" : "due",
			due[i] == SUP_DATE_NONE ? "" : d);
	}
	for (;;) {
		fprintf(stderr, "Number (1-%zu), or q to stop: ", n);
		fflush(stderr);
		if (!fgets(line, sizeof(line), stdin) || line[0] == 'q')
			break;
		pick = strtol(line, NULL, 10);
		if (pick >= 1 && (size_t)pick <= n) {
			chosen = people[pick - 1]->id;
			break;
		}
	}
out:
	free(people);
	free(due);
	return chosen;
}

static int S_taken(const char *id, void *payload)
{
	return sup_recctx_exists(payload, id);
}

static int S_from_file(struct sup_recctx *c, const struct sup_staff *me,
		       const char *file, enum sup_record_type type)
{
	struct sup_buf text = SUP_BUF_INIT;
	struct sup_record *rec = NULL;
	char *id = NULL, *path = NULL;
	int error;

	if ((error = sup_read_file(&text, file, SUP_MAX_FILE)) < 0)
		goto out;
	if ((error = sup_record_peek_id(&id, text.ptr, text.len, file)) < 0)
		goto out;
	path = sup_record_path(id);
	if ((error = sup_recctx_exists(c, id)) != 0) {
		if (error < 0)
			goto out;
		error = sup_error_set(SUP_EEXISTS, "%s: record %s exists already (use 'sup edit %s')",
				      file, id, id);
		goto out;
	}
	c->path = path;
	if ((error = sup_recctx_check(text.ptr, text.len, 0, c)) < 0)
		goto out;
	sup_record_parse(&rec, text.ptr, text.len, path, 0);
	if (rec && rec->type != type) {
		error = sup_error_set(SUP_EINVALID, "%s: the record is a %s, not a %s",
				      file, sup_record_type_name(rec->type),
				      sup_record_type_name(type));
		goto out;
	}
	if ((error = sup_recctx_commit(c, me, text.ptr, text.len, id, "new")) < 0)
		goto out;
	printf("Recorded %s (%s).\n", id, path);
out:
	sup_record_free(rec);
	sup_buf_release(&text);
	free(id);
	free(path);
	return error;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "with", required_argument, NULL, 'w' },
		{ "date", required_argument, NULL, 'd' },
		{ "case", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "no-edit", no_argument, NULL, 'n' },
		{ "resume", no_argument, NULL, 'r' },
		{ "discard", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sup_new_opts o;
	struct sup_repo *r = NULL;
	struct sup_recctx c;
	const struct sup_staff *me;
	const char **with = NULL, **cases = NULL, **sets = NULL;
	size_t nwith = 0, ncases = 0, nsets = 0, i;
	const char *from = NULL;
	int no_edit = 0, resume = 0, discard = 0, ch, rc = SUP_EXIT_FAIL;
	struct sup_buf text = SUP_BUF_INIT, final = SUP_BUF_INIT, fresh = SUP_BUF_INIT;
	char *id = NULL, *draft = NULL, *path = NULL;
	enum sup_draft_result res;

	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	o.date = sup_date_today();
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': S_add_ids(&with, &nwith, optarg); break;
		case 'd':
			if (sup_date_parse(&o.date, optarg) < 0) {
				sup_warn("new", "--date: %s", sup_error_last());
				rc = usage();
				goto out;
			}
			break;
		case 'c':
			cases = sup_xrealloc(cases, (ncases + 1) * sizeof(*cases));
			cases[ncases++] = optarg;
			break;
		case 's':
			sets = sup_xrealloc(sets, (nsets + 1) * sizeof(*sets));
			sets[nsets++] = optarg;
			break;
		case 'f': from = optarg; break;
		case 'n': no_edit = 1; break;
		case 'r': resume = 1; break;
		case 'D': discard = 1; break;
		case 'h': printf("%s\n", usage_str); rc = SUP_EXIT_OK; goto out;
		default: rc = usage(); goto out;
		}
	}
	if (optind != argc - 1 || (resume && discard)) {
		rc = usage();
		goto out;
	}
	if (sup_record_type_parse(&o.type, argv[optind]) < 0) {
		sup_perror("new");
		rc = SUP_EXIT_FINDINGS;
		goto out;
	}
	/* the cases are read for the people the record is about, once they
	 * are known (sup_register_load_cases_of) */
	if (sup_repo_open_ex(&r, NULL, SUP_REPO_NO_CASES) < 0 ||
	    sup_repo_whoami(&me, r) < 0) {
		rc = sup_perror("new");
		goto out;
	}
	/* records are indexed as they are loaded: one person's, for a
	 * record about one person */
	sup_recctx_open(&c, r);
	if (from) {
		rc = sup_register_load_cases_of(&r->reg, r->store, &r->head, NULL, 0) < 0 ||
		     S_from_file(&c, me, from, o.type) < 0 ? sup_perror("new") : SUP_EXIT_OK;
		goto out;
	}
	if (!nwith) {
		const char *who;

		if (!sup_interactive()) {
			sup_warn("new", "whom is the record about? give --with ID");
			rc = usage();
			goto out;
		}
		/* the choice weighs everyone's next date: every record */
		if (sup_recctx_load(&c, NULL) < 0) {
			rc = sup_perror("new");
			goto out;
		}
		if (!(who = S_choose(&c, me, o.date))) {
			printf("Nothing recorded.\n");
			rc = SUP_EXIT_OK;
			goto out;
		}
		S_add_ids(&with, &nwith, who);
	}
	o.me = me->id;
	o.with = with;
	o.nwith = nwith;
	o.cases = cases;
	o.ncases = ncases;
	o.sets = sets;
	o.nsets = nsets;
	/* the pre-fill looks at the records about the one person it is for
	 * (a group's at everyone's) */
	if (sup_register_load_cases_of(&r->reg, r->store, &r->head, with, nwith) < 0 ||
	    sup_recctx_load(&c, nwith == 1 ? with[0] : NULL) < 0 ||
	    sup_compose_new(&text, &id, r, S_taken, &c, c.recs, c.nrecs, &o) < 0) {
		rc = sup_perror("new");
		goto out;
	}
	sup_trace("new: composed");
	path = sup_record_path(id);
	c.path = path;
	if (no_edit) {
		char *kept = NULL;

		/* a kept draft of this record is someone's typing: never let a
		 * --no-edit record silently take its place */
		if (sup_draft_exists(&kept, r->store, id)) {
			if (!discard) {
				sup_warn("new", "a draft of %s is kept at %s from an earlier try; resume it with --resume, or give --discard to drop it",
					 id, kept);
				free(kept);
				rc = SUP_EXIT_FINDINGS;
				goto out;
			}
			sup_draft_remove(kept);
			free(kept);
		}
		if (sup_recctx_check(text.ptr, text.len, 0, &c) < 0 ||
		    sup_recctx_commit(&c, me, text.ptr, text.len, id, "new") < 0) {
			rc = sup_perror("new");
			goto out;
		}
		printf("Recorded %s (%s).\n", id, path);
		sup_trace("new: done");
		rc = SUP_EXIT_OK;
		goto out;
	}
	/* unchanged means unchanged from the fresh pre-fill: a resumed draft
	 * saved as it was is still someone's typing, checked and kept */
	sup_buf_put(&fresh, text.ptr, text.len);
	if (sup_draft_start(&draft, &text, r->store, id, resume, discard, "new") < 0) {
		rc = sup_perror("new");
		goto out;
	}
	if (sup_draft_edit(&res, &final, draft, fresh.ptr, sup_interactive(),
			   sup_recctx_check, &c) < 0) {
		rc = sup_perror("new");
		if (sup_diag_count())
		{
			char d[11];

			sup_date_format(d, o.date);
			fprintf(stderr, "sup new: your text is kept in %s; run 'sup new %s --with %s --date %s --resume' to go on with it\n",
				draft, argv[optind], with[0], d);
		}
		goto out;
	}
	if (res == SUP_DRAFT_ABANDONED) {
		sup_draft_remove(draft);
		printf("Nothing saved: the record was left unchanged.\n");
		rc = SUP_EXIT_OK;
		goto out;
	}
	if (sup_recctx_commit(&c, me, final.ptr, final.len, id, "new") < 0) {
		rc = sup_perror("new");
		fprintf(stderr, "sup new: your text is kept in %s\n", draft);
		goto out;
	}
	sup_draft_remove(draft);
	printf("Recorded %s (%s).\n", id, path);
	rc = SUP_EXIT_OK;
out:
	for (i = 0; i < nwith; i++)
		free((char *)with[i]);
	free(with);
	free(cases);
	free(sets);
	free(id);
	free(path);
	free(draft);
	sup_buf_release(&text);
	sup_buf_release(&final);
	sup_buf_release(&fresh);
	sup_recctx_release(&c);
	sup_repo_free(r);
	sup_trace("new: freed");
	return rc;
}
