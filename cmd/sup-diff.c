/* sup-diff: what changed in a record, field by field. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present.h"
#include "records.h"
#include "repo.h"
#include "revision.h"

static const char usage_str[] =
	"usage: sup diff [--signed] [--format text|json] id [rev [rev]]";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signed", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_format fmt = SUP_FORMAT_TEXT;
	struct sup_repo *r = NULL;
	struct sup_version from, to;
	struct sup_buf out = SUP_BUF_INIT;
	char *path = NULL;
	int c, signed_only = 0, rc = SUP_EXIT_FAIL, nrev;

	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': signed_only = 1; break;
		case 'f':
			if (sup_format_parse(&fmt, optarg) < 0 || fmt == SUP_FORMAT_CSV) {
				sup_warn("diff", "--format is text or json");
				return usage();
			}
			break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	nrev = argc - optind - 1;
	if (nrev < 0 || nrev > 2 || (signed_only && nrev > 1))
		return usage();
	if (sup_repo_open_ex(&r, NULL, SUP_REPO_NO_CASES) < 0 ||
	    sup_version_path(&path, r, argv[optind]) < 0) {
		rc = sup_perror("diff");
		goto out;
	}
	/* none: last commit -> working tree; one: rev -> working tree;
	 * two: rev -> rev; --signed: last fully signed -> rev or working tree */
	if (signed_only) {
		if (sup_version_signed(&from, r, path) < 0)
			goto fail;
	} else if (sup_version_at(&from, r, path, nrev ? argv[optind + 1] : "HEAD") < 0) {
		goto fail;
	}
	if (nrev == 2 || (signed_only && nrev == 1)) {
		if (sup_version_at(&to, r, path, argv[argc - 1]) < 0)
			goto fail;
	} else if (sup_version_worktree(&to, r, path) < 0) {
		goto fail;
	}
	sup_present_diff(&out, fmt, path, from.text, from.len, to.text, to.len,
			 from.label, to.label);
	rc = sup_page(sup_buf_cstr(&out), out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
	goto out;
fail:
	rc = sup_perror("diff");
out:
	sup_version_release(&from);
	sup_version_release(&to);
	sup_buf_release(&out);
	free(path);
	sup_repo_free(r);
	return rc;
}
