/* sup-staff: the staff register. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "present.h"

static const char usage_str[] =
	"usage: sup staff add id --name name --role role [--email email] [--supervisor id]\n"
	"                 [--started date] [--phase-start date] [--trained date]\n"
	"                 [--admin] [--auditor] [--key pubkey]...\n"
	"       sup staff set id [--name name] [--role role] [--email email] [--supervisor id]\n"
	"                 [--started date] [--phase-start date] [--left date] [--trained date]\n"
	"                 [--admin | --no-admin] [--auditor | --no-auditor]\n"
	"       sup staff list [--all] [--format text|json|csv]\n"
	"       sup staff show id\n"
	"       sup staff key add id pubkey\n"
	"       sup staff key remove id key|fingerprint|comment\n"
	"       sup staff absence id --from date --to date [--reason text]\n"
	"       sup staff allowed-signers";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

static int S_date(sup_date *out, const char *arg, const char *opt)
{
	if (sup_date_parse(out, arg) < 0) {
		sup_warn("staff", "%s: %s", opt, sup_error_last());
		return -1;
	}
	return 0;
}

static void S_replace(char **field, const char *v)
{
	free(*field);
	*field = v && *v ? sup_xstrdup(v) : NULL;
}

/* Options of add and set, applied to st.  Returns 0, or an exit status. */
static int S_apply(struct sup_staff *st, int argc, char **argv, int adding)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "role", required_argument, NULL, 'r' },
		{ "supervisor", required_argument, NULL, 's' },
		{ "no-supervisor", no_argument, NULL, 'S' },
		{ "started", required_argument, NULL, 't' },
		{ "phase-start", required_argument, NULL, 'p' },
		{ "left", required_argument, NULL, 'l' },
		{ "trained", required_argument, NULL, 'T' },
		{ "admin", no_argument, NULL, 'A' },
		{ "no-admin", no_argument, NULL, 'a' },
		{ "auditor", no_argument, NULL, 'U' },
		{ "no-auditor", no_argument, NULL, 'u' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	char *key;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': S_replace(&st->name, optarg); break;
		case 'e': S_replace(&st->email, optarg); break;
		case 'r': S_replace(&st->role, optarg); break;
		case 's': S_replace(&st->supervisor, optarg); break;
		case 'S': S_replace(&st->supervisor, NULL); break;
		case 't': if (S_date(&st->started, optarg, "--started")) return usage(); break;
		case 'p': if (S_date(&st->phase_start, optarg, "--phase-start")) return usage(); break;
		case 'l': if (S_date(&st->left, optarg, "--left")) return usage(); break;
		case 'T': if (S_date(&st->supervisor_trained, optarg, "--trained")) return usage(); break;
		case 'A': st->admin = 1; break;
		case 'a': st->admin = 0; break;
		case 'U': st->auditor = 1; break;
		case 'u': st->auditor = 0; break;
		case 'k':
			if (!adding) {
				sup_warn("staff", "use 'sup staff key add' to add a key");
				return usage();
			}
			if (sup_admin_read_key(&key, optarg) < 0)
				return sup_perror("staff");
			sup_staff_add_key(st, key);
			free(key);
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	if (!st->name || !st->role) {
		sup_warn("staff", "--name and --role are needed");
		return usage();
	}
	return 0;
}

static int S_add_or_set(struct sup_repo *r, const struct sup_staff *me,
			int argc, char **argv, int adding)
{
	const struct sup_staff *old;
	struct sup_staff st;
	const char *id;
	int rc;

	if (argc < 2)
		return usage();
	/* the id comes first: sup staff add ID [options] */
	id = argv[1];
	if (!sup_valid_id(id)) {
		sup_warn("staff", "'%s' is not a valid staff id (lowercase letters, digits and '-', e.g. jsmith)", id);
		return SUP_EXIT_FAIL;
	}
	old = sup_register_staff(&r->reg, id);
	if (adding && old) {
		sup_warn("staff", "'%s' is already in the register (use 'sup staff set')", id);
		return SUP_EXIT_FINDINGS;
	}
	if (!adding && !old) {
		const char *near = sup_register_suggest(&r->reg, id);

		sup_warn("staff", "no staff member '%s'%s%s%s", id,
			 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		return SUP_EXIT_FAIL;
	}
	if (old) {
		sup_staff_copy(&st, old);
	} else {
		memset(&st, 0, sizeof(st));
		st.id = sup_xstrdup(id);
		st.started = sup_date_today();
		st.phase_start = st.left = st.supervisor_trained = SUP_DATE_NONE;
	}
	if ((rc = S_apply(&st, argc, argv, adding)) != 0) {
		sup_staff_release(&st);
		return rc;
	}
	if (sup_admin_put_staff(r, me, &st, adding ? "staff add" : "staff set") < 0)
		return sup_perror("staff");
	printf("%s %s.\n", adding ? "Added" : "Updated", id);
	return SUP_EXIT_OK;
}

static int S_list(struct sup_repo *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum sup_format fmt = SUP_FORMAT_TEXT;
	struct sup_buf out = SUP_BUF_INIT;
	int all = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			all = 1;
		else if (c == 'f' && sup_format_parse(&fmt, optarg) == 0)
			;
		else
			return usage();
	}
	if (optind != argc)
		return usage();
	sup_present_staff(&out, &r->reg, fmt, all, sup_date_today());
	rc = sup_page(out.ptr ? out.ptr : "", out.len) < 0 ? SUP_EXIT_FAIL : SUP_EXIT_OK;
	sup_buf_release(&out);
	return rc;
}

static int S_show(struct sup_repo *r, int argc, char **argv)
{
	const struct sup_staff *st;
	struct sup_buf out = SUP_BUF_INIT;
	size_t i;

	if (argc != 2)
		return usage();
	if (!(st = sup_register_staff(&r->reg, argv[1]))) {
		sup_warn("staff", "no staff member '%s'", argv[1]);
		return SUP_EXIT_FAIL;
	}
	sup_staff_emit(&out, st);
	sup_buf_puts(&out, "# key fingerprints:\n");
	for (i = 0; i < st->nkeys; i++) {
		char *d = sup_key_describe(st->keys[i]);

		sup_buf_printf(&out, "#   %s\n", d);
		free(d);
	}
	fwrite(out.ptr, 1, out.len, stdout);
	sup_buf_release(&out);
	return SUP_EXIT_OK;
}

/* key add|remove, absence: change one person. */
static int S_change(struct sup_repo *r, const struct sup_staff *me, int argc,
		    char **argv)
{
	const struct sup_staff *old;
	struct sup_staff st;
	const char *verb;
	char *key = NULL;
	int error;

	if (!strcmp(argv[0], "key")) {
		if (argc != 4 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove")))
			return usage();
		verb = !strcmp(argv[1], "add") ? "staff key add" : "staff key remove";
		old = sup_register_staff(&r->reg, argv[2]);
	} else {
		if (argc < 2)
			return usage();
		verb = "staff absence";
		old = sup_register_staff(&r->reg, argv[1]);
	}
	if (!old) {
		sup_warn("staff", "no staff member '%s'", !strcmp(argv[0], "key") ? argv[2] : argv[1]);
		return SUP_EXIT_FAIL;
	}
	sup_staff_copy(&st, old);
	if (!strcmp(verb, "staff key add")) {
		error = sup_admin_read_key(&key, argv[3]);
		if (!error)
			error = sup_staff_add_key(&st, key);
		free(key);
	} else if (!strcmp(verb, "staff key remove")) {
		error = sup_staff_remove_key(&st, argv[3]);
	} else {
		static const struct option opts[] = {
			{ "from", required_argument, NULL, 'f' },
			{ "to", required_argument, NULL, 't' },
			{ "reason", required_argument, NULL, 'r' },
			{ NULL, 0, NULL, 0 }
		};
		sup_date from = SUP_DATE_NONE, to = SUP_DATE_NONE;
		const char *reason = NULL;
		int c;

		optind = 2;
		while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
			if ((c == 'f' && S_date(&from, optarg, "--from") == 0) ||
			    (c == 't' && S_date(&to, optarg, "--to") == 0))
				continue;
			if (c == 'r') {
				reason = optarg;
				continue;
			}
			sup_staff_release(&st);
			return usage();
		}
		if (from == SUP_DATE_NONE || to == SUP_DATE_NONE || optind != argc) {
			sup_staff_release(&st);
			return usage();
		}
		error = sup_staff_add_absence(&st, from, to, reason);
	}
	if (error < 0) {
		sup_staff_release(&st);
		return sup_perror("staff");
	}
	if (sup_admin_put_staff(r, me, &st, verb) < 0)
		return sup_perror("staff");
	printf("Updated %s.\n", old->id);
	return SUP_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct sup_repo *r = NULL;
	const struct sup_staff *me = NULL;
	const char *sub;
	int rc;

	if (argc < 2)
		return usage();
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		printf("%s\n", usage_str);
		return SUP_EXIT_OK;
	}
	if (strcmp(sub, "add") && strcmp(sub, "set") && strcmp(sub, "list") &&
	    strcmp(sub, "show") && strcmp(sub, "key") && strcmp(sub, "absence") &&
	    strcmp(sub, "allowed-signers")) {
		sup_warn("staff", "unknown subcommand '%s'", sub);
		return usage();
	}
	if (sup_repo_open(&r, NULL) < 0)
		return sup_perror("staff");
	argc--;
	argv++;
	if (!strcmp(sub, "list")) {
		rc = S_list(r, argc, argv);
	} else if (!strcmp(sub, "show")) {
		rc = S_show(r, argc, argv);
	} else if (!strcmp(sub, "allowed-signers")) {
		struct sup_buf out = SUP_BUF_INIT;

		if (argc != 1) {
			rc = usage();
		} else {
			sup_allowed_signers(&out, &r->reg);
			fwrite(sup_buf_cstr(&out), 1, out.len, stdout);
			rc = SUP_EXIT_OK;
		}
		sup_buf_release(&out);
	} else if (sup_repo_whoami(&me, r) < 0) {
		rc = sup_perror("staff");
	} else if (!strcmp(sub, "add") || !strcmp(sub, "set")) {
		rc = S_add_or_set(r, me, argc, argv, !strcmp(sub, "add"));
	} else {
		rc = S_change(r, me, argc, argv);
	}
	sup_repo_free(r);
	return rc;
}
