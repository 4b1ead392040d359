/*
 * Unit tests for lib/sign: signing through the real ssh-keygen (a key
 * file, and a literal public key through an ssh-agent of the test's own),
 * what is said when there is no key or the program fails, and OpenPGP
 * signing and verification through the real gpg in a temporary GNUPGHOME.
 * The OpenPGP tests are skipped when gpg is not installed.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "sign.h"
#include "sshsig.h"
#include "util.h"

static const char S_data[] =
	"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
	"author Aisha Khan <akhan@example.org> 1767225600 +0000\n"
	"committer Aisha Khan <akhan@example.org> 1767225600 +0000\n"
	"\n"
	"sup: sign 2026-03-02-jsmith\n";

static char S_dir[] = "/tmp/sup-test-sign.XXXXXX";
static char *S_old_tmpdir, *S_old_home, *S_old_gnupghome, *S_old_sock;
static int S_have_gpg;
static pid_t S_agent_pid;
/* OpenPGP: two keys, each armored, and their fingerprints */
static char *S_pgp_t, *S_pgp_u, *S_fpr_t, *S_fpr_u;

/* ---- helpers ---- */

static int S_run(const char *fmt, ...) SUP_PRINTF(1, 2);
static int S_run(const char *fmt, ...)
{
	struct sup_buf cmd = SUP_BUF_INIT;
	va_list ap;
	int st;

	va_start(ap, fmt);
	sup_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	st = system(cmd.ptr);
	sup_buf_release(&cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static char *S_path(const char *name)
{
	return sup_xasprintf("%s/%s", S_dir, name);
}

/* The contents of S_dir/name, or NULL. */
static char *S_slurp(const char *name)
{
	struct sup_buf b = SUP_BUF_INIT;
	char *p = S_path(name);
	int rc = sup_read_file(&b, p, SUP_MAX_FILE);

	free(p);
	if (rc < 0) {
		sup_buf_release(&b);
		return NULL;
	}
	return sup_buf_detach(&b);
}

/* The file's first line, without its newline; caller frees. */
static char *S_line(const char *name)
{
	char *s = S_slurp(name);

	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

static void S_put_script(const char *name, const char *text)
{
	char *p = S_path(name);

	assert_int_equal(sup_write_file(p, text, strlen(text)), 0);
	assert_int_equal(chmod(p, 0755), 0);
	free(p);
}

static char *S_save(const char *name)
{
	const char *v = getenv(name);

	return v ? sup_xstrdup(v) : NULL;
}

static void S_restore(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/* Number of entries in directory S_dir/name (not counting . and ..). */
static int S_entries(const char *name)
{
	char *p = S_path(name);
	DIR *d = opendir(p);
	struct dirent *de;
	int n = 0;

	free(p);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Start an ssh-agent on a socket in S_dir holding the "agent" key. */
static int S_start_agent(void)
{
	char *out, *p;

	if (S_run("cd %s && ssh-agent -s -a %s/agent.sock > agent.env 2>/dev/null",
		  S_dir, S_dir) != 0)
		return -1;
	out = S_slurp("agent.env");
	if (!out)
		return -1;
	p = strstr(out, "SSH_AGENT_PID=");
	if (p)
		S_agent_pid = (pid_t)atol(p + strlen("SSH_AGENT_PID="));
	free(out);
	if (S_agent_pid <= 0)
		return -1;
	return S_run("SSH_AUTH_SOCK=%s/agent.sock ssh-add -q %s/agent 2>/dev/null",
		     S_dir, S_dir);
}

static int S_gpg_setup(void)
{
	if (S_run("mkdir -m 700 %s/gnupg && GNUPGHOME=%s/gnupg gpg --batch -q "
		  "--passphrase '' --quick-gen-key 'T <t@example.org>' ed25519 sign never "
		  ">/dev/null 2>&1", S_dir, S_dir) != 0 ||
	    S_run("GNUPGHOME=%s/gnupg gpg --batch -q --passphrase '' "
		  "--quick-gen-key 'U <u@example.org>' ed25519 sign never >/dev/null 2>&1",
		  S_dir) != 0 ||
	    S_run("GNUPGHOME=%s/gnupg gpg --batch --armor --export t@example.org > %s/t.asc",
		  S_dir, S_dir) != 0 ||
	    S_run("GNUPGHOME=%s/gnupg gpg --batch --armor --export u@example.org > %s/u.asc",
		  S_dir, S_dir) != 0 ||
	    S_run("GNUPGHOME=%s/gnupg gpg --batch --with-colons --list-keys t@example.org 2>/dev/null "
		  "| awk -F: '$1 == \"fpr\" { print $10; exit }' > %s/t.fpr", S_dir, S_dir) != 0 ||
	    S_run("GNUPGHOME=%s/gnupg gpg --batch --with-colons --list-keys u@example.org 2>/dev/null "
		  "| awk -F: '$1 == \"fpr\" { print $10; exit }' > %s/u.fpr", S_dir, S_dir) != 0)
		return -1;
	S_pgp_t = S_slurp("t.asc");
	S_pgp_u = S_slurp("u.asc");
	S_fpr_t = S_line("t.fpr");
	S_fpr_u = S_line("u.fpr");
	if (!S_pgp_t || !S_pgp_u || !S_fpr_t || !S_fpr_u ||
	    strlen(S_fpr_t) != 40 || strlen(S_fpr_u) != 40)
		return -1;
	return 0;
}

static int S_setup(void **state)
{
	char *tmp;

	(void)state;
	if (!mkdtemp(S_dir))
		return -1;
	S_old_tmpdir = S_save("TMPDIR");
	S_old_home = S_save("HOME");
	S_old_gnupghome = S_save("GNUPGHOME");
	S_old_sock = S_save("SSH_AUTH_SOCK");
	/* the library's own temporary files go here, to be counted */
	tmp = S_path("tmp");
	if (sup_mkdir_p(tmp) < 0)
		return -1;
	setenv("TMPDIR", tmp, 1);
	free(tmp);
	setenv("HOME", S_dir, 1);
	unsetenv("SSH_AUTH_SOCK");
	if (S_run("ssh-keygen -q -t ed25519 -N '' -C signer -f %s/signer </dev/null", S_dir) ||
	    S_run("ssh-keygen -q -t ecdsa -b 256 -N '' -C agent -f %s/agent </dev/null", S_dir) ||
	    S_start_agent() != 0)
		return -1;
	S_have_gpg = S_run("gpg --version >/dev/null 2>&1") == 0;
	if (S_have_gpg && S_gpg_setup() < 0)
		return -1;
	return 0;
}

static int S_teardown(void **state)
{
	int rc;

	(void)state;
	if (S_agent_pid > 0)
		kill(S_agent_pid, SIGTERM);
	if (S_have_gpg)
		S_run("GNUPGHOME=%s/gnupg gpgconf --kill gpg-agent >/dev/null 2>&1", S_dir);
	S_restore("TMPDIR", S_old_tmpdir);
	S_restore("HOME", S_old_home);
	S_restore("GNUPGHOME", S_old_gnupghome);
	S_restore("SSH_AUTH_SOCK", S_old_sock);
	free(S_old_tmpdir);
	free(S_old_home);
	free(S_old_gnupghome);
	free(S_old_sock);
	free(S_pgp_t);
	free(S_pgp_u);
	free(S_fpr_t);
	free(S_fpr_u);
	rc = S_run("rm -rf '%s'", S_dir);
	return rc == 0 ? 0 : -1;
}

static int S_clear(void **state)
{
	(void)state;
	sup_error_clear();
	unsetenv("SSH_AUTH_SOCK");
	unsetenv("GNUPGHOME");
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, S_clear, S_clear)

static void S_pub(struct sup_sshkey *out, const char *name)
{
	char *line = S_line(name);

	assert_non_null(line);
	assert_int_equal(sup_sshkey_parse(out, line), 0);
	free(line);
}

/* ---- SSH ---- */

static void test_ssh_sign_key_file(void **state)
{
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	struct sup_sshkey signer, pub;
	static const char other[] = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";

	(void)state;
	s.key = S_path("signer");
	sup_buf_puts(&sig, "");
	if (sup_sign(&sig, &s, S_data, strlen(S_data)) != 0)
		fail_msg("sign: %s", sup_error_last());
	assert_true(sup_starts_with(sig.ptr, "-----BEGIN SSH SIGNATURE-----\n"));
	assert_true(sup_ends_with(sig.ptr, "\n-----END SSH SIGNATURE-----\n"));
	assert_null(strchr(sig.ptr, '\r'));
	assert_int_equal(sup_sig_is_openpgp(sig.ptr, sig.len), 0);

	/* sup's verifier accepts it over the same data, made by that key */
	assert_int_equal(sup_sshsig_verify(&signer, sig.ptr, sig.len, S_data,
					   strlen(S_data), "git"), 0);
	S_pub(&pub, "signer.pub");
	assert_true(sup_sshkey_equal(&signer, &pub));
	sup_sshkey_release(&signer);
	sup_sshkey_release(&pub);

	/* and refuses it over anything else, or in another namespace */
	assert_int_equal(sup_sshsig_verify(NULL, sig.ptr, sig.len, other,
					   strlen(other), "git"), SUP_EBADSIG);
	assert_int_equal(sup_sshsig_verify(NULL, sig.ptr, sig.len, S_data,
					   strlen(S_data) - 1, "git"), SUP_EBADSIG);
	assert_int_equal(sup_sshsig_verify(NULL, sig.ptr, sig.len, S_data,
					   strlen(S_data), "file"), SUP_EBADSIG);

	/* nothing is left in the temporary directory */
	assert_int_equal(S_entries("tmp"), 0);
	sup_buf_release(&sig);
	free(s.key);
}

static void test_ssh_sign_appends(void **state)
{
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;

	(void)state;
	/* "~/" is the home directory, as git expands it */
	s.key = sup_xstrdup("~/signer");
	sup_buf_puts(&sig, "before\n");
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), 0);
	assert_true(sup_starts_with(sig.ptr, "before\n-----BEGIN SSH SIGNATURE-----\n"));
	assert_int_equal(sup_sshsig_verify(NULL, sig.ptr + 7, sig.len - 7, S_data,
					   strlen(S_data), "git"), 0);
	sup_buf_release(&sig);
	free(s.key);
}

static void test_ssh_sign_literal_key_agent(void **state)
{
	/* a literal public key: ssh-keygen -U signs with the agent's half */
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	struct sup_sshkey signer, pub;
	char *sock = S_path("agent.sock"), *line = S_line("agent.pub");

	(void)state;
	setenv("SSH_AUTH_SOCK", sock, 1);
	s.key = sup_xasprintf("key::%s", line);
	if (sup_sign(&sig, &s, S_data, strlen(S_data)) != 0)
		fail_msg("sign: %s", sup_error_last());
	assert_int_equal(sup_sshsig_verify(&signer, sig.ptr, sig.len, S_data,
					   strlen(S_data), "git"), 0);
	S_pub(&pub, "agent.pub");
	assert_true(sup_sshkey_equal(&signer, &pub));
	assert_string_equal(signer.type, "ecdsa-sha2-nistp256");
	sup_sshkey_release(&signer);
	sup_sshkey_release(&pub);
	sup_buf_truncate(&sig, 0);
	free(s.key);

	/* the same without the "key::" prefix */
	s.key = sup_xstrdup(line);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), 0);
	assert_int_equal(sup_sshsig_verify(NULL, sig.ptr, sig.len, S_data,
					   strlen(S_data), "git"), 0);
	sup_buf_truncate(&sig, 0);
	free(s.key);

	/* a key the agent does not hold: ssh-keygen's own words come back */
	s.key = S_line("signer.pub");
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_true(sup_starts_with(sup_error_last(),
				    "signing failed: ssh-keygen exited with status 255: "));
	assert_int_equal(sig.len, 0);
	assert_int_equal(S_entries("tmp"), 0);
	sup_buf_release(&sig);
	free(s.key);
	free(sock);
	free(line);
}

static void test_ssh_no_key(void **state)
{
	static const char want[] =
		"no signing key: gpg.format is ssh but user.signingkey is not set (git config user.signingkey ~/.ssh/id_ed25519.pub)";
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;

	(void)state;
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	assert_non_null(strstr(sup_error_last(), "user.signingkey"));
	s.key = (char *)"";
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	assert_int_equal(sig.len, 0);
}

static void test_ssh_key_unreadable(void **state)
{
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	char *want;

	(void)state;
	s.key = S_path("no-such-key");
	want = sup_xasprintf("no signing key: user.signingkey names '%s', which cannot be read",
			     s.key);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	assert_int_equal(S_entries("tmp"), 0);
	free(want);
	free(s.key);
	/* "~/" names it in the home directory */
	s.key = (char *)"~/missing.key";
	want = sup_xasprintf("no signing key: user.signingkey names '%s/missing.key', which cannot be read",
			     S_dir);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	free(want);
	assert_int_equal(sig.len, 0);
}

static void test_ssh_program_fails(void **state)
{
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	char *want;

	(void)state;
	S_put_script("failing-keygen",
		     "#!/bin/sh\n"
		     "echo 'agent refused operation: the card was removed' >&2\n"
		     "exit 1\n");
	s.key = S_path("signer");
	s.program = S_path("failing-keygen");
	want = sup_xasprintf("signing failed: %s exited with status 1: agent refused operation: the card was removed",
			     s.program);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	assert_non_null(strstr(sup_error_last(), "the card was removed"));
	assert_int_equal(sig.len, 0);
	assert_int_equal(S_entries("tmp"), 0);
	free(want);
	free(s.program);

	/* a program that cannot be run at all */
	s.program = S_path("no-such-keygen");
	want = sup_xasprintf("cannot run '%s': No such file or directory", s.program);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	free(want);
	free(s.program);

	/* one that succeeds but writes no signature */
	S_put_script("silent-keygen", "#!/bin/sh\nexit 0\n");
	s.program = S_path("silent-keygen");
	want = sup_xasprintf("%s wrote no signature", s.program);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	free(want);
	free(s.program);
	free(s.key);
	assert_int_equal(sig.len, 0);
}

static void test_ssh_program_arguments(void **state)
{
	/* a stand-in ssh-keygen that records what it was given and writes a
	 * signature with CRLF line ends, which git would not store */
	struct sup_signer s = { SUP_SIG_SSH, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	char *script, *args, *seen, *want;

	(void)state;
	script = sup_xasprintf("#!/bin/sh\n"
			       "printf '%%s\\n' \"$@\" > %s/args\n"
			       "for last; do :; done\n"
			       "cp \"$last\" %s/seen\n"
			       "printf 'SIG\\r\\nLINE\\r\\n' > \"$last.sig\"\n",
			       S_dir, S_dir);
	S_put_script("recording-keygen", script);
	s.key = S_path("signer");
	s.program = S_path("recording-keygen");
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), 0);
	assert_string_equal(sup_buf_cstr(&sig), "SIG\nLINE\n");
	args = S_slurp("args");
	seen = S_slurp("seen");
	assert_non_null(args);
	assert_non_null(seen);
	assert_string_equal(seen, S_data);
	/* -Y sign -n git -f KEY FILE: the file is in a temporary directory
	 * that is gone afterwards */
	want = sup_xasprintf("-Y\nsign\n-n\ngit\n-f\n%s\n%s/tmp/sup-sign.", s.key, S_dir);
	assert_true(sup_starts_with(args, want));
	assert_true(sup_ends_with(args, "/buffer\n"));
	assert_int_equal(S_entries("tmp"), 0);
	free(want);
	free(args);
	free(seen);
	free(script);
	free(s.key);
	free(s.program);
	sup_buf_release(&sig);
}

/* ---- telling formats apart ---- */

static void test_sig_is_openpgp(void **state)
{
	static const char pgp[] = "-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0=\n-----END PGP SIGNATURE-----\n";
	static const char ssh[] = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n";

	(void)state;
	assert_int_equal(sup_sig_is_openpgp(pgp, strlen(pgp)), 1);
	assert_int_equal(sup_sig_is_openpgp(ssh, strlen(ssh)), 0);
	assert_int_equal(sup_sig_is_openpgp("", 0), 0);
	/* only the first len bytes count */
	assert_int_equal(sup_sig_is_openpgp(pgp, 20), 0);
	assert_int_equal(sup_sig_is_openpgp(pgp, 29), 1);
	assert_int_equal(sup_sig_is_openpgp(" -----BEGIN PGP SIGNATURE-----", 30), 0);
	assert_int_equal(sup_sig_is_openpgp("-----BEGIN PGP MESSAGE-----\n", 28), 0);
}

static void test_key_is_openpgp(void **state)
{
	(void)state;
	assert_int_equal(sup_key_is_openpgp("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZQ==\n"), 1);
	assert_int_equal(sup_key_is_openpgp("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH5IeC7UGWZhB9eK4Ox6XwDiDXO/yHlJUO5TXKWqxlWY jo"), 0);
	assert_int_equal(sup_key_is_openpgp("-----BEGIN PGP PRIVATE KEY BLOCK-----\n"), 0);
	assert_int_equal(sup_key_is_openpgp(" -----BEGIN PGP PUBLIC KEY BLOCK-----"), 0);
	assert_int_equal(sup_key_is_openpgp(""), 0);
	if (S_pgp_t)
		assert_int_equal(sup_key_is_openpgp(S_pgp_t), 1);
}

/* ---- OpenPGP ---- */

static void test_openpgp_no_key(void **state)
{
	struct sup_signer s = { SUP_SIG_OPENPGP, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;

	(void)state;
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(),
			    "no signing key: set user.signingkey (git config user.signingkey KEYID)");
	assert_int_equal(sig.len, 0);
}

static void test_openpgp_program_fails(void **state)
{
	struct sup_signer s = { SUP_SIG_OPENPGP, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	char *want;

	(void)state;
	S_put_script("failing-gpg",
		     "#!/bin/sh\n"
		     "cat >/dev/null\n"
		     "echo 'gpg: signing failed: No pinentry' >&2\n"
		     "exit 2\n");
	s.key = (char *)"ABCDEF0123456789";
	s.program = S_path("failing-gpg");
	want = sup_xasprintf("signing failed: %s exited with status 2: gpg: signing failed: No pinentry",
			     s.program);
	assert_int_equal(sup_sign(&sig, &s, S_data, strlen(S_data)), SUP_ENOKEY);
	assert_string_equal(sup_error_last(), want);
	assert_int_equal(sig.len, 0);
	free(want);
	free(s.program);
}

static void test_openpgp_sign_verify(void **state)
{
	struct sup_signer s = { SUP_SIG_OPENPGP, NULL, NULL, NULL };
	struct sup_buf sig = SUP_BUF_INIT;
	const char *keys[2];
	char *fpr = NULL, *home;
	size_t idx = 99;

	(void)state;
	if (!S_have_gpg)
		return;
	home = S_path("gnupg");
	setenv("GNUPGHOME", home, 1);
	s.key = S_fpr_t;
	if (sup_sign(&sig, &s, S_data, strlen(S_data)) != 0)
		fail_msg("sign: %s", sup_error_last());
	unsetenv("GNUPGHOME");
	assert_true(sup_starts_with(sig.ptr, "-----BEGIN PGP SIGNATURE-----\n"));
	assert_true(sup_ends_with(sig.ptr, "-----END PGP SIGNATURE-----\n"));
	assert_int_equal(sup_sig_is_openpgp(sig.ptr, sig.len), 1);

	/* good against exactly that key */
	keys[0] = S_pgp_t;
	if (sup_gpg_verify(&fpr, &idx, NULL, keys, 1, sig.ptr, sig.len,
			   S_data, strlen(S_data)) != 0)
		fail_msg("verify: %s", sup_error_last());
	assert_string_equal(fpr, S_fpr_t);
	assert_int_equal(idx, 0);
	free(fpr);
	fpr = NULL;

	/* among others: the index of the block that holds it */
	keys[0] = S_pgp_u;
	keys[1] = S_pgp_t;
	idx = 99;
	assert_int_equal(sup_gpg_verify(&fpr, &idx, "gpg", keys, 2, sig.ptr,
					sig.len, S_data, strlen(S_data)), 0);
	assert_string_equal(fpr, S_fpr_t);
	assert_int_equal(idx, 1);
	free(fpr);
	fpr = NULL;
	/* without asking who */
	assert_int_equal(sup_gpg_verify(NULL, NULL, NULL, keys, 2, sig.ptr,
					sig.len, S_data, strlen(S_data)), 0);

	/* against another key only: not found, naming the signing key */
	keys[0] = S_pgp_u;
	assert_int_equal(sup_gpg_verify(&fpr, &idx, NULL, keys, 1, sig.ptr, sig.len,
					S_data, strlen(S_data)), SUP_ENOTFOUND);
	assert_string_equal(sup_error_last(),
			    "OpenPGP signature by a key that is not in the register");
	assert_non_null(fpr);
	/* gpg names the long key id: the end of the fingerprint */
	assert_int_equal(strlen(fpr), 16);
	assert_true(sup_ends_with(S_fpr_t, fpr));
	free(fpr);
	fpr = NULL;
	/* no keys at all */
	assert_int_equal(sup_gpg_verify(NULL, NULL, NULL, keys, 0, sig.ptr, sig.len,
					S_data, strlen(S_data)), SUP_ENOTFOUND);

	/* tampered data */
	keys[0] = S_pgp_t;
	{
		char *bad = sup_xstrdup(S_data);

		bad[strlen(bad) - 2] = 'X';
		assert_int_equal(sup_gpg_verify(&fpr, &idx, NULL, keys, 1, sig.ptr,
						sig.len, bad, strlen(bad)), SUP_EBADSIG);
		assert_string_equal(sup_error_last(),
				    "OpenPGP signature does not verify against the registered keys");
		assert_null(fpr);
		free(bad);
	}
	/* nothing left behind in the temporary directory */
	assert_int_equal(S_entries("tmp"), 0);
	sup_buf_release(&sig);
	free(home);
}

static void test_openpgp_gpg_missing(void **state)
{
	const char *keys[1] = { "x" };
	static const char sig[] = "-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n";

	(void)state;
	assert_int_equal(sup_gpg_verify(NULL, NULL, "/nonexistent/gpg", keys, 1,
					sig, strlen(sig), "d", 1), SUP_ERROR);
	assert_string_equal(sup_error_last(),
			    "cannot run '/nonexistent/gpg': No such file or directory");
	assert_int_equal(S_entries("tmp"), 0);
}

static void test_openpgp_fingerprints(void **state)
{
	char **f = NULL;
	size_t n = 99;
	char *both;

	(void)state;
	if (!S_have_gpg)
		return;
	assert_int_equal(sup_gpg_fingerprints(&f, &n, NULL, S_pgp_t), 0);
	assert_int_equal(n, 1);
	assert_string_equal(f[0], S_fpr_t);
	free(f[0]);
	free(f);
	/* two blocks, in order */
	both = sup_xasprintf("%s%s", S_pgp_u, S_pgp_t);
	assert_int_equal(sup_gpg_fingerprints(&f, &n, "gpg", both), 0);
	assert_int_equal(n, 2);
	assert_string_equal(f[0], S_fpr_u);
	assert_string_equal(f[1], S_fpr_t);
	free(f[0]);
	free(f[1]);
	free(f);
	free(both);
	/* not a key */
	f = (char **)&both;
	assert_int_equal(sup_gpg_fingerprints(&f, &n, NULL, "not a key\n"), SUP_EINVALID);
	assert_string_equal(sup_error_last(), "not an OpenPGP public key");
	assert_null(f);
	assert_int_equal(n, 0);
	assert_int_equal(S_entries("tmp"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ssh_sign_key_file),
		T(test_ssh_sign_appends),
		T(test_ssh_sign_literal_key_agent),
		T(test_ssh_no_key),
		T(test_ssh_key_unreadable),
		T(test_ssh_program_fails),
		T(test_ssh_program_arguments),
		T(test_sig_is_openpgp),
		T(test_key_is_openpgp),
		T(test_openpgp_no_key),
		T(test_openpgp_program_fails),
		T(test_openpgp_sign_verify),
		T(test_openpgp_gpg_missing),
		T(test_openpgp_fingerprints),
	};

	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
