/* sup-show: show one record with its sign-offs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present.h"
#include "proof.h"
#include "records.h"
#include "repo.h"

static const char usage_str[] = "usage: sup show [--format md|html|json] id";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_show_format fmt = SUP_SHOW_MD;
	struct sup_repo *r = NULL;
	struct sup_records rs;
	const struct sup_recref *ref;
	struct sup_record *rec = NULL;
	struct sup_buf out = SUP_BUF_INIT;
	struct sup_proofs proofs;
	int c, rc = SUP_EXIT_FAIL;

	memset(&rs, 0, sizeof(rs));
	memset(&proofs, 0, sizeof(proofs));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'f' && sup_show_format_parse(&fmt, optarg) == 0)
			continue;
		if (c == 'h') {
			printf("%s\n", usage_str);
			return SUP_EXIT_OK;
		}
		if (c == 'f')
			sup_perror("show");
		return usage();
	}
	if (optind != argc - 1)
		return usage();
	if (sup_repo_open_ex(&r, NULL, SUP_REPO_NO_CASES) < 0 ||
	    sup_records_index(&rs, r->store, &r->head) < 0 ||
	    sup_records_find(&ref, &rs, argv[optind]) < 0 ||
	    sup_records_load(&rec, &rs, ref) < 0 ||
	    sup_proofs_find(&proofs, r, rec) < 0) {
		rc = sup_perror("show");
		goto out;
	}
	sup_present_record(&out, rec, fmt, proofs.items, proofs.n);
	rc = sup_page(sup_buf_cstr(&out), out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
out:
	sup_proofs_release(&proofs);
	sup_buf_release(&out);
	sup_record_free(rec);
	sup_records_release(&rs);
	sup_repo_free(r);
	return rc;
}
