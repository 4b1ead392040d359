/* sup-audit: who is overdue, what is late, unsigned or missing. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "audit.h"
#include "blobcache.h"
#include "records.h"

static const char usage_str[] =
	"usage: sup audit [--overdue] [--late] [--unsigned] [--contracts] [--cases]\n"
	"                 [--actions] [--functions] [--training] [--as-of date]\n"
	"                 [--supervisor id] [--person id] [--format text|json|csv]";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

/* An id given on the command line must be someone in the register. */
static int S_known(const struct sup_repo *r, const char *id, const char *opt)
{
	const char *near;

	if (!id || sup_register_staff(&r->reg, id))
		return 0;
	near = sup_register_suggest(&r->reg, id);
	sup_warn("audit", "%s: unknown staff id '%s'%s%s%s", opt, id,
		 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "overdue", no_argument, NULL, 'o' },
		{ "late", no_argument, NULL, 'l' },
		{ "unsigned", no_argument, NULL, 'u' },
		{ "contracts", no_argument, NULL, 'c' },
		{ "cases", no_argument, NULL, 'k' },
		{ "actions", no_argument, NULL, 'a' },
		{ "functions", no_argument, NULL, 'F' },
		{ "training", no_argument, NULL, 't' },
		{ "as-of", required_argument, NULL, 'd' },
		{ "supervisor", required_argument, NULL, 's' },
		{ "person", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_format fmt = SUP_FORMAT_TEXT;
	const char *supervisor = NULL, *person = NULL;
	unsigned sel = 0;
	struct sup_store *store = NULL;
	struct sup_oid head;
	char *key = NULL;
	int warned = 0;
	sup_date as_of = sup_date_today();
	struct sup_repo *r = NULL;
	struct sup_records rs;
	struct sup_record **recs = NULL;
	struct sup_first_seens first;
	pid_t walker = 0;
	struct sup_findings found;
	struct sup_buf out = SUP_BUF_INIT;
	size_t n = 0, i;
	int c, rc = SUP_EXIT_FAIL;

	memset(&rs, 0, sizeof(rs));
	memset(&first, 0, sizeof(first));
	memset(&found, 0, sizeof(found));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': sel |= SUP_AUDIT_OVERDUE; break;
		case 'l': sel |= SUP_AUDIT_LATE; break;
		case 'u': sel |= SUP_AUDIT_UNSIGNED; break;
		case 'c': sel |= SUP_AUDIT_CONTRACTS; break;
		case 'k': sel |= SUP_AUDIT_CASES; break;
		case 'a': sel |= SUP_AUDIT_ACTIONS; break;
		case 'F': sel |= SUP_AUDIT_FUNCTIONS; break;
		case 't': sel |= SUP_AUDIT_TRAINING; break;
		case 'd':
			if (sup_date_parse(&as_of, optarg) < 0) {
				sup_warn("audit", "--as-of: %s", sup_error_last());
				return usage();
			}
			break;
		case 's': supervisor = optarg; break;
		case 'p': person = optarg; break;
		case 'f':
			if (sup_format_parse(&fmt, optarg) < 0) {
				sup_perror("audit");
				return usage();
			}
			break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!sel)
		sel = SUP_AUDIT_ALL;
	/* the same question about the same commit has the same answer: the
	 * last one is kept under .git/sup/cache (a shortcut, never needed) */
	if (sup_store_open(&store, NULL) == 0 && sup_store_head(&head, store) == 0) {
		key = sup_audit_key(&head, sel, as_of, supervisor, person, (int)fmt,
				    sup_use_colour(stdout));
		if (sup_result_get(&out, &rc, store, "audit", key)) {
			if (sup_page(sup_buf_cstr(&out), out.len) < 0) {
				sup_perror("audit");
				rc = SUP_EXIT_FAIL;
			}
			goto out;
		}
	}
	sup_error_clear();
	/* a policy or register that cannot be read means the audit could
	 * not run: 2, whatever the kind of error */
	if (sup_schedule_repo_open(&r, NULL) < 0 ||
	    sup_records_index(&rs, r->store, &r->head) < 0) {
		sup_perror("audit");
		goto out;
	}
	if (S_known(r, supervisor, "--supervisor") < 0 ||
	    S_known(r, person, "--person") < 0)
		goto out;
	/* the first-seen times are worked out beside the records */
	if (sel & SUP_AUDIT_LATE)
		walker = sup_first_seens_start(r->store, &r->head);
	if (sup_records_load_lean(&recs, &n, &rs) < 0) {
		sup_perror("audit");
		goto out;
	}
	/* a record that does not parse is not audited: say so */
	warned = sup_diag_count() > 0;
	for (i = 0; i < sup_diag_count(); i++)
		fprintf(stderr, "sup audit: warning: %s (not audited)\n", sup_diag_get(i));
	sup_diag_clear();
	if (sel & SUP_AUDIT_LATE) {
		pid_t w = walker;

		walker = 0;
		if (sup_first_seens_finish(&first, w, r->store, &r->head) < 0) {
			sup_perror("audit");
			goto out;
		}
	}
	sup_trace("audit: first-seen times");
	sup_audit_run(&found, &r->policy, &r->reg, recs, n, &first, as_of, sel,
		      supervisor, person);
	sup_trace("audit: rules");
	sup_audit_write(&out, &found, &r->reg, as_of, fmt, sup_use_colour(stdout));
	if (sup_page(sup_buf_cstr(&out), out.len) < 0) {
		sup_perror("audit");
		goto out;
	}
	rc = sup_findings_fail(&found) ? SUP_EXIT_FINDINGS : SUP_EXIT_OK;
	/* an answer that came with warnings is worked out again next time,
	 * so that the warnings are seen again */
	if (key && store && !warned)
		sup_result_put(store, "audit", key, out.ptr ? out.ptr : "", out.len, rc);
out:
	if (walker > 0)	/* stopped early: not left behind */
		while (waitpid(walker, NULL, 0) < 0 && errno == EINTR)
			;
	free(key);
	sup_store_free(store);
	sup_findings_release(&found);
	sup_first_seens_release(&first);
	sup_records_free_all(recs, n);
	sup_records_release(&rs);
	sup_buf_release(&out);
	sup_repo_free(r);
	return rc;
}
