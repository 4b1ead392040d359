/* install: locating sup's own files (see install.h). */
#include "install.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SUP_DATADIR
#define SUP_DATADIR "/usr/local/share/sup"
#endif

static char self_dir[4096];
static char source_dir[4096];
static int looked;

static void S_look(void)
{
	ssize_t n;
	char *slash, *marker;
	struct sup_buf b = SUP_BUF_INIT;

	if (looked)
		return;
	looked = 1;
	n = readlink("/proc/self/exe", self_dir, sizeof(self_dir) - 1);
	if (n <= 0) {
		strcpy(self_dir, ".");
		return;
	}
	self_dir[n] = '\0';
	slash = strrchr(self_dir, '/');
	if (slash)
		*slash = '\0';
	marker = sup_xasprintf("%s/.sup-build-tree", self_dir);
	if (sup_read_file(&b, marker, 8192) == 0 && b.len) {
		while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == '\r'))
			b.ptr[--b.len] = '\0';
		snprintf(source_dir, sizeof(source_dir), "%s", b.ptr);
	}
	sup_error_clear();
	sup_buf_release(&b);
	free(marker);
}

const char *sup_self_dir(void)
{
	S_look();
	return self_dir;
}

const char *sup_source_dir(void)
{
	S_look();
	return source_dir[0] ? source_dir : NULL;
}

char *sup_template_path(const char *name)
{
	const char *env = getenv("SUP_TEMPLATE_DIR");

	if (env && *env)
		return sup_xasprintf("%s/%s", env, name);
	if (sup_source_dir())
		return sup_xasprintf("%s/templates/%s", sup_source_dir(), name);
	return sup_xasprintf("%s/%s", SUP_DATADIR, name);
}

char *sup_man_source(const char *page)
{
	if (!sup_source_dir())
		return NULL;
	return sup_xasprintf("%s/man/%s", sup_source_dir(), page);
}

#include <dirent.h>
#include <sys/stat.h>

#ifndef SUP_LIBEXECDIR
#define SUP_LIBEXECDIR "/usr/local/libexec/sup"
#endif

const char *sup_default_exec_path(void)
{
	return sup_source_dir() ? sup_self_dir() : SUP_LIBEXECDIR;
}

/* The directories to search, in order; PATH entries last.  Caller frees
 * each and the list. */
static char **S_dirs(size_t *n, const char *exec_path)
{
	char **v = sup_xcalloc(8, sizeof(*v));
	const char *env = getenv("SUP_EXEC_PATH");
	const char *path = getenv("PATH");
	size_t k = 0;

	if (exec_path && *exec_path)
		v[k++] = sup_xstrdup(exec_path);
	if (env && *env)
		v[k++] = sup_xstrdup(env);
	if (sup_source_dir())
		v[k++] = sup_xstrdup(sup_self_dir());
	v[k++] = sup_xstrdup(SUP_LIBEXECDIR);
	v[k++] = sup_xstrdup(sup_self_dir());
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		v = sup_xrealloc(v, (k + 1) * sizeof(*v));
		v[k++] = len ? sup_xstrndup(path, len) : sup_xstrdup(".");
		path = colon ? colon + 1 : NULL;
	}
	*n = k;
	return v;
}

static void S_free_dirs(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int S_valid_name(const char *name)
{
	size_t i;

	if (!*name || strlen(name) > 64)
		return 0;
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return 0;
	return 1;
}

int sup_find_command(char **out, const char *exec_path, const char *name)
{
	size_t n, i;
	char **dirs;

	*out = NULL;
	if (!S_valid_name(name))
		return sup_error_set(SUP_EUSAGE,
				     "'%s' is not a sup command (command names are lowercase letters, digits and '-')",
				     name);
	dirs = S_dirs(&n, exec_path);
	for (i = 0; i < n; i++) {
		char *p = sup_xasprintf("%s/sup-%s", dirs[i], name);
		struct stat st;

		/* as git does: an executable regular file, not a directory */
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0) {
			*out = p;
			break;
		}
		free(p);
	}
	S_free_dirs(dirs, n);
	return *out ? 0 : sup_error_set(SUP_ENOTFOUND, "'%s' is not a sup command", name);
}

static int S_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sup_list_commands(char ***out, size_t *n, const char *exec_path)
{
	size_t nd, i, k = 0, j;
	char **dirs = S_dirs(&nd, exec_path), **v = NULL;

	for (i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;
		struct stat st;

		if (!d)
			continue;
		while ((de = readdir(d)) != NULL) {
			char *p;

			if (strncmp(de->d_name, "sup-", 4) || !S_valid_name(de->d_name + 4))
				continue;
			p = sup_xasprintf("%s/%s", dirs[i], de->d_name);
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0) {
				v = sup_xrealloc(v, (k + 1) * sizeof(*v));
				v[k++] = sup_xstrdup(de->d_name + 4);
			}
			free(p);
		}
		closedir(d);
	}
	S_free_dirs(dirs, nd);
	sup_qsort(v, k, sizeof(*v), S_strcmp);
	for (i = j = 0; i < k; i++) {
		if (j && !strcmp(v[j - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[j++] = v[i];
	}
	*out = v;
	*n = j;
	return 0;
}
