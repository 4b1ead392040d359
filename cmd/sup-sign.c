/* sup-sign: add the current person's sign-off to a record. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "signoff.h"

static const char usage_str[] = "usage: sup sign [--dispute text] id";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dispute", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sup_repo *r = NULL;
	struct sup_recctx c;
	const struct sup_staff *me;
	const struct sup_recref *ref;
	struct sup_record *rec = NULL;
	struct sup_buf tmpl = SUP_BUF_INIT;
	const char *dispute = NULL;
	char at[21];
	time_t when;
	int offset, ch, rc = SUP_EXIT_FAIL;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dispute = optarg; break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	if (dispute && !*dispute) {
		sup_warn("sign", "--dispute needs the reason you disagree");
		return usage();
	}
	if (sup_repo_open(&r, NULL) < 0 || sup_repo_whoami(&me, r) < 0 ||
	    sup_recctx_init(&c, r) < 0 ||
	    sup_records_find(&ref, &c.rs, argv[optind]) < 0 ||
	    sup_records_load(&rec, &c.rs, ref) < 0 ||
	    sup_template_load(&tmpl, r, rec->type) < 0 ||
	    sup_store_env_time(&when, &offset, "GIT_COMMITTER_DATE") < 0) {
		rc = sup_perror("sign");
		goto out;
	}
	sup_timestamp_format(at, when);
	if (sup_signoff_add(&c, rec, me, dispute, at, tmpl.ptr, tmpl.len) < 0) {
		rc = sup_perror("sign");
		goto out;
	}
	printf("%s %s as %s.\n", dispute ? "Signed, with your dispute recorded," : "Signed",
	       rec->id, sup_record_role(rec, me->id));
	rc = SUP_EXIT_OK;
out:
	sup_buf_release(&tmpl);
	sup_record_free(rec);
	sup_recctx_release(&c);
	sup_repo_free(r);
	return rc;
}
