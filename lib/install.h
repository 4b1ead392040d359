/*
 * install: where sup's own files are - the sup-* programs, templates and
 * man pages - whether it runs installed or from its build tree.
 *
 * A build tree is recognised by the file .sup-build-tree next to the
 * running program, which the Makefile writes with the source directory in
 * it; so `build/sup` finds `templates/` and `man/` of its source without
 * being installed.
 */
#ifndef SUP_INSTALL_H
#define SUP_INSTALL_H

/* The directory of the running executable; owned by the library. */
const char *sup_self_dir(void);
/* The source directory when running from a build tree, else NULL; owned
 * by the library. */
const char *sup_source_dir(void);
/* The path of a template (or the default sup.yaml): $SUP_TEMPLATE_DIR,
 * else the source's templates/, else the installed data directory.
 * Caller frees. */
char *sup_template_path(const char *name);
/* The path of a man page source in the build tree ("sup-init.1"), or NULL
 * when installed (man finds it); caller frees. */
char *sup_man_source(const char *page);

#endif

#ifndef SUP_INSTALL_H_COMMANDS
#define SUP_INSTALL_H_COMMANDS
#include <stddef.h>

/*
 * Find the program for a sup command ("new" -> ".../sup-new").  Searched,
 * in order: exec_path (--exec-path, may be NULL), $SUP_EXEC_PATH, then the
 * directory of the running sup when it is a build tree, the installed
 * libexec directory, the directory of the running sup, and last $PATH
 * (extensions, as git does).  name must be [a-z0-9-]+.  SUP_ENOTFOUND if
 * there is none.  Caller frees.
 */
int sup_find_command(char **out, const char *exec_path, const char *name);
/* The sup commands found in those places (without "sup-"), sorted and
 * unique; caller frees each and the list. */
int sup_list_commands(char ***out, size_t *n, const char *exec_path);
/* The directory sup-* programs are run from (for --exec-path). */
const char *sup_default_exec_path(void);
#endif
