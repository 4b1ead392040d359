/*
 * error: the last error message and a list of positioned diagnostics.
 *
 * lib functions return 0 or a negative SUP_E* code and leave a message here;
 * they never print.  Validation that finds several problems adds each one as
 * a diagnostic (file:line:column: message) so that the user sees them all at
 * once; sup_perror() prints the diagnostics if there are any, else the last
 * error.
 */
#ifndef SUP_ERROR_H
#define SUP_ERROR_H

#include <stddef.h>

enum {
	SUP_OK = 0,
	SUP_ERROR = -1,		/* could not run: I/O, git, no key (exit 2) */
	SUP_ENOTFOUND = -3,	/* no such record, person, file */
	SUP_EEXISTS = -4,	/* already there */
	SUP_EINVALID = -5,	/* input refused: bad YAML, failed check (exit 1) */
	SUP_EUSAGE = -6,	/* bad arguments (exit 2) */
	SUP_ELOCKED = -7,	/* a lock is held or the branch moved */
	SUP_EDENIED = -8,	/* not allowed: not an admin, not a party (exit 1) */
	SUP_ENOKEY = -9,	/* no signing key, or a key not in the register (exit 2) */
	SUP_EBADSIG = -10	/* a signature failed to verify (exit 1) */
};

/* Exit statuses of DESIGN.md section 4. */
enum { SUP_EXIT_OK = 0, SUP_EXIT_FINDINGS = 1, SUP_EXIT_FAIL = 2 };

#if defined(__GNUC__)
#define SUP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SUP_PRINTF(a, b)
#endif

/* Set the last error message; returns code so that callers can
 * `return sup_error_set(SUP_EINVALID, "...")`. */
int sup_error_set(int code, const char *fmt, ...) SUP_PRINTF(2, 3);

/* Set the last error with a position: "file:line:column: message".
 * line or column 0 leaves that part out. */
int sup_error_at(int code, const char *file, int line, int col,
		 const char *fmt, ...) SUP_PRINTF(5, 6);

/* The last error message, or "unknown error"; owned by the library. */
const char *sup_error_last(void);
int sup_error_code(void);
void sup_error_clear(void);

/* Add a positioned diagnostic; also becomes the last error.  Returns code. */
int sup_diag_add(int code, const char *file, int line, int col,
		 const char *fmt, ...) SUP_PRINTF(5, 6);
size_t sup_diag_count(void);
/* The i-th diagnostic as "file:line:col: message"; owned by the library. */
const char *sup_diag_get(size_t i);
void sup_diag_clear(void);

/* Print "sup CMD: message" to stderr for every diagnostic, or for the last
 * error when there are none; returns the exit status for the last code. */
int sup_perror(const char *cmd);

/* Print "sup CMD: message" for a formatted message (usage problems and the
 * like found in cmd/). */
void sup_warn(const char *cmd, const char *fmt, ...) SUP_PRINTF(2, 3);

/* The exit status of DESIGN.md section 4 for a SUP_E* code. */
int sup_exit_status(int code);

#endif
