/* sup: run a sup command (sup-NAME) from the exec path, as git does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "install.h"
#include "util.h"

static const char usage_str[] =
	"usage: sup [-C dir] [--exec-path[=dir]] [--version] [--help] command [args]";

/* One line about each command shipped with sup, for `sup help`. */
static const struct {
	const char *name, *what;
} known[] = {
	{ "audit", "find overdue supervision, late or unsigned records, gaps" },
	{ "case", "open, close and list cases; import a caseload" },
	{ "diff", "show what changed in a record, field by field" },
	{ "due", "when each person's next supervision is due" },
	{ "edit", "edit a record, or amend a signed one" },
	{ "init", "make a new records repository" },
	{ "list", "list records" },
	{ "log", "the history of the repository or of one record" },
	{ "new", "write a new record: session, group, oversight, contract, handover" },
	{ "show", "show a record with its sign-offs" },
	{ "sign", "sign off a record, or dispute it" },
	{ "staff", "the staff register: people, roles, supervisors, keys" },
	{ "verify", "check pushed history (server hook)" },
};

static void usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	exit(SUP_EXIT_FAIL);
}

static const char *S_about(const char *name)
{
	size_t i;

	for (i = 0; i < SUP_ARRAY_SIZE(known); i++)
		if (!strcmp(known[i].name, name))
			return known[i].what;
	return "(extension)";
}

static int S_list(const char *exec_path)
{
	char **names;
	size_t n, i;

	sup_list_commands(&names, &n, exec_path);
	printf("%s\n\nsup commands:\n", usage_str);
	for (i = 0; i < n; i++) {
		printf("  %-8s %s\n", names[i], S_about(names[i]));
		free(names[i]);
	}
	free(names);
	printf("\n'sup help COMMAND' shows a command's manual; 'sup help record' and\n"
	       "'sup help policy' the file formats.\n");
	return SUP_EXIT_OK;
}

/* Open a manual page: from the source tree when running uninstalled. */
static int S_man(const char *topic)
{
	char page[96];
	char *src;
	const char *section = "1";

	if (!strcmp(topic, "record") || !strcmp(topic, "policy")) {
		snprintf(page, sizeof(page), "sup-%s.5", topic);
		section = "5";
	} else if (!strcmp(topic, "sup")) {
		snprintf(page, sizeof(page), "sup.1");
	} else {
		snprintf(page, sizeof(page), "sup-%s.1", topic);
	}
	src = sup_man_source(page);
	fflush(stdout);
	if (src && access(src, R_OK) == 0) {
		execlp("man", "man", "-l", src, (char *)NULL);
		/* no man(1): mandoc can format it too */
		execlp("mandoc", "mandoc", src, (char *)NULL);
		fprintf(stderr, "sup help: cannot run man or mandoc to show %s\n", src);
		return SUP_EXIT_FAIL;
	}
	free(src);
	page[strlen(page) - 2] = '\0';
	execlp("man", "man", section, page, (char *)NULL);
	fprintf(stderr, "sup help: cannot run man: %s\n", strerror(errno));
	return SUP_EXIT_FAIL;
}

static void S_suggest(const char *name, const char *exec_path)
{
	char **names;
	size_t n, i, best = 3;
	const char *near = NULL;

	sup_list_commands(&names, &n, exec_path);
	for (i = 0; i < n; i++) {
		size_t d = sup_edit_distance(name, names[i]);

		if (d < best || (d <= 1 && sup_starts_with(names[i], name))) {
			best = d;
			near = names[i];
		}
	}
	if (near)
		fprintf(stderr, "\nThe most similar command is\n\t%s\n", near);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int main(int argc, char **argv)
{
	const char *exec_path = NULL;
	char *prog = NULL;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-C")) {
			if (++i >= argc)
				usage();
			if (chdir(argv[i]) < 0) {
				fprintf(stderr, "sup: cannot change to '%s': %s\n",
					argv[i], strerror(errno));
				return SUP_EXIT_FAIL;
			}
		} else if (!strcmp(a, "--exec-path")) {
			printf("%s\n", sup_default_exec_path());
			return SUP_EXIT_OK;
		} else if (sup_starts_with(a, "--exec-path=")) {
			exec_path = a + strlen("--exec-path=");
		} else if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
			printf("sup version %s\n", SUP_VERSION);
			return SUP_EXIT_OK;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return S_list(exec_path);
		} else {
			fprintf(stderr, "sup: unknown option '%s'\n", a);
			usage();
		}
	}
	if (i >= argc)
		return S_list(exec_path);
	if (!strcmp(argv[i], "help")) {
		if (i + 1 >= argc)
			return S_list(exec_path);
		return S_man(argv[i + 1]);
	}
	if (exec_path)
		setenv("SUP_EXEC_PATH", exec_path, 1);
	if (sup_find_command(&prog, exec_path, argv[i]) < 0) {
		fprintf(stderr, "sup: %s. See 'sup help'.\n", sup_error_last());
		if (sup_error_code() == SUP_ENOTFOUND)
			S_suggest(argv[i], exec_path);
		return SUP_EXIT_FAIL;
	}
	argv[i] = prog;
	execv(prog, argv + i);
	fprintf(stderr, "sup: cannot run '%s': %s\n", prog, strerror(errno));
	return SUP_EXIT_FAIL;
}
