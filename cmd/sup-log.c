/* sup-log: the history of the repository, or of one record. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "output.h"
#include "present.h"

static const char usage_str[] =
	"usage: sup log [--since date] [--until date] [--person id] [--format text|json|csv] [-p] [id]";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

static int S_day(time_t *out, const char *arg, const char *opt, int end)
{
	sup_date d;

	if (sup_date_parse(&d, arg) < 0) {
		sup_warn("log", "%s: %s", opt, sup_error_last());
		return -1;
	}
	*out = (time_t)d * 86400 + (end ? 86399 : 0);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "person", required_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' },
		{ "patch", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_format fmt = SUP_FORMAT_TEXT;
	struct sup_log_opts o;
	struct sup_repo *r = NULL;
	struct sup_log_entry *e = NULL;
	struct sup_buf out = SUP_BUF_INIT;
	size_t n = 0;
	int patch = 0, c, rc = SUP_EXIT_FAIL;

	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "ph", opts, NULL)) != -1) {
		switch (c) {
		case 's': if (S_day(&o.since, optarg, "--since", 0)) return usage(); break;
		case 'u': if (S_day(&o.until, optarg, "--until", 1)) return usage(); break;
		case 'P': o.person = optarg; break;
		case 'f':
			if (sup_format_parse(&fmt, optarg) < 0) {
				sup_perror("log");
				return usage();
			}
			break;
		case 'p': patch = 1; break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (argc - optind > 1)
		return usage();
	if (optind < argc)
		o.id = argv[optind];
	if (sup_repo_open_ex(&r, NULL, SUP_REPO_NO_CASES) < 0 || sup_log_collect(&e, &n, r, &o) < 0) {
		rc = sup_perror("log");
		goto out;
	}
	sup_present_log(&out, r, e, n, fmt, patch, sup_use_colour(stdout));
	rc = sup_page(sup_buf_cstr(&out), out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
out:
	sup_log_free(e, n);
	sup_buf_release(&out);
	sup_repo_free(r);
	return rc;
}
