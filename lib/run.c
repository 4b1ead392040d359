/* run: subprocesses (see run.h). */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int S_wait(pid_t pid, int *status)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return sup_error_set(SUP_ERROR, "waitpid: %s", strerror(errno));
	}
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*status = 128 + WTERMSIG(st);
	else
		*status = 255;
	return 0;
}

int sup_run(int *status, const char *const *argv, const char *in, size_t inlen,
	    struct sup_buf *out, struct sup_buf *err)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int exec_err[2] = { -1, -1 };
	struct pollfd fds[3];
	size_t written = 0;
	void (*oldpipe)(int);
	int e = 0, n;
	pid_t pid;

	*status = 255;
	if (pipe(pin) < 0 || pipe(pout) < 0 || pipe(perr) < 0 ||
	    pipe(exec_err) < 0) {
		e = errno;
		goto fail;
	}
	fcntl(exec_err[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		e = errno;
		goto fail;
	}
	if (pid == 0) {
		int code;

		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		close(pin[0]); close(pin[1]);
		close(pout[0]); close(pout[1]);
		close(perr[0]); close(perr[1]);
		close(exec_err[0]);
		execvp(argv[0], (char *const *)argv);
		code = errno;
		if (write(exec_err[1], &code, sizeof(code)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	close(exec_err[1]);
	pin[0] = pout[1] = perr[1] = exec_err[1] = -1;

	if (read(exec_err[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		close(exec_err[0]);
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		S_wait(pid, status);
		return sup_error_set(SUP_ERROR, "cannot run '%s': %s", argv[0],
				     strerror(e));
	}
	close(exec_err[0]);
	exec_err[0] = -1;

	oldpipe = signal(SIGPIPE, SIG_IGN);
	if (!in || !inlen) {
		close(pin[1]);
		pin[1] = -1;
	}
	fcntl(pout[0], F_SETFL, O_NONBLOCK);
	fcntl(perr[0], F_SETFL, O_NONBLOCK);
	/* Never block writing: a program that writes while it reads (cat)
	 * would otherwise wait on us reading while we wait on it. */
	if (pin[1] >= 0)
		fcntl(pin[1], F_SETFL, O_NONBLOCK);
	while (pout[0] >= 0 || perr[0] >= 0 || pin[1] >= 0) {
		char tmp[8192];
		int nf = 0, i;

		if (pin[1] >= 0) {
			fds[nf].fd = pin[1];
			fds[nf++].events = POLLOUT;
		}
		if (pout[0] >= 0) {
			fds[nf].fd = pout[0];
			fds[nf++].events = POLLIN;
		}
		if (perr[0] >= 0) {
			fds[nf].fd = perr[0];
			fds[nf++].events = POLLIN;
		}
		if (poll(fds, (nfds_t)nf, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nf; i++) {
			if (!fds[i].revents)
				continue;
			if (fds[i].fd == pin[1]) {
				ssize_t w = write(pin[1], in + written, inlen - written);

				if (w > 0)
					written += (size_t)w;
				if (w < 0 && (errno == EAGAIN || errno == EINTR))
					continue;
				if (w < 0 || written == inlen) {
					close(pin[1]);
					pin[1] = -1;
				}
				continue;
			}
			n = (int)read(fds[i].fd, tmp, sizeof(tmp));
			if (n > 0) {
				struct sup_buf *dst = fds[i].fd == pout[0] ? out : err;

				if (dst)
					sup_buf_put(dst, tmp, (size_t)n);
			} else if (n == 0 || errno != EAGAIN) {
				if (fds[i].fd == pout[0]) {
					close(pout[0]);
					pout[0] = -1;
				} else {
					close(perr[0]);
					perr[0] = -1;
				}
			}
		}
	}
	signal(SIGPIPE, oldpipe);
	return S_wait(pid, status);
fail:
	close(pin[0]); close(pin[1]);
	close(pout[0]); close(pout[1]);
	close(perr[0]); close(perr[1]);
	close(exec_err[0]); close(exec_err[1]);
	return sup_error_set(SUP_ERROR, "cannot run '%s': %s", argv[0], strerror(e));
}

int sup_run_shell(int *status, const char *cmdline, const char *const *args)
{
	const char *argv[64];
	size_t i = 0, k;
	pid_t pid;

	argv[i++] = "sh";
	argv[i++] = "-c";
	argv[i++] = sup_xasprintf("%s \"$@\"", cmdline);
	argv[i++] = cmdline;
	for (k = 0; args && args[k] && i < SUP_ARRAY_SIZE(argv) - 1; k++)
		argv[i++] = args[k];
	argv[i] = NULL;
	pid = fork();
	if (pid < 0) {
		free((char *)argv[2]);
		return sup_error_set(SUP_ERROR, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		execvp("sh", (char *const *)argv);
		_exit(127);
	}
	free((char *)argv[2]);
	return S_wait(pid, status);
}

int sup_mkdtemp(char **out, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	path = sup_xasprintf("%s/%s.XXXXXX", tmp, prefix);
	if (!mkdtemp(path)) {
		int e = errno;

		free(path);
		return sup_error_set(SUP_ERROR, "cannot make a temporary directory in %s: %s",
				     tmp, strerror(e));
	}
	*out = path;
	return 0;
}

int sup_rmtree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : SUP_ERROR;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? SUP_ERROR : 0;
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char *sub;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			sub = sup_xasprintf("%s/%s", path, de->d_name);
			sup_rmtree(sub);
			free(sub);
		}
		closedir(d);
	}
	return rmdir(path) < 0 ? SUP_ERROR : 0;
}
