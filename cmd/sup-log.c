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
	size_t n = 0, i;
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
	{
		static const char *const head[] = { "date", "commit", "actor", "action",
			"record", "signature", "signer", "note" };
		struct sup_table t;
		struct sup_json j;
		size_t k;

		sup_table_init(&t, 7);
		sup_json_init(&j, &out);
		if (fmt == SUP_FORMAT_TEXT && !patch && n) {
			static const char *const th[] = { "date", "commit", "actor",
				"action", "record", "signature", "note" };

			sup_table_add(&t, th, NULL);
		}
		if (fmt == SUP_FORMAT_JSON)
			sup_json_begin_array(&j);
		else if (fmt == SUP_FORMAT_CSV)
			for (k = 0; k < 8; k++)
				sup_csv_field(&out, head[k], k == 7);
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
					sup_csv_field(&out, row[k], k == 7);
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
				sup_buf_printf(&out, "%s %.12s %s %s %s  signature %s%s%s\n",
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
					sup_present_diff(&out, SUP_FORMAT_TEXT, e[i].path,
							 e[i].has_parent_blob ? sup_buf_cstr(&a) : NULL, a.len,
							 e[i].has_blob ? sup_buf_cstr(&b) : NULL, b.len, la, lb);
					sup_buf_putc(&out, '\n');
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
			sup_table_write(&out, &t, sup_use_colour(stdout));
		}
		sup_table_release(&t);
	}
	rc = sup_page(sup_buf_cstr(&out), out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
out:
	sup_log_free(e, n);
	sup_buf_release(&out);
	sup_repo_free(r);
	return rc;
}
