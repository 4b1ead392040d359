/* sup-edit: edit a record, or amend a signed one. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compose.h"
#include "draft.h"
#include "recwrite.h"

static const char usage_str[] =
	"usage: sup edit [--amend reason] [--resume | --discard] id";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "amend", required_argument, NULL, 'a' },
		{ "resume", no_argument, NULL, 'r' },
		{ "discard", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sup_repo *r = NULL;
	struct sup_recctx c;
	const struct sup_staff *me;
	const struct sup_recref *ref;
	struct sup_record *rec = NULL;
	struct sup_buf text = SUP_BUF_INIT, final = SUP_BUF_INIT, fresh = SUP_BUF_INIT;
	const char *reason = NULL;
	char *draft = NULL;
	int resume = 0, discard = 0, ch, rc = SUP_EXIT_FAIL;
	enum sup_draft_result res;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': reason = optarg; break;
		case 'r': resume = 1; break;
		case 'D': discard = 1; break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (optind != argc - 1 || (resume && discard))
		return usage();
	if (reason && !*reason) {
		sup_warn("edit", "--amend needs a reason, which is kept in the record");
		return usage();
	}
	if (sup_repo_open(&r, NULL) < 0 || sup_repo_whoami(&me, r) < 0 ||
	    sup_recctx_init(&c, r) < 0 ||
	    sup_records_find(&ref, &c.rs, argv[optind]) < 0 ||
	    sup_records_load(&rec, &c.rs, ref) < 0) {
		rc = sup_perror("edit");
		goto out;
	}
	if (!sup_record_role(rec, me->id)) {
		sup_warn("edit", "%s: only a party of the record may change it, and '%s' is not one",
			 rec->path, me->id);
		rc = SUP_EXIT_FINDINGS;
		goto out;
	}
	if (rec->nsignoffs && !reason) {
		sup_warn("edit", "%s is signed; to change it, give a reason: sup edit --amend \"REASON\" %s (the sign-offs are cleared and everyone signs again)",
			 rec->id, rec->id);
		rc = SUP_EXIT_FINDINGS;
		goto out;
	}
	if (!rec->nsignoffs && reason) {
		sup_warn("edit", "%s is not signed yet: edit it without --amend", rec->id);
		rc = SUP_EXIT_FINDINGS;
		goto out;
	}
	if (reason) {
		char at[21];
		time_t when;
		int offset;

		/* the same clock as the commit, so GIT_COMMITTER_DATE rules both */
		if (sup_store_env_time(&when, &offset, "GIT_COMMITTER_DATE") < 0) {
			rc = sup_perror("edit");
			goto out;
		}
		sup_timestamp_format(at, when);
		sup_compose_amend(&text, rec, me->id, at, reason);
		c.allow_signoff_change = 1;
	} else {
		sup_buf_put(&text, rec->text, rec->len);
	}
	c.path = rec->path;
	c.old = rec;
	sup_buf_put(&fresh, text.ptr, text.len);
	if (sup_draft_start(&draft, &text, r->store, rec->id, resume, discard, "edit") < 0) {
		rc = sup_perror("edit");
		goto out;
	}
	if (sup_draft_edit(&res, &final, draft, fresh.ptr,
			   sup_interactive(), sup_recctx_check, &c) < 0) {
		rc = sup_perror("edit");
		if (sup_diag_count())
			fprintf(stderr, "sup edit: your text is kept in %s; run 'sup edit --resume %s' to go on with it\n",
				draft, rec->id);
		goto out;
	}
	if (res == SUP_DRAFT_ABANDONED) {
		sup_draft_remove(draft);
		printf("Nothing changed.\n");
		rc = SUP_EXIT_OK;
		goto out;
	}
	if (reason) {
		/* the amended text must still carry no sign-offs */
		struct sup_record *check = NULL;

		if (sup_record_parse(&check, final.ptr, final.len, rec->path, 0) == 0 &&
		    check->nsignoffs) {
			sup_record_free(check);
			sup_warn("edit", "%s: an amended record starts again without sign-offs; remove the 'signoffs' list (your text is kept in %s)",
				 rec->path, draft);
			rc = SUP_EXIT_FINDINGS;
			goto out;
		}
		sup_record_free(check);
	}
	if (sup_recctx_commit(&c, me, final.ptr, final.len, rec->id,
			      reason ? "amend" : "edit") < 0) {
		rc = sup_perror("edit");
		fprintf(stderr, "sup edit: your text is kept in %s\n", draft);
		goto out;
	}
	sup_draft_remove(draft);
	printf("%s %s.\n", reason ? "Amended" : "Saved", rec->id);
	rc = SUP_EXIT_OK;
out:
	free(draft);
	sup_buf_release(&text);
	sup_buf_release(&final);
	sup_buf_release(&fresh);
	sup_record_free(rec);
	sup_recctx_release(&c);
	sup_repo_free(r);
	return rc;
}
