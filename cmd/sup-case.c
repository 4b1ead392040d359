/* sup-case: the case register. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "present.h"

static const char usage_str[] =
	"usage: sup case open ref --worker id [--opened date] [--child-protection]\n"
	"       sup case close ref [--closed date]\n"
	"       sup case set ref [--worker id] [--opened date] [--child-protection | --no-child-protection]\n"
	"       sup case list [--all] [--worker id] [--format text|json|csv]\n"
	"       sup case import file.csv";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

static int S_date(sup_date *out, const char *arg, const char *opt)
{
	if (sup_date_parse(out, arg) < 0) {
		sup_warn("case", "%s: %s", opt, sup_error_last());
		return -1;
	}
	return 0;
}

static int S_write(struct sup_repo *r, int argc, char **argv, const char *sub)
{
	static const struct option opts[] = {
		{ "worker", required_argument, NULL, 'w' },
		{ "opened", required_argument, NULL, 'o' },
		{ "closed", required_argument, NULL, 'c' },
		{ "child-protection", no_argument, NULL, 'p' },
		{ "no-child-protection", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	const struct sup_staff *me;
	const struct sup_case *old;
	struct sup_case c;
	const char *ref;
	char *subject;
	int ch, rc;

	if (argc < 2 || argv[1][0] == '-')
		return usage();
	ref = argv[1];
	if (!sup_valid_caseref(ref)) {
		sup_warn("case", "'%s' is not a valid case reference (letters, digits, '.', '_' and '-'; no '/' or '..')", ref);
		return SUP_EXIT_FAIL;
	}
	if (sup_repo_whoami(&me, r) < 0)
		return sup_perror("case");
	old = sup_register_case(&r->reg, ref);
	if (!strcmp(sub, "open") && old) {
		sup_warn("case", "case %s is already in the register (use 'sup case set')", ref);
		return SUP_EXIT_FINDINGS;
	}
	if (strcmp(sub, "open") && !old) {
		sup_warn("case", "no case '%s' in the register", ref);
		return SUP_EXIT_FAIL;
	}
	memset(&c, 0, sizeof(c));
	if (old) {
		c = *old;
		c.ref = sup_xstrdup(old->ref);
		c.worker = sup_xstrdup(old->worker);
	} else {
		c.ref = sup_xstrdup(ref);
		c.opened = sup_date_today();
		c.closed = SUP_DATE_NONE;
	}
	if (!strcmp(sub, "close"))
		c.closed = sup_date_today();
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			free(c.worker);
			c.worker = sup_xstrdup(optarg);
			break;
		case 'o':
			if (S_date(&c.opened, optarg, "--opened"))
				goto bad;
			break;
		case 'c':
			if (strcmp(sub, "close") || S_date(&c.closed, optarg, "--closed"))
				goto bad;
			break;
		case 'p': c.child_protection = 1; break;
		case 'P': c.child_protection = 0; break;
		default: goto bad;
		}
	}
	if (optind != argc - 1 || !c.worker) {
		if (!c.worker)
			sup_warn("case", "--worker is needed: the allocated practitioner's staff id");
		goto bad;
	}
	if (c.closed != SUP_DATE_NONE && c.closed < c.opened) {
		sup_warn("case", "the closing date is before the case was opened");
		sup_case_release(&c);
		return SUP_EXIT_FINDINGS;
	}
	subject = sup_xasprintf("case %s %s", sub, ref);
	rc = sup_admin_put_cases(r, me, &c, 1, subject) < 0 ?
	     sup_perror("case") : SUP_EXIT_OK;
	free(subject);
	if (rc == SUP_EXIT_OK)
		printf("Case %s: %s.\n", ref, !strcmp(sub, "open") ? "opened" :
		       !strcmp(sub, "close") ? "closed" : "updated");
	return rc;
bad:
	sup_case_release(&c);
	return usage();
}

static int S_import(struct sup_repo *r, int argc, char **argv)
{
	const struct sup_staff *me;
	struct sup_buf text = SUP_BUF_INIT;
	struct sup_case *cases = NULL;
	size_t n = 0, i, added = 0;
	char *subject;
	int rc;

	if (argc != 2)
		return usage();
	if (sup_repo_whoami(&me, r) < 0)
		return sup_perror("case");
	if (sup_read_file(&text, argv[1], 64 * 1024 * 1024) < 0) {
		sup_buf_release(&text);
		return sup_perror("case");
	}
	if (sup_case_csv_parse(&cases, &n, text.ptr, text.len, argv[1]) < 0) {
		sup_buf_release(&text);
		return sup_perror("case");
	}
	sup_buf_release(&text);
	if (sup_case_csv_check(&r->reg, cases, n, argv[1]) < 0) {
		for (i = 0; i < n; i++)
			sup_case_release(&cases[i]);
		free(cases);
		return sup_perror("case");
	}
	if (!n) {
		free(cases);
		sup_warn("case", "%s: no cases in the file", argv[1]);
		return SUP_EXIT_FINDINGS;
	}
	for (i = 0; i < n; i++)
		if (!sup_register_case(&r->reg, cases[i].ref))
			added++;
	subject = sup_xasprintf("case import %zu cases", n);
	rc = sup_admin_put_cases(r, me, cases, n, subject) < 0 ?
	     sup_perror("case") : SUP_EXIT_OK;
	free(subject);
	free(cases);
	if (rc == SUP_EXIT_OK)
		printf("Imported %zu cases (%zu new, %zu updated).\n", n, added, n - added);
	return rc;
}

static int S_list(struct sup_repo *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "worker", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_format fmt = SUP_FORMAT_TEXT;
	struct sup_buf out = SUP_BUF_INIT;
	const char *worker = NULL;
	int all = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			all = 1;
		else if (c == 'w')
			worker = optarg;
		else if (!(c == 'f' && sup_format_parse(&fmt, optarg) == 0))
			return usage();
	}
	if (optind != argc)
		return usage();
	sup_present_cases(&out, &r->reg, fmt, all, worker);
	rc = sup_page(sup_buf_cstr(&out), out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
	sup_buf_release(&out);
	return rc;
}

int main(int argc, char **argv)
{
	struct sup_repo *r = NULL;
	const char *sub;
	int rc;

	if (argc < 2)
		return usage();
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		printf("%s\n", usage_str);
		return SUP_EXIT_OK;
	}
	if (strcmp(sub, "open") && strcmp(sub, "close") && strcmp(sub, "set") &&
	    strcmp(sub, "list") && strcmp(sub, "import")) {
		sup_warn("case", "unknown subcommand '%s'", sub);
		return usage();
	}
	if (sup_repo_open(&r, NULL) < 0)
		return sup_perror("case");
	if (!strcmp(sub, "list"))
		rc = S_list(r, argc - 1, argv + 1);
	else if (!strcmp(sub, "import"))
		rc = S_import(r, argc - 1, argv + 1);
	else
		rc = S_write(r, argc - 1, argv + 1, sub);
	sup_repo_free(r);
	return rc;
}
