/* sup-list: list records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parties.h"
#include "present.h"
#include "records.h"
#include "repo.h"

static const char usage_str[] =
	"usage: sup list [--type type] [--supervisee id] [--supervisor id] [--mine]\n"
	"                [--since date] [--until date] [--unsigned] [--format text|json|csv]";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

static int S_date(sup_date *out, const char *arg, const char *opt)
{
	if (sup_date_parse(out, arg) < 0) {
		sup_warn("list", "%s: %s", opt, sup_error_last());
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "supervisee", required_argument, NULL, 'e' },
		{ "supervisor", required_argument, NULL, 'r' },
		{ "mine", no_argument, NULL, 'm' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "unsigned", no_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sup_list_filter f;
	struct sup_record_want want;
	enum sup_format fmt = SUP_FORMAT_TEXT;
	enum sup_record_type t;
	struct sup_repo *r = NULL;
	struct sup_records rs;
	struct sup_record **recs = NULL, **keep = NULL;
	struct sup_buf out = SUP_BUF_INIT;
	size_t n = 0, nk = 0, i;
	int mine = 0, c, rc = SUP_EXIT_FAIL;

	memset(&f, 0, sizeof(f));
	memset(&rs, 0, sizeof(rs));
	f.since = f.until = SUP_DATE_NONE;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (sup_record_type_parse(&t, optarg) < 0) {
				sup_perror("list");
				return usage();
			}
			f.type = optarg;
			break;
		case 'e': f.supervisee = optarg; break;
		case 'r': f.supervisor = optarg; break;
		case 'm': mine = 1; break;
		case 's': if (S_date(&f.since, optarg, "--since")) return usage(); break;
		case 'u': if (S_date(&f.until, optarg, "--until")) return usage(); break;
		case 'U': f.unsigned_only = 1; break;
		case 'f':
			if (sup_format_parse(&fmt, optarg) < 0) {
				sup_perror("list");
				return usage();
			}
			break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (sup_repo_open_ex(&r, NULL, SUP_REPO_NO_CASES) < 0) {
		rc = sup_perror("list");
		goto out;
	}
	if (mine) {
		const struct sup_staff *me;

		if (sup_repo_whoami(&me, r) < 0) {
			rc = sup_perror("list");
			goto out;
		}
		f.party = me->id;
	}
	sup_list_want(&want, &f);
	/* about one person: only their records are indexed (see parties.h) */
	if ((want.person ? sup_records_of(&rs, r->store, &r->head, want.person) :
			   sup_records_index(&rs, r->store, &r->head)) < 0 ||
	    sup_records_load_some(&recs, &n, &rs, &want) < 0) {
		rc = sup_perror("list");
		goto out;
	}
	/* records that do not parse are listed on stderr, not dropped silently */
	for (i = 0; i < sup_diag_count(); i++)
		fprintf(stderr, "sup list: warning: %s\n", sup_diag_get(i));
	sup_diag_clear();
	keep = sup_xcalloc(n ? n : 1, sizeof(*keep));
	for (i = 0; i < n; i++)
		if (sup_record_matches(recs[i], &f))
			keep[nk++] = recs[i];
	sup_present_list(&out, keep, nk, fmt, sup_use_colour(stdout));
	rc = sup_page(sup_buf_cstr(&out), out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
out:
	free(keep);
	sup_records_free_all(recs, n);
	sup_records_release(&rs);
	sup_buf_release(&out);
	sup_repo_free(r);
	return rc;
}
