/*
 * run: run another program (ssh-keygen, gpg, the editor, the pager)
 * without a shell, feeding it input and collecting its output.
 */
#ifndef SUP_RUN_H
#define SUP_RUN_H

#include <stddef.h>

#include "util.h"

/*
 * Run argv[0] (searched in PATH) with argv.  in/inlen go to its standard
 * input (NULL: /dev/null); its standard output and error are appended to
 * out and err when they are not NULL (else discarded).  *status receives
 * the exit status, or 128+signal.  Returns 0 when the program ran (whatever
 * its status), SUP_ERROR when it could not be started, with a message
 * naming it.
 */
int sup_run(int *status, const char *const *argv, const char *in, size_t inlen,
	    struct sup_buf *out, struct sup_buf *err);

/* Run a command line through "sh -c" with the terminal as it is (for the
 * editor and pager); extra arguments are passed as "$@". */
int sup_run_shell(int *status, const char *cmdline, const char *const *args);

/* Make a private temporary directory under $TMPDIR (or /tmp); caller frees
 * the path and removes the directory with sup_rmtree(). */
int sup_mkdtemp(char **out, const char *prefix);
/* Remove a directory tree (no symlinks followed). */
int sup_rmtree(const char *path);

#endif
