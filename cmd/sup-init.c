/* sup-init: make a new records repository with its first admin. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"

static const char usage_str[] =
	"usage: sup init [dir] --org name --admin id --name name --email email --key pubkey [--role role]";

static int usage(void)
{
	fprintf(stderr, "%s\n", usage_str);
	return SUP_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "admin", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "key", required_argument, NULL, 'k' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sup_init_opts o;
	int c;

	memset(&o, 0, sizeof(o));
	o.dir = ".";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o.org = optarg; break;
		case 'a': o.admin_id = optarg; break;
		case 'n': o.name = optarg; break;
		case 'e': o.email = optarg; break;
		case 'k': o.key = optarg; break;
		case 'r': o.role = optarg; break;
		case 'h': printf("%s\n", usage_str); return SUP_EXIT_OK;
		default: return usage();
		}
	}
	if (optind < argc)
		o.dir = argv[optind++];
	if (optind < argc)
		return usage();
	if (!o.org || !o.admin_id || !o.name || !o.email || !o.key) {
		sup_warn("init", "--org, --admin, --name, --email and --key are all needed");
		return usage();
	}
	o.today = sup_date_today();
	if (sup_admin_init(&o) < 0)
		return sup_perror("init");
	printf("Initialised sup repository for %s in %s, with %s as its first admin.\n",
	       o.org, o.dir, o.admin_id);
	return SUP_EXIT_OK;
}
